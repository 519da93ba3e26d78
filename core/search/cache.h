/* cache.h: PxCache, answers kept by key, bounded in bytes, each tagged with the generation (the
 * database's change counter) it was computed at; a newer generation drops every older answer.
 * Thread-safe; knows nothing of what the answers are. */
#pragma once

#include <glib.h>

typedef struct _PxCache PxCache;

/* Returns: (transfer full): an empty cache of at most @capacity bytes (0: it keeps nothing) */
PxCache *px_cache_new (gsize capacity);
void px_cache_free (PxCache *cache);
/* Returns: the capacity in bytes, set once */
gsize px_cache_get_capacity (PxCache *cache);
/* Returns: the bytes the cache counts now (at most its capacity) */
gsize px_cache_get_size (PxCache *cache);

/**
 * px_cache_lookup:
 * @generation: the current generation; answers of older ones are dropped
 *
 * Returns: (transfer full) (nullable): the answer kept for @key if it was computed at @generation
 */
GBytes *px_cache_lookup (PxCache *cache, const char *key, guint64 generation);

/* keeps @bytes for @key, computed at @generation, unless a newer generation has been seen, the
 * answer would take more than a quarter of the cache, or @generation is 0 (unknown) */
void px_cache_remember (PxCache *cache, const char *key, guint64 generation, GBytes *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxCache, px_cache_free)
