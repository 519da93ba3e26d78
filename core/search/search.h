/* search.h: searching published practices. PxSearchRequest is a parsed and validated search;
 * PxSearchIndex is the state searches share across threads: the facet snapshot and the result
 * cache, both tagged with the generation (the database's change counter) they were made at, and
 * the watch connection the cache lookup reads the current generation on. */
#pragma once

#include <glib.h>

#include "facets.h"
#include "store/store.h"
#include "util/config.h"

typedef enum {
	PX_SORT_RELEVANCE,
	PX_SORT_NEWEST,
} PxSort;

typedef struct {
	char *q; /* (nullable) */
	PxFilters filters;
	PxSort sort;
	guint page, per_page;
} PxSearchRequest;

typedef struct _PxSearchIndex PxSearchIndex;

/**
 * px_search_request_parse:
 * @pairs: (element-type PxFormPair): the query parameters
 * @errors: (element-type PxFieldError): receives one entry per bad parameter
 *
 * Returns: (transfer full) (nullable): the request, or NULL when @errors gained entries
 */
PxSearchRequest *px_search_request_parse (GPtrArray *pairs, GPtrArray *errors);
void px_search_request_free (PxSearchRequest *request);
/* Returns: (transfer full): a canonical text of the request, the cache key */
char *px_search_request_to_key (const PxSearchRequest *request);

/* Returns: (transfer full): the shared state, with its own read-only watch connection */
PxSearchIndex *px_search_index_new (const PxConfig *config, GError **error);
void px_search_index_free (PxSearchIndex *index);

/**
 * px_search_index_lookup:
 *
 * Reads the current generation on the index's own watch connection (call it from one thread
 * only, the main loop) and never waits: a locked or unreadable database is a miss.
 * Returns: (transfer full) (nullable): the cached response for @key if it was computed at the
 * current generation
 */
GBytes *px_search_index_lookup (PxSearchIndex *index, const char *key);

/**
 * px_search_run:
 * @reader: a read-only connection owned by the calling thread, outside any transaction
 *
 * Runs the search in one read transaction on @reader: it shows only what was published in that
 * snapshot. A deadline already set on @reader (px_store_set_deadline) stands; without one the
 * search sets its own, [server] request_timeout_ms from now, and clears it afterwards.
 * Returns: (transfer full): the JSON response {total, page, per_page, results, facets,
 * suggestions}, or NULL with @error set (PX_ERROR_INVALID for an unsearchable query,
 * PX_ERROR_TIMEOUT past the deadline)
 */
GBytes *px_search_run (PxSearchIndex *index, PxStore *reader, const PxSearchRequest *request,
		       GError **error);

/* Returns: (transfer full): the facet snapshot of the current generation (for counts by status),
 * read in a read transaction of its own on @reader, or NULL with @error set */
PxFacets *px_search_index_ensure_facets (PxSearchIndex *index, PxStore *reader, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSearchRequest, px_search_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSearchIndex, px_search_index_free)
