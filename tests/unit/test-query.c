/* test-query.c: the query translator: a table of tricky inputs and the FTS5 expression (or error)
 * each must give, and every expression checked against a real FTS5 table. */
#include <sqlite3.h>
#include <string.h>

#include "search/query.h"
#include "text/tokenizer.h"
#include "util/error.h"

/* the searches of this table look in English, Swedish and unstemmed practices: a word is
 * its English stem, its Swedish stem, or the word in practices without a stemmer (\001 is the
 * tokenizer's mark: "\001en:word" is the English stem of word); as a prefix there, unless it
 * is quoted or under four letters */
#define EXACT(w) "(\"\001en:" w "\" OR \"\001sv:" w "\" OR \"\001-:" w "\")"
#define WORD(w) "(\"\001en:" w "\" OR \"\001sv:" w "\" OR \"\001-:" w "\"*)"

static const struct {
	const char *input;
	const char *expected; /* NULL: nothing to match (list everything) */
	gboolean is_error;
} cases[] = {
    {"EU", EXACT ("eu"), FALSE},
    {"job", EXACT ("job"), FALSE},
    {"volunteers", WORD ("volunteers"), FALSE},
    {"Integrationsprojekte", WORD ("integrationsprojekte"), FALSE},
    /* a word that folding changes: the stems of its folded form too */
    {"Łódź",
     "(\"\001en:łódź\" OR \"\001en:lodz\" OR \"\001sv:łódź\" OR \"\001sv:lodz\" OR "
     "\"\001-:łódź\"*)",
     FALSE},
    /* quotes mean exact, even around one word */
    {"\"Water\"", EXACT ("water"), FALSE},
    {"\"lublin\" riga", EXACT ("lublin") " AND " WORD ("riga"), FALSE},
    /* a phrase: its words as themselves, or all as their stems in one language */
    {"\"language learning\"", EXACT ("language learning"), FALSE},
    {"\"unbalanced phrase", EXACT ("unbalanced phrase"), FALSE},
    {"malm*", "\"malm\"*", FALSE},
    {"riga -bikes", "(" WORD ("riga") ") NOT (" WORD ("bikes") ")", FALSE},
    {"NOT riga clubs", "(" WORD ("clubs") ") NOT (" WORD ("riga") ")", FALSE},
    {"a OR b", "(" EXACT ("a") " OR " EXACT ("b") ")", FALSE},
    {"riga OR lublin clubs", "(" WORD ("riga") " OR " WORD ("lublin") ") AND " WORD ("clubs"),
     FALSE},
    {"co-housing", EXACT ("co") " AND " WORD ("housing"), FALSE},
    {"e-bikes", WORD ("bikes"), FALSE}, /* "e" is a stop word (es, it, pt) */
    {"NEAR(", WORD ("near"), FALSE},
    {"title:foo", WORD ("title") " AND " EXACT ("foo"), FALSE},
    {"c++", EXACT ("c"), FALSE},
    {"'; DROP TABLE practices; --", WORD ("drop") " AND " WORD ("table") " AND " WORD ("practices"),
     FALSE},
    {"100%", EXACT ("100"), FALSE},
    {"l'eau", EXACT ("eau"), FALSE},
    /* a plain stop word in any language need not match; a phrase or a quoted word keeps it, an
     * exclusion stays, and a query of stop words alone looks for them all */
    {"jobs for refugees", WORD ("jobs") " AND " WORD ("refugees"), FALSE},
    {"Bikes OCH clubs i w Riga", WORD ("bikes") " AND " WORD ("clubs") " AND " WORD ("riga"),
     FALSE},
    {"für Riga", WORD ("riga"), FALSE},
    {"\"the language café\"",
     "(\"\001en:the language café\" OR \"\001en:the language cafe\" OR "
     "\"\001sv:the language café\" OR \"\001sv:the language cafe\" OR "
     "\"\001-:the language café\")",
     FALSE},
    {"\"the\" clubs", EXACT ("the") " AND " WORD ("clubs"), FALSE},
    {"the of", EXACT ("the") " AND " EXACT ("of"), FALSE},
    {"the OR of clubs", WORD ("clubs"), FALSE},
    {"the OR bikes clubs", "(" EXACT ("the") " OR " WORD ("bikes") ") AND " WORD ("clubs"), FALSE},
    {"clubs -the", "(" WORD ("clubs") ") NOT (" EXACT ("the") ")", FALSE},
    {"the -clubs", "(" EXACT ("the") ") NOT (" WORD ("clubs") ")", FALSE},
    {"clubs NOT for", "(" WORD ("clubs") ") NOT (" EXACT ("for") ")", FALSE},
    {"the*", "\"the\"*", FALSE},
    /* control characters are no word: the marks stay the translator's */
    {"\002sv gesundheitslotse", EXACT ("sv") " AND " WORD ("gesundheitslotse"), FALSE},
    {"\001-:x", EXACT ("x"), FALSE},
    {"*", NULL, FALSE},
    {"AND AND", NULL, FALSE},
    {"OR", NULL, FALSE},
    {"\"", NULL, FALSE},
    {"", NULL, FALSE},
    {")(*&^%$#@!", NULL, FALSE},
    {"-water", "the query only excludes words: add a word to look for", TRUE},
    {"-the -for", "the query only excludes words: add a word to look for", TRUE},
    {"\xff\xfe", "the query is not valid UTF-8", TRUE},
};

/* English, Swedish, and practices without a stemmer */
static PxQueryLanguages
table_languages (void)
{
	return px_query_languages_add (px_query_languages_add (PX_QUERY_UNSTEMMED, "en"), "sv");
}

/* FTS5 must accept whatever the translator writes */
static void
assert_fts5_accepts (sqlite3 *db, const char *expression)
{
	sqlite3_stmt *statement = NULL;
	int rc;

	g_assert_cmpint (
	    sqlite3_prepare_v2 (db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &statement, NULL),
	    ==, SQLITE_OK);
	sqlite3_bind_text (statement, 1, expression, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
		;
	g_test_message ("expression %s: %s", expression, sqlite3_errmsg (db));
	g_assert_cmpint (rc, ==, SQLITE_DONE);
	sqlite3_finalize (statement);
}

static sqlite3 *
open_fts (void)
{
	g_autoptr (GError) error = NULL;
	sqlite3 *db = NULL;

	g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
	g_assert_true (px_tokenizer_register (db, &error));
	g_assert_no_error (error);
	g_assert_cmpint (
	    sqlite3_exec (db,
			  "CREATE VIRTUAL TABLE t USING fts5(lang, a, b, tokenize = 'px');"
			  "INSERT INTO t VALUES (char(2) || 'sv', 'Språkcafé in Malmö', "
			  "'e-bikes for Łódź');",
			  NULL, NULL, NULL),
	    ==, SQLITE_OK);
	return db;
}

static void
test_query_table_func (void)
{
	sqlite3 *db = open_fts ();

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (PxQuery) query =
		    px_query_translate_in (cases[i].input, table_languages (), &error);

		if (cases[i].is_error) {
			g_assert_null (query);
			g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
			g_assert_cmpstr (error->message, ==, cases[i].expected);
			continue;
		}
		g_assert_no_error (error);
		g_test_message ("input: %s", cases[i].input);
		g_assert_cmpstr (query->fts, ==, cases[i].expected);
		if (query->fts != NULL)
			assert_fts5_accepts (db, query->fts);
	}
	sqlite3_close (db);
}

/* noise just under the length limit reaches the parser, which turns it into valid FTS5 or a
 * clear error other than the length one; one character more is the length error */
static void
test_query_limits_func (void)
{
	const char *const alphabets[] = {"\"(*-:^)", "a\"b(c*d-e:f^g)h OR ", "\"x\" -NOT ", NULL};
	sqlite3 *db = open_fts ();
	g_autoptr (GString) many = g_string_new (NULL);
	g_autoptr (GError) error = NULL;
	g_autoptr (PxQuery) query = NULL;

	for (guint a = 0; alphabets[a] != NULL; a++) {
		g_autoptr (GString) noise = g_string_new (NULL);

		for (guint i = 0; i < PX_QUERY_MAX_CHARS; i++)
			g_string_append_c (noise, alphabets[a][i % strlen (alphabets[a])]);
		query = px_query_translate (noise->str, &error);
		if (query != NULL && query->fts != NULL)
			assert_fts5_accepts (db, query->fts);
		if (error != NULL)
			g_assert_null (strstr (error->message, "too long"));
		g_clear_pointer (&query, px_query_free);
		g_clear_error (&error);
		g_string_append_c (noise, 'x');
		g_assert_null (px_query_translate (noise->str, &error));
		g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
		g_assert_nonnull (strstr (error->message, "too long"));
		g_clear_error (&error);
	}
	for (guint i = 0; i < 40; i++)
		g_string_append_printf (many, "w%u ", i);
	query = px_query_translate (many->str, &error);
	g_assert_null (query);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	sqlite3_close (db);
}

static void
test_query_matches_func (void)
{
	sqlite3 *db = open_fts ();
	const char *const finds[] = {"språkcaféer", "SPRAKCAFE", "malmo", "Lodz", "bikes", NULL};

	for (guint i = 0; finds[i] != NULL; i++) {
		g_autoptr (PxQuery) query = px_query_translate (finds[i], NULL);
		sqlite3_stmt *statement = NULL;

		sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &statement,
				    NULL);
		sqlite3_bind_text (statement, 1, query->fts, -1, SQLITE_STATIC);
		g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
		g_test_message ("input: %s (%s)", finds[i], query->fts);
		g_assert_cmpint (sqlite3_column_int (statement, 0), ==, 1);
		sqlite3_finalize (statement);
	}
	sqlite3_close (db);
}

static guint
count_matches (sqlite3 *db, const char *text)
{
	g_autoptr (PxQuery) query = px_query_translate (text, NULL);
	sqlite3_stmt *statement = NULL;
	guint count;

	sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &statement, NULL);
	sqlite3_bind_text (statement, 1, query->fts, -1, SQLITE_STATIC);
	g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
	count = (guint)sqlite3_column_int (statement, 0);
	sqlite3_finalize (statement);
	g_test_message ("%s (%s): %u", text, query->fts, count);
	return count;
}

/* a plain word also matches as a prefix in a practice without a language (as in one whose
 * language has no stemmer); quoted, only as itself */
static void
test_query_quoted_exact_func (void)
{
	sqlite3 *db = open_fts ();

	g_assert_cmpint (
	    sqlite3_exec (db, "INSERT INTO t VALUES (char(2), 'Meeting in Qwzrtxville', '')", NULL,
			  NULL, NULL),
	    ==, SQLITE_OK);
	g_assert_cmpuint (count_matches (db, "qwzrtx"), ==, 1);
	g_assert_cmpuint (count_matches (db, "\"qwzrtx\""), ==, 0);
	g_assert_cmpuint (count_matches (db, "\"Qwzrtxville\""), ==, 1);
	sqlite3_close (db);
}

/* a word is looked for in every kind of practice asked for, and only in those */
static void
test_query_languages_func (void)
{
	g_autoptr (PxQuery) every = px_query_translate ("volunteers", NULL);
	g_autoptr (PxQuery) none = px_query_translate_in ("volunteers", 0, NULL);
	g_autoptr (PxQuery) german = px_query_translate_in (
	    "volunteers", px_query_languages_add (0, "de-AT") | PX_QUERY_ANY, NULL);
	sqlite3 *db = open_fts ();

	for (guint i = 0; i < 2; i++) {
		const char *language = i == 0 ? "de" : "pt";
		g_autofree char *alternative = g_strdup_printf ("\"\001%s:volunteers\"", language);
		g_assert_nonnull (strstr (every->fts, alternative));
	}
	g_assert_nonnull (strstr (every->fts, "\"\001*:volunteers\" OR \"\001-:volunteers\"*"));
	g_assert_cmpstr (german->fts, ==,
			 "(\"\001de:volunteers\" OR \"\001*:volunteers\" OR "
			 "\"\001-:volunteers\"*)");
	/* no language at all: a valid expression all the same */
	g_assert_cmpstr (none->fts, ==, "(\"\001-:volunteers\"*)");
	assert_fts5_accepts (db, every->fts);
	assert_fts5_accepts (db, none->fts);
	g_assert_cmpuint (px_query_languages_add (0, "pt-BR"), ==,
			  px_query_languages_add (0, "pt"));
	g_assert_cmpuint (px_query_languages_add (0, "nb"), ==, px_query_languages_add (0, "no"));
	g_assert_cmpuint (px_query_languages_add (0, "nn"), ==, px_query_languages_add (0, "no"));
	g_assert_cmpuint (px_query_languages_add (0, "lv"), ==, PX_QUERY_UNSTEMMED);
	g_assert_cmpuint (px_query_languages_add (0, "pl"), ==, PX_QUERY_UNSTEMMED);
	g_assert_cmpuint (px_query_languages_add (0, NULL), ==, PX_QUERY_ANY);
	g_assert_cmpuint (px_query_languages_add (0, "sv") & (PX_QUERY_ANY | PX_QUERY_UNSTEMMED),
			  ==, 0);
	sqlite3_close (db);
}

static void
test_query_words_func (void)
{
	g_autoptr (PxQuery) query = px_query_translate ("Kristianstadt \"flash mob\" -sport", NULL);

	g_assert_cmpuint (query->words->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (query->words, 0), ==, "kristianstadt");
}

/* stop words that need not match are neither highlighted nor required, but stay among the
 * words that "did you mean" rebuilds the query from; a phrase's are highlighted */
static void
test_query_stopwords_marks_func (void)
{
	g_autoptr (PxQuery) query =
	    px_query_translate_in ("coaching for refugees \"the clubs\"", table_languages (), NULL);

	g_assert_cmpstr (query->fts, ==,
			 WORD ("coaching") " AND " WORD ("refugees") " AND " EXACT ("the clubs"));
	g_assert_cmpuint (query->words->len, ==, 3);
	g_assert_cmpstr (g_ptr_array_index (query->words, 1), ==, "for");
	g_assert_cmpuint (query->marks->len, ==, 4);
	g_assert_cmpstr (g_ptr_array_index (query->marks, 0), ==, "coaching");
	g_assert_cmpstr (g_ptr_array_index (query->marks, 1), ==, "refugees");
	g_assert_cmpstr (g_ptr_array_index (query->marks, 2), ==, "the");
	g_assert_cmpstr (g_ptr_array_index (query->marks, 3), ==, "clubs");
	g_clear_pointer (&query, px_query_free);

	/* stop words alone are looked for, so highlighted */
	query = px_query_translate ("The of", NULL);
	g_assert_cmpuint (query->marks->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (query->marks, 0), ==, "the");
}

/* the rows a real FTS5 table gives: a stop word need not be in the row, a phrase's must */
static void
test_query_stopwords_match_func (void)
{
	sqlite3 *db = open_fts ();

	g_assert_cmpint (
	    sqlite3_exec (db,
			  "INSERT INTO t VALUES (char(2) || 'en', 'Job coaching of refugees', "
			  "'in Riga')",
			  NULL, NULL, NULL),
	    ==, SQLITE_OK);
	g_assert_cmpuint (count_matches (db, "coaching for refugees"), ==, 1);
	g_assert_cmpuint (count_matches (db, "coaching för refugees på riga"), ==, 1);
	g_assert_cmpuint (count_matches (db, "\"coaching for refugees\""), ==, 0);
	g_assert_cmpuint (count_matches (db, "\"coaching of refugees\""), ==, 1);
	g_assert_cmpuint (count_matches (db, "coaching \"for\" refugees"), ==, 0);
	/* stop words alone: all must match */
	g_assert_cmpuint (count_matches (db, "of in"), ==, 1);
	g_assert_cmpuint (count_matches (db, "of the"), ==, 0);
	/* an excluded stop word stays excluded */
	g_assert_cmpuint (count_matches (db, "refugees -of"), ==, 0);
	g_assert_cmpuint (count_matches (db, "refugees -the"), ==, 1);
	sqlite3_close (db);
}

/* the expressions of partial matches: the required terms dropped from the end one by one,
 * down to the first; stop words never count, a phrase or an OR counts as one term, and the
 * exclusions stay in each */
static void
test_query_partial_func (void)
{
	const struct {
		const char *input;
		const char *partial[4]; /* NULL-terminated */
	} partial_cases[] = {
	    {"coaching for refugees housing",
	     {WORD ("coaching") " AND " WORD ("refugees"), WORD ("coaching"), NULL}},
	    {"riga clubs -bikes", {"(" WORD ("riga") ") NOT (" WORD ("bikes") ")", NULL}},
	    {"\"language learning\" for riga", {EXACT ("language learning"), NULL}},
	    {"riga OR lublin the clubs", {"(" WORD ("riga") " OR " WORD ("lublin") ")", NULL}},
	    {"the of", {EXACT ("the"), NULL}},
	    {"for refugees", {NULL}},
	    {"refugees", {NULL}},
	    {"-the refugees", {NULL}},
	};
	sqlite3 *db = open_fts ();

	for (guint i = 0; i < G_N_ELEMENTS (partial_cases); i++) {
		g_autoptr (PxQuery) query =
		    px_query_translate_in (partial_cases[i].input, table_languages (), NULL);
		guint n = g_strv_length ((char **)partial_cases[i].partial);

		g_test_message ("input: %s", partial_cases[i].input);
		g_assert_cmpuint (query->partial->len, ==, n);
		for (guint k = 0; k < n; k++) {
			g_assert_cmpstr (g_ptr_array_index (query->partial, k), ==,
					 partial_cases[i].partial[k]);
			assert_fts5_accepts (db, g_ptr_array_index (query->partial, k));
		}
	}
	sqlite3_close (db);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/query/table", test_query_table_func);
	g_test_add_func ("/praxis/query/limits", test_query_limits_func);
	g_test_add_func ("/praxis/query/matches", test_query_matches_func);
	g_test_add_func ("/praxis/query/words", test_query_words_func);
	g_test_add_func ("/praxis/query/languages", test_query_languages_func);
	g_test_add_func ("/praxis/query/quoted-exact", test_query_quoted_exact_func);
	g_test_add_func ("/praxis/query/stopwords-marks", test_query_stopwords_marks_func);
	g_test_add_func ("/praxis/query/stopwords-match", test_query_stopwords_match_func);
	g_test_add_func ("/praxis/query/partial", test_query_partial_func);
	return g_test_run ();
}
