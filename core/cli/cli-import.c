/* cli-import.c: praxis import, JSON Lines into the database, with a progress bar on a terminal. */
#define G_LOG_DOMAIN "Praxis"

#include <gio/gunixinputstream.h>
#include <unistd.h>

#include "cli.h"
#include "practices/import.h"

typedef struct {
	goffset total;
	gboolean tty;
	gint64 last_draw;
} PxCliImportProgress;

static void
px_cli_import_progress_cb (goffset done, gpointer user_data)
{
	PxCliImportProgress *progress = user_data;
	gint64 now = g_get_monotonic_time ();
	int percent;
	char bar[31];

	if (!progress->tty || progress->total <= 0 || now - progress->last_draw < 100000)
		return;
	progress->last_draw = now;
	percent = (int)MIN (100, done * 100 / progress->total);
	memset (bar, '#', percent * 30 / 100);
	memset (bar + percent * 30 / 100, '.', 30 - percent * 30 / 100);
	bar[30] = '\0';
	g_printerr ("\r[%s] %3d%%", bar, percent);
}

static void
px_cli_import_reject_cb (guint line, const char *why, gpointer user_data)
{
	g_printerr ("%sline %u: %s\n", ((PxCliImportProgress *)user_data)->tty ? "\r" : "", line,
		    why);
}

static GInputStream *
px_cli_import_open_input (const char *path, goffset *size, GError **error)
{
	g_autoptr (GFile) file = NULL;
	g_autoptr (GFileInfo) info = NULL;

	if (g_str_equal (path, "-"))
		return g_unix_input_stream_new (STDIN_FILENO, FALSE);
	file = g_file_new_for_commandline_arg (path);
	info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
	*size = info != NULL ? g_file_info_get_size (info) : 0;
	return G_INPUT_STREAM (g_file_read (file, NULL, error));
}

int
px_cli_import (PxCli *cli, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autoptr (PxPractices) practices = px_practices_new ();
	g_autoptr (GInputStream) input = NULL;
	PxCliImportProgress progress = {0, isatty (STDERR_FILENO), 0};
	PxImportStats stats = {0};

	if (!px_cli_parse (cli, "FILE.jsonl - load practices",
			   "Adds new practices and updates changed ones by uid; '-' reads stdin.\n"
			   "Each record keeps its status (published when absent).",
			   NULL, &argc, &argv, &error))
		return px_cli_fail ("import", error);
	if (argc != 2)
		return px_cli_usage ("import", "give one FILE.jsonl");
	input = px_cli_import_open_input (argv[1], &progress.total, &error);
	if (input == NULL)
		return px_cli_fail ("import", error);
	store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	if (store == NULL ||
	    !px_import_jsonl (practices, store, input, &stats, px_cli_import_progress_cb,
			      px_cli_import_reject_cb, &progress, &error)) {
		if (progress.tty)
			g_printerr ("\n");
		return px_cli_fail ("import", error);
	}
	if (progress.tty)
		g_printerr ("\r%60s\r", "");
	g_print ("added %u, updated %u, unchanged %u, rejected %u\n", stats.added, stats.updated,
		 stats.unchanged, stats.rejected);
	return stats.rejected > 0 ? PX_CLI_EXIT_FAILED : 0;
}
