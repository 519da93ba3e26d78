/* cli.c: what the subcommands of praxis share: the common options (--config, --db), option
 * parsing, error and usage messages with their exit codes, opening the configuration and the store.
 */
#define G_LOG_DOMAIN "Praxis"

#include "cli.h"

int
px_cli_fail (const char *what, const GError *error)
{
	g_printerr ("praxis %s: %s\n", what, error->message);
	return error->domain == G_OPTION_ERROR ? PX_CLI_EXIT_USAGE : PX_CLI_EXIT_FAILED;
}

int
px_cli_usage (const char *what, const char *message)
{
	g_printerr ("praxis %s: %s (see praxis %s --help)\n", what, message, what);
	return PX_CLI_EXIT_USAGE;
}

/* parses @entries plus --config and --db; leaves the positional arguments in @argv */
gboolean
px_cli_parse (PxCli *cli, const char *usage, const char *summary, const GOptionEntry *entries,
	      int *argc, char ***argv, GError **error)
{
	const GOptionEntry common_entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &cli->config_path,
	     "settings file (default: built-in defaults)", "FILE"},
	    {"db", 'd', 0, G_OPTION_ARG_FILENAME, &cli->db_path,
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

PxConfig *
px_cli_load_config (PxCli *cli, GError **error)
{
	g_autoptr (PxConfig) config = px_config_load (cli->config_path, error);

	if (config == NULL)
		return NULL;
	if (cli->db_path != NULL) {
		g_free (config->db_path);
		config->db_path = g_strdup (cli->db_path);
	}
	return g_steal_pointer (&config);
}

PxStore *
px_cli_open_store (PxCli *cli, PxStoreFlags flags, GError **error)
{
	g_autoptr (PxConfig) config = px_cli_load_config (cli, error);

	if (config == NULL)
		return NULL;
	return px_store_open (config->db_path, flags, config->busy_timeout_ms, error);
}
