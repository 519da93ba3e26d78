/* store-private.h: what the files of the store room share and nothing else in core/ may use
 * (tests may): the connection's state, running a statement text, binding a text, reading a
 * practice row, the users' password hashes. */
#pragma once

#include "model/practice.h"
#include "store.h"

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

/* the raw connection, for the tests and the benchmark's floor (scripts/px-bench-floor.c), which
 * run SQL of their own; the rest of core/ goes through the functions of store.h */
sqlite3 *px_store_get_db (PxStore *store);
/* runs @sql (one or more statements, not cached) */
gboolean px_store_exec (PxStore *store, const char *sql, GError **error);
/* binds @value, or NULL for a NULL @value; @value must outlive the step */
void px_store_bind_text (sqlite3_stmt *statement, int index, const char *value);

/* Returns: (transfer full): the argon2id hash of @password (px_user_validate_password's rules),
 * or NULL with @error set */
char *px_user_hash_password (const char *password, GError **error);
/* stores @hash as the password hash of user @id */
gboolean px_user_write_password_hash (PxStore *store, gint64 id, const char *hash, GError **error);

/* fills in the practices statements of @store from the field table (records.c) */
void px_records_build_sql (PxStore *store);
/* Returns: (transfer full): the practice of the current row of a statement built on
 * store->select_sql; its tags are not loaded */
PxPractice *px_records_read_practice (sqlite3_stmt *statement);
/* appends the focus areas and themes stored for @practice */
gboolean px_records_load_tags (PxStore *store, PxPractice *practice, GError **error);
