/* web-limit.c: PxWebLimit: each key's recent events (monotonic times, oldest first) in a hash
 * table behind a mutex; events older than the window are dropped as keys are looked at, and
 * every key's when the table has doubled since the last sweep (amortised: no sweep at each
 * event). The table is bounded in keys: when it is full of keys whose events still count, the
 * keys under their limit seen least recently are forgotten (a batch at a time) to make room for
 * new ones, so that a flood of new keys locks nobody out; the keys at their limit, the ones
 * held back, are kept, and only a table full of those refuses a new key (swept for at most once
 * a second). */
#define G_LOG_DOMAIN "PxWeb"

#include "web-limit.h"

/* the first sweep of expired events, in keys; the next one comes at twice the keys left */
#define PX_WEB_LIMIT_KEYS_SWEEP 4096
/* the most keys kept */
#define PX_WEB_LIMIT_KEYS_MAX 65536
/* while the table is full of keys at their limit, the least time between two sweeps of it */
#define PX_WEB_LIMIT_FULL_SWEEP_US G_USEC_PER_SEC
/* when the table is full, the share of it (1/N) forgotten at once among the keys under their
 * limit, so that the sort that picks them is amortised over as many new keys */
#define PX_WEB_LIMIT_EVICT_SHARE 16

struct _PxWebLimit {
	GMutex mutex;
	guint max;
	gint64 window_us;
	guint max_keys;
	guint next_sweep;   /* the table's size that makes the next event sweep it */
	gint64 last_sweep;  /* monotonic microseconds */
	gboolean full;	    /* the table was full at the last sweep (said once in the log) */
	gboolean held;	    /* ... and still full once the keys under their limit were forgotten */
	GHashTable *events; /* key -> GArray of gint64 (monotonic microseconds), oldest first */
};

PxWebLimit *
px_web_limit_new_bounded (guint max, gint64 window_seconds, guint max_keys)
{
	PxWebLimit *limit = g_new0 (PxWebLimit, 1);

	g_mutex_init (&limit->mutex);
	limit->max = max;
	limit->window_us = window_seconds * G_USEC_PER_SEC;
	limit->max_keys = MAX (max_keys, 1);
	limit->next_sweep = MIN (PX_WEB_LIMIT_KEYS_SWEEP, limit->max_keys);
	limit->events =
	    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
	return limit;
}

PxWebLimit *
px_web_limit_new (guint max, gint64 window_seconds)
{
	return px_web_limit_new_bounded (max, window_seconds, PX_WEB_LIMIT_KEYS_MAX);
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

typedef struct {
	const char *key;
	gint64 last; /* monotonic microseconds */
} PxWebLimitCandidate;

static gint
px_web_limit_candidate_cmp (gconstpointer a, gconstpointer b)
{
	const PxWebLimitCandidate *one = a;
	const PxWebLimitCandidate *other = b;

	return (one->last > other->last) - (one->last < other->last);
}

/* forgets the keys under their limit whose last event is the oldest, up to a share of the
 * table (at least one); the keys at their limit stay */
static void
px_web_limit_evict (PxWebLimit *limit)
{
	g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (PxWebLimitCandidate));
	GHashTableIter iter;
	gpointer key;
	gpointer value;
	guint count;

	g_hash_table_iter_init (&iter, limit->events);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		GArray *times = value;
		PxWebLimitCandidate candidate = {key, 0};

		if (times->len >= limit->max)
			continue;
		candidate.last = g_array_index (times, gint64, times->len - 1);
		g_array_append_val (candidates, candidate);
	}
	g_array_sort (candidates, px_web_limit_candidate_cmp);
	count = MIN (candidates->len, MAX (limit->max_keys / PX_WEB_LIMIT_EVICT_SHARE, 1));
	for (guint i = 0; i < count; i++)
		g_hash_table_remove (limit->events,
				     g_array_index (candidates, PxWebLimitCandidate, i).key);
}

/* sweeps the table when it doubled since the last sweep, when it has just filled up, or when it
 * was full of keys at their limit at a sweep a while ago; when it is still full, forgets keys
 * under their limit; Returns: TRUE when there is room for another key */
static gboolean
px_web_limit_make_room (PxWebLimit *limit, gint64 now)
{
	guint size = g_hash_table_size (limit->events);
	gpointer data[] = {limit, &now};
	guint live;
	gboolean full;
	gboolean held;

	if (size < limit->max_keys && size < limit->next_sweep)
		return TRUE;
	if (size >= limit->max_keys && limit->held &&
	    now - limit->last_sweep < PX_WEB_LIMIT_FULL_SWEEP_US)
		return FALSE;
	g_hash_table_foreach_remove (limit->events, px_web_limit_sweep_cb, data);
	live = g_hash_table_size (limit->events);
	limit->last_sweep = now;
	full = live >= limit->max_keys;
	if (full)
		px_web_limit_evict (limit);
	size = g_hash_table_size (limit->events);
	held = size >= limit->max_keys;
	if (held && !limit->held)
		g_warning ("%u keys are at their limit of %u events in %" G_GINT64_FORMAT
			   " s: new keys are refused until some of them end",
			   size, limit->max, limit->window_us / G_USEC_PER_SEC);
	else if (full && !held && !limit->full)
		g_warning ("%u keys have events within the last %" G_GINT64_FORMAT
			   " s: the keys under their limit seen least recently are forgotten",
			   live, limit->window_us / G_USEC_PER_SEC);
	limit->full = full;
	limit->held = held;
	limit->next_sweep = MIN (MAX (PX_WEB_LIMIT_KEYS_SWEEP, 2 * size), limit->max_keys);
	return !limit->held;
}

/* Returns: the microseconds until @key may have another event, 0 when it may now */
static gint64
px_web_limit_wait_us (PxWebLimit *limit, const char *key, gint64 now)
{
	GArray *times = g_hash_table_lookup (limit->events, key);

	if (limit->max == 0)
		return limit->window_us;
	if (times != NULL && px_web_limit_expire (limit, times, now)) {
		g_hash_table_remove (limit->events, key);
		times = NULL;
	}
	if (times == NULL)
		return px_web_limit_make_room (limit, now) ? 0 : limit->window_us;
	if (times->len < limit->max)
		return 0;
	return g_array_index (times, gint64, times->len - limit->max) + limit->window_us - now;
}

gint64
px_web_limit_wait (PxWebLimit *limit, const char *key)
{
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&limit->mutex);
	gint64 wait = px_web_limit_wait_us (limit, key, g_get_monotonic_time ());

	return (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

gboolean
px_web_limit_allows (PxWebLimit *limit, const char *key)
{
	return px_web_limit_wait (limit, key) == 0;
}

void
px_web_limit_add (PxWebLimit *limit, const char *key)
{
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&limit->mutex);
	gint64 now = g_get_monotonic_time ();
	GArray *times = g_hash_table_lookup (limit->events, key);

	if (times == NULL) {
		/* a table full of keys at their limit counts no new key: px_web_limit_allows
		 * refuses it meanwhile */
		if (!px_web_limit_make_room (limit, now))
			return;
		times = g_array_new (FALSE, FALSE, sizeof (gint64));
		g_hash_table_insert (limit->events, g_strdup (key), times);
	}
	px_web_limit_expire (limit, times, now);
	/* a key keeps no more events than the limit looks at */
	if (times->len >= limit->max && times->len > 0)
		g_array_remove_index (times, 0);
	g_array_append_val (times, now);
}

void
px_web_limit_forget (PxWebLimit *limit, const char *key)
{
	g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&limit->mutex);

	g_hash_table_remove (limit->events, key);
}
