/* stopwords.c: the stop-word lists of stopwords/LANG.txt (scripts/gen-stopwords writes Snowball's,
 * pl and lv are kept by hand), embedded as GResources, folded into one set of every language's
 * stop words. The set is built once per process behind g_once and never changes afterwards. */
#define G_LOG_DOMAIN "PxStopwords"

#include <gio/gio.h>
#include <string.h>

#include "stopwords.h"
#include "words.h"

#define PX_STOPWORDS_RESOURCES "/org/praxis/text/stopwords/"

typedef struct {
	GHashTable *words;    /* folded word -> itself: the stop words of every language */
	GPtrArray *languages; /* (element-type utf8): NULL-terminated, sorted */
} PxStopwords;

/* Returns: TRUE if all of @entry is word characters: one word as a query splits words */
static gboolean
px_stopwords_is_one_word (const char *entry)
{
	for (const char *c = entry; *c != '\0'; c = g_utf8_next_char (c)) {
		if (!px_words_is_word_char (g_utf8_get_char (c)))
			return FALSE;
	}
	return entry[0] != '\0';
}

/* adds the words of the list @name ("sv.txt"): one a line, '#' lines are comments */
static void
px_stopwords_add_list (PxStopwords *stopwords, const char *name)
{
	g_autofree char *path = g_strconcat (PX_STOPWORDS_RESOURCES, name, NULL);
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) bytes =
	    g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
	g_autofree char *text = NULL;
	g_auto (GStrv) lines = NULL;

	if (bytes == NULL) {
		g_warning ("stop words %s: %s", name, error->message);
		return;
	}
	text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
	if (!g_utf8_validate (text, -1, NULL)) {
		g_warning ("stop words %s: not UTF-8, left out", name);
		return;
	}
	lines = g_strsplit (text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *entry = g_strstrip (lines[i]);

		if (entry[0] != '#' && px_stopwords_is_one_word (entry))
			g_hash_table_add (stopwords->words, px_words_fold (entry));
	}
	g_ptr_array_add (stopwords->languages, g_strndup (name, strcspn (name, ".")));
}

static int
px_stopwords_compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *)a, *(char *const *)b);
}

static gpointer
px_stopwords_load_cb (gpointer data)
{
	PxStopwords *stopwords = g_new0 (PxStopwords, 1);
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) names = g_resources_enumerate_children (
	    PX_STOPWORDS_RESOURCES, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

	stopwords->words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	stopwords->languages = g_ptr_array_new_with_free_func (g_free);
	if (names == NULL)
		g_warning ("no stop words: %s", error->message);
	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		if (g_str_has_suffix (names[i], ".txt"))
			px_stopwords_add_list (stopwords, names[i]);
	}
	g_ptr_array_sort (stopwords->languages, px_stopwords_compare_names);
	g_ptr_array_add (stopwords->languages, NULL);
	return stopwords;
}

/* Returns: (transfer none): the set, built on the first call; it lives as long as the process */
static const PxStopwords *
px_stopwords_get (void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once (&once, px_stopwords_load_cb, NULL);
}

gboolean
px_stopwords_contains (const char *folded)
{
	return g_hash_table_contains (px_stopwords_get ()->words, folded);
}

const char *const *
px_stopwords_get_languages (void)
{
	return (const char *const *)px_stopwords_get ()->languages->pdata;
}
