/* web-limit.c: PxWebLimit: each key's recent events (monotonic times, oldest first) in a hash
 * table behind a mutex; events older than the window are dropped as keys are looked at, and
 * every key's when the table has doubled since the last sweep (amortised: no sweep at each
 * event); past a hard bound of keys the table starts afresh, so that many addresses can neither
 * fill memory nor make every event slow (who has that many addresses is not held back by a
 * limit per address anyway). */
#define G_LOG_DOMAIN "PxWeb"

#include "web-limit.h"

/* the first sweep of expired events, in keys; the next one comes at twice the keys left */
#define PX_WEB_LIMIT_KEYS_SWEEP 4096
/* the most keys kept */
#define PX_WEB_LIMIT_KEYS_MAX 65536

struct _PxWebLimit {
	GMutex mutex;
	guint max;
	gint64 window_us;
	guint next_sweep;   /* the table's size that makes the next event sweep it */
	GHashTable *events; /* key -> GArray of gint64 (monotonic microseconds), oldest first */
};

PxWebLimit *
px_web_limit_new (guint max, gint64 window_seconds)
{
	PxWebLimit *limit = g_new0 (PxWebLimit, 1);

	g_mutex_init (&limit->mutex);
	limit->max = max;
	limit->window_us = window_seconds * G_USEC_PER_SEC;
	limit->next_sweep = PX_WEB_LIMIT_KEYS_SWEEP;
	limit->events =
	    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
	return limit;
}

void
px_web_limit_free (PxWebLimit *limit)
{
	if (limit == NULL)
		return;
	g_hash_table_unref (limit->events);
	g_mutex_clear (&limit->mutex);
	g_free (limit);
}

/* drops the events of @times older than the window; Returns: TRUE when none is left */
static gboolean
px_web_limit_expire (const PxWebLimit *limit, GArray *times, gint64 now)
{
	guint old = 0;

	while (old < times->len && now - g_array_index (times, gint64, old) >= limit->window_us)
		old++;
	if (old > 0)
		g_array_remove_range (times, 0, old);
	return times->len == 0;
}

static gboolean
px_web_limit_sweep_cb (gpointer key, gpointer value, gpointer user_data)
{
	const PxWebLimit *limit = ((gpointer *)user_data)[0];
	const gint64 *now = ((gpointer *)user_data)[1];

	return px_web_limit_expire (limit, value, *now);
}

gboolean
px_web_limit_allows (PxWebLimit *limit, const char *key)
{
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&limit->mutex);
	GArray *times = g_hash_table_lookup (limit->events, key);

	if (times == NULL)
		return limit->max > 0;
	if (px_web_limit_expire (limit, times, g_get_monotonic_time ())) {
		g_hash_table_remove (limit->events, key);
		return limit->max > 0;
	}
	return times->len < limit->max;
}

void
px_web_limit_add (PxWebLimit *limit, const char *key)
{
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&limit->mutex);
	gint64 now = g_get_monotonic_time ();
	GArray *times;

	if (g_hash_table_size (limit->events) >= limit->next_sweep) {
		gpointer data[] = {limit, &now};

		g_hash_table_foreach_remove (limit->events, px_web_limit_sweep_cb, data);
		if (g_hash_table_size (limit->events) >= PX_WEB_LIMIT_KEYS_MAX)
			g_hash_table_remove_all (limit->events);
		limit->next_sweep =
		    MAX (PX_WEB_LIMIT_KEYS_SWEEP, 2 * g_hash_table_size (limit->events));
	}
	times = g_hash_table_lookup (limit->events, key);
	if (times == NULL) {
		times = g_array_new (FALSE, FALSE, sizeof (gint64));
		g_hash_table_insert (limit->events, g_strdup (key), times);
	}
	px_web_limit_expire (limit, times, now);
	/* a key keeps no more events than the limit looks at */
	if (times->len >= limit->max && times->len > 0)
		g_array_remove_index (times, 0);
	g_array_append_val (times, now);
}
