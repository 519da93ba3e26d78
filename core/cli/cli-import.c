/* cli-import.c: praxis import, JSON Lines (or, --with NAME, what a plugin's importer reads) into
 * the database through the write path with the enabled plugins' hooks, with a progress bar on a
 * terminal and a summary. */
#define G_LOG_DOMAIN "Praxis"

#include <gio/gunixinputstream.h>
#include <unistd.h>

#include "cli.h"
#include "lua/plugins.h"
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

static void
px_cli_import_refuse_cb (const char *where, const char *why, gpointer user_data)
{
	g_printerr ("%s%s: %s\n", ((PxCliImportProgress *)user_data)->tty ? "\r" : "", where, why);
}

/* an importer's source has no known length: the counts so far, on a terminal */
static void
px_cli_import_count_cb (const PxLuaImportStats *stats, gpointer user_data)
{
	PxCliImportProgress *progress = user_data;
	gint64 now = g_get_monotonic_time ();

	if (!progress->tty || now - progress->last_draw < 100000)
		return;
	progress->last_draw = now;
	g_printerr ("\r%u records: %u added, %u updated, %u rejected",
		    stats->added + stats->updated + stats->unchanged + stats->deleted +
			stats->rejected,
		    stats->added, stats->updated, stats->rejected);
}

/* praxis import --with NAME SOURCE */
static int
px_cli_import_with (PxPlugins *plugins, const char *importer, const char *source,
		    PxPractices *practices, PxStore *store)
{
	g_autoptr (GError) error = NULL;
	PxLuaImportStats stats = {0};
	PxCliImportProgress progress = {0, isatty (STDERR_FILENO), 0};
	PxLuaImportReport report = {px_cli_import_refuse_cb, px_cli_import_count_cb, &progress};
	gboolean ok = px_plugins_import (plugins, importer, source, practices, store, &stats,
					 &report, &error);

	if (progress.tty)
		g_printerr ("\r%60s\r", "");
	if (!ok)
		return px_cli_fail ("import", error);
	g_print ("added %u, updated %u, unchanged %u, deleted %u, rejected %u\n", stats.added,
		 stats.updated, stats.unchanged, stats.deleted, stats.rejected);
	return stats.rejected > 0 ? PX_CLI_EXIT_FAILED : 0;
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
	g_autofree char *with = NULL;
	const GOptionEntry entries[] = {
	    {"with", 'w', 0, G_OPTION_ARG_STRING, &with,
	     "read SOURCE with this plugin's importer (a file, '-', or a URL)", "NAME"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxStore) store = NULL;
	/* declared before the write path, so freed after it: its hooks are the plugins' */
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (PxPractices) practices = px_practices_new ();
	g_autoptr (GInputStream) input = NULL;
	PxCliImportProgress progress = {0, isatty (STDERR_FILENO), 0};
	PxImportStats stats = {0};

	if (!px_cli_parse (cli, "FILE.jsonl | --with NAME SOURCE - load practices",
			   "Adds new practices and updates changed ones by uid; '-' reads stdin.\n"
			   "Each record keeps its status (published when absent; an importer's\n"
			   "records are pending when they name none). The enabled plugins tag and\n"
			   "check every record.",
			   entries, &argc, &argv, &error))
		return px_cli_fail ("import", error);
	if (argc != 2)
		return px_cli_usage ("import",
				     with != NULL ? "give one SOURCE" : "give one FILE.jsonl");
	config = px_cli_load_config (cli, &error);
	if (config == NULL)
		return px_cli_fail ("import", error);
	plugins = px_plugins_new (config, NULL, &error);
	if (plugins == NULL)
		return px_cli_fail ("import", error);
	px_plugins_attach (plugins, practices, NULL, NULL);
	store =
	    px_store_open (config->db_path, PX_STORE_READ_WRITE, config->busy_timeout_ms, &error);
	if (store == NULL)
		return px_cli_fail ("import", error);
	if (with != NULL)
		return px_cli_import_with (plugins, with, argv[1], practices, store);
	input = px_cli_import_open_input (argv[1], &progress.total, &error);
	if (input == NULL)
		return px_cli_fail ("import", error);
	if (!px_import_jsonl (practices, store, input, &stats, px_cli_import_progress_cb,
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
