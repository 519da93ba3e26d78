/* fuzz-feed.c: libFuzzer target for the feed parser. Any bytes must give an error whose message
 * is valid UTF-8, or a feed within the limits whose texts are valid UTF-8 (the cut ones at most
 * PX_FEED_MAX_TEXT bytes) and whose dates are Praxis timestamps. */
#include <string.h>

#include "util/feed.h"

static void
px_fuzz_check_text (const char *text, gboolean bounded)
{
	if (text == NULL)
		return;
	if (!g_utf8_validate (text, -1, NULL) || text[0] == '\0' ||
	    (bounded && strlen (text) > PX_FEED_MAX_TEXT))
		__builtin_trap ();
}

static void
px_fuzz_check_date (const char *date)
{
	/* 2024-03-01T07:00:00.000000Z */
	if (date != NULL &&
	    (strlen (date) != 27 || date[4] != '-' || date[10] != 'T' || date[26] != 'Z'))
		__builtin_trap ();
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFeed) feed =
	    px_feed_parse ((const char *)data, size, "https://fuzz.example/feed", &error);

	if (feed == NULL) {
		if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
			__builtin_trap ();
		return 0;
	}
	if (feed->entries->len > PX_FEED_MAX_ENTRIES)
		__builtin_trap ();
	px_fuzz_check_text (feed->title, TRUE);
	px_fuzz_check_text (feed->link, FALSE);
	px_fuzz_check_text (feed->language, TRUE);
	for (guint i = 0; i < feed->entries->len; i++) {
		const PxFeedEntry *entry = g_ptr_array_index (feed->entries, i);
		px_fuzz_check_text (entry->id, FALSE);
		px_fuzz_check_text (entry->title, TRUE);
		px_fuzz_check_text (entry->link, FALSE);
		px_fuzz_check_text (entry->summary, TRUE);
		px_fuzz_check_text (entry->author, TRUE);
		px_fuzz_check_text (entry->language, TRUE);
		px_fuzz_check_date (entry->published);
		px_fuzz_check_date (entry->updated);
		if (entry->categories->len > PX_FEED_MAX_CATEGORIES)
			__builtin_trap ();
		for (guint j = 0; j < entry->categories->len; j++)
			px_fuzz_check_text (g_ptr_array_index (entry->categories, j), TRUE);
	}
	return 0;
}
