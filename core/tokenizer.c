/* tokenizer.c: the "px" FTS5 tokenizer. It wraps unicode61 (remove_diacritics 2), found with
 * xFindTokenizer as SQLite's porter does, and spells out the letters unicode61 keeps (ø, æ, ß,
 * ł, đ, œ, þ, ð) so "Lodz" finds "Łódź" and "kobenhavn" finds "København". */
#define G_LOG_DOMAIN "PxTokenizer"

#include <string.h>

#include "error.h"
#include "tokenizer.h"

/* sqlite3.h declares the FTS5 API types only for extensions; fts5.h is not split out in 3.40 */
#include <sqlite3.h>

typedef struct {
	fts5_tokenizer inner_api;
	Fts5Tokenizer *inner;
} PxTokenizer;

typedef struct {
	void *context;
	int (*token) (void *, int, const char *, int, int, int);
} PxTokenizeCall;

/* UTF-8 of the lower-case letters unicode61 leaves alone, and their spelling */
static const struct {
	const char *utf8;
	const char *ascii;
} px_folds[] = {
    {"\xc3\xb8", "o"},	/* ø */
    {"\xc3\xa6", "ae"}, /* æ */
    {"\xc3\x9f", "ss"}, /* ß */
    {"\xc5\x82", "l"},	/* ł */
    {"\xc4\x91", "d"},	/* đ */
    {"\xc5\x93", "oe"}, /* œ */
    {"\xc3\xbe", "th"}, /* þ */
    {"\xc3\xb0", "d"},	/* ð */
};

/* Returns: TRUE if @token (lower case, length @len) was rewritten into @out */
static gboolean
px_tokenizer_fold_letters (const char *token, int len, GString *out)
{
	gboolean changed = FALSE;

	g_string_truncate (out, 0);
	for (int i = 0; i < len;) {
		gboolean folded = FALSE;

		if ((guchar)token[i] >= 0xc3 && (guchar)token[i] <= 0xc5 && i + 1 < len) {
			for (guint f = 0; f < G_N_ELEMENTS (px_folds); f++) {
				if (memcmp (token + i, px_folds[f].utf8, 2) == 0) {
					g_string_append (out, px_folds[f].ascii);
					folded = TRUE;
					break;
				}
			}
		}
		if (folded) {
			changed = TRUE;
			i += 2;
		} else {
			g_string_append_c (out, token[i]);
			i++;
		}
	}
	return changed;
}

static int
px_tokenizer_token_cb (void *user_data, int flags, const char *token, int len, int start, int end)
{
	PxTokenizeCall *call = user_data;
	g_autoptr (GString) folded = NULL;

	if (memchr (token, 0xc3, len) == NULL && memchr (token, 0xc4, len) == NULL &&
	    memchr (token, 0xc5, len) == NULL)
		return call->token (call->context, flags, token, len, start, end);
	folded = g_string_sized_new (len + 4);
	if (!px_tokenizer_fold_letters (token, len, folded))
		return call->token (call->context, flags, token, len, start, end);
	return call->token (call->context, flags, folded->str, (int)folded->len, start, end);
}

static int
px_tokenizer_create (void *user_data, const char **args, int n_args, Fts5Tokenizer **out)
{
	fts5_api *api = user_data;
	g_autofree PxTokenizer *tokenizer = g_new0 (PxTokenizer, 1);
	const char *inner_args[] = {"remove_diacritics", "2"};
	void *inner_data = NULL;
	int rc;

	if (n_args != 0)
		return SQLITE_ERROR;
	rc = api->xFindTokenizer (api, "unicode61", &inner_data, &tokenizer->inner_api);
	if (rc != SQLITE_OK)
		return rc;
	rc = tokenizer->inner_api.xCreate (inner_data, inner_args, G_N_ELEMENTS (inner_args),
					   &tokenizer->inner);
	if (rc != SQLITE_OK)
		return rc;
	*out = (Fts5Tokenizer *)g_steal_pointer (&tokenizer);
	return SQLITE_OK;
}

static void
px_tokenizer_delete (Fts5Tokenizer *handle)
{
	PxTokenizer *tokenizer = (PxTokenizer *)handle;

	tokenizer->inner_api.xDelete (tokenizer->inner);
	g_free (tokenizer);
}

static int
px_tokenizer_tokenize (Fts5Tokenizer *handle, void *context, int flags, const char *text, int len,
		       int (*token) (void *, int, const char *, int, int, int))
{
	PxTokenizer *tokenizer = (PxTokenizer *)handle;
	PxTokenizeCall call = {context, token};

	return tokenizer->inner_api.xTokenize (tokenizer->inner, &call, flags, text, len,
					       px_tokenizer_token_cb);
}

static fts5_api *
px_tokenizer_get_api (sqlite3 *db, GError **error)
{
	sqlite3_stmt *statement = NULL;
	fts5_api *api = NULL;
	int rc = sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &statement, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer (statement, 1, &api, "fts5_api_ptr", NULL);
		sqlite3_step (statement);
	}
	sqlite3_finalize (statement);
	if (api == NULL)
		g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL, "SQLite has no FTS5: %s",
			     sqlite3_errmsg (db));
	return api;
}

gboolean
px_tokenizer_register (sqlite3 *db, GError **error)
{
	static fts5_tokenizer methods = {px_tokenizer_create, px_tokenizer_delete,
					 px_tokenizer_tokenize};
	fts5_api *api = px_tokenizer_get_api (db, error);
	int rc;

	if (api == NULL)
		return FALSE;
	rc = api->xCreateTokenizer (api, "px", api, &methods, NULL);
	if (rc != SQLITE_OK) {
		px_error_set_sqlite (error, rc, "cannot register the px tokenizer");
		return FALSE;
	}
	return TRUE;
}

char *
px_tokenizer_fold (const char *word)
{
	g_autofree char *lower = g_utf8_strdown (word, -1);
	g_autofree char *decomposed = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
	g_autoptr (GString) stripped = g_string_new (NULL);
	g_autoptr (GString) folded = g_string_new (NULL);

	for (const char *c = decomposed; c != NULL && *c != '\0'; c = g_utf8_next_char (c)) {
		gunichar ch = g_utf8_get_char (c);
		if (g_unichar_type (ch) != G_UNICODE_NON_SPACING_MARK)
			g_string_append_unichar (stripped, ch);
	}
	if (!px_tokenizer_fold_letters (stripped->str, (int)stripped->len, folded))
		return g_string_free (g_steal_pointer (&stripped), FALSE);
	return g_string_free (g_steal_pointer (&folded), FALSE);
}
