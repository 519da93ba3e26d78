/* lua-hmac.h: px.hmac, keyed hashes for plugins (a webhook's signature). */
#pragma once

#include <lua.h>

/**
 * px_lua_hmac_open:
 *
 * Pushes the table px.hmac: sha256(key, message) -> the HMAC-SHA256 of @message keyed with
 * @key, as 64 lower-case hex digits.
 *
 * Returns: 1
 */
int px_lua_hmac_open (lua_State *L);
