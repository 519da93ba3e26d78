/* user.h: PxUser and PxRole, the accounts that may write through the API and sign in to the web
 * pages (partners, admins), and the users table: passwords hashed with argon2id, disabled
 * accounts. */
#pragma once

#include "store.h"

/* what a new password must have: characters (UTF-8), and at most bytes */
#define PX_USER_PASSWORD_MIN_CHARS 10
#define PX_USER_PASSWORD_MAX_BYTES 1024

typedef enum {
	PX_ROLE_PARTNER,
	PX_ROLE_ADMIN,
} PxRole;

typedef struct {
	gint64 id;
	char *email;
	PxRole role;
	/* the rest is read by user.c's functions only (the token's and session's lookups leave
	 * it unset: they find enabled accounts only) */
	char *created_at;  /* (nullable) */
	char *disabled_at; /* (nullable): when an admin disabled the account */
	gboolean has_password;
} PxUser;

/* CONFLICT when @email has an account already */
gboolean px_user_add (PxStore *store, const char *email, PxRole role, GError **error);
/* Returns: (transfer full): the user @id, or NULL with @error set (PX_ERROR_NOT_FOUND) */
PxUser *px_user_get (PxStore *store, gint64 id, GError **error);
/* Returns: (transfer full): the user of @email (any case), or NULL with PX_ERROR_NOT_FOUND */
PxUser *px_user_find (PxStore *store, const char *email, GError **error);
/* Returns: (transfer full) (element-type PxUser): every account, by e-mail address */
GPtrArray *px_user_list (PxStore *store, GError **error);
void px_user_free (PxUser *user);
/* Returns: FALSE for anything but "partner" and "admin" */
gboolean px_user_role_from_string (const char *text, PxRole *role);
/* Returns: "partner" or "admin" */
const char *px_user_role_to_string (PxRole role);

/* Returns: FALSE with PX_ERROR_INVALID unless @email looks like an address (one "@" between
 * text, no spaces or control characters, UTF-8, at most 254 bytes) */
gboolean px_user_validate_email (const char *email, GError **error);
/* Returns: FALSE with PX_ERROR_INVALID unless @password is UTF-8 with at least
 * PX_USER_PASSWORD_MIN_CHARS characters and at most PX_USER_PASSWORD_MAX_BYTES bytes */
gboolean px_user_validate_password (const char *password, GError **error);

/**
 * px_user_set_password:
 *
 * Stores the argon2id hash of @password (px_user_validate_password's rules) for @email and
 * signs the account out of every session. Slow (about 0.1 s and 64 MiB): never on the main loop.
 *
 * Returns: FALSE with PX_ERROR_NOT_FOUND for an unknown @email, PX_ERROR_INVALID for a password
 * that breaks the rules
 */
gboolean px_user_set_password (PxStore *store, const char *email, const char *password,
			       GError **error);

/**
 * px_user_check_password:
 *
 * Signs in: verifies @password against the stored hash of @email (and stores a new hash when
 * the stored one was made with weaker limits). An unknown address costs as much time as a known
 * one. Slow: never on the main loop.
 *
 * Returns: (transfer full): the user, or NULL with PX_ERROR_UNAUTHORIZED and one message for an
 * unknown address, a wrong password, a disabled account and an account without a password
 */
PxUser *px_user_check_password (PxStore *store, const char *email, const char *password,
				GError **error);

/* disables @email (its API tokens stop working, its sessions are gone) or enables it again;
 * Returns: FALSE with PX_ERROR_NOT_FOUND for an unknown @email */
gboolean px_user_set_disabled (PxStore *store, const char *email, gboolean disabled,
			       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxUser, px_user_free)
