/* config.c: loads praxis.conf into PxConfig, checking every value's range.
 * The defaults here are the ones documented in config/praxis.conf. */
#define G_LOG_DOMAIN "PxConfig"

#include <string.h>

#include "config.h"
#include "error.h"

#include <string.h>

static PxConfig *
px_config_new_defaults (void)
{
	PxConfig *config = g_new0 (PxConfig, 1);

	config->db_path = g_strdup ("praxis.db");
	config->busy_timeout_ms = 5000;
	config->listen_host = g_strdup ("127.0.0.1");
	config->listen_port = 8080;
	config->max_body_bytes = 1024 * 1024;
	config->workers = 2;
	config->request_timeout_ms = 5000;
	config->cache_bytes = 64 * 1024 * 1024;
	config->max_queue = 256;
	config->notify_retry_base_ms = 1000;
	config->notify_max_attempts = 10;
	config->notify_timeout_ms = 10000;
	config->subscriptions_interval_s = 60;
	return config;
}

void
px_config_free (PxConfig *config)
{
	if (config == NULL)
		return;
	g_free (config->path);
	g_free (config->db_path);
	g_free (config->listen_host);
	g_free (config->web_base_url);
	g_free (config->web_theme);
	g_strfreev (config->web_themes);
	g_free (config->mail_smtp_url);
	g_free (config->mail_from);
	g_free (config);
}

gboolean
px_config_set_listen (PxConfig *config, const char *spec, GError **error)
{
	const char *colon = strrchr (spec, ':');
	g_autofree char *host = NULL;
	guint64 port = 0;

	if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "listen address '%s' is not HOST:PORT with a port in 0..65535", spec);
		return FALSE;
	}
	host = g_strndup (spec, colon - spec);
	if (host[0] == '[' && g_str_has_suffix (host, "]")) {
		char *inner = g_strndup (host + 1, strlen (host) - 2);
		g_free (host);
		host = inner;
	}
	g_free (config->listen_host);
	config->listen_host = host[0] != '\0' ? g_steal_pointer (&host) : g_strdup ("127.0.0.1");
	config->listen_port = (guint16)port;
	return TRUE;
}

char *
px_config_get_base_url (const PxConfig *config)
{
	if (config->web_base_url != NULL)
		return g_strdup (config->web_base_url);
	if (strchr (config->listen_host, ':') != NULL)
		return g_strdup_printf ("http://[%s]:%u", config->listen_host, config->listen_port);
	return g_strdup_printf ("http://%s:%u", config->listen_host, config->listen_port);
}

/* reads an optional URL key of one of @schemes (NULL-terminated) with a host, no query and no
 * fragment, into *value (a trailing slash dropped); a missing or empty key keeps *value */
static gboolean
px_config_read_url (GKeyFile *keyfile, const char *group, const char *key,
		    const char *const *schemes, char **value, GError **error)
{
	g_autofree char *text = g_key_file_get_string (keyfile, group, key, NULL);
	g_autoptr (GUri) uri = NULL;

	if (text == NULL || g_strstrip (text)[0] == '\0')
		return TRUE;
	uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL || !g_strv_contains (schemes, g_uri_get_scheme (uri)) ||
	    g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
	    g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL) {
		g_autofree char *names = g_strjoinv ("://, ", (char **)schemes);

		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "[%s] %s = '%s' is not a URL with a host that starts with %s:// (and "
			     "has no ? or #)",
			     group, key, text, names);
		return FALSE;
	}
	while (g_str_has_suffix (text, "/"))
		text[strlen (text) - 1] = '\0';
	g_free (*value);
	*value = g_steal_pointer (&text);
	return TRUE;
}

/* [mail]: smtp_url and from go together; from is a bare address (local@domain) */
static gboolean
px_config_read_mail (PxConfig *config, GKeyFile *keyfile, GError **error)
{
	const char *const schemes[] = {"smtp", "smtps", NULL};
	g_autofree char *from = g_key_file_get_string (keyfile, "mail", "from", NULL);
	const char *at;

	if (!px_config_read_url (keyfile, "mail", "smtp_url", schemes, &config->mail_smtp_url,
				 error))
		return FALSE;
	if (from != NULL && g_strstrip (from)[0] == '\0')
		g_clear_pointer (&from, g_free);
	if ((from == NULL) != (config->mail_smtp_url == NULL)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "[mail] smtp_url and from are set together or not at all");
		return FALSE;
	}
	if (from == NULL)
		return TRUE;
	at = strchr (from, '@');
	if (at == NULL || at == from || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
	    strpbrk (from, " \t<>()[]\\,;:\"") != NULL || !g_str_is_ascii (from)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "[mail] from = '%s' is not a bare address such as praxis@example.org",
			     from);
		return FALSE;
	}
	g_free (config->mail_from);
	config->mail_from = g_steal_pointer (&from);
	return TRUE;
}

/* reads an optional unsigned key; a missing key keeps *value */
static gboolean
px_config_read_uint (GKeyFile *keyfile, const char *group, const char *key, guint64 min,
		     guint64 max, guint64 *value, GError **error)
{
	g_autofree char *text = g_key_file_get_value (keyfile, group, key, NULL);

	if (text == NULL)
		return TRUE;
	g_strstrip (text);
	if (!g_ascii_string_to_unsigned (text, 10, min, max, value, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "[%s] %s = '%s' is not a whole number in %" G_GUINT64_FORMAT
			     "..%" G_GUINT64_FORMAT,
			     group, key, text, min, max);
		return FALSE;
	}
	return TRUE;
}

/* an http(s) origin, perhaps with a path, which links are appended to */
static gboolean
px_config_set_base_url (PxConfig *config, char *text, GError **error)
{
	g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
	gsize length = strlen (text);

	while (length > 0 && text[length - 1] == '/')
		text[--length] = '\0';
	if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_query (uri) != NULL ||
	    (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
	     g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "[web] base_url: \"%s\" is not an http(s) URL like "
			     "https://praxis.example.org",
			     text);
		return FALSE;
	}
	config->web_base_url = g_strdup (text);
	return TRUE;
}

/* [web] themes: slugs (a-z, 0-9 and inner '-', at most 40) separated by ';' */
static gboolean
px_config_read_themes (PxConfig *config, GKeyFile *keyfile, GError **error)
{
	g_auto (GStrv) themes = g_key_file_get_string_list (keyfile, "web", "themes", NULL, NULL);
	g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

	for (guint i = 0; themes != NULL && themes[i] != NULL; i++) {
		const char *theme = g_strstrip (themes[i]);
		gsize length = strlen (theme);

		if (length == 0)
			continue;
		if (length > 40 || theme[0] == '-' || theme[length - 1] == '-' ||
		    strspn (theme, "abcdefghijklmnopqrstuvwxyz0123456789-") != length) {
			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "[web] themes: \"%s\" is not a theme's slug (a-z, 0-9 and -, "
				     "at most 40)",
				     theme);
			return FALSE;
		}
		g_strv_builder_add (builder, theme);
	}
	if (themes != NULL) {
		g_strfreev (config->web_themes);
		config->web_themes = g_strv_builder_end (builder);
	}
	return TRUE;
}

static gboolean
px_config_read_file (PxConfig *config, GKeyFile *keyfile, GError **error)
{
	g_autofree char *db_path = g_key_file_get_string (keyfile, "database", "path", NULL);
	g_autofree char *listen = g_key_file_get_string (keyfile, "server", "listen", NULL);
	g_autofree char *base_url = g_key_file_get_string (keyfile, "web", "base_url", NULL);
	g_autofree char *theme = g_key_file_get_string (keyfile, "web", "theme", NULL);
	guint64 busy = config->busy_timeout_ms, body = config->max_body_bytes;
	guint64 workers = config->workers, timeout = config->request_timeout_ms;
	guint64 cache = config->cache_bytes, queue = config->max_queue;
	guint64 retry_base = config->notify_retry_base_ms, attempts = config->notify_max_attempts;
	guint64 notify_timeout = config->notify_timeout_ms;
	guint64 interval = config->subscriptions_interval_s;

	if (!px_config_read_uint (keyfile, "database", "busy_timeout_ms", 0, 600000, &busy,
				  error) ||
	    !px_config_read_uint (keyfile, "server", "max_body_bytes", 1024, 64 * 1024 * 1024,
				  &body, error) ||
	    !px_config_read_uint (keyfile, "server", "workers", 1, 64, &workers, error) ||
	    !px_config_read_uint (keyfile, "server", "request_timeout_ms", 10, 600000, &timeout,
				  error) ||
	    !px_config_read_uint (keyfile, "server", "max_queue", 1, 100000, &queue, error) ||
	    !px_config_read_uint (keyfile, "search", "cache_bytes", 0, G_GUINT64_CONSTANT (1) << 40,
				  &cache, error) ||
	    !px_config_read_uint (keyfile, "notify", "retry_base_ms", 1, 3600000, &retry_base,
				  error) ||
	    !px_config_read_uint (keyfile, "notify", "max_attempts", 1, 100, &attempts, error) ||
	    !px_config_read_uint (keyfile, "notify", "timeout_ms", 100, 600000, &notify_timeout,
				  error) ||
	    !px_config_read_uint (keyfile, "subscriptions", "interval_s", 1, 86400, &interval,
				  error) ||
	    !px_config_read_mail (config, keyfile, error) ||
	    !px_config_read_themes (config, keyfile, error))
		return FALSE;
	/* COMPAT: the cache was bounded by entries before 0.x; the key is read no more */
	if (g_key_file_has_key (keyfile, "search", "cache_entries", NULL))
		g_warning ("[search] cache_entries is no longer read: the cache is bounded by "
			   "cache_bytes");
	if (listen != NULL && !px_config_set_listen (config, g_strstrip (listen), error)) {
		g_prefix_error (error, "[server] listen: ");
		return FALSE;
	}
	if (base_url != NULL && !px_config_set_base_url (config, g_strstrip (base_url), error))
		return FALSE;
	if (theme != NULL && *g_strstrip (theme) != '\0')
		config->web_theme = g_strdup (theme);
	if (db_path != NULL) {
		g_free (config->db_path);
		config->db_path = g_strdup (g_strstrip (db_path));
	}
	config->busy_timeout_ms = (guint)busy;
	config->max_body_bytes = (gsize)body;
	config->workers = (guint)workers;
	config->request_timeout_ms = (guint)timeout;
	config->cache_bytes = (gsize)cache;
	config->max_queue = (guint)queue;
	config->notify_retry_base_ms = (guint)retry_base;
	config->notify_max_attempts = (guint)attempts;
	config->notify_timeout_ms = (guint)notify_timeout;
	config->subscriptions_interval_s = (guint)interval;
	return TRUE;
}

PxConfig *
px_config_load (const char *path, GError **error)
{
	g_autoptr (PxConfig) config = px_config_new_defaults ();
	g_autoptr (GKeyFile) keyfile = g_key_file_new ();

	if (path == NULL)
		return g_steal_pointer (&config);
	if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error)) {
		g_prefix_error (error, "failed to read %s: ", path);
		return NULL;
	}
	if (!px_config_read_file (config, keyfile, error)) {
		g_prefix_error (error, "%s: ", path);
		return NULL;
	}
	config->path = g_strdup (path);
	return g_steal_pointer (&config);
}
