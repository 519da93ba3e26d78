/* lua-json.h: px.json, JSON for plugins: encode Lua values, decode through util/json.h's strict
 * check. */
#pragma once

#include <lua.h>

/**
 * px_lua_json_open:
 *
 * Pushes the table px.json: encode(value) -> text, decode(text) -> value | nil, reason,
 * array([table]) -> the table marked as a JSON array, and null, the value of JSON's null
 * (see core/lua/lua-json.c and docs/plugins.md).
 *
 * Returns: 1
 */
int px_lua_json_open (lua_State *L);
