/* lua-read.h: px.get and px.search, the store read by plugins: one practice, and the search of
 * the published ones, as plain tables. */
#pragma once

#include <lua.h>

/* pushes px.get(id or uid) → the practice as a table, or nil when there is none */
int px_lua_read_open_get (lua_State *L);
/* pushes px.search({q = , country = , per_page = , ...}) → {total = n, results = {...}}: the
 * parameters of GET /api/practices; only in timers and importers (outside a change) */
int px_lua_read_open_search (lua_State *L);
