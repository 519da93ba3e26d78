/* cli-plugin.c: praxis plugin list|check [NAME]: the plugins praxis.conf enables, loaded as the
 * server loads them, with what they handle or why they failed. */
#define G_LOG_DOMAIN "Praxis"

#include "cli.h"
#include "lua/plugins.h"
#include "store/plugin-state.h"

/* a plugin the running server disabled for its failures says so, from the database */
static void
px_cli_plugin_read_state (PxStore *store, PxPluginsInfo *info)
{
	g_autoptr (PxPluginState) state = NULL;

	if (store == NULL || info->status != PX_PLUGINS_STATUS_LOADED)
		return;
	state = px_plugin_state_get (store, info->name, NULL);
	if (state == NULL || !g_str_equal (state->status, "disabled"))
		return;
	info->status = PX_PLUGINS_STATUS_DISABLED;
	g_free (info->reason);
	info->reason = g_strdup_printf ("disabled by the server at %s: %s", state->updated_at,
					state->reason != NULL ? state->reason : "");
}

static void
px_cli_plugin_print (const PxPluginsInfo *info)
{
	g_autofree char *events = g_strjoinv (", ", info->events);
	g_autofree char *importers = g_strjoinv (", ", info->importers);
	g_autofree char *timers = g_strjoinv (", ", info->timers);

	g_print ("%-20s %-9s", info->name, px_plugins_status_to_string (info->status));
	if (info->events[0] != NULL)
		g_print (" events: %s", events);
	if (info->importers[0] != NULL)
		g_print ("; importers: %s", importers);
	if (info->timers[0] != NULL)
		g_print ("; timers: %s", timers);
	g_print ("\n");
	if (info->reason != NULL)
		g_print ("%-20s %s\n", "", info->reason);
}

int
px_cli_plugin (PxCli *cli, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (GPtrArray) infos = NULL;
	g_autoptr (PxStore) store = NULL;
	gboolean check, failed = FALSE;

	if (!px_cli_parse (
		cli, "list|check [NAME] - the Lua plugins",
		"list: each enabled plugin ([plugins] enabled in praxis.conf), its status\n"
		"and what it handles. check: loads them (or NAME alone, enabled or not)\n"
		"and reports each error with its file and line; exit 1 when one fails.",
		NULL, &argc, &argv, &error))
		return px_cli_fail ("plugin", error);
	if (argc < 2 || (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "check")))
		return px_cli_usage ("plugin",
				     "use: praxis plugin list | praxis plugin check [NAME]");
	check = g_str_equal (argv[1], "check");
	if (argc > (check ? 3 : 2))
		return px_cli_usage ("plugin", "unexpected argument");
	config = px_cli_load_config (cli, &error);
	if (config == NULL)
		return px_cli_fail ("plugin", error);
	plugins = px_plugins_new (config, argc == 3 ? argv[2] : NULL, &error);
	if (plugins == NULL)
		return px_cli_fail ("plugin", error);
	infos = px_plugins_list (plugins);
	if (g_file_test (config->db_path, G_FILE_TEST_EXISTS))
		store = px_store_open (config->db_path, PX_STORE_READ_ONLY, config->busy_timeout_ms,
				       NULL);
	if (infos->len == 0)
		g_print ("no plugin is enabled ([plugins] enabled in %s)\n",
			 config->path != NULL ? config->path : "praxis.conf: give --config");
	for (guint i = 0; i < infos->len; i++) {
		PxPluginsInfo *info = g_ptr_array_index (infos, i);

		px_cli_plugin_read_state (store, info);
		px_cli_plugin_print (info);
		failed |= info->status != PX_PLUGINS_STATUS_LOADED;
	}
	return check && failed ? PX_CLI_EXIT_FAILED : 0;
}
