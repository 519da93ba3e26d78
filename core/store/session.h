/* session.h: the web's sign-in sessions, stored server-side: the cookie carries a random token,
 * the sessions table only its hash, the user, the session's CSRF secret and when it expires. */
#pragma once

#include "store.h"
#include "user.h"

/* how long a session lasts from sign-in */
#define PX_SESSION_SECONDS (8 * 24 * 3600)

/**
 * px_session_create:
 * @token: (out) (transfer full): the cookie's value, shown once and never stored
 * @csrf: (out) (transfer full): the session's CSRF secret
 *
 * Returns: FALSE with @error set
 */
gboolean px_session_create (PxStore *store, gint64 user_id, char **token, char **csrf,
			    GError **error);
/**
 * px_session_lookup:
 * @csrf: (out) (transfer full): the session's CSRF secret
 *
 * Returns: (transfer full): the signed-in user of @token, or NULL with PX_ERROR_UNAUTHORIZED
 * for an unknown or expired session, or a disabled account
 */
PxUser *px_session_lookup (PxStore *store, const char *token, char **csrf, GError **error);
/* signs out: the session of @token is gone (no error when there was none) */
gboolean px_session_delete (PxStore *store, const char *token, GError **error);
/* signs @user_id out everywhere (a disabled account, a new password) */
gboolean px_session_delete_user (PxStore *store, gint64 user_id, GError **error);
