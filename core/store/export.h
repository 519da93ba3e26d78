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
/* the practices of one page of px_export_page_lines() */
#define PX_EXPORT_PAGE_SIZE 500

/**
 * px_export_page_lines:
 * @view: the fields each practice shows
 * @count: (out) (optional): the lines appended
 *
 * The next page of the export, as JSON Lines (px_jsonl_format_change()) appended to @out: what
 * the API's chunks and the CLI's output are made of. Returns: FALSE with @error set
 */
gboolean px_export_page_lines (PxStore *store, PxExportCursor *cursor, PxView view, GString *out,
			       guint *count, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxExportCursor, px_export_cursor_free)
