/* api.h: PxApi, the API context: the JSON API under /api (search, one practice, create,
 * update, delete, moderation, export) and the status resources /healthz and /metrics, which it
 * registers into a PxServer. It owns the search index and the write path (PxPractices). */
#pragma once

#include "http/server.h"
#include "lua/plugins.h"
#include "search/search.h"
#include "util/config.h"

typedef struct _PxApi PxApi;

/**
 * px_api_new:
 * @config: the settings, read only here: the API keeps none of it
 * @plugins: (nullable): the plugin host, which outlives the API: its search.rewrite handlers
 *   rewrite searches, and GET /api/plugins and POST /api/plugins/reload show and reload it
 *
 * Opens the search index on @config's database. Returns: (transfer full): the API, or NULL with
 * @error set
 */
PxApi *px_api_new (const PxConfig *config, PxPlugins *plugins, GError **error);
/* Returns: (transfer none): the write path, for the plugins to hook into before serving */
PxPractices *px_api_get_practices (PxApi *api);
/* Returns: (transfer none): the search index, which the plugins' timers search too */
PxSearchIndex *px_api_get_search (PxApi *api);
/* free it after the server it registered into: that server's pools run its work */
void px_api_free (PxApi *api);
/* registers the API's routes into @server */
void px_api_register (PxApi *api, PxServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxApi, px_api_free)
