/* lua-storage.c: px.storage for plugins: get, set and delete text values by key, in the
 * plugin's own rows (store/plugin-storage.c), through the connection of the call. */
#define G_LOG_DOMAIN "PxLua"

#include "lua-storage.h"

#include <lauxlib.h>

#include "lua-call.h"
#include "store/plugin-storage.h"

static PxStore *
px_lua_storage_store (lua_State *L, const char *what)
{
	PxLuaCall *call = px_lua_call_get (L);

	if (call->store == NULL)
		luaL_error (L, "px.storage.%s: not available in this event (no database)", what);
	return call->store;
}

static const char *
px_lua_storage_check_key (lua_State *L)
{
	size_t length;
	const char *key = luaL_checklstring (L, 1, &length);

	if (length == 0 || length > PX_PLUGIN_STORAGE_MAX_KEY || strlen (key) != length ||
	    !g_utf8_validate (key, (gssize)length, NULL))
		luaL_error (L, "px.storage: a key is text of 1 to %d bytes",
			    PX_PLUGIN_STORAGE_MAX_KEY);
	return key;
}

/* raises @error's message (freeing it first, since raising skips cleanups) */
static int
px_lua_storage_raise (lua_State *L, GError *error)
{
	lua_pushstring (L, error->message);
	g_error_free (error);
	return lua_error (L);
}

static int
px_lua_storage_get_cb (lua_State *L)
{
	const char *key = px_lua_storage_check_key (L);
	PxStore *store = px_lua_storage_store (L, "get");
	gpointer *slot = px_lua_call_hold (L, g_free);
	GError *error = NULL;

	if (!px_plugin_storage_get (store, px_lua_call_get (L)->plugin, key, (char **)slot, &error))
		return px_lua_storage_raise (L, error);
	lua_pushstring (L, *slot);
	return 1;
}

static int
px_lua_storage_set_cb (lua_State *L)
{
	const char *key = px_lua_storage_check_key (L);
	size_t length = 0;
	const char *value = luaL_optlstring (L, 2, NULL, &length);
	PxStore *store = px_lua_storage_store (L, "set");
	const char *plugin = px_lua_call_get (L)->plugin;
	GError *error = NULL;
	gboolean ok;

	if (value != NULL && (length > PX_PLUGIN_STORAGE_MAX_VALUE || strlen (value) != length ||
			      !g_utf8_validate (value, (gssize)length, NULL)))
		return luaL_error (L, "px.storage.set: a value is text of at most %d bytes",
				   PX_PLUGIN_STORAGE_MAX_VALUE);
	ok = value != NULL ? px_plugin_storage_set (store, plugin, key, value, &error)
			   : px_plugin_storage_delete (store, plugin, key, &error);
	if (!ok)
		return px_lua_storage_raise (L, error);
	return 0;
}

static int
px_lua_storage_delete_cb (lua_State *L)
{
	lua_settop (L, 1);
	lua_pushnil (L);
	return px_lua_storage_set_cb (L);
}

int
px_lua_storage_open (lua_State *L)
{
	static const luaL_Reg functions[] = {
	    {"get", px_lua_storage_get_cb},
	    {"set", px_lua_storage_set_cb},
	    {"delete", px_lua_storage_delete_cb},
	    {NULL, NULL},
	};

	luaL_newlib (L, functions);
	return 1;
}
