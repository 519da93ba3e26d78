/* web.c: PxWeb, the web front end's context (templates, catalogs, the forms' key) and the
 * registration of every page module's routes. */
#define G_LOG_DOMAIN "PxWeb"

#include "web.h"
#include "web-page.h"
#include "web-private.h"

/* the practices one address may send in an hour through /submit */
#define PX_WEB_SUBMIT_PER_HOUR 10
/* the subscriptions one address may ask for in an hour through /subscribe */
#define PX_WEB_SUBSCRIBE_PER_HOUR 10

PxWeb *
px_web_new (const PxConfig *config, PxSearchIndex *search, PxPractices *practices,
	    PxPlugins *plugins, GError **error)
{
	g_autoptr (PxWeb) web = g_new0 (PxWeb, 1);

	if (sodium_init () < 0) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
				     "libsodium failed to start");
		return NULL;
	}
	web->config = config;
	web->search = search;
	web->practices = practices;
	web->plugins = plugins;
	web->templates = px_web_templates_new (config->web_theme, error);
	if (web->templates == NULL)
		return NULL;
	web->i18n = px_i18n_new (error);
	if (web->i18n == NULL)
		return NULL;
	web->submit_limit = px_web_limit_new (PX_WEB_SUBMIT_PER_HOUR, 3600);
	web->subscribe_limit = px_web_limit_new (PX_WEB_SUBSCRIBE_PER_HOUR, 3600);
	crypto_auth_keygen (web->form_key);
	px_web_account_limits_init (web);
	return g_steal_pointer (&web);
}

void
px_web_free (PxWeb *web)
{
	if (web == NULL)
		return;
	px_web_templates_free (web->templates);
	px_i18n_free (web->i18n);
	px_web_limit_free (web->submit_limit);
	px_web_limit_free (web->subscribe_limit);
	g_clear_pointer (&web->static_files, g_hash_table_unref);
	px_web_limit_free (web->login_client_failures);
	px_web_limit_free (web->login_pair_failures);
	px_web_limit_free (web->login_email_failures);
	px_web_limit_free (web->login_sign_ins);
	sodium_memzero (web->form_key, sizeof web->form_key);
	g_free (web);
}

void
px_web_register (PxWeb *web, PxServer *server)
{
	web->server = server;
	px_server_set_not_found (server, px_web_page_not_found, web);
	px_web_static_register (web, server);
	px_web_language_register (web, server);
	px_web_search_register (web, server);
	px_web_practice_register (web, server);
	px_web_feed_register (web, server);
	px_web_account_register (web, server);
	px_web_submit_register (web, server);
	px_web_admin_register (web, server);
	px_web_subscribe_register (web, server);
}
