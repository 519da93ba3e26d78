/* lua-pattern.h: Lua 5.4's pattern functions with a step budget (string.find, match, gmatch, gsub
 * for the sandbox). */
#pragma once

#include <lua.h>

/* matching steps one call of find, match or gsub, or one step of a gmatch iterator, may take:
 * PX_LUA_PATTERN_BUDGET, and PX_LUA_PATTERN_BUDGET_PER_BYTE more per byte of the subject from
 * where the search starts, so that a pattern linear in the text (gsub("%s+", " ") takes about 2
 * steps a byte) runs on any text the memory cap allows; 10 million steps take some 15 ms */
#define PX_LUA_PATTERN_BUDGET 10000000
#define PX_LUA_PATTERN_BUDGET_PER_BYTE 8

/**
 * px_lua_pattern_install:
 *
 * Puts find, match, gmatch and gsub into @L's global string table (so string methods use them
 * too), in place of Lua's own: the same signatures, results and errors as
 * Lua 5.4's (manual 6.4.1), except that a call which takes more than its budget of matching
 * steps (N, see PX_LUA_PATTERN_BUDGET) raises "pattern too costly (N steps): simplify the pattern
 * or the text". Run it in protected mode: it allocates.
 */
void px_lua_pattern_install (lua_State *L);
