/* user.c: PxUser and PxRole, and the users table: accounts added, found, listed, disabled;
 * passwords hashed with argon2id (libsodium's crypto_pwhash_str, INTERACTIVE limits) and
 * checked. Tokens are token.c's, sessions session.c's, invitations invite.c's. */
#define G_LOG_DOMAIN "PxStore"

#include <sodium.h>
#include <string.h>

#include "store-private.h"
#include "user.h"
#include "util/error.h"
#include "util/timestamp.h"

/* the columns px_user_read_row() reads, in its order */
#define PX_USER_COLUMNS "id, email, role, created_at, disabled_at, password_hash IS NOT NULL"

/* an argon2id hash of a random password nobody knows, with the INTERACTIVE limits: checked
 * against when there is no hash to check, so that an unknown address takes as long as a known */
static const char px_user_dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$np1ZUHzlQRKQNeZXHWt6Nw$"
    "oal6SvHwBXMCUOI9F7+4u8OJ1NwavmeXJ8gFRCzF6us";

/* one message for every failed sign-in: which part was wrong is not told */
#define PX_USER_SIGN_IN_FAILED "wrong e-mail address or password"

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

const char *
px_user_role_to_string (PxRole role)
{
	return role == PX_ROLE_ADMIN ? "admin" : "partner";
}

void
px_user_free (PxUser *user)
{
	if (user == NULL)
		return;
	g_free (user->email);
	g_free (user->created_at);
	g_free (user->disabled_at);
	g_free (user);
}

gboolean
px_user_validate_email (const char *email, GError **error)
{
	const char *at = strchr (email, '@');

	if (!g_utf8_validate (email, -1, NULL) || strlen (email) > 254 || at == NULL ||
	    at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "not an e-mail address like name@example.org");
		return FALSE;
	}
	for (const char *c = email; *c != '\0'; c = g_utf8_next_char (c)) {
		gunichar character = g_utf8_get_char (c);

		if (g_unichar_isspace (character) || g_unichar_iscntrl (character)) {
			g_set_error_literal (
			    error, PX_ERROR, PX_ERROR_INVALID,
			    "an e-mail address has no spaces or control characters");
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
px_user_validate_password (const char *password, GError **error)
{
	if (strlen (password) > PX_USER_PASSWORD_MAX_BYTES) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the password is too long: at most %d bytes",
			     PX_USER_PASSWORD_MAX_BYTES);
		return FALSE;
	}
	if (!g_utf8_validate (password, -1, NULL)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the password is not UTF-8 text");
		return FALSE;
	}
	if (g_utf8_strlen (password, -1) < PX_USER_PASSWORD_MIN_CHARS) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the password is too short: at least %d characters",
			     PX_USER_PASSWORD_MIN_CHARS);
		return FALSE;
	}
	return TRUE;
}

char *
px_user_hash_password (const char *password, GError **error)
{
	char hash[crypto_pwhash_STRBYTES];

	if (!px_user_validate_password (password, error))
		return NULL;
	if (crypto_pwhash_str (hash, password, strlen (password),
			       crypto_pwhash_OPSLIMIT_INTERACTIVE,
			       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INTERNAL,
				     "out of memory hashing the password");
		return NULL;
	}
	return g_strdup (hash);
}

gboolean
px_user_write_password_hash (PxStore *store, gint64 id, const char *hash, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "UPDATE users SET password_hash = ?2 WHERE id = ?1", error);

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, id);
	sqlite3_bind_text (statement, 2, hash, -1, SQLITE_STATIC);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

/* signs @id out of every session */
static gboolean
px_user_delete_sessions (PxStore *store, gint64 id, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "DELETE FROM sessions WHERE user_id = ?1", error);

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, id);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

/* Returns: (transfer full): the user of the current row of a PX_USER_COLUMNS statement */
static PxUser *
px_user_read_row (sqlite3_stmt *statement)
{
	PxUser *user = g_new0 (PxUser, 1);

	user->id = sqlite3_column_int64 (statement, 0);
	user->email = g_strdup ((const char *)sqlite3_column_text (statement, 1));
	px_user_role_from_string ((const char *)sqlite3_column_text (statement, 2), &user->role);
	user->created_at = g_strdup ((const char *)sqlite3_column_text (statement, 3));
	user->disabled_at = g_strdup ((const char *)sqlite3_column_text (statement, 4));
	user->has_password = sqlite3_column_int (statement, 5) != 0;
	return user;
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
	sqlite3_bind_text (statement, 2, px_user_role_to_string (role), -1, SQLITE_STATIC);
	sqlite3_bind_text (statement, 3, now, -1, SQLITE_STATIC);
	if (px_store_step (store, statement, &local_error) == SQLITE_DONE)
		return TRUE;
	if (g_error_matches (local_error, PX_ERROR, PX_ERROR_CONFLICT))
		g_prefix_error (&local_error, "user %s exists already: ", email);
	g_propagate_error (error, g_steal_pointer (&local_error));
	return FALSE;
}

/* Returns: (transfer full): the one user a statement of PX_USER_COLUMNS finds, NULL with
 * PX_ERROR_NOT_FOUND and @what when none */
static PxUser *
px_user_read_one (PxStore *store, sqlite3_stmt *statement, const char *what, GError **error)
{
	PxUser *user;
	int rc = px_store_step (store, statement, error);

	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		sqlite3_reset (statement);
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no user %s", what);
		return NULL;
	}
	user = px_user_read_row (statement);
	/* a statement left on its row keeps a read snapshot open: a later write would fail */
	sqlite3_reset (statement);
	return user;
}

PxUser *
px_user_get (PxStore *store, gint64 id, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "SELECT " PX_USER_COLUMNS " FROM users WHERE id = ?1", error);
	g_autofree char *what = g_strdup_printf ("%" G_GINT64_FORMAT, id);

	if (statement == NULL)
		return NULL;
	sqlite3_bind_int64 (statement, 1, id);
	return px_user_read_one (store, statement, what, error);
}

PxUser *
px_user_find (PxStore *store, const char *email, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT " PX_USER_COLUMNS " FROM users WHERE email = ?1", error);

	if (statement == NULL)
		return NULL;
	sqlite3_bind_text (statement, 1, email, -1, SQLITE_STATIC);
	return px_user_read_one (store, statement, email, error);
}

GPtrArray *
px_user_list (PxStore *store, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT " PX_USER_COLUMNS " FROM users ORDER BY email, id", error);
	g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify)px_user_free);
	int rc;

	if (statement == NULL)
		return NULL;
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		g_ptr_array_add (users, px_user_read_row (statement));
	if (rc < 0)
		return NULL;
	return g_steal_pointer (&users);
}

gboolean
px_user_set_password (PxStore *store, const char *email, const char *password, GError **error)
{
	g_autofree char *hash = NULL;
	g_autoptr (PxUser) user = px_user_find (store, email, error);

	if (user == NULL)
		return FALSE;
	/* hashed before the write transaction, which other writers wait for */
	hash = px_user_hash_password (password, error);
	if (hash == NULL)
		return FALSE;
	if (!px_store_begin (store, error))
		return FALSE;
	if (!px_user_write_password_hash (store, user->id, hash, error) ||
	    !px_user_delete_sessions (store, user->id, error) || !px_store_commit (store, error)) {
		px_store_rollback (store);
		return FALSE;
	}
	return TRUE;
}

/* Returns: (transfer full) (nullable): the user of @email and its stored hash, or NULL (and no
 * error) when there is no such user */
static PxUser *
px_user_find_with_hash (PxStore *store, const char *email, char **hash, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT " PX_USER_COLUMNS ", password_hash FROM users WHERE email = ?1", error);
	PxUser *user;
	int rc;

	if (statement == NULL)
		return NULL;
	sqlite3_bind_text (statement, 1, email, -1, SQLITE_STATIC);
	rc = px_store_step (store, statement, error);
	if (rc != SQLITE_ROW) {
		sqlite3_reset (statement);
		return NULL;
	}
	user = px_user_read_row (statement);
	*hash = g_strdup ((const char *)sqlite3_column_text (statement, 6));
	sqlite3_reset (statement);
	return user;
}

/* stores a new hash of @password for @user when its hash was made with other limits; a
 * failure (a read-only connection) only costs the upgrade */
static void
px_user_ensure_current_hash (PxStore *store, const PxUser *user, const char *hash,
			     const char *password)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *new_hash = NULL;

	if (crypto_pwhash_str_needs_rehash (hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
		return;
	new_hash = px_user_hash_password (password, &error);
	if (new_hash == NULL || !px_user_write_password_hash (store, user->id, new_hash, &error))
		g_message ("the password hash of %s stays as it was: %s", user->email,
			   error->message);
}

PxUser *
px_user_check_password (PxStore *store, const char *email, const char *password, GError **error)
{
	g_autofree char *hash = NULL;
	g_autoptr (GError) local_error = NULL;
	g_autoptr (PxUser) user = px_user_find_with_hash (store, email, &hash, &local_error);
	gsize length = strlen (password);
	const char *checked;
	gboolean usable, matches;

	if (local_error != NULL) {
		g_propagate_error (error, g_steal_pointer (&local_error));
		return NULL;
	}
	/* the same work whether or not there is a hash to check, so the time tells nothing */
	usable = user != NULL && hash != NULL && length <= PX_USER_PASSWORD_MAX_BYTES;
	checked = usable ? hash : px_user_dummy_hash;
	matches = crypto_pwhash_str_verify (checked, password, length) == 0;
	if (!usable || !matches || user->disabled_at != NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_UNAUTHORIZED,
				     PX_USER_SIGN_IN_FAILED);
		return NULL;
	}
	px_user_ensure_current_hash (store, user, hash, password);
	return g_steal_pointer (&user);
}

gboolean
px_user_set_disabled (PxStore *store, const char *email, gboolean disabled, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "UPDATE users SET disabled_at = ?2 "
			      "WHERE id = ?1 AND (?2 IS NULL) <> (disabled_at IS NULL)",
			      error);
	g_autofree char *now = disabled ? px_timestamp_now () : NULL;
	g_autoptr (PxUser) user = NULL;

	if (statement == NULL || !px_store_begin (store, error))
		return FALSE;
	user = px_user_find (store, email, error);
	if (user == NULL) {
		px_store_rollback (store);
		return FALSE;
	}
	sqlite3_bind_int64 (statement, 1, user->id);
	px_store_bind_text (statement, 2, now);
	if (px_store_step (store, statement, error) != SQLITE_DONE ||
	    (disabled && !px_user_delete_sessions (store, user->id, error)) ||
	    !px_store_commit (store, error)) {
		px_store_rollback (store);
		return FALSE;
	}
	return TRUE;
}
