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
px_lua_call_peek (lua_State *L)
{
	PxLuaCall *call;

	lua_rawgetp (L, LUA_REGISTRYINDEX, &px_lua_call_key);
	call = lua_touserdata (L, -1);
	lua_pop (L, 1);
	return call;
}

PxLuaCall *
px_lua_call_get (lua_State *L)
{
	PxLuaCall *call = px_lua_call_peek (L);

	if (call == NULL)
		luaL_error (L, "this is not available here");
	return call;
}

typedef struct {
	gpointer data;
	GDestroyNotify free_func;
} PxLuaCallHolder;

static int
px_lua_call_holder_gc_cb (lua_State *L)
{
	PxLuaCallHolder *holder = lua_touserdata (L, 1);

	if (holder->data != NULL)
		holder->free_func (g_steal_pointer (&holder->data));
	return 0;
}

gpointer *
px_lua_call_hold (lua_State *L, GDestroyNotify free_func)
{
	PxLuaCallHolder *holder = lua_newuserdatauv (L, sizeof (PxLuaCallHolder), 0);

	holder->data = NULL;
	holder->free_func = free_func;
	if (luaL_newmetatable (L, "px.holder")) {
		lua_pushcfunction (L, px_lua_call_holder_gc_cb);
		lua_setfield (L, -2, "__gc");
		lua_pushboolean (L, 0);
		lua_setfield (L, -2, "__metatable");
	}
	lua_setmetatable (L, -2);
	return &holder->data;
}
