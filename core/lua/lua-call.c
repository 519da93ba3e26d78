/* lua-call.c: the PxLuaCall of a plugin's state, kept in its registry. */
#include "lua-call.h"

#include <lauxlib.h>

static const char px_lua_call_key = 'c';

void
px_lua_call_set (lua_State *L, PxLuaCall *call)
{
	lua_pushlightuserdata (L, call);
	lua_rawsetp (L, LUA_REGISTRYINDEX, &px_lua_call_key);
}

PxLuaCall *
px_lua_call_get (lua_State *L)
{
	PxLuaCall *call;

	lua_rawgetp (L, LUA_REGISTRYINDEX, &px_lua_call_key);
	call = lua_touserdata (L, -1);
	lua_pop (L, 1);
	if (call == NULL)
		luaL_error (L, "this is not available here");
	return call;
}
