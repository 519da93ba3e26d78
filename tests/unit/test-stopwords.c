/* test-stopwords.c: the embedded stop-word lists: every language's list read, folded as the index
 * folds, entries that are not one word left out, and each list kept sorted with its header. */
#include <gio/gio.h>
#include <string.h>

#include "text/stopwords.h"
#include "text/words.h"

static const char *const languages[] = {"da", "de", "en", "es", "fi", "fr", "hu", "id", "it",
					"lv", "nl", "no", "pl", "pt", "ro", "ru", "sv", NULL};

static void
test_stopwords_languages_func (void)
{
	const char *const *found = px_stopwords_get_languages ();

	g_assert_cmpuint (g_strv_length ((char **)found), ==, g_strv_length ((char **)languages));
	for (guint i = 0; languages[i] != NULL; i++)
		g_assert_cmpstr (found[i], ==, languages[i]);
}

/* one word of each list, as a query folds it, and words that are none */
static void
test_stopwords_contains_func (void)
{
	const char *const stop[] = {"og",  "und", "the", "la",	 "ja", "les", "az",    "yang",
				    "di",  "un",  "het", "ikke", "w",  "não", "acest", "и",
				    "och", "FÜR", "daß", "się",	 "på", NULL};
	const char *const other[] = {"refugees", "integration", "språkcafé", "aren",
				     "mentors",	 "riga",	"",	     NULL};

	for (guint i = 0; stop[i] != NULL; i++) {
		g_autofree char *folded = px_words_fold (stop[i]);
		g_test_message ("%s (%s)", stop[i], folded);
		g_assert_true (px_stopwords_contains (folded));
	}
	for (guint i = 0; other[i] != NULL; i++) {
		g_autofree char *folded = px_words_fold (other[i]);
		g_test_message ("%s (%s)", other[i], folded);
		g_assert_false (px_stopwords_contains (folded));
	}
	/* the set holds folded words only: a word with its diacritics is not one of them */
	g_assert_false (px_stopwords_contains ("på"));
}

/* each list: a header comment naming its source, then one word a line in byte order, no
 * repeats (scripts/gen-stopwords writes them so; the hand-kept ones must stay so) */
static void
test_stopwords_files_func (void)
{
	for (guint i = 0; languages[i] != NULL; i++) {
		g_autofree char *path =
		    g_strdup_printf ("/org/praxis/text/stopwords/%s.txt", languages[i]);
		g_autoptr (GError) error = NULL;
		g_autoptr (GBytes) bytes =
		    g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
		g_autofree char *text = NULL;
		g_auto (GStrv) lines = NULL;
		guint n_lines;

		g_assert_no_error (error);
		text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
		g_assert_true (g_utf8_validate (text, -1, NULL));
		g_assert_true (g_str_has_suffix (text, "\n"));
		lines = g_strsplit (text, "\n", -1);
		n_lines = g_strv_length (lines);
		g_test_message ("%s: %u lines", path, n_lines);
		g_assert_true (g_str_has_prefix (lines[0], "# "));
		g_assert_true (strstr (lines[0], "Snowball") != NULL ||
			       strstr (lines[0], "by hand") != NULL);
		g_assert_cmpuint (n_lines, >, 20);
		for (guint l = 2; l + 1 < n_lines; l++) {
			g_assert_cmpstr (lines[l], !=, "");
			g_assert_cmpint (strcmp (lines[l - 1], lines[l]), <, 0);
		}
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/stopwords/languages", test_stopwords_languages_func);
	g_test_add_func ("/praxis/stopwords/contains", test_stopwords_contains_func);
	g_test_add_func ("/praxis/stopwords/files", test_stopwords_files_func);
	return g_test_run ();
}
