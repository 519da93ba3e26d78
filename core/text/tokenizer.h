/* tokenizer.h: the "px" FTS5 tokenizer: words folded (case, diacritics, ø æ ß ł ...) plus,
 * colocated, their Snowball stems in the languages Praxis indexes; and that folding for C-side
 * comparisons. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

/**
 * px_tokenizer_register:
 * @db: a connection; every connection that touches practices_fts must register first
 *
 * Returns: FALSE with @error set when FTS5 is missing or refuses the tokenizer
 */
gboolean px_tokenizer_register (sqlite3 *db, GError **error);

/**
 * px_tokenizer_fold:
 *
 * Returns: (transfer full): @word lower-cased with diacritics removed and ø æ ß ł đ œ þ ð spelled
 * out, as the tokenizer indexes it
 */
char *px_tokenizer_fold (const char *word);

/**
 * px_tokenizer_has_stem:
 * @word: one lower-case word
 *
 * Returns: TRUE if a stemmer of an indexed language shortens @word (to 4 letters or more)
 */
gboolean px_tokenizer_has_stem (const char *word);

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
