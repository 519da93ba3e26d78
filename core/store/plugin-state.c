/* plugin-state.c: the plugin_state table's statements (migration 006): each plugin's status,
 * the reason for it and its failures in a row, set and read by name. */
#define G_LOG_DOMAIN "PxStore"

#include "plugin-state.h"
#include "store-private.h"
#include "util/error.h"
#include "util/timestamp.h"

void
px_plugin_state_free (PxPluginState *state)
{
	if (state == NULL)
		return;
	g_free (state->name);
	g_free (state->status);
	g_free (state->reason);
	g_free (state->updated_at);
	g_free (state);
}

gboolean
px_plugin_state_set (PxStore *store, const char *name, const char *status, const char *reason,
		     guint failures, GError **error)
{
	sqlite3_stmt *statement;
	g_autofree char *now = px_timestamp_now ();

	if (name == NULL || name[0] == '\0' || status == NULL || status[0] == '\0') {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "a plugin's state needs its name and a status");
		return FALSE;
	}
	statement = px_store_prepare (
	    store,
	    "INSERT INTO plugin_state (name, status, reason, failures, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET status = "
	    "excluded.status, reason = excluded.reason, failures = excluded.failures, "
	    "updated_at = excluded.updated_at",
	    error);
	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, name);
	px_store_bind_text (statement, 2, status);
	px_store_bind_text (statement, 3, reason);
	sqlite3_bind_int64 (statement, 4, failures);
	px_store_bind_text (statement, 5, now);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

static PxPluginState *
px_plugin_state_read (sqlite3_stmt *statement)
{
	PxPluginState *state = g_new0 (PxPluginState, 1);

	state->name = g_strdup ((const char *)sqlite3_column_text (statement, 0));
	state->status = g_strdup ((const char *)sqlite3_column_text (statement, 1));
	state->reason = g_strdup ((const char *)sqlite3_column_text (statement, 2));
	state->failures = (guint)sqlite3_column_int64 (statement, 3);
	state->updated_at = g_strdup ((const char *)sqlite3_column_text (statement, 4));
	return state;
}

PxPluginState *
px_plugin_state_get (PxStore *store, const char *name, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT name, status, reason, failures, updated_at FROM plugin_state WHERE name = ?1",
	    error);
	PxPluginState *state;
	int rc;

	if (statement == NULL)
		return NULL;
	px_store_bind_text (statement, 1, name);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no state for plugin %s", name);
		return NULL;
	}
	state = px_plugin_state_read (statement);
	sqlite3_reset (statement);
	return state;
}

GPtrArray *
px_plugin_state_list (PxStore *store, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT name, status, reason, failures, updated_at FROM plugin_state ORDER BY name",
	    error);
	g_autoptr (GPtrArray) states =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_plugin_state_free);
	int rc;

	if (statement == NULL)
		return NULL;
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		g_ptr_array_add (states, px_plugin_state_read (statement));
	if (rc != SQLITE_DONE)
		return NULL;
	return g_steal_pointer (&states);
}
