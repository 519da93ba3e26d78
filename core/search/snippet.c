/* snippet.c: finds the words of a query in a text as the index would for the practice's language
 * (folded forms, that language's stems, prefixes where it has no stemmer) and cuts the window of
 * the text with the most of them. */
#define G_LOG_DOMAIN "PxSnippet"

#include <string.h>

#include "snippet.h"
#include "util/html.h"

struct _PxSnippet {
	PxWords *words;
	GHashTable *tokens;   /* the tokens the query looks for */
	GPtrArray *prefixes;  /* folded prefixes */
	GPtrArray *unstemmed; /* folded prefixes in practices without a stemmer */
	int language;	      /* of the text being cut (px_words_find_language) */
};

typedef struct {
	const char *start;
	gsize length;
	gboolean matched;
} PxWordSpan;

PxSnippet *
px_snippet_new (PxWords *words, const PxQuery *query)
{
	PxSnippet *snippet = g_new0 (PxSnippet, 1);

	snippet->words = words;
	snippet->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	snippet->prefixes = g_ptr_array_new_with_free_func (g_free);
	snippet->unstemmed = g_ptr_array_new_with_free_func (g_free);
	snippet->language = PX_WORDS_ANY;
	for (guint i = 0; i < query->marks->len; i++) {
		const char *tokens =
		    px_words_expand_query (words, g_ptr_array_index (query->marks, i));
		for (; *tokens != '\0'; tokens += strlen (tokens) + 1)
			g_hash_table_add (snippet->tokens, g_strdup (tokens));
	}
	for (guint i = 0; i < query->prefixes->len; i++)
		g_ptr_array_add (snippet->prefixes,
				 px_words_fold (g_ptr_array_index (query->prefixes, i)));
	for (guint i = 0; i < query->unstemmed->len; i++)
		g_ptr_array_add (snippet->unstemmed,
				 px_words_fold (g_ptr_array_index (query->unstemmed, i)));
	return snippet;
}

void
px_snippet_free (PxSnippet *snippet)
{
	if (snippet == NULL)
		return;
	g_hash_table_unref (snippet->tokens);
	g_ptr_array_unref (snippet->prefixes);
	g_ptr_array_unref (snippet->unstemmed);
	g_free (snippet);
}

/* a word matches when one of the tokens the index has for it in the practice's language is a
 * token the query looks for, or when its folded form starts with a prefix the query looks for
 * there */
static gboolean
px_snippet_word_matches (PxSnippet *snippet, const char *start, gsize length)
{
	g_autofree char *lower = g_utf8_strdown (start, (gssize)length);
	const char *tokens = px_words_expand_document (snippet->words, lower, snippet->language);
	const char *folded = tokens;

	for (guint i = 0; i < snippet->prefixes->len; i++) {
		if (g_str_has_prefix (folded, g_ptr_array_index (snippet->prefixes, i)))
			return TRUE;
	}
	for (guint i = 0; snippet->language < 0 && i < snippet->unstemmed->len; i++) {
		if (g_str_has_prefix (folded, g_ptr_array_index (snippet->unstemmed, i)))
			return TRUE;
	}
	for (const char *token = tokens; *token != '\0'; token += strlen (token) + 1) {
		if (g_hash_table_contains (snippet->tokens, token))
			return TRUE;
	}
	return FALSE;
}

static GArray *
px_snippet_split (PxSnippet *snippet, const char *text)
{
	GArray *spans = g_array_new (FALSE, FALSE, sizeof (PxWordSpan));
	const char *cursor = text;

	while (*cursor != '\0') {
		PxWordSpan span = {cursor, 0, FALSE};

		if (!px_words_is_word_char (g_utf8_get_char (cursor))) {
			cursor = g_utf8_next_char (cursor);
			continue;
		}
		while (*cursor != '\0' && px_words_is_word_char (g_utf8_get_char (cursor)))
			cursor = g_utf8_next_char (cursor);
		span.length = (gsize)(cursor - span.start);
		span.matched = px_snippet_word_matches (snippet, span.start, span.length);
		g_array_append_val (spans, span);
	}
	return spans;
}

/* Returns: the first word of the @width-word window with the most matches */
static guint
px_snippet_best_window (GArray *spans, guint width, guint *n_matched)
{
	guint best = 0, best_count = 0, count = 0;

	for (guint i = 0; i < spans->len; i++) {
		count += g_array_index (spans, PxWordSpan, i).matched;
		if (i >= width)
			count -= g_array_index (spans, PxWordSpan, i - width).matched;
		if (count > best_count) {
			best_count = count;
			best = i >= width ? i - width + 1 : 0;
		}
	}
	*n_matched = best_count;
	return best;
}

PxSnippetText *
px_snippet_text_new (const char *text)
{
	PxSnippetText *snippet_text = g_new0 (PxSnippetText, 1);

	snippet_text->text = g_strdup (text);
	snippet_text->ranges = g_array_new (FALSE, FALSE, sizeof (PxSnippetRange));
	return snippet_text;
}

void
px_snippet_text_free (PxSnippetText *text)
{
	if (text == NULL)
		return;
	g_free (text->text);
	g_array_unref (text->ranges);
	g_free (text);
}

PxSnippetText *
px_snippet_cut_text (PxSnippet *snippet, const char *text, const char *language, guint max_words)
{
	g_autoptr (GArray) spans = NULL;
	g_autoptr (PxSnippetText) cut = g_new0 (PxSnippetText, 1);
	guint n_matched = 0, first, last;
	const char *start;
	const char *end = text + strlen (text);

	snippet->language = px_words_find_language (language, -1);
	spans = px_snippet_split (snippet, text);
	first = px_snippet_best_window (spans, max_words > 0 ? max_words : G_MAXUINT, &n_matched);
	last = max_words > 0 ? MIN (spans->len, first + max_words) : spans->len;
	start = first > 0 ? g_array_index (spans, PxWordSpan, first).start : text;

	/* a cut excerpt ends with its last word, without what follows it */
	if (last < spans->len) {
		const PxWordSpan *span = &g_array_index (spans, PxWordSpan, last - 1);
		end = span->start + span->length;
	}
	cut->text = g_strndup (start, (gsize)(end - start));
	cut->ranges = g_array_sized_new (FALSE, FALSE, sizeof (PxSnippetRange), n_matched);
	cut->cut_start = first > 0;
	cut->cut_end = last < spans->len;
	for (guint i = first; i < last; i++) {
		const PxWordSpan *span = &g_array_index (spans, PxWordSpan, i);
		PxSnippetRange range = {(gsize)(span->start - start), span->length};

		if (span->matched)
			g_array_append_val (cut->ranges, range);
	}
	return g_steal_pointer (&cut);
}

char *
px_snippet_text_to_html (const PxSnippetText *snippet)
{
	GString *out = g_string_sized_new (strlen (snippet->text) + 32);
	gsize cursor = 0;

	if (snippet->cut_start)
		g_string_append (out, "…");
	for (guint i = 0; i < snippet->ranges->len; i++) {
		const PxSnippetRange *range = &g_array_index (snippet->ranges, PxSnippetRange, i);

		px_html_append_escaped_len (out, snippet->text + cursor, range->start - cursor);
		px_html_append_mark (out, snippet->text + range->start, range->length);
		cursor = range->start + range->length;
	}
	px_html_append_escaped (out, snippet->text + cursor);
	if (snippet->cut_end)
		g_string_append (out, "…");
	return g_string_free (out, FALSE);
}
