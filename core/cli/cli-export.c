/* cli-export.c: praxis export, every practice and tombstone as JSON Lines. */
#define G_LOG_DOMAIN "Praxis"

#include <gio/gunixoutputstream.h>
#include <unistd.h>

#include "cli.h"
#include "model/practice.h"
#include "store/export.h"
#include "util/timestamp.h"

/* writes the whole export to @out, page by page; on a terminal (@tty) the count as it grows */
static gboolean
px_cli_export_write (PxStore *store, const char *since, GOutputStream *out, gboolean tty,
		     GError **error)
{
	g_autoptr (PxExportCursor) cursor = px_export_cursor_new (since, TRUE);
	g_autoptr (GString) page = g_string_new (NULL);
	guint total = 0;

	while (!cursor->done) {
		guint count = 0;

		g_string_truncate (page, 0);
		if (!px_export_page_lines (store, cursor,
					   PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID, page,
					   &count, error) ||
		    !g_output_stream_write_all (out, page->str, page->len, NULL, NULL, error))
			return FALSE;
		for (guint shown = (total / 1000 + 1) * 1000; tty && shown <= total + count;
		     shown += 1000)
			g_printerr ("\rexported %u", shown);
		total += count;
	}
	return TRUE;
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
	g_autofree char *normalized = NULL;
	gboolean tty = isatty (STDERR_FILENO);

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
	if (!px_cli_export_write (store, normalized, out, tty, &error) ||
	    !g_output_stream_close (out, NULL, &error))
		return px_cli_fail ("export", error);
	if (tty)
		g_printerr ("\r%40s\r", "");
	return 0;
}
