/* lua-practice.c: the practice object of practice events (userdata "px.practice"): p.FIELD reads
 * a field by its JSON name (lists as fresh Lua lists), p:set and p:add fill what the record lacks
 * (practice.tag only; what breaks the model's rules is dropped at the merge), p:text() the prose
 * joined, p:json() the practice as the API shows it. It must not outlive its call. */
#define G_LOG_DOMAIN "PxLua"

#include "lua-practice.h"

#include <lauxlib.h>

#include "lua-call.h"
#include "util/json.h"

#define PX_LUA_PRACTICE "px.practice"

typedef struct {
	const PxLuaPracticeView *view; /* valid during the call of @serial only */
	guint64 serial;
} PxLuaPractice;

/* the fields p:text() joins, in order */
static const char *const px_lua_practice_prose[] = {
    "title", "summary", "body", "target_groups", "goals", "results", "evaluation", "project", NULL,
};

static const PxLuaPracticeView *
px_lua_practice_check (lua_State *L, int index)
{
	PxLuaPractice *object = luaL_checkudata (L, index, PX_LUA_PRACTICE);
	PxLuaCall *call = px_lua_call_peek (L);

	if (call == NULL || call->serial != object->serial)
		luaL_error (L,
			    "this practice object has expired: it is valid during its call only");
	return object->view;
}

const PxPractice *
px_lua_practice_get (lua_State *L, int index)
{
	return px_lua_practice_check (L, index)->practice;
}

const char *
px_lua_practice_get_event (lua_State *L, int index)
{
	return px_lua_practice_check (L, index)->event;
}

static const PxTextField *
px_lua_practice_find_field (const char *name)
{
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++)
		if (g_str_equal (field->name, name))
			return field;
	return NULL;
}

static GPtrArray *
px_lua_practice_list (PxPractice *practice, const char *name)
{
	if (g_str_equal (name, "themes"))
		return practice->themes;
	if (g_str_equal (name, "focus_areas"))
		return practice->focus_areas;
	return NULL;
}

static void
px_lua_practice_push_list (lua_State *L, GPtrArray *list)
{
	lua_createtable (L, (int)list->len, 0);
	for (guint i = 0; i < list->len; i++) {
		lua_pushstring (L, g_ptr_array_index (list, i));
		lua_rawseti (L, -2, (lua_Integer)i + 1);
	}
}

static int
px_lua_practice_set_cb (lua_State *L)
{
	const PxLuaPracticeView *view = px_lua_practice_check (L, 1);
	const char *name = luaL_checkstring (L, 2);
	const PxTextField *field = px_lua_practice_find_field (name);
	char **slot;

	if (view->additions == NULL)
		return luaL_error (L, "p:set: the practice is read-only in %s", view->event);
	if (g_str_equal (name, "year")) {
		lua_Integer year = luaL_checkinteger (L, 3);

		if (view->practice->year != 0 || year < PX_PRACTICE_YEAR_MIN ||
		    year > PX_PRACTICE_YEAR_MAX) {
			lua_pushboolean (L, 0);
			return 1;
		}
		view->practice->year = view->additions->year = (gint)year;
		lua_pushboolean (L, 1);
		return 1;
	}
	if (field == NULL || (field->flags & PX_FIELD_READONLY) != 0)
		return luaL_error (L, "p:set: '%s' is not a field a plugin may set", name);
	luaL_checkstring (L, 3);
	slot = px_practice_text_slot (view->practice, field);
	/* a tag adds: what the record brought stays */
	if (*slot != NULL && **slot != '\0') {
		lua_pushboolean (L, 0);
		return 1;
	}
	g_free (*slot);
	*slot = g_strdup (lua_tostring (L, 3));
	slot = px_practice_text_slot (view->additions, field);
	g_free (*slot);
	*slot = g_strdup (lua_tostring (L, 3));
	lua_pushboolean (L, 1);
	return 1;
}

static gboolean
px_lua_practice_has (GPtrArray *list, const char *value)
{
	for (guint i = 0; i < list->len; i++)
		if (g_str_equal (g_ptr_array_index (list, i), value))
			return TRUE;
	return FALSE;
}

static int
px_lua_practice_add_cb (lua_State *L)
{
	const PxLuaPracticeView *view = px_lua_practice_check (L, 1);
	const char *name = luaL_checkstring (L, 2);
	const char *value = luaL_checkstring (L, 3);
	GPtrArray *list = px_lua_practice_list (view->practice, name);

	if (view->additions == NULL)
		return luaL_error (L, "p:add: the practice is read-only in %s", view->event);
	if (list == NULL)
		return luaL_error (L, "p:add: '%s' is not a list (themes, focus_areas)", name);
	if (px_lua_practice_has (list, value) || list->len >= PX_PRACTICE_TAGS_MAX ||
	    !g_utf8_validate (value, -1, NULL)) {
		lua_pushboolean (L, 0);
		return 1;
	}
	g_ptr_array_add (list, g_strdup (value));
	g_ptr_array_add (px_lua_practice_list (view->additions, name), g_strdup (value));
	lua_pushboolean (L, 1);
	return 1;
}

static int
px_lua_practice_text_cb (lua_State *L)
{
	const PxLuaPracticeView *view = px_lua_practice_check (L, 1);
	luaL_Buffer buffer;

	luaL_buffinit (L, &buffer);
	for (const char *const *name = px_lua_practice_prose; *name != NULL; name++) {
		const char *value =
		    *px_practice_text_slot (view->practice, px_lua_practice_find_field (*name));

		if (value == NULL)
			continue;
		luaL_addstring (&buffer, value);
		luaL_addchar (&buffer, '\n');
	}
	luaL_pushresult (&buffer);
	return 1;
}

static int
px_lua_practice_json_cb (lua_State *L)
{
	const PxLuaPracticeView *view = px_lua_practice_check (L, 1);
	gpointer *slot = px_lua_call_hold (L, g_free);
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	px_practice_to_json (view->practice, builder, PX_VIEW_FULL);
	json_builder_end_object (builder);
	*slot = px_json_builder_to_string (builder, NULL);
	g_clear_object (&builder);
	lua_pushstring (L, *slot);
	return 1;
}

static int
px_lua_practice_index_cb (lua_State *L)
{
	const PxLuaPracticeView *view = px_lua_practice_check (L, 1);
	const char *name = luaL_checkstring (L, 2);
	const PxTextField *field;
	GPtrArray *list;

	if (luaL_getmetafield (L, 1, "methods") != LUA_TNIL) {
		if (lua_getfield (L, -1, name) != LUA_TNIL)
			return 1;
		lua_pop (L, 2);
	}
	if (g_str_equal (name, "id"))
		view->practice->id != 0 ? lua_pushinteger (L, view->practice->id) : lua_pushnil (L);
	else if (g_str_equal (name, "year"))
		view->practice->year != 0 ? lua_pushinteger (L, view->practice->year)
					  : lua_pushnil (L);
	else if (g_str_equal (name, "status"))
		lua_pushstring (L, px_status_to_string (view->practice->status));
	else if (g_str_equal (name, "submitter"))
		lua_pushstring (L, view->submitter);
	else if (g_str_equal (name, "reason"))
		lua_pushstring (L, view->practice->status_reason);
	else if ((list = px_lua_practice_list (view->practice, name)) != NULL)
		px_lua_practice_push_list (L, list);
	else if ((field = px_lua_practice_find_field (name)) != NULL)
		lua_pushstring (L, *px_practice_text_slot (view->practice, field));
	else
		lua_pushnil (L);
	return 1;
}

static int
px_lua_practice_newindex_cb (lua_State *L)
{
	return luaL_error (L, "a practice's fields change through p:set and p:add");
}

static int
px_lua_practice_tostring_cb (lua_State *L)
{
	const PxLuaPracticeView *view = px_lua_practice_check (L, 1);

	lua_pushfstring (L, "practice %s",
			 view->practice->uid != NULL ? view->practice->uid : "(new)");
	return 1;
}

void
px_lua_practice_push (lua_State *L, const PxLuaPracticeView *view)
{
	static const luaL_Reg methods[] = {
	    {"set", px_lua_practice_set_cb},
	    {"add", px_lua_practice_add_cb},
	    {"text", px_lua_practice_text_cb},
	    {"json", px_lua_practice_json_cb},
	    {NULL, NULL},
	};
	PxLuaPractice *object = lua_newuserdatauv (L, sizeof (PxLuaPractice), 0);

	object->view = view;
	object->serial = px_lua_call_get (L)->serial;
	if (luaL_newmetatable (L, PX_LUA_PRACTICE)) {
		luaL_newlib (L, methods);
		lua_setfield (L, -2, "methods");
		lua_pushcfunction (L, px_lua_practice_index_cb);
		lua_setfield (L, -2, "__index");
		lua_pushcfunction (L, px_lua_practice_newindex_cb);
		lua_setfield (L, -2, "__newindex");
		lua_pushcfunction (L, px_lua_practice_tostring_cb);
		lua_setfield (L, -2, "__tostring");
		lua_pushboolean (L, 0);
		lua_setfield (L, -2, "__metatable");
	}
	lua_setmetatable (L, -2);
}

void
px_lua_practice_push_table (lua_State *L, const PxPractice *practice)
{
	lua_createtable (L, 0, 24);
	lua_pushinteger (L, practice->id);
	lua_setfield (L, -2, "id");
	lua_pushstring (L, px_status_to_string (practice->status));
	lua_setfield (L, -2, "status");
	if (practice->year != 0) {
		lua_pushinteger (L, practice->year);
		lua_setfield (L, -2, "year");
	}
	px_lua_practice_push_list (L, practice->themes);
	lua_setfield (L, -2, "themes");
	px_lua_practice_push_list (L, practice->focus_areas);
	lua_setfield (L, -2, "focus_areas");
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++) {
		const char *value = *px_practice_text_slot ((PxPractice *)practice, field);

		if (value == NULL)
			continue;
		lua_pushstring (L, value);
		lua_setfield (L, -2, field->name);
	}
}
