/* words.c: words as the index sees them. Each word is folded (case, diacritics, and the letters
 * unicode61 keeps: ø, æ, ß, ł, đ, œ, þ, ð) and given its Snowball stems in the indexed
 * languages; PxWords caches that expansion per thread. Stemming runs on the word before
 * folding (Snowball needs the accents). No SQLite here: tokenizer.c feeds FTS5 from it. */
#define G_LOG_DOMAIN "PxWords"

#include <libstemmer.h>
#include <string.h>

#include "util/autocleanups.h"
#include "words.h"

#define PX_STEM_MIN_CHARS 4
#define PX_QUERY_STEM_MIN_CHARS 5
#define PX_WORDS_CACHE_MAX 200000

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
	GHashTable *cache; /* lower-case word -> GBytes of its tokens (px_words_expand_uncached) */
};

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
px_words_fold_letters (const char *token, int len, GString *out)
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
px_words_expand_uncached (struct sb_stemmer *const *stemmers, const char *word)
{
	g_autofree char *folded = px_words_fold (word);
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
		folded_stem = px_words_fold (copy);
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
	if (g_hash_table_size (words->cache) >= PX_WORDS_CACHE_MAX)
		g_hash_table_remove_all (words->cache);
	tokens = px_words_expand_uncached (words->stemmers, word);
	g_hash_table_insert (words->cache, g_strdup (word), tokens);
	return g_bytes_get_data (tokens, NULL);
}

gboolean
px_words_is_word_char (gunichar ch)
{
	return g_unichar_isalnum (ch) || g_unichar_ismark (ch);
}

char *
px_words_fold (const char *word)
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
	if (!px_words_fold_letters (stripped->str, (int)stripped->len, folded))
		return g_string_free (g_steal_pointer (&stripped), FALSE);
	return g_string_free (g_steal_pointer (&folded), FALSE);
}

gboolean
px_words_has_stem (const char *word)
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
