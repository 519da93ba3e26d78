/* store.h: PxStore, one SQLite connection to the Praxis database: schema migrations, practices,
 * users and tokens, export, checks. Every SQL statement of the project except search's lives in
 * store.c; search.c prepares its own through px_store_prepare(). */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <sqlite3.h>

#include "model/practice.h"
#include "text/tokenizer.h"

typedef struct _PxStore PxStore;

typedef enum {
	PX_STORE_READ_WRITE = 0,
	PX_STORE_READ_ONLY = 1 << 0,
} PxStoreFlags;

typedef enum {
	PX_ROLE_PARTNER,
	PX_ROLE_ADMIN,
} PxRole;

typedef struct {
	gint64 id;
	char *email;
	PxRole role;
} PxUser;

/**
 * px_store_open:
 * @path: the database file; created and migrated when opened read-write
 *
 * Returns: (transfer full): the connection (WAL, busy_timeout, foreign keys, the px tokenizer),
 * or NULL with @error set
 */
PxStore *px_store_open (const char *path, PxStoreFlags flags, guint busy_timeout_ms,
			GError **error);
void px_store_free (PxStore *store);
sqlite3 *px_store_get_db (PxStore *store);
/* Returns: (transfer none): a word expansion cache for the thread that uses this connection */
PxWords *px_store_ensure_words (PxStore *store);

/* Returns: the schema level, PRAGMA user_version */
gint px_store_get_schema_version (PxStore *store);
/* applies the embedded migrations newer than the database; each is one transaction. Returns:
 * FALSE with PX_ERROR_INVALID for a database made by a newer Praxis (a read-only open refuses
 * it too) */
gboolean px_store_migrate (PxStore *store, GError **error);

/**
 * px_store_prepare:
 * @sql: a constant statement text; it is the cache key
 *
 * Returns: (transfer none): the statement prepared once per connection, reset and unbound, or
 * NULL with @error set
 */
sqlite3_stmt *px_store_prepare (PxStore *store, const char *sql, GError **error);

/**
 * px_store_step:
 *
 * Steps @statement once. Returns: SQLITE_ROW or SQLITE_DONE, or -1 with @error set (SQLite's code
 * folded into PX_ERROR) after resetting @statement
 */
int px_store_step (PxStore *store, sqlite3_stmt *statement, GError **error);

/* sets a deadline (monotonic µs, 0: none) after which running statements are interrupted */
void px_store_set_deadline (PxStore *store, gint64 deadline);
/* Returns: the deadline set, or 0 for none */
gint64 px_store_get_deadline (PxStore *store);
/* Returns: TRUE once a deadline is set and has passed, or the cancellable is cancelled; work
 * outside SQLite checks it too */
gboolean px_store_deadline_passed (PxStore *store);
/* Returns: SQLite's extended result code of the last call that failed on this connection, for
 * telling a refused statement (SQLITE_ERROR) from an I/O or memory failure */
int px_store_get_error_code (PxStore *store);
/* @cancellable (nullable, transfer none): once cancelled, running statements are interrupted; it
 * must outlive its use, so clear it (NULL) when the work is done */
void px_store_set_cancellable (PxStore *store, GCancellable *cancellable);

/* BEGIN IMMEDIATE: a write transaction */
gboolean px_store_begin (PxStore *store, GError **error);
/* BEGIN DEFERRED: every read until px_store_rollback() (or commit) sees one snapshot */
gboolean px_store_begin_read (PxStore *store, GError **error);
gboolean px_store_commit (PxStore *store, GError **error);
void px_store_rollback (PxStore *store);

/* Returns: (transfer full): the practice, or NULL with PX_ERROR_NOT_FOUND */
PxPractice *px_store_get_practice (PxStore *store, gint64 id, GError **error);
PxPractice *px_store_get_practice_by_uid (PxStore *store, const char *uid, GError **error);

/* inserts @practice (uid and timestamps filled in when unset) and sets its id; CONFLICT when the
 * uid is taken, or belonged to a deleted practice (a uid is never reused) */
gboolean px_store_add_practice (PxStore *store, PxPractice *practice, GError **error);
/* writes every field of a stored @practice back, with a new updated_at */
gboolean px_store_update_practice (PxStore *store, PxPractice *practice, GError **error);
/* deletes the practice and leaves a tombstone for harvesters: a public one if it was ever
 * published, else one that only exports of every status show */
gboolean px_store_delete_practice (PxStore *store, gint64 id, GError **error);
/* publishes or rejects; published_at is set on the first publication */
gboolean px_store_set_status (PxStore *store, PxPractice *practice, PxStatus status,
			      GError **error);

/**
 * px_store_get_generation:
 * @generation: (out): the change counter of practices and their tags (migration 004), bumped by
 *   every write to them; 0 when the database predates it
 *
 * Read inside a read transaction, it names the snapshot that transaction sees.
 * Returns: FALSE with @error set when it cannot be read
 */
gboolean px_store_get_generation (PxStore *store, guint64 *generation, GError **error);

/* Returns: the number of practices (all statuses), or -1 with @error set */
gint64 px_store_count_practices (PxStore *store, GError **error);

/* the bulk path for a first import: index triggers off, one 'rebuild' at the end */
gboolean px_store_begin_bulk (PxStore *store, GError **error);
gboolean px_store_end_bulk (PxStore *store, GError **error);

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
 * px_store_export_page:
 *
 * Calls @func for up to @limit practices after @cursor and moves it on; once none remain, for
 * the tombstones, and sets @cursor->done. Each page is its own read, so a long export never
 * holds a transaction open. Returns: FALSE with @error set when @func or the database fails
 */
gboolean px_store_export_page (PxStore *store, PxExportCursor *cursor, guint limit,
			       PxExportFunc func, gpointer user_data, GError **error);
/* the whole export, page by page */
gboolean px_store_export (PxStore *store, const char *since, gboolean all_statuses,
			  PxExportFunc func, gpointer user_data, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxExportCursor, px_export_cursor_free)

gboolean px_store_add_user (PxStore *store, const char *email, PxRole role, GError **error);
/* Returns: (transfer full): a new random token for @email (only its hash is stored) */
char *px_store_create_token (PxStore *store, const char *email, GError **error);
/* Returns: (transfer full): the token's user, or NULL with PX_ERROR_UNAUTHORIZED */
PxUser *px_store_lookup_token (PxStore *store, const char *token, GError **error);
void px_user_free (PxUser *user);
gboolean px_role_from_string (const char *text, PxRole *role);

/* SQLite's integrity_check and FTS5's integrity-check against the content */
gboolean px_store_check (PxStore *store, GError **error);
/* builds the full-text index again from the practices (the repair when check fails) */
gboolean px_store_rebuild (PxStore *store, GError **error);
/* merges the FTS5 segments and runs PRAGMA optimize */
gboolean px_store_optimize (PxStore *store, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxStore, px_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxUser, px_user_free)

/* one practice as the search facets see it; strings are borrowed for the call */
typedef struct {
	gint64 id;
	PxStatus status;
	const char *country, *city, *project, *language;
	gint year;
} PxFacetRecord;
typedef void (*PxFacetRecordFunc) (const PxFacetRecord *record, gpointer user_data);
typedef void (*PxTagFunc) (gint64 practice_id, const char *kind, const char *tag,
			   gpointer user_data);
/* every practice, newest first (published_at, else created_at); then every tag by practice */
gboolean px_store_scan_facets (PxStore *store, PxFacetRecordFunc record_func, PxTagFunc tag_func,
			       gpointer user_data, GError **error);
