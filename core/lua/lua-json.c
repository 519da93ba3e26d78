/* lua-json.c: px.json. encode writes compact JSON (object keys sorted, so the same value gives
 * the same bytes) into C memory held by a userdata with __gc, so a refusal raised half-way leaks
 * nothing; decode checks strictly (util/json.h) and builds Lua values from json-glib's tree,
 * which a userdata holds meanwhile. Arrays carry a marker metatable, so [] survives a round trip.
 */
#define G_LOG_DOMAIN "PxLuaJson"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "lua-json.h"
#include "util/json.h"

#define PX_LUA_JSON_ENCODER "px.json.encoder"
#define PX_LUA_JSON_DECODER "px.json.decoder"
#define PX_LUA_JSON_ARRAY "px.json.array"
#define PX_LUA_JSON_MAX_TEXT (64 * 1024 * 1024)

/* px.json.null is a light userdata of this address: one value, equal to itself only */
static const char px_lua_json_null = 'n';

typedef struct {
	GString *out;	   /* NULL once handed over */
	GPtrArray *levels; /* the sorted keys of each object being written, innermost last */
	int visiting;	   /* stack index: the tables being written (cycles) */
	int marker;	   /* stack index: the array marker metatable */
} PxLuaJsonEncoder;

typedef struct {
	JsonNode *root;
	GError *error;
} PxLuaJsonDecoder;

static int
px_lua_json_encoder_gc (lua_State *L)
{
	PxLuaJsonEncoder *encoder = luaL_checkudata (L, 1, PX_LUA_JSON_ENCODER);

	if (encoder->out != NULL)
		g_string_free (g_steal_pointer (&encoder->out), TRUE);
	g_clear_pointer (&encoder->levels, g_ptr_array_unref);
	return 0;
}

static int
px_lua_json_decoder_gc (lua_State *L)
{
	PxLuaJsonDecoder *decoder = luaL_checkudata (L, 1, PX_LUA_JSON_DECODER);

	g_clear_pointer (&decoder->root, json_node_unref);
	g_clear_error (&decoder->error);
	return 0;
}

static void
px_lua_json_check_size (lua_State *L, PxLuaJsonEncoder *encoder)
{
	if (encoder->out->len > PX_LUA_JSON_MAX_TEXT)
		luaL_error (L, "px.json.encode: the text would be larger than 64 MiB");
}

/* a string, refused unless it is UTF-8 without NUL */
static void
px_lua_json_encode_string (lua_State *L, PxLuaJsonEncoder *encoder, const char *text, size_t length)
{
	GString *out = encoder->out;

	if (!g_utf8_validate_len (text, length, NULL))
		luaL_error (L, "px.json.encode: a string is not UTF-8 text (or holds a NUL)");
	g_string_append_c (out, '"');
	for (size_t i = 0; i < length; i++) {
		guchar c = (guchar)text[i];
		switch (c) {
		case '"':
			g_string_append (out, "\\\"");
			break;
		case '\\':
			g_string_append (out, "\\\\");
			break;
		case '\n':
			g_string_append (out, "\\n");
			break;
		case '\r':
			g_string_append (out, "\\r");
			break;
		case '\t':
			g_string_append (out, "\\t");
			break;
		case '\b':
			g_string_append (out, "\\b");
			break;
		case '\f':
			g_string_append (out, "\\f");
			break;
		default:
			if (c < 0x20)
				g_string_append_printf (out, "\\u%04x", c);
			else
				g_string_append_c (out, (char)c);
		}
	}
	g_string_append_c (out, '"');
	px_lua_json_check_size (L, encoder);
}

/* the shortest of %.15g .. %.17g that reads back as @value */
static void
px_lua_json_encode_float (lua_State *L, GString *out, lua_Number value)
{
	static const char *const formats[] = {"%.15g", "%.16g", "%.17g"};
	char text[G_ASCII_DTOSTR_BUF_SIZE];

	if (!isfinite (value))
		luaL_error (L, "px.json.encode: %s is not a JSON number",
			    isnan (value) ? "NaN" : "an infinity");
	for (guint i = 0; i < G_N_ELEMENTS (formats); i++) {
		g_ascii_formatd (text, sizeof (text), formats[i], value);
		if (g_ascii_strtod (text, NULL) == value)
			break;
	}
	g_string_append (out, text);
}

static void px_lua_json_encode_value (lua_State *L, PxLuaJsonEncoder *encoder, int index,
				      guint depth);

static gint
px_lua_json_compare_keys (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* a table: a JSON array when marked by px.json.array or when its keys are 1..n, an object when
 * they are all strings ({} when it has none) */
static void
px_lua_json_encode_table (lua_State *L, PxLuaJsonEncoder *encoder, int index, guint depth)
{
	gboolean marked = FALSE;
	gboolean all_strings = TRUE;
	gboolean all_positive = TRUE;
	lua_Integer count = 0, largest = 0;

	if (depth >= PX_JSON_MAX_DEPTH)
		luaL_error (L, "px.json.encode: tables nest deeper than %d", PX_JSON_MAX_DEPTH);
	luaL_checkstack (L, 6, "px.json.encode");
	lua_pushvalue (L, index); /* stack: table */
	if (lua_rawget (L, encoder->visiting) != LUA_TNIL)
		luaL_error (L, "px.json.encode: a table contains itself");
	lua_pop (L, 1);		   /* stack: */
	lua_pushvalue (L, index);  /* stack: table */
	lua_pushboolean (L, TRUE); /* stack: table true */
	lua_rawset (L, encoder->visiting);
	if (lua_getmetatable (L, index)) { /* stack: meta */
		marked = lua_rawequal (L, -1, encoder->marker);
		lua_pop (L, 1);
	}

	lua_pushnil (L);		   /* stack: nil */
	while (lua_next (L, index) != 0) { /* stack: key value */
		count++;
		if (lua_type (L, -2) != LUA_TSTRING)
			all_strings = FALSE;
		if (lua_isinteger (L, -2) && lua_tointeger (L, -2) >= 1)
			largest = MAX (largest, lua_tointeger (L, -2));
		else
			all_positive = FALSE;
		lua_pop (L, 1); /* stack: key */
	}
	if (marked && !(count == 0 || (all_positive && largest == count)))
		luaL_error (L, "px.json.encode: a table marked by px.json.array has keys other "
			       "than 1..n");

	if (marked || (count > 0 && all_positive && largest == count)) {
		g_string_append_c (encoder->out, '[');
		for (lua_Integer i = 1; i <= count; i++) {
			if (i > 1)
				g_string_append_c (encoder->out, ',');
			lua_rawgeti (L, index, i); /* stack: value */
			px_lua_json_encode_value (L, encoder, lua_gettop (L), depth + 1);
			lua_pop (L, 1); /* stack: */
		}
		g_string_append_c (encoder->out, ']');
	} else if (count == 0) {
		g_string_append (encoder->out, "{}");
	} else if (!all_strings) {
		luaL_error (L, "px.json.encode: a table's keys must be all strings (an object) or "
			       "1..n (an array)");
	} else {
		GPtrArray *keys = g_ptr_array_sized_new ((guint)count);
		g_ptr_array_add (encoder->levels, keys);
		lua_pushnil (L);		   /* stack: nil */
		while (lua_next (L, index) != 0) { /* stack: key value */
			size_t length = 0;
			const char *key = lua_tolstring (L, -2, &length);
			if (!g_utf8_validate_len (key, length, NULL))
				luaL_error (L, "px.json.encode: a key is not UTF-8 text (or holds "
					       "a NUL)");
			/* the table keeps the key alive while it is written */
			g_ptr_array_add (keys, (gpointer)key);
			lua_pop (L, 1); /* stack: key */
		}
		g_ptr_array_sort (keys, px_lua_json_compare_keys);
		g_string_append_c (encoder->out, '{');
		for (guint i = 0; i < keys->len; i++) {
			const char *key = g_ptr_array_index (keys, i);
			if (i > 0)
				g_string_append_c (encoder->out, ',');
			lua_pushstring (L, key); /* stack: key */
			px_lua_json_encode_string (L, encoder, key, strlen (key));
			g_string_append_c (encoder->out, ':');
			lua_rawget (L, index); /* stack: value */
			px_lua_json_encode_value (L, encoder, lua_gettop (L), depth + 1);
			lua_pop (L, 1); /* stack: */
		}
		g_string_append_c (encoder->out, '}');
		g_ptr_array_remove_index (encoder->levels, encoder->levels->len - 1);
	}

	lua_pushvalue (L, index); /* stack: table */
	lua_pushnil (L);	  /* stack: table nil */
	lua_rawset (L, encoder->visiting);
	px_lua_json_check_size (L, encoder);
}

static void
px_lua_json_encode_value (lua_State *L, PxLuaJsonEncoder *encoder, int index, guint depth)
{
	size_t length = 0;
	const char *text;

	switch (lua_type (L, index)) {
	case LUA_TNIL:
		g_string_append (encoder->out, "null");
		return;
	case LUA_TBOOLEAN:
		g_string_append (encoder->out, lua_toboolean (L, index) ? "true" : "false");
		return;
	case LUA_TNUMBER:
		if (lua_isinteger (L, index))
			g_string_append_printf (encoder->out, "%" G_GINT64_FORMAT,
						(gint64)lua_tointeger (L, index));
		else
			px_lua_json_encode_float (L, encoder->out, lua_tonumber (L, index));
		return;
	case LUA_TSTRING:
		text = lua_tolstring (L, index, &length);
		px_lua_json_encode_string (L, encoder, text, length);
		return;
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata (L, index) == &px_lua_json_null) {
			g_string_append (encoder->out, "null");
			return;
		}
		break;
	case LUA_TTABLE:
		px_lua_json_encode_table (L, encoder, index, depth);
		return;
	default:
		break;
	}
	luaL_error (L, "px.json.encode: a %s has no JSON form", luaL_typename (L, index));
}

/* px.json.encode (value) -> text */
static int
px_lua_json_encode (lua_State *L)
{
	PxLuaJsonEncoder *encoder;

	luaL_checkany (L, 1);
	lua_settop (L, 1);
	encoder = lua_newuserdatauv (L, sizeof (PxLuaJsonEncoder), 0); /* stack: value encoder */
	memset (encoder, 0, sizeof (*encoder));
	luaL_setmetatable (L, PX_LUA_JSON_ENCODER);
	lua_newtable (L);			  /* stack: value encoder visiting */
	luaL_getmetatable (L, PX_LUA_JSON_ARRAY); /* stack: value encoder visiting marker */
	encoder->visiting = 3;
	encoder->marker = 4;
	/* nothing raises until the buffers are the encoder's */
	encoder->out = g_string_new (NULL);
	encoder->levels = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
	px_lua_json_encode_value (L, encoder, 1, 0);
	lua_pushlstring (L, encoder->out->str, encoder->out->len); /* stack: ... text */
	g_string_free (g_steal_pointer (&encoder->out), TRUE);
	return 1;
}

static void
px_lua_json_push_node (lua_State *L, JsonNode *node)
{
	luaL_checkstack (L, 4, "px.json.decode");
	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *object = json_node_get_object (node);
		JsonObjectIter iter;
		const char *name;
		JsonNode *member;

		lua_createtable (L, 0, (int)json_object_get_size (object)); /* stack: object */
		json_object_iter_init (&iter, object);
		while (json_object_iter_next (&iter, &name, &member)) {
			lua_pushstring (L, name);	   /* stack: object name */
			px_lua_json_push_node (L, member); /* stack: object name value */
			lua_rawset (L, -3);		   /* stack: object */
		}
		return;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *array = json_node_get_array (node);
		guint length = json_array_get_length (array);

		lua_createtable (L, (int)length, 0); /* stack: array */
		for (guint i = 0; i < length; i++) {
			px_lua_json_push_node (L, json_array_get_element (array, i));
			lua_rawseti (L, -2, (lua_Integer)i + 1);
		}
		luaL_setmetatable (L, PX_LUA_JSON_ARRAY);
		return;
	}
	case JSON_NODE_NULL:
		lua_pushlightuserdata (L, (void *)&px_lua_json_null);
		return;
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type (node)) {
	case G_TYPE_INT64:
		lua_pushinteger (L, (lua_Integer)json_node_get_int (node));
		return;
	case G_TYPE_DOUBLE:
		lua_pushnumber (L, (lua_Number)json_node_get_double (node));
		return;
	case G_TYPE_BOOLEAN:
		lua_pushboolean (L, json_node_get_boolean (node));
		return;
	case G_TYPE_STRING:
		lua_pushstring (L, json_node_get_string (node));
		return;
	default:
		lua_pushlightuserdata (L, (void *)&px_lua_json_null);
		return;
	}
}

/* px.json.decode (text) -> value | nil, reason */
static int
px_lua_json_decode (lua_State *L)
{
	size_t length = 0;
	const char *text = luaL_checklstring (L, 1, &length);
	PxLuaJsonDecoder *decoder;

	if (length > PX_LUA_JSON_MAX_TEXT) {
		lua_pushnil (L);
		lua_pushliteral (L, "the JSON text is larger than 64 MiB");
		return 2;
	}
	decoder = lua_newuserdatauv (L, sizeof (PxLuaJsonDecoder), 0); /* stack: text decoder */
	memset (decoder, 0, sizeof (*decoder));
	luaL_setmetatable (L, PX_LUA_JSON_DECODER);
	/* nothing raises until the tree or the error is the decoder's */
	decoder->root = px_json_parse (text, length, &decoder->error);
	if (decoder->root == NULL) {
		lua_pushnil (L);			     /* stack: text decoder nil */
		lua_pushstring (L, decoder->error->message); /* stack: text decoder nil reason */
		return 2;
	}
	px_lua_json_push_node (L, decoder->root); /* stack: text decoder value */
	g_clear_pointer (&decoder->root, json_node_unref);
	return 1;
}

/* px.json.array ([table]) -> the table, marked to be written as a JSON array even when empty */
static int
px_lua_json_array (lua_State *L)
{
	if (lua_isnoneornil (L, 1)) {
		lua_settop (L, 0);
		lua_newtable (L); /* stack: table */
	}
	luaL_checktype (L, 1, LUA_TTABLE);
	lua_settop (L, 1);
	if (lua_getmetatable (L, 1)) { /* stack: table meta */
		luaL_getmetatable (L, PX_LUA_JSON_ARRAY);
		if (!lua_rawequal (L, -1, -2))
			return luaL_argerror (L, 1, "a table without a metatable");
		lua_pop (L, 2); /* stack: table */
		return 1;
	}
	luaL_setmetatable (L, PX_LUA_JSON_ARRAY);
	return 1;
}

static const luaL_Reg px_lua_json_functions[] = {
    {"encode", px_lua_json_encode},
    {"decode", px_lua_json_decode},
    {"array", px_lua_json_array},
    {NULL, NULL},
};

int
px_lua_json_open (lua_State *L)
{
	if (luaL_newmetatable (L, PX_LUA_JSON_ENCODER)) { /* stack: meta */
		lua_pushcfunction (L, px_lua_json_encoder_gc);
		lua_setfield (L, -2, "__gc");
	}
	lua_pop (L, 1);
	if (luaL_newmetatable (L, PX_LUA_JSON_DECODER)) {
		lua_pushcfunction (L, px_lua_json_decoder_gc);
		lua_setfield (L, -2, "__gc");
	}
	lua_pop (L, 1);
	/* the marker of arrays: protected, so that a plugin cannot change what all arrays share */
	if (luaL_newmetatable (L, PX_LUA_JSON_ARRAY)) {
		lua_pushboolean (L, FALSE);
		lua_setfield (L, -2, "__metatable");
	}
	lua_pop (L, 1);
	luaL_newlib (L, px_lua_json_functions); /* stack: json */
	lua_pushlightuserdata (L, (void *)&px_lua_json_null);
	lua_setfield (L, -2, "null");
	return 1;
}
