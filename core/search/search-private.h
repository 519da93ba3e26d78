/* search-private.h: internals of search.c that tests need and the rest of Praxis must not use.
 * Not installed, not included outside search.c and tests/unit/. */
#pragma once

#include "search.h"

typedef void (*PxSearchHookFunc) (gpointer user_data);

/* calls @hook in every search, inside its read transaction, once the page is chosen and before
 * its rows are read: tests write through another connection there (NULL: none) */
void px_search_index_set_hook (PxSearchIndex *index, PxSearchHookFunc hook, gpointer user_data);

/* Returns: the bytes the result cache counts now (at most the configured cache_bytes) */
gsize px_search_index_get_cache_size (PxSearchIndex *index);
