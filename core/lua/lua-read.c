/* lua-read.c: px.get and px.search: what a plugin may read of the store. px.get reads with the
 * call's connection (in a practice event, the change's transaction: it sees the change);
 * px.search runs the real search (search/search.c) on the published practices; px.admins
 * lists the addresses of the enabled admin accounts (the moderators). */
#define G_LOG_DOMAIN "PxLua"

#include "lua-read.h"

#include <lauxlib.h>

#include "lua-call.h"
#include "lua-practice.h"
#include "search/search.h"
#include "store/records.h"
#include "store/user.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "util/form.h"

static int
px_lua_read_get_cb (lua_State *L)
{
	PxLuaCall *call = px_lua_call_get (L);
	gpointer *slot;
	GError *error = NULL;

	if (lua_type (L, 1) != LUA_TNUMBER && lua_type (L, 1) != LUA_TSTRING)
		return luaL_argerror (L, 1, "an id or a uid");
	if (call->store == NULL)
		return luaL_error (L, "px.get: not available in this event (no database)");
	slot = px_lua_call_hold (L, (GDestroyNotify)px_practice_free);
	if (lua_isinteger (L, 1))
		*slot = px_records_get (call->store, lua_tointeger (L, 1), &error);
	else if (lua_type (L, 1) == LUA_TSTRING)
		*slot = px_records_get_by_uid (call->store, lua_tostring (L, 1), &error);
	else
		return luaL_argerror (L, 1, "an id (an integer) or a uid");
	if (*slot == NULL && g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
		g_error_free (error);
		lua_pushnil (L);
		return 1;
	}
	if (*slot == NULL) {
		lua_pushstring (L, error->message);
		g_error_free (error);
		return lua_error (L);
	}
	px_lua_practice_push_table (L, *slot);
	return 1;
}

int
px_lua_read_open_get (lua_State *L)
{
	lua_pushcfunction (L, px_lua_read_get_cb);
	return 1;
}

/* the parameters table as the pairs of a query string: text, numbers, lists of them */
static void
px_lua_read_add_pair (lua_State *L, GPtrArray *pairs, const char *name, int index)
{
	if (lua_type (L, index) == LUA_TSTRING || lua_type (L, index) == LUA_TNUMBER) {
		px_form_pairs_add (pairs, name, lua_tostring (L, index));
		return;
	}
	if (lua_type (L, index) != LUA_TTABLE)
		luaL_error (L, "px.search: %s must be text, a number or a list of them", name);
	for (lua_Integer i = 1; lua_rawgeti (L, index, i) != LUA_TNIL; i++) {
		if (lua_type (L, -1) != LUA_TSTRING && lua_type (L, -1) != LUA_TNUMBER)
			luaL_error (L, "px.search: %s must be text, a number or a list of them",
				    name);
		px_form_pairs_add (pairs, name, lua_tostring (L, -1));
		lua_pop (L, 1);
	}
	lua_pop (L, 1);
}

typedef struct {
	GPtrArray *pairs;
	GPtrArray *errors;
	PxSearchRequest *request;
	PxSearchResult *result;
} PxLuaReadSearch;

static void
px_lua_read_search_free (gpointer data)
{
	PxLuaReadSearch *search = data;

	g_ptr_array_unref (search->pairs);
	g_ptr_array_unref (search->errors);
	px_search_request_free (search->request);
	if (search->result != NULL)
		px_search_result_free (search->result);
	g_free (search);
}

static int
px_lua_read_search_cb (lua_State *L)
{
	PxLuaCall *call = px_lua_call_get (L);
	PxLuaReadSearch *search;
	gpointer *slot;
	GError *error = NULL;

	if (lua_isnoneornil (L, 1))
		lua_newtable (L);
	luaL_checktype (L, 1, LUA_TTABLE);
	if (call->index == NULL || call->store == NULL || call->in_change)
		return luaL_error (L, "px.search: only in a timer or an importer of the server");
	slot = px_lua_call_hold (L, px_lua_read_search_free);
	search = g_new0 (PxLuaReadSearch, 1);
	search->pairs = px_form_pairs_new ();
	search->errors = px_field_errors_new ();
	*slot = search;
	lua_pushnil (L);
	while (lua_next (L, 1) != 0) {
		if (lua_type (L, -2) != LUA_TSTRING)
			return luaL_error (L, "px.search: parameters are named");
		px_lua_read_add_pair (L, search->pairs, lua_tostring (L, -2), lua_gettop (L));
		lua_pop (L, 1);
	}
	search->request = px_search_request_parse (search->pairs, search->errors);
	if (search->request == NULL) {
		char *why = px_field_errors_to_string (search->errors);

		lua_pushfstring (L, "px.search: %s", why);
		g_free (why);
		return lua_error (L);
	}
	search->result = px_search_run (call->index, call->store, search->request, &error);
	if (search->result == NULL) {
		lua_pushfstring (L, "px.search: %s", error->message);
		g_error_free (error);
		return lua_error (L);
	}
	lua_createtable (L, 0, 2);
	lua_pushinteger (L, search->result->total);
	lua_setfield (L, -2, "total");
	lua_createtable (L, (int)search->result->hits->len, 0);
	for (guint i = 0; i < search->result->hits->len; i++) {
		PxSearchHit *hit = g_ptr_array_index (search->result->hits, i);

		px_lua_practice_push_table (L, hit->practice);
		lua_rawseti (L, -2, (lua_Integer)i + 1);
	}
	lua_setfield (L, -2, "results");
	return 1;
}

int
px_lua_read_open_search (lua_State *L)
{
	lua_pushcfunction (L, px_lua_read_search_cb);
	return 1;
}

static int
px_lua_read_admins_cb (lua_State *L)
{
	PxLuaCall *call = px_lua_call_get (L);
	GPtrArray **slot;
	GError *error = NULL;
	lua_Integer n = 0;

	if (call->store == NULL)
		return luaL_error (L, "px.admins: not available in this event (no database)");
	slot = (GPtrArray **)px_lua_call_hold (L, (GDestroyNotify)g_ptr_array_unref);
	*slot = px_user_list (call->store, &error);
	if (*slot == NULL) {
		lua_pushstring (L, error->message);
		g_error_free (error);
		return lua_error (L);
	}
	lua_newtable (L);
	for (guint i = 0; i < (*slot)->len; i++) {
		const PxUser *user = g_ptr_array_index (*slot, i);

		if (user->role != PX_ROLE_ADMIN || user->disabled_at != NULL)
			continue;
		lua_pushstring (L, user->email);
		lua_rawseti (L, -2, ++n);
	}
	return 1;
}

int
px_lua_read_open_admins (lua_State *L)
{
	lua_pushcfunction (L, px_lua_read_admins_cb);
	return 1;
}
