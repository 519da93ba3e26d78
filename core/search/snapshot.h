/* snapshot.h: PxSnapshot, the facet snapshot (facets.h) of the newest generation seen, shared by
 * the search threads, so that a search rebuilds the facets only after the data changed. */
#pragma once

#include <glib.h>

#include "facets.h"
#include "store/store.h"

typedef struct _PxSnapshot PxSnapshot;

PxSnapshot *px_snapshot_new (void);
void px_snapshot_free (PxSnapshot *snapshot);

/**
 * px_snapshot_ensure_facets:
 * @reader: a connection with a read transaction open
 * @generation: the generation that transaction reads (0: unknown)
 *
 * Returns: (transfer full): the facet snapshot of @generation: the shared one when it was built
 * at that generation, else one built now from the transaction, which is then shared if it is
 * the newest (generation 0 is never shared); or NULL with @error set
 */
PxFacets *px_snapshot_ensure_facets (PxSnapshot *snapshot, PxStore *reader, guint64 generation,
				     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSnapshot, px_snapshot_free)
