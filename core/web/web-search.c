/* web-search.c: the search page, GET /: the search box, the results of the search the URL
 * carries (the parameters of GET /api/practices, so the page's URL is the API's query) with
 * their highlighted snippets, facets that add a filter, the active filters that remove one,
 * sorting, pages, "did you mean", the feed and the permalink of the search, and the form that
 * subscribes to it (POST /subscribe). The plugins' rewrite of q changes what is searched,
 * never what is shown. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "model/focus.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "util/form.h"
#include "web-names.h"
#include "web-page.h"
#include "web-private.h"
#include "web-request.h"
#include "web-search.h"
#include "web-vocabulary.h"

/* facet values shown before "more" folds the rest away */
#define PX_WEB_SEARCH_FACET_SHOWN 8
/* pages linked on each side of the current one */
#define PX_WEB_SEARCH_PAGE_SPAN 2
#define PX_WEB_SEARCH_PAGE_MAX 1000
#define PX_WEB_SEARCH_PER_PAGE_DEFAULT 20

typedef struct {
	PxWebRequest *request;
	PxSearchRequest *shown; /* (nullable): NULL when the parameters are wrong */
	PxSearchRequest *run;	/* (nullable): what is searched */
	GPtrArray *errors;	/* (element-type PxFieldError) */
	/* (nullable): a visitor's page (no session) is kept in the search cache under this name:
	 * "web-page", its language, the site's address and the path and query it answers */
	char *renderer;
} PxWebSearch;

static void
px_web_search_free (PxWebSearch *search)
{
	px_web_request_free (search->request);
	px_search_request_free (search->shown);
	px_search_request_free (search->run);
	g_ptr_array_unref (search->errors);
	g_free (search->renderer);
	g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebSearch, px_web_search_free)

gboolean
px_web_search_parse (PxWebRequest *request, PxSearchRequest **shown, PxSearchRequest **run,
		     GPtrArray *errors)
{
	PxPlugins *plugins = request->web->plugins;
	g_autoptr (PxSearchRequest) as_given = px_search_request_parse (request->query, errors);
	g_autoptr (PxSearchRequest) searched = NULL;

	*shown = NULL;
	*run = NULL;
	if (as_given == NULL)
		return FALSE;
	searched = px_search_request_parse (request->query, errors);
	if (searched->q != NULL && plugins != NULL) {
		char *rewritten = px_plugins_rewrite_query (plugins, searched->q);

		if (rewritten != NULL) {
			g_free (searched->q);
			searched->q = rewritten;
		}
	}
	*shown = g_steal_pointer (&as_given);
	*run = g_steal_pointer (&searched);
	return TRUE;
}

static void
px_web_search_add_uint (GPtrArray *pairs, const char *name, guint value)
{
	g_autofree char *text = g_strdup_printf ("%u", value);

	px_form_pairs_add (pairs, name, text);
}

GPtrArray *
px_web_search_pairs (const PxSearchRequest *search, PxWebSearchQuery parts)
{
	GPtrArray *pairs = px_form_pairs_new ();
	PxSort default_sort = search->q != NULL ? PX_SORT_RELEVANCE : PX_SORT_NEWEST;

	px_form_pairs_add (pairs, "q", search->q);
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = search->filters.values[f];

		for (guint i = 0; values != NULL && i < values->len; i++)
			px_form_pairs_add (pairs, px_facets_get_name ((PxFacet)f),
					   g_ptr_array_index (values, i));
	}
	if (search->filters.year_from != 0)
		px_web_search_add_uint (pairs, "year_from", (guint)search->filters.year_from);
	if (search->filters.year_to != 0)
		px_web_search_add_uint (pairs, "year_to", (guint)search->filters.year_to);
	if ((parts & PX_WEB_SEARCH_QUERY_SORT) && search->sort != default_sort)
		px_form_pairs_add (pairs, "sort",
				   search->sort == PX_SORT_NEWEST ? "newest" : "relevance");
	if ((parts & PX_WEB_SEARCH_QUERY_PER_PAGE) &&
	    search->per_page != PX_WEB_SEARCH_PER_PAGE_DEFAULT)
		px_web_search_add_uint (pairs, "per_page", search->per_page);
	if ((parts & PX_WEB_SEARCH_QUERY_PAGE) && search->page > 1)
		px_web_search_add_uint (pairs, "page", search->page);
	return pairs;
}

char *
px_web_search_encode (GPtrArray *pairs)
{
	GString *query = g_string_new (NULL);

	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (query->len > 0)
			g_string_append_c (query, '&');
		g_string_append_uri_escaped (query, pair->name, NULL, FALSE);
		g_string_append_c (query, '=');
		g_string_append_uri_escaped (query, pair->value, NULL, FALSE);
	}
	return g_string_free (query, FALSE);
}

/* Returns: (transfer full): a copy of @pairs without @name (every value of it when @value is
 * NULL, else only that value) */
static GPtrArray *
px_web_search_without (GPtrArray *pairs, const char *name, const char *value)
{
	GPtrArray *copy = px_form_pairs_new ();

	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (g_str_equal (pair->name, name) &&
		    (value == NULL || g_str_equal (pair->value, value)))
			continue;
		px_form_pairs_add (copy, pair->name, pair->value);
	}
	return copy;
}

/* the place of parameter @name in a canonical query */
static guint
px_web_search_rank (const char *name)
{
	static const char *const order[] = {"q",       "country", "city",     "focus",
					    "theme",   "project", "language", "year_from",
					    "year_to", "sort",	  "per_page", "page"};

	for (guint i = 0; i < G_N_ELEMENTS (order); i++) {
		if (g_str_equal (order[i], name))
			return i;
	}
	return G_N_ELEMENTS (order);
}

static gint
px_web_search_compare_pairs (gconstpointer a, gconstpointer b)
{
	const PxFormPair *first = *(const PxFormPair *const *)a;
	const PxFormPair *second = *(const PxFormPair *const *)b;

	return (gint)px_web_search_rank (first->name) - (gint)px_web_search_rank (second->name);
}

/* Returns: (transfer full): the search page's path with @pairs as its query, in the canonical
 * order of the parameters (a stable sort keeps the order of a filter's values) */
static char *
px_web_search_link (GPtrArray *pairs)
{
	g_autofree char *query = NULL;

	g_ptr_array_sort (pairs, px_web_search_compare_pairs);
	query = px_web_search_encode (pairs);

	return query[0] != '\0' ? g_strconcat ("/?", query, NULL) : g_strdup ("/");
}

/* Returns: (transfer full): @text with "{count}" replaced by @count (a translated message
 * cannot be a printf format: its translator could break the arguments) */
static char *
px_web_search_count_text (const char *text, guint64 count)
{
	g_autoptr (GString) out = g_string_new (text);
	g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

	g_string_replace (out, "{count}", number, 0);
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
px_web_search_facet_label (PxWebRequest *request, PxFacet facet)
{
	switch (facet) {
	case PX_FACET_COUNTRY:
		return px_web_request_gettext (request, "Country");
	case PX_FACET_CITY:
		return px_web_request_gettext (request, "City");
	case PX_FACET_FOCUS:
		return px_web_request_gettext (request, "Focus area");
	case PX_FACET_THEME:
		return px_web_request_gettext (request, "Theme");
	case PX_FACET_PROJECT:
		return px_web_request_gettext (request, "Project");
	case PX_FACET_LANGUAGE:
		return px_web_request_gettext (request, "Language");
	case PX_FACET_YEAR:
	case PX_FACET_N:
		break;
	}
	return px_web_request_gettext (request, "Year");
}

char *
px_web_search_value_label (PxWebRequest *request, PxFacet facet, const char *value)
{
	const char *label;
	g_autofree char *words = NULL;

	if (facet == PX_FACET_FOCUS)
		return g_strdup (px_web_vocabulary_focus_label (request, value));
	if (facet == PX_FACET_COUNTRY)
		return g_strdup (px_web_names_country (request, value));
	if (facet == PX_FACET_LANGUAGE)
		return g_strdup (px_web_names_language (request, value));
	if (facet != PX_FACET_THEME || value[0] == '\0')
		return g_strdup (value);
	/* a theme the vocabulary does not know reads as its words */
	label = px_web_vocabulary_theme_label (request, value);
	if (label != value)
		return g_strdup (label);
	words = g_strdelimit (g_strdup (value), "-", ' ');
	words[0] = g_ascii_toupper (words[0]);
	return g_steal_pointer (&words);
}

/* Returns: the value of @search's filter @facet that is @value, or NULL */
static const char *
px_web_search_find_filter (const PxSearchRequest *search, PxFacet facet, const char *value)
{
	GPtrArray *values = search->filters.values[facet];

	for (guint i = 0; values != NULL && i < values->len; i++) {
		const char *given = g_ptr_array_index (values, i);

		if (g_ascii_strcasecmp (given, value) == 0)
			return given;
	}
	return NULL;
}

static gboolean
px_web_search_is_year (const PxSearchRequest *search, const char *value)
{
	return search->filters.year_from != 0 &&
	       search->filters.year_from == search->filters.year_to &&
	       atoi (value) == search->filters.year_from;
}

/* the link of one facet value: it adds the filter, or removes it when it is on */
static JsonObject *
px_web_search_facet_value (PxWebRequest *request, const PxSearchRequest *search, GPtrArray *pairs,
			   PxFacet facet, const PxFacetCount *count)
{
	JsonObject *item = json_object_new ();
	const char *name = px_facets_get_name (facet);
	g_autofree char *label = px_web_search_value_label (request, facet, count->value);
	g_autoptr (GPtrArray) changed = NULL;
	g_autofree char *url = NULL;
	gboolean selected;

	if (facet == PX_FACET_YEAR) {
		g_autoptr (GPtrArray) without = px_web_search_without (pairs, "year_from", NULL);

		selected = px_web_search_is_year (search, count->value);
		changed = px_web_search_without (without, "year_to", NULL);
		if (!selected) {
			px_form_pairs_add (changed, "year_from", count->value);
			px_form_pairs_add (changed, "year_to", count->value);
		}
	} else {
		const char *given = px_web_search_find_filter (search, facet, count->value);

		selected = given != NULL;
		changed = px_web_search_without (pairs, name, given);
		if (!selected)
			px_form_pairs_add (changed, name, count->value);
	}
	url = px_web_search_link (changed);
	json_object_set_string_member (item, "label", label);
	json_object_set_int_member (item, "count", count->count);
	json_object_set_string_member (item, "href", url);
	json_object_set_boolean_member (item, "selected", selected);
	return item;
}

static gint
px_web_search_compare_years (gconstpointer a, gconstpointer b)
{
	const PxFacetCount *first = a, *second = b;

	return g_strcmp0 (second->value, first->value);
}

/* the facets of the page: each value with its count, the first ones shown, the rest folded */
static JsonArray *
px_web_search_facets (PxWebRequest *request, const PxSearchRequest *search,
		      const PxSearchResult *result, GPtrArray *pairs)
{
	static const PxFacet shown[] = {PX_FACET_COUNTRY, PX_FACET_CITY,    PX_FACET_FOCUS,
					PX_FACET_THEME,	  PX_FACET_PROJECT, PX_FACET_LANGUAGE,
					PX_FACET_YEAR};
	JsonArray *facets = json_array_new ();

	for (guint f = 0; f < G_N_ELEMENTS (shown); f++) {
		g_autoptr (GArray) counts = g_array_copy (result->facets[shown[f]]);
		g_autoptr (JsonObject) facet = json_object_new ();
		JsonArray *first = json_array_new ();
		JsonArray *more = json_array_new ();

		if (counts->len == 0) {
			json_array_unref (first);
			json_array_unref (more);
			continue;
		}
		if (shown[f] == PX_FACET_YEAR)
			g_array_sort (counts, px_web_search_compare_years);
		for (guint i = 0; i < counts->len; i++) {
			JsonObject *item =
			    px_web_search_facet_value (request, search, pairs, shown[f],
						       &g_array_index (counts, PxFacetCount, i));
			json_array_add_object_element (i < PX_WEB_SEARCH_FACET_SHOWN ? first : more,
						       item);
		}
		json_object_set_string_member (facet, "name", px_facets_get_name (shown[f]));
		json_object_set_string_member (facet, "title",
					       px_web_search_facet_label (request, shown[f]));
		json_object_set_array_member (facet, "values", first);
		if (json_array_get_length (more) > 0) {
			JsonObject *folded = json_object_new ();
			json_object_set_array_member (folded, "values", more);
			json_object_set_object_member (facet, "more", folded);
		} else {
			json_array_unref (more);
		}
		json_array_add_object_element (facets, g_steal_pointer (&facet));
	}
	return facets;
}

static void
px_web_search_add_filter (JsonArray *active, const char *facet, const char *value,
			  GPtrArray *without)
{
	JsonObject *item = json_object_new ();
	g_autofree char *url = px_web_search_link (without);

	json_object_set_string_member (item, "facet", facet);
	json_object_set_string_member (item, "value", value);
	json_object_set_string_member (item, "href", url);
	json_array_add_object_element (active, item);
}

/* the active filters, each a link to the search without it */
static JsonArray *
px_web_search_active (PxWebRequest *request, const PxSearchRequest *search, GPtrArray *pairs)
{
	JsonArray *active = json_array_new ();
	const PxFilters *filters = &search->filters;

	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = filters->values[f];

		for (guint i = 0; values != NULL && i < values->len; i++) {
			const char *value = g_ptr_array_index (values, i);
			const char *name = px_facets_get_name ((PxFacet)f);
			g_autoptr (GPtrArray) without = px_web_search_without (pairs, name, value);
			g_autofree char *label =
			    px_web_search_value_label (request, (PxFacet)f, value);

			px_web_search_add_filter (active,
						  px_web_search_facet_label (request, (PxFacet)f),
						  label, without);
		}
	}
	if (filters->year_from != 0 && filters->year_from == filters->year_to) {
		g_autoptr (GPtrArray) some = px_web_search_without (pairs, "year_from", NULL);
		g_autoptr (GPtrArray) without = px_web_search_without (some, "year_to", NULL);
		g_autofree char *year = g_strdup_printf ("%d", filters->year_from);

		px_web_search_add_filter (
		    active, px_web_search_facet_label (request, PX_FACET_YEAR), year, without);
		return active;
	}
	if (filters->year_from != 0) {
		g_autoptr (GPtrArray) without = px_web_search_without (pairs, "year_from", NULL);
		g_autofree char *year = g_strdup_printf ("%d", filters->year_from);

		px_web_search_add_filter (active, px_web_request_gettext (request, "From year"),
					  year, without);
	}
	if (filters->year_to != 0) {
		g_autoptr (GPtrArray) without = px_web_search_without (pairs, "year_to", NULL);
		g_autofree char *year = g_strdup_printf ("%d", filters->year_to);

		px_web_search_add_filter (active, px_web_request_gettext (request, "To year"), year,
					  without);
	}
	return active;
}

/* Returns: (transfer full): @parts (NULL-terminated in place) joined by @separator */
static char *
px_web_search_join (GPtrArray *parts, const char *separator)
{
	g_ptr_array_add (parts, NULL);
	return g_strjoinv (separator, (char **)parts->pdata);
}

/* Returns: (transfer full): who, where, in which project and when, on one line */
static char *
px_web_search_hit_meta (PxWebRequest *request, const PxPractice *practice)
{
	g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) place = g_ptr_array_new ();

	if (practice->organisation != NULL)
		g_ptr_array_add (parts, g_strdup (practice->organisation));
	if (practice->city != NULL)
		g_ptr_array_add (place, practice->city);
	if (practice->country != NULL)
		g_ptr_array_add (place, (char *)px_web_names_country (request, practice->country));
	if (place->len > 0)
		g_ptr_array_add (parts, px_web_search_join (place, ", "));
	if (practice->project != NULL)
		g_ptr_array_add (parts, g_strdup (practice->project));
	if (practice->year != 0)
		g_ptr_array_add (parts, g_strdup_printf ("%d", practice->year));
	return px_web_search_join (parts, " · ");
}

static JsonObject *
px_web_search_hit (PxWebRequest *request, const PxSearchHit *hit)
{
	const PxPractice *practice = hit->practice;
	JsonObject *item = json_object_new ();
	g_autofree char *snippet = px_snippet_text_to_html (hit->snippet);
	g_autofree char *url = g_strdup_printf ("/practices/%" G_GINT64_FORMAT, practice->id);
	g_autofree char *meta = px_web_search_hit_meta (request, practice);
	g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *tag_text = NULL;

	if (hit->title != NULL) {
		g_autofree char *title = px_snippet_text_to_html (hit->title);
		json_object_set_string_member (item, "hit_title_html", title);
	} else {
		json_object_set_string_member (item, "hit_title", practice->title);
	}
	json_object_set_string_member (item, "hit_url", url);
	json_object_set_string_member (item, "snippet_html", snippet);
	json_object_set_string_member (item, "hit_meta", meta);
	for (guint i = 0; i < practice->focus_areas->len; i++)
		g_ptr_array_add (
		    tags, px_web_search_value_label (request, PX_FACET_FOCUS,
						     g_ptr_array_index (practice->focus_areas, i)));
	for (guint i = 0; i < practice->themes->len; i++)
		g_ptr_array_add (
		    tags, px_web_search_value_label (request, PX_FACET_THEME,
						     g_ptr_array_index (practice->themes, i)));
	tag_text = px_web_search_join (tags, " · ");
	json_object_set_string_member (item, "hit_tags", tag_text);
	json_object_set_boolean_member (item, "partial", hit->partial);
	return item;
}

static JsonArray *
px_web_search_hits (PxWebRequest *request, const PxSearchResult *result)
{
	JsonArray *hits = json_array_new ();

	for (guint i = 0; i < result->hits->len; i++)
		json_array_add_object_element (
		    hits, px_web_search_hit (request, g_ptr_array_index (result->hits, i)));
	return hits;
}

static void
px_web_search_add_page (JsonArray *pages, GPtrArray *pairs, const PxSearchRequest *search,
			guint page)
{
	JsonObject *item = json_object_new ();
	g_autoptr (GPtrArray) with = px_web_search_without (pairs, "page", NULL);
	g_autofree char *url = NULL;

	if (page > 1)
		px_web_search_add_uint (with, "page", page);
	url = px_web_search_link (with);
	json_object_set_int_member (item, "number", page);
	json_object_set_string_member (item, "href", url);
	json_object_set_boolean_member (item, "current", page == search->page);
	json_object_set_boolean_member (item, "gap", FALSE);
	json_array_add_object_element (pages, item);
}

static void
px_web_search_add_gap (JsonArray *pages)
{
	JsonObject *item = json_object_new ();

	json_object_set_boolean_member (item, "gap", TRUE);
	json_array_add_object_element (pages, item);
}

/* the pages: previous, the first, a span around the current one, the last, next */
static void
px_web_search_pagination (JsonObject *content, const PxSearchRequest *search,
			  const PxSearchResult *result, GPtrArray *pairs)
{
	guint count = (result->total + search->per_page - 1) / search->per_page;
	guint from =
	    search->page > PX_WEB_SEARCH_PAGE_SPAN ? search->page - PX_WEB_SEARCH_PAGE_SPAN : 1;
	guint to;
	g_autoptr (JsonObject) pagination = NULL;
	JsonArray *pages;

	count = MIN (count, PX_WEB_SEARCH_PAGE_MAX);
	if (count <= 1 && search->page == 1)
		return;
	count = MAX (count, 1);
	to = MIN (search->page + PX_WEB_SEARCH_PAGE_SPAN, count);
	pagination = json_object_new ();
	pages = json_array_new ();
	if (from > 1)
		px_web_search_add_page (pages, pairs, search, 1);
	if (from > 2)
		px_web_search_add_gap (pages);
	for (guint page = from; page <= to; page++)
		px_web_search_add_page (pages, pairs, search, page);
	if (to + 1 < count)
		px_web_search_add_gap (pages);
	if (to < count)
		px_web_search_add_page (pages, pairs, search, count);
	json_object_set_array_member (pagination, "pages", pages);
	if (search->page > 1) {
		g_autoptr (JsonArray) previous = json_array_new ();
		px_web_search_add_page (previous, pairs, search, MIN (search->page - 1, count));
		json_object_set_member (pagination, "previous_page",
					json_array_dup_element (previous, 0));
	}
	if (search->page < count) {
		g_autoptr (JsonArray) next = json_array_new ();
		px_web_search_add_page (next, pairs, search, search->page + 1);
		json_object_set_member (pagination, "next_page", json_array_dup_element (next, 0));
	}
	json_object_set_object_member (content, "pagination", g_steal_pointer (&pagination));
}

/* sorting: relevance needs words to be relevant to */
static void
px_web_search_sorting (PxWebRequest *request, JsonObject *content, const PxSearchRequest *search,
		       GPtrArray *pairs)
{
	static const PxSort sorts[] = {PX_SORT_RELEVANCE, PX_SORT_NEWEST};
	g_autoptr (GPtrArray) without = px_web_search_without (pairs, "sort", NULL);
	g_autoptr (JsonObject) sorting = NULL;
	JsonArray *options;

	if (search->q == NULL)
		return;
	sorting = json_object_new ();
	options = json_array_new ();
	for (guint i = 0; i < G_N_ELEMENTS (sorts); i++) {
		JsonObject *item = json_object_new ();
		g_autoptr (GPtrArray) with = px_web_search_without (without, "page", NULL);
		g_autofree char *url = NULL;

		if (sorts[i] == PX_SORT_NEWEST)
			px_form_pairs_add (with, "sort", "newest");
		url = px_web_search_link (with);
		json_object_set_string_member (item, "label",
					       sorts[i] == PX_SORT_NEWEST
						   ? px_web_request_gettext (request, "Newest")
						   : px_web_request_gettext (request, "Relevance"));
		json_object_set_string_member (item, "href", url);
		json_object_set_boolean_member (item, "current", search->sort == sorts[i]);
		json_array_add_object_element (options, item);
	}
	json_object_set_array_member (sorting, "options", options);
	json_object_set_object_member (content, "sorting", g_steal_pointer (&sorting));
}

/* "did you mean": each correction as a link to its search. A rewritten query's corrections
 * would show the plugins' rewrite, which the page never shows */
static void
px_web_search_suggestions (JsonObject *content, const PxWebSearch *search,
			   const PxSearchResult *result, GPtrArray *pairs)
{
	g_autoptr (JsonObject) did_you_mean = NULL;
	JsonArray *suggestions;

	if (result->suggestions->len == 0 || g_strcmp0 (search->shown->q, search->run->q) != 0)
		return;
	did_you_mean = json_object_new ();
	suggestions = json_array_new ();
	for (guint i = 0; i < result->suggestions->len; i++) {
		const char *text = g_ptr_array_index (result->suggestions, i);
		JsonObject *item = json_object_new ();
		g_autoptr (GPtrArray) with = px_web_search_without (pairs, "q", NULL);
		g_autofree char *url = NULL;

		px_form_pairs_add (with, "q", text);
		url = px_web_search_link (with);
		json_object_set_string_member (item, "text", text);
		json_object_set_string_member (item, "href", url);
		json_array_add_object_element (suggestions, item);
	}
	json_object_set_array_member (did_you_mean, "items", suggestions);
	json_object_set_object_member (content, "did_you_mean", g_steal_pointer (&did_you_mean));
}

/* the hidden fields that keep the filters and the sort when the words change */
static JsonArray *
px_web_search_kept (GPtrArray *pairs)
{
	JsonArray *kept = json_array_new ();

	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);
		JsonObject *item;

		if (g_str_equal (pair->name, "q") || g_str_equal (pair->name, "page"))
			continue;
		item = json_object_new ();
		json_object_set_string_member (item, "name", pair->name);
		json_object_set_string_member (item, "value", pair->value);
		json_array_add_object_element (kept, item);
	}
	return kept;
}

static void
px_web_search_links (PxWebRequest *request, JsonObject *content, const PxSearchRequest *search)
{
	g_autoptr (GPtrArray) all =
	    px_web_search_pairs (search, PX_WEB_SEARCH_QUERY_SORT | PX_WEB_SEARCH_QUERY_PAGING);
	g_autoptr (GPtrArray) found = px_web_search_pairs (search, PX_WEB_SEARCH_QUERY_FILTERS);
	g_autofree char *permalink_path = px_web_search_link (all);
	g_autofree char *permalink = px_web_request_url (request, permalink_path);
	g_autofree char *query = px_web_search_encode (found);
	g_autofree char *feed =
	    query[0] != '\0' ? g_strconcat ("/feed.atom?", query, NULL) : g_strdup ("/feed.atom");

	json_object_set_string_member (content, "permalink", permalink);
	json_object_set_string_member (content, "feed_url", feed);
	if (query[0] != '\0') {
		json_object_set_string_member (content, "subscription_search", query);
		json_object_set_boolean_member (content, "searching", TRUE);
	}
}

static void
px_web_search_add_heading (PxWebRequest *request, JsonObject *content,
			   const PxSearchRequest *search, const PxSearchResult *result,
			   gboolean filtered)
{
	g_autofree char *found = NULL;

	if (search->q == NULL && !filtered) {
		json_object_set_string_member (
		    content, "results_heading",
		    px_web_request_gettext (request, "Newest practices"));
		json_object_set_boolean_member (content, "browsing", TRUE);
	} else {
		found = px_web_search_count_text (
		    px_web_request_ngettext (request, "{count} practice found",
					     "{count} practices found", result->total),
		    result->total);
		json_object_set_string_member (content, "results_heading", found);
	}
	if (search->page > 1) {
		g_autofree char *page = px_web_search_count_text (
		    px_web_request_gettext (request, "page {count}"), search->page);
		json_object_set_string_member (content, "page_label", page);
	}
}

/* the active filters, and a link that removes them all when there are several */
static void
px_web_search_add_active (PxWebRequest *request, JsonObject *content, const PxSearchRequest *search,
			  GPtrArray *pairs)
{
	JsonArray *items = px_web_search_active (request, search, pairs);
	g_autoptr (JsonObject) active = json_object_new ();
	g_autoptr (GPtrArray) words = px_form_pairs_new ();
	g_autofree char *url = NULL;

	if (json_array_get_length (items) == 0) {
		json_array_unref (items);
		return;
	}
	if (json_array_get_length (items) > 1) {
		px_form_pairs_add (words, "q", search->q);
		url = px_web_search_link (words);
		json_object_set_string_member (active, "clear_url", url);
	}
	json_object_set_array_member (active, "items", items);
	json_object_set_object_member (content, "active", g_steal_pointer (&active));
}

static void
px_web_search_render_result (PxWebSearch *search, PxResponse *response, JsonObject *content,
			     const PxSearchResult *result)
{
	PxWebRequest *request = search->request;
	const PxSearchRequest *shown = search->shown;
	/* what every link keeps: a change of the search goes back to its first page */
	g_autoptr (GPtrArray) sorted =
	    px_web_search_pairs (shown, PX_WEB_SEARCH_QUERY_SORT | PX_WEB_SEARCH_QUERY_PER_PAGE);
	g_autoptr (GPtrArray) paged =
	    px_web_search_pairs (shown, PX_WEB_SEARCH_QUERY_SORT | PX_WEB_SEARCH_QUERY_PAGING);
	JsonArray *facets = px_web_search_facets (request, shown, result, sorted);

	px_web_search_add_active (request, content, shown, sorted);
	if (json_array_get_length (facets) > 0) {
		g_autoptr (JsonObject) filters = json_object_new ();
		json_object_set_array_member (filters, "facets", facets);
		json_object_set_object_member (content, "filters", g_steal_pointer (&filters));
	} else {
		json_array_unref (facets);
	}
	json_object_set_array_member (content, "results", px_web_search_hits (request, result));
	json_object_set_boolean_member (content, "has_results", result->hits->len > 0);
	json_object_set_boolean_member (content, "no_hits", result->hits->len == 0);
	json_object_set_boolean_member (content, "only_partial",
					result->total == 0 && result->hits->len > 0);
	px_web_search_add_heading (request, content, shown, result,
				   json_object_has_member (content, "active"));
	px_web_search_sorting (request, content, shown, sorted);
	px_web_search_pagination (content, shown, result, paged);
	px_web_search_suggestions (content, search, result, sorted);
	json_object_set_array_member (content, "kept", px_web_search_kept (sorted));
	px_web_search_links (request, content, shown);
	px_web_page_render (
	    request, response, SOUP_STATUS_OK, "search",
	    shown->q != NULL ? shown->q : px_web_request_gettext (request, "Search good practices"),
	    content);
}

/* Returns: (transfer none): what the page calls parameter @name */
static const char *
px_web_search_parameter_label (PxWebRequest *request, const char *name)
{
	if (g_str_equal (name, "q"))
		return px_web_request_gettext (request, "Words to search for");
	if (g_str_equal (name, "year_from"))
		return px_web_request_gettext (request, "From year");
	if (g_str_equal (name, "year_to"))
		return px_web_request_gettext (request, "To year");
	if (g_str_equal (name, "page"))
		return px_web_request_gettext (request, "Page");
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		if (g_str_equal (name, px_facets_get_name ((PxFacet)f)))
			return px_web_search_facet_label (request, (PxFacet)f);
	}
	return name;
}

/* wrong parameters: the page with the box and what is wrong, 400 */
static void
px_web_search_render_errors (PxWebSearch *search, PxResponse *response, JsonObject *content)
{
	PxWebRequest *request = search->request;
	const char *q = px_web_request_param (request, "q");
	JsonArray *errors = json_array_new ();

	for (guint i = 0; i < search->errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (search->errors, i);
		JsonObject *item = json_object_new ();
		g_autofree char *text = g_strdup_printf (
		    "%s (%s): %s", px_web_search_parameter_label (request, error->field),
		    error->field, error->message);

		json_object_set_string_member (item, "message", text);
		json_array_add_object_element (errors, item);
	}
	if (q != NULL && g_utf8_validate (q, -1, NULL))
		json_object_set_string_member (content, "q", q);
	json_object_set_array_member (content, "errors", errors);
	json_object_set_boolean_member (content, "has_errors", TRUE);
	px_web_page_render (request, response, SOUP_STATUS_BAD_REQUEST, "search",
			    px_web_request_gettext (request, "Search good practices"), content);
}

/* A visitor's page is kept as "TOKEN\nPAGE": the one thing in it made for the request is the
 * forms' token (the subscribe form's), replaced by a fresh one at each answer from the cache */
static void
px_web_search_remember (PxWebSearch *search, const PxResponse *response,
			const PxSearchResult *result)
{
	PxWebRequest *request = search->request;
	g_autoptr (GByteArray) kept = NULL;
	g_autoptr (GBytes) bytes = NULL;
	gsize length;
	const guint8 *page;

	if (search->renderer == NULL || request->user != NULL || response->status != SOUP_STATUS_OK)
		return;
	page = g_bytes_get_data (response->body, &length);
	kept = g_byte_array_sized_new (strlen (request->csrf) + 1 + length);
	g_byte_array_append (kept, (const guint8 *)request->csrf, strlen (request->csrf));
	g_byte_array_append (kept, (const guint8 *)"\n", 1);
	g_byte_array_append (kept, page, length);
	bytes = g_byte_array_free_to_bytes (g_steal_pointer (&kept));
	px_search_index_remember (request->web->search, search->renderer, search->run, result,
				  bytes);
}

/* Returns: (transfer full): the form field that carries the @length bytes of @token, as the
 * templates write it */
static char *
px_web_search_csrf_field (const char *token, gsize length)
{
	return g_strdup_printf ("name=\"csrf\" value=\"%.*s\"", (int)length, token);
}

/* answers @request with @kept (px_web_search_remember), its token replaced by the request's;
 * FALSE, nothing answered, when @kept is not such a page */
static gboolean
px_web_search_respond_kept (PxWebRequest *request, SoupServerMessage *message, GBytes *kept)
{
	PxResponse response = {0};
	gsize length;
	const char *data = g_bytes_get_data (kept, &length);
	const char *end = memchr (data, '\n', length);
	g_autofree char *kept_field = NULL;
	g_autofree char *field = NULL;
	g_autoptr (GString) page = NULL;

	if (end == NULL)
		return FALSE;
	/* the token in its form field only: a search for the token's text keeps its words */
	kept_field = px_web_search_csrf_field (data, end - data);
	field = px_web_search_csrf_field (request->csrf, strlen (request->csrf));
	page = g_string_new_len (end + 1, length - (end + 1 - data));
	g_string_replace (page, kept_field, field, 0);
	px_web_page_respond_html (request, &response, SOUP_STATUS_OK,
				  g_string_free_to_bytes (g_steal_pointer (&page)));
	px_server_respond (message, &response);
	return TRUE;
}

static void
px_web_search_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebSearch *search = data;
	PxWebRequest *request = search->request;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxSearchResult) result = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin (request, store, response))
		return;
	if (search->shown == NULL) {
		px_web_search_render_errors (search, response, content);
		return;
	}
	if (search->shown->q != NULL)
		json_object_set_string_member (content, "q", search->shown->q);
	result = px_search_run (request->web->search, store, search->run, &error);
	if (result == NULL && g_error_matches (error, PX_ERROR, PX_ERROR_INVALID)) {
		px_field_errors_add (search->errors, "q", "%s", error->message);
		px_web_search_render_errors (search, response, content);
		return;
	}
	if (result == NULL) {
		px_web_page_error (
		    request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
		    px_web_request_gettext (request, "The search took too long or the server is "
						     "busy. Please try again in a moment."));
		return;
	}
	px_web_search_render_result (search, response, content, result);
	px_web_search_remember (search, response, result);
}

static void
px_web_search_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWeb *web = user_data;
	PxWebRequest *request = px_web_request_new (web, message, id);
	g_autoptr (PxWebSearch) search = NULL;

	if (request == NULL)
		return;
	search = g_new0 (PxWebSearch, 1);
	search->request = request;
	search->errors = px_field_errors_new ();
	if (px_web_search_parse (request, &search->shown, &search->run, search->errors) &&
	    px_web_request_begin_visitor (request)) {
		g_autoptr (GBytes) kept = NULL;

		search->renderer = g_strjoin ("\x1f", "web-page", request->language,
					      request->base_url, request->path_and_query, NULL);
		kept = px_search_index_lookup (web->search, search->renderer, search->run);
		if (kept != NULL && px_web_search_respond_kept (request, message, kept))
			return;
	}
	px_server_defer (web->server, message, FALSE, px_web_search_work, g_steal_pointer (&search),
			 (GDestroyNotify)px_web_search_free);
}

void
px_web_search_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/", "GET, HEAD", px_web_search_cb, web);
}
