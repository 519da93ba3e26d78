/* tokenizer.h: the "px" FTS5 tokenizer: words folded (case, diacritics, ø æ ß ł ...) plus,
 * colocated, their Snowball stems in the languages Praxis indexes (words.h). */
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
