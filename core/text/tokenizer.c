/* tokenizer.c: the "px" FTS5 tokenizer. It wraps unicode61 (found with xFindTokenizer, as
 * SQLite's porter does) and gives FTS5 each word's tokens from words.c: the folded word and its
 * Snowball stems as colocated tokens. Queries get the same expansion, so any shared stem matches:
 * "volunteers" finds "volunteering", "språkcaféer" finds "språkcafé". A PxWords per tokenizer
 * instance keeps the stemming to once per word. */
#define G_LOG_DOMAIN "PxTokenizer"

#include <string.h>

#include "tokenizer.h"
#include "util/error.h"
#include "words.h"

#define PX_TOKEN_MAX_BYTES 128

typedef struct {
	fts5_tokenizer inner_api;
	Fts5Tokenizer *inner;
	PxWords *words;
} PxTokenizer;

typedef enum {
	PX_TOKENS_DOCUMENT, /* the folded word and its stems */
	PX_TOKENS_QUERY,    /* the one token a query looks for */
	PX_TOKENS_WORD,	    /* the folded word alone: prefix queries, snippets */
} PxTokensMode;

typedef struct {
	PxTokenizer *tokenizer;
	void *context;
	int (*token) (void *, int, const char *, int, int, int);
	PxTokensMode mode;
} PxTokenizeCall;

static int
px_tokenizer_token_cb (void *user_data, int flags, const char *token, int len, int start, int end)
{
	PxTokenizeCall *call = user_data;
	char word[PX_TOKEN_MAX_BYTES];
	const char *tokens;
	int rc;

	/* very long "words" (URLs, noise) are indexed as they come, without stems */
	if (len >= PX_TOKEN_MAX_BYTES)
		return call->token (call->context, flags, token, len, start, end);
	memcpy (word, token, len);
	word[len] = '\0';
	tokens = px_words_expand (call->tokenizer->words, word);
	if (call->mode == PX_TOKENS_QUERY)
		return call->token (call->context, flags, tokens, (int)strlen (tokens), start, end);
	tokens += strlen (tokens) + 1;
	rc = call->token (call->context, flags, tokens, (int)strlen (tokens), start, end);
	for (tokens += strlen (tokens) + 1;
	     rc == SQLITE_OK && call->mode == PX_TOKENS_DOCUMENT && *tokens != '\0';
	     tokens += strlen (tokens) + 1)
		rc = call->token (call->context, flags | FTS5_TOKEN_COLOCATED, tokens,
				  (int)strlen (tokens), start, end);
	return rc;
}

static void
px_tokenizer_delete (Fts5Tokenizer *handle)
{
	PxTokenizer *tokenizer = (PxTokenizer *)handle;

	if (tokenizer->inner != NULL)
		tokenizer->inner_api.xDelete (tokenizer->inner);
	px_words_free (tokenizer->words);
	g_free (tokenizer);
}

static int
px_tokenizer_create (void *user_data, const char **args, int n_args, Fts5Tokenizer **out)
{
	fts5_api *api = user_data;
	PxTokenizer *tokenizer = g_new0 (PxTokenizer, 1);
	const char *inner_args[] = {"remove_diacritics", "0"};
	void *inner_data = NULL;
	int rc;

	tokenizer->words = px_words_new ();
	rc = api->xFindTokenizer (api, "unicode61", &inner_data, &tokenizer->inner_api);
	if (rc == SQLITE_OK && n_args == 0)
		rc = tokenizer->inner_api.xCreate (inner_data, inner_args,
						   G_N_ELEMENTS (inner_args), &tokenizer->inner);
	if (rc != SQLITE_OK || n_args != 0) {
		px_tokenizer_delete ((Fts5Tokenizer *)tokenizer);
		return rc != SQLITE_OK ? rc : SQLITE_ERROR;
	}
	*out = (Fts5Tokenizer *)tokenizer;
	return SQLITE_OK;
}

static int
px_tokenizer_tokenize (Fts5Tokenizer *handle, void *context, int flags, const char *text, int len,
		       int (*token) (void *, int, const char *, int, int, int))
{
	PxTokenizer *tokenizer = (PxTokenizer *)handle;
	PxTokenizeCall call = {tokenizer, context, token, PX_TOKENS_WORD};

	if (flags & FTS5_TOKENIZE_DOCUMENT)
		call.mode = PX_TOKENS_DOCUMENT;
	else if ((flags & FTS5_TOKENIZE_QUERY) && !(flags & FTS5_TOKENIZE_PREFIX))
		call.mode = PX_TOKENS_QUERY;

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
