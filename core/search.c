/* search.c: a search from parameters to JSON: the query (query.c), the full-text hits (FTS5,
 * bm25), filters and facets (facets.c), snippets, "did you mean", and the result cache. */
#define G_LOG_DOMAIN "PxSearch"

#include <string.h>

#include "error.h"
#include "form.h"
#include "html.h"
#include "json.h"
#include "query.h"
#include "search.h"
#include "snippet.h"
#include "tokenizer.h"

#define PX_FILTER_MAX_VALUES 50
#define PX_PAGE_MAX 1000
#define PX_PER_PAGE_MAX 100
#define PX_PER_PAGE_DEFAULT 20
#define PX_RANK_ALL_MAX 4000
#define PX_SNIPPET_WORDS 24
#define PX_SUGGEST_BELOW 5 /* "did you mean" when a query finds fewer hits */

struct _PxSearchIndex {
	GMutex lock; /* guards everything below */
	PxStore *watch;
	guint64 generation;
	PxFacets *facets;
	guint64 facets_generation;
	GMutex rebuild_lock; /* one thread rebuilds the snapshot while others wait */
	gint64 timeout_us;
	guint cache_capacity;
	GHashTable *cache; /* key -> PxCacheEntry */
	GQueue lru;	   /* PxCacheEntry, most recent first */
};

typedef struct {
	char *key;
	GBytes *bytes;
	GList link;
} PxCacheEntry;

static void
px_cache_entry_free (PxCacheEntry *entry)
{
	g_free (entry->key);
	g_bytes_unref (entry->bytes);
	g_free (entry);
}

void
px_search_request_free (PxSearchRequest *request)
{
	if (request == NULL)
		return;
	g_free (request->q);
	px_filters_clear (&request->filters);
	g_free (request);
}

static const char *
px_search_check_value (PxFacet facet, char *value)
{
	if (value[0] == '\0' || g_utf8_strlen (value, -1) > 200)
		return "must be between 1 and 200 characters";
	switch (facet) {
	case PX_FACET_COUNTRY:
		if (strlen (value) != 2 || !g_ascii_isalpha (value[0]) ||
		    !g_ascii_isalpha (value[1]))
			return "must be an ISO 3166-1 alpha-2 code such as SE";
		value[0] = g_ascii_toupper (value[0]);
		value[1] = g_ascii_toupper (value[1]);
		return NULL;
	case PX_FACET_FOCUS:
		if (!g_str_equal (value, "interact") && !g_str_equal (value, "participation") &&
		    !g_str_equal (value, "governance"))
			return "must be interact, participation or governance";
		return NULL;
	case PX_FACET_LANGUAGE:
		return px_language_tag_is_valid (value) ? NULL
							: "must be a language tag such as sv";
	default:
		return NULL;
	}
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
		const char *problem;

		if (!g_str_equal (name, px_facet_name ((PxFacet)f)))
			continue;
		value = g_strstrip (g_strdup (pair->value));
		problem = px_search_check_value ((PxFacet)f, value);
		if (problem != NULL) {
			px_field_errors_add (errors, name, "%s", problem);
			return;
		}
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
		if (px_search_parse_uint (name, pair->value, 1900, 2100, &year, errors))
			request->filters.year_from = (gint)year;
	} else if (g_str_equal (name, "year_to")) {
		if (px_search_parse_uint (name, pair->value, 1900, 2100, &year, errors))
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

char *
px_search_request_to_key (const PxSearchRequest *request)
{
	GString *key = g_string_new (NULL);

	g_string_append_printf (key, "q=%s\x1fsort=%d\x1fpage=%u\x1fper_page=%u\x1fyears=%d-%d",
				request->q != NULL ? request->q : "", request->sort, request->page,
				request->per_page, request->filters.year_from,
				request->filters.year_to);
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = request->filters.values[f];
		g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

		for (guint v = 0; values != NULL && v < values->len; v++)
			g_ptr_array_add (sorted, g_ptr_array_index (values, v));
		g_ptr_array_sort (sorted, (GCompareFunc)g_strcmp0);
		g_string_append_printf (key, "\x1f%s=", px_facet_name ((PxFacet)f));
		for (guint v = 0; v < sorted->len; v++)
			g_string_append_printf (key, "%s\x1e",
						(const char *)g_ptr_array_index (sorted, v));
	}
	return g_string_free (key, FALSE);
}

PxSearchIndex *
px_search_index_new (const PxConfig *config, GError **error)
{
	g_autoptr (PxSearchIndex) index = g_new0 (PxSearchIndex, 1);

	g_mutex_init (&index->lock);
	g_mutex_init (&index->rebuild_lock);
	index->cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
					      (GDestroyNotify)px_cache_entry_free);
	index->cache_capacity = config->cache_entries;
	index->timeout_us = (gint64)config->request_timeout_ms * 1000;
	index->generation = 1;
	index->watch =
	    px_store_open (config->db_path, PX_STORE_READ_ONLY, config->busy_timeout_ms, error);
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
	px_facets_unref (index->facets);
	/* the queue links live inside the entries, which the table frees */
	g_hash_table_unref (index->cache);
	g_mutex_clear (&index->lock);
	g_mutex_clear (&index->rebuild_lock);
	g_free (index);
}

/* PRAGMA data_version changes when another connection commits; call with the lock held */
static guint64
px_search_index_refresh_locked (PxSearchIndex *index)
{
	g_autoptr (GError) error = NULL;
	sqlite3_stmt *statement = px_store_prepare (index->watch, "PRAGMA data_version", &error);
	static const gint64 unknown = -1;
	gint64 version = unknown;

	if (statement != NULL && px_store_step (index->watch, statement, &error) == SQLITE_ROW) {
		version = sqlite3_column_int64 (statement, 0);
		sqlite3_reset (statement);
	}
	if (error != NULL)
		g_warning ("cannot read the database version: %s", error->message);
	if (version == unknown || (guint64)version != (index->generation >> 1)) {
		/* the low bit keeps an unreadable version from matching any past one */
		index->generation =
		    version == unknown ? (index->generation + 2) | 1 : (guint64)version << 1;
		g_hash_table_remove_all (index->cache);
		g_queue_init (&index->lru);
	}
	return index->generation;
}

GBytes *
px_search_index_lookup (PxSearchIndex *index, const char *key)
{
	g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&index->lock);
	PxCacheEntry *entry;

	if (index->cache_capacity == 0)
		return NULL;
	px_search_index_refresh_locked (index);
	entry = g_hash_table_lookup (index->cache, key);
	if (entry == NULL)
		return NULL;
	g_queue_unlink (&index->lru, &entry->link);
	g_queue_push_head_link (&index->lru, &entry->link);
	return g_bytes_ref (entry->bytes);
}

static void
px_search_index_remember (PxSearchIndex *index, const char *key, guint64 generation, GBytes *bytes)
{
	g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&index->lock);
	PxCacheEntry *entry;

	if (index->cache_capacity == 0 || generation != index->generation ||
	    g_hash_table_contains (index->cache, key))
		return;
	while (g_hash_table_size (index->cache) >= index->cache_capacity) {
		PxCacheEntry *oldest = g_queue_peek_tail (&index->lru);
		g_queue_unlink (&index->lru, &oldest->link);
		g_hash_table_remove (index->cache, oldest->key);
	}
	entry = g_new0 (PxCacheEntry, 1);
	entry->key = g_strdup (key);
	entry->bytes = g_bytes_ref (bytes);
	entry->link.data = entry;
	g_queue_push_head_link (&index->lru, &entry->link);
	g_hash_table_insert (index->cache, entry->key, entry);
}

/* Returns: the snapshot for the current generation, rebuilt when a write made it stale */
static PxFacets *
px_search_index_facets_for (PxSearchIndex *index, PxStore *reader, guint64 *generation,
			    GError **error)
{
	g_autoptr (GMutexLocker) rebuild G_GNUC_UNUSED = g_mutex_locker_new (&index->rebuild_lock);
	PxFacets *fresh;

	g_mutex_lock (&index->lock);
	*generation = px_search_index_refresh_locked (index);
	if (index->facets != NULL && index->facets_generation == *generation) {
		PxFacets *facets = px_facets_ref (index->facets);
		g_mutex_unlock (&index->lock);
		return facets;
	}
	g_mutex_unlock (&index->lock);
	fresh = px_facets_load (reader, error);
	if (fresh == NULL)
		return NULL;
	g_mutex_lock (&index->lock);
	px_facets_unref (index->facets);
	index->facets = px_facets_ref (fresh);
	index->facets_generation = *generation;
	g_mutex_unlock (&index->lock);
	return fresh;
}

PxFacets *
px_search_index_ensure_facets (PxSearchIndex *index, PxStore *reader, GError **error)
{
	guint64 generation;

	return px_search_index_facets_for (index, reader, &generation, error);
}

/* Returns: every hit of @fts, scored when @scored */
static GArray *
px_search_hits (PxStore *reader, const char *fts, gboolean scored, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader,
	    scored ? "SELECT rowid, rank FROM practices_fts WHERE practices_fts MATCH ?1"
		   : "SELECT rowid, 0 FROM practices_fts WHERE practices_fts MATCH ?1",
	    error);
	g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (PxHit));
	int rc;

	if (statement == NULL)
		return NULL;
	sqlite3_bind_text (statement, 1, fts, -1, SQLITE_STATIC);
	while ((rc = px_store_step (reader, statement, error)) == SQLITE_ROW) {
		PxHit hit = {sqlite3_column_int64 (statement, 0),
			     sqlite3_column_double (statement, 1)};
		g_array_append_val (hits, hit);
	}
	if (rc == SQLITE_DONE)
		return g_steal_pointer (&hits);
	/* the translator writes only valid syntax; should FTS5 still refuse, the user gets a 400 */
	if (g_error_matches (*error, PX_ERROR, PX_ERROR_INTERNAL)) {
		g_warning ("FTS5 refused '%s': %s", fts, (*error)->message);
		g_clear_error (error);
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the query could not be searched: try plain words");
		return NULL;
	}
	return NULL;
}

/* gives each of @hits that @fts also finds that one's score (-1 when unranked); others keep 0,
 * after all scored ones */
static gboolean
px_search_score_from (PxStore *reader, const char *fts, gboolean ranked, GArray *hits,
		      GError **error)
{
	g_autoptr (GArray) scored = px_search_hits (reader, fts, ranked, error);

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

/* the excerpt of a result: where the query's words are, else the summary's start */
static void
px_search_add_snippet (PxSnippet *snippet, const PxPractice *practice, JsonBuilder *builder)
{
	g_autofree char *title = px_snippet_render (snippet, practice->title, 0, NULL);
	gboolean matched = FALSE;
	g_autofree char *excerpt =
	    px_snippet_render (snippet, practice->summary, PX_SNIPPET_WORDS, &matched);

	if (!matched && practice->body != NULL) {
		g_autofree char *in_body =
		    px_snippet_render (snippet, practice->body, PX_SNIPPET_WORDS, &matched);
		if (matched) {
			g_free (excerpt);
			excerpt = g_steal_pointer (&in_body);
		}
	}
	json_builder_set_member_name (builder, "snippet");
	json_builder_add_string_value (builder, excerpt);
	json_builder_set_member_name (builder, "title_html");
	json_builder_add_string_value (builder, title);
}

static gboolean
px_search_add_results (PxStore *reader, const PxQuery *query, GArray *ids, JsonBuilder *builder,
		       GError **error)
{
	g_autoptr (PxSnippet) snippet =
	    query != NULL ? px_snippet_new (px_store_ensure_words (reader), query) : NULL;

	json_builder_set_member_name (builder, "results");
	json_builder_begin_array (builder);
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr (PxPractice) practice =
		    px_store_get_practice (reader, g_array_index (ids, gint64, i), error);

		if (practice == NULL)
			return FALSE;
		px_practice_to_json (practice, builder, PX_VIEW_LIST);
		if (snippet != NULL) {
			px_search_add_snippet (snippet, practice, builder);
		} else {
			g_autofree char *summary = px_html_render_marked (practice->summary);
			json_builder_set_member_name (builder, "snippet");
			json_builder_add_string_value (builder, summary);
		}
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return TRUE;
}

/* the edit distance of two short words, in characters */
static guint
px_edit_distance (const gunichar *a, glong len_a, const gunichar *b, glong len_b)
{
	g_autofree guint *row = g_new (guint, len_b + 1);

	for (glong j = 0; j <= len_b; j++)
		row[j] = (guint)j;
	for (glong i = 1; i <= len_a; i++) {
		guint diagonal = row[0];
		row[0] = (guint)i;
		for (glong j = 1; j <= len_b; j++) {
			guint above = row[j];
			guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
			row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
			diagonal = above;
		}
	}
	return row[len_b];
}

/* Returns: TRUE if some practice (of any status) holds @word or a form of it */
static gboolean
px_search_word_is_indexed (PxStore *reader, const char *word, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader, "SELECT rowid FROM practices_fts WHERE practices_fts MATCH ?1 LIMIT 1", error);
	g_autofree char *quoted = g_strdup_printf ("\"%s\"", word);
	int rc;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_text (statement, 1, quoted, -1, SQLITE_STATIC);
	rc = px_store_step (reader, statement, error);
	sqlite3_reset (statement);
	return rc == SQLITE_ROW;
}

/* Returns: (transfer full) (nullable): the indexed word closest to @word, or NULL if @word is
 * indexed itself or nothing is close */
static char *
px_search_closest_word (PxStore *reader, const char *word, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader, "SELECT term, doc FROM practices_vocab WHERE term >= ?1 AND term < ?2", error);
	g_autofree char *folded = px_tokenizer_fold (word);
	glong len = 0;
	g_autofree gunichar *chars = g_utf8_to_ucs4_fast (folded, -1, &len);
	const char *third = len >= 3 ? g_utf8_next_char (g_utf8_next_char (folded)) : folded;
	g_autofree char *low = g_strndup (folded, third - folded);
	g_autofree char *high = g_strdup (low);
	g_autofree char *best = NULL;
	guint best_distance = (guint)MIN (3, MAX (1, len / 4)) + 1;
	gint64 best_docs = 0;
	int rc;

	if (statement == NULL || len < 3 || px_search_word_is_indexed (reader, word, error))
		return NULL;
	/* fts5vocab counts every term it passes: scan only the terms sharing two first letters */
	high[strlen (high) - 1]++;
	sqlite3_bind_text (statement, 1, low, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, high, -1, SQLITE_STATIC);
	while ((rc = px_store_step (reader, statement, error)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text (statement, 0);
		gint64 docs = sqlite3_column_int64 (statement, 1);
		glong term_len = 0;
		g_autofree gunichar *term_chars = NULL;
		guint distance;

		if (g_str_equal (term, folded)) {
			sqlite3_reset (statement);
			return NULL;
		}
		if (ABS ((glong)g_utf8_strlen (term, -1) - len) >= (glong)best_distance)
			continue;
		term_chars = g_utf8_to_ucs4_fast (term, -1, &term_len);
		distance = px_edit_distance (chars, len, term_chars, term_len);
		if (distance < best_distance || (distance == best_distance && docs > best_docs)) {
			g_free (best);
			best = g_strdup (term);
			best_distance = distance;
			best_docs = docs;
		}
	}
	return rc == SQLITE_DONE ? g_steal_pointer (&best) : NULL;
}

static guint px_search_count (PxSearchIndex *index, PxStore *reader, PxFacets *facets,
			      const PxFilters *filters, const char *q, GError **error);

/* "did you mean": each unknown word replaced by its closest indexed word, if that finds anything */
static GPtrArray *
px_search_suggest (PxSearchIndex *index, PxStore *reader, PxFacets *facets,
		   const PxSearchRequest *request, PxQuery *query, GError **error)
{
	GPtrArray *suggestions = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GString) corrected = g_string_new (NULL);
	gboolean changed = FALSE;

	for (guint i = 0; i < query->words->len; i++) {
		const char *word = g_ptr_array_index (query->words, i);
		g_autofree char *closest = px_search_closest_word (reader, word, error);

		if (error != NULL && *error != NULL)
			return suggestions;
		g_string_append_printf (corrected, "%s%s", i > 0 ? " " : "",
					closest != NULL ? closest : word);
		changed = changed || closest != NULL;
	}
	if (changed &&
	    px_search_count (index, reader, facets, &request->filters, corrected->str, error) > 0)
		g_ptr_array_add (suggestions, g_strdup (corrected->str));
	return suggestions;
}

static guint
px_search_count (PxSearchIndex *index, PxStore *reader, PxFacets *facets, const PxFilters *filters,
		 const char *q, GError **error)
{
	g_autoptr (PxQuery) query = px_query_translate (q, error);
	g_autoptr (GArray) hits = NULL;
	g_autoptr (PxSelection) selection = NULL;

	if (query == NULL || query->fts == NULL)
		return 0;
	hits = px_search_hits (reader, query->fts, FALSE, error);
	if (hits == NULL)
		return 0;
	selection = px_facets_select (facets, filters, hits, FALSE, 0, 0);
	return selection->total;
}

static GBytes *
px_search_build (PxSearchIndex *index, PxStore *reader, PxFacets *facets,
		 const PxSearchRequest *request, GError **error)
{
	g_autoptr (PxQuery) query = NULL;
	g_autoptr (GArray) hits = NULL;
	g_autoptr (PxSelection) selection = NULL;
	g_autoptr (GPtrArray) suggestions = NULL;
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	gsize length = 0;
	char *text;

	if (request->q != NULL) {
		query = px_query_translate (request->q, error);
		if (query == NULL)
			return NULL;
	}
	if (query != NULL && query->fts != NULL) {
		hits = px_search_hits (reader, query->fts, FALSE, error);
		if (hits == NULL || (request->sort == PX_SORT_RELEVANCE &&
				     !px_search_score (reader, query->fts, hits, error)))
			return NULL;
	}
	selection = px_facets_select (facets, &request->filters, hits,
				      request->sort == PX_SORT_RELEVANCE && hits != NULL,
				      (request->page - 1) * request->per_page, request->per_page);
	if (selection->total < PX_SUGGEST_BELOW && query != NULL && query->words->len > 0) {
		suggestions = px_search_suggest (index, reader, facets, request, query, error);
		if (error != NULL && *error != NULL)
			return NULL;
	}
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "total");
	json_builder_add_int_value (builder, selection->total);
	json_builder_set_member_name (builder, "page");
	json_builder_add_int_value (builder, request->page);
	json_builder_set_member_name (builder, "per_page");
	json_builder_add_int_value (builder, request->per_page);
	if (!px_search_add_results (reader, hits != NULL ? query : NULL, selection->page, builder,
				    error))
		return NULL;
	json_builder_set_member_name (builder, "facets");
	px_selection_facets_to_json (selection, builder);
	json_builder_set_member_name (builder, "suggestions");
	json_builder_begin_array (builder);
	for (guint i = 0; suggestions != NULL && i < suggestions->len; i++)
		json_builder_add_string_value (builder, g_ptr_array_index (suggestions, i));
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	text = px_json_builder_to_string (builder, &length);
	return g_bytes_new_take (text, length);
}

GBytes *
px_search_run (PxSearchIndex *index, PxStore *reader, const PxSearchRequest *request,
	       GError **error)
{
	g_autofree char *key = px_search_request_to_key (request);
	g_autoptr (PxFacets) facets = NULL;
	guint64 generation = 0;
	GBytes *bytes;

	px_store_set_deadline (reader, g_get_monotonic_time () + index->timeout_us);
	facets = px_search_index_facets_for (index, reader, &generation, error);
	bytes = facets != NULL ? px_search_build (index, reader, facets, request, error) : NULL;
	px_store_set_deadline (reader, 0);
	if (bytes != NULL)
		px_search_index_remember (index, key, generation, bytes);
	return bytes;
}
