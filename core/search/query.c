/* query.c: user text -> FTS5 expression. Every term is emitted as a quoted FTS5 string, so no
 * user byte can become FTS5 syntax; operators are recognised here and written by us. */
#define G_LOG_DOMAIN "PxQuery"

#include <string.h>

#include "query.h"
#include "text/stopwords.h"
#include "text/tokenizer.h"
#include "text/words.h"
#include "util/error.h"

/* a plain word this long or longer also matches as a prefix in practices without a stemmer */
#define PX_PREFIX_MIN_CHARS 4

typedef enum {
	PX_TERM_WORD,
	PX_TERM_PREFIX,
	PX_TERM_PHRASE,
} PxTermKind;

typedef struct {
	PxTermKind kind;
	char *text; /* lower case; a phrase's words joined by spaces */
	gboolean negated;
	gboolean or_with_previous;
	gboolean exact;	 /* a plain word matched only as itself and its stems, never as a prefix */
	gboolean quoted; /* written in quotes: looked for even when it is a stop word */
} PxTerm;

/* the positive terms that one AND joins: alternatives (a OR b), or one term */
typedef struct {
	GPtrArray *terms;  /* (element-type PxTerm) (transfer none) */
	gboolean optional; /* every alternative a stop word: need not match */
} PxGroup;

typedef struct {
	const char *cursor;
	GPtrArray *terms; /* PxTerm */
	gboolean negate_next;
	gboolean or_next;
} PxQueryParser;

static void
px_term_free (PxTerm *term)
{
	g_free (term->text);
	g_free (term);
}

void
px_query_free (PxQuery *query)
{
	if (query == NULL)
		return;
	g_free (query->fts);
	g_ptr_array_unref (query->words);
	g_ptr_array_unref (query->marks);
	g_ptr_array_unref (query->prefixes);
	g_ptr_array_unref (query->unstemmed);
	g_ptr_array_unref (query->partial);
	g_free (query);
}

/* Returns: (transfer full): the run of word characters at the cursor, advancing it */
static char *
px_query_parser_take_word (PxQueryParser *parser)
{
	const char *start = parser->cursor;

	while (*parser->cursor != '\0' && px_words_is_word_char (g_utf8_get_char (parser->cursor)))
		parser->cursor = g_utf8_next_char (parser->cursor);
	return g_strndup (start, parser->cursor - start);
}

static void
px_query_parser_add (PxQueryParser *parser, PxTermKind kind, char *text)
{
	PxTerm *term = g_new0 (PxTerm, 1);

	term->kind = kind;
	term->text = g_utf8_strdown (text, -1);
	term->exact = kind != PX_TERM_WORD || g_utf8_strlen (term->text, -1) < PX_PREFIX_MIN_CHARS;
	term->negated = parser->negate_next;
	term->or_with_previous = parser->or_next && !term->negated && parser->terms->len > 0;
	parser->negate_next = FALSE;
	parser->or_next = FALSE;
	g_ptr_array_add (parser->terms, term);
	g_free (text);
}

/* a quoted phrase: its words, whatever stands between them; an open quote runs to the end */
static void
px_query_parser_phrase (PxQueryParser *parser)
{
	g_autoptr (GString) phrase = g_string_new (NULL);
	PxTermKind kind;

	parser->cursor++;
	while (*parser->cursor != '\0' && *parser->cursor != '"') {
		if (px_words_is_word_char (g_utf8_get_char (parser->cursor))) {
			g_autofree char *word = px_query_parser_take_word (parser);
			if (phrase->len > 0)
				g_string_append_c (phrase, ' ');
			g_string_append (phrase, word);
		} else {
			parser->cursor = g_utf8_next_char (parser->cursor);
		}
	}
	if (*parser->cursor == '"')
		parser->cursor++;
	if (phrase->len == 0) {
		parser->negate_next = FALSE;
		return;
	}
	kind = strchr (phrase->str, ' ') != NULL ? PX_TERM_PHRASE : PX_TERM_WORD;
	px_query_parser_add (parser, kind, g_string_free (g_steal_pointer (&phrase), FALSE));
	/* quotes mean exact: a quoted word never matches as a prefix, nor goes unmatched */
	((PxTerm *)g_ptr_array_index (parser->terms, parser->terms->len - 1))->exact = TRUE;
	((PxTerm *)g_ptr_array_index (parser->terms, parser->terms->len - 1))->quoted = TRUE;
}

static void
px_query_parser_word (PxQueryParser *parser)
{
	char *word = px_query_parser_take_word (parser);

	if (g_str_equal (word, "OR")) {
		parser->or_next = parser->terms->len > 0;
		g_free (word);
		return;
	}
	if (g_str_equal (word, "AND")) {
		g_free (word);
		return;
	}
	if (g_str_equal (word, "NOT")) {
		parser->negate_next = TRUE;
		g_free (word);
		return;
	}
	if (*parser->cursor == '*') {
		parser->cursor++;
		px_query_parser_add (parser, PX_TERM_PREFIX, word);
		return;
	}
	px_query_parser_add (parser, PX_TERM_WORD, word);
}

/* '-' negates only when it starts a term: "e-bikes" is two words */
static gboolean
px_query_parser_at_term_start (PxQueryParser *parser, const char *text)
{
	if (parser->cursor == text)
		return TRUE;
	return g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (parser->cursor)));
}

static GPtrArray *
px_query_parse_terms (const char *text)
{
	PxQueryParser parser = {text, g_ptr_array_new_with_free_func ((GDestroyNotify)px_term_free),
				FALSE, FALSE};

	while (*parser.cursor != '\0') {
		gunichar ch = g_utf8_get_char (parser.cursor);

		if (ch == '"') {
			px_query_parser_phrase (&parser);
		} else if (px_words_is_word_char (ch)) {
			px_query_parser_word (&parser);
		} else {
			if (ch == '-' && px_query_parser_at_term_start (&parser, text))
				parser.negate_next = TRUE;
			else if (g_unichar_isspace (ch) == FALSE && ch != '-')
				parser.negate_next = FALSE;
			parser.cursor = g_utf8_next_char (parser.cursor);
		}
	}
	return parser.terms;
}

/* @text (a word or a phrase) in the practices of @languages: any of its kinds of tokens, each
 * its own alternative: its stem in each language (and that of its folded form, when folding
 * changes it), its stems in practices without a language, and the words in practices without a
 * stemmer, as a prefix unless @exact. An OR of single tokens costs FTS5 far less than colocated
 * alternatives, which merge their positions at every row, and each alternative costs at every
 * row: hence only the languages asked for. The folded word is no alternative of its own: its
 * stem in its practice's language finds it (words.h) */
static void
px_query_append_any (GString *out, const char *text, gboolean exact, PxQueryLanguages languages)
{
	const char mark = PX_TOKENIZER_SELECT_MARK;
	g_autofree char *folded = px_words_fold (text);
	gboolean fold_changes = !g_str_equal (folded, text);
	gsize start = out->len;

	g_string_append_c (out, '(');
	for (guint i = 0; i < px_words_get_n_languages (); i++) {
		const char *code = px_words_get_language_code ((int)i);

		if (!(languages & (G_GUINT64_CONSTANT (1) << i)))
			continue;
		g_string_append_printf (out, "\"%c%s:%s\" OR ", mark, code, text);
		if (fold_changes)
			g_string_append_printf (out, "\"%c%s:%s\" OR ", mark, code, folded);
	}
	if (languages & PX_QUERY_ANY)
		g_string_append_printf (out, "\"%c*:%s\" OR ", mark, text);
	/* (no language at all: one alternative all the same, which finds nothing) */
	if ((languages & (PX_QUERY_ANY | PX_QUERY_UNSTEMMED)) || out->len == start + 1)
		g_string_append_printf (out, "\"%c-:%s\"%s OR ", mark, text, exact ? "" : "*");
	g_string_truncate (out, out->len - strlen (" OR "));
	g_string_append_c (out, ')');
}

/* quoted strings cannot carry FTS5 syntax: the words hold only letters, digits and marks */
static void
px_query_append_term (GString *out, const PxTerm *term, PxQueryLanguages languages)
{
	if (term->kind == PX_TERM_PREFIX) {
		g_string_append_printf (out, "\"%s\"*", term->text);
		return;
	}
	/* a phrase's words follow each other as themselves or all as their stems in one language */
	px_query_append_any (out, term->text, term->exact, languages);
}

/* Returns: TRUE if @term is a plain word, unquoted, that is a stop word in some language */
static gboolean
px_query_term_is_stopword (const PxTerm *term)
{
	g_autofree char *folded = NULL;

	if (term->kind != PX_TERM_WORD || term->quoted)
		return FALSE;
	folded = px_words_fold (term->text);
	return px_stopwords_contains (folded);
}

static void
px_group_free (PxGroup *group)
{
	g_ptr_array_unref (group->terms);
	g_free (group);
}

/* Returns: (transfer full) (element-type PxGroup): the positive terms of @terms in groups of
 * alternatives: a term joins the group before it when an OR links it to the term just before.
 * A group of stop words alone is optional, unless every group is. */
static GPtrArray *
px_query_group (GPtrArray *terms)
{
	g_autoptr (GPtrArray) groups =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_group_free);
	gboolean any_required = FALSE;

	for (guint i = 0; i < terms->len; i++) {
		PxTerm *term = g_ptr_array_index (terms, i);
		const PxTerm *previous = i > 0 ? g_ptr_array_index (terms, i - 1) : NULL;
		PxGroup *group;

		if (term->negated)
			continue;
		if (term->or_with_previous && previous != NULL && !previous->negated) {
			group = g_ptr_array_index (groups, groups->len - 1);
			group->optional = group->optional && px_query_term_is_stopword (term);
		} else {
			group = g_new0 (PxGroup, 1);
			group->terms = g_ptr_array_new ();
			group->optional = px_query_term_is_stopword (term);
			g_ptr_array_add (groups, group);
		}
		g_ptr_array_add (group->terms, term);
	}
	for (guint g = 0; g < groups->len; g++)
		any_required =
		    any_required || !((PxGroup *)g_ptr_array_index (groups, g))->optional;
	/* a query of stop words alone looks for them all */
	for (guint g = 0; g < groups->len && !any_required; g++)
		((PxGroup *)g_ptr_array_index (groups, g))->optional = FALSE;
	return g_steal_pointer (&groups);
}

/* Returns: (transfer full): the first @n_required required groups of @groups ANDed, each of
 * them an OR of its alternatives, then the negated terms of @terms after one NOT */
static char *
px_query_build (GPtrArray *terms, GPtrArray *groups, guint n_required, PxQueryLanguages languages)
{
	g_autoptr (GString) positive = g_string_new (NULL);
	g_autoptr (GString) negative = g_string_new (NULL);

	for (guint g = 0, used = 0; g < groups->len && used < n_required; g++) {
		const PxGroup *group = g_ptr_array_index (groups, g);

		if (group->optional)
			continue;
		used++;
		g_string_append (positive, positive->len > 0 ? " AND " : "");
		if (group->terms->len > 1)
			g_string_append_c (positive, '(');
		for (guint t = 0; t < group->terms->len; t++) {
			g_string_append (positive, t > 0 ? " OR " : "");
			px_query_append_term (positive, g_ptr_array_index (group->terms, t),
					      languages);
		}
		if (group->terms->len > 1)
			g_string_append_c (positive, ')');
	}
	for (guint i = 0; i < terms->len; i++) {
		const PxTerm *term = g_ptr_array_index (terms, i);

		if (!term->negated)
			continue;
		g_string_append (negative, negative->len > 0 ? " OR " : "");
		px_query_append_term (negative, term, languages);
	}
	if (negative->len == 0)
		return g_string_free (g_steal_pointer (&positive), FALSE);
	return g_strdup_printf ("(%s) NOT (%s)", positive->str, negative->str);
}

/* adds to @query's marks the words of @term (a phrase's one by one) */
static void
px_query_add_marks (PxQuery *query, const PxTerm *term)
{
	for (guint w = 0; term->text[w] != '\0';) {
		const char *space = strchr (term->text + w, ' ');
		gsize len =
		    space != NULL ? (gsize)(space - term->text - w) : strlen (term->text + w);
		g_ptr_array_add (query->marks, g_strndup (term->text + w, len));
		w += (guint)len + (space != NULL ? 1 : 0);
	}
}

/* fills @query's lists and expressions, in @languages, from its positive terms in @groups and
 * all of @terms */
static void
px_query_fill (PxQuery *query, GPtrArray *terms, GPtrArray *groups, PxQueryLanguages languages)
{
	guint n_required = 0;

	for (guint g = 0; g < groups->len; g++) {
		const PxGroup *group = g_ptr_array_index (groups, g);

		n_required += group->optional ? 0 : 1;
		for (guint t = 0; t < group->terms->len; t++) {
			const PxTerm *term = g_ptr_array_index (group->terms, t);

			if (term->kind == PX_TERM_WORD)
				g_ptr_array_add (query->words, g_strdup (term->text));
			if (term->kind == PX_TERM_PREFIX)
				g_ptr_array_add (query->prefixes, g_strdup (term->text));
			else if (!group->optional)
				px_query_add_marks (query, term);
			if (term->kind == PX_TERM_WORD && !term->exact && !group->optional)
				g_ptr_array_add (query->unstemmed, g_strdup (term->text));
		}
	}
	if (n_required == 0)
		return;
	query->fts = px_query_build (terms, groups, n_required, languages);
	/* "last": drop the required groups from the end, one at a time */
	for (guint n = n_required - 1; n > 0; n--)
		g_ptr_array_add (query->partial, px_query_build (terms, groups, n, languages));
}

PxQueryLanguages
px_query_languages_add (PxQueryLanguages languages, const char *tag)
{
	int language = px_words_find_language (tag, -1);

	if (language == PX_WORDS_ANY)
		return languages | PX_QUERY_ANY;
	if (language == PX_WORDS_UNSTEMMED)
		return languages | PX_QUERY_UNSTEMMED;
	return languages | (G_GUINT64_CONSTANT (1) << language);
}

PxQuery *
px_query_translate (const char *text, GError **error)
{
	return px_query_translate_in (text, PX_QUERY_EVERY_LANGUAGE, error);
}

PxQuery *
px_query_translate_in (const char *text, PxQueryLanguages languages, GError **error)
{
	g_autoptr (PxQuery) query = g_new0 (PxQuery, 1);
	g_autoptr (GPtrArray) terms = NULL;
	g_autoptr (GPtrArray) groups = NULL;

	query->words = g_ptr_array_new_with_free_func (g_free);
	query->marks = g_ptr_array_new_with_free_func (g_free);
	query->prefixes = g_ptr_array_new_with_free_func (g_free);
	query->unstemmed = g_ptr_array_new_with_free_func (g_free);
	query->partial = g_ptr_array_new_with_free_func (g_free);
	if (!g_utf8_validate (text, -1, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "the query is not valid UTF-8");
		return NULL;
	}
	if (g_utf8_strlen (text, -1) > PX_QUERY_MAX_CHARS) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the query is too long (at most %d characters)", PX_QUERY_MAX_CHARS);
		return NULL;
	}
	terms = px_query_parse_terms (text);
	if (terms->len > PX_QUERY_MAX_TERMS) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the query has too many terms (at most %d)", PX_QUERY_MAX_TERMS);
		return NULL;
	}
	groups = px_query_group (terms);
	if (groups->len == 0 && terms->len > 0) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the query only excludes words: add a word to look for");
		return NULL;
	}
	px_query_fill (query, terms, groups, languages);
	return g_steal_pointer (&query);
}
