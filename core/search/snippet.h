/* snippet.h: highlighted excerpts of search results, computed in C from the stored text with the
 * same word expansion the index uses, instead of FTS5's snippet(), which re-evaluates the whole
 * query (a scan of the long doclists of common words) for every result. */
#pragma once

#include <glib.h>

#include "query.h"
#include "text/words.h"

typedef struct _PxSnippet PxSnippet;

/* Returns: (transfer full): a highlighter for the words of @query, using @words (borrowed) */
PxSnippet *px_snippet_new (PxWords *words, const PxQuery *query);
void px_snippet_free (PxSnippet *snippet);

/**
 * px_snippet_render:
 * @max_words: the length of the excerpt in words, 0 for the whole text
 * @matched: (out) (optional): whether any word of the query is in @text
 *
 * Returns: (transfer full): HTML: @text escaped, the query's words in <mark>, cut to the window
 * of @max_words with the most matches, "…" marking the cuts
 */
char *px_snippet_render (PxSnippet *snippet, const char *text, guint max_words, gboolean *matched);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSnippet, px_snippet_free)
