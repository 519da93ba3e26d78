/* web.h: PxWeb, the web front end: the HTML pages (search, practices, sign-in, submission,
 * moderation, subscriptions), the feeds and the static files, which it registers into a
 * PxServer beside the API. It renders what the search index and the write path give it. */
#pragma once

#include "http/server.h"
#include "lua/plugins.h"
#include "practices/practices.h"
#include "search/search.h"
#include "util/config.h"

typedef struct _PxWeb PxWeb;

/**
 * px_web_new:
 * @config: the settings: [web] base_url and theme; must outlive the web front end
 * @search: the search index, shared with the API
 * @practices: the write path, shared with the API
 * @plugins: (nullable): the plugin host, whose state the moderators see
 *
 * Reads the templates (the theme's over the built-in ones) and the catalogs.
 * Returns: (transfer full): the front end, or NULL with @error set
 */
PxWeb *px_web_new (const PxConfig *config, PxSearchIndex *search, PxPractices *practices,
		   PxPlugins *plugins, GError **error);
/* free it after the server it registered into */
void px_web_free (PxWeb *web);
/* registers the pages' routes into @server */
void px_web_register (PxWeb *web, PxServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWeb, px_web_free)
