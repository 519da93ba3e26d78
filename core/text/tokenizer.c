/* tokenizer.c: the "px" FTS5 tokenizer. It wraps unicode61 (found with xFindTokenizer, as
 * SQLite's porter does) and gives FTS5 each word's tokens from words.c: in a document, the folded
 * word and its stems in the row's language, which the row's first column names (FTS5 tokenizes a
 * row's columns in order); in a query, the kind of tokens the translator's mark asks for, or all
 * of them as colocated alternatives. So "Gesundheitslotse" finds the German "Gesundheitslotsen",
 * and no language's stems meet another's. */
#define G_LOG_DOMAIN "PxTokenizer"

#include <string.h>

#include "tokenizer.h"
#include "util/error.h"
#include "words.h"

#define PX_TOKEN_MAX_BYTES 128
#define PX_LANGUAGE_TAG_MAX_BYTES 64

typedef struct {
	fts5_tokenizer inner_api;
	Fts5Tokenizer *inner;
	PxWords *words;
	int language; /* of the row being indexed, from its first column */
} PxTokenizer;

typedef enum {
	PX_TOKENS_DOCUMENT, /* the folded word and its stem in the row's language */
	PX_TOKENS_QUERY,    /* the folded word and its stems in every language */
	PX_TOKENS_WORD,	    /* the folded word alone: prefix queries, auxiliary functions */
	PX_TOKENS_SELECT,   /* one kind of a query's tokens (PX_TOKENIZER_SELECT_MARK) */
} PxTokensMode;

typedef struct {
	PxTokenizer *tokenizer;
	void *context;
	int (*token) (void *, int, const char *, int, int, int);
	PxTokensMode mode;
	char select[8]; /* PX_TOKENS_SELECT: "@tag:", or "" for the folded word */
} PxTokenizeCall;

/* gives FTS5 @tokens ("token\0token\0\0"), the first at a new position and the others
 * colocated; with @select, only those that start with it, and with @only_first only the first of
 * them (a token that cannot exist if none does, so that a phrase never loses a word) */
static int
px_tokenizer_emit (PxTokenizeCall *call, int flags, const char *tokens, const char *select,
		   gboolean only_first, int start, int end)
{
	gboolean first = TRUE;
	int rc = SQLITE_OK;

	for (; rc == SQLITE_OK && *tokens != '\0' && (first || !only_first);
	     tokens += strlen (tokens) + 1) {
		if (select != NULL && !g_str_has_prefix (tokens, select))
			continue;
		rc = call->token (call->context, first ? flags : flags | FTS5_TOKEN_COLOCATED,
				  tokens, (int)strlen (tokens), start, end);
		first = FALSE;
	}
	if (first && select != NULL)
		rc = call->token (call->context, flags, select, (int)strlen (select), start, end);
	return rc;
}

static int
px_tokenizer_token_cb (void *user_data, int flags, const char *token, int len, int start, int end)
{
	PxTokenizeCall *call = user_data;
	PxWords *words = call->tokenizer->words;
	char word[PX_TOKEN_MAX_BYTES];
	const char *tokens;

	/* very long "words" (URLs, noise) are indexed as they come, without stems */
	if (len >= PX_TOKEN_MAX_BYTES)
		return call->token (call->context, flags, token, len, start, end);
	memcpy (word, token, len);
	word[len] = '\0';
	switch (call->mode) {
	case PX_TOKENS_DOCUMENT:
		tokens = px_words_expand_document (words, word, call->tokenizer->language);
		return px_tokenizer_emit (call, flags, tokens, NULL, FALSE, start, end);
	case PX_TOKENS_QUERY:
		tokens = px_words_expand_query (words, word);
		return px_tokenizer_emit (call, flags, tokens, NULL, FALSE, start, end);
	case PX_TOKENS_SELECT:
		if (g_str_equal (call->select, "@-:")) {
			tokens = px_words_expand_document (words, word, PX_WORDS_UNSTEMMED);
			return px_tokenizer_emit (call, flags, tokens, call->select, TRUE, start,
						  end);
		}
		/* a language's stem of the word as written, not of its folded form (the
		 * translator asks for that one with the folded text); the stems in practices
		 * without a language all */
		if (call->select[0] != '\0') {
			tokens = px_words_expand_query (words, word);
			return px_tokenizer_emit (call, flags, tokens, call->select,
						  !g_str_equal (call->select, "@*:"), start, end);
		}
		break;
	case PX_TOKENS_WORD:
		break;
	}
	/* the folded word, the first of any expansion */
	tokens = px_words_expand_document (words, word, PX_WORDS_UNSTEMMED);
	return call->token (call->context, flags, tokens, (int)strlen (tokens), start, end);
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
	/* marks belong to words, as in words.c: Devanagari and Tamil vowel signs, viramas and
	 * decomposed accents would otherwise cut words in pieces that no stemmer knows */
	const char *inner_args[] = {"remove_diacritics", "0", "categories", "L* N* Co M*"};
	void *inner_data = NULL;
	int rc;

	tokenizer->words = px_words_new ();
	tokenizer->language = PX_WORDS_ANY;
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
	PxTokenizeCall call = {tokenizer, context, token, PX_TOKENS_WORD, ""};

	/* a row's first column: its language for the columns that follow, and no token (in
	 * highlight() and the other auxiliary functions too). Queries never read it. */
	if (len > 0 && text[0] == PX_TOKENIZER_LANGUAGE_MARK && !(flags & FTS5_TOKENIZE_QUERY)) {
		if (flags & FTS5_TOKENIZE_DOCUMENT)
			tokenizer->language = len - 1 <= PX_LANGUAGE_TAG_MAX_BYTES
						  ? px_words_find_language (text + 1, len - 1)
						  : PX_WORDS_UNSTEMMED;
		return SQLITE_OK;
	}
	if (flags & FTS5_TOKENIZE_DOCUMENT) {
		call.mode = PX_TOKENS_DOCUMENT;
	} else if ((flags & FTS5_TOKENIZE_QUERY) && len > 0 &&
		   text[0] == PX_TOKENIZER_SELECT_MARK) {
		/* "\x01TAG:words", written by the query translator alone */
		const char *colon = memchr (text, ':', MIN (len, 5));

		if (colon == NULL)
			return SQLITE_OK;
		call.mode = PX_TOKENS_SELECT;
		if (colon > text + 1)
			g_snprintf (call.select, sizeof (call.select), "%c%.*s:", PX_WORDS_TAG_MARK,
				    (int)(colon - text - 1), text + 1);
		len -= (int)(colon + 1 - text);
		text = colon + 1;
	} else if ((flags & FTS5_TOKENIZE_QUERY) && !(flags & FTS5_TOKENIZE_PREFIX)) {
		call.mode = PX_TOKENS_QUERY;
	}
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
