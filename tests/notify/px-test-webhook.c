/* px-test-webhook.c: puts one webhook of a stored practice in the outbox of a database, as a
 * plugin would, and exits, for tests/notify/test_webhook.py (a server started on that database
 * delivers it). Prints "queued ID"; exits 0 once queued, 2 otherwise. */
#include <glib.h>
#include <stdio.h>

#include "store/outbox.h"
#include "store/records.h"

int
main (int argc, char **argv)
{
	g_autofree char *db = NULL, *url = NULL, *secret = NULL, *event = NULL;
	gint64 practice_id = 0;
	const GOptionEntry entries[] = {
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "the database", "PATH"},
	    {"url", 0, 0, G_OPTION_ARG_STRING, &url, "the receiver", "URL"},
	    {"secret", 0, 0, G_OPTION_ARG_STRING, &secret, "the signing key", "TEXT"},
	    {"event", 0, 0, G_OPTION_ARG_STRING, &event, "the event", "NAME"},
	    {"practice-id", 0, 0, G_OPTION_ARG_INT64, &practice_id, "the practice", "ID"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GOptionContext) context = g_option_context_new ("- queue one webhook");
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autoptr (PxPractice) practice = NULL;
	g_autofree char *id = NULL;

	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL || url == NULL ||
	    secret == NULL || practice_id == 0) {
		g_printerr ("px-test-webhook: %s\n",
			    error != NULL ? error->message
					  : "--db, --url, --secret and --practice-id are needed");
		return 2;
	}
	store = px_store_open (db, PX_STORE_READ_WRITE, 1000, &error);
	if (store != NULL)
		practice = px_records_get (store, practice_id, &error);
	if (practice == NULL ||
	    !px_outbox_add_webhook (store, "px-test-webhook", url, secret,
				    event != NULL ? event : "practice.published", practice, &id,
				    &error)) {
		g_printerr ("px-test-webhook: %s\n", error->message);
		return 2;
	}
	printf ("queued %s\n", id);
	return 0;
}
