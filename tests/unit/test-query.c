/* test-query.c: the query translator: a table of tricky inputs and the FTS5 expression (or error)
 * each must give, and every expression checked against a real FTS5 table. */
#include <sqlite3.h>

#include "search/query.h"
#include "text/tokenizer.h"
#include "util/error.h"

static const struct {
	const char *input;
	const char *expected; /* NULL: nothing to match (list everything) */
	gboolean is_error;
} cases[] = {
    /* words go to FTS5 as quoted strings; the tokenizer adds stems and folds diacritics */
    {"volunteers", "\"volunteers\"", FALSE},
    {"Integrationsprojekte", "\"integrationsprojekte\"", FALSE},
    {"Łódź", "\"łódź\"", FALSE},
    {"EU", "\"eu\"", FALSE},
    /* a word of five letters or more that no stemmer shortens also matches as a prefix */
    {"Water", "(\"water\" OR \"water\"*)", FALSE},
    /* quotes mean exact, even around one word */
    {"\"Water\"", "\"water\"", FALSE},
    {"\"lublin\" riga", "\"lublin\" AND \"riga\"", FALSE},
    {"\"language café\"", "\"language café\"", FALSE},
    {"\"unbalanced phrase", "\"unbalanced phrase\"", FALSE},
    {"malm*", "\"malm\"*", FALSE},
    {"riga -bikes", "(\"riga\") NOT (\"bikes\")", FALSE},
    {"NOT riga clubs", "(\"clubs\") NOT (\"riga\")", FALSE},
    {"a OR b", "(\"a\" OR \"b\")", FALSE},
    {"riga OR lublin clubs", "(\"riga\" OR \"lublin\") AND \"clubs\"", FALSE},
    {"co-housing", "\"co\" AND \"housing\"", FALSE},
    {"e-bikes", "\"bikes\"", FALSE}, /* "e" is a stop word (es, it, pt) */
    {"NEAR(", "\"near\"", FALSE},
    {"title:foo", "\"title\" AND \"foo\"", FALSE},
    {"c++", "\"c\"", FALSE},
    {"'; DROP TABLE practices; --", "\"drop\" AND \"table\" AND \"practices\"", FALSE},
    {"100%", "\"100\"", FALSE},
    {"l'eau", "\"eau\"", FALSE},
    /* a plain stop word in any language need not match; a phrase or a quoted word keeps it, an
     * exclusion stays, and a query of stop words alone looks for them all */
    {"jobs for refugees", "\"jobs\" AND \"refugees\"", FALSE},
    {"Bikes OCH clubs i w Riga", "\"bikes\" AND \"clubs\" AND \"riga\"", FALSE},
    {"für Riga", "\"riga\"", FALSE},
    {"\"the language café\"", "\"the language café\"", FALSE},
    {"\"the\" clubs", "\"the\" AND \"clubs\"", FALSE},
    {"the of", "\"the\" AND \"of\"", FALSE},
    {"the OR of clubs", "\"clubs\"", FALSE},
    {"the OR bikes clubs", "(\"the\" OR \"bikes\") AND \"clubs\"", FALSE},
    {"clubs -the", "(\"clubs\") NOT (\"the\")", FALSE},
    {"the -clubs", "(\"the\") NOT (\"clubs\")", FALSE},
    {"clubs NOT for", "(\"clubs\") NOT (\"for\")", FALSE},
    {"the*", "\"the\"*", FALSE},
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
			  "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'px');"
			  "INSERT INTO t VALUES ('Språkcafé in Malmö', 'e-bikes for Łódź');",
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
		g_autoptr (PxQuery) query = px_query_translate (cases[i].input, &error);

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

/* a plain word that no stemmer shortens also matches as a prefix; quoted, only as itself */
static void
test_query_quoted_exact_func (void)
{
	sqlite3 *db = open_fts ();

	g_assert_cmpint (sqlite3_exec (db, "INSERT INTO t VALUES ('Meeting in Qwzrtxville', '')",
				       NULL, NULL, NULL),
			 ==, SQLITE_OK);
	g_assert_cmpuint (count_matches (db, "qwzrtx"), ==, 1);
	g_assert_cmpuint (count_matches (db, "\"qwzrtx\""), ==, 0);
	g_assert_cmpuint (count_matches (db, "\"Qwzrtxville\""), ==, 1);
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
	    px_query_translate ("coaching for refugees \"the clubs\"", NULL);

	g_assert_cmpstr (query->fts, ==, "\"coaching\" AND \"refugees\" AND \"the clubs\"");
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
	    sqlite3_exec (db, "INSERT INTO t VALUES ('Job coaching of refugees', 'in Riga')", NULL,
			  NULL, NULL),
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
	     {"\"coaching\" AND \"refugees\"", "\"coaching\"", NULL}},
	    {"riga clubs -bikes", {"(\"riga\") NOT (\"bikes\")", NULL}},
	    {"\"language café\" for riga", {"\"language café\"", NULL}},
	    {"riga OR lublin the clubs", {"(\"riga\" OR \"lublin\")", NULL}},
	    {"the of", {"\"the\"", NULL}},
	    {"for refugees", {NULL}},
	    {"refugees", {NULL}},
	    {"-the refugees", {NULL}},
	};
	sqlite3 *db = open_fts ();

	for (guint i = 0; i < G_N_ELEMENTS (partial_cases); i++) {
		g_autoptr (PxQuery) query = px_query_translate (partial_cases[i].input, NULL);
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
	g_test_add_func ("/praxis/query/quoted-exact", test_query_quoted_exact_func);
	g_test_add_func ("/praxis/query/stopwords-marks", test_query_stopwords_marks_func);
	g_test_add_func ("/praxis/query/stopwords-match", test_query_stopwords_match_func);
	g_test_add_func ("/praxis/query/partial", test_query_partial_func);
	return g_test_run ();
}
