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
