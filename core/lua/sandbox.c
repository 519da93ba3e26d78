/* sandbox.c: PxSandbox, one plugin's lua_State made safe (TECH-NOTES 3.2-3.4): a capped
 * allocator, the safe libraries only (no io, debug, package, coroutine, string.dump, dofile,
 * loadfile, collectgarbage; os only for time), text chunks only, a locked string metatable, print
 * and warn to the log, string.find, match, gmatch and gsub with a step budget (lua-pattern.c: Lua's
 * run unbounded inside one C call), and a count hook that, once tripped, fails every instruction
 * after so that no pcall can swallow it. It must not know what a plugin is. */
#define G_LOG_DOMAIN "PxSandbox"

#include "sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "lua-pattern.h"
#include "util/error.h"

/* the longest error message kept (the rest of a plugin's message and traceback is cut) */
#define PX_SANDBOX_MESSAGE_MAX 2048
/* instructions between two looks at the budget and the clock */
#define PX_SANDBOX_HOOK_STEP 1000

typedef enum {
	PX_SANDBOX_RUNNING,
	PX_SANDBOX_OUT_OF_BUDGET,
	PX_SANDBOX_OUT_OF_TIME,
} PxSandboxTrip;

struct _PxSandbox {
	char *name;
	lua_State *state;
	PxSandboxLimits limits;
	gsize used;
	guint64 remaining;
	gint64 deadline;
	PxSandboxTrip trip;
	lua_State *running; /* the coroutine being resumed, or NULL */
	GString *warning;   /* a warn() message being assembled */
};

static void *
px_sandbox_alloc_cb (void *user_data, void *block, size_t old_size, size_t new_size)
{
	PxSandbox *sandbox = user_data;
	void *grown;

	if (block == NULL)
		old_size = 0; /* then it is the type of the new object, not a size */
	if (new_size == 0) {
		free (block);
		sandbox->used -= old_size;
		return NULL;
	}
	if (new_size > old_size &&
	    sandbox->used + (new_size - old_size) > sandbox->limits.memory_bytes)
		return NULL;
	grown = realloc (block, new_size);
	if (grown == NULL)
		return NULL;
	sandbox->used = sandbox->used - old_size + new_size;
	return grown;
}

static PxSandbox *
px_sandbox_of (lua_State *state)
{
	void *user_data = NULL;

	lua_getallocf (state, &user_data);
	return user_data;
}

static void
px_sandbox_hook_cb (lua_State *state, lua_Debug *debug)
{
	PxSandbox *sandbox = px_sandbox_of (state);

	if (sandbox->trip == PX_SANDBOX_RUNNING) {
		sandbox->remaining -= MIN (sandbox->remaining, PX_SANDBOX_HOOK_STEP);
		if (sandbox->remaining > 0 && g_get_monotonic_time () < sandbox->deadline)
			return;
		sandbox->trip =
		    sandbox->remaining == 0 ? PX_SANDBOX_OUT_OF_BUDGET : PX_SANDBOX_OUT_OF_TIME;
		/* from now on every instruction fails, so a pcall that caught this one fails next
		 */
		lua_sethook (state, px_sandbox_hook_cb, LUA_MASKCOUNT, 1);
	}
	/* lua_pushfstring knows %I (lua_Integer) and %d, not the printf sizes of GLib's formats */
	if (sandbox->trip == PX_SANDBOX_OUT_OF_BUDGET)
		luaL_error (state, "instruction budget exceeded (%I instructions)",
			    (lua_Integer)MIN (sandbox->limits.instructions, G_MAXINT64));
	luaL_error (state, "time limit exceeded (%I ms)", (lua_Integer)sandbox->limits.timeout_ms);
}

static void
px_sandbox_arm (PxSandbox *sandbox, lua_State *thread, guint64 remaining, gint64 deadline)
{
	sandbox->remaining = remaining;
	sandbox->deadline = deadline;
	sandbox->trip = PX_SANDBOX_RUNNING;
	lua_sethook (thread, px_sandbox_hook_cb, LUA_MASKCOUNT, PX_SANDBOX_HOOK_STEP);
}

static int
px_sandbox_panic_cb (lua_State *state)
{
	/* unreachable: the host runs Lua only in protected mode; Lua aborts when this returns */
	g_critical ("Lua panic outside protected mode: %s", lua_tostring (state, -1));
	return 0;
}

static void
px_sandbox_warn_cb (void *user_data, const char *message, int to_continue)
{
	PxSandbox *sandbox = user_data;

	if (sandbox->warning->len == 0 && message[0] == '@')
		return; /* a control message ("@on", "@off") */
	/* C memory outside the cap: kept to what the log gets */
	if (sandbox->warning->len < PX_SANDBOX_MESSAGE_MAX)
		g_string_append_len (
		    sandbox->warning, message,
		    (gssize)MIN (strlen (message), PX_SANDBOX_MESSAGE_MAX - sandbox->warning->len));
	if (to_continue)
		return;
	{
		g_autofree char *bounded =
		    px_sandbox_bound_message (sandbox->warning->str, sandbox->warning->len);

		g_warning ("plugin %s: %s", sandbox->name, bounded);
	}
	g_string_truncate (sandbox->warning, 0);
}

/* print(...): the values, tab-separated, to the log under the plugin's name */
static int
px_sandbox_print_cb (lua_State *state)
{
	PxSandbox *sandbox = px_sandbox_of (state);
	int n = lua_gettop (state);
	luaL_Buffer buffer;

	luaL_buffinit (state, &buffer);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar (&buffer, '\t');
		luaL_tolstring (state, i, NULL);
		luaL_addvalue (&buffer);
	}
	luaL_pushresult (&buffer);
	{
		size_t length = 0;
		const char *text = lua_tolstring (state, -1, &length);
		g_autofree char *message = px_sandbox_bound_message (text, length);

		g_message ("plugin %s: %s", sandbox->name, message);
	}
	return 0;
}

/* load(text [, chunkname [, mode [, env]]]): text only, whatever the mode says */
static int
px_sandbox_load_cb (lua_State *state)
{
	size_t len;
	const char *code = luaL_checklstring (state, 1, &len);
	const char *chunkname = luaL_optstring (state, 2, "=(load)");
	gboolean has_env = !lua_isnone (state, 4);

	if (luaL_loadbufferx (state, code, len, chunkname, "t") != LUA_OK) {
		lua_pushnil (state);
		lua_insert (state, -2);
		return 2;
	}
	if (has_env) {
		lua_pushvalue (state, 4);
		if (lua_setupvalue (state, -2, 1) == NULL)
			lua_pop (state, 1);
	}
	return 1;
}

/* setmetatable(table, metatable): as Lua's, but a metatable with __gc is refused. A finalizer
 * runs with hooks off (lgc.c, GCTM: "stop debug hooks during GC metamethod"), so no budget stops
 * it: a __gc that loops would hang whichever thread collects, or closes the state on a reload.
 * A table is marked for finalization only when its metatable has __gc as it is set, so a __gc
 * added to the metatable later is never called. */
static int
px_sandbox_setmetatable_cb (lua_State *state)
{
	luaL_checktype (state, 1, LUA_TTABLE);
	if (lua_type (state, 2) == LUA_TTABLE) {
		lua_pushliteral (state, "__gc");
		if (lua_rawget (state, 2) != LUA_TNIL)
			return luaL_error (state,
					   "setmetatable: a plugin's metatable may not have __gc");
		lua_pop (state, 1);
	}
	lua_settop (state, 2);
	lua_pushvalue (state, lua_upvalueindex (1));
	lua_insert (state, 1);
	lua_call (state, 2, 1);
	return 1;
}

/* xpcall(f, handler, ...): the handler is called after the stack unwound, as an ordinary call,
 * not as Lua's message handler: that one runs before unwinding, and when the error came from
 * the count hook it runs with hooks off (ldo.c: luaD_hook leaves allowhook 0 when the hook
 * raises), so a handler that loops would never be stopped. Plugins have no debug library, so
 * they lose nothing they could see of the stack. Text, so that it may yield (tasks). */
static const char px_sandbox_xpcall[] =
    "local pcall, type, error = pcall, type, error\n"
    "local function finish (handler, ok, ...)\n"
    "  if ok then return true, ... end\n"
    "  local _, result = pcall(handler, (...))\n"
    "  return false, result\n"
    "end\n"
    "return function (f, handler, ...)\n"
    "  if type(handler) ~= 'function' then\n"
    "    error(\"bad argument #2 to 'xpcall' (function expected)\", 2)\n"
    "  end\n"
    "  return finish(handler, pcall(f, ...))\n"
    "end\n";

static void
px_sandbox_clear (lua_State *state, const char *table, const char *const *names)
{
	if (table != NULL)
		lua_getglobal (state, table);
	else
		lua_pushglobaltable (state);
	for (const char *const *name = names; *name != NULL; name++) {
		lua_pushnil (state);
		lua_setfield (state, -2, *name);
	}
	lua_pop (state, 1);
}

/* the safe standard library (run in protected mode: every allocation may fail) */
static int
px_sandbox_open_cb (lua_State *state)
{
	static const char *const base_removed[] = {"dofile", "loadfile", "collectgarbage", NULL};
	static const char *const string_removed[] = {"dump", NULL};
	static const char *const os_kept[] = {"time", "date", "clock", "difftime", NULL};

	luaL_requiref (state, LUA_GNAME, luaopen_base, 1);
	luaL_requiref (state, LUA_TABLIBNAME, luaopen_table, 1);
	luaL_requiref (state, LUA_STRLIBNAME, luaopen_string, 1);
	luaL_requiref (state, LUA_MATHLIBNAME, luaopen_math, 1);
	luaL_requiref (state, LUA_UTF8LIBNAME, luaopen_utf8, 1);
	luaL_requiref (state, LUA_OSLIBNAME, luaopen_os, 0);
	lua_newtable (state);
	for (const char *const *name = os_kept; *name != NULL; name++) {
		lua_getfield (state, -2, *name);
		lua_setfield (state, -2, *name);
	}
	lua_setglobal (state, LUA_OSLIBNAME);
	lua_settop (state, 0);
	px_sandbox_clear (state, NULL, base_removed);
	px_sandbox_clear (state, LUA_STRLIBNAME, string_removed);
	/* the pattern functions with a step budget: Lua's own run unbounded inside one C call */
	px_lua_pattern_install (state);
	lua_settop (state, 0);
	lua_register (state, "print", px_sandbox_print_cb);
	lua_register (state, "load", px_sandbox_load_cb);
	if (luaL_loadbufferx (state, px_sandbox_xpcall, sizeof px_sandbox_xpcall - 1, "=xpcall",
			      "t") != LUA_OK)
		return lua_error (state);
	lua_call (state, 0, 1);
	lua_setglobal (state, "xpcall");
	lua_getglobal (state, "setmetatable");
	lua_pushcclosure (state, px_sandbox_setmetatable_cb, 1);
	lua_setglobal (state, "setmetatable");
	/* all strings share one metatable: lock it, or a plugin could reach string's table through
	 * it and change what other code calls */
	lua_pushliteral (state, "");
	lua_getmetatable (state, -1);
	lua_pushboolean (state, 0);
	lua_setfield (state, -2, "__metatable");
	lua_settop (state, 0);
	return 0;
}

/* PX_SANDBOX_MESSAGE_MAX bytes at most (sandbox.h) */
char *
px_sandbox_bound_message (const char *text, gsize length)
{
	g_autofree char *valid =
	    g_utf8_make_valid (text, (gssize)MIN (length, 2 * PX_SANDBOX_MESSAGE_MAX));
	const char *end;

	if (strlen (valid) <= PX_SANDBOX_MESSAGE_MAX && length <= 2 * PX_SANDBOX_MESSAGE_MAX)
		return g_steal_pointer (&valid);
	end = g_utf8_find_prev_char (valid, valid + PX_SANDBOX_MESSAGE_MAX - 20);
	return g_strdup_printf ("%.*s [... %" G_GSIZE_FORMAT " bytes]", (int)(end - valid), valid,
				length);
}

static char *
px_sandbox_describe (PxSandbox *sandbox, lua_State *state, int status)
{
	size_t length = 0;
	const char *text;

	if (status == LUA_ERRMEM)
		return g_strdup_printf ("memory limit exceeded (%" G_GSIZE_FORMAT " bytes)",
					sandbox->limits.memory_bytes);
	if (lua_type (state, -1) != LUA_TSTRING)
		return g_strdup_printf ("error object is a %s value", luaL_typename (state, -1));
	text = lua_tolstring (state, -1, &length);
	return px_sandbox_bound_message (text, length);
}

static void
px_sandbox_fail (PxSandbox *sandbox, lua_State *state, int status, GError **error)
{
	g_autofree char *message = px_sandbox_describe (sandbox, state, status);

	lua_pop (state, 1);
	/* what the failed call allocated is given back only by a collection */
	lua_gc (sandbox->state, LUA_GCCOLLECT);
	g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL, "%s", message);
}

/* the message handler: the error with the traceback of where it happened */
static int
px_sandbox_traceback_cb (lua_State *state)
{
	const char *message = lua_tostring (state, 1);

	if (message == NULL)
		message =
		    lua_pushfstring (state, "error object is a %s value", luaL_typename (state, 1));
	luaL_traceback (state, state, message, 1);
	return 1;
}

PxSandbox *
px_sandbox_new (const char *name, const PxSandboxLimits *limits, GError **error)
{
	g_autoptr (PxSandbox) sandbox = g_new0 (PxSandbox, 1);
	int status;

	sandbox->name = g_strdup (name);
	sandbox->limits = *limits;
	sandbox->warning = g_string_new (NULL);
	sandbox->state = lua_newstate (px_sandbox_alloc_cb, sandbox);
	if (sandbox->state == NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL,
			     "memory limit too small for a Lua state");
		return NULL;
	}
	lua_atpanic (sandbox->state, px_sandbox_panic_cb);
	lua_setwarnf (sandbox->state, px_sandbox_warn_cb, sandbox);
	lua_pushcfunction (sandbox->state, px_sandbox_open_cb);
	status = lua_pcall (sandbox->state, 0, 0, 0);
	if (status != LUA_OK) {
		px_sandbox_fail (sandbox, sandbox->state, status, error);
		g_prefix_error (error, "failed to open the Lua libraries: ");
		return NULL;
	}
	lua_sethook (sandbox->state, px_sandbox_hook_cb, LUA_MASKCOUNT, PX_SANDBOX_HOOK_STEP);
	return g_steal_pointer (&sandbox);
}

void
px_sandbox_free (PxSandbox *sandbox)
{
	if (sandbox == NULL)
		return;
	if (sandbox->state != NULL)
		lua_close (sandbox->state);
	g_string_free (sandbox->warning, TRUE);
	g_free (sandbox->name);
	g_free (sandbox);
}

lua_State *
px_sandbox_get_state (PxSandbox *sandbox)
{
	return sandbox->state;
}

gsize
px_sandbox_get_memory (PxSandbox *sandbox)
{
	return sandbox->used;
}

gboolean
px_sandbox_run (PxSandbox *sandbox, lua_CFunction body, gpointer user_data, GError **error)
{
	/* a run inside a resumed coroutine (an importer's record tagged by the same plugin) runs
	 * on that coroutine, and gives it back its own budget after */
	lua_State *state = sandbox->running != NULL ? sandbox->running : sandbox->state;
	guint64 remaining = sandbox->remaining;
	gint64 deadline = sandbox->deadline;
	int base = lua_gettop (state);
	int status;

	if (!lua_checkstack (state, 3)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL, "Lua stack exhausted");
		return FALSE;
	}
	lua_pushcfunction (state, px_sandbox_traceback_cb);
	lua_pushcfunction (state, body);
	lua_pushlightuserdata (state, user_data);
	px_sandbox_arm (sandbox, state, sandbox->limits.instructions,
			g_get_monotonic_time () + (gint64)sandbox->limits.timeout_ms * 1000);
	status = lua_pcall (state, 1, 0, base + 1);
	if (sandbox->running != NULL)
		px_sandbox_arm (sandbox, state, remaining, deadline);
	else
		px_sandbox_arm (sandbox, state, G_MAXUINT64, G_MAXINT64);
	if (status != LUA_OK) {
		px_sandbox_fail (sandbox, state, status, error);
		lua_settop (state, base);
		return FALSE;
	}
	lua_settop (state, base);
	return TRUE;
}

gboolean
px_sandbox_load (PxSandbox *sandbox, const char *chunkname, const char *code, gsize len,
		 GError **error)
{
	int status = luaL_loadbufferx (sandbox->state, code, len, chunkname, "t");

	if (status != LUA_OK) {
		px_sandbox_fail (sandbox, sandbox->state, status, error);
		return FALSE;
	}
	return TRUE;
}

/* the traceback of a dead coroutine, made in protected mode on the main state; the coroutine
 * comes as a light userdata, as its own stack may have no room to push it (a stack overflow) */
static int
px_sandbox_thread_traceback_cb (lua_State *state)
{
	lua_State *thread = lua_touserdata (state, 1);

	luaL_traceback (state, thread, lua_tostring (state, 2), 0);
	return 1;
}

static void
px_sandbox_fail_thread (PxSandbox *sandbox, lua_State *thread, int status, GError **error)
{
	lua_State *state = sandbox->state;
	g_autofree char *message = px_sandbox_describe (sandbox, thread, status);
	int base = lua_gettop (state);

	if (status != LUA_ERRMEM && lua_checkstack (state, 3)) {
		lua_pushcfunction (state, px_sandbox_thread_traceback_cb);
		lua_pushlightuserdata (state, thread);
		lua_pushstring (state, message);
		if (lua_pcall (state, 2, 1, 0) == LUA_OK) {
			size_t length = 0;
			const char *text = lua_tolstring (state, -1, &length);

			g_free (message);
			message = px_sandbox_bound_message (text, length);
		}
	}
	lua_settop (state, base);
	/* the dead coroutine is left as it is, for the collector: emptying its stack
	 * (lua_settop, lua_resetthread) would run the __close of its pending to-be-closed
	 * variables, and after an error of the count hook they would run with hooks off, and
	 * outside protected mode for lua_settop (an error there panics) */
	lua_gc (state, LUA_GCCOLLECT);
	g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL, "%s", message);
}

gboolean
px_sandbox_resume (PxSandbox *sandbox, PxSandboxBudget *budget, lua_State *thread, int nargs,
		   gboolean *finished, GError **error)
{
	lua_State *outer = sandbox->running;
	int results = 0;
	int status;

	px_sandbox_arm (sandbox, thread, budget->remaining, budget->deadline);
	sandbox->running = thread;
	status = lua_resume (thread, sandbox->state, nargs, &results);
	sandbox->running = outer;
	budget->remaining = sandbox->remaining;
	px_sandbox_arm (sandbox, thread, G_MAXUINT64, G_MAXINT64);
	*finished = status != LUA_YIELD;
	if (status != LUA_OK && status != LUA_YIELD) {
		px_sandbox_fail_thread (sandbox, thread, status, error);
		return FALSE;
	}
	return TRUE;
}
