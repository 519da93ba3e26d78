/* words.c: words as the index sees them. Each word is folded (case, diacritics, and the letters
 * unicode61 keeps: ø, æ, ß, ł, đ, œ, þ, ð) and given its Snowball stems in the language of its
 * practice, tagged with that language; a query looks for its stems in every language. Stemming
 * runs on the word as written (Snowball needs the accents) and on its folded form. PxWords
 * caches the expansions per thread. No SQLite here: tokenizer.c feeds FTS5 from it. */
#define G_LOG_DOMAIN "PxWords"

#include <libstemmer.h>
#include <string.h>

#include "words.h"

#define PX_WORDS_CACHE_MAX 200000

/* the stemmed languages: every algorithm of libstemmer 2.2 but "porter" (an older English), by
 * ISO 639-1 code. The index depends on this list and on the tokens' form: changing either needs
 * a migration that rebuilds practices_fts. */
static const struct {
	const char *code;
	const char *algorithm;
} px_languages[] = {
    {"ar", "arabic"},	  {"hy", "armenian"},	{"eu", "basque"},    {"ca", "catalan"},
    {"da", "danish"},	  {"nl", "dutch"},	{"en", "english"},   {"fi", "finnish"},
    {"fr", "french"},	  {"de", "german"},	{"el", "greek"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
    {"lt", "lithuanian"}, {"ne", "nepali"},	{"no", "norwegian"}, {"pt", "portuguese"},
    {"ro", "romanian"},	  {"ru", "russian"},	{"sr", "serbian"},   {"es", "spanish"},
    {"sv", "swedish"},	  {"ta", "tamil"},	{"tr", "turkish"},   {"yi", "yiddish"},
};
#define PX_WORDS_N_LANGUAGES G_N_ELEMENTS (px_languages)
/* a search's PxQueryLanguages holds a bit per language and two more */
G_STATIC_ASSERT (PX_WORDS_N_LANGUAGES <= 62);

/* the caches of px_words_expand_document, one per language, one for PX_WORDS_UNSTEMMED and one
 * for PX_WORDS_ANY, then px_words_expand_query's */
#define PX_WORDS_CACHE_UNSTEMMED PX_WORDS_N_LANGUAGES
#define PX_WORDS_CACHE_ANY (PX_WORDS_N_LANGUAGES + 1)
#define PX_WORDS_CACHE_QUERY (PX_WORDS_N_LANGUAGES + 2)

struct _PxWords {
	struct sb_stemmer *stemmers[PX_WORDS_N_LANGUAGES]; /* each made on its first use */
	/* lower-case word -> GBytes of its tokens, "token\0token\0\0"; made on first use */
	GHashTable *caches[PX_WORDS_N_LANGUAGES + 3];
	guint n_cached; /* in all of them */
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

/* Returns: (transfer none) (nullable): the stemmer of @language, NULL if libstemmer lacks it */
static struct sb_stemmer *
px_words_ensure_stemmer (PxWords *words, guint language)
{
	if (words->stemmers[language] == NULL)
		words->stemmers[language] = sb_stemmer_new (px_languages[language].algorithm, NULL);
	return words->stemmers[language];
}

/* Returns: (transfer full) (nullable): @word's stem in @language, folded; NULL when Snowball
 * cannot stem it */
static char *
px_words_stem (PxWords *words, guint language, const char *word)
{
	struct sb_stemmer *stemmer = px_words_ensure_stemmer (words, language);
	const sb_symbol *stem =
	    stemmer != NULL ? sb_stemmer_stem (stemmer, (const sb_symbol *)word, (int)strlen (word))
			    : NULL;
	g_autofree char *copy = NULL;

	if (stem == NULL)
		return NULL;
	copy = g_strndup ((const char *)stem, sb_stemmer_length (stemmer));
	if (!g_utf8_validate (copy, -1, NULL))
		return NULL;
	return px_words_fold (copy);
}

/* appends the token @tag:@text and its NUL */
static void
px_words_append_token (GString *out, const char *tag, const char *text)
{
	g_string_append_printf (out, "%c%s:%s", PX_WORDS_TAG_MARK, tag, text);
	g_string_append_c (out, '\0');
}

/* appends, tagged with @tag, @word's stem in @language and, when @word has letters that folding
 * changes, the stem of @folded (its folded form) there too: so the folded forms of two words
 * meet whenever the words do, whatever their accents, and "integraciones" meets "integración".
 * Each stem once: @seen holds those appended */
static void
px_words_append_stems (PxWords *words, guint language, const char *tag, const char *word,
		       const char *folded, GPtrArray *seen, GString *out)
{
	for (guint i = 0; i < 2; i++) {
		g_autofree char *stem = NULL;

		if (i == 1 && g_str_equal (word, folded))
			break;
		stem = px_words_stem (words, language, i == 0 ? word : folded);
		if (stem == NULL ||
		    g_ptr_array_find_with_equal_func (seen, stem, g_str_equal, NULL))
			continue;
		px_words_append_token (out, tag, stem);
		g_ptr_array_add (seen, g_steal_pointer (&stem));
	}
}

/* the tokens of one lower-case word in the cache @cache: "folded\0tagged...\0\0". A document
 * indexes the folded word (what prefix queries and suggestions read) and, colocated, tagged
 * tokens: in a stemmed language, its stems there; in a practice without a stemmer, the folded
 * word tagged as such (what a query reads there, as a prefix or whole); in a practice without
 * a language, that and its distinct stems in every language. A query looks for any of its
 * tagged tokens: the doclist of a tagged stem holds only its language's practices, so stems of
 * different languages never meet (but in practices that give no language), and together the
 * doclists are no longer than one of every practice with the word. */
static GBytes *
px_words_expand_uncached (PxWords *words, guint cache, const char *word)
{
	g_autofree char *folded = px_words_fold (word);
	g_autoptr (GString) out = g_string_new (folded);
	g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

	g_string_append_c (out, '\0');
	for (guint i = 0; i < PX_WORDS_N_LANGUAGES; i++) {
		if (cache != i && cache != PX_WORDS_CACHE_QUERY)
			continue;
		g_ptr_array_set_size (seen, 0);
		px_words_append_stems (words, i, px_languages[i].code, word, folded, seen, out);
	}
	if (cache == PX_WORDS_CACHE_UNSTEMMED || cache == PX_WORDS_CACHE_ANY)
		px_words_append_token (out, "-", folded);
	g_ptr_array_set_size (seen, 0);
	for (guint i = 0; i < PX_WORDS_N_LANGUAGES; i++) {
		if (cache == PX_WORDS_CACHE_ANY || cache == PX_WORDS_CACHE_QUERY)
			px_words_append_stems (words, i, "*", word, folded, seen, out);
	}
	g_string_append_c (out, '\0');
	return g_string_free_to_bytes (g_steal_pointer (&out));
}

PxWords *
px_words_new (void)
{
	return g_new0 (PxWords, 1);
}

void
px_words_free (PxWords *words)
{
	if (words == NULL)
		return;
	for (guint i = 0; i < PX_WORDS_N_LANGUAGES; i++) {
		if (words->stemmers[i] != NULL)
			sb_stemmer_delete (words->stemmers[i]);
	}
	for (guint i = 0; i < G_N_ELEMENTS (words->caches); i++)
		g_clear_pointer (&words->caches[i], g_hash_table_unref);
	g_free (words);
}

static const char *
px_words_expand (PxWords *words, guint cache, const char *word)
{
	GBytes *tokens;

	if (words->caches[cache] == NULL)
		words->caches[cache] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							      (GDestroyNotify)g_bytes_unref);
	tokens = g_hash_table_lookup (words->caches[cache], word);
	if (tokens != NULL)
		return g_bytes_get_data (tokens, NULL);
	if (words->n_cached >= PX_WORDS_CACHE_MAX) {
		for (guint i = 0; i < G_N_ELEMENTS (words->caches); i++) {
			if (words->caches[i] != NULL)
				g_hash_table_remove_all (words->caches[i]);
		}
		words->n_cached = 0;
	}
	tokens = px_words_expand_uncached (words, cache, word);
	g_hash_table_insert (words->caches[cache], g_strdup (word), tokens);
	words->n_cached++;
	return g_bytes_get_data (tokens, NULL);
}

const char *
px_words_expand_document (PxWords *words, const char *word, int language)
{
	guint cache = (guint)language;

	g_return_val_if_fail (language >= PX_WORDS_ANY && language < (int)PX_WORDS_N_LANGUAGES,
			      NULL);
	if (language == PX_WORDS_UNSTEMMED)
		cache = PX_WORDS_CACHE_UNSTEMMED;
	else if (language == PX_WORDS_ANY)
		cache = PX_WORDS_CACHE_ANY;
	return px_words_expand (words, cache, word);
}

const char *
px_words_expand_query (PxWords *words, const char *word)
{
	return px_words_expand (words, PX_WORDS_CACHE_QUERY, word);
}

guint
px_words_get_n_languages (void)
{
	return PX_WORDS_N_LANGUAGES;
}

const char *
px_words_get_language_code (int language)
{
	g_return_val_if_fail (language >= 0 && language < (int)PX_WORDS_N_LANGUAGES, NULL);
	return px_languages[language].code;
}

int
px_words_find_language (const char *tag, gssize length)
{
	char primary[4] = "";
	gsize len = 0;

	if (tag == NULL)
		return PX_WORDS_ANY;
	if (length < 0)
		length = (gssize)strlen (tag);
	if (length == 0)
		return PX_WORDS_ANY;
	/* the primary subtag: two or three letters before the first '-' */
	while (len < (gsize)length && tag[len] != '-' && tag[len] != '_') {
		if (len >= sizeof (primary) - 1 || !g_ascii_isalpha (tag[len]))
			return PX_WORDS_UNSTEMMED;
		primary[len] = g_ascii_tolower (tag[len]);
		len++;
	}
	primary[len] = '\0';
	/* Bokmål and Nynorsk: libstemmer has one Norwegian */
	if (g_str_equal (primary, "nb") || g_str_equal (primary, "nn"))
		g_strlcpy (primary, "no", sizeof (primary));
	for (guint i = 0; i < PX_WORDS_N_LANGUAGES; i++) {
		if (g_str_equal (primary, px_languages[i].code))
			return (int)i;
	}
	return PX_WORDS_UNSTEMMED;
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

gsize
px_words_fold_unichar (gunichar ch, char *out)
{
	gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	gsize n = g_unichar_fully_decompose (g_unichar_tolower (ch), FALSE, decomposed,
					     G_N_ELEMENTS (decomposed));
	gsize len = 0;

	for (gsize i = 0; i < n; i++) {
		char utf8[8];
		int width;
		gboolean folded = FALSE;

		if (g_unichar_type (decomposed[i]) == G_UNICODE_NON_SPACING_MARK)
			continue;
		width = g_unichar_to_utf8 (decomposed[i], utf8);
		for (guint f = 0; width == 2 && f < G_N_ELEMENTS (px_folds); f++) {
			if (memcmp (utf8, px_folds[f].utf8, 2) == 0) {
				gsize ascii = strlen (px_folds[f].ascii);
				memcpy (out + len, px_folds[f].ascii, ascii);
				len += ascii;
				folded = TRUE;
				break;
			}
		}
		if (!folded) {
			memcpy (out + len, utf8, (gsize)width);
			len += (gsize)width;
		}
	}
	out[len] = '\0';
	return len;
}
