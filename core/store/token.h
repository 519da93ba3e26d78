/* token.h: the API's bearer tokens: made at random for a user, stored only as a hash, and
 * looked up to find the caller. */
#pragma once

#include "store.h"
#include "user.h"

/* Returns: (transfer full): a new random token for @email (only its hash is stored) */
char *px_token_create (PxStore *store, const char *email, GError **error);
/* Returns: (transfer full): the token's user, or NULL with PX_ERROR_UNAUTHORIZED (an unknown
 * token, a disabled account) */
PxUser *px_token_lookup (PxStore *store, const char *token, GError **error);
