/* token.c: the bearer tokens of the API: random, stored as a libsodium generic hash only, and
 * looked up by that hash; a disabled account's tokens are refused. */
#define G_LOG_DOMAIN "PxStore"

#include <sodium.h>
#include <string.h>

#include "secret.h"
#include "store-private.h"
#include "token.h"
#include "util/error.h"
#include "util/timestamp.h"

char *
px_token_create (PxStore *store, const char *email, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "INSERT INTO tokens (user_id, hash, created_at) "
			      "SELECT id, ?2, ?3 FROM users WHERE email = ?1",
			      error);
	guchar hash[crypto_generichash_BYTES];
	g_autofree char *encoded = NULL;
	g_autofree char *now = px_timestamp_now ();
	g_autofree char *token = NULL;

	if (statement == NULL)
		return NULL;
	encoded = px_secret_new_token ();
	token = g_strconcat ("px_", encoded, NULL);
	px_secret_hash (token, hash);
	sqlite3_bind_text (statement, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_blob (statement, 2, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_text (statement, 3, now, -1, SQLITE_STATIC);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return NULL;
	if (sqlite3_changes (store->db) == 0) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no user %s", email);
		return NULL;
	}
	return g_steal_pointer (&token);
}

PxUser *
px_token_lookup (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT users.id, users.email, users.role, users.disabled_at FROM tokens "
	    "JOIN users ON users.id = tokens.user_id WHERE tokens.hash = ?1",
	    error);
	guchar hash[crypto_generichash_BYTES];
	g_autoptr (PxUser) user = g_new0 (PxUser, 1);
	int rc;

	if (statement == NULL)
		return NULL;
	px_secret_hash (token, hash);
	sqlite3_bind_blob (statement, 1, hash, sizeof hash, SQLITE_STATIC);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED, "unknown token");
		return NULL;
	}
	if (sqlite3_column_type (statement, 3) != SQLITE_NULL) {
		sqlite3_reset (statement);
		g_set_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED, "the account is disabled");
		return NULL;
	}
	user->id = sqlite3_column_int64 (statement, 0);
	user->email = g_strdup ((const char *)sqlite3_column_text (statement, 1));
	px_user_role_from_string ((const char *)sqlite3_column_text (statement, 2), &user->role);
	sqlite3_reset (statement);
	return g_steal_pointer (&user);
}
