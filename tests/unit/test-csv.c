/* test-csv.c: PxCsvReader on spreadsheet exports (quotes, line breaks in fields, a BOM, ';' and
 * tabs, CRLF) and on bad rows, each refused with the line its record starts on and a reason,
 * the rows after it read on; the limits of field size, columns and size. */
#include "util/csv.h"
#include "util/error.h"

typedef struct {
	guint64 line;
	const char *error;  /* a part of the reason, or NULL for a good row */
	const char *fields; /* a good row's fields joined by '|' */
} PxCsvExpected;

static char *
px_test_csv_read (const char *name, gsize *length)
{
	g_autofree char *path =
	    g_test_build_filename (G_TEST_DIST, "..", "data", "csv", name, NULL);
	g_autoptr (GError) error = NULL;
	char *text = NULL;

	g_file_get_contents (path, &text, length, &error);
	g_assert_no_error (error);
	return text;
}

static char *
px_test_csv_join (const PxCsvRow *row)
{
	g_autoptr (GString) joined = g_string_new (NULL);

	for (guint i = 0; i < row->fields->len; i++) {
		if (i > 0)
			g_string_append_c (joined, '|');
		g_string_append (joined, g_ptr_array_index (row->fields, i));
	}
	return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
px_test_csv_expect (const char *text, gsize length, char separator, const PxCsvExpected *expected,
		    guint n_expected)
{
	PxCsvOptions options = {.separator = separator};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxCsvReader) reader = px_csv_reader_new (text, length, &options, &error);
	const PxCsvRow *row;
	guint n = 0;

	g_assert_no_error (error);
	while ((row = px_csv_reader_next (reader)) != NULL) {
		g_autofree char *joined = px_test_csv_join (row);
		g_test_message ("row %u: line %" G_GUINT64_FORMAT " error %s fields %s", n,
				row->line, row->error, joined);
		g_assert_cmpuint (n, <, n_expected);
		g_assert_cmpuint (row->line, ==, expected[n].line);
		if (expected[n].error == NULL) {
			g_assert_null (row->error);
			g_assert_cmpstr (joined, ==, expected[n].fields);
		} else {
			g_assert_nonnull (row->error);
			g_assert_nonnull (strstr (row->error, expected[n].error));
			g_assert_cmpuint (row->fields->len, ==, 0);
		}
		n++;
	}
	g_assert_cmpuint (n, ==, n_expected);
	/* the end stays the end */
	g_assert_null (px_csv_reader_next (reader));
}

static void
px_test_csv_expect_text (const char *text, const PxCsvExpected *expected, guint n_expected)
{
	px_test_csv_expect (text, strlen (text), ',', expected, n_expected);
}

static void
test_csv_spreadsheet_func (void)
{
	gsize length = 0;
	g_autofree char *text = px_test_csv_read ("practices.csv", &length);
	const PxCsvExpected expected[] = {
	    {1, NULL, "uid|title|summary|country|city|language|themes|url"},
	    {2, NULL,
	     "epi-001|Language café|Weekly meetings where newcomers practise Swedish over coffee, "
	     "with volunteers.|SE|Malmö|sv|language-learning;volunteering|"
	     "https://example.org/epi-001"},
	    {3, NULL,
	     "epi-002|Mentoring \"Buddy\" programme|Pairs a newcomer with a local mentor.\nRuns "
	     "for six months, meets twice a month.|DK|Aarhus|da|employment;volunteering|"
	     "https://example.org/epi-002"},
	    {6, NULL,
	     "epi-003|Sprachcafé im Stadtteil|Deutsch lernen, Nachbarn treffen|DE|Leipzig|de|"
	     "language-learning|https://example.org/epi-003"},
	    /* spaces around an unquoted field are trimmed; the last field is empty */
	    {7, NULL,
	     "epi-004|Kawiarenka językowa|Spotkania dla cudzoziemców, co tydzień|PL|Gdańsk|pl|"
	     "language-learning|"},
	};

	px_test_csv_expect (text, length, ',', expected, G_N_ELEMENTS (expected));
}

/* a byte order mark, ';' and CRLF, as Excel writes in much of Europe; and tabs */
static void
test_csv_separators_func (void)
{
	gsize length = 0;
	g_autofree char *semicolon = px_test_csv_read ("semicolon.csv", &length);
	g_autofree char *tabs = NULL;
	const PxCsvExpected semicolon_rows[] = {
	    {1, NULL, "uid|title|country|city"},
	    {2, NULL, "elaine-01|Café de idiomas|ES|Bilbao"},
	    {3, NULL, "elaine-02|Job coaching; first steps|NL|Utrecht"},
	};
	const PxCsvExpected tab_rows[] = {
	    {1, NULL, "uid|title|country"},
	    {2, NULL, "x-1|One|LV"},
	    {3, NULL, "x-2|Two\tand a tab|LV"},
	};
	/* read with ',' the same text is one field per line */
	const PxCsvExpected as_commas[] = {
	    {1, NULL, "uid;title;country;city"},
	    {2, NULL, "elaine-01;Café de idiomas;ES;Bilbao"},
	    {3, "quote", NULL},
	};

	px_test_csv_expect (semicolon, length, ';', semicolon_rows, G_N_ELEMENTS (semicolon_rows));
	px_test_csv_expect (semicolon, length, ',', as_commas, G_N_ELEMENTS (as_commas));
	tabs = px_test_csv_read ("tabs.tsv", &length);
	px_test_csv_expect (tabs, length, '\t', tab_rows, G_N_ELEMENTS (tab_rows));
}

/* each bad row with the line its record starts on and why; the rows after it are read */
static void
test_csv_bad_rows_func (void)
{
	gsize length = 0;
	g_autofree char *text = px_test_csv_read ("bad-rows.csv", &length);
	const PxCsvExpected expected[] = {
	    {1, NULL, "uid|title|country"},
	    {2, NULL, "ok-1|Fine|SE"},
	    {3, "a quote inside the unquoted column 2", NULL},
	    {4, "text after the closing quote of column 2", NULL},
	    {5, NULL, "ok-4|Spans\ntwo lines|DK"},
	    {7, "invalid UTF-8 in column 2", NULL},
	    {8, "a NUL byte in column 2", NULL},
	    {9, NULL, "bad-7|Too|many|fields"},
	    {10, NULL, "bad-8|Too few"},
	    {12, NULL, "ok-9|After \"blank\"|NO"},
	    {13, "the quoted column 2 is not closed", NULL},
	};

	px_test_csv_expect (text, length, ',', expected, G_N_ELEMENTS (expected));
}

/* "\n", "\r\n" and a lone "\r" each end a line, inside quotes too */
static void
test_csv_lines_func (void)
{
	const PxCsvExpected expected[] = {
	    {1, NULL, "a"},
	    {2, NULL, "b"},
	    {3, NULL, "c|\"x\r\ny\rz\""},
	    {6, NULL, "d"},
	};
	const PxCsvExpected fault_in_multiline[] = {
	    {1, "text after the closing quote of column 1", NULL},
	    /* read on from the line after the fault */
	    {3, NULL, "next"},
	};
	const PxCsvExpected edges[] = {
	    {1, NULL, "a|"},
	    {2, NULL, "|"},
	    {3, NULL, ""},
	    {4, NULL, "last"},
	};
	const PxCsvExpected quote_after_spaces[] = {
	    {1, "text after the closing quote of column 1", NULL},
	    {2, NULL, "ok"},
	};

	px_test_csv_expect_text ("a\rb\r\nc,\"\"\"x\r\ny\rz\"\"\"\nd", expected,
				 G_N_ELEMENTS (expected));
	px_test_csv_expect_text ("\"multi\nline\" x\nnext\n", fault_in_multiline,
				 G_N_ELEMENTS (fault_in_multiline));
	px_test_csv_expect_text ("a,\n,\n\"\"\n  last  ", edges, G_N_ELEMENTS (edges));
	px_test_csv_expect_text ("\"a\" \"b\"\nok\n", quote_after_spaces,
				 G_N_ELEMENTS (quote_after_spaces));
	px_test_csv_expect_text ("", NULL, 0);
	px_test_csv_expect_text ("\n\r\n  \t \n", NULL, 0);
	px_test_csv_expect_text ("\xef\xbb\xbf", NULL, 0);
}

static void
test_csv_limits_func (void)
{
	g_autoptr (GString) wide = g_string_new (NULL);
	g_autoptr (GString) long_field = g_string_new ("\"");
	g_autoptr (GError) error = NULL;
	PxCsvOptions small = {.max_field = 8, .max_columns = 3, .max_size = 64};
	PxCsvReader *reader;
	const PxCsvRow *row;
	const char *text = "12345678,b\n123456789,b\na,b,c,d\nok\n";
	const PxCsvExpected wide_rows[] = {
	    {1, "more than 1000 columns", NULL},
	    {2, NULL, "after"},
	};
	const PxCsvExpected long_rows[] = {
	    {1, "column 1 is longer than 1048576 bytes", NULL},
	    {3, NULL, "after"},
	};

	for (guint i = 0; i < 1001; i++)
		g_string_append (wide, "x,");
	g_string_truncate (wide, wide->len - 1);
	g_string_append (wide, "\nafter\n");
	px_test_csv_expect_text (wide->str, wide_rows, G_N_ELEMENTS (wide_rows));

	for (guint i = 0; i < PX_CSV_MAX_FIELD / 16; i++)
		g_string_append (long_field, "0123456789abcdef");
	g_string_append (long_field, "\n!\"\nafter\n");
	px_test_csv_expect_text (long_field->str, long_rows, G_N_ELEMENTS (long_rows));

	reader = px_csv_reader_new (text, strlen (text), &small, &error);
	g_assert_no_error (error);
	row = px_csv_reader_next (reader);
	g_assert_null (row->error);
	row = px_csv_reader_next (reader);
	g_assert_cmpstr (row->error, ==, "column 1 is longer than 8 bytes");
	row = px_csv_reader_next (reader);
	g_assert_cmpstr (row->error, ==, "more than 3 columns");
	row = px_csv_reader_next (reader);
	g_assert_null (row->error);
	g_assert_cmpuint (row->line, ==, 4);
	px_csv_reader_free (reader);

	/* the whole text, and the separator */
	small.max_size = 10;
	g_assert_null (px_csv_reader_new (text, strlen (text), &small, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "larger than 10 bytes"));
	g_clear_error (&error);
	small.max_size = 0;
	small.separator = '|';
	g_assert_null (px_csv_reader_new (text, strlen (text), &small, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/csv/spreadsheet", test_csv_spreadsheet_func);
	g_test_add_func ("/praxis/csv/separators", test_csv_separators_func);
	g_test_add_func ("/praxis/csv/bad-rows", test_csv_bad_rows_func);
	g_test_add_func ("/praxis/csv/lines", test_csv_lines_func);
	g_test_add_func ("/praxis/csv/limits", test_csv_limits_func);
	return g_test_run ();
}
