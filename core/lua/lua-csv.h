/* lua-csv.h: px.csv, CSV rows for plugins (util/csv.h behind a Lua iterator). */
#pragma once

#include <lua.h>

/**
 * px_lua_csv_open:
 *
 * Pushes the table px.csv: rows(text [, {separator = "," | ";" | "\t", header = true}]), an
 * iterator for a generic for that gives (line, row) per record, or (line, nil, reason) for a
 * bad one (see core/lua/lua-csv.c and docs/plugins.md).
 *
 * Returns: 1
 */
int px_lua_csv_open (lua_State *L);
