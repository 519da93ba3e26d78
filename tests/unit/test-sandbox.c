/* test-sandbox.c: the plugin host attacked: PxSandbox and PxPlugin (and PxPlugins where a set is
 * needed) given hostile Lua: every escape of TECH-NOTES 3.2 tried and refused, every fault (an
 * endless loop, the pcall trap, memory bombs, deep recursion, errors, garbage answers, a plugin
 * that does not load) stopped with a clear message naming the plugin, and the state usable for
 * the next call. Limits are counted in instructions and bytes, never in time. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "lua/plugin.h"
#include "lua/plugins.h"
#include "lua/sandbox.h"
#include "store/records.h"
#include "store/store.h"
#include "util/config.h"
#include "util/error.h"

/* small enough to trip fast, never by the clock */
static const PxSandboxLimits px_test_limits = {64u * 1024 * 1024, 20000000, 3600000};

/* what a state may keep after a failure and a collection: a quarter of the cap (a stack that
 * grew is given back in halves, one per collection) */
#define PX_TEST_STATE_MAX (16 * 1024 * 1024)

/* whether @text holds one of the '|'-separated @alternatives */
static gboolean
px_test_has_any (const char *text, const char *alternatives)
{
	g_auto (GStrv) each = g_strsplit (alternatives, "|", -1);

	for (char **one = each; *one != NULL; one++)
		if (strstr (text, *one) != NULL)
			return TRUE;
	return FALSE;
}

/* sandboxes */

typedef struct {
	const char *code;
	char *result; /* tostring of what the chunk returned */
} PxTestEval;

static int
px_test_eval_body (lua_State *L)
{
	PxTestEval *eval = lua_touserdata (L, 1);

	if (luaL_loadbufferx (L, eval->code, strlen (eval->code), "=test", "t") != LUA_OK)
		return lua_error (L);
	lua_call (L, 0, 1);
	eval->result = g_strdup (luaL_tolstring (L, -1, NULL));
	return 0;
}

/* runs @code as one invocation; Returns: (transfer full): what it returned, or NULL with @error */
static char *
px_test_eval (PxSandbox *sandbox, const char *code, GError **error)
{
	PxTestEval eval = {code, NULL};

	if (!px_sandbox_run (sandbox, px_test_eval_body, &eval, error)) {
		g_assert_null (eval.result);
		return NULL;
	}
	return eval.result;
}

static PxSandbox *
px_test_sandbox_new (void)
{
	g_autoptr (GError) error = NULL;
	PxSandbox *sandbox = px_sandbox_new ("hostile", &px_test_limits, &error);

	g_assert_no_error (error);
	return sandbox;
}

/* the state answers the next call, and gave back what the failed one took */
static void
px_test_assert_usable (PxSandbox *sandbox)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *result =
	    px_test_eval (sandbox, "local n = 0 for i = 1, 1000 do n = n + i end return n", &error);

	g_assert_no_error (error);
	g_assert_cmpstr (result, ==, "500500");
	g_assert_cmpuint (px_sandbox_get_memory (sandbox), <, PX_TEST_STATE_MAX);
	g_assert_cmpint (lua_gettop (px_sandbox_get_state (sandbox)), ==, 0);
}

/* each row: Lua that tries an escape and returns what it got; what it must get */
typedef struct {
	const char *what;
	const char *code;
	const char *expected;
} PxTestEscape;

static const PxTestEscape px_test_escapes[] = {
    {"os.execute", "return type(os.execute)", "nil"},
    {"os.exit", "return type(os.exit)", "nil"},
    {"os.getenv", "return type(os.getenv)", "nil"},
    {"os.remove", "return type(os.remove)", "nil"},
    {"os.rename", "return type(os.rename)", "nil"},
    {"os.tmpname", "return type(os.tmpname)", "nil"},
    {"os.setlocale", "return type(os.setlocale)", "nil"},
    {"os keeps time", "return type(os.time()) .. type(os.clock()) .. type(os.date('%Y'))",
     "numbernumberstring"},
    {"io", "return type(io)", "nil"},
    {"io.open through _G", "return type(_G.io)", "nil"},
    {"package", "return type(package)", "nil"},
    {"require (no host)", "return type(require)", "nil"},
    {"dofile", "return type(dofile)", "nil"},
    {"loadfile", "return type(loadfile)", "nil"},
    {"debug", "return type(debug)", "nil"},
    {"debug.sethook",
     "local ok, e = pcall(function () debug.sethook(print, 'l') end) return tostring(ok)", "false"},
    {"debug.getregistry",
     "local ok, e = pcall(function () return debug.getregistry() end) return tostring(ok)",
     "false"},
    {"collectgarbage", "return type(collectgarbage)", "nil"},
    {"coroutine", "return type(coroutine)", "nil"},
    {"coroutine.close chain",
     "local ok = pcall(function () return coroutine.wrap(function () end) end) "
     "return tostring(ok)",
     "false"},
    {"string.dump", "return type(string.dump)", "nil"},
    {"string.dump through a string", "return type(('x').dump)", "nil"},
    {"getmetatable of a string", "return tostring(getmetatable(''))", "false"},
    {"the string metatable's __index",
     "local ok = pcall(function () getmetatable('').__index.upper = function () return 'PWNED' "
     "end end) return tostring(ok) .. ' ' .. ('x'):upper()",
     "false X"},
    {"setmetatable on a string", "return tostring(pcall(setmetatable, 'x', {}))", "false"},
    {"load of bytecode", "local f, e = load('\\27Lua') return tostring(f) .. ': ' .. e",
     "nil: attempt to load a binary chunk (mode is 't')"},
    {"load of bytecode, mode b",
     "local f, e = load('\\27LuaT\\0', 'x', 'b') return tostring(f) .. ': ' .. e",
     "nil: attempt to load a binary chunk (mode is 't')"},
    {"load of bytecode, mode bt, an env",
     "local f, e = load('\\27LuaT\\0', 'x', 'bt', {}) return tostring(f)", "nil"},
    {"load with an env sees only it", "return tostring(load('return os', 'x', 't', {})())", "nil"},
    {"load of text works", "return load('return 6 * 7')()", "42"},
    {"load from a reader function", "return tostring(pcall(load, function () return nil end))",
     "false"},
    {"rawset on _G is the state's own", "rawset(_G, 'mine', 1) return tostring(mine)", "1"},
    {"_G has no way out", "return tostring(getmetatable(_G))", "nil"},
    {"print logs", "print('a', 1, nil) return 'printed'", "printed"},
};

static void
test_sandbox_escape_func (gconstpointer data)
{
	const PxTestEscape *escape = data;
	g_autoptr (PxSandbox) sandbox = px_test_sandbox_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *result = px_test_eval (sandbox, escape->code, &error);

	g_assert_no_error (error);
	g_assert_cmpstr (result, ==, escape->expected);
	px_test_assert_usable (sandbox);
}

static int
px_test_dump_writer_cb (lua_State *L, const void *data, size_t size, void *user_data)
{
	g_byte_array_append (user_data, data, (guint)size);
	return 0;
}

/* a real chunk of bytecode (string.dump's output), made in a plain state outside */
static GByteArray *
px_test_bytecode (void)
{
	lua_State *L = luaL_newstate ();
	GByteArray *bytes = g_byte_array_new ();

	g_assert_cmpint (luaL_loadstring (L, "return 'PWNED'"), ==, LUA_OK);
	g_assert_cmpint (lua_dump (L, px_test_dump_writer_cb, bytes, 0), ==, 0);
	lua_close (L);
	g_assert_cmpuint (bytes->len, >, 4);
	g_assert_cmpint (memcmp (bytes->data, "\x1bLua", 4), ==, 0);
	return bytes;
}

static void
test_sandbox_bytecode_func (void)
{
	g_autoptr (PxSandbox) sandbox = px_test_sandbox_new ();
	g_autoptr (GByteArray) bytes = px_test_bytecode ();
	lua_State *L = px_sandbox_get_state (sandbox);
	g_autoptr (GError) error = NULL;
	g_autofree char *result = NULL;

	/* through load() */
	lua_pushlstring (L, (const char *)bytes->data, bytes->len);
	lua_setglobal (L, "chunk");
	result = px_test_eval (sandbox,
			       "local f, e = load(chunk, 'dumped', 'b') "
			       "return f == nil and e or f()",
			       &error);
	g_assert_no_error (error);
	g_assert_cmpstr (result, ==, "attempt to load a binary chunk (mode is 't')");
	/* through the host's own loading of a file */
	g_assert_false (px_sandbox_load (sandbox, "@dumped.lua", (const char *)bytes->data,
					 bytes->len, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_assert_nonnull (strstr (error->message, "binary chunk"));
	g_assert_cmpint (lua_gettop (L), ==, 0);
	px_test_assert_usable (sandbox);
}

/* the host's own string methods stay whatever a plugin does to its own state */
static void
test_sandbox_string_metatable_func (void)
{
	g_autoptr (PxSandbox) hostile = px_test_sandbox_new ();
	g_autoptr (PxSandbox) other = px_test_sandbox_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *result = NULL;
	g_autofree char *theirs = NULL;
	lua_State *host = luaL_newstate ();

	luaL_openlibs (host);
	result = px_test_eval (hostile,
			       "string.upper = function () return 'PWNED' end "
			       "pcall(function () getmetatable('').__index.upper = string.upper "
			       "end) "
			       "pcall(function () getmetatable('').__metatable = nil end) "
			       "return ('x'):upper()",
			       &error);
	g_assert_no_error (error);
	/* its own string table is its own to spoil */
	g_assert_cmpstr (result, ==, "PWNED");
	theirs = px_test_eval (other, "return ('x'):upper() .. tostring(getmetatable(''))", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (theirs, ==, "Xfalse");
	g_assert_cmpint (luaL_dostring (host, "return ('x'):upper()"), ==, LUA_OK);
	g_assert_cmpstr (lua_tostring (host, -1), ==, "X");
	lua_close (host);
}

/* each row: a fault, and what the error must say */
typedef struct {
	const char *what;
	const char *code;
	const char *message;
	gboolean traceback; /* Lua gives one (not for a memory error) */
} PxTestFault;

static const PxTestFault px_test_faults[] = {
    {"endless loop", "while true do end", "instruction budget exceeded", TRUE},
    {"pcall trap", "while true do pcall(function () while true do end end) end",
     "instruction budget exceeded", TRUE},
    {"xpcall trap",
     "while true do xpcall(function () while true do end end, function () while true do end "
     "end) end",
     "instruction budget exceeded", FALSE},
    {"error() swallowed by pcall then a loop",
     "for i = 1, 10 do pcall(error, 'x') end while true do end", "instruction budget exceeded",
     TRUE},
    {"50 nested pcalls",
     "local function nest(n) if n == 0 then while true do end end "
     "while true do pcall(nest, n - 1) end end nest(50)",
     "instruction budget exceeded", TRUE},
    {"a loop in an error handler",
     "xpcall(error, function () while true do end end) while true do end",
     "instruction budget exceeded", FALSE},
    {"a loop in a __close",
     "do local x <close> = setmetatable({}, {__close = function () "
     "while true do end end}) end while true do end",
     "instruction budget exceeded", FALSE},
    {"rep memory bomb", "return ('x'):rep(1e9)", "memory limit exceeded", FALSE},
    {"rep memory bomb under pcall",
     "local ok = pcall(string.rep, 'x', 1e9) local t = {} for i = 1, 1e7 do t[i] = "
     "('y'):rep(1000) .. i end",
     "memory limit exceeded", FALSE},
    {"table-filling loop", "local t = {} local i = 0 while true do i = i + 1 t[i] = i end",
     "memory limit exceeded", FALSE},
    {"string concatenation growth", "local s = 'x' while true do s = s .. s end",
     "memory limit exceeded", FALSE},
    {"table.concat growth",
     "local t = {} for i = 1, 1e6 do t[i] = ('z'):rep(1000) end return table.concat(t)",
     "memory limit exceeded", FALSE},
    {"deep recursion", "local function f () return 1 + f () end return f ()",
     "stack overflow|memory limit exceeded", FALSE},
    {"C stack overflow through __index",
     "local t = setmetatable({}, {__index = function (t, k) return t[k] end}) return t.x",
     "stack overflow", FALSE},
    {"a backtracking pattern (Lua's string.find never returns)",
     "return ('a'):rep(5000):find('.-.-.-b')", "pattern too costly (10040000 steps)", TRUE},
    {"a backtracking gsub through the string metatable",
     "return (('a'):rep(5000)):gsub('(.-)(.-)(.-)b', '')", "pattern too costly", TRUE},
    {"an error", "error('boom')", "boom", TRUE},
    {"an error with a table", "error({})", "error object is a table value", FALSE},
    {"an error with nil", "error()", "nil value", FALSE},
};

static void
test_sandbox_fault_func (gconstpointer data)
{
	const PxTestFault *fault = data;
	g_autoptr (PxSandbox) sandbox = px_test_sandbox_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *result = px_test_eval (sandbox, fault->code, &error);

	g_assert_null (result);
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_test_message ("%s: %s", fault->what, error->message);
	g_assert_true (px_test_has_any (error->message, fault->message));
	if (fault->traceback)
		g_assert_nonnull (strstr (error->message, "stack traceback:"));
	g_assert_true (g_utf8_validate (error->message, -1, NULL));
	px_test_assert_usable (sandbox);
	/* and again: a second trip is stopped the same way */
	g_clear_error (&error);
	g_assert_null (px_test_eval (sandbox, fault->code, &error));
	g_assert_true (px_test_has_any (error->message, fault->message));
	px_test_assert_usable (sandbox);
}

/* a finalizer runs with hooks off (lgc.c GCTM): a __gc that loops would hang the thread that
 * collects, or the one that closes the state on reload. Metatables with __gc are refused */
static void
test_sandbox_gc_metamethod_func (void)
{
	g_autoptr (PxSandbox) sandbox = px_test_sandbox_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *result = NULL;

	result = px_test_eval (sandbox,
			       "local ok, e = pcall(setmetatable, {}, {__gc = function () while "
			       "true do end end}) return tostring(ok) .. ': ' .. e",
			       &error);
	g_assert_no_error (error);
	g_assert_cmpstr (result, ==, "false: setmetatable: a plugin's metatable may not have __gc");
	g_clear_pointer (&result, g_free);
	/* a __gc added after the metatable was set never marks the table for finalization */
	result = px_test_eval (sandbox,
			       "local mt = {} keep = setmetatable({}, mt) mt.__gc = function () "
			       "while true do end end keep = nil return 'set'",
			       &error);
	g_assert_no_error (error);
	g_assert_cmpstr (result, ==, "set");
	/* a failed run collects, which would have run the finalizer */
	g_assert_null (px_test_eval (sandbox, "error('collect now')", &error));
	px_test_assert_usable (sandbox);
}

/* a message is bounded and valid UTF-8 whatever the plugin raised */
static void
test_sandbox_message_func (void)
{
	g_autoptr (PxSandbox) sandbox = px_test_sandbox_new ();
	g_autoptr (GError) error = NULL;

	g_assert_null (px_test_eval (sandbox, "error(('x'):rep(4e6))", &error));
	g_assert_cmpuint (strlen (error->message), <, 4096);
	g_clear_error (&error);
	g_assert_null (px_test_eval (sandbox,
				     "local t = {['\\xff'] = function () error('\\xfe') "
				     "end} t['\\xff']()",
				     &error));
	g_assert_true (g_utf8_validate (error->message, -1, NULL));
	px_test_assert_usable (sandbox);
}

/* the budget is per invocation, and a trip does not outlive its invocation */
static void
test_sandbox_budget_func (void)
{
	g_autoptr (PxSandbox) sandbox = px_test_sandbox_new ();
	/* 12 million instructions: twice that would not fit in one budget */
	const char *loop = "local n = 0 for i = 1, 6000000 do n = n + 1 end return n";
	g_autoptr (GError) error = NULL;

	for (int i = 0; i < 5; i++) {
		g_autofree char *result = px_test_eval (sandbox, loop, &error);

		g_assert_no_error (error);
		g_assert_cmpstr (result, ==, "6000000");
	}
	g_assert_null (px_test_eval (sandbox, "while true do end", &error));
	g_clear_error (&error);
	for (int i = 0; i < 5; i++) {
		g_autofree char *result = px_test_eval (sandbox, loop, &error);

		g_assert_no_error (error);
		g_assert_cmpstr (result, ==, "6000000");
	}
}

/* plugins */

typedef struct {
	char *dir;
	PxPluginLimits limits;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-sandbox-XXXXXX", &error);
	g_assert_no_error (error);
	fixture->limits.call = px_test_limits;
	fixture->limits.task = px_test_limits;
	fixture->limits.max_failures = 3;
}

static void
px_test_remove_tree (const char *path)
{
	g_autoptr (GDir) listing = g_dir_open (path, 0, NULL);
	const char *name;

	while (listing != NULL && (name = g_dir_read_name (listing)) != NULL) {
		g_autofree char *child = g_build_filename (path, name, NULL);

		if (g_file_test (child, G_FILE_TEST_IS_DIR))
			px_test_remove_tree (child);
		else
			g_unlink (child);
	}
	g_rmdir (path);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	px_test_remove_tree (fixture->dir);
	g_free (fixture->dir);
}

/* writes @dir/@relative */
static void
px_test_write (const char *dir, const char *relative, const char *code, gssize length)
{
	g_autofree char *path = g_build_filename (dir, relative, NULL);
	g_autofree char *parent = g_path_get_dirname (path);
	g_autoptr (GError) error = NULL;

	g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
	g_file_set_contents (path, code, length, &error);
	g_assert_no_error (error);
}

static PxPlugin *
px_test_load (Fixture *fixture, const char *name, const char *code, GError **error)
{
	g_autofree char *file = g_strdup_printf ("%s.lua", name);

	px_test_write (fixture->dir, file, code, -1);
	return px_plugin_load (name, fixture->dir, NULL, &fixture->limits, error);
}

static PxPlugin *
px_test_load_ok (Fixture *fixture, const char *name, const char *code)
{
	g_autoptr (GError) error = NULL;
	PxPlugin *plugin = px_test_load (fixture, name, code, &error);

	g_assert_no_error (error);
	g_assert_nonnull (plugin);
	return plugin;
}

static const PxPluginHandler *
px_test_handler (PxPlugin *plugin, const char *event)
{
	GPtrArray *handlers = px_plugin_get_handlers (plugin);

	for (guint i = 0; i < handlers->len; i++)
		if (g_str_equal (((PxPluginHandler *)g_ptr_array_index (handlers, i))->event,
				 event))
			return g_ptr_array_index (handlers, i);
	g_assert_not_reached ();
}

/* the plugin's search.rewrite of @query; Returns: (transfer full) (nullable) */
static char *
px_test_rewrite (PxPlugin *plugin, const char *query, GError **error)
{
	PxLuaCall call = {0};
	char *rewritten = NULL;

	if (!px_plugin_call_rewrite (plugin, px_test_handler (plugin, PX_PLUGIN_EVENT_REWRITE),
				     &call, query, &rewritten, error))
		return NULL;
	return rewritten;
}

static char *
px_test_rewrite_ok (PxPlugin *plugin, const char *query)
{
	g_autoptr (GError) error = NULL;
	char *rewritten = px_test_rewrite (plugin, query, &error);

	g_assert_no_error (error);
	return rewritten;
}

static PxPractice *
px_test_practice (void)
{
	PxPractice *practice = px_practice_new ();

	practice->title = g_strdup ("Language café");
	practice->summary = g_strdup ("Newcomers meet.");
	practice->status = PX_STATUS_PENDING;
	return practice;
}

/* calls @event's handler of @plugin on a practice (writable in practice.tag) */
static gboolean
px_test_event (PxPlugin *plugin, const char *event, char **refusal, GError **error)
{
	g_autoptr (PxPractice) practice = px_test_practice ();
	g_autoptr (PxPractice) additions = px_practice_new ();
	gboolean tag = g_str_equal (event, PX_PLUGIN_EVENT_TAG);
	PxLuaPracticeView view = {practice, tag ? additions : NULL, NULL, event};
	PxLuaCall call = {0};
	g_autofree char *ignored = NULL;

	if (g_str_equal (event, PX_PLUGIN_EVENT_REWRITE)) {
		g_autoptr (GError) local_error = NULL;
		g_autofree char *rewritten = px_test_rewrite (plugin, "q", &local_error);

		if (local_error == NULL)
			return TRUE;
		g_propagate_error (error, g_steal_pointer (&local_error));
		return FALSE;
	}
	if (tag)
		return px_plugin_call_tag (plugin, px_test_handler (plugin, event), &call, &view,
					   error);
	if (g_str_equal (event, PX_PLUGIN_EVENT_VALIDATE))
		return px_plugin_call_validate (plugin, px_test_handler (plugin, event), &call,
						&view, refusal != NULL ? refusal : &ignored, error);
	return px_plugin_call_notify (plugin, px_test_handler (plugin, event), &call, &view, error);
}

static void
test_plugin_globals_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxPlugin) first =
	    px_test_load_ok (fixture, "first",
			     "local px = ...\n"
			     "secret = 'first'\n"
			     "rawset(_G, 'raw', 'first')\n"
			     "string.upper = function () return 'PWNED' end\n"
			     "px.on('search.rewrite', function (q) later = q return nil end)\n");
	g_autoptr (PxPlugin) second = px_test_load_ok (
	    fixture, "second",
	    "local px = ...\n"
	    "px.on('search.rewrite', function (q)\n"
	    "  return tostring(secret) .. tostring(raw) .. tostring(later) .. ('x'):upper()\n"
	    "end)\n");
	g_autofree char *theirs = NULL;

	g_assert_null (px_test_rewrite_ok (first, "query"));
	theirs = px_test_rewrite_ok (second, "q");
	g_assert_cmpstr (theirs, ==, "nilnilnilX");
}

static void
test_plugin_require_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GByteArray) bytes = px_test_bytecode ();
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPlugin) plugin = NULL;
	g_autoptr (PxPlugin) single = NULL;
	g_autofree char *result = NULL;

	px_test_write (fixture->dir, "mods/helper.lua", "local px = ... return {name = px.name}",
		       -1);
	px_test_write (fixture->dir, "mods/sub/deep.lua", "return 'deep'", -1);
	px_test_write (fixture->dir, "mods/dumped.lua", (const char *)bytes->data, bytes->len);
	px_test_write (fixture->dir, "x.lua", "return 'outside'", -1);
	px_test_write (fixture->dir, "mods/init.lua",
		       "local px = ...\n"
		       "local helper = require('helper')\n"
		       "assert(require('helper', 'extra') == helper)\n"
		       "assert(require('helper') == helper)\n"
		       "local function try (name)\n"
		       "  local ok, e = pcall(require, name)\n"
		       "  return ok and ('LOADED ' .. tostring(e)) or e\n"
		       "end\n"
		       "px.on('search.rewrite', function (q)\n"
		       "  return table.concat({helper.name, require('sub.deep'), try('../x'),\n"
		       "    try('/etc/passwd'), try('socket.core'), try('dumped'), try('.x'),\n"
		       "    try('sub/deep'), try('x.')}, '|')\n"
		       "end)\n",
		       -1);
	plugin = px_plugin_load ("mods", fixture->dir, NULL, &fixture->limits, &error);
	g_assert_no_error (error);
	result = px_test_rewrite_ok (plugin, "q");
	g_test_message ("%s", result);
	g_assert_true (g_str_has_prefix (result, "mods|deep|"));
	g_assert_nonnull (strstr (result, "require: '../x' is not a module name"));
	g_assert_nonnull (strstr (result, "require: '/etc/passwd' is not a module name"));
	g_assert_nonnull (strstr (result, "socket/core.lua"));
	g_assert_nonnull (strstr (result, "mods/dumped.lua: a binary chunk (bytecode)"));
	g_assert_nonnull (strstr (result, "'.x' is not a module name"));
	g_assert_nonnull (strstr (result, "'sub/deep' is not a module name"));
	g_assert_nonnull (strstr (result, "'x.' is not a module name"));
	g_assert_null (strstr (result, "LOADED"));
	g_assert_null (strstr (result, "outside"));
	single = px_test_load_ok (fixture, "single",
				  "local px = ...\n"
				  "px.on('search.rewrite', function (q)\n"
				  "  return select(2, pcall(require, 'x'))\n"
				  "end)\n");
	g_clear_pointer (&result, g_free);
	result = px_test_rewrite_ok (single, "q");
	g_assert_nonnull (strstr (result, "a one-file plugin has no modules"));
}

/* a plugin's file of bytecode does not load */
static void
test_plugin_bytecode_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GByteArray) bytes = px_test_bytecode ();
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPlugin) plugin = NULL;

	px_test_write (fixture->dir, "dumped.lua", (const char *)bytes->data, bytes->len);
	plugin = px_plugin_load ("dumped", fixture->dir, NULL, &fixture->limits, &error);
	g_assert_null (plugin);
	g_assert_nonnull (error);
	g_assert_nonnull (strstr (error->message, "dumped.lua: a binary chunk (bytecode): plugins "
						  "are loaded from Lua text only"));
}

/* a practice object kept past its call, or a read-only one changed */
static void
test_plugin_practice_object_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxPlugin) plugin = px_test_load_ok (
	    fixture, "stash",
	    "local px = ...\n"
	    "px.on('practice.tag', function (p)\n"
	    "  if stash then\n"
	    "    local ok, e = pcall(function () return stash.title end)\n"
	    "    last = e\n"
	    "  end\n"
	    "  stash = p\n"
	    "  assert(p.title == 'Language café')\n"
	    "  assert(p:add('themes', 'language-learning'))\n"
	    "end)\n"
	    "px.on('practice.submitted', function (p) p:set('city', 'Malmö') end)\n"
	    "px.on('practice.published', function (p) p:add('themes', 'x') end)\n"
	    "px.on('search.rewrite', function (q)\n"
	    "  local ok, e = pcall(function () return stash:set('city', 'x') end)\n"
	    "  return tostring(last) .. '|' .. e\n"
	    "end)\n");
	g_autoptr (GError) error = NULL;
	g_autofree char *result = NULL;

	g_assert_true (px_test_event (plugin, PX_PLUGIN_EVENT_TAG, NULL, &error));
	g_assert_no_error (error);
	g_assert_true (px_test_event (plugin, PX_PLUGIN_EVENT_TAG, NULL, &error));
	g_assert_no_error (error);
	result = px_test_rewrite_ok (plugin, "q");
	g_test_message ("%s", result);
	g_assert_nonnull (strstr (result, "has expired: it is valid during its call only|"));
	g_assert_true (g_str_has_suffix (result, "has expired: it is valid during its call only"));
	g_assert_false (px_test_event (plugin, "practice.submitted", NULL, &error));
	g_assert_nonnull (strstr (error->message, "p:set: the practice is read-only in"));
	g_clear_error (&error);
	g_assert_false (px_test_event (plugin, "practice.published", NULL, &error));
	g_assert_nonnull (strstr (error->message, "p:add: the practice is read-only in"));
}

/* an error in every event: stopped, named, with its traceback */
static void
test_plugin_error_every_event_func (Fixture *fixture, gconstpointer data)
{
	static const char *const events[] = {
	    "practice.validate",  "practice.tag",
	    "practice.submitted", "practice.updated",
	    "practice.published", "practice.rejected",
	    "practice.deleted",	  "practice.imported",
	    "search.rewrite",	  NULL,
	};
	g_autoptr (PxPlugin) plugin = NULL;
	g_autoptr (GString) code = g_string_new ("local px = ...\n");

	fixture->limits.max_failures = 1000;
	for (const char *const *event = events; *event != NULL; event++)
		g_string_append_printf (
		    code, "px.on('%s', function () error('failed in %s') end)\n", *event, *event);
	plugin = px_test_load_ok (fixture, "erring", code->str);
	for (const char *const *event = events; *event != NULL; event++) {
		g_autoptr (GError) error = NULL;
		g_autofree char *expected = g_strdup_printf ("plugin erring, %s: ", *event);
		g_autofree char *where = g_strdup_printf ("erring.lua:%d: failed in %s",
							  (int)(event - events) + 2, *event);

		g_assert_false (px_test_event (plugin, *event, NULL, &error));
		g_test_message ("%s", error->message);
		g_assert_true (g_str_has_prefix (error->message, expected));
		g_assert_nonnull (strstr (error->message, where));
		g_assert_nonnull (strstr (error->message, "stack traceback:"));
	}
	g_assert_null (px_plugin_dup_disabled_reason (plugin));
	g_assert_cmpuint (px_plugin_get_memory (plugin), <, PX_TEST_STATE_MAX);
}

/* faults in a handler: stopped, named, and the plugin answers the next call */
static void
test_plugin_faults_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxPlugin) plugin = NULL;
	g_autoptr (GString) code = g_string_new ("local px = ...\nlocal faults = {\n");

	fixture->limits.max_failures = 1000;
	for (guint i = 0; i < G_N_ELEMENTS (px_test_faults); i++)
		g_string_append_printf (code, "  function () %s end,\n", px_test_faults[i].code);
	g_string_append (code, "}\n"
			       "px.on('search.rewrite', function (q)\n"
			       "  if q == 'ok' then return 'fine' end\n"
			       "  return faults[tonumber(q)]()\n"
			       "end)\n");
	plugin = px_test_load_ok (fixture, "faulty", code->str);
	for (guint i = 0; i < G_N_ELEMENTS (px_test_faults); i++) {
		g_autoptr (GError) error = NULL;
		g_autofree char *query = g_strdup_printf ("%u", i + 1);
		g_autofree char *rewritten = px_test_rewrite (plugin, query, &error);
		g_autofree char *fine = NULL;

		g_assert_null (rewritten);
		g_assert_nonnull (error);
		g_test_message ("%s: %s", px_test_faults[i].what, error->message);
		g_assert_true (
		    g_str_has_prefix (error->message, "plugin faulty, search.rewrite: "));
		g_assert_true (px_test_has_any (error->message, px_test_faults[i].message));
		if (px_test_faults[i].traceback)
			g_assert_nonnull (strstr (error->message, "stack traceback:"));
		fine = px_test_rewrite_ok (plugin, "ok");
		g_assert_cmpstr (fine, ==, "fine");
		g_assert_cmpuint (px_plugin_get_memory (plugin), <, PX_TEST_STATE_MAX);
	}
}

/* what a handler returns that the host cannot use */
static void
test_plugin_garbage_func (Fixture *fixture, gconstpointer data)
{
	static const struct {
		const char *query;
		const char *message;
	} rewrites[] = {
	    {"number", "search.rewrite handler returned a number, not a string or nil"},
	    {"table", "search.rewrite handler returned a table, not a string or nil"},
	    {"invalid", "returned a query that is not text of at most 4096 bytes"},
	    {"huge", "returned a query that is not text of at most 4096 bytes"},
	    {"nul", "returned a query that is not text of at most 4096 bytes"},
	};
	g_autoptr (PxPlugin) plugin = NULL;
	g_autoptr (GError) error = NULL;
	char *refusal = NULL;

	fixture->limits.max_failures = 1000;
	plugin =
	    px_test_load_ok (fixture, "garbage",
			     "local px = ...\n"
			     "local answers = {number = 42, table = {}, invalid = '\\xff\\xfe',\n"
			     "  huge = ('x'):rep(1024 * 1024), nul = 'a\\0b'}\n"
			     "px.on('search.rewrite', function (q) return answers[q] end)\n"
			     "local mode = 'table'\n"
			     "px.on('practice.tag', function (p) mode = p.title end)\n"
			     "px.on('practice.validate', function (p)\n"
			     "  if mode == 'table' then return {} end\n"
			     "  if mode == 'message' then return false, {} end\n"
			     "  if mode == 'long' then return false, ('é'):rep(10000) end\n"
			     "  if mode == 'invalid' then return false, '\\xff' end\n"
			     "  return true\n"
			     "end)\n");
	for (guint i = 0; i < G_N_ELEMENTS (rewrites); i++) {
		g_autofree char *rewritten = px_test_rewrite (plugin, rewrites[i].query, &error);

		g_assert_null (rewritten);
		g_assert_nonnull (error);
		g_assert_nonnull (strstr (error->message, rewrites[i].message));
		g_clear_error (&error);
	}
	/* the validator's answers: a table is an error; a refusal's message is text or nothing */
	g_assert_false (px_test_event (plugin, PX_PLUGIN_EVENT_VALIDATE, &refusal, &error));
	g_assert_nonnull (strstr (error->message,
				  "practice.validate handler returned a table, not false or true"));
	g_clear_error (&error);
	{
		g_autoptr (PxPractice) practice = px_test_practice ();
		g_autoptr (PxPractice) additions = px_practice_new ();
		PxLuaPracticeView view = {practice, additions, NULL, PX_PLUGIN_EVENT_TAG};
		PxLuaPracticeView validate = {practice, NULL, NULL, PX_PLUGIN_EVENT_VALIDATE};
		const char *modes[] = {"message", "long", "invalid"};
		PxLuaCall call = {0};

		for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
			g_free (practice->title);
			practice->title = g_strdup (modes[i]);
			g_assert_true (px_plugin_call_tag (
			    plugin, px_test_handler (plugin, PX_PLUGIN_EVENT_TAG), &call, &view,
			    &error));
			g_assert_true (px_plugin_call_validate (
			    plugin, px_test_handler (plugin, PX_PLUGIN_EVENT_VALIDATE), &call,
			    &validate, &refusal, &error));
			g_assert_no_error (error);
			g_assert_nonnull (refusal);
			g_assert_true (g_utf8_validate (refusal, -1, NULL));
			g_assert_cmpuint (g_utf8_strlen (refusal, -1), <=, 500);
			g_clear_pointer (&refusal, g_free);
		}
	}
}

typedef struct {
	const char *what;
	const char *code;
	const char *options; /* key=value, or NULL */
	const char *message;
} PxTestLoadFailure;

static const PxTestLoadFailure px_test_load_failures[] = {
    {"syntax error", "local px = ...\n\nlocal x = = 1\n", NULL, "broken.lua:3: unexpected symbol"},
    {"runtime error", "local px = ...\nlocal t = nil\nreturn t.x\n", NULL,
     "broken.lua:3: attempt to index a nil value"},
    {"endless loop at load", "while true do end\n", NULL, "instruction budget exceeded"},
    {"memory bomb at load", "local s = ('x'):rep(1e9)\n", NULL, "memory limit exceeded"},
    {"option above its max", "local px = ...\npx.option('count', {type = 'integer', max = 10})\n",
     "count=11", "[plugin:broken] count: must be at most 10"},
    {"option below its min", "local px = ...\npx.option('ratio', {type = 'number', min = 0.5})\n",
     "ratio=0.25", "[plugin:broken] ratio: must be at least 0.5"},
    {"option not a number", "local px = ...\npx.option('count', {type = 'integer'})\n",
     "count=lots", "[plugin:broken] count: 'lots' is not an integer"},
    {"option not a boolean", "local px = ...\npx.option('on', {type = 'boolean'})\n", "on=maybe",
     "[plugin:broken] on: 'maybe' is not true or false"},
    {"option not a choice", "local px = ...\npx.option('mode', {choices = {'a', 'b'}})\n", "mode=c",
     "[plugin:broken] mode: 'c' is not one of the choices"},
    {"unknown event", "local px = ...\npx.on('practice.exploded', function () end)\n", NULL,
     "broken.lua:2: px.on: unknown event 'practice.exploded'"},
    {"bad timer", "local px = ...\npx.every(0, function () end)\n", NULL,
     "px.every: seconds must be in 1..604800"},
};

static void
test_plugin_load_failure_func (Fixture *fixture, gconstpointer data)
{
	for (guint i = 0; i < G_N_ELEMENTS (px_test_load_failures); i++) {
		const PxTestLoadFailure *failure = &px_test_load_failures[i];
		g_autoptr (GHashTable) options =
		    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		g_autoptr (GError) error = NULL;
		g_autoptr (PxPlugin) plugin = NULL;

		if (failure->options != NULL) {
			g_auto (GStrv) pair = g_strsplit (failure->options, "=", 2);

			g_hash_table_insert (options, g_strdup (pair[0]), g_strdup (pair[1]));
		}
		px_test_write (fixture->dir, "broken.lua", failure->code, -1);
		plugin = px_plugin_load ("broken", fixture->dir, options, &fixture->limits, &error);
		g_assert_null (plugin);
		g_assert_nonnull (error);
		g_test_message ("%s: %s", failure->what, error->message);
		g_assert_nonnull (strstr (error->message, failure->message));
		g_assert_true (g_utf8_validate (error->message, -1, NULL));
	}
}

/* registrations only while loading: a handler cannot add handlers or timers later */
static void
test_plugin_register_late_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxPlugin) plugin = px_test_load_ok (
	    fixture, "late",
	    "local px = ...\n"
	    "px.on('search.rewrite', function (q)\n"
	    "  local results = {}\n"
	    "  for _, f in ipairs({function () px.on('search.rewrite', print) end,\n"
	    "    function () px.every(1, print) end, function () px.importer('x', print) end}) do\n"
	    "    results[#results + 1] = select(2, pcall(f))\n"
	    "  end\n"
	    "  return table.concat(results, '|')\n"
	    "end)\n");
	g_autofree char *result = px_test_rewrite_ok (plugin, "q");

	g_assert_nonnull (strstr (result, "px.on: only while the plugin loads"));
	g_assert_nonnull (strstr (result, "px.every: only while the plugin loads"));
	g_assert_nonnull (strstr (result, "px.importer: only while the plugin loads"));
	g_assert_cmpuint (px_plugin_get_handlers (plugin)->len, ==, 1);
	g_assert_cmpuint (px_plugin_get_timers (plugin)->len, ==, 0);
}

/* a plugin failing max_failures times in a row is disabled, and says why */
static void
test_plugin_disabled_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxPlugin) plugin =
	    px_test_load_ok (fixture, "flaky",
			     "local px = ...\n"
			     "px.on('search.rewrite', function (q)\n"
			     "  if q == 'loop' then while true do end end\n"
			     "  return q .. '!'\n"
			     "end)\n");
	g_autoptr (GError) error = NULL;
	g_autofree char *reason = NULL;
	g_autofree char *fine = NULL;

	/* failures in a row: one success between resets the count */
	for (int i = 0; i < 2; i++) {
		g_assert_null (px_test_rewrite (plugin, "loop", &error));
		g_clear_error (&error);
	}
	fine = px_test_rewrite_ok (plugin, "fine");
	g_assert_cmpstr (fine, ==, "fine!");
	g_assert_null (px_plugin_dup_disabled_reason (plugin));
	for (int i = 0; i < 3; i++) {
		g_assert_null (px_test_rewrite (plugin, "loop", &error));
		g_assert_nonnull (strstr (error->message, "instruction budget exceeded"));
		g_clear_error (&error);
	}
	reason = px_plugin_dup_disabled_reason (plugin);
	g_assert_nonnull (reason);
	g_test_message ("%s", reason);
	g_assert_true (
	    g_str_has_prefix (reason, "failed 3 times in a row; last, in search.rewrite: "));
	g_assert_nonnull (strstr (reason, "instruction budget exceeded"));
	g_assert_null (px_test_rewrite (plugin, "fine", &error));
	g_assert_nonnull (strstr (error->message, "plugin flaky is disabled: failed 3 times"));
}

/* sets */

static PxConfig *
px_test_config (Fixture *fixture, const char *text)
{
	g_autofree char *path = g_build_filename (fixture->dir, "praxis.conf", NULL);
	g_autofree char *full = g_strdup_printf ("[plugins]\ndir = .\n%s", text);
	g_autoptr (GError) error = NULL;
	PxConfig *config;

	g_file_set_contents (path, full, -1, &error);
	g_assert_no_error (error);
	config = px_config_load (path, &error);
	g_assert_no_error (error);
	return config;
}

static PxPluginsInfo *
px_test_info (GPtrArray *infos, const char *name)
{
	for (guint i = 0; i < infos->len; i++)
		if (g_str_equal (((PxPluginsInfo *)g_ptr_array_index (infos, i))->name, name))
			return g_ptr_array_index (infos, i);
	g_assert_not_reached ();
}

/* px_plugins_list reports the failed and the disabled with their reasons; a reload replaces them
 */
static void
test_plugins_list_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (GPtrArray) infos = NULL;
	g_autoptr (GError) error = NULL;
	PxPluginsInfo *info;

	px_test_write (fixture->dir, "looping.lua",
		       "local px = ...\n"
		       "px.on('search.rewrite', function (q) while true do end end, 5)\n",
		       -1);
	px_test_write (fixture->dir, "glossary.lua",
		       "local px = ...\n"
		       "px.on('search.rewrite', function (q) return q .. ' OR cafe' end)\n",
		       -1);
	px_test_write (fixture->dir, "broken.lua", "local px = ...\nlocal = 1\n", -1);
	config = px_test_config (fixture, "enabled = looping;glossary;broken;missing\n"
					  "max_failures = 2\ninstructions = 100000\n");
	plugins = px_plugins_new (config, NULL, &error);
	g_assert_no_error (error);
	for (int i = 0; i < 4; i++) {
		g_autofree char *rewritten = px_plugins_rewrite_query (plugins, "cafe");

		/* the looping one fails first; the query is rewritten by the other all the same */
		g_assert_cmpstr (rewritten, ==, "cafe OR cafe");
	}
	infos = px_plugins_list (plugins);
	g_assert_cmpuint (infos->len, ==, 4);
	info = px_test_info (infos, "looping");
	g_assert_cmpint (info->status, ==, PX_PLUGINS_STATUS_DISABLED);
	g_assert_nonnull (strstr (info->reason, "failed 2 times in a row"));
	g_assert_nonnull (strstr (info->reason, "instruction budget exceeded"));
	g_assert_cmpstr (info->events[0], ==, "search.rewrite (5)");
	info = px_test_info (infos, "glossary");
	g_assert_cmpint (info->status, ==, PX_PLUGINS_STATUS_LOADED);
	g_assert_null (info->reason);
	info = px_test_info (infos, "broken");
	g_assert_cmpint (info->status, ==, PX_PLUGINS_STATUS_FAILED);
	g_assert_nonnull (strstr (info->reason, "broken.lua:2:"));
	info = px_test_info (infos, "missing");
	g_assert_cmpint (info->status, ==, PX_PLUGINS_STATUS_FAILED);
	g_assert_nonnull (strstr (info->reason, "missing.lua"));
	/* fixed, reloaded: loaded again, the old handlers gone */
	px_test_write (fixture->dir, "looping.lua",
		       "local px = ...\n"
		       "px.on('search.rewrite', function (q) return 'fixed' end, 5)\n",
		       -1);
	g_clear_pointer (&config, px_config_free);
	config = px_test_config (fixture, "enabled = looping;broken\n");
	g_assert_true (px_plugins_reload (plugins, &error));
	g_assert_no_error (error);
	g_clear_pointer (&infos, g_ptr_array_unref);
	infos = px_plugins_list (plugins);
	g_assert_cmpuint (infos->len, ==, 2);
	g_assert_cmpint (px_test_info (infos, "looping")->status, ==, PX_PLUGINS_STATUS_LOADED);
	{
		g_autofree char *rewritten = px_plugins_rewrite_query (plugins, "cafe");

		g_assert_cmpstr (rewritten, ==, "fixed");
	}
	/* a bad [plugins] keeps the set */
	g_clear_pointer (&config, px_config_free);
	config = px_test_config (fixture, "enabled = glossary\nmemory_mb = lots\n");
	g_assert_false (px_plugins_reload (plugins, &error));
	g_assert_nonnull (strstr (error->message, "memory_mb"));
	{
		g_autofree char *rewritten = px_plugins_rewrite_query (plugins, "cafe");

		g_assert_cmpstr (rewritten, ==, "fixed");
	}
}

/* an importer whose own practice.tag handler loops: the nested run inside the importer's
 * coroutine is stopped alone, the importer goes on with its own budget, its records written */
static void
test_plugins_nested_tag_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (PxPractices) practices = px_practices_new ();
	g_autoptr (PxStore) store = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *db = g_build_filename (fixture->dir, "test.db", NULL);
	PxLuaImportStats stats = {0};

	px_test_write (fixture->dir, "nested.lua",
		       "local px = ...\n"
		       "px.on('practice.tag', function (p)\n"
		       "  if p.title == 'Loop' then while true do end end\n"
		       "  if p.title == 'Bomb' then local s = ('x'):rep(1e9) end\n"
		       "  p:add('themes', 'housing')\n"
		       "end)\n"
		       "px.importer('nested', function (source, emit)\n"
		       "  for _, title in ipairs({'Loop', 'Fine', 'Bomb', 'Loop', 'Fine'}) do\n"
		       "    local n = 0\n"
		       "    for i = 1, 100000 do n = n + 1 end\n"
		       "    assert(emit({uid = 'u-' .. title .. n .. _, title = title,\n"
		       "      summary = 'A summary.'}))\n"
		       "  end\n"
		       "end)\n",
		       -1);
	config = px_test_config (fixture, "enabled = nested\nmax_failures = 100\n"
					  "instructions = 1000000\n");
	plugins = px_plugins_new (config, NULL, &error);
	g_assert_no_error (error);
	px_plugins_attach (plugins, practices, NULL, NULL);
	store = px_store_open (db, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	g_assert_true (
	    px_plugins_import (plugins, "nested", "-", practices, store, &stats, NULL, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (stats.added, ==, 5);
	g_assert_cmpuint (stats.rejected, ==, 0);
}

/* faults in a task (an importer's coroutine): stopped, named, and the plugin runs the next one;
 * a dead coroutine's pending to-be-closed variables are never run (with hooks off after a trip
 * of the count hook, and outside protected mode, they could loop forever or panic) */
static void
test_plugins_task_faults_func (Fixture *fixture, gconstpointer data)
{
	static const struct {
		const char *code;
		const char *message;
	} faults[] = {
	    {"while true do end", "instruction budget exceeded"},
	    {"while true do xpcall(function () while true do end end, function () while true do "
	     "end end) end",
	     "instruction budget exceeded"},
	    {"local x <close> = setmetatable({}, {__close = function () error('in close') end}) "
	     "error('boom')",
	     "boom"},
	    {"local x <close> = setmetatable({}, {__close = function () while true do end end}) "
	     "while true do end",
	     "instruction budget exceeded"},
	    /* the stack's memory may run out before its slots */
	    {"local function f () return 1 + f () end return f ()",
	     "stack overflow|memory limit exceeded"},
	    {"local s = ('x'):rep(1e9)", "memory limit exceeded"},
	    {"local t = {} local i = 0 while true do i = i + 1 t[i] = {i} end",
	     "memory limit exceeded"},
	};
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (PxPractices) practices = px_practices_new ();
	g_autoptr (PxStore) store = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *db = g_build_filename (fixture->dir, "test.db", NULL);
	g_autoptr (GString) code = g_string_new ("local px = ...\nlocal faults = {\n");

	for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
		g_string_append_printf (code, "  function () %s end,\n", faults[i].code);
	g_string_append (code, "}\n"
			       "px.importer('faulty', function (source, emit)\n"
			       "  if source.name == 'ok' then\n"
			       "    assert(emit({uid = 'ok', title = 'Fine', summary = 's'}))\n"
			       "    return\n"
			       "  end\n"
			       "  faults[tonumber(source.name)]()\n"
			       "end)\n");
	px_test_write (fixture->dir, "faulty.lua", code->str, -1);
	config = px_test_config (fixture, "enabled = faulty\nmax_failures = 100\n"
					  "task_instructions = 20000000\n");
	plugins = px_plugins_new (config, NULL, &error);
	g_assert_no_error (error);
	px_plugins_attach (plugins, practices, NULL, NULL);
	store = px_store_open (db, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < G_N_ELEMENTS (faults); i++) {
		g_autofree char *source = g_strdup_printf ("%u", i + 1);
		PxLuaImportStats stats = {0};

		g_assert_false (px_plugins_import (plugins, "faulty", source, practices, store,
						   &stats, NULL, &error));
		g_assert_nonnull (error);
		g_test_message ("%s: %s", faults[i].code, error->message);
		g_assert_true (g_str_has_prefix (error->message, "plugin faulty: "));
		g_assert_true (px_test_has_any (error->message, faults[i].message));
		g_clear_error (&error);
		g_assert_true (px_plugins_import (plugins, "faulty", "ok", practices, store, &stats,
						  NULL, &error));
		g_assert_no_error (error);
	}
}

/* the source an importer gets reads the file it was given, and no other */
static void
test_plugins_source_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (PxPractices) practices = px_practices_new ();
	g_autoptr (PxStore) store = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *db = g_build_filename (fixture->dir, "test.db", NULL);
	g_autofree char *given = g_build_filename (fixture->dir, "given.txt", NULL);
	g_autofree char *secret = g_build_filename (fixture->dir, "secret.txt", NULL);
	g_autofree char *code = NULL;
	PxLuaImportStats stats = {0};

	px_test_write (fixture->dir, "given.txt", "given", -1);
	px_test_write (fixture->dir, "secret.txt", "SECRET", -1);
	code = g_strdup_printf (
	    "local px = ...\n"
	    "px.importer('reader', function (source, emit)\n"
	    "  local got = {source:read()}\n"
	    "  for _, forged in ipairs({{name = '%s'}, {name = '/etc/hostname'}}) do\n"
	    "    local ok, text = pcall(source.read, forged)\n"
	    "    got[#got + 1] = ok and (text:gsub('%%c', '')) or 'refused'\n"
	    "  end\n"
	    "  local ok, text = pcall(source.read, setmetatable({}, {__index = function () "
	    "return '%s' end}))\n"
	    "  got[#got + 1] = ok and text or 'refused'\n"
	    "  assert(emit({uid = 'read', title = table.concat(got, ' '), summary = 's'}))\n"
	    "end)\n",
	    secret, secret);
	px_test_write (fixture->dir, "reader.lua", code, -1);
	config = px_test_config (fixture, "enabled = reader\n");
	plugins = px_plugins_new (config, NULL, &error);
	g_assert_no_error (error);
	px_plugins_attach (plugins, practices, NULL, NULL);
	store = px_store_open (db, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	g_assert_true (
	    px_plugins_import (plugins, "reader", given, practices, store, &stats, NULL, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (stats.added, ==, 1);
	{
		g_autoptr (PxPractice) stored = px_records_get_by_uid (store, "read", &error);

		g_assert_no_error (error);
		g_test_message ("%s", stored->title);
		g_assert_null (strstr (stored->title, "SECRET"));
		g_assert_true (g_str_has_prefix (stored->title, "given"));
	}
}

/* a plugin busy on another thread (the writer's, the timers') never blocks search.rewrite on
 * the main thread: the rewrite goes on without it */
typedef struct {
	PxPlugin *plugin;
	GMutex lock;
	GCond cond;
	gboolean started;
} PxTestBusy;

static GLogWriterOutput
px_test_busy_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
			gpointer user_data)
{
	PxTestBusy *busy = user_data;

	for (gsize i = 0; i < n_fields; i++)
		if (g_str_equal (fields[i].key, "MESSAGE") &&
		    strstr (fields[i].value, "plugin busy: looping now") != NULL) {
			g_mutex_lock (&busy->lock);
			busy->started = TRUE;
			g_cond_signal (&busy->cond);
			g_mutex_unlock (&busy->lock);
		}
	return g_log_writer_default (level, fields, n_fields, user_data);
}

static gpointer
px_test_busy_thread (gpointer user_data)
{
	PxTestBusy *busy = user_data;
	g_autoptr (GError) error = NULL;

	g_assert_false (px_test_event (busy->plugin, PX_PLUGIN_EVENT_TAG, NULL, &error));
	g_assert_nonnull (strstr (error->message, "instruction budget exceeded"));
	return NULL;
}

static void
test_plugin_busy_func (Fixture *fixture, gconstpointer data)
{
	PxTestBusy busy = {0};
	g_autoptr (GError) error = NULL;
	GThread *thread;

	if (!g_test_subprocess ()) {
		g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
		g_test_trap_assert_passed ();
		return;
	}
	/* long enough for the rewrite below to come while it loops; it ends by its budget */
	fixture->limits.call.instructions = 200000000;
	busy.plugin =
	    px_test_load_ok (fixture, "busy",
			     "local px = ...\n"
			     "px.on('practice.tag', function (p)\n"
			     "  px.log('info', 'looping now')\n"
			     "  while true do end\n"
			     "end)\n"
			     "px.on('search.rewrite', function (q) return q .. '!' end)\n");
	g_mutex_init (&busy.lock);
	g_cond_init (&busy.cond);
	g_log_set_writer_func (px_test_busy_writer_cb, &busy, NULL);
	thread = g_thread_new ("busy", px_test_busy_thread, &busy);
	g_mutex_lock (&busy.lock);
	while (!busy.started)
		g_cond_wait (&busy.cond, &busy.lock);
	g_mutex_unlock (&busy.lock);
	/* the tagger loops: were the rewrite to wait for the plugin's lock, it would run after
	 * the loop's end and answer "q!" */
	g_assert_null (px_test_rewrite (busy.plugin, "q", &error));
	g_assert_nonnull (strstr (error->message, "plugin busy is busy"));
	g_thread_join (thread);
	px_plugin_unref (busy.plugin);
}

/* reloads while calls run in the old set on other threads, and while the timers' thread runs:
 * a call finishes in the set it started in (its plugins stay alive until it returns), and the
 * old timers are swapped out on the timers' thread (ASan sees every use after free) */
typedef struct {
	PxPlugins *plugins;
	gint calls;
} PxTestReload;

static gpointer
px_test_reload_thread (gpointer user_data)
{
	PxTestReload *reload = user_data;

	for (int i = 0; i < 10; i++) {
		g_autofree char *rewritten = px_plugins_rewrite_query (reload->plugins, "q");

		g_atomic_int_inc (&reload->calls);
	}
	return NULL;
}

static void
test_plugins_reload_running_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxPlugins) plugins = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *db = g_build_filename (fixture->dir, "test.db", NULL);
	g_autofree char *text = NULL;
	PxTestReload reload = {0};
	GThread *threads[2];

	/* each rewrite spins 3 million instructions, then answers */
	px_test_write (fixture->dir, "spinner.lua",
		       "local px = ...\n"
		       "px.every(3600, function () end)\n"
		       "px.on('search.rewrite', function (q)\n"
		       "  local n = 0 for i = 1, 1500000 do n = n + 1 end\n"
		       "  return q .. n\n"
		       "end)\n",
		       -1);
	text = g_strdup_printf ("enabled = spinner\n[database]\npath = %s\n", db);
	config = px_test_config (fixture, text);
	plugins = px_plugins_new (config, NULL, &error);
	g_assert_no_error (error);
	g_assert_true (px_plugins_start (plugins, config, &error));
	g_assert_no_error (error);
	reload.plugins = plugins;
	for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
		threads[i] = g_thread_new ("rewrite", px_test_reload_thread, &reload);
	for (int i = 0; i < 20; i++) {
		g_assert_true (px_plugins_reload (plugins, &error));
		g_assert_no_error (error);
	}
	for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
		g_thread_join (threads[i]);
	g_assert_cmpint (g_atomic_int_get (&reload.calls), ==, 20);
	{
		g_autofree char *rewritten = px_plugins_rewrite_query (plugins, "q");

		g_assert_cmpstr (rewritten, ==, "q1500000");
	}
	px_plugins_stop (plugins);
}

/* what a plugin logs (print, warn, px.log) reaches the log bounded and valid UTF-8 */
typedef struct {
	gsize longest;
	guint lines;
	gboolean valid;
} PxTestLogged;

static GLogWriterOutput
px_test_logged_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
			  gpointer user_data)
{
	PxTestLogged *logged = user_data;

	for (gsize i = 0; i < n_fields; i++)
		if (g_str_equal (fields[i].key, "MESSAGE") &&
		    g_str_has_prefix (fields[i].value, "plugin loud: ")) {
			logged->lines++;
			logged->longest = MAX (logged->longest, strlen (fields[i].value));
			logged->valid &= g_utf8_validate (fields[i].value, -1, NULL);
		}
	return G_LOG_WRITER_HANDLED;
}

static void
test_plugin_log_func (Fixture *fixture, gconstpointer data)
{
	PxTestLogged logged = {0, 0, TRUE};
	g_autoptr (PxPlugin) plugin = NULL;
	g_autofree char *result = NULL;

	if (!g_test_subprocess ()) {
		g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
		g_test_trap_assert_passed ();
		return;
	}
	g_log_set_writer_func (px_test_logged_writer_cb, &logged, NULL);
	plugin = px_test_load_ok (fixture, "loud",
				  "local px = ...\n"
				  "px.on('search.rewrite', function (q)\n"
				  "  print(('x'):rep(1e6), 'and more')\n"
				  "  px.log('info', ('y'):rep(1e6))\n"
				  "  px.log('error', '\\xff\\xfe bytes')\n"
				  "  warn(('z'):rep(1e6), ('w'):rep(1e6))\n"
				  "  print('\\xc3')\n"
				  "  return 'logged'\n"
				  "end)\n");
	result = px_test_rewrite_ok (plugin, "q");
	g_assert_cmpstr (result, ==, "logged");
	g_assert_cmpuint (logged.lines, ==, 5);
	g_assert_cmpuint (logged.longest, <, 4096);
	g_assert_true (logged.valid);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	/* a plugin's failure is a warning in the log, not a failed test; a critical still is */
	g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	for (guint i = 0; i < G_N_ELEMENTS (px_test_escapes); i++) {
		g_autofree char *path =
		    g_strdup_printf ("/praxis/sandbox/escape/%s", px_test_escapes[i].what);

		g_test_add_data_func (path, &px_test_escapes[i], test_sandbox_escape_func);
	}
	for (guint i = 0; i < G_N_ELEMENTS (px_test_faults); i++) {
		g_autofree char *path =
		    g_strdup_printf ("/praxis/sandbox/fault/%s", px_test_faults[i].what);

		g_test_add_data_func (path, &px_test_faults[i], test_sandbox_fault_func);
	}
	g_test_add_func ("/praxis/sandbox/bytecode", test_sandbox_bytecode_func);
	g_test_add_func ("/praxis/sandbox/string-metatable", test_sandbox_string_metatable_func);
	g_test_add_func ("/praxis/sandbox/gc-metamethod", test_sandbox_gc_metamethod_func);
	g_test_add_func ("/praxis/sandbox/message", test_sandbox_message_func);
	g_test_add_func ("/praxis/sandbox/budget", test_sandbox_budget_func);
	g_test_add ("/praxis/plugin/globals", Fixture, NULL, fixture_set_up,
		    test_plugin_globals_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/require", Fixture, NULL, fixture_set_up,
		    test_plugin_require_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/bytecode", Fixture, NULL, fixture_set_up,
		    test_plugin_bytecode_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/practice-object", Fixture, NULL, fixture_set_up,
		    test_plugin_practice_object_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/error-every-event", Fixture, NULL, fixture_set_up,
		    test_plugin_error_every_event_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/faults", Fixture, NULL, fixture_set_up, test_plugin_faults_func,
		    fixture_tear_down);
	g_test_add ("/praxis/plugin/garbage", Fixture, NULL, fixture_set_up,
		    test_plugin_garbage_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/load-failure", Fixture, NULL, fixture_set_up,
		    test_plugin_load_failure_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/register-late", Fixture, NULL, fixture_set_up,
		    test_plugin_register_late_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/disabled", Fixture, NULL, fixture_set_up,
		    test_plugin_disabled_func, fixture_tear_down);
	g_test_add ("/praxis/plugin/log", Fixture, NULL, fixture_set_up, test_plugin_log_func,
		    fixture_tear_down);
	g_test_add ("/praxis/plugin/busy", Fixture, NULL, fixture_set_up, test_plugin_busy_func,
		    fixture_tear_down);
	g_test_add ("/praxis/plugins/list", Fixture, NULL, fixture_set_up, test_plugins_list_func,
		    fixture_tear_down);
	g_test_add ("/praxis/plugins/nested-tag", Fixture, NULL, fixture_set_up,
		    test_plugins_nested_tag_func, fixture_tear_down);
	g_test_add ("/praxis/plugins/reload-running", Fixture, NULL, fixture_set_up,
		    test_plugins_reload_running_func, fixture_tear_down);
	g_test_add ("/praxis/plugins/task-faults", Fixture, NULL, fixture_set_up,
		    test_plugins_task_faults_func, fixture_tear_down);
	g_test_add ("/praxis/plugins/source", Fixture, NULL, fixture_set_up,
		    test_plugins_source_func, fixture_tear_down);
	return g_test_run ();
}
