/* migration.h: the schema migrations embedded from sql/ (a GResource): their list, applying the
 * ones a database lacks, its schema version, and refusing a database from a newer Praxis. */
#pragma once

#include "store.h"

/* Returns: the schema level, PRAGMA user_version */
gint px_migration_get_schema_version (PxStore *store);
/* applies the embedded migrations newer than the database; each is one transaction. Returns:
 * FALSE with PX_ERROR_INVALID for a database made by a newer Praxis (a read-only open refuses
 * it too) */
gboolean px_migration_apply (PxStore *store, GError **error);
/* Returns: FALSE with PX_ERROR_INVALID when the database's schema is newer than the newest
 * embedded migration */
gboolean px_migration_check_not_newer (PxStore *store, GError **error);
