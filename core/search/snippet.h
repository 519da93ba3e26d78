/* snippet.h: the excerpts of search results and the query's words in them, computed in C from
 * the stored text with the same word expansion the index uses, instead of FTS5's snippet(), which
 * re-evaluates the whole query (a scan of the long doclists of common words) for every result.
 * Plain text and byte ranges: each front end renders the highlights its own way. */
#pragma once

#include <glib.h>

#include "query.h"
#include "text/words.h"

typedef struct _PxSnippet PxSnippet;

/* Returns: (transfer full): a highlighter for the words of @query, using @words (borrowed) */
PxSnippet *px_snippet_new (PxWords *words, const PxQuery *query);
void px_snippet_free (PxSnippet *snippet);

/* one of the query's words in a snippet's text: the bytes [start, start + length) */
typedef struct {
	gsize start;
	gsize length;
} PxSnippetRange;

/* an excerpt of a text, as plain text (not escaped), and where the query's words are in it */
typedef struct {
	char *text;
	GArray *ranges;	    /* (element-type PxSnippetRange): in order, apart */
	gboolean cut_start; /* the excerpt starts after the start of the text */
	gboolean cut_end;   /* it ends before the end of the text */
} PxSnippetText;

/**
 * px_snippet_cut_text:
 * @language: (nullable): the language tag of the practice @text belongs to: its words are found
 * as the index found them there
 * @max_words: the length of the excerpt in words, 0 for the whole text
 *
 * Returns: (transfer full): the window of @max_words words of @text with the most matches (the
 * first such; the text's start when nothing matches), from its first word to its last when it
 * is cut, and the query's words in it
 */
PxSnippetText *px_snippet_cut_text (PxSnippet *snippet, const char *text, const char *language,
				    guint max_words);

/* Returns: (transfer full): all of @text, nothing matched, nothing cut */
PxSnippetText *px_snippet_text_new (const char *text);
void px_snippet_text_free (PxSnippetText *text);
/* Returns: (transfer full): @snippet as HTML: escaped, the query's words in <mark>, "…" for each
 * cut */
char *px_snippet_text_to_html (const PxSnippetText *snippet);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSnippet, px_snippet_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSnippetText, px_snippet_text_free)
