/* tokenizer.h: the "px" FTS5 tokenizer (unicode61 without diacritics, plus folds of ø æ ß ł ...)
 * and the same folding for C-side comparisons. */
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
 * out, close to what the tokenizer indexes (for prefix and spelling comparisons in C)
 */
char *px_tokenizer_fold (const char *word);
