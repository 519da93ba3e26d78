/* invite.h: the invitations an admin sends: a one-time link that makes a partner's (or an
 * admin's) account with the password its holder chooses, valid for a week. */
#pragma once

#include "store.h"
#include "user.h"

/* how long an invitation link stays valid */
#define PX_INVITE_SECONDS (7 * 24 * 3600)

typedef enum {
	PX_INVITE_OPEN,	   /* the link may still make its account */
	PX_INVITE_USED,	   /* it has made it */
	PX_INVITE_EXPIRED, /* PX_INVITE_SECONDS passed unused */
} PxInviteState;

typedef struct {
	char *email;
	PxRole role;
	char *expires_at;
	PxInviteState state;
} PxInvite;

/**
 * px_invite_create:
 * @invited_by: the admin's user id, or 0 (the command line)
 * @token: (out) (transfer full): the link's secret, shown once; only its hash is stored
 *
 * Returns: FALSE with PX_ERROR_INVALID for a bad address, PX_ERROR_CONFLICT when @email has an
 * account already
 */
gboolean px_invite_create (PxStore *store, const char *email, PxRole role, gint64 invited_by,
			   char **token, GError **error);

/* Returns: (transfer full): the invitation of @token in any state, or NULL with
 * PX_ERROR_NOT_FOUND for an unknown token */
PxInvite *px_invite_get (PxStore *store, const char *token, GError **error);

/**
 * px_invite_accept:
 *
 * Makes the invited account with @password (px_user_validate_password's rules) and uses the
 * link up, in one transaction. Slow (the password is hashed): never on the main loop.
 *
 * Returns: (transfer full): the new user, or NULL with PX_ERROR_NOT_FOUND for an unknown token,
 * PX_ERROR_FORBIDDEN for a link used or expired, PX_ERROR_INVALID for a password that breaks
 * the rules, PX_ERROR_CONFLICT when the address has an account already
 */
PxUser *px_invite_accept (PxStore *store, const char *token, const char *password, GError **error);
void px_invite_free (PxInvite *invite);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxInvite, px_invite_free)
