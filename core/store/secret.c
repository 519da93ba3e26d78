/* secret.c: random tokens from libsodium, and their BLAKE2b hashes. */
#define G_LOG_DOMAIN "PxStore"

#include <string.h>

#include "secret.h"

#define PX_SECRET_TOKEN_BYTES 32

char *
px_secret_new_token (void)
{
	guchar secret[PX_SECRET_TOKEN_BYTES];
	char encoded[sodium_base64_ENCODED_LEN (PX_SECRET_TOKEN_BYTES,
						sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf (secret, sizeof secret);
	sodium_bin2base64 (encoded, sizeof encoded, secret, sizeof secret,
			   sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero (secret, sizeof secret);
	return g_strdup (encoded);
}

void
px_secret_hash (const char *token, guchar hash[crypto_generichash_BYTES])
{
	crypto_generichash (hash, crypto_generichash_BYTES, (const guchar *)token, strlen (token),
			    NULL, 0);
}
