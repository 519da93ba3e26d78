/* store.h: PxStore, one SQLite connection to the Praxis database: statements, deadlines,
 * transactions and savepoints, the change counter, the bulk mode of a first import, checks. The
 * store room's other files hold the statements over each table; search.c and suggest.c prepare
 * their own through px_store_prepare(). */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <sqlite3.h>

#include "text/words.h"

typedef struct _PxStore PxStore;

typedef enum {
	PX_STORE_READ_WRITE = 0,
	PX_STORE_READ_ONLY = 1 << 0,
} PxStoreFlags;

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
/* Returns: (transfer none): a word expansion cache for the thread that uses this connection */
PxWords *px_store_ensure_words (PxStore *store);

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
/* Returns: TRUE while a transaction is open on this connection */
gboolean px_store_in_transaction (PxStore *store);
/* SAVEPOINT, inside an open transaction: what follows can be undone alone. The release and the
 * rollback end the most recent savepoint begun */
gboolean px_store_begin_savepoint (PxStore *store, GError **error);
gboolean px_store_release_savepoint (PxStore *store, GError **error);
/* undoes what was done since the savepoint and ends it; the transaction goes on */
void px_store_rollback_savepoint (PxStore *store);

/**
 * px_store_get_generation:
 * @generation: (out): the change counter of practices and their tags (migration 004), bumped by
 *   every write to them; 0 when the database predates it
 *
 * Read inside a read transaction, it names the snapshot that transaction sees.
 * Returns: FALSE with @error set when it cannot be read
 */
gboolean px_store_get_generation (PxStore *store, guint64 *generation, GError **error);

/* the bulk path for a first import: index triggers off, one 'rebuild' at the end */
gboolean px_store_begin_bulk (PxStore *store, GError **error);
gboolean px_store_end_bulk (PxStore *store, GError **error);

/* SQLite's integrity_check and FTS5's integrity-check against the content */
gboolean px_store_check (PxStore *store, GError **error);
/* builds the full-text index again from the practices (the repair when check fails) */
gboolean px_store_rebuild (PxStore *store, GError **error);
/* merges the FTS5 segments and runs PRAGMA optimize */
gboolean px_store_optimize (PxStore *store, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxStore, px_store_free)
