/* user.c: PxUser and PxRole, and the users table. Tokens are token.c's. */
#define G_LOG_DOMAIN "PxStore"

#include "user.h"
#include "store-private.h"
#include "util/error.h"
#include "util/timestamp.h"

gboolean
px_user_role_from_string (const char *text, PxRole *role)
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
px_user_add (PxStore *store, const char *email, PxRole role, GError **error)
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

PxUser *
px_user_get (PxStore *store, gint64 id, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "SELECT id, email, role FROM users WHERE id = ?1", error);
	g_autoptr (PxUser) user = NULL;
	int rc;

	if (statement == NULL)
		return NULL;
	sqlite3_bind_int64 (statement, 1, id);
	rc = px_store_step (store, statement, error);
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no user %" G_GINT64_FORMAT, id);
		return NULL;
	}
	if (rc != SQLITE_ROW)
		return NULL;
	user = g_new0 (PxUser, 1);
	user->id = sqlite3_column_int64 (statement, 0);
	user->email = g_strdup ((const char *)sqlite3_column_text (statement, 1));
	px_user_role_from_string ((const char *)sqlite3_column_text (statement, 2), &user->role);
	/* a statement left on its row keeps a read snapshot open: a later write would fail */
	sqlite3_reset (statement);
	return g_steal_pointer (&user);
}
