/* query.h: the translation of what a person types into a safe FTS5 MATCH expression.
 * Pure functions: no database, no global state; tests and the fuzzer drive it directly. */
#pragma once

#include <glib.h>

#define PX_QUERY_MAX_CHARS 1000
#define PX_QUERY_MAX_TERMS 32

typedef struct {
	char *fts;	  /* (nullable): the MATCH expression; NULL when nothing is to be matched */
	GPtrArray *words; /* (element-type utf8): the plain words looked for, lower case, for "did
			     you mean" */
} PxQuery;

/**
 * px_query_translate:
 * @text: what the user typed (UTF-8)
 * @stem_languages: (nullable): Snowball language names whose stems widen plain words
 *
 * Words are ANDed; "quoted phrases", prefix*, -exclusion, NOT word and a OR b are understood;
 * everything else (stray operators, brackets, colons, SQL) is read as plain words. Case and
 * diacritics never matter; a plain word of four or more letters also matches the words that share
 * its shortest stem in any listed language ("volunteers" finds "volunteering").
 *
 * Returns: (transfer full): the query, or NULL with PX_ERROR_INVALID when @text is not UTF-8, too
 * long, has too many terms, or excludes words without looking for any
 */
PxQuery *px_query_translate (const char *text, const char *const *stem_languages, GError **error);
void px_query_free (PxQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxQuery, px_query_free)
