/* session.c: the sessions table's statements: made at random, stored as a BLAKE2b hash, looked
 * up by it, expired by time, gone with a disabled account. */
#define G_LOG_DOMAIN "PxStore"

#include <sodium.h>
#include <string.h>

#include "secret.h"
#include "session.h"
#include "store-private.h"
#include "util/error.h"
#include "util/timestamp.h"

gboolean
px_session_create (PxStore *store, gint64 user_id, char **token, char **csrf, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5)",
			      error);
	g_autofree char *new_token = px_secret_new_token ();
	g_autofree char *new_csrf = px_secret_new_token ();
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	g_autoptr (GDateTime) expires = g_date_time_add_seconds (now, PX_SESSION_SECONDS);
	g_autofree char *created_at = px_timestamp_format (now);
	g_autofree char *expires_at = px_timestamp_format (expires);
	guchar hash[crypto_generichash_BYTES];

	if (statement == NULL)
		return FALSE;
	px_secret_hash (new_token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_int64 (statement, 2, user_id);
	sqlite3_bind_text (statement, 3, new_csrf, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 4, created_at, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 5, expires_at, -1, SQLITE_STATIC);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	*token = g_steal_pointer (&new_token);
	*csrf = g_steal_pointer (&new_csrf);
	return TRUE;
}

PxUser *
px_session_lookup (PxStore *store, const char *token, char **csrf, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT users.id, users.email, users.role, sessions.csrf FROM sessions "
	    "JOIN users ON users.id = sessions.user_id "
	    "WHERE sessions.hash = ?1 AND sessions.expires_at > ?2 AND users.disabled_at IS NULL",
	    error);
	g_autofree char *now = px_timestamp_now ();
	guchar hash[crypto_generichash_BYTES];
	g_autoptr (PxUser) user = NULL;
	int rc;

	if (statement == NULL)
		return NULL;
	px_secret_hash (token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, now, -1, SQLITE_STATIC);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		sqlite3_reset (statement);
		g_set_error_literal (error, PX_ERROR, PX_ERROR_UNAUTHORIZED,
				     "no such session: sign in again");
		return NULL;
	}
	user = g_new0 (PxUser, 1);
	user->id = sqlite3_column_int64 (statement, 0);
	user->email = g_strdup ((const char *)sqlite3_column_text (statement, 1));
	px_user_role_from_string ((const char *)sqlite3_column_text (statement, 2), &user->role);
	*csrf = g_strdup ((const char *)sqlite3_column_text (statement, 3));
	sqlite3_reset (statement);
	return g_steal_pointer (&user);
}

gboolean
px_session_delete (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "DELETE FROM sessions WHERE hash = ?1 OR expires_at <= ?2", error);
	g_autofree char *now = px_timestamp_now ();
	guchar hash[crypto_generichash_BYTES];

	if (statement == NULL)
		return FALSE;
	px_secret_hash (token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, now, -1, SQLITE_STATIC);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

gboolean
px_session_delete_user (PxStore *store, gint64 user_id, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "DELETE FROM sessions WHERE user_id = ?1", error);

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, user_id);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}
