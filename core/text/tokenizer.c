/* tokenizer.c: the "px" FTS5 tokenizer. It wraps unicode61 (found with xFindTokenizer, as
 * SQLite's porter does), folds each word (case, diacritics, and the letters unicode61 keeps: ø,
 * æ, ß, ł, đ, œ, þ, ð), and adds the word's Snowball stems in the indexed languages as colocated
 * tokens. Queries get the same expansion, so any shared stem matches:
 * "volunteers" finds "volunteering", "språkcaféer" finds "språkcafé". Stemming runs on the word
 * before folding (Snowball needs the accents); a cache per instance keeps it to once per word. */
#define G_LOG_DOMAIN "PxTokenizer"

#include <libstemmer.h>
#include <string.h>

#include "tokenizer.h"
#include "util/autocleanups.h"
#include "util/error.h"

#define PX_STEM_MIN_CHARS 4
#define PX_QUERY_STEM_MIN_CHARS 5
#define PX_TOKEN_MAX_BYTES 128
#define PX_CACHE_MAX_WORDS 200000

/* the index depends on this list: changing it needs a migration that rebuilds practices_fts.
 * The last PX_N_DOCUMENT_ONLY stem only documents: on words of other languages they cut too
 * much ("integracion" -> "integrac") to choose the token a query looks for. */
static const char *const indexed_languages[] = {
    "english", "swedish", "danish",  "norwegian",  "german",  "dutch",
    "spanish", "french",  "italian", "portuguese", "finnish", "lithuanian",
};
#define PX_N_DOCUMENT_ONLY 2

struct _PxWords {
	struct sb_stemmer *stemmers[G_N_ELEMENTS (indexed_languages)];
	GHashTable *cache; /* lower-case word -> GBytes of its tokens (px_tokenizer_expand) */
};

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

/* the tokens of one lower-case word: "query\0folded\0stem1\0stem2\0\0", each stem new and
 * distinct. A document indexes the folded word and all its stems at one position; a query looks
 * for one token, the shortest stem of PX_QUERY_STEM_MIN_CHARS or more (else the folded word):
 * the forms of a word carry it in whichever language shortens most. One token instead of an OR
 * of all stems keeps common words cheap: FTS5's OR of two 100,000-practice doclists costs ten
 * times one lookup. */
static GBytes *
px_tokenizer_expand (struct sb_stemmer *const *stemmers, const char *word)
{
	g_autofree char *folded = px_tokenizer_fold (word);
	g_autoptr (GString) out = g_string_new (NULL);
	g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *query = g_strdup (folded);

	for (guint i = 0; i < G_N_ELEMENTS (indexed_languages); i++) {
		const sb_symbol *stem =
		    sb_stemmer_stem (stemmers[i], (const sb_symbol *)word, (int)strlen (word));
		g_autofree char *copy = NULL;
		g_autofree char *folded_stem = NULL;

		if (stem == NULL)
			continue;
		copy = g_strndup ((const char *)stem, sb_stemmer_length (stemmers[i]));
		if (!g_utf8_validate (copy, -1, NULL) ||
		    g_utf8_strlen (copy, -1) < PX_STEM_MIN_CHARS)
			continue;
		folded_stem = px_tokenizer_fold (copy);
		if (i < G_N_ELEMENTS (indexed_languages) - PX_N_DOCUMENT_ONLY &&
		    strlen (folded_stem) < strlen (query) &&
		    g_utf8_strlen (folded_stem, -1) >= PX_QUERY_STEM_MIN_CHARS) {
			g_free (query);
			query = g_strdup (folded_stem);
		}
		if (g_str_equal (folded_stem, folded) ||
		    g_ptr_array_find_with_equal_func (seen, folded_stem, g_str_equal, NULL))
			continue;
		g_ptr_array_add (seen, g_steal_pointer (&folded_stem));
	}
	g_string_append_len (out, query, (gssize)strlen (query) + 1);
	g_string_append_len (out, folded, (gssize)strlen (folded) + 1);
	for (guint i = 0; i < seen->len; i++) {
		const char *stem = g_ptr_array_index (seen, i);
		g_string_append_len (out, stem, (gssize)strlen (stem) + 1);
	}
	g_string_append_c (out, '\0');
	return g_string_free_to_bytes (g_steal_pointer (&out));
}

PxWords *
px_words_new (void)
{
	PxWords *words = g_new0 (PxWords, 1);

	words->cache =
	    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	for (guint i = 0; i < G_N_ELEMENTS (indexed_languages); i++) {
		words->stemmers[i] = sb_stemmer_new (indexed_languages[i], NULL);
		g_assert (words->stemmers[i] != NULL); /* libstemmer 2.2 knows every one */
	}
	return words;
}

void
px_words_free (PxWords *words)
{
	if (words == NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS (indexed_languages); i++)
		sb_stemmer_delete (words->stemmers[i]);
	g_hash_table_unref (words->cache);
	g_free (words);
}

const char *
px_words_expand (PxWords *words, const char *word)
{
	GBytes *tokens = g_hash_table_lookup (words->cache, word);

	if (tokens != NULL)
		return g_bytes_get_data (tokens, NULL);
	if (g_hash_table_size (words->cache) >= PX_CACHE_MAX_WORDS)
		g_hash_table_remove_all (words->cache);
	tokens = px_tokenizer_expand (words->stemmers, word);
	g_hash_table_insert (words->cache, g_strdup (word), tokens);
	return g_bytes_get_data (tokens, NULL);
}

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

gboolean
px_tokenizer_has_stem (const char *word)
{
	gsize len = strlen (word);

	for (guint i = 0; i < G_N_ELEMENTS (indexed_languages); i++) {
		g_autoptr (PxStemmer) stemmer = sb_stemmer_new (indexed_languages[i], NULL);
		const sb_symbol *stem =
		    stemmer != NULL ? sb_stemmer_stem (stemmer, (const sb_symbol *)word, (int)len)
				    : NULL;
		int stem_len = stemmer != NULL ? sb_stemmer_length (stemmer) : 0;

		if (stem != NULL && (gsize)stem_len < len &&
		    g_utf8_strlen ((const char *)stem, stem_len) >= PX_STEM_MIN_CHARS)
			return TRUE;
	}
	return FALSE;
}
