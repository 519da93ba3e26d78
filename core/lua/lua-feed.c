/* lua-feed.c: px.feed.parse, a feed (util/feed.h) as a Lua table. The feed is parsed into C
 * memory held by a userdata with __gc before any Lua value is made of it, so an error raised
 * while the table is built (out of memory) leaks nothing. */
#define G_LOG_DOMAIN "PxLuaFeed"

#include <lauxlib.h>
#include <string.h>

#include "lua-feed.h"
#include "util/feed.h"

#define PX_LUA_FEED_METATABLE "px.feed.parsed"
#define PX_LUA_FEED_MAX_BASE 8192

typedef struct {
	PxFeed *feed;
	GError *error;
} PxLuaFeedBox;

static int
px_lua_feed_gc (lua_State *L)
{
	PxLuaFeedBox *box = luaL_checkudata (L, 1, PX_LUA_FEED_METATABLE);

	g_clear_pointer (&box->feed, px_feed_free);
	g_clear_error (&box->error);
	return 0;
}

/* sets @key of the table on top to @value, when there is one */
static void
px_lua_feed_set (lua_State *L, const char *key, const char *value)
{
	if (value == NULL)
		return;
	lua_pushstring (L, value); /* stack: table value */
	lua_setfield (L, -2, key); /* stack: table */
}

static void
px_lua_feed_push_entry (lua_State *L, const PxFeedEntry *entry)
{
	lua_createtable (L, 0, 9); /* stack: entry */
	px_lua_feed_set (L, "id", entry->id);
	px_lua_feed_set (L, "title", entry->title);
	px_lua_feed_set (L, "link", entry->link);
	px_lua_feed_set (L, "summary", entry->summary);
	px_lua_feed_set (L, "published", entry->published);
	px_lua_feed_set (L, "updated", entry->updated);
	px_lua_feed_set (L, "author", entry->author);
	px_lua_feed_set (L, "language", entry->language);
	lua_createtable (L, (int)entry->categories->len, 0); /* stack: entry categories */
	for (guint i = 0; i < entry->categories->len; i++) {
		lua_pushstring (L, g_ptr_array_index (entry->categories, i));
		lua_rawseti (L, -2, i + 1);
	}
	lua_setfield (L, -2, "categories"); /* stack: entry */
}

/* px.feed.parse (text [, base_url]) -> feed | nil, reason */
static int
px_lua_feed_parse (lua_State *L)
{
	size_t length = 0;
	const char *text = luaL_checklstring (L, 1, &length);
	size_t base_length = 0;
	const char *base = luaL_optlstring (L, 2, NULL, &base_length);
	PxLuaFeedBox *box;
	const PxFeed *feed;

	if (base != NULL && (base_length > PX_LUA_FEED_MAX_BASE || strlen (base) != base_length ||
			     !g_utf8_validate (base, (gssize)base_length, NULL)))
		return luaL_argerror (L, 2, "a URL of UTF-8 text, at most 8192 bytes");
	box = lua_newuserdatauv (L, sizeof (PxLuaFeedBox), 0); /* stack: box */
	memset (box, 0, sizeof (*box));
	luaL_setmetatable (L, PX_LUA_FEED_METATABLE);
	/* nothing raises until the feed and the error are the box's */
	box->feed = px_feed_parse (text, length, base, &box->error);
	if (box->feed == NULL) {
		lua_pushnil (L);			 /* stack: box nil */
		lua_pushstring (L, box->error->message); /* stack: box nil reason */
		return 2;
	}
	feed = box->feed;
	lua_createtable (L, 0, 5); /* stack: box feed */
	px_lua_feed_set (L, "format", px_feed_format_to_string (feed->format));
	px_lua_feed_set (L, "title", feed->title);
	px_lua_feed_set (L, "link", feed->link);
	px_lua_feed_set (L, "language", feed->language);
	lua_createtable (L, (int)feed->entries->len, 0); /* stack: box feed entries */
	for (guint i = 0; i < feed->entries->len; i++) {
		px_lua_feed_push_entry (L, g_ptr_array_index (feed->entries, i));
		lua_rawseti (L, -2, i + 1);
	}
	lua_setfield (L, -2, "entries"); /* stack: box feed */
	g_clear_pointer (&box->feed, px_feed_free);
	return 1;
}

static const luaL_Reg px_lua_feed_functions[] = {
    {"parse", px_lua_feed_parse},
    {NULL, NULL},
};

int
px_lua_feed_open (lua_State *L)
{
	if (luaL_newmetatable (L, PX_LUA_FEED_METATABLE)) { /* stack: meta */
		lua_pushcfunction (L, px_lua_feed_gc);
		lua_setfield (L, -2, "__gc");
		lua_pushboolean (L, FALSE);
		lua_setfield (L, -2, "__metatable");
	}
	lua_pop (L, 1);				/* stack: */
	luaL_newlib (L, px_lua_feed_functions); /* stack: feed */
	return 1;
}
