/* search-private.h: internals of search.c that tests and the search room's other files
 * (suggest.c) need, and the rest of Praxis must not use. Not installed, not included outside
 * core/search/ and tests/unit/. */
#pragma once

#include "search.h"

typedef void (*PxSearchHookFunc) (gpointer user_data);

/* calls @hook in every search, inside its read transaction, once the page is chosen and before
 * its rows are read: tests write through another connection there (NULL: none) */
void px_search_index_set_hook (PxSearchIndex *index, PxSearchHookFunc hook, gpointer user_data);

/* Returns: the bytes the result cache counts now (at most the configured cache_bytes) */
gsize px_search_index_get_cache_size (PxSearchIndex *index);

/* building results is C work outside SQLite, which the progress handler cannot stop.
 * Returns: FALSE with PX_ERROR_TIMEOUT once @reader's deadline has passed */
gboolean px_search_check_deadline (PxStore *reader, GError **error);

/* Returns: (transfer full) (element-type PxHit): every hit of @fts in rowid order, scored when
 * @scored, or NULL with @error set (PX_ERROR_INVALID when FTS5 refuses the expression) */
GArray *px_search_hits (PxStore *reader, const char *fts, gboolean scored, GError **error);
