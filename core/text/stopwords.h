/* stopwords.h: the words that carry no meaning of their own (for, the, och, und, de, w): Snowball's
 * stop-word lists and short hand-kept ones for languages it has none for, embedded in the binary
 * and folded as the index folds; the query lets them go unmatched (core/search/query.c). */
#pragma once

#include <glib.h>

/**
 * px_stopwords_contains:
 * @folded: one word, folded by px_words_fold
 *
 * The lists are read and folded once per process, on the first call (under g_once), and only
 * read afterwards, so any thread may call this. An entry that is not one word as a query splits
 * words ("aren't", "ill.") is left out: a query never holds it as one word.
 * Returns: TRUE if @folded is a stop word in any language that has a list
 */
gboolean px_stopwords_contains (const char *folded);

/* Returns: (transfer none): the languages that have a list ("da" ... "sv"), NULL-terminated, in
 * the order of their tags */
const char *const *px_stopwords_get_languages (void);
