/* pool.c: a GThreadPool whose jobs borrow connections from a queue, and hand back through
 * g_main_context_invoke to the context that created the pool. */
#define G_LOG_DOMAIN "PxPool"

#include "pool.h"

struct _PxPool {
	GThreadPool *threads;
	GAsyncQueue *stores; /* idle PxStore connections */
	GMainContext *context;
	guint max_queue; /* 0: no limit */
};

typedef struct {
	PxPool *pool;
	PxPoolWorkFunc work;
	PxPoolDoneFunc done;
	gpointer data;
} PxPoolJob;

static gboolean
px_pool_done_cb (gpointer user_data)
{
	PxPoolJob *job = user_data;

	job->done (job->data);
	g_free (job);
	return G_SOURCE_REMOVE;
}

static void
px_pool_run_cb (gpointer data, gpointer user_data)
{
	PxPoolJob *job = data;
	PxPool *pool = user_data;
	PxStore *store = g_async_queue_pop (pool->stores);

	job->work (job->data, store);
	g_async_queue_push (pool->stores, store);
	g_main_context_invoke (pool->context, px_pool_done_cb, job);
}

PxPool *
px_pool_new (const char *db_path, PxStoreFlags flags, guint threads, guint busy_timeout_ms,
	     guint max_queue, GError **error)
{
	g_autoptr (PxPool) pool = g_new0 (PxPool, 1);

	pool->max_queue = max_queue;
	pool->context = g_main_context_ref_thread_default ();
	pool->stores = g_async_queue_new_full ((GDestroyNotify)px_store_free);
	for (guint i = 0; i < threads; i++) {
		PxStore *store = px_store_open (db_path, flags, busy_timeout_ms, error);
		if (store == NULL)
			return NULL;
		g_async_queue_push (pool->stores, store);
	}
	pool->threads = g_thread_pool_new (px_pool_run_cb, pool, (gint)threads, TRUE, error);
	if (pool->threads == NULL)
		return NULL;
	return g_steal_pointer (&pool);
}

void
px_pool_free (PxPool *pool)
{
	if (pool == NULL)
		return;
	if (pool->threads != NULL)
		g_thread_pool_free (pool->threads, FALSE, TRUE);
	/* completions still queued in the context run or are dropped with it; none touch the pool
	 */
	g_async_queue_unref (pool->stores);
	g_main_context_unref (pool->context);
	g_free (pool);
}

gboolean
px_pool_is_full (PxPool *pool)
{
	/* only the main context pushes, so the count can only fall between this check and a push */
	return pool->max_queue != 0 && g_thread_pool_unprocessed (pool->threads) >= pool->max_queue;
}

void
px_pool_push (PxPool *pool, PxPoolWorkFunc work, PxPoolDoneFunc done, gpointer data)
{
	PxPoolJob *job = g_new0 (PxPoolJob, 1);

	job->pool = pool;
	job->work = work;
	job->done = done;
	job->data = data;
	g_thread_pool_push (pool->threads, job, NULL);
}
