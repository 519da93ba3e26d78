/* store.c: PxStore, a connection to the database: opening and configuring it, the statement
 * cache and the one helper that steps statements, deadlines, transactions, the change counter,
 * the bulk mode of a first import and the checks. The statements over each table live in the
 * room's other files; it never reaches into HTTP. */
#define G_LOG_DOMAIN "PxStore"

#include "migration.h"
#include "store-private.h"
#include "text/tokenizer.h"
#include "text/words.h"
#include "util/autocleanups.h"
#include "util/error.h"

#define PX_STORE_SCHEMA_GENERATION 4 /* the migration that adds the change counter */

static void
px_store_finalize_cb (gpointer statement)
{
	sqlite3_finalize (statement);
}

gboolean
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
		       px_migration_check_not_newer (store, error);
	if (!px_store_exec (store, "PRAGMA journal_mode = WAL", error))
		return FALSE;
	return px_migration_apply (store, error);
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
	px_records_build_sql (store);
	if (!px_store_configure (store, flags, busy_timeout_ms, error)) {
		g_prefix_error (error, "cannot open database %s: ", path);
		return NULL;
	}
	store->schema = px_migration_get_schema_version (store);
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
	if (px_store_in_transaction (store))
		sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
px_store_in_transaction (PxStore *store)
{
	return !sqlite3_get_autocommit (store->db);
}

/* runs one cached statement that returns no rows */
static gboolean
px_store_run (PxStore *store, const char *sql, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (store, sql, error);

	return statement != NULL && px_store_step (store, statement, error) == SQLITE_DONE;
}

gboolean
px_store_begin_savepoint (PxStore *store, GError **error)
{
	return px_store_run (store, "SAVEPOINT px_savepoint", error);
}

gboolean
px_store_release_savepoint (PxStore *store, GError **error)
{
	return px_store_run (store, "RELEASE px_savepoint", error);
}

void
px_store_rollback_savepoint (PxStore *store)
{
	/* ROLLBACK TO keeps the savepoint open: release it too */
	px_store_run (store, "ROLLBACK TO px_savepoint", NULL);
	px_store_run (store, "RELEASE px_savepoint", NULL);
}

void
px_store_bind_text (sqlite3_stmt *statement, int index, const char *value)
{
	if (value == NULL)
		sqlite3_bind_null (statement, index);
	else
		sqlite3_bind_text (statement, index, value, -1, SQLITE_STATIC);
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
