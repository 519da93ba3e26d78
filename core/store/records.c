/* records.c: every statement over the practices table and its tags (practice_tags), and the
 * tombstone a deletion leaves. Knows nothing of who may change what: the write path decides. */
#define G_LOG_DOMAIN "PxStore"

#include "records.h"
#include "store-private.h"
#include "util/error.h"
#include "util/timestamp.h"

/* the column lists of practices come from the field table, so the two cannot drift apart */
void
px_records_build_sql (PxStore *store)
{
	g_autoptr (GString) columns = g_string_new ("status, year, submitted_by");
	g_autoptr (GString) values = g_string_new ("?1, ?2, ?3");
	g_autoptr (GString) sets = g_string_new ("status = ?1, year = ?2, submitted_by = ?3");
	guint n = 4;

	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++) {
		g_string_append_printf (columns, ", %s", field->name);
		g_string_append_printf (values, ", ?%u", n);
		g_string_append_printf (sets, ", %s = ?%u", field->name, n);
		n++;
	}
	/* migration 009: a rejection's reason, after the text fields */
	g_string_append (columns, ", status_reason");
	g_string_append_printf (values, ", ?%u", n);
	g_string_append_printf (sets, ", status_reason = ?%u", n);
	n++;
	store->select_sql = g_strdup_printf ("SELECT id, %s FROM practices WHERE ", columns->str);
	store->insert_sql =
	    g_strdup_printf ("INSERT INTO practices (%s) VALUES (%s)", columns->str, values->str);
	store->update_sql =
	    g_strdup_printf ("UPDATE practices SET %s WHERE id = ?%u", sets->str, n);
}

/* binds ?1 .. ?N in the column order of px_records_build_sql() */
static void
px_records_bind_practice (sqlite3_stmt *statement, PxPractice *practice)
{
	int n = 4;

	sqlite3_bind_text (statement, 1, px_status_to_string (practice->status), -1, SQLITE_STATIC);
	if (practice->year != 0)
		sqlite3_bind_int (statement, 2, practice->year);
	if (practice->submitted_by != 0)
		sqlite3_bind_int64 (statement, 3, practice->submitted_by);
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++)
		px_store_bind_text (statement, n++, *px_practice_text_slot (practice, field));
	px_store_bind_text (statement, n, practice->status_reason);
}

gboolean
px_records_load_tags (PxStore *store, PxPractice *practice, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT kind, tag FROM practice_tags WHERE practice_id = ?1 ORDER BY kind, position",
	    error);
	int rc;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, practice->id);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text (statement, 0);
		GPtrArray *tags =
		    g_str_equal (kind, "focus") ? practice->focus_areas : practice->themes;
		g_ptr_array_add (tags, g_strdup ((const char *)sqlite3_column_text (statement, 1)));
	}
	return rc == SQLITE_DONE;
}

static gboolean
px_records_save_tag_kind (PxStore *store, gint64 id, const char *kind, GPtrArray *tags,
			  GError **error)
{
	for (guint i = 0; i < tags->len; i++) {
		sqlite3_stmt *statement =
		    px_store_prepare (store,
				      "INSERT INTO practice_tags (practice_id, kind, tag, "
				      "position) VALUES (?1, ?2, ?3, ?4)",
				      error);
		if (statement == NULL)
			return FALSE;
		sqlite3_bind_int64 (statement, 1, id);
		sqlite3_bind_text (statement, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text (statement, 3, g_ptr_array_index (tags, i), -1, SQLITE_STATIC);
		sqlite3_bind_int (statement, 4, (int)i);
		if (px_store_step (store, statement, error) != SQLITE_DONE)
			return FALSE;
	}
	return TRUE;
}

static gboolean
px_records_save_tags (PxStore *store, PxPractice *practice, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "DELETE FROM practice_tags WHERE practice_id = ?1", error);

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, practice->id);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	return px_records_save_tag_kind (store, practice->id, "focus", practice->focus_areas,
					 error) &&
	       px_records_save_tag_kind (store, practice->id, "theme", practice->themes, error);
}

PxPractice *
px_records_read_practice (sqlite3_stmt *statement)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	int column = 4;

	practice->id = sqlite3_column_int64 (statement, 0);
	px_status_from_string ((const char *)sqlite3_column_text (statement, 1), &practice->status);
	practice->year = sqlite3_column_int (statement, 2);
	practice->submitted_by = sqlite3_column_int64 (statement, 3);
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++)
		*px_practice_text_slot (practice, field) =
		    g_strdup ((const char *)sqlite3_column_text (statement, column++));
	practice->status_reason = g_strdup ((const char *)sqlite3_column_text (statement, column));
	return g_steal_pointer (&practice);
}

static PxPractice *
px_records_get_where (PxStore *store, const char *where, gint64 id, const char *uid, GError **error)
{
	g_autofree char *sql = g_strconcat (store->select_sql, where, NULL);
	sqlite3_stmt *statement = px_store_prepare (store, sql, error);
	g_autoptr (PxPractice) practice = NULL;
	int rc;

	if (statement == NULL)
		return NULL;
	if (uid != NULL)
		sqlite3_bind_text (statement, 1, uid, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64 (statement, 1, id);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE && uid != NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no practice with uid %s", uid);
		return NULL;
	}
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
			     "no practice with id %" G_GINT64_FORMAT, id);
		return NULL;
	}
	practice = px_records_read_practice (statement);
	sqlite3_reset (statement);
	if (!px_records_load_tags (store, practice, error))
		return NULL;
	return g_steal_pointer (&practice);
}

PxPractice *
px_records_get (PxStore *store, gint64 id, GError **error)
{
	return px_records_get_where (store, "id = ?1", id, NULL, error);
}

PxPractice *
px_records_get_by_uid (PxStore *store, const char *uid, GError **error)
{
	return px_records_get_where (store, "uid = ?1", 0, uid, error);
}

/* the rows of @statement (bound), then each one's tags, read once its rows are done */
static GPtrArray *
px_records_list (PxStore *store, sqlite3_stmt *statement, GError **error)
{
	g_autoptr (GPtrArray) practices =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_practice_free);
	int rc;

	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		g_ptr_array_add (practices, px_records_read_practice (statement));
	if (rc != SQLITE_DONE)
		return NULL;
	for (guint i = 0; i < practices->len; i++) {
		if (!px_records_load_tags (store, g_ptr_array_index (practices, i), error))
			return NULL;
	}
	return g_steal_pointer (&practices);
}

GPtrArray *
px_records_list_by_status (PxStore *store, PxStatus status, guint offset, guint limit,
			   GError **error)
{
	g_autofree char *sql = g_strdup_printf (
	    "%sstatus = ?1 ORDER BY created_at, id LIMIT ?2 OFFSET ?3", store->select_sql);
	sqlite3_stmt *statement = px_store_prepare (store, sql, error);

	if (statement == NULL)
		return NULL;
	sqlite3_bind_text (statement, 1, px_status_to_string (status), -1, SQLITE_STATIC);
	sqlite3_bind_int (statement, 2, MIN (limit, PX_RECORDS_LIST_MAX));
	sqlite3_bind_int64 (statement, 3, offset);
	return px_records_list (store, statement, error);
}

GPtrArray *
px_records_list_by_submitter (PxStore *store, gint64 user_id, GError **error)
{
	g_autofree char *sql =
	    g_strdup_printf ("%ssubmitted_by = ?1 ORDER BY created_at DESC, id DESC LIMIT %d",
			     store->select_sql, PX_RECORDS_LIST_MAX);
	sqlite3_stmt *statement = px_store_prepare (store, sql, error);

	if (statement == NULL)
		return NULL;
	sqlite3_bind_int64 (statement, 1, user_id);
	return px_records_list (store, statement, error);
}

/* a uid once deleted is never given to another practice: harvesters hold its tombstone */
static gboolean
px_records_check_uid_unused (PxStore *store, const char *uid, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "SELECT 1 FROM tombstones WHERE uid = ?1", error);
	int rc;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_text (statement, 1, uid, -1, SQLITE_STATIC);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return FALSE;
	if (rc == SQLITE_ROW) {
		sqlite3_reset (statement);
		g_set_error (error, PX_ERROR, PX_ERROR_CONFLICT,
			     "uid %s belonged to a deleted practice and is not reused", uid);
		return FALSE;
	}
	return TRUE;
}

gboolean
px_records_add (PxStore *store, PxPractice *practice, GError **error)
{
	sqlite3_stmt *statement;
	g_autofree char *now = px_timestamp_now ();
	g_autoptr (GError) insert_error = NULL;

	if (practice->uid == NULL)
		practice->uid = g_uuid_string_random ();
	if (practice->created_at == NULL)
		practice->created_at = g_strdup (now);
	if (practice->updated_at == NULL)
		practice->updated_at = g_strdup (now);
	if (practice->status == PX_STATUS_PUBLISHED && practice->published_at == NULL)
		practice->published_at = g_strdup (practice->updated_at);
	if (!px_records_check_uid_unused (store, practice->uid, error))
		return FALSE;
	statement = px_store_prepare (store, store->insert_sql, error);
	if (statement == NULL)
		return FALSE;
	px_records_bind_practice (statement, practice);
	if (px_store_step (store, statement, &insert_error) != SQLITE_DONE) {
		if (g_error_matches (insert_error, PX_ERROR, PX_ERROR_CONFLICT))
			g_prefix_error (&insert_error, "uid %s is taken: ", practice->uid);
		g_propagate_error (error, g_steal_pointer (&insert_error));
		return FALSE;
	}
	practice->id = sqlite3_last_insert_rowid (store->db);
	return px_records_save_tags (store, practice, error);
}

gboolean
px_records_update (PxStore *store, PxPractice *practice, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (store, store->update_sql, error);
	int n_params;

	if (statement == NULL)
		return FALSE;
	g_free (practice->updated_at);
	practice->updated_at = px_timestamp_now ();
	px_records_bind_practice (statement, practice);
	n_params = sqlite3_bind_parameter_count (statement);
	sqlite3_bind_int64 (statement, n_params, practice->id);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	if (sqlite3_changes (store->db) == 0) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
			     "no practice with id %" G_GINT64_FORMAT, practice->id);
		return FALSE;
	}
	return px_records_save_tags (store, practice, error);
}

gboolean
px_records_set_status (PxStore *store, PxPractice *practice, PxStatus status, GError **error)
{
	practice->status = status;
	/* a publication clears the reason of an earlier rejection */
	if (status == PX_STATUS_PUBLISHED)
		g_clear_pointer (&practice->status_reason, g_free);
	if (status == PX_STATUS_PUBLISHED && practice->published_at == NULL)
		practice->published_at = px_timestamp_now ();
	return px_records_update (store, practice, error);
}

gboolean
px_records_delete (PxStore *store, gint64 id, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "DELETE FROM practices WHERE id = ?1 RETURNING uid, published_at IS NOT NULL",
	    error);
	g_autofree char *uid = NULL;
	g_autofree char *now = px_timestamp_now ();
	gboolean was_public;
	int rc;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, id);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return FALSE;
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
			     "no practice with id %" G_GINT64_FORMAT, id);
		return FALSE;
	}
	uid = g_strdup ((const char *)sqlite3_column_text (statement, 0));
	was_public = sqlite3_column_int (statement, 1);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	/* a practice never published leaves a tombstone only admins' harvesters see */
	statement = px_store_prepare (
	    store,
	    "INSERT INTO tombstones (uid, deleted_at, public) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (uid) DO UPDATE SET deleted_at = excluded.deleted_at, public = "
	    "excluded.public",
	    error);
	if (statement == NULL)
		return FALSE;
	sqlite3_bind_text (statement, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int (statement, 3, was_public);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

/* Returns: what the count(*) @statement (bound) counts, or -1 with @error set */
static gint64
px_records_step_count (PxStore *store, sqlite3_stmt *statement, GError **error)
{
	gint64 count;

	if (px_store_step (store, statement, error) != SQLITE_ROW)
		return -1;
	count = sqlite3_column_int64 (statement, 0);
	sqlite3_reset (statement);
	return count;
}

gint64
px_records_count (PxStore *store, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (store, "SELECT count(*) FROM practices", error);

	return statement != NULL ? px_records_step_count (store, statement, error) : -1;
}

gint64
px_records_count_by_status (PxStore *store, PxStatus status, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "SELECT count(*) FROM practices WHERE status = ?1", error);

	if (statement == NULL)
		return -1;
	sqlite3_bind_text (statement, 1, px_status_to_string (status), -1, SQLITE_STATIC);
	return px_records_step_count (store, statement, error);
}

static gboolean
px_records_scan_tags (PxStore *store, PxFacetTagFunc tag_func, gpointer user_data, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT practice_id, kind, tag FROM practice_tags ORDER BY practice_id, kind",
	    error);
	int rc;

	if (statement == NULL)
		return FALSE;
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		tag_func (sqlite3_column_int64 (statement, 0),
			  (const char *)sqlite3_column_text (statement, 1),
			  (const char *)sqlite3_column_text (statement, 2), user_data);
	return rc == SQLITE_DONE;
}

gboolean
px_records_scan_facets (PxStore *store, PxFacetRecordFunc record_func, PxFacetTagFunc tag_func,
			gpointer user_data, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT id, status, country, city, project, language, year FROM practices "
	    "ORDER BY coalesce(published_at, created_at) DESC, id DESC",
	    error);
	int rc;

	if (statement == NULL)
		return FALSE;
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		PxFacetRecord record = {
		    .id = sqlite3_column_int64 (statement, 0),
		    .country = (const char *)sqlite3_column_text (statement, 2),
		    .city = (const char *)sqlite3_column_text (statement, 3),
		    .project = (const char *)sqlite3_column_text (statement, 4),
		    .language = (const char *)sqlite3_column_text (statement, 5),
		    .year = sqlite3_column_int (statement, 6),
		};
		px_status_from_string ((const char *)sqlite3_column_text (statement, 1),
				       &record.status);
		record_func (&record, user_data);
	}
	if (rc != SQLITE_DONE)
		return FALSE;
	return px_records_scan_tags (store, tag_func, user_data, error);
}

gboolean
px_records_scan_published (PxStore *store, guint limit, PxPublishedFunc func, gpointer user_data,
			   GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "SELECT id, updated_at FROM practices WHERE status = 'published' "
			      "ORDER BY updated_at DESC, id DESC LIMIT ?1",
			      error);
	int rc;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, limit);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		func (sqlite3_column_int64 (statement, 0),
		      (const char *)sqlite3_column_text (statement, 1), user_data);
	return rc == SQLITE_DONE;
}
