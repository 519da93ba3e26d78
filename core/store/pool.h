/* pool.h: PxPool, worker threads that each borrow one database connection. Work runs off the
 * main loop; its completion runs back in the main context. The server has a reader pool
 * (read-only connections) and a writer pool of one thread (the one writer connection). */
#pragma once

#include <glib.h>

#include "store.h"

typedef struct _PxPool PxPool;

/* runs in a worker thread with a connection nobody else uses meanwhile */
typedef void (*PxPoolWorkFunc) (gpointer data, PxStore *store);
/* runs in the main context afterwards; it owns @data from then on */
typedef void (*PxPoolDoneFunc) (gpointer data);

/**
 * px_pool_new:
 * @max_queue: how much work may wait for a thread before px_pool_is_full() says so (0: no limit)
 *
 * Returns: (transfer full): a pool of @threads threads and connections, or NULL with @error set
 */
PxPool *px_pool_new (const char *db_path, PxStoreFlags flags, guint threads, guint busy_timeout_ms,
		     guint max_queue, GError **error);
/* waits for queued work to finish, then closes the connections; completions not yet run stay
 * queued in the main context and must not push more work to this pool */
void px_pool_free (PxPool *pool);
/* TRUE when max_queue pieces of work are waiting: new requests should be refused */
gboolean px_pool_is_full (PxPool *pool);
/* queues @work whether or not the pool is full (callers check px_pool_is_full() first) */
void px_pool_push (PxPool *pool, PxPoolWorkFunc work, PxPoolDoneFunc done, gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPool, px_pool_free)
