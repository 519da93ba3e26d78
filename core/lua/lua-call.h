/* lua-call.h: PxLuaCall, what a call into a plugin runs with (its name, the connection it may
 * use, the outbox's deliverer), which the px API's bindings read from the plugin's state. */
#pragma once

#include <lua.h>

#include "store/store.h"

struct _PxDelivery;
struct _PxPractices;
struct _PxSearchIndex;

typedef struct {
	const char *plugin; /* the plugin's name */
	/* (nullable): the connection a binding reads and writes with: during a practice event the
	 * change's own, inside its transaction; elsewhere the host's own (main thread); NULL: none
	 */
	PxStore *store;
	/* (nullable): told of each message put in the outbox; NULL: the server's picks them up */
	struct _PxDelivery *delivery;
	gboolean in_change; /* inside a change's transaction */
	/* (nullable): the write path the call's imports (px.import, an importer's emit) go through
	 */
	struct _PxPractices *practices;
	/* (nullable): the published practices px.search looks in (with store, outside a change) */
	struct _PxSearchIndex *index;
	/* (nullable): the coroutine the call runs in, which a binding may suspend to wait
	 * (plugin.h: px_plugin_task_*); NULL: the call cannot wait (practice events,
	 * search.rewrite) */
	struct _PxPluginTask *task;
	GMainContext *context; /* where the task's waits complete; NULL with no task */
	guint64 serial;	       /* unique to the call: what a practice object is valid for */
} PxLuaCall;

/* makes @call (nullable) what px_lua_call_get() returns in @L until the next set; not copied */
void px_lua_call_set (lua_State *L, PxLuaCall *call);
/* Returns: (transfer none): the call running in @L (or its threads); raises an error when none */
PxLuaCall *px_lua_call_get (lua_State *L);
/* Returns: (transfer none) (nullable): the call running in @L, if any; never raises */
PxLuaCall *px_lua_call_peek (lua_State *L);

/**
 * px_lua_call_hold:
 * @free_func: frees what the slot holds when the value is collected
 *
 * Pushes a value that owns one C pointer: store GLib memory in the returned slot before calling
 * anything that may raise (a Lua error longjmps past g_autofree), and it is freed with the value.
 * Returns: (transfer none): the slot, NULL until set
 */
gpointer *px_lua_call_hold (lua_State *L, GDestroyNotify free_func);
