/* lua-call.h: PxLuaCall, what a call into a plugin runs with (its name, the connection it may
 * use, the outbox's deliverer), which the px API's bindings read from the plugin's state. */
#pragma once

#include <lua.h>

#include "store/store.h"

struct _PxDelivery;

typedef struct {
	const char *plugin; /* the plugin's name */
	/* (nullable): the connection a binding reads and writes with: during a practice event the
	 * change's own, inside its transaction; elsewhere the host's own (main thread); NULL: none
	 */
	PxStore *store;
	/* (nullable): told of each message put in the outbox; NULL: the server's picks them up */
	struct _PxDelivery *delivery;
	gboolean in_change; /* inside a change's transaction */
} PxLuaCall;

/* makes @call what px_lua_call_get() returns in @L until the next set; @call is not copied */
void px_lua_call_set (lua_State *L, PxLuaCall *call);
/* Returns: (transfer none): the call running in @L (or its threads); never NULL once set */
PxLuaCall *px_lua_call_get (lua_State *L);
