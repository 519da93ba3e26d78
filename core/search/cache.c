/* cache.c: the result cache: a hash table of answers and a queue from the most recently used to
 * the least, bounded in bytes; entries older than the newest generation seen go at once. */
#define G_LOG_DOMAIN "PxCache"

#include <string.h>

#include "cache.h"

#define PX_CACHE_ENTRY_OVERHEAD 160 /* bytes of an entry beyond its key and answer */

struct _PxCache {
	GMutex lock;	/* guards the fields below it */
	guint64 latest; /* the newest generation a search or a lookup has seen */
	gsize size;
	GHashTable *entries; /* key -> PxCacheEntry */
	GQueue lru;	     /* PxCacheEntry, most recent first */
	/* set once, read without the lock */
	gsize capacity; /* bytes */
};

typedef struct {
	char *key;
	GBytes *bytes;
	guint64 generation; /* of the snapshot the answer was computed in */
	gsize size;	    /* what it counts against capacity */
	GList link;
} PxCacheEntry;

static void
px_cache_entry_free (PxCacheEntry *entry)
{
	g_free (entry->key);
	g_bytes_unref (entry->bytes);
	g_free (entry);
}

PxCache *
px_cache_new (gsize capacity)
{
	PxCache *cache = g_new0 (PxCache, 1);

	g_mutex_init (&cache->lock);
	cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
						(GDestroyNotify)px_cache_entry_free);
	cache->capacity = capacity;
	return cache;
}

void
px_cache_free (PxCache *cache)
{
	if (cache == NULL)
		return;
	/* the queue links live inside the entries, which the table frees */
	g_hash_table_unref (cache->entries);
	g_mutex_clear (&cache->lock);
	g_free (cache);
}

gsize
px_cache_get_capacity (PxCache *cache)
{
	return cache->capacity;
}

gsize
px_cache_get_size (PxCache *cache)
{
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&cache->lock);

	return cache->size;
}

static void
px_cache_drop_locked (PxCache *cache, PxCacheEntry *entry)
{
	g_queue_unlink (&cache->lru, &entry->link);
	cache->size -= entry->size;
	g_hash_table_remove (cache->entries, entry->key);
}

/* a newer generation makes every entry computed before it stale: they go at once */
static void
px_cache_observe_locked (PxCache *cache, guint64 generation)
{
	GList *link = cache->lru.head;

	if (generation <= cache->latest)
		return;
	cache->latest = generation;
	while (link != NULL) {
		PxCacheEntry *entry = link->data;

		link = link->next;
		if (entry->generation < generation)
			px_cache_drop_locked (cache, entry);
	}
}

GBytes *
px_cache_lookup (PxCache *cache, const char *key, guint64 generation)
{
	g_autoptr (GMutexLocker) locker = NULL;
	PxCacheEntry *entry;

	if (generation == 0)
		return NULL;
	locker = g_mutex_locker_new (&cache->lock);
	px_cache_observe_locked (cache, generation);
	entry = g_hash_table_lookup (cache->entries, key);
	if (entry == NULL || entry->generation != generation)
		return NULL;
	g_queue_unlink (&cache->lru, &entry->link);
	g_queue_push_head_link (&cache->lru, &entry->link);
	return g_bytes_ref (entry->bytes);
}

void
px_cache_remember (PxCache *cache, const char *key, guint64 generation, GBytes *bytes)
{
	gsize size = strlen (key) + g_bytes_get_size (bytes) + PX_CACHE_ENTRY_OVERHEAD;
	g_autoptr (GMutexLocker) locker = NULL;
	PxCacheEntry *entry;

	/* one answer may take at most a quarter of the cache */
	if (generation == 0 || size > cache->capacity / 4)
		return;
	locker = g_mutex_locker_new (&cache->lock);
	px_cache_observe_locked (cache, generation);
	if (generation < cache->latest)
		return;
	entry = g_hash_table_lookup (cache->entries, key);
	if (entry != NULL && entry->generation >= generation)
		return;
	if (entry != NULL)
		px_cache_drop_locked (cache, entry);
	while (cache->size + size > cache->capacity)
		px_cache_drop_locked (cache, g_queue_peek_tail (&cache->lru));
	entry = g_new0 (PxCacheEntry, 1);
	entry->key = g_strdup (key);
	entry->bytes = g_bytes_ref (bytes);
	entry->generation = generation;
	entry->size = size;
	entry->link.data = entry;
	g_queue_push_head_link (&cache->lru, &entry->link);
	g_hash_table_insert (cache->entries, entry->key, entry);
	cache->size += size;
}
