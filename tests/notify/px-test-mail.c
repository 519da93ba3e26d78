/* px-test-mail.c: puts one mail in the outbox of a database and runs a PxDelivery on it until
 * the mail is delivered or given up, for tests/notify/test_mail.py (the real code against a real
 * SMTP server). Prints "queued ID"; exits 0 once delivered, 1 when it failed, 2 on misuse. */
#include <glib.h>
#include <stdio.h>

#include "notify/delivery.h"
#include "store/outbox.h"
#include "util/config.h"

typedef struct {
	PxStore *store;
	const char *id;
	GMainLoop *loop;
	char *state;
} Watch;

static gboolean
watch_cb (gpointer data)
{
	Watch *watch = data;
	g_autoptr (GError) error = NULL;
	g_autofree char *state = NULL;

	if (!px_outbox_get_message_state (watch->store, watch->id, &state, NULL, &error)) {
		g_printerr ("px-test-mail: %s\n", error->message);
		g_main_loop_quit (watch->loop);
		return G_SOURCE_REMOVE;
	}
	if (g_str_equal (state, "pending"))
		return G_SOURCE_CONTINUE;
	watch->state = g_steal_pointer (&state);
	g_main_loop_quit (watch->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
give_up_cb (gpointer data)
{
	g_printerr ("px-test-mail: still pending after 30 s\n");
	g_main_loop_quit (data);
	return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
	g_autofree char *db = NULL, *smtp = NULL, *from = NULL, *subject = NULL, *text_file = NULL;
	g_auto (GStrv) to = NULL;
	gint max_attempts = 3;
	const GOptionEntry entries[] = {
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "the database", "PATH"},
	    {"smtp", 0, 0, G_OPTION_ARG_STRING, &smtp, "the SMTP server", "URL"},
	    {"from", 0, 0, G_OPTION_ARG_STRING, &from, "the sender", "ADDRESS"},
	    {"to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, "a recipient", "ADDRESS"},
	    /* a filename's bytes are not converted from the locale's charset: UTF-8 as given */
	    {"subject", 0, 0, G_OPTION_ARG_FILENAME, &subject, "the subject (UTF-8)", "TEXT"},
	    {"text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file, "the text", "PATH"},
	    {"max-attempts", 0, 0, G_OPTION_ARG_INT, &max_attempts, "attempts", "N"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GOptionContext) context = g_option_context_new ("- send one mail");
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autoptr (PxDelivery) delivery = NULL;
	g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
	g_autofree char *text = NULL;
	g_autofree char *id = NULL;
	g_autofree char *state = NULL;
	Watch watch = {0};
	guint give_up;

	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL || smtp == NULL ||
	    from == NULL || to == NULL || subject == NULL || text_file == NULL) {
		g_printerr ("px-test-mail: %s\n", error != NULL
						      ? error->message
						      : "--db, --smtp, --from, --to, "
							"--subject and --text-file are needed");
		return 2;
	}
	config = px_config_load (NULL, &error);
	g_free (config->db_path);
	config->db_path = g_strdup (db);
	config->notify_retry_base_ms = 100;
	config->notify_max_attempts = (guint)MAX (max_attempts, 1);
	config->notify_timeout_ms = 5000;
	store = px_store_open (db, PX_STORE_READ_WRITE, 1000, &error);
	if (store == NULL || !g_file_get_contents (text_file, &text, NULL, &error) ||
	    !px_outbox_add_mail (store, "px-test-mail", smtp, from, (const char *const *)to,
				 subject, text, "test.mail", &id, &error)) {
		g_printerr ("px-test-mail: %s\n", error->message);
		return 2;
	}
	printf ("queued %s\n", id);
	fflush (stdout);
	delivery = px_delivery_new (config, &error);
	if (delivery == NULL) {
		g_printerr ("px-test-mail: %s\n", error->message);
		return 2;
	}
	watch.store = store;
	watch.id = id;
	watch.loop = loop;
	g_timeout_add (20, watch_cb, &watch);
	give_up = g_timeout_add_seconds (30, give_up_cb, loop);
	g_main_loop_run (loop);
	g_source_remove (give_up);
	g_clear_pointer (&delivery, px_delivery_free);
	state = g_steal_pointer (&watch.state);
	printf ("%s %s\n", state != NULL ? state : "pending", id);
	return g_strcmp0 (state, "delivered") == 0 ? 0 : 1;
}
