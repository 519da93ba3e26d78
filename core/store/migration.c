/* migration.c: the schema migrations of sql/, embedded as a GResource: listed in order, applied
 * one transaction each, and a database from a newer Praxis refused. */
#define G_LOG_DOMAIN "PxStore"

#include <gio/gio.h>

#include "migration.h"
#include "store-private.h"
#include "util/autocleanups.h"
#include "util/error.h"

#define PX_SQL_RESOURCES "/org/praxis/sql"

gint
px_migration_get_schema_version (PxStore *store)
{
	g_autoptr (sqlite3_stmt) statement = NULL;
	gint version = -1;

	if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &statement, NULL) ==
		SQLITE_OK &&
	    sqlite3_step (statement) == SQLITE_ROW)
		version = sqlite3_column_int (statement, 0);
	return version;
}

static int
px_migration_compare_names (const void *a, const void *b)
{
	return g_strcmp0 (*(char *const *)a, *(char *const *)b);
}

/* migration files are named NNN-what.sql; Returns: NNN, or 0 for anything else */
static guint
px_migration_number (const char *name)
{
	guint64 number = 0;
	g_autofree char *digits = g_strndup (name, 3);

	if (!g_str_has_suffix (name, ".sql") ||
	    !g_ascii_string_to_unsigned (digits, 10, 1, 999, &number, NULL))
		return 0;
	return (guint)number;
}

static gboolean
px_migration_apply_one (PxStore *store, const char *name, guint number, GError **error)
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
px_migration_list (guint *newest, GError **error)
{
	g_auto (GStrv) names =
	    g_resources_enumerate_children (PX_SQL_RESOURCES, G_RESOURCE_LOOKUP_FLAGS_NONE, error);

	if (names == NULL)
		return NULL;
	qsort (names, g_strv_length (names), sizeof (char *), px_migration_compare_names);
	*newest = 0;
	for (guint i = 0; names[i] != NULL; i++)
		*newest = MAX (*newest, px_migration_number (names[i]));
	return g_steal_pointer (&names);
}

/* a database a newer Praxis has migrated may hold what this one would misread or damage */
gboolean
px_migration_check_not_newer (PxStore *store, GError **error)
{
	guint newest = 0;
	g_auto (GStrv) names = px_migration_list (&newest, error);
	gint current = px_migration_get_schema_version (store);

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
px_migration_apply (PxStore *store, GError **error)
{
	guint newest = 0;
	g_auto (GStrv) names = px_migration_list (&newest, error);
	gint current = px_migration_get_schema_version (store);

	if (names == NULL || !px_migration_check_not_newer (store, error))
		return FALSE;
	for (guint i = 0; names[i] != NULL; i++) {
		guint number = px_migration_number (names[i]);

		if (number == 0 || (gint)number <= current)
			continue;
		if (!px_migration_apply_one (store, names[i], number, error))
			return FALSE;
	}
	return TRUE;
}
