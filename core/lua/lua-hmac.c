/* lua-hmac.c: px.hmac.sha256 with GLib's GHmac. The digest is computed and the GHmac freed
 * before any Lua value is pushed, so nothing of GLib is alive when a push raises. */
#define G_LOG_DOMAIN "PxLuaHmac"

#include <glib.h>
#include <lauxlib.h>

#include "lua-hmac.h"

#define PX_LUA_HMAC_MAX_TEXT (64 * 1024 * 1024)

/* px.hmac.sha256 (key, message) -> lower-case hex */
static int
px_lua_hmac_sha256 (lua_State *L)
{
	size_t key_length = 0, length = 0;
	const char *key = luaL_checklstring (L, 1, &key_length);
	const char *message = luaL_checklstring (L, 2, &length);
	guint8 digest[32];
	gsize digest_length = sizeof (digest);
	char hex[2 * sizeof (digest)];
	GHmac *hmac;

	if (key_length > PX_LUA_HMAC_MAX_TEXT || length > PX_LUA_HMAC_MAX_TEXT)
		return luaL_error (L, "px.hmac.sha256: the key and the message are at most 64 MiB");
	hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)key, key_length);
	g_hmac_update (hmac, (const guchar *)message, (gssize)length);
	g_hmac_get_digest (hmac, digest, &digest_length);
	g_hmac_unref (hmac);
	for (gsize i = 0; i < sizeof (digest); i++) {
		hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 0x0f];
	}
	lua_pushlstring (L, hex, sizeof (hex)); /* stack: key message hex */
	return 1;
}

static const luaL_Reg px_lua_hmac_functions[] = {
    {"sha256", px_lua_hmac_sha256},
    {NULL, NULL},
};

int
px_lua_hmac_open (lua_State *L)
{
	luaL_newlib (L, px_lua_hmac_functions); /* stack: hmac */
	return 1;
}
