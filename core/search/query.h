/* query.h: the translation of what a person types into a safe FTS5 MATCH expression.
 * Pure functions: no database, no global state; tests and the fuzzer drive it directly. */
#pragma once

#include <glib.h>

#define PX_QUERY_MAX_CHARS 1000
#define PX_QUERY_MAX_TERMS 32

typedef struct {
	char *fts; /* (nullable): the MATCH expression; NULL when nothing is to be matched */
	/* (element-type utf8), lower case: the plain words of the query, stop words too (for "did
	 * you mean"); every word that must match, phrases' too (to highlight); the prefixes; the
	 * plain words also looked for as prefixes in practices without a stemmer */
	GPtrArray *words;
	GPtrArray *marks;
	GPtrArray *prefixes;
	GPtrArray *unstemmed;
	/* (element-type utf8): for a page that the full matches leave short, the expressions of the
	 * partial matches: all required terms but the last, then all but the last two, ... down to
	 * the first alone (exclusions kept in each); empty when fewer than two terms are required
	 */
	GPtrArray *partial;
} PxQuery;

/* the kinds of practices a query looks in, by language (px_words_find_language): a bit per
 * stemmed language, and PX_QUERY_UNSTEMMED (no stemmer), PX_QUERY_ANY (no language). Each kind
 * is an alternative of every word: a search asks only for those its practices have */
typedef guint64 PxQueryLanguages;
#define PX_QUERY_UNSTEMMED (G_GUINT64_CONSTANT (1) << 62)
#define PX_QUERY_ANY (G_GUINT64_CONSTANT (1) << 63)
#define PX_QUERY_EVERY_LANGUAGE G_MAXUINT64

/* Returns: @languages and the kind of a practice in @tag (nullable: none) */
PxQueryLanguages px_query_languages_add (PxQueryLanguages languages, const char *tag);

/**
 * px_query_translate:
 * @text: what the user typed (UTF-8)
 *
 * Words are ANDed; "quoted phrases", prefix*, -exclusion, NOT word and a OR b are understood;
 * everything else (stray operators, brackets, colons, SQL) is read as plain words. A plain word
 * that is a stop word in any language (text/stopwords.h: for, the, och, und, w) need not match
 * and is not highlighted, nor is an OR of stop words alone; a phrase keeps its stop words, a
 * quoted word is looked for, an excluded one stays excluded, and a query of stop words alone
 * looks for them all. Case, diacritics and word forms are the tokenizer's business (it adds the
 * stems of every language, and each practice is indexed with its own language's); a plain word
 * of four letters or more also matches as a prefix in the practices whose language has no
 * stemmer (Latvian, Polish) or that give none, so "Lublin" finds "Lublinie" in a Polish
 * practice; a quoted word never matches as a prefix, so "\"Lublin\"" does not.
 *
 * Returns: (transfer full): the query, or NULL with PX_ERROR_INVALID when @text is not UTF-8, too
 * long, has too many terms, or excludes words without looking for any
 */
PxQuery *px_query_translate (const char *text, GError **error);
/* the same for the practices of @languages alone: what px_query_translate() finds there */
PxQuery *px_query_translate_in (const char *text, PxQueryLanguages languages, GError **error);
void px_query_free (PxQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxQuery, px_query_free)
