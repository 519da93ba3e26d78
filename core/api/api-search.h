/* api-search.h: the JSON form of a search result, as GET /api/practices answers it and
 * `praxis search --json` prints it. */
#pragma once

#include <glib.h>

#include "search/search.h"

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
