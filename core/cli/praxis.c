/* praxis.c: the `praxis` executable: subcommand dispatch in the style of git; each subcommand
 * (cli-NAME.c) has its own options. Exit codes: 0 done, 1 failed, 2 bad usage. */
#define G_LOG_DOMAIN "Praxis"

#include <locale.h>
#include <sodium.h>

#include "cli.h"

typedef int (*PxCommandFunc) (PxCli *cli, int argc, char **argv);

static const struct {
	const char *name;
	PxCommandFunc run;
	const char *summary;
} commands[] = {
    {"serve", px_cli_serve, "serve the web site and the JSON API"},
    {"import", px_cli_import, "load practices from a JSON Lines file"},
    {"export", px_cli_export, "write practices as JSON Lines"},
    {"search", px_cli_search, "search published practices"},
    {"user", px_cli_user, "manage accounts: user add|passwd|disable|enable|list|invite"},
    {"token", px_cli_token, "manage API tokens: token create EMAIL"},
    {"db", px_cli_db, "database upkeep: db migrate|check|rebuild|optimize"},
    {"plugin", px_cli_plugin, "the Lua plugins: plugin list|check [NAME]"},
    {"subscription", px_cli_subscription, "e-mail subscriptions: subscription add|list|remove"},
};

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
	PxCli cli = {NULL, NULL};
	int status = -1;

	setlocale (LC_ALL, "");
	if (sodium_init () < 0) {
		g_printerr ("praxis: libsodium cannot start\n");
		return PX_CLI_EXIT_FAILED;
	}
	if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
	    g_str_equal (argv[1], "help")) {
		px_print_help ();
		return argc < 2 ? PX_CLI_EXIT_USAGE : 0;
	}
	if (g_str_equal (argv[1], "--version")) {
		g_print ("praxis %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
		if (g_str_equal (argv[1], commands[i].name))
			status = commands[i].run (&cli, argc - 1, argv + 1);
	}
	g_free (cli.config_path);
	g_free (cli.db_path);
	if (status < 0) {
		g_printerr ("praxis: unknown command '%s' (see praxis --help)\n", argv[1]);
		return PX_CLI_EXIT_USAGE;
	}
	return status;
}
