/* lua-feed.h: px.feed, RSS and Atom feeds for plugins (util/feed.h as Lua tables). */
#pragma once

#include <lua.h>

/**
 * px_lua_feed_open:
 *
 * Pushes the table px.feed: parse(text [, base_url]) gives {format=, title=, link=, language=,
 * entries={{id=, title=, link=, summary=, published=, updated=, author=, language=,
 * categories={...}}, ...}}, or nil and the reason ("malformed XML: ... (line N)").
 *
 * Returns: 1
 */
int px_lua_feed_open (lua_State *L);
