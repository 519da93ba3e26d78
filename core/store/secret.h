/* secret.h: the random tokens the store hands out (API tokens, sessions, invitations,
 * subscription links) and the hash under which those that are looked up are kept. */
#pragma once

#include <glib.h>
#include <sodium.h>

/* Returns: (transfer full): 32 random bytes as 43 URL-safe base64 characters */
char *px_secret_new_token (void);
/* the BLAKE2b hash a token is stored and looked up by */
void px_secret_hash (const char *token, guchar hash[crypto_generichash_BYTES]);
