/* store.c: PxStore, a connection to the database and every statement over practices, users and
 * tokens. It owns the schema (core/sql/, embedded as a GResource) and never reaches into HTTP. */
#define G_LOG_DOMAIN "PxStore"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#include "store.h"
#include "text/tokenizer.h"
#include "util/autocleanups.h"
#include "util/error.h"
#include "util/timestamp.h"

#define PX_SQL_RESOURCES "/org/praxis/sql"
#define PX_TOKEN_BYTES 32
#define PX_EXPORT_PAGE 500
#define PX_STORE_SCHEMA_GENERATION 4 /* the migration that adds the change counter */

struct _PxStore {
	sqlite3 *db;
	GHashTable *statements; /* sql text -> sqlite3_stmt, prepared once */
	gint64 deadline;
	GCancellable *cancellable; /* (nullable): interrupts running statements once cancelled */
	char *select_sql, *insert_sql, *update_sql;
	GPtrArray *bulk_triggers; /* trigger SQL saved while a bulk import runs */
	gint schema;		  /* PRAGMA user_version once open (and migrated) */
	PxWords *words; /* (nullable): the word expansion cache of this connection's thread */
};

static void
px_store_finalize_cb (gpointer statement)
{
	sqlite3_finalize (statement);
}

static gboolean
px_store_exec (PxStore *store, const char *sql, GError **error)
{
	g_autofree char *message = NULL;
	int rc = sqlite3_exec (store->db, sql, NULL, NULL, &message);

	if (rc != SQLITE_OK) {
		px_error_set_sqlite (error, rc,
				     message != NULL ? message : sqlite3_errmsg (store->db));
		sqlite3_free (g_steal_pointer (&message));
		return FALSE;
	}
	return TRUE;
}

sqlite3_stmt *
px_store_prepare (PxStore *store, const char *sql, GError **error)
{
	sqlite3_stmt *statement = g_hash_table_lookup (store->statements, sql);
	int rc;

	if (statement != NULL) {
		sqlite3_reset (statement);
		sqlite3_clear_bindings (statement);
		return statement;
	}
	rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL);
	if (rc != SQLITE_OK) {
		px_error_set_sqlite (error, rc, sqlite3_errmsg (store->db));
		return NULL;
	}
	g_hash_table_insert (store->statements, g_strdup (sql), statement);
	return statement;
}

int
px_store_step (PxStore *store, sqlite3_stmt *statement, GError **error)
{
	int rc = sqlite3_step (statement);

	if (rc == SQLITE_ROW)
		return rc;
	if (rc == SQLITE_DONE) {
		sqlite3_reset (statement);
		return rc;
	}
	px_error_set_sqlite (error, rc, sqlite3_errmsg (store->db));
	sqlite3_reset (statement);
	return -1;
}

static int
px_store_progress_cb (void *user_data)
{
	return px_store_deadline_passed (user_data);
}

void
px_store_set_deadline (PxStore *store, gint64 deadline)
{
	store->deadline = deadline;
}

gint64
px_store_get_deadline (PxStore *store)
{
	return store->deadline;
}

gboolean
px_store_deadline_passed (PxStore *store)
{
	if (store->cancellable != NULL && g_cancellable_is_cancelled (store->cancellable))
		return TRUE;
	return store->deadline != 0 && g_get_monotonic_time () > store->deadline;
}

int
px_store_get_error_code (PxStore *store)
{
	return sqlite3_extended_errcode (store->db);
}

void
px_store_set_cancellable (PxStore *store, GCancellable *cancellable)
{
	store->cancellable = cancellable;
}

/* the column lists of practices come from the field table, so the two cannot drift apart */
static void
px_store_build_practice_sql (PxStore *store)
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
	store->select_sql = g_strdup_printf ("SELECT id, %s FROM practices WHERE ", columns->str);
	store->insert_sql =
	    g_strdup_printf ("INSERT INTO practices (%s) VALUES (%s)", columns->str, values->str);
	store->update_sql =
	    g_strdup_printf ("UPDATE practices SET %s WHERE id = ?%u", sets->str, n);
}

static gboolean px_store_check_not_newer (PxStore *store, GError **error);

static gboolean
px_store_configure (PxStore *store, PxStoreFlags flags, guint busy_timeout_ms, GError **error)
{
	sqlite3_busy_timeout (store->db, (int)busy_timeout_ms);
	sqlite3_progress_handler (store->db, 2000, px_store_progress_cb, store);
	if (!px_tokenizer_register (store->db, error))
		return FALSE;
	if (!px_store_exec (store, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", error))
		return FALSE;
	if (flags & PX_STORE_READ_ONLY)
		return px_store_exec (store, "PRAGMA query_only = ON", error) &&
		       px_store_check_not_newer (store, error);
	if (!px_store_exec (store, "PRAGMA journal_mode = WAL", error))
		return FALSE;
	return px_store_migrate (store, error);
}

PxStore *
px_store_open (const char *path, PxStoreFlags flags, guint busy_timeout_ms, GError **error)
{
	g_autoptr (PxStore) store = g_new0 (PxStore, 1);
	int open_flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE;
	int rc;

	if (!(flags & PX_STORE_READ_ONLY))
		open_flags |= SQLITE_OPEN_CREATE;
	store->statements =
	    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, px_store_finalize_cb);
	rc = sqlite3_open_v2 (path, &store->db, open_flags, NULL);
	if (rc != SQLITE_OK) {
		px_error_set_sqlite (error, rc, store->db ? sqlite3_errmsg (store->db) : NULL);
		g_prefix_error (error, "cannot open database %s: ", path);
		return NULL;
	}
	sqlite3_extended_result_codes (store->db, 1);
	px_store_build_practice_sql (store);
	if (!px_store_configure (store, flags, busy_timeout_ms, error)) {
		g_prefix_error (error, "cannot open database %s: ", path);
		return NULL;
	}
	store->schema = px_store_get_schema_version (store);
	return g_steal_pointer (&store);
}

void
px_store_free (PxStore *store)
{
	if (store == NULL)
		return;
	g_clear_pointer (&store->statements, g_hash_table_unref);
	if (store->bulk_triggers != NULL)
		g_ptr_array_unref (store->bulk_triggers);
	sqlite3_close_v2 (store->db);
	px_words_free (store->words);
	g_free (store->select_sql);
	g_free (store->insert_sql);
	g_free (store->update_sql);
	g_free (store);
}

sqlite3 *
px_store_get_db (PxStore *store)
{
	return store->db;
}

PxWords *
px_store_ensure_words (PxStore *store)
{
	if (store->words == NULL)
		store->words = px_words_new ();
	return store->words;
}

gint
px_store_get_schema_version (PxStore *store)
{
	g_autoptr (sqlite3_stmt) statement = NULL;
	gint version = -1;

	if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &statement, NULL) ==
		SQLITE_OK &&
	    sqlite3_step (statement) == SQLITE_ROW)
		version = sqlite3_column_int (statement, 0);
	return version;
}

gboolean
px_store_begin (PxStore *store, GError **error)
{
	return px_store_exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
px_store_begin_read (PxStore *store, GError **error)
{
	return px_store_exec (store, "BEGIN DEFERRED", error);
}

gboolean
px_store_commit (PxStore *store, GError **error)
{
	return px_store_exec (store, "COMMIT", error);
}

void
px_store_rollback (PxStore *store)
{
	if (!sqlite3_get_autocommit (store->db))
		sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
px_store_compare_names (const void *a, const void *b)
{
	return g_strcmp0 (*(char *const *)a, *(char *const *)b);
}

/* migration files are named NNN-what.sql; Returns: NNN, or 0 for anything else */
static guint
px_store_migration_number (const char *name)
{
	guint64 number = 0;
	g_autofree char *digits = g_strndup (name, 3);

	if (!g_str_has_suffix (name, ".sql") ||
	    !g_ascii_string_to_unsigned (digits, 10, 1, 999, &number, NULL))
		return 0;
	return (guint)number;
}

static gboolean
px_store_apply_migration (PxStore *store, const char *name, guint number, GError **error)
{
	g_autofree char *path = g_strdup_printf ("%s/%s", PX_SQL_RESOURCES, name);
	g_autoptr (GBytes) sql =
	    g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	g_autofree char *version = g_strdup_printf ("PRAGMA user_version = %u", number);

	if (sql == NULL)
		return FALSE;
	if (!px_store_begin (store, error))
		return FALSE;
	if (!px_store_exec (store, g_bytes_get_data (sql, NULL), error) ||
	    !px_store_exec (store, version, error) || !px_store_commit (store, error)) {
		px_store_rollback (store);
		g_prefix_error (error, "migration %s failed: ", name);
		return FALSE;
	}
	g_debug ("applied migration %s", name);
	return TRUE;
}

/* Returns: (transfer full): the embedded migrations in order, or NULL with @error set */
static GStrv
px_store_list_migrations (guint *newest, GError **error)
{
	g_auto (GStrv) names =
	    g_resources_enumerate_children (PX_SQL_RESOURCES, G_RESOURCE_LOOKUP_FLAGS_NONE, error);

	if (names == NULL)
		return NULL;
	qsort (names, g_strv_length (names), sizeof (char *), px_store_compare_names);
	*newest = 0;
	for (guint i = 0; names[i] != NULL; i++)
		*newest = MAX (*newest, px_store_migration_number (names[i]));
	return g_steal_pointer (&names);
}

/* a database a newer Praxis has migrated may hold what this one would misread or damage */
static gboolean
px_store_check_not_newer (PxStore *store, GError **error)
{
	guint newest = 0;
	g_auto (GStrv) names = px_store_list_migrations (&newest, error);
	gint current = px_store_get_schema_version (store);

	if (names == NULL)
		return FALSE;
	if (current > (gint)newest) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the database has schema %d, newer than the newest this Praxis knows "
			     "(%u): it was made by a newer Praxis, upgrade Praxis to open it",
			     current, newest);
		return FALSE;
	}
	return TRUE;
}

gboolean
px_store_migrate (PxStore *store, GError **error)
{
	guint newest = 0;
	g_auto (GStrv) names = px_store_list_migrations (&newest, error);
	gint current = px_store_get_schema_version (store);

	if (names == NULL || !px_store_check_not_newer (store, error))
		return FALSE;
	for (guint i = 0; names[i] != NULL; i++) {
		guint number = px_store_migration_number (names[i]);

		if (number == 0 || (gint)number <= current)
			continue;
		if (!px_store_apply_migration (store, names[i], number, error))
			return FALSE;
	}
	return TRUE;
}

static void
px_store_bind_text (sqlite3_stmt *statement, int index, const char *value)
{
	if (value == NULL)
		sqlite3_bind_null (statement, index);
	else
		sqlite3_bind_text (statement, index, value, -1, SQLITE_STATIC);
}

/* binds ?1 .. ?N in the column order of px_store_build_practice_sql() */
static void
px_store_bind_practice (sqlite3_stmt *statement, PxPractice *practice)
{
	int n = 4;

	sqlite3_bind_text (statement, 1, px_status_to_string (practice->status), -1, SQLITE_STATIC);
	if (practice->year != 0)
		sqlite3_bind_int (statement, 2, practice->year);
	if (practice->submitted_by != 0)
		sqlite3_bind_int64 (statement, 3, practice->submitted_by);
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++)
		px_store_bind_text (statement, n++, *px_practice_text_slot (practice, field));
}

static gboolean
px_store_load_tags (PxStore *store, PxPractice *practice, GError **error)
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
px_store_save_tag_kind (PxStore *store, gint64 id, const char *kind, GPtrArray *tags,
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
px_store_save_tags (PxStore *store, PxPractice *practice, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "DELETE FROM practice_tags WHERE practice_id = ?1", error);

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, practice->id);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	return px_store_save_tag_kind (store, practice->id, "focus", practice->focus_areas,
				       error) &&
	       px_store_save_tag_kind (store, practice->id, "theme", practice->themes, error);
}

static PxPractice *
px_store_read_practice (sqlite3_stmt *statement)
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
	return g_steal_pointer (&practice);
}

static PxPractice *
px_store_get_practice_where (PxStore *store, const char *where, gint64 id, const char *uid,
			     GError **error)
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
	practice = px_store_read_practice (statement);
	sqlite3_reset (statement);
	if (!px_store_load_tags (store, practice, error))
		return NULL;
	return g_steal_pointer (&practice);
}

PxPractice *
px_store_get_practice (PxStore *store, gint64 id, GError **error)
{
	return px_store_get_practice_where (store, "id = ?1", id, NULL, error);
}

PxPractice *
px_store_get_practice_by_uid (PxStore *store, const char *uid, GError **error)
{
	return px_store_get_practice_where (store, "uid = ?1", 0, uid, error);
}

/* a uid once deleted is never given to another practice: harvesters hold its tombstone */
static gboolean
px_store_check_uid_unused (PxStore *store, const char *uid, GError **error)
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
px_store_add_practice (PxStore *store, PxPractice *practice, GError **error)
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
	if (!px_store_check_uid_unused (store, practice->uid, error))
		return FALSE;
	statement = px_store_prepare (store, store->insert_sql, error);
	if (statement == NULL)
		return FALSE;
	px_store_bind_practice (statement, practice);
	if (px_store_step (store, statement, &insert_error) != SQLITE_DONE) {
		if (g_error_matches (insert_error, PX_ERROR, PX_ERROR_CONFLICT))
			g_prefix_error (&insert_error, "uid %s is taken: ", practice->uid);
		g_propagate_error (error, g_steal_pointer (&insert_error));
		return FALSE;
	}
	practice->id = sqlite3_last_insert_rowid (store->db);
	return px_store_save_tags (store, practice, error);
}

gboolean
px_store_update_practice (PxStore *store, PxPractice *practice, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (store, store->update_sql, error);
	int n_params;

	if (statement == NULL)
		return FALSE;
	g_free (practice->updated_at);
	practice->updated_at = px_timestamp_now ();
	px_store_bind_practice (statement, practice);
	n_params = sqlite3_bind_parameter_count (statement);
	sqlite3_bind_int64 (statement, n_params, practice->id);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	if (sqlite3_changes (store->db) == 0) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
			     "no practice with id %" G_GINT64_FORMAT, practice->id);
		return FALSE;
	}
	return px_store_save_tags (store, practice, error);
}

gboolean
px_store_set_status (PxStore *store, PxPractice *practice, PxStatus status, GError **error)
{
	practice->status = status;
	if (status == PX_STATUS_PUBLISHED && practice->published_at == NULL)
		practice->published_at = px_timestamp_now ();
	return px_store_update_practice (store, practice, error);
}

gboolean
px_store_delete_practice (PxStore *store, gint64 id, GError **error)
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

gboolean
px_store_get_generation (PxStore *store, guint64 *generation, GError **error)
{
	sqlite3_stmt *statement;
	int rc;

	*generation = 0;
	/* COMPAT: a database of schema 1 to 3 opened read-only, unmigrated, has no counter */
	if (store->schema < PX_STORE_SCHEMA_GENERATION)
		return TRUE;
	statement = px_store_prepare (store, "SELECT value FROM generation WHERE id = 1", error);
	if (statement == NULL)
		return FALSE;
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return FALSE;
	if (rc == SQLITE_DONE) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_CORRUPT,
				     "the change counter (table generation) has no row");
		return FALSE;
	}
	*generation = (guint64)sqlite3_column_int64 (statement, 0);
	sqlite3_reset (statement);
	return TRUE;
}

gint64
px_store_count_practices (PxStore *store, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (store, "SELECT count(*) FROM practices", error);
	gint64 count;

	if (statement == NULL || px_store_step (store, statement, error) != SQLITE_ROW)
		return -1;
	count = sqlite3_column_int64 (statement, 0);
	sqlite3_reset (statement);
	return count;
}

gboolean
px_store_begin_bulk (PxStore *store, GError **error)
{
	sqlite3_stmt *statement;
	int rc;

	/* a first load writes the whole file: keep its pages in memory rather than spilling them,
	 * and, when no other connection is open, write them once through a rollback journal
	 * instead of twice through the WAL (the pragma leaves WAL on if another one is open) */
	if (!px_store_exec (store,
			    "PRAGMA cache_size = -262144; PRAGMA journal_mode = DELETE; PRAGMA "
			    "secure_delete = OFF",
			    error) ||
	    !px_store_begin (store, error))
		return FALSE;
	/* the index and change-counter triggers and the secondary indexes are put back, and built
	 * (or bumped) once, at the end */
	statement = px_store_prepare (
	    store,
	    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('practices', "
	    "'practice_tags') AND ((type = 'trigger' AND (name LIKE 'practices_fts_%' OR name "
	    "LIKE 'generation_%')) OR name IN ('practices_facets', 'practices_updated_at'))",
	    error);
	if (statement == NULL)
		return FALSE;
	store->bulk_triggers = g_ptr_array_new_with_free_func (g_free);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		g_ptr_array_add (store->bulk_triggers,
				 g_strdup ((const char *)sqlite3_column_text (statement, 2)));
		g_ptr_array_add (store->bulk_triggers,
				 g_strdup_printf ("DROP %s %s", sqlite3_column_text (statement, 0),
						  sqlite3_column_text (statement, 1)));
	}
	if (rc != SQLITE_DONE)
		return FALSE;
	for (guint i = 1; i < store->bulk_triggers->len; i += 2) {
		if (!px_store_exec (store, g_ptr_array_index (store->bulk_triggers, i), error))
			return FALSE;
	}
	return TRUE;
}

gboolean
px_store_end_bulk (PxStore *store, GError **error)
{
	g_autoptr (GPtrArray) triggers = g_steal_pointer (&store->bulk_triggers);
	gint64 start = g_get_monotonic_time ();

	/* a large in-memory term table while building means fewer, larger segments to merge */
	if (!px_store_exec (
		store,
		"INSERT INTO practices_fts (practices_fts, rank) VALUES ('hashsize', 67108864);"
		"INSERT INTO practices_fts (practices_fts) VALUES ('rebuild');"
		"INSERT INTO practices_fts (practices_fts, rank) VALUES ('hashsize', 1048576);"
		"UPDATE generation SET value = value + 1 WHERE id = 1;",
		error))
		return FALSE;
	g_debug ("built the full-text index in %.2f s", (g_get_monotonic_time () - start) / 1e6);
	for (guint i = 0; triggers != NULL && i < triggers->len; i += 2) {
		if (!px_store_exec (store, g_ptr_array_index (triggers, i), error))
			return FALSE;
	}
	return px_store_commit (store, error) &&
	       px_store_exec (store, "PRAGMA cache_size = -2000; PRAGMA journal_mode = WAL", error);
}

static gboolean
px_store_export_tombstones (PxStore *store, const PxExportCursor *cursor, PxExportFunc func,
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
px_store_export_one (PxStore *store, PxExportCursor *cursor, PxPractice *practice,
		     PxExportFunc func, gpointer user_data, GError **error)
{
	gboolean visible = cursor->all_statuses || practice->status == PX_STATUS_PUBLISHED;

	/* a practice never published was never public: no tombstone for it either */
	if (!visible && (cursor->since == NULL || practice->published_at == NULL))
		return TRUE;
	if (!visible)
		return func (NULL, practice->uid, practice->updated_at, user_data, error);
	return px_store_load_tags (store, practice, error) &&
	       func (practice, NULL, NULL, user_data, error);
}

gboolean
px_store_export_page (PxStore *store, PxExportCursor *cursor, guint limit, PxExportFunc func,
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
		g_ptr_array_add (page, px_store_read_practice (statement));
	if (rc != SQLITE_DONE)
		return FALSE;
	for (guint i = 0; i < page->len; i++) {
		PxPractice *practice = g_ptr_array_index (page, i);

		if (!px_store_export_one (store, cursor, practice, func, user_data, error))
			return FALSE;
		g_free (cursor->after);
		cursor->after = g_strdup (practice->updated_at);
		cursor->after_id = practice->id;
	}
	if (page->len == limit)
		return TRUE;
	cursor->done = TRUE;
	return cursor->since == NULL ||
	       px_store_export_tombstones (store, cursor, func, user_data, error);
}

gboolean
px_store_export (PxStore *store, const char *since, gboolean all_statuses, PxExportFunc func,
		 gpointer user_data, GError **error)
{
	g_autoptr (PxExportCursor) cursor = px_export_cursor_new (since, all_statuses);

	while (!cursor->done) {
		if (!px_store_export_page (store, cursor, PX_EXPORT_PAGE, func, user_data, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
px_role_from_string (const char *text, PxRole *role)
{
	if (g_strcmp0 (text, "partner") == 0)
		*role = PX_ROLE_PARTNER;
	else if (g_strcmp0 (text, "admin") == 0)
		*role = PX_ROLE_ADMIN;
	else
		return FALSE;
	return TRUE;
}

void
px_user_free (PxUser *user)
{
	if (user == NULL)
		return;
	g_free (user->email);
	g_free (user);
}

gboolean
px_store_add_user (PxStore *store, const char *email, PxRole role, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "INSERT INTO users (email, role, created_at) VALUES (?1, ?2, ?3)", error);
	g_autofree char *now = px_timestamp_now ();
	g_autoptr (GError) local_error = NULL;

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_text (statement, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, role == PX_ROLE_ADMIN ? "admin" : "partner", -1,
			   SQLITE_STATIC);
	sqlite3_bind_text (statement, 3, now, -1, SQLITE_STATIC);
	if (px_store_step (store, statement, &local_error) == SQLITE_DONE)
		return TRUE;
	if (g_error_matches (local_error, PX_ERROR, PX_ERROR_CONFLICT))
		g_prefix_error (&local_error, "user %s exists already: ", email);
	g_propagate_error (error, g_steal_pointer (&local_error));
	return FALSE;
}

static void
px_token_hash (const char *token, guchar hash[crypto_generichash_BYTES])
{
	crypto_generichash (hash, crypto_generichash_BYTES, (const guchar *)token, strlen (token),
			    NULL, 0);
}

char *
px_store_create_token (PxStore *store, const char *email, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "INSERT INTO tokens (user_id, hash, created_at) "
			      "SELECT id, ?2, ?3 FROM users WHERE email = ?1",
			      error);
	guchar secret[PX_TOKEN_BYTES];
	guchar hash[crypto_generichash_BYTES];
	char encoded[sodium_base64_ENCODED_LEN (PX_TOKEN_BYTES,
						sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	g_autofree char *now = px_timestamp_now ();
	g_autofree char *token = NULL;

	if (statement == NULL)
		return NULL;
	randombytes_buf (secret, sizeof secret);
	sodium_bin2base64 (encoded, sizeof encoded, secret, sizeof secret,
			   sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero (secret, sizeof secret);
	token = g_strconcat ("px_", encoded, NULL);
	px_token_hash (token, hash);
	sqlite3_bind_text (statement, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_blob (statement, 2, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_text (statement, 3, now, -1, SQLITE_STATIC);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return NULL;
	if (sqlite3_changes (store->db) == 0) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no user %s", email);
		return NULL;
	}
	return g_steal_pointer (&token);
}

PxUser *
px_store_lookup_token (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "SELECT users.id, users.email, users.role FROM tokens "
			      "JOIN users ON users.id = tokens.user_id WHERE tokens.hash = ?1",
			      error);
	guchar hash[crypto_generichash_BYTES];
	g_autoptr (PxUser) user = g_new0 (PxUser, 1);
	int rc;

	if (statement == NULL)
		return NULL;
	px_token_hash (token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED, "unknown token");
		return NULL;
	}
	user->id = sqlite3_column_int64 (statement, 0);
	user->email = g_strdup ((const char *)sqlite3_column_text (statement, 1));
	px_role_from_string ((const char *)sqlite3_column_text (statement, 2), &user->role);
	sqlite3_reset (statement);
	return g_steal_pointer (&user);
}

gboolean
px_store_check (PxStore *store, GError **error)
{
	g_autoptr (sqlite3_stmt) statement = NULL;
	int rc = sqlite3_prepare_v2 (store->db, "PRAGMA integrity_check", -1, &statement, NULL);

	if (rc != SQLITE_OK || sqlite3_step (statement) != SQLITE_ROW) {
		px_error_set_sqlite (error, rc, sqlite3_errmsg (store->db));
		return FALSE;
	}
	if (g_strcmp0 ((const char *)sqlite3_column_text (statement, 0), "ok") != 0) {
		g_set_error (error, PX_ERROR, PX_ERROR_CORRUPT, "integrity_check: %s",
			     sqlite3_column_text (statement, 0));
		return FALSE;
	}
	if (!px_store_exec (
		store,
		"INSERT INTO practices_fts (practices_fts, rank) VALUES ('integrity-check', 1)",
		error)) {
		g_prefix_error (error, "full-text index: ");
		return FALSE;
	}
	return TRUE;
}

gboolean
px_store_rebuild (PxStore *store, GError **error)
{
	return px_store_exec (store, "INSERT INTO practices_fts (practices_fts) VALUES ('rebuild')",
			      error);
}

gboolean
px_store_optimize (PxStore *store, GError **error)
{
	return px_store_exec (store,
			      "INSERT INTO practices_fts (practices_fts) VALUES ('optimize'); "
			      "PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);",
			      error);
}

static gboolean
px_store_scan_tags (PxStore *store, PxTagFunc tag_func, gpointer user_data, GError **error)
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
px_store_scan_facets (PxStore *store, PxFacetRecordFunc record_func, PxTagFunc tag_func,
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
	return px_store_scan_tags (store, tag_func, user_data, error);
}
