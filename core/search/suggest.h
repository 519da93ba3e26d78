/* suggest.h: "did you mean": a query's words that the published text lacks, each replaced by
 * its closest published word. */
#pragma once

#include <glib.h>

#include "facets.h"
#include "query.h"
#include "store/store.h"

#define PX_SUGGEST_BELOW 5 /* "did you mean" when a query finds fewer hits */

/**
 * px_suggest_find:
 * @reader: a connection with the search's read transaction open
 * @facets: the facet snapshot of that transaction: which practices are published
 *
 * Replaces each word of @query that no published practice holds by its closest published word,
 * and keeps the corrected query if it finds anything under @filters.
 * Returns: (transfer full) (element-type utf8): the suggestions (none or one), or NULL with
 * @error set
 */
GPtrArray *px_suggest_find (PxStore *reader, PxFacets *facets, const PxFilters *filters,
			    const PxQuery *query, GError **error);
