/* cli-serve.c: praxis serve, the HTTP server on the configured database, with the API's
 * resources and the web pages registered into it, the enabled plugins hooked into its write path
 * (reloaded on SIGHUP), the outbox delivered beside it, and the subscriptions' digests run when
 * [mail] is set. */
#define G_LOG_DOMAIN "Praxis"

#include <glib-unix.h>

#include "api/api.h"
#include "cli.h"
#include "http/server.h"
#include "notify/delivery.h"
#include "subscriptions/scheduler.h"
#include "util/config.h"
#include "web/web.h"

static gboolean
px_cli_serve_reload_cb (gpointer user_data)
{
	g_autoptr (GError) error = NULL;

	if (!px_plugins_reload (user_data, &error))
		g_warning ("plugins not reloaded: %s", error->message);
	return G_SOURCE_CONTINUE;
}

/* the digests search a subscription's words as the pages do, rewritten by the plugins */
static char *
px_cli_serve_rewrite_cb (const char *query, gpointer user_data)
{
	return px_plugins_rewrite_query (user_data, query);
}

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
	/* declared before the API, so freed after it: the API's write path calls its hooks */
	g_autoptr (PxPlugins) plugins = NULL;
	/* declared before the server, so freed after it: the server's pools run the API's work */
	g_autoptr (PxApi) api = NULL;
	/* likewise: the pages share the API's search index and write path */
	g_autoptr (PxWeb) web = NULL;
	/* likewise: a change on the writer's thread may wake it until the server is freed */
	g_autoptr (PxDelivery) delivery = NULL;
	g_autoptr (PxServer) server = NULL;
	/* freed first: its thread searches the API's index and wakes the deliverer */
	g_autoptr (PxScheduler) scheduler = NULL;
	gboolean ok;

	if (!px_cli_parse (cli, "- serve Praxis over HTTP",
			   "Serves the JSON API until SIGTERM. Prints 'listening on URL' first.",
			   entries, &argc, &argv, &error))
		return px_cli_fail ("serve", error);
	if (argc > 1)
		return px_cli_usage ("serve", "unexpected argument");
	config = px_cli_load_config (cli, &error);
	if (config == NULL || (listen != NULL && !px_config_set_listen (config, listen, &error)))
		return px_cli_fail ("serve", error);
	server = px_server_new (config, &error);
	if (server == NULL)
		return px_cli_fail ("serve", error);
	plugins = px_plugins_new (config, NULL, &error);
	if (plugins == NULL)
		return px_cli_fail ("serve", error);
	api = px_api_new (config, plugins, &error);
	if (api == NULL)
		return px_cli_fail ("serve", error);
	web = px_web_new (config, px_api_get_search (api), px_api_get_practices (api), plugins,
			  &error);
	if (web == NULL)
		return px_cli_fail ("serve", error);
	/* delivers what the outbox holds, and what changes add to it while serving */
	delivery = px_delivery_new (config, &error);
	if (delivery == NULL)
		return px_cli_fail ("serve", error);
	/* the subscriptions' digests, when Praxis has mail of its own to send */
	if (config->mail_smtp_url != NULL) {
		scheduler = px_scheduler_new (config, px_api_get_search (api), delivery, &error);
		if (scheduler == NULL)
			return px_cli_fail ("serve", error);
		px_scheduler_set_rewrite (scheduler, px_cli_serve_rewrite_cb, plugins);
		px_scheduler_start (scheduler);
	}
	px_plugins_attach (plugins, px_api_get_practices (api), px_api_get_search (api), delivery);
	if (!px_plugins_start (plugins, config, &error))
		return px_cli_fail ("serve", error);
	g_unix_signal_add (SIGHUP, px_cli_serve_reload_cb, plugins);
	px_api_register (api, server);
	px_web_register (web, server);
	ok = px_server_run (server, &error);
	px_plugins_stop (plugins);
	return ok ? 0 : px_cli_fail ("serve", error);
}
