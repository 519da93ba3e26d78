/* api.h: PxApi, the API context: the JSON API under /api (search, one practice, create,
 * update, delete, moderation, export) and the status resources /healthz and /metrics, which it
 * registers into a PxServer. It owns the search index and the write path (PxPractices). And the
 * API's JSON rendering of a search result, which praxis search --json prints too. */
#pragma once

#include "http/server.h"
#include "search/search.h"
#include "util/config.h"

typedef struct _PxApi PxApi;

/**
 * px_api_new:
 * @config: the settings, read only here: the API keeps none of it
 *
 * Opens the search index on @config's database. Returns: (transfer full): the API, or NULL with
 * @error set
 */
PxApi *px_api_new (const PxConfig *config, GError **error);
/* free it after the server it registered into: that server's pools run its work */
void px_api_free (PxApi *api);
/* registers the API's routes into @server */
void px_api_register (PxApi *api, PxServer *server);

/* the name the search index caches px_api_search_render's bytes under */
#define PX_API_SEARCH_RENDERER "api-json"

/**
 * px_api_search_render:
 *
 * Returns: (transfer full): the JSON answer of GET /api/practices for @result: {total, page,
 * per_page, results (each practice's list view with its snippet and, when words were searched,
 * its title_html, as HTML), facets, suggestions}
 */
GBytes *px_api_search_render (const PxSearchResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxApi, px_api_free)
