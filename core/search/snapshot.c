/* snapshot.c: the shared facet snapshot and the generation it was built at, under a lock that
 * is never held across SQLite work. */
#define G_LOG_DOMAIN "PxSnapshot"

#include "snapshot.h"

struct _PxSnapshot {
	GMutex lock; /* guards the fields below it */
	PxFacets *facets;
	guint64 facets_generation;
};

PxSnapshot *
px_snapshot_new (void)
{
	PxSnapshot *snapshot = g_new0 (PxSnapshot, 1);

	g_mutex_init (&snapshot->lock);
	return snapshot;
}

void
px_snapshot_free (PxSnapshot *snapshot)
{
	if (snapshot == NULL)
		return;
	px_facets_unref (snapshot->facets);
	g_mutex_clear (&snapshot->lock);
	g_free (snapshot);
}

/* two threads may build the same one at once: cheaper than one waiting on the other's SQL. */
PxFacets *
px_snapshot_ensure_facets (PxSnapshot *snapshot, PxStore *reader, guint64 generation,
			   GError **error)
{
	PxFacets *fresh;

	if (generation != 0) {
		g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&snapshot->lock);
		if (snapshot->facets != NULL && snapshot->facets_generation == generation)
			return px_facets_ref (snapshot->facets);
	}
	fresh = px_facets_load (reader, error);
	if (fresh == NULL || generation == 0)
		return fresh;
	g_mutex_lock (&snapshot->lock);
	if (snapshot->facets == NULL || generation > snapshot->facets_generation) {
		px_facets_unref (snapshot->facets);
		snapshot->facets = px_facets_ref (fresh);
		snapshot->facets_generation = generation;
	}
	g_mutex_unlock (&snapshot->lock);
	return fresh;
}
