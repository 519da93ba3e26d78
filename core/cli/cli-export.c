/* cli-export.c: praxis export, every practice and tombstone as JSON Lines. */
#define G_LOG_DOMAIN "Praxis"

#include <gio/gunixoutputstream.h>
#include <unistd.h>

#include "cli.h"
#include "model/jsonl.h"
#include "model/practice.h"
#include "store/export.h"
#include "util/timestamp.h"

typedef struct {
	GOutputStream *out;
	guint count;
	gboolean tty; /* stderr is a terminal: show the count as it grows */
} PxCliExportRun;

static gboolean
px_cli_export_cb (const PxPractice *practice, const char *tombstone_uid, const char *tombstone_at,
		  gpointer user_data, GError **error)
{
	PxCliExportRun *run = user_data;
	g_autofree char *line = px_jsonl_format_change (
	    practice, tombstone_uid, tombstone_at, PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID);

	if (run->tty && ++run->count % 1000 == 0)
		g_printerr ("\rexported %u", run->count);
	return g_output_stream_write_all (run->out, line, strlen (line), NULL, NULL, error);
}

int
px_cli_export (PxCli *cli, int argc, char **argv)
{
	g_autofree char *since = NULL;
	g_autofree char *output = NULL;
	const GOptionEntry entries[] = {
	    {"since", 's', 0, G_OPTION_ARG_STRING, &since,
	     "only changes after this time, with tombstones", "TIMESTAMP"},
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "write here, not to stdout", "FILE"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autoptr (GOutputStream) out = NULL;
	g_autoptr (GOutputStream) buffered = NULL;
	g_autofree char *normalized = NULL;
	PxCliExportRun run = {NULL, 0, isatty (STDERR_FILENO)};

	if (!px_cli_parse (cli, "- write practices as JSON Lines",
			   "Writes every practice in the native format that import reads.", entries,
			   &argc, &argv, &error))
		return px_cli_fail ("export", error);
	if (argc > 1)
		return px_cli_usage ("export", "unexpected argument");
	if (since != NULL && (normalized = px_timestamp_normalize (since)) == NULL)
		return px_cli_usage ("export", "--since needs an ISO 8601 timestamp");
	store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	if (store == NULL)
		return px_cli_fail ("export", error);
	if (output != NULL) {
		g_autoptr (GFile) file = g_file_new_for_commandline_arg (output);
		out = G_OUTPUT_STREAM (
		    g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
	} else
		out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
	if (out == NULL)
		return px_cli_fail ("export", error);
	buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);
	run.out = buffered;
	if (!px_export_all (store, normalized, TRUE, px_cli_export_cb, &run, &error) ||
	    !g_output_stream_close (buffered, NULL, &error))
		return px_cli_fail ("export", error);
	if (run.tty)
		g_printerr ("\r%40s\r", "");
	return 0;
}
