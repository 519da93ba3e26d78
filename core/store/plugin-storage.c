/* plugin-storage.c: the plugin_storage table's statements (migration 006): a plugin's own
 * key-value pairs, bounded in size, read, set and deleted by plugin and key. */
#define G_LOG_DOMAIN "PxStore"

#include <string.h>

#include "plugin-storage.h"
#include "store-private.h"
#include "util/error.h"

static gboolean
px_plugin_storage_check_key (const char *plugin, const char *key, GError **error)
{
	gsize length = key != NULL ? strlen (key) : 0;

	if (plugin == NULL || plugin[0] == '\0') {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "plugin storage needs the plugin's name");
		return FALSE;
	}
	if (length == 0 || length > PX_PLUGIN_STORAGE_MAX_KEY ||
	    !g_utf8_validate (key, (gssize)length, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a storage key must be 1 to %d bytes of UTF-8",
			     PX_PLUGIN_STORAGE_MAX_KEY);
		return FALSE;
	}
	return TRUE;
}

gboolean
px_plugin_storage_get (PxStore *store, const char *plugin, const char *key, char **value,
		       GError **error)
{
	sqlite3_stmt *statement;
	int rc;

	*value = NULL;
	if (!px_plugin_storage_check_key (plugin, key, error))
		return FALSE;
	statement = px_store_prepare (
	    store, "SELECT value FROM plugin_storage WHERE plugin = ?1 AND key = ?2", error);
	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, plugin);
	px_store_bind_text (statement, 2, key);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return FALSE;
	if (rc == SQLITE_ROW) {
		*value = g_strdup ((const char *)sqlite3_column_text (statement, 0));
		sqlite3_reset (statement);
	}
	return TRUE;
}

gboolean
px_plugin_storage_set (PxStore *store, const char *plugin, const char *key, const char *value,
		       GError **error)
{
	sqlite3_stmt *statement;
	gsize length = value != NULL ? strlen (value) : 0;

	if (!px_plugin_storage_check_key (plugin, key, error))
		return FALSE;
	if (value == NULL || length > PX_PLUGIN_STORAGE_MAX_VALUE ||
	    !g_utf8_validate (value, (gssize)length, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a storage value must be at most %d bytes of UTF-8",
			     PX_PLUGIN_STORAGE_MAX_VALUE);
		return FALSE;
	}
	statement = px_store_prepare (store,
				      "INSERT INTO plugin_storage (plugin, key, value) "
				      "VALUES (?1, ?2, ?3) ON CONFLICT (plugin, key) "
				      "DO UPDATE SET value = excluded.value",
				      error);
	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, plugin);
	px_store_bind_text (statement, 2, key);
	px_store_bind_text (statement, 3, value);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

gboolean
px_plugin_storage_delete (PxStore *store, const char *plugin, const char *key, GError **error)
{
	sqlite3_stmt *statement;

	if (!px_plugin_storage_check_key (plugin, key, error))
		return FALSE;
	statement = px_store_prepare (
	    store, "DELETE FROM plugin_storage WHERE plugin = ?1 AND key = ?2", error);
	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, plugin);
	px_store_bind_text (statement, 2, key);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}
