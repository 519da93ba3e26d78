/* cli-serve.c: praxis serve, the HTTP server on the configured database. */
#define G_LOG_DOMAIN "Praxis"

#include "cli.h"
#include "http/server.h"
#include "util/config.h"

int
px_cli_serve (PxCli *cli, int argc, char **argv)
{
	g_autofree char *listen = NULL;
	const GOptionEntry entries[] = {
	    {"listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
	     "address to listen on; port 0 picks a free one", "HOST:PORT"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = NULL;

	if (!px_cli_parse (cli, "- serve Praxis over HTTP",
			   "Serves the JSON API until SIGTERM. Prints 'listening on URL' first.",
			   entries, &argc, &argv, &error))
		return px_cli_fail ("serve", error);
	if (argc > 1)
		return px_cli_usage ("serve", "unexpected argument");
	config = px_cli_load_config (cli, &error);
	if (config == NULL || (listen != NULL && !px_config_set_listen (config, listen, &error)) ||
	    !px_server_run (config, &error))
		return px_cli_fail ("serve", error);
	return 0;
}
