/* lua-import.c: an importer's emit and reject (records into the write path, counted; tombstones
 * deleting), and the source of `praxis import --with`. The records meet the same rules as the
 * native import's lines (model/jsonl.c), from a Lua table instead of a JSON line. */
#define G_LOG_DOMAIN "PxLua"

#include "lua-import.h"

#include <gio/gunixinputstream.h>
#include <lauxlib.h>
#include <unistd.h>

#include "lua-call.h"
#include "model/jsonl.h"
#include "practices/practices.h"
#include "util/error.h"
#include "util/field-errors.h"

#define PX_LUA_IMPORT "px.import"
/* the most a source's read() gives */
#define PX_LUA_IMPORT_SOURCE_MAX (256 * 1024 * 1024)

typedef struct {
	PxLuaImportStats own;
	PxLuaImportStats *stats;
	PxLuaImportReport report;
} PxLuaImport;

static PxLuaImport *
px_lua_import_upvalue (lua_State *L)
{
	return lua_touserdata (L, lua_upvalueindex (1));
}

static void
px_lua_import_refuse (PxLuaImport *import, const char *plugin, const char *where, const char *why)
{
	import->stats->rejected++;
	if (import->report.reject != NULL)
		import->report.reject (where, why, import->report.user_data);
	else
		g_message ("plugin %s: refused %s: %s", plugin, where, why);
	if (import->report.progress != NULL)
		import->report.progress (import->stats, import->report.user_data);
}

/* a Lua value as JSON: strings, numbers, booleans, lists of strings; Returns: NULL for others */
static JsonNode *
px_lua_import_node (lua_State *L, int index)
{
	JsonNode *node = NULL;

	switch (lua_type (L, index)) {
	case LUA_TSTRING:
		if (!g_utf8_validate (lua_tostring (L, index), (gssize)lua_rawlen (L, index), NULL))
			return NULL;
		return json_node_init_string (json_node_alloc (), lua_tostring (L, index));
	case LUA_TBOOLEAN:
		return json_node_init_boolean (json_node_alloc (), lua_toboolean (L, index));
	case LUA_TNUMBER:
		if (lua_isinteger (L, index))
			return json_node_init_int (json_node_alloc (), lua_tointeger (L, index));
		return json_node_init_double (json_node_alloc (), lua_tonumber (L, index));
	case LUA_TTABLE: {
		g_autoptr (JsonArray) array = json_array_new ();
		lua_Unsigned length = lua_rawlen (L, index);

		for (lua_Unsigned i = 1; i <= length && i <= 1000; i++) {
			lua_rawgeti (L, index, (lua_Integer)i);
			node = lua_type (L, -1) == LUA_TSTRING ? px_lua_import_node (L, -1) : NULL;
			lua_pop (L, 1);
			if (node == NULL)
				return NULL;
			json_array_add_element (array, node);
		}
		return json_node_init_array (json_node_alloc (), array);
	}
	default:
		return NULL;
	}
}

/* Returns: (transfer full): @index's table as a JSON object, or NULL with @why set */
static JsonObject *
px_lua_import_object (lua_State *L, int index, char **why)
{
	g_autoptr (JsonObject) object = json_object_new ();

	lua_pushnil (L);
	while (lua_next (L, index) != 0) {
		JsonNode *node;

		if (lua_type (L, -2) != LUA_TSTRING) {
			*why = g_strdup ("a record's keys are field names");
			lua_pop (L, 2);
			return NULL;
		}
		node = px_lua_import_node (L, -1);
		if (node == NULL) {
			*why =
			    g_strdup_printf ("%s: not text, a number, a boolean or a list of text",
					     lua_tostring (L, -2));
			lua_pop (L, 2);
			return NULL;
		}
		json_object_set_member (object, lua_tostring (L, -2), node);
		lua_pop (L, 1);
	}
	return g_steal_pointer (&object);
}

static const char *const px_lua_import_outcomes[] = {"added", "updated", "unchanged"};

/* writes @record (or deletes by its uid) in a savepoint of the store's transaction, or in one of
 * its own; Returns: the outcome, or NULL with @why or @error set */
static const char *
px_lua_import_write (PxLuaCall *call, JsonObject *object, char **why, GError **error)
{
	g_autoptr (PxPractice) record = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	gboolean own = !px_store_in_transaction (call->store);
	const char *status = json_object_get_string_member_with_default (object, "status", "");
	const char *outcome = NULL;
	PxPracticesOutcome written;
	gboolean deleted;
	g_autoptr (GError) local_error = NULL;

	if (g_str_equal (status, "deleted")) {
		const char *uid = json_object_get_string_member_with_default (object, "uid", NULL);

		if (uid == NULL) {
			*why = g_strdup ("a tombstone needs its uid");
			return NULL;
		}
		if (own && !px_store_begin (call->store, error))
			return NULL;
		if (px_practices_import_delete (call->practices, call->store, uid, &deleted,
						&local_error))
			outcome = deleted ? "deleted" : "absent";
	} else {
		record = px_jsonl_read_practice (object, PX_STATUS_PENDING, why);
		if (record == NULL)
			return NULL;
		if (own && !px_store_begin (call->store, error))
			return NULL;
		if (px_practices_import (call->practices, call->store, record, &written, errors,
					 &local_error))
			outcome = px_lua_import_outcomes[written];
	}
	if (outcome != NULL && (!own || px_store_commit (call->store, &local_error)))
		return outcome;
	if (own)
		px_store_rollback (call->store);
	if (g_error_matches (local_error, PX_ERROR, PX_ERROR_VALIDATION) ||
	    g_error_matches (local_error, PX_ERROR, PX_ERROR_CONFLICT)) {
		*why = errors->len > 0 ? px_field_errors_to_string (errors)
				       : g_strdup (local_error->message);
		return NULL;
	}
	g_propagate_error (error, g_steal_pointer (&local_error));
	return NULL;
}

static void
px_lua_import_count (PxLuaImportStats *stats, const char *outcome)
{
	if (g_str_equal (outcome, "added"))
		stats->added++;
	else if (g_str_equal (outcome, "updated"))
		stats->updated++;
	else if (g_str_equal (outcome, "unchanged"))
		stats->unchanged++;
	else if (g_str_equal (outcome, "deleted"))
		stats->deleted++;
}

/* emit(record [, where]) */
static int
px_lua_import_emit_cb (lua_State *L)
{
	PxLuaImport *import = px_lua_import_upvalue (L);
	PxLuaCall *call = px_lua_call_get (L);
	const char *where = luaL_optstring (L, 2, "a record");
	gpointer *slot;
	char *why = NULL;
	const char *outcome;
	g_autoptr (GError) error = NULL;

	luaL_checktype (L, 1, LUA_TTABLE);
	if (call->practices == NULL || call->store == NULL || call->in_change)
		return luaL_error (L,
				   "emit: records can be written only by an importer or a timer");
	if (!lua_checkstack (L, 8))
		return luaL_error (L, "emit: Lua stack exhausted");
	slot = px_lua_call_hold (L, g_free);
	{
		/* nothing here raises a Lua error: the object is freed on every path */
		g_autoptr (JsonObject) object = px_lua_import_object (L, 1, &why);

		outcome = object != NULL ? px_lua_import_write (call, object, &why, &error) : NULL;
		*slot = why;
	}
	if (error != NULL) {
		/* the message in the slot, so that a raising push leaks nothing */
		g_free (*slot);
		*slot = g_strdup (error->message);
		g_clear_error (&error);
		lua_pushstring (L, *slot);
		return lua_error (L);
	}
	if (outcome == NULL) {
		px_lua_import_refuse (import, call->plugin, where, why);
		lua_pushnil (L);
		lua_pushstring (L, why);
		return 2;
	}
	px_lua_import_count (import->stats, outcome);
	if (import->report.progress != NULL)
		import->report.progress (import->stats, import->report.user_data);
	lua_pushstring (L, outcome);
	return 1;
}

/* reject(where, why): a record the importer itself refuses (a malformed row) */
static int
px_lua_import_reject_cb (lua_State *L)
{
	PxLuaImport *import = px_lua_import_upvalue (L);
	const char *where = luaL_checkstring (L, 1);
	const char *why = luaL_checkstring (L, 2);

	px_lua_import_refuse (import, px_lua_call_get (L)->plugin, where, why);
	return 0;
}

void
px_lua_import_push_functions (lua_State *L, PxLuaImportStats *stats,
			      const PxLuaImportReport *report)
{
	PxLuaImport *import = lua_newuserdatauv (L, sizeof (PxLuaImport), 0);

	*import = (PxLuaImport){{0}, stats, {NULL, NULL, NULL}};
	if (report != NULL)
		import->report = *report;
	if (stats == NULL)
		import->stats = &import->own;
	lua_pushvalue (L, -1);
	lua_pushcclosure (L, px_lua_import_emit_cb, 1);
	lua_insert (L, -2);
	lua_pushcclosure (L, px_lua_import_reject_cb, 1);
}

const PxLuaImportStats *
px_lua_import_get_stats (lua_State *L, int index)
{
	const char *name = lua_getupvalue (L, index, 1);
	PxLuaImport *import = name != NULL ? lua_touserdata (L, -1) : NULL;

	if (name != NULL)
		lua_pop (L, 1);
	return import != NULL ? import->stats : NULL;
}

static GBytes *
px_lua_import_read (const char *name, GError **error)
{
	g_autoptr (GInputStream) stream = NULL;
	g_autoptr (GOutputStream) memory = g_memory_output_stream_new_resizable ();
	g_autoptr (GFile) file = NULL;

	if (g_str_equal (name, "-")) {
		stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
	} else {
		file = g_file_new_for_commandline_arg (name);
		stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
		if (stream == NULL)
			return NULL;
	}
	if (g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
				    error) < 0)
		return NULL;
	if (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)) >
	    PX_LUA_IMPORT_SOURCE_MAX) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s: larger than %d bytes", name,
			     PX_LUA_IMPORT_SOURCE_MAX);
		return NULL;
	}
	return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* source:read(): the file the source was made for (its upvalue), never one the plugin names:
 * the table passed is the plugin's, and source.read({name = "/etc/shadow"}) would read any file */
static int
px_lua_import_source_read_cb (lua_State *L)
{
	gpointer *slot;
	g_autoptr (GError) error = NULL;
	gsize length = 0;
	const char *data;

	slot = px_lua_call_hold (L, (GDestroyNotify)g_bytes_unref);
	*slot = px_lua_import_read (lua_tostring (L, lua_upvalueindex (1)), &error);
	if (*slot == NULL) {
		lua_pushstring (L, error->message);
		g_clear_error (&error);
		return lua_error (L);
	}
	data = g_bytes_get_data (*slot, &length);
	lua_pushlstring (L, data, length);
	return 1;
}

void
px_lua_import_push_source (lua_State *L, const char *name)
{
	lua_createtable (L, 0, 2);
	lua_pushstring (L, name);
	lua_setfield (L, -2, "name");
	lua_pushstring (L, name);
	lua_pushcclosure (L, px_lua_import_source_read_cb, 1);
	lua_setfield (L, -2, "read");
}
