/* lua-csv.c: px.csv.rows, CSV rows for a generic for, parsed lazily by util/csv.h. The reader is
 * C memory in a userdata with __gc and __close, which also holds the text and the header's
 * names; each row is owned by the reader while it becomes Lua values, so an error leaks nothing. */
#define G_LOG_DOMAIN "PxLuaCsv"

#include <lauxlib.h>
#include <string.h>

#include "lua-csv.h"
#include "util/csv.h"

#define PX_LUA_CSV_METATABLE "px.csv.reader"
#define PX_LUA_CSV_MAX_TEXT (64 * 1024 * 1024)

/* the userdata's user values */
enum {
	PX_LUA_CSV_TEXT = 1,   /* the text the reader reads (kept alive) */
	PX_LUA_CSV_HEADER = 2, /* the header's names, a list (false: a column without one) */
};

typedef struct {
	PxCsvReader *reader; /* NULL once closed */
	gboolean header;     /* the first record names the columns */
	gboolean header_read;
	guint n_names;
} PxLuaCsvRows;

static int
px_lua_csv_close (lua_State *L)
{
	PxLuaCsvRows *rows = luaL_checkudata (L, 1, PX_LUA_CSV_METATABLE);

	g_clear_pointer (&rows->reader, px_csv_reader_free);
	return 0;
}

/* reads the header (the first row); Returns: 0 when it is good, else 3 pushed: the line, nil and
 * the reason, after which the iteration ends */
static int
px_lua_csv_read_header (lua_State *L, PxLuaCsvRows *rows, int index)
{
	const PxCsvRow *row = px_csv_reader_next (rows->reader);

	rows->header_read = TRUE;
	if (row == NULL)
		return 0;
	if (row->error != NULL) {
		lua_pushinteger (L, (lua_Integer)row->line);	       /* stack: line */
		lua_pushnil (L);				       /* stack: line nil */
		lua_pushfstring (L, "the header row: %s", row->error); /* stack: line nil reason */
		g_clear_pointer (&rows->reader, px_csv_reader_free);
		return 3;
	}
	lua_createtable (L, (int)row->fields->len, 0); /* stack: names */
	lua_createtable (L, 0, (int)row->fields->len); /* stack: names seen */
	for (guint i = 0; i < row->fields->len; i++) {
		const char *name = g_ptr_array_index (row->fields, i);
		if (name[0] == '\0') {
			lua_pushboolean (L, FALSE); /* stack: names seen false */
			lua_rawseti (L, -3, i + 1); /* stack: names seen */
			continue;
		}
		if (lua_getfield (L, -1, name) != LUA_TNIL) { /* stack: names seen old */
			lua_pushinteger (L, (lua_Integer)row->line);
			lua_pushnil (L);
			lua_pushfstring (L, "the header row: column %d repeats the name \"%s\"",
					 (int)i + 1,
					 name); /* stack: names seen old line nil reason */
			g_clear_pointer (&rows->reader, px_csv_reader_free);
			return 3;
		}
		lua_pop (L, 1);		    /* stack: names seen */
		lua_pushboolean (L, TRUE);  /* stack: names seen true */
		lua_setfield (L, -2, name); /* stack: names seen */
		lua_pushstring (L, name);   /* stack: names seen name */
		lua_rawseti (L, -3, i + 1); /* stack: names seen */
	}
	rows->n_names = row->fields->len;
	lua_pop (L, 1);					 /* stack: names */
	lua_setiuservalue (L, index, PX_LUA_CSV_HEADER); /* stack: */
	return 0;
}

/* the iterator: its upvalue is the rows' userdata */
static int
px_lua_csv_next (lua_State *L)
{
	int index = lua_upvalueindex (1);
	PxLuaCsvRows *rows = luaL_checkudata (L, index, PX_LUA_CSV_METATABLE);
	const PxCsvRow *row;

	if (rows->reader == NULL)
		return 0;
	if (rows->header && !rows->header_read) {
		int pushed = px_lua_csv_read_header (L, rows, index);
		if (pushed > 0 || rows->reader == NULL)
			return pushed;
	}
	row = px_csv_reader_next (rows->reader);
	if (row == NULL)
		return 0;
	lua_pushinteger (L, (lua_Integer)row->line); /* stack: line */
	if (row->error != NULL) {
		lua_pushnil (L);		/* stack: line nil */
		lua_pushstring (L, row->error); /* stack: line nil reason */
		return 3;
	}
	if (!rows->header) {
		lua_createtable (L, (int)row->fields->len, 0); /* stack: line row */
		for (guint i = 0; i < row->fields->len; i++) {
			lua_pushstring (L, g_ptr_array_index (row->fields, i));
			lua_rawseti (L, -2, i + 1);
		}
		return 2;
	}
	if (row->fields->len != rows->n_names) {
		lua_pushnil (L); /* stack: line nil */
		lua_pushfstring (L, "the row has %d fields, the header %d", (int)row->fields->len,
				 (int)rows->n_names); /* stack: line nil reason */
		return 3;
	}
	lua_getiuservalue (L, index, PX_LUA_CSV_HEADER); /* stack: line names */
	lua_createtable (L, 0, (int)row->fields->len);	 /* stack: line names row */
	for (guint i = 0; i < row->fields->len; i++) {
		if (lua_rawgeti (L, -2, i + 1) != LUA_TSTRING) { /* stack: line names row name */
			lua_pop (L, 1);
			continue;
		}
		lua_pushstring (L, g_ptr_array_index (row->fields, i)); /* ... row name value */
		lua_rawset (L, -3);					/* stack: line names row */
	}
	lua_remove (L, -2); /* stack: line row */
	return 2;
}

/* the options table at @index: separator and header, nothing else */
static void
px_lua_csv_check_options (lua_State *L, int index, char *separator, gboolean *header)
{
	if (lua_isnoneornil (L, index))
		return;
	luaL_checktype (L, index, LUA_TTABLE);
	lua_pushnil (L);		   /* stack: nil */
	while (lua_next (L, index) != 0) { /* stack: key value */
		const char *key = lua_type (L, -2) == LUA_TSTRING ? lua_tostring (L, -2) : NULL;
		if (key != NULL && strcmp (key, "separator") == 0) {
			size_t length = 0;
			const char *value =
			    lua_type (L, -1) == LUA_TSTRING ? lua_tolstring (L, -1, &length) : NULL;
			if (value == NULL || length != 1 || strchr (",;\t", value[0]) == NULL)
				luaL_error (
				    L, "px.csv.rows: the separator is \",\", \";\" or \"\\t\"");
			*separator = value[0];
		} else if (key != NULL && strcmp (key, "header") == 0) {
			if (lua_type (L, -1) != LUA_TBOOLEAN)
				luaL_error (L, "px.csv.rows: header is true or false");
			*header = lua_toboolean (L, -1);
		} else {
			luaL_error (L, "px.csv.rows: the options are separator and header");
		}
		lua_pop (L, 1); /* stack: key */
	}
}

/* px.csv.rows (text [, options]) -> iterator, nil, nil, closing value */
static int
px_lua_csv_rows (lua_State *L)
{
	size_t length = 0;
	const char *text = luaL_checklstring (L, 1, &length);
	PxCsvOptions options = {.separator = ','};
	gboolean header = TRUE;
	PxLuaCsvRows *rows;

	if (length > PX_LUA_CSV_MAX_TEXT)
		return luaL_error (L, "px.csv.rows: the text is larger than %d bytes",
				   PX_LUA_CSV_MAX_TEXT);
	px_lua_csv_check_options (L, 2, &options.separator, &header);
	options.max_size = PX_LUA_CSV_MAX_TEXT;

	rows = lua_newuserdatauv (L, sizeof (PxLuaCsvRows), 2); /* stack: rows */
	memset (rows, 0, sizeof (*rows));
	luaL_setmetatable (L, PX_LUA_CSV_METATABLE);
	lua_pushvalue (L, 1);			    /* stack: rows text */
	lua_setiuservalue (L, -2, PX_LUA_CSV_TEXT); /* stack: rows */
	lua_pushvalue (L, -1);			    /* stack: rows rows */
	lua_pushcclosure (L, px_lua_csv_next, 1);   /* stack: rows iterator */
	lua_pushnil (L);			    /* stack: rows iterator nil */
	lua_pushnil (L);			    /* stack: rows iterator nil nil */
	lua_pushvalue (L, -4);			    /* stack: rows iterator nil nil rows */
	/* nothing raises from here on: the reader belongs to the userdata at once */
	rows->header = header;
	rows->reader = px_csv_reader_new (text, length, &options, NULL);
	return 4;
}

static const luaL_Reg px_lua_csv_functions[] = {
    {"rows", px_lua_csv_rows},
    {NULL, NULL},
};

int
px_lua_csv_open (lua_State *L)
{
	if (luaL_newmetatable (L, PX_LUA_CSV_METATABLE)) { /* stack: meta */
		lua_pushcfunction (L, px_lua_csv_close);
		lua_setfield (L, -2, "__gc");
		lua_pushcfunction (L, px_lua_csv_close);
		lua_setfield (L, -2, "__close");
		lua_pushboolean (L, FALSE);
		lua_setfield (L, -2, "__metatable");
	}
	lua_pop (L, 1);			       /* stack: */
	luaL_newlib (L, px_lua_csv_functions); /* stack: csv */
	return 1;
}
