/* suggest.c: "did you mean". Each word of a query that the published text lacks is replaced by
 * the closest word that it holds (edit distance over the FTS5 vocabulary, counted against the
 * facet snapshot's published practices), stop words aside, and the corrected query is offered
 * if it finds any. */
#define G_LOG_DOMAIN "PxSuggest"

#include <string.h>

#include "hits.h"
#include "search.h"
#include "suggest.h"
#include "text/stopwords.h"
#include "text/words.h"

#define PX_SUGGEST_CANDIDATES 16  /* close words checked against the published text, at most */
#define PX_SUGGEST_COUNT_CAP 100  /* published practices counted per candidate, at most */
#define PX_SUGGEST_CHECKS_MAX 512 /* close words checked at all, published or not */

/* the edit distance of two short words, in characters */
static guint
px_suggest_edit_distance (const gunichar *a, glong len_a, const gunichar *b, glong len_b)
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
px_suggest_quote (const char *word)
{
	g_auto (GStrv) parts = g_strsplit (word, "\"", -1);
	g_autofree char *inner = g_strjoinv ("\"\"", parts);

	return g_strdup_printf ("\"%s\"", inner);
}

/* Returns: how many practices published in @facets the FTS5 expression @fts finds, counting no
 * further than @cap (it stops at the first when @cap is 1), or -1 with @error set. Words of
 * pending and rejected practices are in the index too: they must not count. */
static gint64
px_suggest_count_published (PxStore *reader, PxFacets *facets, const char *fts, gint64 cap,
			    GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader, "SELECT rowid FROM practices_fts WHERE practices_fts MATCH ?1", error);
	gint64 count = 0;
	int rc = SQLITE_DONE;

	if (statement == NULL)
		return -1;
	sqlite3_bind_text (statement, 1, fts, -1, SQLITE_STATIC);
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
} PxSuggestCandidate;

static void
px_suggest_candidate_clear (gpointer data)
{
	g_free (((PxSuggestCandidate *)data)->term);
}

static int
px_suggest_candidate_compare (gconstpointer a, gconstpointer b)
{
	const PxSuggestCandidate *left = a, *right = b;

	if (left->distance != right->distance)
		return left->distance < right->distance ? -1 : 1;
	return strcmp (left->term, right->term);
}

/* Returns: the indexed terms close to @folded (the word itself left out), closest first */
static GArray *
px_suggest_close_terms (PxStore *reader, const char *folded, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader, "SELECT term FROM practices_vocab WHERE term >= ?1 AND term < ?2", error);
	g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (PxSuggestCandidate));
	glong len = 0;
	g_autofree gunichar *chars = g_utf8_to_ucs4_fast (folded, -1, &len);
	const char *third = g_utf8_next_char (g_utf8_next_char (folded));
	g_autofree char *low = g_strndup (folded, third - folded);
	g_autofree char *high = g_strdup (low);
	guint limit = (guint)MIN (3, MAX (1, len / 4)) + 1;
	int rc;

	if (statement == NULL)
		return NULL;
	g_array_set_clear_func (candidates, px_suggest_candidate_clear);
	/* fts5vocab counts every term it passes: scan only the terms sharing two first letters */
	high[strlen (high) - 1]++;
	sqlite3_bind_text (statement, 1, low, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, high, -1, SQLITE_STATIC);
	while ((rc = px_store_step (reader, statement, error)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text (statement, 0);
		glong term_len = 0;
		g_autofree gunichar *term_chars = NULL;
		PxSuggestCandidate candidate;

		/* words only: a tagged stem ("@de:...") is no word to offer (and sorts before every
		 * word, outside the range) */
		if (term[0] == PX_WORDS_TAG_MARK || g_str_equal (term, folded) ||
		    ABS ((glong)g_utf8_strlen (term, -1) - len) >= (glong)limit)
			continue;
		term_chars = g_utf8_to_ucs4_fast (term, -1, &term_len);
		candidate.distance = px_suggest_edit_distance (chars, len, term_chars, term_len);
		if (candidate.distance >= limit)
			continue;
		candidate.term = g_strdup (term);
		g_array_append_val (candidates, candidate);
	}
	if (rc != SQLITE_DONE)
		return NULL;
	g_array_sort (candidates, px_suggest_candidate_compare);
	return g_steal_pointer (&candidates);
}

/* sets @closest to the word of the published text closest to @word (the most published
 * practices among equally close ones, then alphabetical), or to NULL if @word is published
 * itself or nothing is close. Returns: FALSE with @error set when the database fails */
static gboolean
px_suggest_closest_word (PxStore *reader, PxFacets *facets, const char *word, char **closest,
			 GError **error)
{
	g_autofree char *folded = px_words_fold (word);
	g_autoptr (PxQuery) as_searched = NULL;
	g_autoptr (GArray) candidates = NULL;
	gint64 published, best_count = 0;
	const PxSuggestCandidate *best = NULL;

	*closest = NULL;
	/* a stop word need not match, so it is never corrected into a word that must */
	if (g_utf8_strlen (folded, -1) < 3 || px_stopwords_contains (folded))
		return TRUE;
	/* the word as the search looks for it (with its prefix where no stemmer applies) */
	as_searched = px_query_translate_in (word, px_facets_get_languages (facets, NULL), error);
	if (as_searched == NULL)
		return FALSE;
	if (as_searched->fts == NULL)
		return TRUE;
	published = px_suggest_count_published (reader, facets, as_searched->fts, 1, error);
	if (published != 0)
		return published > 0;
	candidates = px_suggest_close_terms (reader, folded, error);
	if (candidates == NULL)
		return FALSE;
	/* only candidates the published text holds use up the limit: words of pending practices
	 * must not crowd out a real suggestion (the checks stay bounded all the same) */
	for (guint i = 0, useful = 0;
	     i < candidates->len && useful < PX_SUGGEST_CANDIDATES && i < PX_SUGGEST_CHECKS_MAX;
	     i++) {
		const PxSuggestCandidate *candidate =
		    &g_array_index (candidates, PxSuggestCandidate, i);
		gint64 count;
		g_autofree char *quoted = px_suggest_quote (candidate->term);

		/* a closer word found in the published text wins over any farther one */
		if (best != NULL && candidate->distance > best->distance)
			break;
		count = px_suggest_count_published (reader, facets, quoted, PX_SUGGEST_COUNT_CAP,
						    error);
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
px_suggest_count (PxStore *reader, PxFacets *facets, const PxFilters *filters, const char *q,
		  GError **error)
{
	g_autoptr (PxQuery) query =
	    px_query_translate_in (q, px_facets_get_languages (facets, filters), error);
	g_autoptr (GArray) hits = NULL;
	g_autoptr (PxSelection) selection = NULL;

	if (query == NULL)
		return -1;
	if (query->fts == NULL)
		return 0;
	hits = px_hits_find (reader, query->fts, FALSE, error);
	if (hits == NULL)
		return -1;
	selection = px_facets_select (facets, filters, hits, FALSE, 0, 0);
	return selection->total;
}

GPtrArray *
px_suggest_find (PxStore *reader, PxFacets *facets, const PxFilters *filters, const PxQuery *query,
		 GError **error)
{
	g_autoptr (GPtrArray) suggestions = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GString) corrected = g_string_new (NULL);
	gboolean changed = FALSE;
	gint64 found;

	for (guint i = 0; i < query->words->len; i++) {
		const char *word = g_ptr_array_index (query->words, i);
		g_autofree char *closest = NULL;

		if (!px_search_check_deadline (reader, error) ||
		    !px_suggest_closest_word (reader, facets, word, &closest, error))
			return NULL;
		g_string_append_printf (corrected, "%s%s", i > 0 ? " " : "",
					closest != NULL ? closest : word);
		changed = changed || closest != NULL;
	}
	if (!changed)
		return g_steal_pointer (&suggestions);
	found = px_suggest_count (reader, facets, filters, corrected->str, error);
	if (found < 0)
		return NULL;
	if (found > 0)
		g_ptr_array_add (suggestions, g_strdup (corrected->str));
	return g_steal_pointer (&suggestions);
}
