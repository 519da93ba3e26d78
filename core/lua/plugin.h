/* plugin.h: PxPlugin, one loaded plugin: its file, its sandbox, its options ([plugin:NAME]),
 * what it registered at load (handlers by event and priority, importers, timers), the calls
 * into it one at a time, and its failures (disabled after too many in a row). Tasks are calls
 * that may wait (timers, importers): coroutines that bindings suspend and resume. */
#pragma once

#include <gio/gio.h>

#include "lua-call.h"
#include "lua-practice.h"
#include "sandbox.h"

typedef struct _PxPlugin PxPlugin;
typedef struct _PxPluginTask PxPluginTask;

/* the events a plugin may handle (px.on) */
#define PX_PLUGIN_EVENT_VALIDATE "practice.validate"
#define PX_PLUGIN_EVENT_TAG "practice.tag"
#define PX_PLUGIN_EVENT_REWRITE "search.rewrite"

typedef struct {
	char *event;
	gint priority; /* higher first */
	guint order;   /* the order of registration, among equals */
	int ref;       /* the function, in the state's registry */
} PxPluginHandler;

typedef struct {
	char *name;
	int ref;
} PxPluginImporter;

typedef struct {
	guint seconds;
	int ref;
} PxPluginTimer;

typedef struct {
	PxSandboxLimits call; /* practice events, search.rewrite, loading */
	PxSandboxLimits task; /* timers and importers: memory as call's, more time */
	guint max_failures;   /* disabled after this many failed calls in a row */
} PxPluginLimits;

/**
 * px_plugin_load:
 * @dir: the plugins' folder: the plugin is @dir/@name.lua or @dir/@name/init.lua
 * @options: (element-type utf8 utf8): its [plugin:NAME] section (copied)
 *
 * Runs the plugin's file in a new sandbox with its handle as `...`.
 * Returns: (transfer full): the plugin, or NULL with @error set (with its file and line)
 */
PxPlugin *px_plugin_load (const char *name, const char *dir, GHashTable *options,
			  const PxPluginLimits *limits, GError **error);
PxPlugin *px_plugin_ref (PxPlugin *plugin);
void px_plugin_unref (PxPlugin *plugin);
/* stops it for good: no call runs after, waiting tasks are cancelled */
void px_plugin_close (PxPlugin *plugin);

/* Returns: whether a task of it is running or waiting */
gboolean px_plugin_is_waiting (PxPlugin *plugin);
const char *px_plugin_get_name (PxPlugin *plugin);
/* Returns: (transfer none) (element-type PxPluginHandler): by registration */
GPtrArray *px_plugin_get_handlers (PxPlugin *plugin);
/* Returns: (transfer none) (element-type PxPluginImporter) */
GPtrArray *px_plugin_get_importers (PxPlugin *plugin);
/* Returns: (transfer none) (element-type PxPluginTimer) */
GPtrArray *px_plugin_get_timers (PxPlugin *plugin);
/* Returns: (transfer full) (nullable): why it is disabled, NULL while it runs */
char *px_plugin_dup_disabled_reason (PxPlugin *plugin);
gsize px_plugin_get_memory (PxPlugin *plugin);

/* called (from any thread) when a plugin is disabled for its failures */
typedef void (*PxPluginDisabledFunc) (PxPlugin *plugin, const char *reason, gpointer user_data);
void px_plugin_set_disabled_func (PxPlugin *plugin, PxPluginDisabledFunc func, gpointer user_data);

/*
 * Calls into a plugin, each one invocation under the call limits, from any thread but one at a
 * time. A call that fails is logged with the plugin's name and traceback and counts towards
 * disabling it; a disabled plugin's calls fail at once.
 */

/* practice.tag: @view's practice is the working copy, @view->additions what to add */
gboolean px_plugin_call_tag (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
			     const PxLuaPracticeView *view, GError **error);
/* practice.validate: @refusal (out) (nullable) the message when the handler refuses */
gboolean px_plugin_call_validate (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
				  const PxLuaPracticeView *view, char **refusal, GError **error);
/* practice.submitted and the other changes: the handler's answer is not read */
gboolean px_plugin_call_notify (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
				const PxLuaPracticeView *view, GError **error);
/* search.rewrite (the main thread): @rewritten (out) (nullable) the new query, NULL to leave it.
 * It never waits: while the plugin runs a call on another thread it fails at once with
 * PX_ERROR_BUSY (not counted as a failure), and the query goes on without its rewrite */
gboolean px_plugin_call_rewrite (PxPlugin *plugin, const PxPluginHandler *handler, PxLuaCall *call,
				 const char *query, char **rewritten, GError **error);

/* pushes a task's arguments onto @L in protected mode; Returns: how many */
typedef int (*PxPluginPushFunc) (lua_State *L, gpointer user_data);
/* a task's end: @error NULL when it returned */
typedef void (*PxPluginTaskDoneFunc) (PxPluginTask *task, const GError *error, gpointer user_data);

/**
 * px_plugin_start_task:
 * @ref: the function to run (an importer's or a timer's)
 * @call: what it runs with (copied; its task and context are set here)
 * @context: where its waits complete and @done is called: the thread that iterates it
 *
 * Starts the function as a coroutine under the task limits; @done is called once, maybe before
 * this returns, with the task valid until it returns
 */
void px_plugin_start_task (PxPlugin *plugin, int ref, const PxLuaCall *call, GMainContext *context,
			   PxPluginPushFunc push, gpointer push_data, PxPluginTaskDoneFunc done,
			   gpointer done_data);

/*
 * For bindings that wait: in the task's call (px_lua_call_get()->task), start the operation with
 * px_plugin_task_get_cancellable(), keep a px_plugin_task_ref(), and `return lua_yield (L, 0)`.
 * When the operation completes (on the task's context, never inside the C function that
 * yielded), call px_plugin_task_resume() with a function that pushes the C function's results,
 * then px_plugin_task_unref().
 */
PxPluginTask *px_plugin_task_ref (PxPluginTask *task);
void px_plugin_task_unref (PxPluginTask *task);
/* cancelled when the task's deadline passes or its plugin closes */
GCancellable *px_plugin_task_get_cancellable (PxPluginTask *task);
void px_plugin_task_resume (PxPluginTask *task, PxPluginPushFunc push, gpointer push_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPlugin, px_plugin_unref)
