/* export.c: the export of practices and tombstones page by page after a PxExportCursor; each
 * page is one read, so a long export holds no transaction open. */
#define G_LOG_DOMAIN "PxStore"

#include "export.h"
#include "model/jsonl.h"
#include "store-private.h"

static gboolean
px_export_tombstones (PxStore *store, const PxExportCursor *cursor, PxExportFunc func,
		      gpointer user_data, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (store,
						    "SELECT uid, deleted_at FROM tombstones WHERE "
						    "deleted_at > ?1 AND (public OR ?2) "
						    "ORDER BY deleted_at",
						    error);
	int rc;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_text (statement, 1, cursor->since, -1, SQLITE_STATIC);
	sqlite3_bind_int (statement, 2, cursor->all_statuses);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		if (!func (NULL, (const char *)sqlite3_column_text (statement, 0),
			   (const char *)sqlite3_column_text (statement, 1), user_data, error)) {
			sqlite3_reset (statement);
			return FALSE;
		}
	}
	return rc == SQLITE_DONE;
}

PxExportCursor *
px_export_cursor_new (const char *since, gboolean all_statuses)
{
	PxExportCursor *cursor = g_new0 (PxExportCursor, 1);

	cursor->since = g_strdup (since);
	cursor->all_statuses = all_statuses;
	cursor->after = g_strdup (since != NULL ? since : "");
	/* updated_at must be after @since itself, not only after some id at that time */
	cursor->after_id = since != NULL ? G_MAXINT64 : 0;
	return cursor;
}

void
px_export_cursor_free (PxExportCursor *cursor)
{
	if (cursor == NULL)
		return;
	g_free (cursor->since);
	g_free (cursor->after);
	g_free (cursor);
}

static gboolean
px_export_one (PxStore *store, PxExportCursor *cursor, PxPractice *practice, PxExportFunc func,
	       gpointer user_data, GError **error)
{
	gboolean visible = cursor->all_statuses || practice->status == PX_STATUS_PUBLISHED;

	/* a practice never published was never public: no tombstone for it either */
	if (!visible && (cursor->since == NULL || practice->published_at == NULL))
		return TRUE;
	if (!visible)
		return func (NULL, practice->uid, practice->updated_at, user_data, error);
	return px_records_load_tags (store, practice, error) &&
	       func (practice, NULL, NULL, user_data, error);
}

gboolean
px_export_page (PxStore *store, PxExportCursor *cursor, guint limit, PxExportFunc func,
		gpointer user_data, GError **error)
{
	g_autofree char *sql = g_strconcat (store->select_sql,
					    "updated_at > ?1 OR (updated_at = ?1 AND id > ?2) "
					    "ORDER BY updated_at, id LIMIT ?3",
					    NULL);
	g_autoptr (GPtrArray) page =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_practice_free);
	sqlite3_stmt *statement = px_store_prepare (store, sql, error);
	int rc;

	if (statement == NULL)
		return FALSE;
	/* read the rows first, then their tags: one statement at a time */
	sqlite3_bind_text (statement, 1, cursor->after, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64 (statement, 2, cursor->after_id);
	sqlite3_bind_int (statement, 3, (int)limit);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		g_ptr_array_add (page, px_records_read_practice (statement));
	if (rc != SQLITE_DONE)
		return FALSE;
	for (guint i = 0; i < page->len; i++) {
		PxPractice *practice = g_ptr_array_index (page, i);

		if (!px_export_one (store, cursor, practice, func, user_data, error))
			return FALSE;
		g_free (cursor->after);
		cursor->after = g_strdup (practice->updated_at);
		cursor->after_id = practice->id;
	}
	if (page->len == limit)
		return TRUE;
	cursor->done = TRUE;
	return cursor->since == NULL ||
	       px_export_tombstones (store, cursor, func, user_data, error);
}

typedef struct {
	GString *out;
	PxView view;
	guint count;
} PxExportLines;

static gboolean
px_export_line_cb (const PxPractice *practice, const char *tombstone_uid, const char *tombstone_at,
		   gpointer user_data, GError **error)
{
	PxExportLines *lines = user_data;
	g_autofree char *line =
	    px_jsonl_format_change (practice, tombstone_uid, tombstone_at, lines->view);

	g_string_append (lines->out, line);
	lines->count++;
	return TRUE;
}

gboolean
px_export_page_lines (PxStore *store, PxExportCursor *cursor, PxView view, GString *out,
		      guint *count, GError **error)
{
	PxExportLines lines = {out, view, 0};

	if (!px_export_page (store, cursor, PX_EXPORT_PAGE_SIZE, px_export_line_cb, &lines, error))
		return FALSE;
	if (count != NULL)
		*count = lines.count;
	return TRUE;
}
