/* lua-read.h: px.get, px.search and px.admins, the store read by plugins: one practice, the
 * search of the published ones, the moderators' addresses, as plain tables. */
#pragma once

#include <lua.h>

/* pushes px.get(id or uid) → the practice as a table, or nil when there is none */
int px_lua_read_open_get (lua_State *L);
/* pushes px.search({q = , country = , per_page = , ...}) → {total = n, results = {...}}: the
 * parameters of GET /api/practices; only in timers and importers (outside a change) */
int px_lua_read_open_search (lua_State *L);
/* pushes px.admins() → the e-mail addresses of the enabled admin accounts, by address */
int px_lua_read_open_admins (lua_State *L);
