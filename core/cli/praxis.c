/* praxis.c: the `praxis` executable: subcommand dispatch in the style of git, each subcommand
 * with its own options. Exit codes: 0 done, 1 failed, 2 bad usage. */
#define G_LOG_DOMAIN "Praxis"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "http/server.h"
#include "model/jsonl.h"
#include "search/search.h"
#include "store/store.h"
#include "util/config.h"
#include "util/error.h"
#include "util/form.h"

#define PX_EXIT_FAILED 1
#define PX_EXIT_USAGE 2

/* the options every subcommand shares */
typedef struct {
	char *config_path;
	char *db_path;
} PxCommon;

typedef int (*PxCommandFunc) (PxCommon *common, int argc, char **argv);

static int px_command_serve (PxCommon *common, int argc, char **argv);
static int px_command_import (PxCommon *common, int argc, char **argv);
static int px_command_export (PxCommon *common, int argc, char **argv);
static int px_command_search (PxCommon *common, int argc, char **argv);
static int px_command_user (PxCommon *common, int argc, char **argv);
static int px_command_token (PxCommon *common, int argc, char **argv);
static int px_command_db (PxCommon *common, int argc, char **argv);

static const struct {
	const char *name;
	PxCommandFunc run;
	const char *summary;
} commands[] = {
    {"serve", px_command_serve, "serve the web site and the JSON API"},
    {"import", px_command_import, "load practices from a JSON Lines file"},
    {"export", px_command_export, "write practices as JSON Lines"},
    {"search", px_command_search, "search published practices"},
    {"user", px_command_user, "manage accounts: user add EMAIL --role partner|admin"},
    {"token", px_command_token, "manage API tokens: token create EMAIL"},
    {"db", px_command_db, "database upkeep: db migrate|check|rebuild|optimize"},
};

static int
px_fail (const char *what, const GError *error)
{
	g_printerr ("praxis %s: %s\n", what, error->message);
	return error->domain == G_OPTION_ERROR ? PX_EXIT_USAGE : PX_EXIT_FAILED;
}

static int
px_usage (const char *what, const char *message)
{
	g_printerr ("praxis %s: %s (see praxis %s --help)\n", what, message, what);
	return PX_EXIT_USAGE;
}

/* parses @entries plus --config and --db; leaves the positional arguments in @argv */
static gboolean
px_parse (PxCommon *common, const char *usage, const char *summary, const GOptionEntry *entries,
	  int *argc, char ***argv, GError **error)
{
	const GOptionEntry common_entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &common->config_path,
	     "settings file (default: built-in defaults)", "FILE"},
	    {"db", 'd', 0, G_OPTION_ARG_FILENAME, &common->db_path,
	     "database file (default: [database] path)", "FILE"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GOptionContext) context = g_option_context_new (usage);

	g_option_context_set_summary (context, summary);
	g_option_context_add_main_entries (context, common_entries, NULL);
	if (entries != NULL)
		g_option_context_add_main_entries (context, entries, NULL);
	return g_option_context_parse (context, argc, argv, error);
}

static PxConfig *
px_load_config (PxCommon *common, GError **error)
{
	g_autoptr (PxConfig) config = px_config_load (common->config_path, error);

	if (config == NULL)
		return NULL;
	if (common->db_path != NULL) {
		g_free (config->db_path);
		config->db_path = g_strdup (common->db_path);
	}
	return g_steal_pointer (&config);
}

static PxStore *
px_open_store (PxCommon *common, PxStoreFlags flags, GError **error)
{
	g_autoptr (PxConfig) config = px_load_config (common, error);

	if (config == NULL)
		return NULL;
	return px_store_open (config->db_path, flags, config->busy_timeout_ms, error);
}

static int
px_command_serve (PxCommon *common, int argc, char **argv)
{
	g_autofree char *listen = NULL;
	const GOptionEntry entries[] = {
	    {"listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
	     "address to listen on; port 0 picks a free one", "HOST:PORT"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = NULL;

	if (!px_parse (common, "- serve Praxis over HTTP",
		       "Serves the JSON API until SIGTERM. Prints 'listening on URL' first.",
		       entries, &argc, &argv, &error))
		return px_fail ("serve", error);
	if (argc > 1)
		return px_usage ("serve", "unexpected argument");
	config = px_load_config (common, &error);
	if (config == NULL || (listen != NULL && !px_config_set_listen (config, listen, &error)) ||
	    !px_server_run (config, &error))
		return px_fail ("serve", error);
	return 0;
}

typedef struct {
	goffset total;
	gboolean tty;
	gint64 last_draw;
} PxProgress;

static void
px_import_progress_cb (goffset done, gpointer user_data)
{
	PxProgress *progress = user_data;
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
px_import_reject_cb (guint line, const char *why, gpointer user_data)
{
	g_printerr ("%sline %u: %s\n", ((PxProgress *)user_data)->tty ? "\r" : "", line, why);
}

static GInputStream *
px_open_input (const char *path, goffset *size, GError **error)
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

static int
px_command_import (PxCommon *common, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autoptr (GInputStream) input = NULL;
	PxProgress progress = {0, isatty (STDERR_FILENO), 0};
	PxImportStats stats = {0};

	if (!px_parse (common, "FILE.jsonl - load practices",
		       "Adds new practices and updates changed ones by uid; '-' reads stdin.\n"
		       "Each record keeps its status (published when absent).",
		       NULL, &argc, &argv, &error))
		return px_fail ("import", error);
	if (argc != 2)
		return px_usage ("import", "give one FILE.jsonl");
	input = px_open_input (argv[1], &progress.total, &error);
	if (input == NULL)
		return px_fail ("import", error);
	store = px_open_store (common, PX_STORE_READ_WRITE, &error);
	if (store == NULL || !px_jsonl_import (store, input, &stats, px_import_progress_cb,
					       px_import_reject_cb, &progress, &error)) {
		if (progress.tty)
			g_printerr ("\n");
		return px_fail ("import", error);
	}
	if (progress.tty)
		g_printerr ("\r%60s\r", "");
	g_print ("added %u, updated %u, unchanged %u, rejected %u\n", stats.added, stats.updated,
		 stats.unchanged, stats.rejected);
	return stats.rejected > 0 ? PX_EXIT_FAILED : 0;
}

typedef struct {
	GOutputStream *out;
	guint count;
	gboolean tty; /* stderr is a terminal: show the count as it grows */
} PxExportRun;

static gboolean
px_export_cb (const PxPractice *practice, const char *tombstone_uid, const char *tombstone_at,
	      gpointer user_data, GError **error)
{
	PxExportRun *run = user_data;
	g_autofree char *line = px_jsonl_format_change (
	    practice, tombstone_uid, tombstone_at, PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID);

	if (run->tty && ++run->count % 1000 == 0)
		g_printerr ("\rexported %u", run->count);
	return g_output_stream_write_all (run->out, line, strlen (line), NULL, NULL, error);
}

static int
px_command_export (PxCommon *common, int argc, char **argv)
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
	PxExportRun run = {NULL, 0, isatty (STDERR_FILENO)};

	if (!px_parse (common, "- write practices as JSON Lines",
		       "Writes every practice in the native format that import reads.", entries,
		       &argc, &argv, &error))
		return px_fail ("export", error);
	if (argc > 1)
		return px_usage ("export", "unexpected argument");
	if (since != NULL && (normalized = px_timestamp_normalize (since)) == NULL)
		return px_usage ("export", "--since needs an ISO 8601 timestamp");
	store = px_open_store (common, PX_STORE_READ_WRITE, &error);
	if (store == NULL)
		return px_fail ("export", error);
	if (output != NULL) {
		g_autoptr (GFile) file = g_file_new_for_commandline_arg (output);
		out = G_OUTPUT_STREAM (
		    g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
	} else
		out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
	if (out == NULL)
		return px_fail ("export", error);
	buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);
	run.out = buffered;
	if (!px_store_export (store, normalized, TRUE, px_export_cb, &run, &error) ||
	    !g_output_stream_close (buffered, NULL, &error))
		return px_fail ("export", error);
	if (run.tty)
		g_printerr ("\r%40s\r", "");
	return 0;
}

/* the search options, turned into the same parameters the API reads */
typedef struct {
	char **country, **city, **focus, **theme, **project, **language;
	char *year_from, *year_to, *sort, *page, *per_page;
	gboolean json;
} PxSearchOptions;

static void
px_search_options_clear (PxSearchOptions *options)
{
	g_strfreev (options->country);
	g_strfreev (options->city);
	g_strfreev (options->focus);
	g_strfreev (options->theme);
	g_strfreev (options->project);
	g_strfreev (options->language);
	g_free (options->year_from);
	g_free (options->year_to);
	g_free (options->sort);
	g_free (options->page);
	g_free (options->per_page);
}

static void
px_pairs_add_all (GPtrArray *pairs, const char *name, char **values)
{
	for (guint i = 0; values != NULL && values[i] != NULL; i++)
		px_form_pairs_add (pairs, name, values[i]);
}

static GPtrArray *
px_search_options_to_pairs (PxSearchOptions *options, const char *q)
{
	GPtrArray *pairs = px_form_pairs_new ();

	px_form_pairs_add (pairs, "q", q);
	px_pairs_add_all (pairs, "country", options->country);
	px_pairs_add_all (pairs, "city", options->city);
	px_pairs_add_all (pairs, "focus", options->focus);
	px_pairs_add_all (pairs, "theme", options->theme);
	px_pairs_add_all (pairs, "project", options->project);
	px_pairs_add_all (pairs, "language", options->language);
	px_form_pairs_add (pairs, "year_from", options->year_from);
	px_form_pairs_add (pairs, "year_to", options->year_to);
	px_form_pairs_add (pairs, "sort", options->sort);
	px_form_pairs_add (pairs, "page", options->page);
	px_form_pairs_add (pairs, "per_page", options->per_page);
	return pairs;
}

static void
px_print_results (GBytes *bytes)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	JsonObject *root;
	JsonArray *results;

	if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
					 (gssize)g_bytes_get_size (bytes), NULL))
		return;
	root = json_node_get_object (json_parser_get_root (parser));
	results = json_object_get_array_member (root, "results");
	g_print ("%" G_GINT64_FORMAT " practices\n", json_object_get_int_member (root, "total"));
	for (guint i = 0; i < json_array_get_length (results); i++) {
		JsonObject *result = json_array_get_object_element (results, i);
		g_print ("%4" G_GINT64_FORMAT "  %s\n      %s, %s, %" G_GINT64_FORMAT "\n",
			 json_object_get_int_member (result, "id"),
			 json_object_get_string_member (result, "title"),
			 json_object_get_string_member_with_default (result, "city", "-"),
			 json_object_get_string_member_with_default (result, "country", "-"),
			 json_object_get_int_member_with_default (result, "year", 0));
	}
	results = json_object_get_array_member (root, "suggestions");
	for (guint i = 0; i < json_array_get_length (results); i++)
		g_print ("did you mean: %s\n", json_array_get_string_element (results, i));
}

/* Returns: (transfer full): the API's answer to @request, from a read-only connection */
static GBytes *
px_search_once (PxCommon *common, const PxSearchRequest *request, GError **error)
{
	g_autoptr (PxConfig) config = px_load_config (common, error);
	g_autoptr (PxStore) store = NULL;
	g_autoptr (PxSearchIndex) index = NULL;

	if (config == NULL)
		return NULL;
	config->cache_bytes = 0;
	store = px_store_open (config->db_path, PX_STORE_READ_ONLY, config->busy_timeout_ms, error);
	if (store == NULL)
		return NULL;
	index = px_search_index_new (config, error);
	if (index == NULL)
		return NULL;
	return px_search_run (index, store, request, error);
}

static int
px_command_search (PxCommon *common, int argc, char **argv)
{
	PxSearchOptions options = {0};
	const GOptionEntry entries[] = {
	    {"country", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.country, "ISO code, repeatable",
	     "CC"},
	    {"city", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.city, "city, repeatable", "CITY"},
	    {"focus", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.focus,
	     "interact, participation or governance", "AREA"},
	    {"theme", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.theme, "theme, repeatable",
	     "THEME"},
	    {"project", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.project, "project, repeatable",
	     "NAME"},
	    {"language", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.language, "language tag", "TAG"},
	    {"year-from", 0, 0, G_OPTION_ARG_STRING, &options.year_from, "first year", "YEAR"},
	    {"year-to", 0, 0, G_OPTION_ARG_STRING, &options.year_to, "last year", "YEAR"},
	    {"sort", 0, 0, G_OPTION_ARG_STRING, &options.sort, "relevance or newest", "ORDER"},
	    {"page", 0, 0, G_OPTION_ARG_STRING, &options.page, "page number", "N"},
	    {"per-page", 0, 0, G_OPTION_ARG_STRING, &options.per_page, "results per page", "N"},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &options.json, "print the API's JSON", NULL},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) pairs = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxSearchRequest) request = NULL;
	g_autoptr (GBytes) bytes = NULL;
	int status = 0;

	if (!px_parse (common, "[QUERY] - search published practices",
		       "Searches as GET /api/practices does; without QUERY lists the newest.",
		       entries, &argc, &argv, &error)) {
		px_search_options_clear (&options);
		return px_fail ("search", error);
	}
	pairs = px_search_options_to_pairs (&options, argc > 1 ? argv[1] : NULL);
	request = px_search_request_parse (pairs, errors);
	if (argc > 2)
		status = px_usage ("search", "quote a query of several words");
	else if (request == NULL) {
		const PxFieldError *first = g_ptr_array_index (errors, 0);
		g_printerr ("praxis search: %s %s\n", first->field, first->message);
		status = PX_EXIT_USAGE;
	} else if ((bytes = px_search_once (common, request, &error)) == NULL) {
		status = px_fail ("search", error);
	} else if (options.json) {
		g_print ("%.*s\n", (int)g_bytes_get_size (bytes),
			 (const char *)g_bytes_get_data (bytes, NULL));
	} else {
		px_print_results (bytes);
	}
	px_search_options_clear (&options);
	return status;
}

static int
px_command_user (PxCommon *common, int argc, char **argv)
{
	g_autofree char *role_name = NULL;
	const GOptionEntry entries[] = {
	    {"role", 'r', 0, G_OPTION_ARG_STRING, &role_name, "partner or admin", "ROLE"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	PxRole role;

	if (!px_parse (common, "add EMAIL --role partner|admin - add an account",
		       "Partners submit practices; admins also moderate them.", entries, &argc,
		       &argv, &error))
		return px_fail ("user", error);
	if (argc != 3 || !g_str_equal (argv[1], "add"))
		return px_usage ("user", "use: praxis user add EMAIL --role partner|admin");
	if (!px_role_from_string (role_name, &role))
		return px_usage ("user", "--role must be partner or admin");
	if (strchr (argv[2], '@') == NULL || !g_utf8_validate (argv[2], -1, NULL))
		return px_usage ("user", "EMAIL must be an e-mail address");
	store = px_open_store (common, PX_STORE_READ_WRITE, &error);
	if (store == NULL || !px_store_add_user (store, argv[2], role, &error))
		return px_fail ("user", error);
	g_print ("added %s (%s)\n", argv[2], role_name);
	return 0;
}

static int
px_command_token (PxCommon *common, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autofree char *token = NULL;

	if (!px_parse (common, "create EMAIL - make an API token",
		       "Prints a new bearer token for the account as the last line; only its hash "
		       "is stored, so keep it now.",
		       NULL, &argc, &argv, &error))
		return px_fail ("token", error);
	if (argc != 3 || !g_str_equal (argv[1], "create"))
		return px_usage ("token", "use: praxis token create EMAIL");
	store = px_open_store (common, PX_STORE_READ_WRITE, &error);
	if (store == NULL || (token = px_store_create_token (store, argv[2], &error)) == NULL)
		return px_fail ("token", error);
	g_print ("token for %s (shown once):\n%s\n", argv[2], token);
	return 0;
}

static const char *const db_actions[] = {"migrate", "check", "rebuild", "optimize", NULL};

static int
px_command_db (PxCommon *common, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	const char *action;

	if (!px_parse (
		common, "migrate|check|rebuild|optimize - database upkeep",
		"migrate: apply schema migrations\n"
		"check: SQLite's integrity_check and the full-text index against the data\n"
		"rebuild: build the full-text index again from the practices (repairs check)\n"
		"optimize: merge the full-text index and checkpoint the WAL",
		NULL, &argc, &argv, &error))
		return px_fail ("db", error);
	if (argc != 2 || !g_strv_contains (db_actions, argv[1]))
		return px_usage ("db", "give one of migrate, check, rebuild, optimize");
	action = argv[1];
	/* opening read-write migrates */
	store = px_open_store (common, PX_STORE_READ_WRITE, &error);
	if (store == NULL)
		return px_fail ("db", error);
	if (g_str_equal (action, "check") && !px_store_check (store, &error))
		return px_fail ("db check", error);
	if (g_str_equal (action, "rebuild") && !px_store_rebuild (store, &error))
		return px_fail ("db rebuild", error);
	if (g_str_equal (action, "optimize") && !px_store_optimize (store, &error))
		return px_fail ("db optimize", error);
	g_print ("%s: ok (schema %d)\n", action, px_store_get_schema_version (store));
	return 0;
}

static void
px_print_help (void)
{
	g_print (
	    "Usage: praxis COMMAND [OPTIONS]\n\nPraxis: good practices in migrant integration, "
	    "searchable and shareable.\n\nCommands:\n");
	for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
		g_print ("  %-8s %s\n", commands[i].name, commands[i].summary);
	g_print ("\nEach command takes --help, --config FILE and --db FILE.\n");
}

int
main (int argc, char **argv)
{
	PxCommon common = {NULL, NULL};
	int status = -1;

	setlocale (LC_ALL, "");
	if (sodium_init () < 0) {
		g_printerr ("praxis: libsodium cannot start\n");
		return PX_EXIT_FAILED;
	}
	if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
	    g_str_equal (argv[1], "help")) {
		px_print_help ();
		return argc < 2 ? PX_EXIT_USAGE : 0;
	}
	if (g_str_equal (argv[1], "--version")) {
		g_print ("praxis %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
		if (g_str_equal (argv[1], commands[i].name))
			status = commands[i].run (&common, argc - 1, argv + 1);
	}
	g_free (common.config_path);
	g_free (common.db_path);
	if (status < 0) {
		g_printerr ("praxis: unknown command '%s' (see praxis --help)\n", argv[1]);
		return PX_EXIT_USAGE;
	}
	return status;
}
