/* lua-keywords.h: px.keywords, a keyword matcher for plugins: labelled terms (word sequences,
 * a trailing '*' a prefix) compiled once, matched over text as the index folds its words. */
#pragma once

#include <lua.h>

/* pushes the px.keywords table (compile, fold) and returns 1: a lua_CFunction */
int px_lua_keywords_open (lua_State *L);
