/* plugin.c: PxPlugin, one plugin loaded in its sandbox: its handle (px.on, px.importer,
 * px.every, px.log, px.config, px.option and the modules of the px API), its own require, the
 * calls into it (one at a time: a recursive lock), their failures, and its tasks (coroutines
 * that wait on bindings). It must not know the write path or the server. */
#define G_LOG_DOMAIN "PxPlugin"

#include "plugin.h"

#include <lauxlib.h>
#include <math.h>

#include "lua-import.h"
#include "lua-modules.h"
#include "util/error.h"

/* the largest plugin file or helper module read */
#define PX_PLUGIN_FILE_MAX (1024 * 1024)
/* the longest query search.rewrite may return */
#define PX_PLUGIN_QUERY_MAX 4096

struct _PxPlugin {
	gint refs;
	char *name;
	char *dir; /* the plugin's own folder (its helpers); NULL for a one-file plugin */
	GHashTable *options;
	PxPluginLimits limits;
	PxSandbox *sandbox;
	GRecMutex lock; /* one call at a time */
	gboolean loading, closed;
	GPtrArray *handlers, *importers, *timers;
	GPtrArray *tasks; /* (element-type PxPluginTask): waiting or running */
	guint failures;	  /* in a row */
	char *disabled_reason;
	PxPluginDisabledFunc disabled_func;
	gpointer disabled_data;
};

struct _PxPluginTask {
	gint refs;
	PxPlugin *plugin;
	lua_State *thread;
	int thread_ref;
	PxSandboxBudget budget;
	GCancellable *cancellable;
	GSource *deadline;
	PxLuaCall call;
	GMainContext *context;
	PxPluginTaskDoneFunc done;
	gpointer done_data;
	gboolean finished;
};

static const char px_plugin_modules_key = 'm';
static const char px_plugin_handle_key = 'p';

static guint64
px_plugin_next_serial (void)
{
	static guint64 serial;

	return __atomic_add_fetch (&serial, 1, __ATOMIC_RELAXED);
}

static PxPlugin *
px_plugin_upvalue (lua_State *L)
{
	return lua_touserdata (L, lua_upvalueindex (1));
}

static void
px_plugin_check_loading (lua_State *L, PxPlugin *plugin, const char *what)
{
	if (!plugin->loading)
		luaL_error (L, "%s: only while the plugin loads (at the top of its file)", what);
}

static const char *const px_plugin_events[] = {
    PX_PLUGIN_EVENT_VALIDATE, PX_PLUGIN_EVENT_TAG,
    "practice.submitted",     "practice.updated",
    "practice.published",     "practice.rejected",
    "practice.deleted",	      "practice.imported",
    PX_PLUGIN_EVENT_REWRITE,  NULL,
};

/* px.on(event, handler [, priority]) */
static int
px_plugin_on_cb (lua_State *L)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	const char *event = luaL_checkstring (L, 1);
	lua_Integer priority = luaL_optinteger (L, 3, 0);
	PxPluginHandler *handler;
	int ref;

	luaL_checktype (L, 2, LUA_TFUNCTION);
	px_plugin_check_loading (L, plugin, "px.on");
	if (!g_strv_contains (px_plugin_events, event))
		return luaL_error (L, "px.on: unknown event '%s'", event);
	if (priority < -1000 || priority > 1000)
		return luaL_error (L, "px.on: priority must be in -1000..1000");
	/* luaL_ref may raise (out of memory): before the GLib allocation, never after */
	lua_pushvalue (L, 2);
	ref = luaL_ref (L, LUA_REGISTRYINDEX);
	handler = g_new0 (PxPluginHandler, 1);
	handler->ref = ref;
	handler->event = g_strdup (event);
	handler->priority = (gint)priority;
	handler->order = plugin->handlers->len;
	g_ptr_array_add (plugin->handlers, handler);
	return 0;
}

static gboolean
px_plugin_name_is_valid (const char *name)
{
	if (name[0] == '\0' || strlen (name) > 64 || !g_ascii_isalnum (name[0]))
		return FALSE;
	for (const char *c = name; *c != '\0'; c++)
		if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-' && *c != '_')
			return FALSE;
	return TRUE;
}

/* px.importer(name, function (source, emit, reject) ... end) */
static int
px_plugin_importer_cb (lua_State *L)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	const char *name = luaL_checkstring (L, 1);
	PxPluginImporter *importer;
	int ref;

	luaL_checktype (L, 2, LUA_TFUNCTION);
	px_plugin_check_loading (L, plugin, "px.importer");
	if (!px_plugin_name_is_valid (name))
		return luaL_error (L, "px.importer: '%s' is not a name (a-z, 0-9, - and _)", name);
	/* luaL_ref may raise (out of memory): before the GLib allocation, never after */
	lua_pushvalue (L, 2);
	ref = luaL_ref (L, LUA_REGISTRYINDEX);
	importer = g_new0 (PxPluginImporter, 1);
	importer->ref = ref;
	importer->name = g_strdup (name);
	g_ptr_array_add (plugin->importers, importer);
	return 0;
}

/* px.every(seconds, fn) */
static int
px_plugin_every_cb (lua_State *L)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	lua_Integer seconds = luaL_checkinteger (L, 1);
	PxPluginTimer *timer;
	int ref;

	luaL_checktype (L, 2, LUA_TFUNCTION);
	px_plugin_check_loading (L, plugin, "px.every");
	if (seconds < 1 || seconds > 7 * 24 * 3600)
		return luaL_error (L, "px.every: seconds must be in 1..604800");
	/* luaL_ref may raise (out of memory): before the GLib allocation, never after */
	lua_pushvalue (L, 2);
	ref = luaL_ref (L, LUA_REGISTRYINDEX);
	timer = g_new0 (PxPluginTimer, 1);
	timer->ref = ref;
	timer->seconds = (guint)seconds;
	g_ptr_array_add (plugin->timers, timer);
	return 0;
}

/* px.log(level, message) */
static int
px_plugin_log_cb (lua_State *L)
{
	static const char *const levels[] = {"debug", "info", "warning", "error", NULL};
	static const GLogLevelFlags flags[] = {G_LOG_LEVEL_DEBUG, G_LOG_LEVEL_MESSAGE,
					       G_LOG_LEVEL_WARNING, G_LOG_LEVEL_WARNING};
	PxPlugin *plugin = px_plugin_upvalue (L);
	int level = luaL_checkoption (L, 1, NULL, levels);
	size_t length = 0;
	const char *text = luaL_checklstring (L, 2, &length);
	/* nothing raises from here: the log gets valid UTF-8, a bounded line */
	g_autofree char *message = px_sandbox_bound_message (text, length);

	g_log (G_LOG_DOMAIN, flags[level], "plugin %s: %s%s", plugin->name,
	       level == 3 ? "error: " : "", message);
	return 0;
}

/* px.import's end, returned or resumed: the counts, logged and returned */
static int
px_plugin_import_done_cb (lua_State *L, int status, lua_KContext context)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	const PxLuaImportStats *stats = px_lua_import_get_stats (L, 3);

	g_message ("plugin %s: import from %s: added %u, updated %u, unchanged %u, deleted %u, "
		   "rejected %u",
		   plugin->name, luaL_tolstring (L, 2, NULL), stats->added, stats->updated,
		   stats->unchanged, stats->deleted, stats->rejected);
	lua_createtable (L, 0, 5);
	lua_pushinteger (L, stats->added);
	lua_setfield (L, -2, "added");
	lua_pushinteger (L, stats->updated);
	lua_setfield (L, -2, "updated");
	lua_pushinteger (L, stats->unchanged);
	lua_setfield (L, -2, "unchanged");
	lua_pushinteger (L, stats->deleted);
	lua_setfield (L, -2, "deleted");
	lua_pushinteger (L, stats->rejected);
	lua_setfield (L, -2, "rejected");
	return 1;
}

/* px.import(importer, source): runs the plugin's own importer now (in a timer), its records
 * written through the write path; Returns: the counts */
static int
px_plugin_import_cb (lua_State *L)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	const char *name = luaL_checkstring (L, 1);
	PxPluginImporter *importer = NULL;

	luaL_checkany (L, 2);
	lua_settop (L, 2);
	for (guint i = 0; i < plugin->importers->len && importer == NULL; i++)
		if (g_str_equal (
			((PxPluginImporter *)g_ptr_array_index (plugin->importers, i))->name, name))
			importer = g_ptr_array_index (plugin->importers, i);
	if (importer == NULL)
		return luaL_error (L, "px.import: this plugin has no importer '%s'", name);
	px_lua_import_push_functions (L, NULL, NULL); /* 3: emit, 4: reject */
	lua_rawgeti (L, LUA_REGISTRYINDEX, importer->ref);
	lua_pushvalue (L, 2);
	lua_pushvalue (L, 3);
	lua_pushvalue (L, 4);
	lua_callk (L, 3, 0, 0, px_plugin_import_done_cb);
	return px_plugin_import_done_cb (L, LUA_OK, 0);
}

static gboolean
px_plugin_parse_boolean (const char *text, gboolean *value)
{
	static const char *const yes[] = {"true", "yes", "on", "1", NULL};
	static const char *const no[] = {"false", "no", "off", "0", NULL};

	*value = g_strv_contains (yes, text);
	return *value || g_strv_contains (no, text);
}

static void
px_plugin_push_list (lua_State *L, const char *text)
{
	g_auto (GStrv) parts = g_strsplit (text, ";", -1);
	gpointer *slot = px_lua_call_hold (L, (GDestroyNotify)g_strfreev);
	int n = 0;

	*slot = g_steal_pointer (&parts);
	lua_newtable (L);
	for (char **part = *slot; *part != NULL; part++) {
		g_strstrip (*part);
		if (**part == '\0')
			continue;
		lua_pushstring (L, *part);
		lua_rawseti (L, -2, ++n);
	}
}

static void
px_plugin_check_bounds (lua_State *L, PxPlugin *plugin, const char *key, lua_Number value)
{
	if (lua_getfield (L, 2, "min") == LUA_TNUMBER && value < lua_tonumber (L, -1))
		luaL_error (L, "[plugin:%s] %s: must be at least %s", plugin->name, key,
			    lua_tostring (L, -1));
	if (lua_getfield (L, 2, "max") == LUA_TNUMBER && value > lua_tonumber (L, -1))
		luaL_error (L, "[plugin:%s] %s: must be at most %s", plugin->name, key,
			    lua_tostring (L, -1));
	lua_pop (L, 2);
}

static void
px_plugin_push_option (lua_State *L, PxPlugin *plugin, const char *key, const char *type,
		       const char *text)
{
	gboolean flag;
	char *end = NULL;

	if (g_str_equal (type, "string")) {
		lua_pushstring (L, text);
	} else if (g_str_equal (type, "list")) {
		px_plugin_push_list (L, text);
	} else if (g_str_equal (type, "boolean")) {
		if (!px_plugin_parse_boolean (text, &flag))
			luaL_error (L, "[plugin:%s] %s: '%s' is not true or false", plugin->name,
				    key, text);
		lua_pushboolean (L, flag);
	} else if (g_str_equal (type, "integer")) {
		gint64 value = g_ascii_strtoll (text, &end, 10);

		if (*text == '\0' || *end != '\0')
			luaL_error (L, "[plugin:%s] %s: '%s' is not an integer", plugin->name, key,
				    text);
		px_plugin_check_bounds (L, plugin, key, (lua_Number)value);
		lua_pushinteger (L, value);
	} else if (g_str_equal (type, "number")) {
		double value = g_ascii_strtod (text, &end);

		if (*text == '\0' || *end != '\0' || !isfinite (value))
			luaL_error (L, "[plugin:%s] %s: '%s' is not a number", plugin->name, key,
				    text);
		px_plugin_check_bounds (L, plugin, key, value);
		lua_pushnumber (L, value);
	} else {
		luaL_error (L, "px.option: unknown type '%s'", type);
	}
}

/* px.option(key, {type=, default=, min=, max=, choices=}): the typed value of px.config[key] */
static int
px_plugin_option_cb (lua_State *L)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	const char *key = luaL_checkstring (L, 1);
	const char *type, *text;

	if (lua_isnoneornil (L, 2)) {
		lua_settop (L, 1);
		lua_newtable (L);
	}
	luaL_checktype (L, 2, LUA_TTABLE);
	lua_getfield (L, 2, "type");
	type = luaL_optstring (L, -1, "string");
	text = g_hash_table_lookup (plugin->options, key);
	if (text == NULL) {
		lua_getfield (L, 2, "default");
		if (g_str_equal (type, "list") && lua_type (L, -1) == LUA_TSTRING)
			px_plugin_push_list (L, lua_tostring (L, -1));
		return 1;
	}
	px_plugin_push_option (L, plugin, key, type, text);
	if (lua_getfield (L, 2, "choices") == LUA_TTABLE) {
		for (lua_Integer i = 1; lua_rawgeti (L, -1, i) != LUA_TNIL; i++) {
			gboolean chosen = lua_rawequal (L, -1, -3);

			lua_pop (L, 1);
			if (chosen) {
				lua_pop (L, 1);
				return 1;
			}
		}
		return luaL_error (L, "[plugin:%s] %s: '%s' is not one of the choices",
				   plugin->name, key, text);
	}
	lua_pop (L, 1);
	return 1;
}

static int
px_plugin_readonly_cb (lua_State *L)
{
	return luaL_error (L, "px.config is read-only");
}

static int
px_plugin_pairs_cb (lua_State *L)
{
	lua_getglobal (L, "next");
	luaL_getmetafield (L, 1, "__index");
	lua_pushnil (L);
	return 3;
}

/* px.config: the [plugin:NAME] section as strings, read-only */
static void
px_plugin_push_config (lua_State *L, PxPlugin *plugin)
{
	GHashTableIter iter;
	gpointer key, value;

	lua_newtable (L); /* the proxy */
	lua_newtable (L); /* its metatable */
	lua_newtable (L); /* the values */
	g_hash_table_iter_init (&iter, plugin->options);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		lua_pushstring (L, value);
		lua_setfield (L, -2, key);
	}
	lua_setfield (L, -2, "__index");
	lua_pushcfunction (L, px_plugin_readonly_cb);
	lua_setfield (L, -2, "__newindex");
	lua_pushcfunction (L, px_plugin_pairs_cb);
	lua_setfield (L, -2, "__pairs");
	lua_pushboolean (L, 0);
	lua_setfield (L, -2, "__metatable");
	lua_setmetatable (L, -2);
}

/* reads @path into Lua memory; raises an error when it cannot */
static void
px_plugin_push_file (lua_State *L, const char *path)
{
	gpointer *slot = px_lua_call_hold (L, g_free);
	g_autoptr (GError) error = NULL;
	gsize length = 0;

	if (!g_file_get_contents (path, (char **)slot, &length, &error)) {
		/* the message in the slot, so that a raising push leaks nothing */
		*slot = g_strdup (error->message);
		g_clear_error (&error);
		lua_pushstring (L, *slot);
		lua_error (L);
	}
	if (length > PX_PLUGIN_FILE_MAX)
		luaL_error (L, "%s: larger than %d bytes", path, PX_PLUGIN_FILE_MAX);
	lua_pushlstring (L, *slot, length);
	lua_remove (L, -2);
}

static gboolean
px_plugin_module_name_is_valid (const char *name)
{
	if (name[0] == '\0' || name[0] == '.' || strlen (name) > 64 || strstr (name, "..") != NULL)
		return FALSE;
	for (const char *c = name; *c != '\0'; c++)
		if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-' && *c != '.')
			return FALSE;
	return name[strlen (name) - 1] != '.';
}

/* Lua's refusal of bytecode says neither which file nor why: say both */
static void
px_plugin_check_text (lua_State *L, const char *code, gsize length, const char *chunkname)
{
	if (length > 0 && code[0] == LUA_SIGNATURE[0])
		luaL_error (L,
			    "%s: a binary chunk (bytecode): plugins are loaded from Lua text only",
			    chunkname + 1);
}

/* require(name): the plugin's own helper module NAME.lua (dots are folders), run once with px */
static int
px_plugin_require_cb (lua_State *L)
{
	PxPlugin *plugin = px_plugin_upvalue (L);
	const char *name = luaL_checkstring (L, 1);
	const char *relative;

	if (plugin->dir == NULL)
		return luaL_error (L,
				   "require: a one-file plugin has no modules (make it a folder)");
	if (!px_plugin_module_name_is_valid (name))
		return luaL_error (L, "require: '%s' is not a module name", name);
	/* the modules' table is 2, whatever else was passed */
	lua_settop (L, 1);
	lua_rawgetp (L, LUA_REGISTRYINDEX, &px_plugin_modules_key);
	if (lua_getfield (L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop (L, 1);
	/* Lua strings, not GLib's: each push may raise (out of memory) */
	relative = luaL_gsub (L, name, ".", "/");
	lua_pushfstring (L, "@%s/%s.lua", plugin->name, relative);
	lua_pushfstring (L, "%s/%s.lua", plugin->dir, relative);
	lua_remove (L, 3); /* 3: the chunk's name, 4: the path */
	px_plugin_push_file (L, lua_tostring (L, -1));
	px_plugin_check_text (L, lua_tostring (L, -1), lua_rawlen (L, -1), lua_tostring (L, -3));
	if (luaL_loadbufferx (L, lua_tostring (L, -1), lua_rawlen (L, -1), lua_tostring (L, -3),
			      "t") != LUA_OK)
		return lua_error (L);
	lua_rawgetp (L, LUA_REGISTRYINDEX, &px_plugin_handle_key);
	lua_call (L, 1, 1);
	if (lua_isnil (L, -1)) {
		lua_pop (L, 1);
		lua_pushboolean (L, 1);
	}
	lua_pushvalue (L, -1);
	lua_setfield (L, 2, name);
	return 1;
}

static void
px_plugin_push_handle (lua_State *L, PxPlugin *plugin)
{
	static const luaL_Reg functions[] = {
	    {"on", px_plugin_on_cb},
	    {"importer", px_plugin_importer_cb},
	    {"every", px_plugin_every_cb},
	    {"log", px_plugin_log_cb},
	    {"option", px_plugin_option_cb},
	    {"import", px_plugin_import_cb},
	    {NULL, NULL},
	};

	lua_newtable (L);
	lua_pushlightuserdata (L, plugin);
	luaL_setfuncs (L, functions, 1);
	lua_pushstring (L, plugin->name);
	lua_setfield (L, -2, "name");
	px_plugin_push_config (L, plugin);
	lua_setfield (L, -2, "config");
	for (const PxLuaModule *module = px_lua_modules_list (); module->name != NULL; module++) {
		module->open (L);
		lua_setfield (L, -2, module->name);
	}
}

typedef struct {
	PxPlugin *plugin;
	const char *code;
	gsize length;
	const char *chunkname;
	char *syntax_error;
} PxPluginLoad;

static int
px_plugin_load_body (lua_State *L)
{
	PxPluginLoad *load = lua_touserdata (L, 1);

	lua_newtable (L);
	lua_rawsetp (L, LUA_REGISTRYINDEX, &px_plugin_modules_key);
	px_plugin_push_handle (L, load->plugin);
	lua_pushvalue (L, -1);
	/* for the plugin's helper modules, which require() runs with it */
	lua_rawsetp (L, LUA_REGISTRYINDEX, &px_plugin_handle_key);
	lua_pushlightuserdata (L, load->plugin);
	lua_pushcclosure (L, px_plugin_require_cb, 1);
	lua_setglobal (L, "require");
	px_plugin_check_text (L, load->code, load->length, load->chunkname);
	if (luaL_loadbufferx (L, load->code, load->length, load->chunkname, "t") != LUA_OK) {
		load->syntax_error = g_strdup (lua_tostring (L, -1));
		return 0;
	}
	lua_insert (L, -2);
	lua_call (L, 1, 0);
	return 0;
}

static void
px_plugin_handler_free (gpointer data)
{
	PxPluginHandler *handler = data;

	g_free (handler->event);
	g_free (handler);
}

static void
px_plugin_importer_free (gpointer data)
{
	PxPluginImporter *importer = data;

	g_free (importer->name);
	g_free (importer);
}

static char *
px_plugin_find_file (const char *name, const char *dir, char **folder)
{
	g_autofree char *file = g_strdup_printf ("%s/%s.lua", dir, name);
	g_autofree char *own = g_build_filename (dir, name, NULL);
	g_autofree char *init = g_build_filename (own, "init.lua", NULL);

	if (g_file_test (init, G_FILE_TEST_IS_REGULAR)) {
		*folder = g_steal_pointer (&own);
		return g_steal_pointer (&init);
	}
	if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer (&file);
	return NULL;
}

static PxPlugin *
px_plugin_new (const char *name, GHashTable *options, const PxPluginLimits *limits)
{
	PxPlugin *plugin = g_new0 (PxPlugin, 1);
	GHashTableIter iter;
	gpointer key, value;

	plugin->refs = 1;
	plugin->name = g_strdup (name);
	plugin->limits = *limits;
	plugin->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	if (options != NULL) {
		g_hash_table_iter_init (&iter, options);
		while (g_hash_table_iter_next (&iter, &key, &value))
			g_hash_table_insert (plugin->options, g_strdup (key), g_strdup (value));
	}
	g_rec_mutex_init (&plugin->lock);
	plugin->handlers = g_ptr_array_new_with_free_func (px_plugin_handler_free);
	plugin->importers = g_ptr_array_new_with_free_func (px_plugin_importer_free);
	plugin->timers = g_ptr_array_new_with_free_func (g_free);
	plugin->tasks = g_ptr_array_new ();
	return plugin;
}

PxPlugin *
px_plugin_load (const char *name, const char *dir, GHashTable *options,
		const PxPluginLimits *limits, GError **error)
{
	g_autoptr (PxPlugin) plugin = NULL;
	g_autofree char *path = NULL;
	g_autofree char *code = NULL;
	g_autofree char *chunkname = NULL;
	PxPluginLoad load = {0};
	g_autofree char *syntax_error = NULL;
	gsize length = 0;
	gboolean ok;

	if (!px_plugin_name_is_valid (name)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "'%s' is not a plugin name (a-z, 0-9, - and _)", name);
		return NULL;
	}
	plugin = px_plugin_new (name, options, limits);
	path = px_plugin_find_file (name, dir, &plugin->dir);
	if (path == NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no %s/%s.lua nor %s/%s/init.lua",
			     dir, name, dir, name);
		return NULL;
	}
	if (!g_file_get_contents (path, &code, &length, error))
		return NULL;
	if (length > PX_PLUGIN_FILE_MAX) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s: larger than %d bytes", path,
			     PX_PLUGIN_FILE_MAX);
		return NULL;
	}
	plugin->sandbox = px_sandbox_new (name, &limits->call, error);
	if (plugin->sandbox == NULL)
		return NULL;
	chunkname = g_strdup_printf ("@%s", path);
	load = (PxPluginLoad){plugin, code, length, chunkname, NULL};
	plugin->loading = TRUE;
	ok = px_sandbox_run (plugin->sandbox, px_plugin_load_body, &load, error);
	plugin->loading = FALSE;
	syntax_error = load.syntax_error;
	if (!ok)
		return NULL;
	if (syntax_error != NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s", syntax_error);
		return NULL;
	}
	return g_steal_pointer (&plugin);
}

PxPlugin *
px_plugin_ref (PxPlugin *plugin)
{
	g_atomic_int_inc (&plugin->refs);
	return plugin;
}

void
px_plugin_unref (PxPlugin *plugin)
{
	if (plugin == NULL || !g_atomic_int_dec_and_test (&plugin->refs))
		return;
	g_ptr_array_unref (plugin->handlers);
	g_ptr_array_unref (plugin->importers);
	g_ptr_array_unref (plugin->timers);
	g_ptr_array_unref (plugin->tasks);
	px_sandbox_free (plugin->sandbox);
	g_hash_table_unref (plugin->options);
	g_rec_mutex_clear (&plugin->lock);
	g_free (plugin->disabled_reason);
	g_free (plugin->dir);
	g_free (plugin->name);
	g_free (plugin);
}

void
px_plugin_close (PxPlugin *plugin)
{
	g_rec_mutex_lock (&plugin->lock);
	plugin->closed = TRUE;
	for (guint i = 0; i < plugin->tasks->len; i++)
		g_cancellable_cancel (
		    ((PxPluginTask *)g_ptr_array_index (plugin->tasks, i))->cancellable);
	g_rec_mutex_unlock (&plugin->lock);
}

gboolean
px_plugin_is_waiting (PxPlugin *plugin)
{
	gboolean waiting;

	g_rec_mutex_lock (&plugin->lock);
	waiting = plugin->tasks->len > 0;
	g_rec_mutex_unlock (&plugin->lock);
	return waiting;
}

const char *
px_plugin_get_name (PxPlugin *plugin)
{
	return plugin->name;
}

GPtrArray *
px_plugin_get_handlers (PxPlugin *plugin)
{
	return plugin->handlers;
}

GPtrArray *
px_plugin_get_importers (PxPlugin *plugin)
{
	return plugin->importers;
}

GPtrArray *
px_plugin_get_timers (PxPlugin *plugin)
{
	return plugin->timers;
}

char *
px_plugin_dup_disabled_reason (PxPlugin *plugin)
{
	char *reason;

	g_rec_mutex_lock (&plugin->lock);
	reason = g_strdup (plugin->disabled_reason);
	g_rec_mutex_unlock (&plugin->lock);
	return reason;
}

gsize
px_plugin_get_memory (PxPlugin *plugin)
{
	gsize memory;

	g_rec_mutex_lock (&plugin->lock);
	memory = px_sandbox_get_memory (plugin->sandbox);
	g_rec_mutex_unlock (&plugin->lock);
	return memory;
}

void
px_plugin_set_disabled_func (PxPlugin *plugin, PxPluginDisabledFunc func, gpointer user_data)
{
	plugin->disabled_func = func;
	plugin->disabled_data = user_data;
}

/* with the lock held: whether a call may run, else @error set */
static gboolean
px_plugin_check_runnable (PxPlugin *plugin, GError **error)
{
	if (plugin->closed) {
		g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL, "plugin %s is unloaded",
			     plugin->name);
		return FALSE;
	}
	if (plugin->disabled_reason != NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL, "plugin %s is disabled: %s",
			     plugin->name, plugin->disabled_reason);
		return FALSE;
	}
	return TRUE;
}

/* with the lock held: counts a call's outcome; Returns: the reason it was disabled just now */
static char *
px_plugin_count (PxPlugin *plugin, const char *what, const GError *error)
{
	if (error == NULL) {
		plugin->failures = 0;
		return NULL;
	}
	g_warning ("plugin %s: %s failed: %s", plugin->name, what, error->message);
	if (++plugin->failures < plugin->limits.max_failures || plugin->disabled_reason != NULL)
		return NULL;
	plugin->disabled_reason = g_strdup_printf ("failed %u times in a row; last, in %s: %s",
						   plugin->failures, what, error->message);
	g_warning ("plugin %s: disabled: %s", plugin->name, plugin->disabled_reason);
	return g_strdup (plugin->disabled_reason);
}

static void
px_plugin_report_disabled (PxPlugin *plugin, char *reason)
{
	if (reason != NULL && plugin->disabled_func != NULL)
		plugin->disabled_func (plugin, reason, plugin->disabled_data);
	g_free (reason);
}

typedef struct {
	const PxPluginHandler *handler;
	const PxLuaPracticeView *view;
	const char *query;
	char *refusal;
	char *rewritten;
} PxPluginInvoke;

/* the handler with the practice object, its answer read by @invoke's kind */
static int
px_plugin_practice_body (lua_State *L)
{
	PxPluginInvoke *invoke = lua_touserdata (L, 1);
	gboolean validate = g_str_equal (invoke->handler->event, PX_PLUGIN_EVENT_VALIDATE);

	lua_rawgeti (L, LUA_REGISTRYINDEX, invoke->handler->ref);
	px_lua_practice_push (L, invoke->view);
	lua_call (L, 1, 2);
	if (!validate || lua_isnil (L, -2) || (lua_isboolean (L, -2) && lua_toboolean (L, -2)))
		return 0;
	if (!lua_isboolean (L, -2))
		return luaL_error (L, "practice.validate handler returned a %s, not false or true",
				   luaL_typename (L, -2));
	if (lua_type (L, -1) == LUA_TSTRING && g_utf8_validate (lua_tostring (L, -1), -1, NULL))
		/* GLib 2.74 reads past the text when the end is past its length: bound it */
		invoke->refusal = g_utf8_substring (
		    lua_tostring (L, -1), 0, MIN (500, g_utf8_strlen (lua_tostring (L, -1), -1)));
	else
		invoke->refusal = g_strdup ("");
	return 0;
}

static int
px_plugin_rewrite_body (lua_State *L)
{
	PxPluginInvoke *invoke = lua_touserdata (L, 1);
	size_t length;
	const char *text;

	lua_rawgeti (L, LUA_REGISTRYINDEX, invoke->handler->ref);
	lua_pushstring (L, invoke->query);
	lua_call (L, 1, 1);
	if (lua_isnil (L, -1))
		return 0;
	if (lua_type (L, -1) != LUA_TSTRING)
		return luaL_error (L, "search.rewrite handler returned a %s, not a string or nil",
				   luaL_typename (L, -1));
	text = lua_tolstring (L, -1, &length);
	if (length > PX_PLUGIN_QUERY_MAX || !g_utf8_validate (text, (gssize)length, NULL) ||
	    memchr (text, '\0', length) != NULL)
		return luaL_error (L,
				   "search.rewrite handler returned a query that is not text of "
				   "at most %d bytes",
				   PX_PLUGIN_QUERY_MAX);
	invoke->rewritten = g_strdup (text);
	return 0;
}

/* @may_wait: FALSE on the main thread, which must never wait for a plugin busy on another
 * thread (a practice event on the writer's, a task on the timers': up to their limits) */
static gboolean
px_plugin_invoke (PxPlugin *plugin, PxLuaCall *call, lua_CFunction body, PxPluginInvoke *invoke,
		  gboolean may_wait, GError **error)
{
	lua_State *L = px_sandbox_get_state (plugin->sandbox);
	g_autoptr (GError) local_error = NULL;
	PxLuaCall *outer;
	char *disabled;

	if (may_wait) {
		g_rec_mutex_lock (&plugin->lock);
	} else if (!g_rec_mutex_trylock (&plugin->lock)) {
		g_debug ("plugin %s is busy: %s skipped", plugin->name, invoke->handler->event);
		g_set_error (error, PX_ERROR, PX_ERROR_BUSY, "plugin %s is busy: %s skipped",
			     plugin->name, invoke->handler->event);
		return FALSE;
	}
	if (!px_plugin_check_runnable (plugin, error)) {
		g_rec_mutex_unlock (&plugin->lock);
		return FALSE;
	}
	call->plugin = plugin->name;
	call->serial = px_plugin_next_serial ();
	outer = px_lua_call_peek (L);
	px_lua_call_set (L, call);
	px_sandbox_run (plugin->sandbox, body, invoke, &local_error);
	px_lua_call_set (L, outer);
	disabled = px_plugin_count (plugin, invoke->handler->event, local_error);
	g_rec_mutex_unlock (&plugin->lock);
	px_plugin_report_disabled (plugin, disabled);
	if (local_error != NULL) {
		g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
					    "plugin %s, %s: ", plugin->name,
					    invoke->handler->event);
		return FALSE;
	}
	return TRUE;
}

gboolean
px_plugin_call_tag (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
		    const PxLuaPracticeView *view, GError **error)
{
	PxPluginInvoke invoke = {handler, view, NULL, NULL, NULL};

	return px_plugin_invoke (plugin, call, px_plugin_practice_body, &invoke, TRUE, error);
}

gboolean
px_plugin_call_validate (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
			 const PxLuaPracticeView *view, char **refusal, GError **error)
{
	PxPluginInvoke invoke = {handler, view, NULL, NULL, NULL};

	if (!px_plugin_invoke (plugin, call, px_plugin_practice_body, &invoke, TRUE, error))
		return FALSE;
	*refusal = invoke.refusal;
	return TRUE;
}

gboolean
px_plugin_call_notify (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
		       const PxLuaPracticeView *view, GError **error)
{
	PxPluginInvoke invoke = {handler, view, NULL, NULL, NULL};

	return px_plugin_invoke (plugin, call, px_plugin_practice_body, &invoke, TRUE, error);
}

gboolean
px_plugin_call_rewrite (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
			const char *query, char **rewritten, GError **error)
{
	PxPluginInvoke invoke = {handler, NULL, query, NULL, NULL};

	if (!px_plugin_invoke (plugin, call, px_plugin_rewrite_body, &invoke, FALSE, error))
		return FALSE;
	*rewritten = invoke.rewritten;
	return TRUE;
}

/* tasks */

typedef struct {
	PxPluginTask *task;
	int ref; /* the function to start, or LUA_NOREF to resume */
	PxPluginPushFunc push;
	gpointer push_data;
	int pushed;
} PxPluginTaskStep;

/* pushes the function (to start) and the values onto the task's thread, in protected mode */
static int
px_plugin_task_push_body (lua_State *L)
{
	PxPluginTaskStep *step = lua_touserdata (L, 1);
	int base = lua_gettop (L);

	if (step->ref != LUA_NOREF) {
		step->task->thread = lua_newthread (L);
		step->task->thread_ref = luaL_ref (L, LUA_REGISTRYINDEX);
		lua_rawgeti (L, LUA_REGISTRYINDEX, step->ref);
	}
	step->pushed = step->push != NULL ? step->push (L, step->push_data) : 0;
	if (!lua_checkstack (step->task->thread, lua_gettop (L) - base + 1))
		return luaL_error (L, "Lua stack exhausted");
	lua_xmove (L, step->task->thread, lua_gettop (L) - base);
	return 0;
}

static void
px_plugin_task_finish (PxPluginTask *task, GError *error)
{
	PxPlugin *plugin = task->plugin;
	lua_State *L = px_sandbox_get_state (plugin->sandbox);
	char *disabled;

	task->finished = TRUE;
	if (task->deadline != NULL)
		g_source_destroy (task->deadline);
	g_clear_pointer (&task->deadline, g_source_unref);
	if (task->thread_ref != LUA_NOREF)
		luaL_unref (L, LUA_REGISTRYINDEX, task->thread_ref);
	task->thread_ref = LUA_NOREF;
	task->thread = NULL;
	g_ptr_array_remove (plugin->tasks, task);
	disabled = px_plugin_count (plugin, "a timer or importer", error);
	g_rec_mutex_unlock (&plugin->lock);
	px_plugin_report_disabled (plugin, disabled);
	if (error != NULL)
		g_prefix_error (&error, "plugin %s: ", plugin->name);
	task->done (task, error, task->done_data);
	g_clear_error (&error);
	px_plugin_task_unref (task);
}

/* with the lock held (released here): runs the task until it waits or ends */
static void
px_plugin_task_step (PxPluginTask *task, PxPluginTaskStep *step)
{
	PxPlugin *plugin = task->plugin;
	lua_State *L = px_sandbox_get_state (plugin->sandbox);
	GError *error = NULL;
	gboolean finished = FALSE;
	PxLuaCall *outer;

	if (!px_plugin_check_runnable (plugin, &error) ||
	    !px_sandbox_run (plugin->sandbox, px_plugin_task_push_body, step, &error)) {
		px_plugin_task_finish (task, error);
		return;
	}
	task->call.serial = px_plugin_next_serial ();
	outer = px_lua_call_peek (L);
	px_lua_call_set (L, &task->call);
	px_sandbox_resume (plugin->sandbox, &task->budget, task->thread, step->pushed, &finished,
			   &error);
	px_lua_call_set (L, outer);
	if (finished || error != NULL) {
		px_plugin_task_finish (task, error);
		return;
	}
	g_rec_mutex_unlock (&plugin->lock);
}

static gboolean
px_plugin_task_deadline_cb (gpointer user_data)
{
	g_cancellable_cancel (((PxPluginTask *)user_data)->cancellable);
	return G_SOURCE_REMOVE;
}

void
px_plugin_start_task (PxPlugin *plugin, int ref, const PxLuaCall *call, GMainContext *context,
		      PxPluginPushFunc push, gpointer push_data, PxPluginTaskDoneFunc done,
		      gpointer done_data)
{
	PxPluginTask *task = g_new0 (PxPluginTask, 1);
	PxPluginTaskStep step = {task, ref, push, push_data, 0};

	task->refs = 1;
	task->plugin = px_plugin_ref (plugin);
	task->thread_ref = LUA_NOREF;
	task->cancellable = g_cancellable_new ();
	task->call = *call;
	task->call.plugin = plugin->name;
	task->call.task = task;
	task->call.context = context;
	task->context = g_main_context_ref (context);
	task->done = done;
	task->done_data = done_data;
	g_rec_mutex_lock (&plugin->lock);
	/* budget and deadline count the task's waits: a harvest is one invocation */
	task->budget.remaining = plugin->limits.task.instructions;
	task->budget.deadline =
	    g_get_monotonic_time () + (gint64)plugin->limits.task.timeout_ms * 1000;
	task->deadline = g_timeout_source_new (plugin->limits.task.timeout_ms);
	g_source_set_callback (task->deadline, px_plugin_task_deadline_cb, task, NULL);
	g_source_attach (task->deadline, context);
	g_ptr_array_add (plugin->tasks, task);
	px_plugin_task_step (task, &step);
}

PxPluginTask *
px_plugin_task_ref (PxPluginTask *task)
{
	g_atomic_int_inc (&task->refs);
	return task;
}

void
px_plugin_task_unref (PxPluginTask *task)
{
	if (task == NULL || !g_atomic_int_dec_and_test (&task->refs))
		return;
	g_object_unref (task->cancellable);
	g_main_context_unref (task->context);
	px_plugin_unref (task->plugin);
	g_free (task);
}

GCancellable *
px_plugin_task_get_cancellable (PxPluginTask *task)
{
	return task->cancellable;
}

void
px_plugin_task_resume (PxPluginTask *task, PxPluginPushFunc push, gpointer push_data)
{
	PxPluginTaskStep step = {task, LUA_NOREF, push, push_data, 0};

	if (task->finished)
		return;
	g_rec_mutex_lock (&task->plugin->lock);
	px_plugin_task_step (task, &step);
}
