/* search.c: a search from parameters to JSON: the query (query.c), the full-text hits (FTS5,
 * bm25), filters and facets (facets.c), snippets, "did you mean", and the result cache. A search
 * reads one snapshot: everything happens in one read transaction, and the facet snapshot and the
 * cache entries are tagged with the change counter (store.c) of the snapshot they came from. */
#define G_LOG_DOMAIN "PxSearch"

#include <string.h>

#include "model/country.h"
#include "model/focus.h"
#include "model/language.h"
#include "query.h"
#include "search-private.h"
#include "search.h"
#include "snippet.h"
#include "text/words.h"
#include "util/error.h"
#include "util/form.h"
#include "util/html.h"
#include "util/json.h"

#define PX_FILTER_MAX_VALUES 50
#define PX_PAGE_MAX 1000
#define PX_PER_PAGE_MAX 100
#define PX_PER_PAGE_DEFAULT 20
#define PX_RANK_ALL_MAX 4000
#define PX_SNIPPET_WORDS 24
#define PX_SUGGEST_BELOW 5	    /* "did you mean" when a query finds fewer hits */
#define PX_SUGGEST_CANDIDATES 16    /* close words checked against the published text, at most */
#define PX_SUGGEST_COUNT_CAP 100    /* published practices counted per candidate, at most */
#define PX_SUGGEST_CHECKS_MAX 512   /* close words checked at all, published or not */
#define PX_CACHE_ENTRY_OVERHEAD 160 /* bytes of an entry beyond its key and answer */

struct _PxSearchIndex {
	GMutex lock; /* guards the fields below it; never held across SQLite work */
	PxFacets *facets;
	guint64 facets_generation;
	guint64 latest;	      /* the newest generation a search or a lookup has seen */
	gsize cache_capacity; /* bytes */
	gsize cache_size;
	GHashTable *cache; /* key -> PxCacheEntry */
	GQueue lru;	   /* PxCacheEntry, most recent first */
	/* set once, read without the lock */
	gint64 timeout_us;
	PxSearchHookFunc hook;
	gpointer hook_data;
	PxStore *watch; /* px_search_index_lookup's alone, on one thread; busy_timeout 0 */
};

typedef struct {
	char *key;
	GBytes *bytes;
	guint64 generation; /* of the snapshot the answer was computed in */
	gsize size;	    /* what it counts against cache_capacity */
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
		return px_country_normalize (value)
			   ? NULL
			   : "must be an ISO 3166-1 alpha-2 code such as SE";
	case PX_FACET_FOCUS:
		return px_focus_area_index (value) >= 0
			   ? NULL
			   : "must be interact, participation or governance";
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
	index->cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
					      (GDestroyNotify)px_cache_entry_free);
	index->cache_capacity = config->cache_bytes;
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
	px_facets_unref (index->facets);
	/* the queue links live inside the entries, which the table frees */
	g_hash_table_unref (index->cache);
	g_mutex_clear (&index->lock);
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
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&index->lock);

	return index->cache_size;
}

static void
px_search_index_drop_locked (PxSearchIndex *index, PxCacheEntry *entry)
{
	g_queue_unlink (&index->lru, &entry->link);
	index->cache_size -= entry->size;
	g_hash_table_remove (index->cache, entry->key);
}

/* a newer generation makes every entry computed before it stale: they go at once */
static void
px_search_index_observe_locked (PxSearchIndex *index, guint64 generation)
{
	GList *link = index->lru.head;

	if (generation <= index->latest)
		return;
	index->latest = generation;
	while (link != NULL) {
		PxCacheEntry *entry = link->data;

		link = link->next;
		if (entry->generation < generation)
			px_search_index_drop_locked (index, entry);
	}
}

GBytes *
px_search_index_lookup (PxSearchIndex *index, const char *key)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GMutexLocker) locker = NULL;
	guint64 generation = 0;
	PxCacheEntry *entry;

	if (index->cache_capacity == 0)
		return NULL;
	/* outside the lock: a worker never makes this wait, nor does this make a worker wait */
	if (!px_store_get_generation (index->watch, &generation, &error)) {
		g_debug ("cannot read the generation, a cache miss: %s", error->message);
		return NULL;
	}
	if (generation == 0)
		return NULL;
	locker = g_mutex_locker_new (&index->lock);
	px_search_index_observe_locked (index, generation);
	entry = g_hash_table_lookup (index->cache, key);
	if (entry == NULL || entry->generation != generation)
		return NULL;
	g_queue_unlink (&index->lru, &entry->link);
	g_queue_push_head_link (&index->lru, &entry->link);
	return g_bytes_ref (entry->bytes);
}

static void
px_search_index_remember (PxSearchIndex *index, const char *key, guint64 generation, GBytes *bytes)
{
	gsize size = strlen (key) + g_bytes_get_size (bytes) + PX_CACHE_ENTRY_OVERHEAD;
	g_autoptr (GMutexLocker) locker = NULL;
	PxCacheEntry *entry;

	/* one answer may take at most a quarter of the cache */
	if (generation == 0 || size > index->cache_capacity / 4)
		return;
	locker = g_mutex_locker_new (&index->lock);
	px_search_index_observe_locked (index, generation);
	if (generation < index->latest)
		return;
	entry = g_hash_table_lookup (index->cache, key);
	if (entry != NULL && entry->generation >= generation)
		return;
	if (entry != NULL)
		px_search_index_drop_locked (index, entry);
	while (index->cache_size + size > index->cache_capacity)
		px_search_index_drop_locked (index, g_queue_peek_tail (&index->lru));
	entry = g_new0 (PxCacheEntry, 1);
	entry->key = g_strdup (key);
	entry->bytes = g_bytes_ref (bytes);
	entry->generation = generation;
	entry->size = size;
	entry->link.data = entry;
	g_queue_push_head_link (&index->lru, &entry->link);
	g_hash_table_insert (index->cache, entry->key, entry);
	index->cache_size += size;
}

/* Returns: (transfer full): the facet snapshot of @generation, read in @reader's open
 * transaction: the shared one when it was built at that generation, else one built now from the
 * transaction, which is then shared if it is the newest (generation 0, unknown, is never shared).
 * Two threads may build the same one at once: cheaper than one waiting on the other's SQL. */
static PxFacets *
px_search_index_facets_at (PxSearchIndex *index, PxStore *reader, guint64 generation,
			   GError **error)
{
	PxFacets *fresh;

	if (generation != 0) {
		g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&index->lock);
		if (index->facets != NULL && index->facets_generation == generation)
			return px_facets_ref (index->facets);
	}
	fresh = px_facets_load (reader, error);
	if (fresh == NULL || generation == 0)
		return fresh;
	g_mutex_lock (&index->lock);
	if (index->facets == NULL || generation > index->facets_generation) {
		px_facets_unref (index->facets);
		index->facets = px_facets_ref (fresh);
		index->facets_generation = generation;
	}
	g_mutex_unlock (&index->lock);
	return fresh;
}

/* Returns: (transfer full): the facet snapshot of the transaction @reader has open */
static PxFacets *
px_search_index_facets_now (PxSearchIndex *index, PxStore *reader, guint64 *generation,
			    GError **error)
{
	if (!px_store_get_generation (reader, generation, error))
		return NULL;
	return px_search_index_facets_at (index, reader, *generation, error);
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

/* building results is C work outside SQLite, which the progress handler cannot stop */
static gboolean
px_search_check_deadline (PxStore *reader, GError **error)
{
	if (!px_store_deadline_passed (reader))
		return TRUE;
	g_set_error_literal (error, PX_ERROR, PX_ERROR_TIMEOUT, "the search ran past its deadline");
	return FALSE;
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
	g_autoptr (GError) local_error = NULL;
	int rc;

	if (statement == NULL)
		return NULL;
	sqlite3_bind_text (statement, 1, fts, -1, SQLITE_STATIC);
	while ((rc = px_store_step (reader, statement, &local_error)) == SQLITE_ROW) {
		PxHit hit = {sqlite3_column_int64 (statement, 0),
			     sqlite3_column_double (statement, 1)};
		g_array_append_val (hits, hit);
	}
	if (rc == SQLITE_DONE)
		return g_steal_pointer (&hits);
	/* the translator writes only valid syntax; should FTS5 still refuse it (plain SQLITE_ERROR
	 * when stepping a MATCH), the user gets a 400. I/O and memory failures stay internal. */
	if (g_error_matches (local_error, PX_ERROR, PX_ERROR_INTERNAL) &&
	    px_store_get_error_code (reader) == SQLITE_ERROR) {
		g_warning ("FTS5 refused '%s': %s", fts, local_error->message);
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the query could not be searched: try plain words");
		return NULL;
	}
	g_propagate_error (error, g_steal_pointer (&local_error));
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
		gint64 id = g_array_index (ids, gint64, i);
		g_autoptr (GError) local_error = NULL;
		g_autoptr (PxPractice) practice = NULL;

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
		px_practice_to_json (practice, builder, PX_VIEW_LIST);
		if (snippet != NULL) {
			px_search_add_snippet (snippet, practice, builder);
		} else {
			g_autofree char *summary = px_html_escape (practice->summary);
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

/* Returns: @word as one FTS5 string, its quotes doubled */
static char *
px_search_quote (const char *word)
{
	g_auto (GStrv) parts = g_strsplit (word, "\"", -1);
	g_autofree char *inner = g_strjoinv ("\"\"", parts);

	return g_strdup_printf ("\"%s\"", inner);
}

/* Returns: how many practices published in @facets hold @word or a form of it, counting no
 * further than @cap (it stops at the first when @cap is 1), or -1 with @error set. Words of
 * pending and rejected practices are in the index too: they must not count. */
static gint64
px_search_count_published (PxStore *reader, PxFacets *facets, const char *word, gint64 cap,
			   GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader, "SELECT rowid FROM practices_fts WHERE practices_fts MATCH ?1", error);
	g_autofree char *quoted = px_search_quote (word);
	gint64 count = 0;
	int rc = SQLITE_DONE;

	if (statement == NULL)
		return -1;
	sqlite3_bind_text (statement, 1, quoted, -1, SQLITE_STATIC);
	while (count < cap && (rc = px_store_step (reader, statement, error)) == SQLITE_ROW) {
		if (px_facets_is_published (facets, sqlite3_column_int64 (statement, 0)))
			count++;
	}
	if (rc == SQLITE_ROW)
		sqlite3_reset (statement);
	return rc < 0 ? -1 : count;
}

typedef struct {
	char *term;
	guint distance;
} PxCandidate;

static void
px_candidate_clear (gpointer data)
{
	g_free (((PxCandidate *)data)->term);
}

static int
px_candidate_compare (gconstpointer a, gconstpointer b)
{
	const PxCandidate *left = a, *right = b;

	if (left->distance != right->distance)
		return left->distance < right->distance ? -1 : 1;
	return strcmp (left->term, right->term);
}

/* Returns: the indexed terms close to @folded (the word itself left out), closest first */
static GArray *
px_search_close_terms (PxStore *reader, const char *folded, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader, "SELECT term FROM practices_vocab WHERE term >= ?1 AND term < ?2", error);
	g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (PxCandidate));
	glong len = 0;
	g_autofree gunichar *chars = g_utf8_to_ucs4_fast (folded, -1, &len);
	const char *third = g_utf8_next_char (g_utf8_next_char (folded));
	g_autofree char *low = g_strndup (folded, third - folded);
	g_autofree char *high = g_strdup (low);
	guint limit = (guint)MIN (3, MAX (1, len / 4)) + 1;
	int rc;

	if (statement == NULL)
		return NULL;
	g_array_set_clear_func (candidates, px_candidate_clear);
	/* fts5vocab counts every term it passes: scan only the terms sharing two first letters */
	high[strlen (high) - 1]++;
	sqlite3_bind_text (statement, 1, low, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, high, -1, SQLITE_STATIC);
	while ((rc = px_store_step (reader, statement, error)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text (statement, 0);
		glong term_len = 0;
		g_autofree gunichar *term_chars = NULL;
		PxCandidate candidate;

		if (g_str_equal (term, folded) ||
		    ABS ((glong)g_utf8_strlen (term, -1) - len) >= (glong)limit)
			continue;
		term_chars = g_utf8_to_ucs4_fast (term, -1, &term_len);
		candidate.distance = px_edit_distance (chars, len, term_chars, term_len);
		if (candidate.distance >= limit)
			continue;
		candidate.term = g_strdup (term);
		g_array_append_val (candidates, candidate);
	}
	if (rc != SQLITE_DONE)
		return NULL;
	g_array_sort (candidates, px_candidate_compare);
	return g_steal_pointer (&candidates);
}

/* sets @closest to the word of the published text closest to @word (the most published
 * practices among equally close ones, then alphabetical), or to NULL if @word is published
 * itself or nothing is close. Returns: FALSE with @error set when the database fails */
static gboolean
px_search_closest_word (PxStore *reader, PxFacets *facets, const char *word, char **closest,
			GError **error)
{
	g_autofree char *folded = px_words_fold (word);
	g_autoptr (GArray) candidates = NULL;
	gint64 published, best_count = 0;
	const PxCandidate *best = NULL;

	*closest = NULL;
	if (g_utf8_strlen (folded, -1) < 3)
		return TRUE;
	published = px_search_count_published (reader, facets, word, 1, error);
	if (published != 0)
		return published > 0;
	candidates = px_search_close_terms (reader, folded, error);
	if (candidates == NULL)
		return FALSE;
	/* only candidates the published text holds use up the limit: words of pending practices
	 * must not crowd out a real suggestion (the checks stay bounded all the same) */
	for (guint i = 0, useful = 0;
	     i < candidates->len && useful < PX_SUGGEST_CANDIDATES && i < PX_SUGGEST_CHECKS_MAX;
	     i++) {
		const PxCandidate *candidate = &g_array_index (candidates, PxCandidate, i);
		gint64 count;

		/* a closer word found in the published text wins over any farther one */
		if (best != NULL && candidate->distance > best->distance)
			break;
		count = px_search_count_published (reader, facets, candidate->term,
						   PX_SUGGEST_COUNT_CAP, error);
		if (count < 0)
			return FALSE;
		if (count > 0)
			useful++;
		if (count > best_count) {
			best = candidate;
			best_count = count;
		}
	}
	*closest = best != NULL ? g_strdup (best->term) : NULL;
	return TRUE;
}

/* Returns: the published practices @q finds under @filters, or -1 with @error set */
static gint64
px_search_count (PxStore *reader, PxFacets *facets, const PxFilters *filters, const char *q,
		 GError **error)
{
	g_autoptr (PxQuery) query = px_query_translate (q, error);
	g_autoptr (GArray) hits = NULL;
	g_autoptr (PxSelection) selection = NULL;

	if (query == NULL)
		return -1;
	if (query->fts == NULL)
		return 0;
	hits = px_search_hits (reader, query->fts, FALSE, error);
	if (hits == NULL)
		return -1;
	selection = px_facets_select (facets, filters, hits, FALSE, 0, 0);
	return selection->total;
}

/* "did you mean": each unknown word replaced by its closest published word, if that finds
 * anything. Returns: (transfer full): the suggestions, or NULL with @error set */
static GPtrArray *
px_search_suggest (PxStore *reader, PxFacets *facets, const PxSearchRequest *request,
		   PxQuery *query, GError **error)
{
	g_autoptr (GPtrArray) suggestions = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GString) corrected = g_string_new (NULL);
	gboolean changed = FALSE;
	gint64 found;

	for (guint i = 0; i < query->words->len; i++) {
		const char *word = g_ptr_array_index (query->words, i);
		g_autofree char *closest = NULL;

		if (!px_search_check_deadline (reader, error) ||
		    !px_search_closest_word (reader, facets, word, &closest, error))
			return NULL;
		g_string_append_printf (corrected, "%s%s", i > 0 ? " " : "",
					closest != NULL ? closest : word);
		changed = changed || closest != NULL;
	}
	if (!changed)
		return g_steal_pointer (&suggestions);
	found = px_search_count (reader, facets, &request->filters, corrected->str, error);
	if (found < 0)
		return NULL;
	if (found > 0)
		g_ptr_array_add (suggestions, g_strdup (corrected->str));
	return g_steal_pointer (&suggestions);
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
	if (!px_search_check_deadline (reader, error))
		return NULL;
	selection = px_facets_select (facets, &request->filters, hits,
				      request->sort == PX_SORT_RELEVANCE && hits != NULL,
				      (request->page - 1) * request->per_page, request->per_page);
	if (selection->total < PX_SUGGEST_BELOW && query != NULL && query->words->len > 0) {
		suggestions = px_search_suggest (reader, facets, request, query, error);
		if (suggestions == NULL)
			return NULL;
	}
	if (index->hook != NULL)
		index->hook (index->hook_data);
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
	if (!px_search_check_deadline (reader, error))
		return NULL;
	text = px_json_builder_to_string (builder, &length);
	return g_bytes_new_take (text, length);
}

/* the whole search in one read transaction: the generation read first fixes the snapshot that
 * the facets, the hits, the suggestions and the rows all come from */
static GBytes *
px_search_read (PxSearchIndex *index, PxStore *reader, const PxSearchRequest *request,
		guint64 *generation, GError **error)
{
	g_autoptr (PxFacets) facets = NULL;
	GBytes *bytes;

	if (!px_store_begin_read (reader, error))
		return NULL;
	facets = px_search_index_facets_now (index, reader, generation, error);
	bytes = facets != NULL ? px_search_build (index, reader, facets, request, error) : NULL;
	px_store_rollback (reader);
	return bytes;
}

GBytes *
px_search_run (PxSearchIndex *index, PxStore *reader, const PxSearchRequest *request,
	       GError **error)
{
	g_autofree char *key = px_search_request_to_key (request);
	/* a deadline the caller set (from the request's arrival) stands; else the search has one */
	gboolean own_deadline = px_store_get_deadline (reader) == 0;
	guint64 generation = 0;
	GBytes *bytes;

	if (own_deadline)
		px_store_set_deadline (reader, g_get_monotonic_time () + index->timeout_us);
	bytes = px_search_read (index, reader, request, &generation, error);
	if (own_deadline)
		px_store_set_deadline (reader, 0);
	if (bytes != NULL && index->cache_capacity > 0)
		px_search_index_remember (index, key, generation, bytes);
	return bytes;
}
