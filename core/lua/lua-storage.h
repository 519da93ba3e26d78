/* lua-storage.h: px.storage, each plugin's small key-value store (store/plugin-storage.c). */
#pragma once

#include <lua.h>

/* Pushes the table px.storage: get(key) → text or nil, set(key, text) (nil removes), delete(key).
 * Written with the call's connection: in a practice event, inside the change's transaction. */
int px_lua_storage_open (lua_State *L);
