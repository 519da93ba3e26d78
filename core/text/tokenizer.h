/* tokenizer.h: the "px" FTS5 tokenizer: words folded (case, diacritics, ø æ ß ł ...) plus,
 * colocated, their Snowball stem in their practice's language (words.h), which a document's
 * first column names; queries look for the stems of every language. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

/* a document text that starts with this names the language of the columns after it in its row
 * ("\x02sv", "\x02" for none) and gives no token: practices_fts's first column (migration 005).
 * Stored text fields never hold control characters, so no other text starts with it */
#define PX_TOKENIZER_LANGUAGE_MARK '\x02'

/* a query text "\x01TAG:words" looks for one kind of its words' tokens alone (words.h): TAG ""
 * the folded word, "de" the German stem ("@de:..."), "*" the stems in practices without a
 * language, "-" (in a prefix query) the words of practices without a stemmer ("@-:..."). The
 * query translator writes such texts, one alternative each, as an OR; it is the only writer: user
 * text reaches FTS5 only as the translator's words, which hold no control characters. A query
 * text without it looks for all of its words' tokens as colocated alternatives (phrases) */
#define PX_TOKENIZER_SELECT_MARK '\x01'

/**
 * px_tokenizer_register:
 * @db: a connection; every connection that touches practices_fts must register first
 *
 * Returns: FALSE with @error set when FTS5 is missing or refuses the tokenizer
 */
gboolean px_tokenizer_register (sqlite3 *db, GError **error);
