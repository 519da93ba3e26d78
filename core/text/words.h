/* words.h: words as the index sees them: folded (case, diacritics, ø æ ß ł ...), stemmed in the
 * languages Praxis indexes, and PxWords, that expansion with a cache, for the tokenizer and for
 * C-side comparisons (snippets, suggestions). */
#pragma once

#include <glib.h>

/* Returns: TRUE if @ch belongs to a word (a letter, digit or mark): where the words of a query
 * and of a snippet's text start and end */
gboolean px_words_is_word_char (gunichar ch);

/**
 * px_words_fold:
 *
 * Returns: (transfer full): @word lower-cased with diacritics removed and ø æ ß ł đ œ þ ð spelled
 * out, as the tokenizer indexes it
 */
char *px_words_fold (const char *word);

/**
 * px_words_has_stem:
 * @word: one lower-case word
 *
 * Returns: TRUE if a stemmer of an indexed language shortens @word (to 4 letters or more)
 */
gboolean px_words_has_stem (const char *word);

/* PxWords: the expansion of words into their index tokens, with a cache; one per thread */
typedef struct _PxWords PxWords;

PxWords *px_words_new (void);
void px_words_free (PxWords *words);
/**
 * px_words_expand:
 * @word: one lower-case word
 *
 * Returns: (transfer none): "query\0folded\0stem\0...\0\0": the token a query for @word looks
 * for, the folded word, and the stems a document indexes with it; valid until the next call
 */
const char *px_words_expand (PxWords *words, const char *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWords, px_words_free)
