/* export.h: the export of practices for harvesters, oldest change first and then the tombstones
 * of deletions, page by page through a PxExportCursor, each page its own read. */
#pragma once

#include "model/practice.h"
#include "store.h"

typedef gboolean (*PxExportFunc) (const PxPractice *practice, const char *tombstone_uid,
				  const char *tombstone_at, gpointer user_data, GError **error);

/* where an export has got to: practices come oldest change first, tombstones last */
typedef struct {
	char *since; /* (nullable): only changes after this, with tombstones */
	gboolean all_statuses;
	char *after; /* the last practice reported: its updated_at and id */
	gint64 after_id;
	gboolean done;
} PxExportCursor;

/**
 * px_export_cursor_new:
 * @since: (nullable): only changes after this timestamp, with tombstones for deletions and for
 *   practices that are no longer published
 * @all_statuses: every practice (the CLI and admins) instead of the published ones
 */
PxExportCursor *px_export_cursor_new (const char *since, gboolean all_statuses);
void px_export_cursor_free (PxExportCursor *cursor);

/**
 * px_export_page:
 *
 * Calls @func for up to @limit practices after @cursor and moves it on; once none remain, for
 * the tombstones, and sets @cursor->done. Each page is its own read, so a long export never
 * holds a transaction open. Returns: FALSE with @error set when @func or the database fails
 */
gboolean px_export_page (PxStore *store, PxExportCursor *cursor, guint limit, PxExportFunc func,
			 gpointer user_data, GError **error);
/* the whole export, page by page */
gboolean px_export_all (PxStore *store, const char *since, gboolean all_statuses, PxExportFunc func,
			gpointer user_data, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxExportCursor, px_export_cursor_free)
