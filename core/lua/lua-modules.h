/* lua-modules.h: the modules of the px API that bindings provide (px.json, px.csv, ...), which
 * every plugin's handle gets. */
#pragma once

#include <lua.h>

typedef struct {
	const char *name;   /* px.NAME */
	lua_CFunction open; /* pushes the module's one value */
} PxLuaModule;

/* Returns: (transfer none): the modules, terminated by a NULL name */
const PxLuaModule *px_lua_modules_list (void);
