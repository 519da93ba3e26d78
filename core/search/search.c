/* search.c: a search from parameters to a typed result: the request, the query (query.c), the
 * full-text hits (FTS5, bm25), filters and facets (facets.c), snippets (snippet.c) and "did you
 * mean" (suggest.c); no rendering (the API and the CLI render results their own ways). A search
 * reads one snapshot: everything happens in one read transaction, and the facet snapshot
 * (snapshot.c) and the cached answers (cache.c) are tagged with the change counter of the snapshot
 * they came from. */
#define G_LOG_DOMAIN "PxSearch"

#include <string.h>

#include "cache.h"
#include "hits.h"
#include "model/country.h"
#include "model/focus.h"
#include "model/language.h"
#include "query.h"
#include "search-private.h"
#include "search.h"
#include "snapshot.h"
#include "snippet.h"
#include "suggest.h"
#include "util/error.h"
#include "util/form.h"

#define PX_FILTER_MAX_VALUES 50
#define PX_PAGE_MAX 1000
#define PX_PER_PAGE_MAX 100
#define PX_PER_PAGE_DEFAULT 20
#define PX_RANK_ALL_MAX 4000
#define PX_SNIPPET_WORDS 24

struct _PxSearchIndex {
	PxSnapshot *snapshot;
	PxCache *cache;
	/* set once */
	gint64 timeout_us;
	PxSearchHookFunc hook;
	gpointer hook_data;
	PxStore *watch; /* px_search_index_lookup's alone, on one thread; busy_timeout 0 */
};

void
px_search_request_free (PxSearchRequest *request)
{
	if (request == NULL)
		return;
	g_free (request->q);
	px_facets_filters_clear (&request->filters);
	g_clear_pointer (&request->within, g_array_unref);
	g_free (request);
}

/* Returns: TRUE if @value (trimmed; normalised in place) may filter by @facet, else FALSE after
 * adding why to @errors */
static gboolean
px_search_check_value (PxFacet facet, const char *name, char *value, GPtrArray *errors)
{
	g_autofree char *areas = NULL;

	if (value[0] == '\0' || g_utf8_strlen (value, -1) > 200) {
		px_field_errors_add (errors, name, "must be between 1 and 200 characters");
		return FALSE;
	}
	if (facet == PX_FACET_COUNTRY && !px_country_normalize (value)) {
		px_field_errors_add (errors, name, "must be an ISO 3166-1 alpha-2 code such as SE");
		return FALSE;
	}
	if (facet == PX_FACET_FOCUS && px_focus_area_index (value) < 0) {
		areas = px_focus_area_list ("or");
		px_field_errors_add (errors, name, "must be %s", areas);
		return FALSE;
	}
	if (facet == PX_FACET_LANGUAGE && !px_language_tag_is_valid (value)) {
		px_field_errors_add (errors, name, "must be a language tag such as sv");
		return FALSE;
	}
	return TRUE;
}

static gboolean
px_search_parse_uint (const char *name, const char *value, guint min, guint max, guint *out,
		      GPtrArray *errors)
{
	guint64 number;

	if (!g_ascii_string_to_unsigned (value, 10, min, max, &number, NULL)) {
		px_field_errors_add (errors, name, "must be a whole number from %u to %u", min,
				     max);
		return FALSE;
	}
	*out = (guint)number;
	return TRUE;
}

static void
px_search_parse_pair (PxSearchRequest *request, const PxFormPair *pair, GPtrArray *errors)
{
	const char *name = pair->name;
	guint year;

	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray **values = &request->filters.values[f];
		g_autofree char *value = NULL;

		if (!g_str_equal (name, px_facets_get_name ((PxFacet)f)))
			continue;
		value = g_strstrip (g_strdup (pair->value));
		if (!px_search_check_value ((PxFacet)f, name, value, errors))
			return;
		if (*values == NULL)
			*values = g_ptr_array_new_with_free_func (g_free);
		if ((*values)->len >= PX_FILTER_MAX_VALUES) {
			px_field_errors_add (errors, name, "is given more than %d times",
					     PX_FILTER_MAX_VALUES);
			return;
		}
		g_ptr_array_add (*values, g_steal_pointer (&value));
		return;
	}
	if (g_str_equal (name, "q")) {
		g_free (request->q);
		request->q = g_strdup (pair->value);
	} else if (g_str_equal (name, "sort")) {
		if (g_str_equal (pair->value, "relevance"))
			request->sort = PX_SORT_RELEVANCE;
		else if (g_str_equal (pair->value, "newest"))
			request->sort = PX_SORT_NEWEST;
		else
			px_field_errors_add (errors, name, "must be relevance or newest");
	} else if (g_str_equal (name, "page")) {
		px_search_parse_uint (name, pair->value, 1, PX_PAGE_MAX, &request->page, errors);
	} else if (g_str_equal (name, "per_page")) {
		px_search_parse_uint (name, pair->value, 1, PX_PER_PAGE_MAX, &request->per_page,
				      errors);
	} else if (g_str_equal (name, "year_from")) {
		if (px_search_parse_uint (name, pair->value, PX_PRACTICE_YEAR_MIN,
					  PX_PRACTICE_YEAR_MAX, &year, errors))
			request->filters.year_from = (gint)year;
	} else if (g_str_equal (name, "year_to")) {
		if (px_search_parse_uint (name, pair->value, PX_PRACTICE_YEAR_MIN,
					  PX_PRACTICE_YEAR_MAX, &year, errors))
			request->filters.year_to = (gint)year;
	}
	/* other names are ignored, as a client's cache-busting parameter should be */
}

PxSearchRequest *
px_search_request_parse (GPtrArray *pairs, GPtrArray *errors)
{
	g_autoptr (PxSearchRequest) request = g_new0 (PxSearchRequest, 1);
	guint before = errors->len;
	gboolean sort_given = FALSE;

	request->page = 1;
	request->per_page = PX_PER_PAGE_DEFAULT;
	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);
		sort_given = sort_given || g_str_equal (pair->name, "sort");
		px_search_parse_pair (request, pair, errors);
	}
	if (request->q != NULL) {
		g_strstrip (request->q);
		if (g_utf8_strlen (request->q, -1) > PX_QUERY_MAX_CHARS)
			px_field_errors_add (errors, "q", "is too long (at most %d characters)",
					     PX_QUERY_MAX_CHARS);
		if (request->q[0] == '\0')
			g_clear_pointer (&request->q, g_free);
	}
	if (request->filters.year_from != 0 && request->filters.year_to != 0 &&
	    request->filters.year_from > request->filters.year_to)
		px_field_errors_add (errors, "year_from", "must not be after year_to");
	if (!sort_given)
		request->sort = request->q != NULL ? PX_SORT_RELEVANCE : PX_SORT_NEWEST;
	if (errors->len > before)
		return NULL;
	return g_steal_pointer (&request);
}

/* g_ptr_array_sort() passes pointers to the elements */
static gint
px_search_compare_texts (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static void
px_search_request_append_key (const PxSearchRequest *request, GString *key)
{
	g_string_append_printf (key, "q=%s\x1fsort=%d\x1fpage=%u\x1fper_page=%u\x1fyears=%d-%d",
				request->q != NULL ? request->q : "", request->sort, request->page,
				request->per_page, request->filters.year_from,
				request->filters.year_to);
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = request->filters.values[f];
		g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

		for (guint v = 0; values != NULL && v < values->len; v++)
			g_ptr_array_add (sorted, g_ptr_array_index (values, v));
		g_ptr_array_sort (sorted, px_search_compare_texts);
		g_string_append_printf (key, "\x1f%s=", px_facets_get_name ((PxFacet)f));
		for (guint v = 0; v < sorted->len; v++)
			g_string_append_printf (key, "%s\x1e",
						(const char *)g_ptr_array_index (sorted, v));
	}
	if (request->within == NULL)
		return;
	g_string_append (key, "\x1fwithin=");
	for (guint i = 0; i < request->within->len; i++)
		g_string_append_printf (key, "%" G_GINT64_FORMAT ",",
					g_array_index (request->within, gint64, i));
}

char *
px_search_request_to_key (const PxSearchRequest *request)
{
	GString *key = g_string_new (NULL);

	px_search_request_append_key (request, key);
	return g_string_free (key, FALSE);
}

static void
px_search_query_append (GString *query, const char *name, const char *value)
{
	g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

	g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
}

char *
px_search_request_to_query (const PxSearchRequest *request)
{
	GString *query = g_string_new (NULL);

	if (request->q != NULL)
		px_search_query_append (query, "q", request->q);
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = request->filters.values[f];
		g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

		for (guint v = 0; values != NULL && v < values->len; v++)
			g_ptr_array_add (sorted, g_ptr_array_index (values, v));
		g_ptr_array_sort (sorted, px_search_compare_texts);
		for (guint v = 0; v < sorted->len; v++) {
			const char *value = g_ptr_array_index (sorted, v);

			/* a value given twice filters as once */
			if (v > 0 && g_str_equal (value, g_ptr_array_index (sorted, v - 1)))
				continue;
			px_search_query_append (query, px_facets_get_name ((PxFacet)f), value);
		}
	}
	if (request->filters.year_from != 0)
		g_string_append_printf (query, "%syear_from=%d", query->len > 0 ? "&" : "",
					request->filters.year_from);
	if (request->filters.year_to != 0)
		g_string_append_printf (query, "%syear_to=%d", query->len > 0 ? "&" : "",
					request->filters.year_to);
	return g_string_free (query, FALSE);
}

/* Returns: (transfer full): the cache key of @renderer's rendering of @request's result */
static char *
px_search_index_get_key (const char *renderer, const PxSearchRequest *request)
{
	GString *key = g_string_new (renderer);

	g_string_append_c (key, '\x1d');
	px_search_request_append_key (request, key);
	return g_string_free (key, FALSE);
}

PxSearchIndex *
px_search_index_new (const PxConfig *config, GError **error)
{
	g_autoptr (PxSearchIndex) index = g_new0 (PxSearchIndex, 1);

	index->snapshot = px_snapshot_new ();
	index->cache = px_cache_new (config->cache_bytes);
	index->timeout_us = (gint64)config->request_timeout_ms * 1000;
	/* the main loop reads the generation here: a locked database must be a miss, not a wait */
	index->watch = px_store_open (config->db_path, PX_STORE_READ_ONLY, 0, error);
	if (index->watch == NULL)
		return NULL;
	return g_steal_pointer (&index);
}

void
px_search_index_free (PxSearchIndex *index)
{
	if (index == NULL)
		return;
	px_store_free (index->watch);
	px_snapshot_free (index->snapshot);
	px_cache_free (index->cache);
	g_free (index);
}

void
px_search_index_set_hook (PxSearchIndex *index, PxSearchHookFunc hook, gpointer user_data)
{
	index->hook = hook;
	index->hook_data = user_data;
}

gsize
px_search_index_get_cache_size (PxSearchIndex *index)
{
	return px_cache_get_size (index->cache);
}

GBytes *
px_search_index_lookup (PxSearchIndex *index, const char *renderer, const PxSearchRequest *request)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *key = NULL;
	guint64 generation = 0;

	if (px_cache_get_capacity (index->cache) == 0)
		return NULL;
	/* outside the lock: a worker never makes this wait, nor does this make a worker wait */
	if (!px_store_get_generation (index->watch, &generation, &error)) {
		g_debug ("cannot read the generation, a cache miss: %s", error->message);
		return NULL;
	}
	key = px_search_index_get_key (renderer, request);
	return px_cache_lookup (index->cache, key, generation);
}

void
px_search_index_remember (PxSearchIndex *index, const char *renderer,
			  const PxSearchRequest *request, const PxSearchResult *result,
			  GBytes *bytes)
{
	g_autofree char *key = NULL;

	if (px_cache_get_capacity (index->cache) == 0)
		return;
	key = px_search_index_get_key (renderer, request);
	px_cache_remember (index->cache, key, result->generation, bytes);
}

/* Returns: (transfer full): the facet snapshot of the transaction @reader has open */
static PxFacets *
px_search_index_facets_now (PxSearchIndex *index, PxStore *reader, guint64 *generation,
			    GError **error)
{
	if (!px_store_get_generation (reader, generation, error))
		return NULL;
	return px_snapshot_ensure_facets (index->snapshot, reader, *generation, error);
}

PxFacets *
px_search_index_ensure_facets (PxSearchIndex *index, PxStore *reader, GError **error)
{
	guint64 generation = 0;
	PxFacets *facets;

	if (!px_store_begin_read (reader, error))
		return NULL;
	facets = px_search_index_facets_now (index, reader, &generation, error);
	px_store_rollback (reader);
	return facets;
}

gboolean
px_search_check_deadline (PxStore *reader, GError **error)
{
	if (!px_store_deadline_passed (reader))
		return TRUE;
	g_set_error_literal (error, PX_ERROR, PX_ERROR_TIMEOUT, "the search ran past its deadline");
	return FALSE;
}

/* gives each of @hits that @fts also finds that one's score (-1 when unranked); others keep 0,
 * after all scored ones */
static gboolean
px_search_score_from (PxStore *reader, const char *fts, gboolean ranked, GArray *hits,
		      GError **error)
{
	g_autoptr (GArray) scored = px_hits_find (reader, fts, ranked, error);

	if (scored == NULL)
		return FALSE;
	/* both lists come from FTS5 in rowid order: walk them side by side */
	for (guint i = 0, h = 0; i < scored->len && h < hits->len; i++) {
		const PxHit *found = &g_array_index (scored, PxHit, i);

		while (h < hits->len && g_array_index (hits, PxHit, h).id < found->id)
			h++;
		if (h < hits->len && g_array_index (hits, PxHit, h).id == found->id)
			g_array_index (hits, PxHit, h).score = ranked ? found->score : -1;
	}
	return TRUE;
}

/* bm25 costs about 2 µs a hit, so it ranks up to PX_RANK_ALL_MAX hits; a query that common
 * (its words are in most practices) puts the practices with them in the title first instead,
 * each group newest first */
static gboolean
px_search_score (PxStore *reader, const char *fts, GArray *hits, GError **error)
{
	g_autofree char *in_title = NULL;

	if (hits->len <= PX_RANK_ALL_MAX)
		return px_search_score_from (reader, fts, TRUE, hits, error);
	in_title = g_strdup_printf ("{title} : (%s)", fts);
	return px_search_score_from (reader, in_title, FALSE, hits, error);
}

static void
px_search_hit_free (PxSearchHit *hit)
{
	px_practice_free (hit->practice);
	px_snippet_text_free (hit->title);
	px_snippet_text_free (hit->snippet);
	g_free (hit);
}

void
px_search_result_free (PxSearchResult *result)
{
	if (result == NULL)
		return;
	g_clear_pointer (&result->hits, g_ptr_array_unref);
	for (guint f = 0; f < PX_FACET_N; f++)
		g_clear_pointer (&result->facets[f], g_array_unref);
	g_clear_pointer (&result->suggestions, g_ptr_array_unref);
	px_facets_unref (result->facet_values);
	g_free (result);
}

/* Returns: (transfer full): the hit of @practice (taken): with @snippet (nullable), the title
 * and the excerpt where the query's words are, else the summary's start; else the summary */
static PxSearchHit *
px_search_hit_new (PxSnippet *snippet, PxPractice *practice)
{
	PxSearchHit *hit = g_new0 (PxSearchHit, 1);

	hit->practice = practice;
	if (snippet == NULL) {
		hit->snippet = px_snippet_text_new (practice->summary);
		return hit;
	}
	hit->title = px_snippet_cut_text (snippet, practice->title, practice->language, 0);
	hit->snippet =
	    px_snippet_cut_text (snippet, practice->summary, practice->language, PX_SNIPPET_WORDS);
	if (hit->snippet->ranges->len == 0 && practice->body != NULL) {
		g_autoptr (PxSnippetText) in_body = px_snippet_cut_text (
		    snippet, practice->body, practice->language, PX_SNIPPET_WORDS);
		if (in_body->ranges->len > 0) {
			px_snippet_text_free (hit->snippet);
			hit->snippet = g_steal_pointer (&in_body);
		}
	}
	return hit;
}

static gboolean
px_search_add_hits (PxStore *reader, const PxQuery *query, GArray *ids, gboolean partial,
		    GPtrArray *hits, GError **error)
{
	g_autoptr (PxSnippet) snippet =
	    query != NULL ? px_snippet_new (px_store_ensure_words (reader), query) : NULL;

	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index (ids, gint64, i);
		g_autoptr (GError) local_error = NULL;
		g_autoptr (PxPractice) practice = NULL;
		PxSearchHit *hit;

		if (!px_search_check_deadline (reader, error))
			return FALSE;
		practice = px_records_get (reader, id, &local_error);
		/* the page comes from the same snapshot, so this cannot happen unless a write went
		 * past the change counter; one row must not fail the whole search */
		if (g_error_matches (local_error, PX_ERROR, PX_ERROR_NOT_FOUND) ||
		    (practice != NULL && practice->status != PX_STATUS_PUBLISHED)) {
			g_warning ("practice %" G_GINT64_FORMAT " is not published in the snapshot "
				   "that chose it: left out",
				   id);
			continue;
		}
		if (practice == NULL) {
			g_propagate_error (error, g_steal_pointer (&local_error));
			return FALSE;
		}
		hit = px_search_hit_new (snippet, g_steal_pointer (&practice));
		hit->partial = partial;
		g_ptr_array_add (hits, hit);
	}
	return TRUE;
}

/* Returns: (transfer full): the hits of @hits whose ids @before lacks (both in rowid order) */
static GArray *
px_search_hits_without (GArray *hits, GArray *before)
{
	GArray *fresh = g_array_new (FALSE, FALSE, sizeof (PxHit));

	for (guint i = 0, b = 0; i < hits->len; i++) {
		const PxHit *hit = &g_array_index (hits, PxHit, i);

		while (b < before->len && g_array_index (before, PxHit, b).id < hit->id)
			b++;
		if (b < before->len && g_array_index (before, PxHit, b).id == hit->id)
			continue;
		g_array_append_val (fresh, *hit);
	}
	return fresh;
}

/* Returns: (transfer full): the hits of @hits (nullable: every practice, unscored) whose ids
 * @within has (both in ascending order of id) */
static GArray *
px_search_hits_within (GArray *hits, GArray *within)
{
	GArray *kept = g_array_new (FALSE, FALSE, sizeof (PxHit));

	for (guint w = 0, h = 0; w < within->len; w++) {
		PxHit hit = {g_array_index (within, gint64, w), 0};

		if (hits != NULL) {
			while (h < hits->len && g_array_index (hits, PxHit, h).id < hit.id)
				h++;
			if (h == hits->len || g_array_index (hits, PxHit, h).id != hit.id)
				continue;
			hit.score = g_array_index (hits, PxHit, h).score;
		}
		g_array_append_val (kept, hit);
	}
	return kept;
}

/* appends to @ids, up to @room of them, the practices that match the partial expressions of
 * @query (query.h: all required terms but the last, then all but the last two...) and no
 * expression before: @full holds the full matches' hits. Each level is filtered and ordered as
 * the request asks, and comes after the levels before it. */
static gboolean
px_search_add_partial (PxStore *reader, PxFacets *facets, const PxSearchRequest *request,
		       const PxQuery *query, GArray *full, guint room, GArray *ids, GError **error)
{
	gboolean by_score = request->sort == PX_SORT_RELEVANCE;
	g_autoptr (GArray) before = g_array_ref (full);

	for (guint i = 0; i < query->partial->len && ids->len < room; i++) {
		const char *fts = g_ptr_array_index (query->partial, i);
		g_autoptr (GArray) hits = NULL;
		g_autoptr (GArray) fresh = NULL;
		g_autoptr (PxSelection) selection = NULL;

		if (!px_search_check_deadline (reader, error))
			return FALSE;
		hits = px_hits_find (reader, fts, FALSE, error);
		if (hits == NULL)
			return FALSE;
		/* each level holds the one before it: only what is new to it counts */
		fresh = px_search_hits_without (hits, before);
		if (by_score && !px_search_score (reader, fts, fresh, error))
			return FALSE;
		selection = px_facets_select (facets, &request->filters, fresh, by_score, 0,
					      room - ids->len);
		g_array_append_vals (ids, selection->page->data, selection->page->len);
		g_array_unref (before);
		before = g_steal_pointer (&hits);
	}
	return TRUE;
}

static PxSearchResult *
px_search_build (PxSearchIndex *index, PxStore *reader, PxFacets *facets,
		 const PxSearchRequest *request, GError **error)
{
	g_autoptr (PxQuery) query = NULL;
	g_autoptr (GArray) hits = NULL;
	g_autoptr (GArray) partial = g_array_new (FALSE, FALSE, sizeof (gint64));
	g_autoptr (PxSelection) selection = NULL;
	g_autoptr (PxSearchResult) result = g_new0 (PxSearchResult, 1);
	guint offset = (request->page - 1) * request->per_page;

	if (request->q != NULL) {
		query = px_query_translate_in (
		    request->q, px_facets_get_languages (facets, &request->filters), error);
		if (query == NULL)
			return NULL;
	}
	if (query != NULL && query->fts != NULL) {
		hits = px_hits_find (reader, query->fts, FALSE, error);
		if (hits == NULL || (request->sort == PX_SORT_RELEVANCE &&
				     !px_search_score (reader, query->fts, hits, error)))
			return NULL;
	}
	if (request->within != NULL) {
		GArray *within = px_search_hits_within (hits, request->within);

		g_clear_pointer (&hits, g_array_unref);
		hits = within;
	}
	if (!px_search_check_deadline (reader, error))
		return NULL;
	selection = px_facets_select (facets, &request->filters, hits,
				      request->sort == PX_SORT_RELEVANCE && hits != NULL, offset,
				      request->per_page);
	/* partial matches fill the page on which the full matches end (the first when there are
	 * none), so they never add a page nor move a full match to another */
	if (hits != NULL && query != NULL && request->within == NULL &&
	    selection->page->len < request->per_page &&
	    (selection->total == 0 ? request->page == 1 : offset < selection->total) &&
	    !px_search_add_partial (reader, facets, request, query, hits,
				    request->per_page - selection->page->len, partial, error))
		return NULL;
	if (selection->total < PX_SUGGEST_BELOW && query != NULL && query->words->len > 0 &&
	    request->within == NULL) {
		result->suggestions =
		    px_suggest_find (reader, facets, &request->filters, query, error);
		if (result->suggestions == NULL)
			return NULL;
	} else {
		result->suggestions = g_ptr_array_new_with_free_func (g_free);
	}
	if (index->hook != NULL)
		index->hook (index->hook_data);
	result->total = selection->total;
	result->page = request->page;
	result->per_page = request->per_page;
	result->facet_values = px_facets_ref (facets);
	result->hits = g_ptr_array_new_with_free_func ((GDestroyNotify)px_search_hit_free);
	if (!px_search_add_hits (reader, hits != NULL ? query : NULL, selection->page, FALSE,
				 result->hits, error) ||
	    (partial->len > 0 &&
	     !px_search_add_hits (reader, query, partial, TRUE, result->hits, error)))
		return NULL;
	for (guint f = 0; f < PX_FACET_N; f++)
		result->facets[f] = px_facets_selection_get_counts (selection, (PxFacet)f);
	if (!px_search_check_deadline (reader, error))
		return NULL;
	return g_steal_pointer (&result);
}

/* the whole search in one read transaction: the generation read first fixes the snapshot that
 * the facets, the hits, the suggestions and the rows all come from */
static PxSearchResult *
px_search_read (PxSearchIndex *index, PxStore *reader, const PxSearchRequest *request,
		GError **error)
{
	g_autoptr (PxFacets) facets = NULL;
	guint64 generation = 0;
	PxSearchResult *result;

	if (!px_store_begin_read (reader, error))
		return NULL;
	facets = px_search_index_facets_now (index, reader, &generation, error);
	result = facets != NULL ? px_search_build (index, reader, facets, request, error) : NULL;
	px_store_rollback (reader);
	if (result != NULL)
		result->generation = generation;
	return result;
}

PxSearchResult *
px_search_run (PxSearchIndex *index, PxStore *reader, const PxSearchRequest *request,
	       GError **error)
{
	/* a deadline the caller set (from the request's arrival) stands; else the search has one */
	gboolean own_deadline = px_store_get_deadline (reader) == 0;
	PxSearchResult *result;

	if (own_deadline)
		px_store_set_deadline (reader, g_get_monotonic_time () + index->timeout_us);
	result = px_search_read (index, reader, request, error);
	if (own_deadline)
		px_store_set_deadline (reader, 0);
	return result;
}
