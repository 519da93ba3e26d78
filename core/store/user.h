/* user.h: PxUser and PxRole, the accounts that may write through the API (partners, admins),
 * and the users table. */
#pragma once

#include "store.h"

typedef enum {
	PX_ROLE_PARTNER,
	PX_ROLE_ADMIN,
} PxRole;

typedef struct {
	gint64 id;
	char *email;
	PxRole role;
} PxUser;

/* CONFLICT when @email has an account already */
gboolean px_user_add (PxStore *store, const char *email, PxRole role, GError **error);
/* Returns: (transfer full): the user @id, or NULL with @error set (PX_ERROR_NOT_FOUND) */
PxUser *px_user_get (PxStore *store, gint64 id, GError **error);
void px_user_free (PxUser *user);
/* Returns: FALSE for anything but "partner" and "admin" */
gboolean px_user_role_from_string (const char *text, PxRole *role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxUser, px_user_free)
