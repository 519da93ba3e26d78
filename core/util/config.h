/* config.h: PxConfig, the settings read from praxis.conf (GKeyFile) with built-in defaults.
 * Command-line options override fields after loading; nothing else writes them. */
#pragma once

#include <glib.h>

typedef struct {
	char *path;		  /* (nullable): the file it was read from; [plugins] and the
				   * [plugin:NAME] sections are read from it by the plugin host */
	char *db_path;		  /* [database] path */
	guint busy_timeout_ms;	  /* [database] busy_timeout_ms */
	char *listen_host;	  /* [server] listen, host part */
	guint16 listen_port;	  /* [server] listen, port part (0: any free port) */
	gsize max_body_bytes;	  /* [server] max_body_bytes */
	guint workers;		  /* [server] workers: reader threads */
	guint request_timeout_ms; /* [server] request_timeout_ms: deadline of one request's query */
	guint max_queue;   /* [server] max_queue: requests waiting for a worker, 503 past it */
	gsize cache_bytes; /* [search] cache_bytes: the result cache's size, 0: off */
	guint notify_retry_base_ms; /* [notify] retry_base_ms: the first retry's delay, doubling */
	guint notify_max_attempts;  /* [notify] max_attempts: attempts before a message fails */
	guint notify_timeout_ms;    /* [notify] timeout_ms: the most one attempt may take */
	/* [web] base_url (nullable): the public origin of absolute links (feeds, mails, canonical
	 * links), "https://praxis.example.org" without a trailing slash; unset, the request's Host
	 */
	char *web_base_url;
	char
	    *web_theme; /* [web] theme (nullable): a folder whose templates/ and static/ override */
	/* [web] themes (nullable): the themes partners choose from in the submission form, slugs;
	 * unset, the focus-tagger's */
	GStrv web_themes;
	char *mail_smtp_url; /* (nullable) [mail] smtp_url: Praxis's own mail (subscriptions);
			      * NULL: it sends none */
	char *mail_from;     /* (nullable) [mail] from: a bare address; set with smtp_url */
	guint subscriptions_interval_s; /* [subscriptions] interval_s: between digest runs */
} PxConfig;

/**
 * px_config_load:
 * @path: (nullable): a praxis.conf, or NULL for the built-in defaults
 *
 * Returns: (transfer full): the configuration, or NULL with @error set for an unreadable file or
 * a bad value (the message names the group and key)
 */
PxConfig *px_config_load (const char *path, GError **error);
void px_config_free (PxConfig *config);

/**
 * px_config_set_listen:
 * @spec: "HOST:PORT", "[V6ADDR]:PORT" or ":PORT"
 *
 * Returns: FALSE with @error set when @spec is not a host and a port in 0..65535
 */
gboolean px_config_set_listen (PxConfig *config, const char *spec, GError **error);

/* Returns: (transfer full): [web] base_url, or else http://HOST:PORT of the listen address
 * (for links made with no request to take a host from: the mails); no trailing slash */
char *px_config_get_base_url (const PxConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxConfig, px_config_free)
