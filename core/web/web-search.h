/* web-search.h: what the search page shares with the feed: a search parsed from a page's query
 * (the parameters of GET /api/practices, as the visitor gave them and as the plugins rewrite
 * them), and the canonical query string of a search: the page's permalink, the feed's and a
 * subscription's. */
#pragma once

#include "web-request.h"

typedef enum {
	PX_WEB_SEARCH_QUERY_FILTERS = 0,       /* q and the filters: what a search finds */
	PX_WEB_SEARCH_QUERY_SORT = 1 << 0,     /* sort, when it is not the default for the query */
	PX_WEB_SEARCH_QUERY_PER_PAGE = 1 << 1, /* per_page, when it is not the default */
	PX_WEB_SEARCH_QUERY_PAGE = 1 << 2,     /* page, after the first */
	PX_WEB_SEARCH_QUERY_PAGING = PX_WEB_SEARCH_QUERY_PER_PAGE | PX_WEB_SEARCH_QUERY_PAGE,
} PxWebSearchQuery;

/**
 * px_web_search_parse:
 * @shown: (out) (transfer full): the search as the visitor gave it (what the page shows)
 * @run: (out) (transfer full): the same with q rewritten by the plugins (what is searched)
 * @errors: (element-type PxFieldError): receives the bad parameters
 *
 * Parses @request's query as GET /api/practices does (unknown parameters ignored).
 * Returns: FALSE when @errors gained entries (then both are NULL)
 */
gboolean px_web_search_parse (PxWebRequest *request, PxSearchRequest **shown, PxSearchRequest **run,
			      GPtrArray *errors);

/**
 * px_web_search_pairs:
 *
 * Returns: (transfer full) (element-type PxFormPair): the parameters of @search that @parts
 * asks for, in a fixed order (q, the filters, year_from, year_to, sort, per_page, page)
 */
GPtrArray *px_web_search_pairs (const PxSearchRequest *search, PxWebSearchQuery parts);

/* Returns: (transfer full): @pairs as a query string ("q=a%20b&country=SE"), "" for none */
char *px_web_search_encode (GPtrArray *pairs);

/* Returns: (transfer full): how a value of @facet reads: a focus area's name in the request's
 * language, a theme's words ("language-learning": "Language learning"), else @value */
char *px_web_search_value_label (PxWebRequest *request, PxFacet facet, const char *value);
