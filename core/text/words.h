/* words.h: words as the index sees them: folded (case, diacritics, ø æ ß ł ...), stemmed in the
 * language of the practice that holds them, and PxWords, that expansion with a cache, for the
 * tokenizer and for C-side comparisons (snippets, suggestions). */
#pragma once

#include <glib.h>

/* a token that is not a word starts with this: "@de:gesundheitslots", a word's stem in one
 * language; "@-:valodas", a word of a practice whose language has no stemmer or that gives
 * none; "@*:integr", a stem in any language of a word of a practice that gives no language. No
 * word starts with it, so no prefix of a word reaches these tokens, nor a scan of the words */
#define PX_WORDS_TAG_MARK '@'

/* the "language" of a practice whose language has no Snowball stemmer */
#define PX_WORDS_UNSTEMMED (-1)
/* the "language" of a practice that gives none: its words have the stems of every language */
#define PX_WORDS_ANY (-2)

/* Returns: TRUE if @ch belongs to a word (a letter, digit or mark): where the words of a query
 * and of a snippet's text start and end */
gboolean px_words_is_word_char (gunichar ch);

/**
 * px_words_fold:
 *
 * Returns: (transfer full): @word lower-cased with diacritics removed and ø æ ß ł đ œ þ ð spelled
 * out, as the tokenizer indexes it
 */
char *px_words_fold (const char *word);

/* the longest folding of one character, in bytes, its NUL aside */
#define PX_WORDS_FOLD_UNICHAR_MAX 72

/**
 * px_words_fold_unichar:
 * @out: at least PX_WORDS_FOLD_UNICHAR_MAX + 1 bytes
 *
 * Writes @ch folded as px_words_fold() folds it (lower case, marks removed, ø æ ß ... spelled
 * out) to @out, NUL-terminated, allocating nothing: so a scan can fold text character by
 * character. Casing that depends on context is not done: a capital sigma is σ wherever it stands.
 *
 * Returns: the length of @out, 0 when @ch folds to nothing (a mark)
 */
gsize px_words_fold_unichar (gunichar ch, char *out);

/**
 * px_words_find_language:
 * @tag: (nullable): a BCP 47 language tag such as "sv" or "pt-BR", @length bytes (-1: up to NUL)
 *
 * Returns: the stemmed language of the tag's primary subtag (nb and nn are Norwegian),
 * PX_WORDS_UNSTEMMED when it has no Snowball stemmer, PX_WORDS_ANY when there is no tag
 */
int px_words_find_language (const char *tag, gssize length);

/* the stemmed languages: px_words_find_language() gives 0 .. n - 1 */
guint px_words_get_n_languages (void);
/* Returns: (transfer none): the tag of @language in its tokens, its ISO 639-1 code ("de") */
const char *px_words_get_language_code (int language);

/* PxWords: the expansion of words into their index tokens, with a cache; one per thread */
typedef struct _PxWords PxWords;

PxWords *px_words_new (void);
void px_words_free (PxWords *words);

/**
 * px_words_expand_document:
 * @word: one lower-case word
 * @language: what px_words_find_language() gave for the practice that holds @word
 *
 * Returns: (transfer none): "folded\0tagged\0...\0\0": the tokens a document indexes for @word:
 * the folded word, then its stem in @language tagged with it ("@de:gesundheitslots"); for
 * PX_WORDS_UNSTEMMED the folded word tagged as such ("@-:valodas"); for PX_WORDS_ANY that and
 * its distinct stems in every language ("@*:valod"); valid until the next call
 */
const char *px_words_expand_document (PxWords *words, const char *word, int language);

/**
 * px_words_expand_query:
 * @word: one lower-case word
 *
 * Returns: (transfer none): "folded\0tagged\0...\0\0": the tokens a query for @word looks for,
 * any of them: the folded word, its tagged stem in every stemmed language, and its distinct
 * stems tagged for practices without a language; valid until the next call
 */
const char *px_words_expand_query (PxWords *words, const char *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWords, px_words_free)
