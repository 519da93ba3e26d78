/* search.h: searching published practices. PxSearchRequest is a parsed and validated search,
 * PxSearchResult what it found, which each front end renders its own way; PxSearchIndex is the
 * state searches share across threads: the facet snapshot and the cache of rendered results,
 * both tagged with the generation (the database's change counter) they were made at, and the
 * watch connection the cache lookup reads the current generation on. */
#pragma once

#include <glib.h>

#include "facets.h"
#include "snippet.h"
#include "store/store.h"
#include "util/config.h"

typedef enum {
	PX_SORT_RELEVANCE,
	PX_SORT_NEWEST,
} PxSort;

typedef struct {
	char *q; /* (nullable) */
	PxFilters filters;
	PxSort sort;
	guint page, per_page;
	/* (nullable) (element-type gint64): only these practices, in ascending order of id (a
	 * digest's newly published ones); no partial matches nor suggestions then */
	GArray *within;
} PxSearchRequest;

/* one result of a search: the practice and where the query's words are in it */
typedef struct {
	PxPractice *practice; /* published in the search's snapshot; a list shows PX_VIEW_LIST */
	/* (nullable): the whole title and the query's words in it; NULL when no word was searched
	 */
	PxSnippetText *title;
	/* the excerpt around the query's words in the summary, else in the body, else the summary's
	 * start; the whole summary when no word was searched */
	PxSnippetText *snippet;
	/* a partial match: it lacks some of the query's required terms (the last ones), and comes
	 * after every full match, filling the page on which they end */
	gboolean partial;
} PxSearchHit;

/* what a search found: the members of GET /api/practices's answer, typed */
typedef struct {
	/* every published practice that matches the whole query, on all pages (the partial matches
	 * that fill the page where those end are not counted, nor add pages) */
	guint total;
	guint page, per_page;
	/* (element-type PxSearchHit): the requested page, in order: full matches, then partial ones
	 */
	GPtrArray *hits;
	/* (element-type PxFacetCount): per facet in the order of PxFacet, the counts of its values,
	 * most frequent first; each facet counts with every filter but its own */
	GArray *facets[PX_FACET_N];
	GPtrArray *suggestions; /* (element-type utf8): "did you mean": corrected queries */
	guint64 generation;	/* of the snapshot the search read; 0: unknown */
	/* (owned): the PxFacets the search read, which holds every PxFacetCount's value */
	PxFacets *facet_values;
} PxSearchResult;

void px_search_result_free (PxSearchResult *result);

typedef struct _PxSearchIndex PxSearchIndex;

/**
 * px_search_request_parse:
 * @pairs: (element-type PxFormPair): the query parameters
 * @errors: (element-type PxFieldError): receives one entry per bad parameter
 *
 * Returns: (transfer full) (nullable): the request, or NULL when @errors gained entries
 */
PxSearchRequest *px_search_request_parse (GPtrArray *pairs, GPtrArray *errors);
void px_search_request_free (PxSearchRequest *request);
/* Returns: (transfer full): a canonical text of the request, which the cache keys of every
 * renderer are made of */
char *px_search_request_to_key (const PxSearchRequest *request);
/**
 * px_search_request_to_query:
 *
 * Returns: (transfer full): what @request searches for as a URL query string that
 * px_search_request_parse() reads back: q, then each filter's values sorted (country, city,
 * focus, theme, project, language), then year_from and year_to, every value %-escaped; no sort,
 * page or per_page. The same search always gives the same text; "" for the empty search.
 */
char *px_search_request_to_query (const PxSearchRequest *request);

/* Returns: (transfer full): the shared state, with its own read-only watch connection */
PxSearchIndex *px_search_index_new (const PxConfig *config, GError **error);
void px_search_index_free (PxSearchIndex *index);

/**
 * px_search_index_lookup:
 * @renderer: the name of a rendering of results ("api-json", ...): each caches its own bytes
 *
 * Reads the current generation on the index's own watch connection (call it from one thread
 * only, the main loop) and never waits: a locked or unreadable database is a miss.
 * Returns: (transfer full) (nullable): the bytes that @renderer made of @request's result, if
 * that result was computed at the current generation
 */
GBytes *px_search_index_lookup (PxSearchIndex *index, const char *renderer,
				const PxSearchRequest *request);

/* keeps @bytes, @renderer's rendering of @result (found for @request), for the lookups at the
 * generation @result was computed at; nothing when the cache is off (cache_bytes 0) */
void px_search_index_remember (PxSearchIndex *index, const char *renderer,
			       const PxSearchRequest *request, const PxSearchResult *result,
			       GBytes *bytes);

/**
 * px_search_run:
 * @reader: a read-only connection owned by the calling thread, outside any transaction
 *
 * Runs the search in one read transaction on @reader: it shows only what was published in that
 * snapshot. A deadline already set on @reader (px_store_set_deadline) stands; without one the
 * search sets its own, [server] request_timeout_ms from now, and clears it afterwards. It does
 * not touch the cache: the caller renders the result and may remember its bytes.
 * Returns: (transfer full): the result, or NULL with @error set (PX_ERROR_INVALID for an
 * unsearchable query, PX_ERROR_TIMEOUT past the deadline)
 */
PxSearchResult *px_search_run (PxSearchIndex *index, PxStore *reader,
			       const PxSearchRequest *request, GError **error);

/* building and rendering results is C work outside SQLite, which the progress handler cannot
 * stop. Returns: FALSE with PX_ERROR_TIMEOUT once @reader's deadline has passed */
gboolean px_search_check_deadline (PxStore *reader, GError **error);

/* Returns: (transfer full): the facet snapshot of the current generation (for counts by status),
 * read in a read transaction of its own on @reader, or NULL with @error set */
PxFacets *px_search_index_ensure_facets (PxSearchIndex *index, PxStore *reader, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSearchRequest, px_search_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSearchResult, px_search_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSearchIndex, px_search_index_free)
