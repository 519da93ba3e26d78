/* invite.c: the invites table: one-time links made at random and stored as a BLAKE2b hash, read
 * back by that hash, and used up by the account they make. The users table is user.c's. */
#define G_LOG_DOMAIN "PxStore"

#include <sodium.h>
#include <string.h>

#include "invite.h"
#include "secret.h"
#include "store-private.h"
#include "util/error.h"
#include "util/timestamp.h"

void
px_invite_free (PxInvite *invite)
{
	if (invite == NULL)
		return;
	g_free (invite->email);
	g_free (invite->expires_at);
	g_free (invite);
}

/* CONFLICT when @email has an account */
static gboolean
px_invite_check_no_account (PxStore *store, const char *email, GError **error)
{
	g_autoptr (GError) local_error = NULL;
	g_autoptr (PxUser) user = px_user_find (store, email, &local_error);

	if (user != NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_CONFLICT, "user %s exists already", email);
		return FALSE;
	}
	if (!g_error_matches (local_error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
		g_propagate_error (error, g_steal_pointer (&local_error));
		return FALSE;
	}
	return TRUE;
}

gboolean
px_invite_create (PxStore *store, const char *email, PxRole role, gint64 invited_by, char **token,
		  GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "INSERT INTO invites (hash, email, role, invited_by, created_at, expires_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    error);
	g_autofree char *new_token = px_secret_new_token ();
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	g_autoptr (GDateTime) expires = g_date_time_add_seconds (now, PX_INVITE_SECONDS);
	g_autofree char *created_at = px_timestamp_format (now);
	g_autofree char *expires_at = px_timestamp_format (expires);
	guchar hash[crypto_generichash_BYTES];

	if (statement == NULL || !px_user_validate_email (email, error) ||
	    !px_invite_check_no_account (store, email, error))
		return FALSE;
	px_secret_hash (new_token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, email, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 3, px_user_role_to_string (role), -1, SQLITE_STATIC);
	if (invited_by > 0)
		sqlite3_bind_int64 (statement, 4, invited_by);
	else
		sqlite3_bind_null (statement, 4);
	sqlite3_bind_text (statement, 5, created_at, -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 6, expires_at, -1, SQLITE_STATIC);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	*token = g_steal_pointer (&new_token);
	return TRUE;
}

PxInvite *
px_invite_get (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT email, role, expires_at, used_at FROM invites WHERE hash = ?1", error);
	g_autofree char *now = px_timestamp_now ();
	guchar hash[crypto_generichash_BYTES];
	PxInvite *invite;
	int rc;

	if (statement == NULL)
		return NULL;
	px_secret_hash (token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_NOT_FOUND,
				     "unknown invitation link: ask for a new one");
		return NULL;
	}
	invite = g_new0 (PxInvite, 1);
	invite->email = g_strdup ((const char *)sqlite3_column_text (statement, 0));
	px_user_role_from_string ((const char *)sqlite3_column_text (statement, 1), &invite->role);
	invite->expires_at = g_strdup ((const char *)sqlite3_column_text (statement, 2));
	if (sqlite3_column_type (statement, 3) != SQLITE_NULL)
		invite->state = PX_INVITE_USED;
	else if (g_strcmp0 (invite->expires_at, now) <= 0)
		invite->state = PX_INVITE_EXPIRED;
	else
		invite->state = PX_INVITE_OPEN;
	sqlite3_reset (statement);
	return invite;
}

/* Returns: (transfer full): the invitation of @token if it is open, else NULL with the error
 * px_invite_accept() documents */
static PxInvite *
px_invite_get_open (PxStore *store, const char *token, GError **error)
{
	g_autoptr (PxInvite) invite = px_invite_get (store, token, error);

	if (invite == NULL)
		return NULL;
	if (invite->state == PX_INVITE_USED) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_FORBIDDEN,
				     "this invitation link has been used already: sign in instead");
		return NULL;
	}
	if (invite->state == PX_INVITE_EXPIRED) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_FORBIDDEN,
				     "this invitation link has expired: ask for a new one");
		return NULL;
	}
	return g_steal_pointer (&invite);
}

/* marks the invitation of @token used */
static gboolean
px_invite_use (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "UPDATE invites SET used_at = ?2 WHERE hash = ?1 AND used_at IS NULL", error);
	g_autofree char *now = px_timestamp_now ();
	guchar hash[crypto_generichash_BYTES];

	if (statement == NULL)
		return FALSE;
	px_secret_hash (token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_text (statement, 2, now, -1, SQLITE_STATIC);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

/* in the write transaction: the invitation checked again (another request may have used it
 * meanwhile), the account made, the link used up */
static PxUser *
px_invite_make_account (PxStore *store, const char *token, const char *hash, GError **error)
{
	g_autoptr (PxInvite) invite = px_invite_get_open (store, token, error);
	g_autoptr (PxUser) user = NULL;

	if (invite == NULL || !px_invite_check_no_account (store, invite->email, error) ||
	    !px_user_add (store, invite->email, invite->role, error))
		return NULL;
	user = px_user_find (store, invite->email, error);
	if (user == NULL || !px_user_write_password_hash (store, user->id, hash, error) ||
	    !px_invite_use (store, token, error))
		return NULL;
	user->has_password = TRUE;
	return g_steal_pointer (&user);
}

PxUser *
px_invite_accept (PxStore *store, const char *token, const char *password, GError **error)
{
	g_autoptr (PxInvite) invite = px_invite_get_open (store, token, error);
	g_autofree char *hash = NULL;
	g_autoptr (PxUser) user = NULL;

	if (invite == NULL)
		return NULL;
	/* hashed before the write transaction, which other writers wait for */
	hash = px_user_hash_password (password, error);
	if (hash == NULL || !px_store_begin (store, error))
		return NULL;
	user = px_invite_make_account (store, token, hash, error);
	if (user == NULL || !px_store_commit (store, error)) {
		px_store_rollback (store);
		return NULL;
	}
	return g_steal_pointer (&user);
}
