/* plugins.c: PxPlugins, the plugin host: [plugins] of praxis.conf read (again on reload), the
 * enabled plugins loaded as one refcounted set that replaces the old one whole, the set's
 * handlers ordered by priority behind the write path's hooks and the query rewrite, and its
 * timers on a thread of their own. A plugin's failure is its own: a tag or change goes on
 * without it, a validation is refused with a clear message. */
#define G_LOG_DOMAIN "PxPlugins"

#include "plugins.h"

#include <lauxlib.h>

#include "lua-import.h"
#include "plugin.h"
#include "store/plugin-state.h"
#include "store/user.h"
#include "util/error.h"
#include "util/field-errors.h"

/* the first run of a timer comes this soon after loading, or its period if shorter */
#define PX_PLUGINS_FIRST_RUN_S 5

typedef struct {
	PxPlugin *plugin;
	const PxPluginHandler *handler;
	guint plugin_order;
} PxPluginsBinding;

typedef struct {
	struct _PxPlugins *plugins;
	PxPlugin *plugin;
	const PxPluginTimer *timer;
	GSource *source;
	gboolean running;
	struct _PxPluginsSet *set;
} PxPluginsTimer;

/* an enabled plugin: loaded, or why not */
typedef struct {
	char *name;
	char *error; /* (nullable) */
} PxPluginsFailure;

typedef struct _PxPluginsSet {
	gint refs;
	GPtrArray *plugins;   /* (element-type PxPlugin): the loaded ones, in praxis.conf's order */
	GPtrArray *failures;  /* (element-type PxPluginsFailure): the ones that did not load */
	GHashTable *by_event; /* event → GPtrArray of PxPluginsBinding, by priority */
	GPtrArray *timers;    /* (element-type PxPluginsTimer) */
} PxPluginsSet;

struct _PxPlugins {
	char *config_path; /* (nullable) */
	GMutex lock;	   /* guards current */
	PxPluginsSet *current;
	PxPractices *practices;
	struct _PxSearchIndex *index;
	struct _PxDelivery *delivery;
	/* the timers' thread, its context and its own connection */
	GMainContext *context;
	GMainLoop *loop;
	GThread *thread;
	PxStore *store;
	guint drain_rounds;
};

const char *
px_plugins_status_to_string (PxPluginsStatus status)
{
	static const char *const names[] = {"loaded", "failed", "disabled"};

	return names[status];
}

void
px_plugins_info_free (PxPluginsInfo *info)
{
	if (info == NULL)
		return;
	g_free (info->name);
	g_free (info->reason);
	g_strfreev (info->events);
	g_strfreev (info->importers);
	g_strfreev (info->timers);
	g_free (info);
}

static PxPluginsSet *
px_plugins_set_ref (PxPluginsSet *set)
{
	g_atomic_int_inc (&set->refs);
	return set;
}

static void
px_plugins_set_unref (PxPluginsSet *set)
{
	if (set == NULL || !g_atomic_int_dec_and_test (&set->refs))
		return;
	g_ptr_array_unref (set->timers);
	g_hash_table_unref (set->by_event);
	g_ptr_array_unref (set->plugins);
	g_ptr_array_unref (set->failures);
	g_free (set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPluginsSet, px_plugins_set_unref)

static PxPluginsSet *
px_plugins_current (PxPlugins *plugins)
{
	PxPluginsSet *set;

	g_mutex_lock (&plugins->lock);
	set = px_plugins_set_ref (plugins->current);
	g_mutex_unlock (&plugins->lock);
	return set;
}

static gint
px_plugins_binding_compare (gconstpointer a, gconstpointer b)
{
	const PxPluginsBinding *left = *(PxPluginsBinding *const *)a;
	const PxPluginsBinding *right = *(PxPluginsBinding *const *)b;

	if (left->handler->priority != right->handler->priority)
		return left->handler->priority > right->handler->priority ? -1 : 1;
	if (left->plugin_order != right->plugin_order)
		return left->plugin_order < right->plugin_order ? -1 : 1;
	return left->handler->order < right->handler->order ? -1 : 1;
}

static void
px_plugins_timer_free (gpointer data)
{
	PxPluginsTimer *timer = data;

	if (timer->source != NULL) {
		g_source_destroy (timer->source);
		g_source_unref (timer->source);
	}
	g_free (timer);
}

static void
px_plugins_binding_free (gpointer data)
{
	g_free (data);
}

static void
px_plugins_plugin_close (gpointer data)
{
	px_plugin_close (data);
	px_plugin_unref (data);
}

static void
px_plugins_failure_free (gpointer data)
{
	PxPluginsFailure *failure = data;

	g_free (failure->name);
	g_free (failure->error);
	g_free (failure);
}

static PxPluginsSet *
px_plugins_set_new (void)
{
	PxPluginsSet *set = g_new0 (PxPluginsSet, 1);

	set->refs = 1;
	set->failures = g_ptr_array_new_with_free_func (px_plugins_failure_free);
	set->plugins = g_ptr_array_new_with_free_func (px_plugins_plugin_close);
	set->by_event = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)g_ptr_array_unref);
	set->timers = g_ptr_array_new_with_free_func (px_plugins_timer_free);
	return set;
}

static void
px_plugins_set_bind (PxPluginsSet *set, PxPlugin *plugin, guint order)
{
	GPtrArray *handlers = px_plugin_get_handlers (plugin);

	for (guint i = 0; i < handlers->len; i++) {
		const PxPluginHandler *handler = g_ptr_array_index (handlers, i);
		GPtrArray *bindings = g_hash_table_lookup (set->by_event, handler->event);
		PxPluginsBinding *binding = g_new0 (PxPluginsBinding, 1);

		if (bindings == NULL) {
			bindings = g_ptr_array_new_with_free_func (px_plugins_binding_free);
			g_hash_table_insert (set->by_event, g_strdup (handler->event), bindings);
		}
		*binding = (PxPluginsBinding){plugin, handler, order};
		g_ptr_array_add (bindings, binding);
		g_ptr_array_sort (bindings, px_plugins_binding_compare);
	}
}

static gint
px_plugins_handler_compare (gconstpointer a, gconstpointer b)
{
	const PxPluginHandler *left = *(PxPluginHandler *const *)a;
	const PxPluginHandler *right = *(PxPluginHandler *const *)b;

	if (left->priority != right->priority)
		return left->priority > right->priority ? -1 : 1;
	return left->order < right->order ? -1 : 1;
}

static GStrv
px_plugins_describe_events (PxPlugin *plugin)
{
	g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
	g_autoptr (GPtrArray) sorted =
	    g_ptr_array_copy (px_plugin_get_handlers (plugin), NULL, NULL);

	g_ptr_array_set_free_func (sorted, NULL); /* a copy keeps the free function */
	g_ptr_array_sort (sorted, px_plugins_handler_compare);
	for (guint i = 0; i < sorted->len; i++) {
		const PxPluginHandler *handler = g_ptr_array_index (sorted, i);

		g_autofree char *text =
		    handler->priority != 0
			? g_strdup_printf ("%s (%d)", handler->event, handler->priority)
			: g_strdup (handler->event);

		g_strv_builder_add (builder, text);
	}
	return g_strv_builder_end (builder);
}

static PxPluginsInfo *
px_plugins_describe (const char *name, PxPlugin *plugin, const char *error)
{
	PxPluginsInfo *info = g_new0 (PxPluginsInfo, 1);
	g_autoptr (GStrvBuilder) importers = g_strv_builder_new ();
	g_autoptr (GStrvBuilder) timers = g_strv_builder_new ();

	info->name = g_strdup (name);
	if (plugin == NULL) {
		info->status = PX_PLUGINS_STATUS_FAILED;
		info->reason = g_strdup (error);
		info->events = g_new0 (char *, 1);
		info->importers = g_new0 (char *, 1);
		info->timers = g_new0 (char *, 1);
		return info;
	}
	info->reason = px_plugin_dup_disabled_reason (plugin);
	info->status = info->reason != NULL ? PX_PLUGINS_STATUS_DISABLED : PX_PLUGINS_STATUS_LOADED;
	info->memory = px_plugin_get_memory (plugin);
	info->events = px_plugins_describe_events (plugin);
	for (guint i = 0; i < px_plugin_get_importers (plugin)->len; i++)
		g_strv_builder_add (importers, ((PxPluginImporter *)g_ptr_array_index (
						    px_plugin_get_importers (plugin), i))
						   ->name);
	for (guint i = 0; i < px_plugin_get_timers (plugin)->len; i++) {
		PxPluginTimer *timer = g_ptr_array_index (px_plugin_get_timers (plugin), i);
		g_autofree char *text = g_strdup_printf ("every %u s", timer->seconds);

		g_strv_builder_add (timers, text);
	}
	info->importers = g_strv_builder_end (importers);
	info->timers = g_strv_builder_end (timers);
	return info;
}

typedef struct {
	char *dir;
	GStrv enabled;
	PxPluginLimits limits;
} PxPluginsSettings;

static void
px_plugins_settings_clear (PxPluginsSettings *settings)
{
	g_free (settings->dir);
	g_strfreev (settings->enabled);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PxPluginsSettings, px_plugins_settings_clear)

static gboolean
px_plugins_read_uint (GKeyFile *keyfile, const char *key, guint64 min, guint64 max, guint64 *value,
		      GError **error)
{
	g_autofree char *text = g_key_file_get_value (keyfile, "plugins", key, NULL);
	guint64 parsed;

	if (text == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned (g_strstrip (text), 10, min, max, &parsed, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "[plugins] %s: '%s' is not a whole number in %" G_GUINT64_FORMAT
			     "..%" G_GUINT64_FORMAT,
			     key, text, min, max);
		return FALSE;
	}
	*value = parsed;
	return TRUE;
}

static gboolean
px_plugins_read_settings (GKeyFile *keyfile, const char *config_path, PxPluginsSettings *settings,
			  GError **error)
{
	g_autofree char *dir = g_key_file_get_string (keyfile, "plugins", "dir", NULL);
	g_autofree char *enabled = g_key_file_get_string (keyfile, "plugins", "enabled", NULL);
	g_autofree char *base = config_path != NULL ? g_path_get_dirname (config_path) : NULL;
	guint64 memory_mb = PX_SANDBOX_MEMORY_DEFAULT / (1024 * 1024);
	guint64 instructions = PX_SANDBOX_INSTRUCTIONS_DEFAULT,
		timeout = PX_SANDBOX_TIMEOUT_DEFAULT;
	guint64 task_instructions = 1000 * PX_SANDBOX_INSTRUCTIONS_DEFAULT;
	guint64 task_timeout = 600000, failures = 5;
	g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

	if (!px_plugins_read_uint (keyfile, "memory_mb", 1, 4096, &memory_mb, error) ||
	    !px_plugins_read_uint (keyfile, "instructions", 1000, G_GUINT64_CONSTANT (1) << 40,
				   &instructions, error) ||
	    !px_plugins_read_uint (keyfile, "timeout_ms", 1, 600000, &timeout, error) ||
	    !px_plugins_read_uint (keyfile, "task_instructions", 1000, G_GUINT64_CONSTANT (1) << 40,
				   &task_instructions, error) ||
	    !px_plugins_read_uint (keyfile, "task_timeout_ms", 1, 24 * 3600 * 1000, &task_timeout,
				   error) ||
	    !px_plugins_read_uint (keyfile, "max_failures", 1, 1000000, &failures, error))
		return FALSE;
	if (dir != NULL)
		g_strstrip (dir);
	settings->dir = dir == NULL || *dir == '\0'
			    ? g_build_filename (base != NULL ? base : ".", "..", "plugins", NULL)
			: g_path_is_absolute (dir)
			    ? g_strdup (dir)
			    : g_build_filename (base != NULL ? base : ".", dir, NULL);
	if (enabled != NULL) {
		g_auto (GStrv) parts = g_strsplit (enabled, ";", -1);

		for (char **part = parts; *part != NULL; part++)
			if (*g_strstrip (*part) != '\0')
				g_ptr_array_add (names, g_strdup (*part));
	}
	g_ptr_array_add (names, NULL);
	settings->enabled = (GStrv)g_ptr_array_free (g_steal_pointer (&names), FALSE);
	settings->limits.call =
	    (PxSandboxLimits){memory_mb * 1024 * 1024, instructions, (guint)timeout};
	settings->limits.task =
	    (PxSandboxLimits){memory_mb * 1024 * 1024, task_instructions, (guint)task_timeout};
	settings->limits.max_failures = (guint)failures;
	return TRUE;
}

/* the [plugin:NAME] section of @name */
static GHashTable *
px_plugins_read_options (GKeyFile *keyfile, const char *name)
{
	g_autofree char *group = g_strdup_printf ("plugin:%s", name);
	g_auto (GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
	GHashTable *options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

	for (char **key = keys; key != NULL && *key != NULL; key++) {
		char *value = g_key_file_get_string (keyfile, group, *key, NULL);

		if (value != NULL)
			g_hash_table_insert (options, g_strdup (*key), g_strstrip (value));
	}
	return options;
}

/* loads the enabled plugins, or only @only (nullable), enabled or not */
static gboolean
px_plugins_load_set (const char *config_path, const char *only, PxPluginsSet **out, GError **error)
{
	g_autoptr (GKeyFile) keyfile = g_key_file_new ();
	g_auto (PxPluginsSettings) settings = {0};
	g_autoptr (PxPluginsSet) set = px_plugins_set_new ();

	if (config_path != NULL &&
	    !g_key_file_load_from_file (keyfile, config_path, G_KEY_FILE_NONE, error)) {
		g_prefix_error (error, "failed to read %s: ", config_path);
		return FALSE;
	}
	if (!px_plugins_read_settings (keyfile, config_path, &settings, error)) {
		g_prefix_error (error, "%s: ", config_path);
		return FALSE;
	}
	if (only != NULL) {
		g_strfreev (settings.enabled);
		settings.enabled = g_strsplit (only, ";", 1);
	}
	for (char **name = settings.enabled; *name != NULL; name++) {
		g_autoptr (GHashTable) options = px_plugins_read_options (keyfile, *name);
		g_autoptr (GError) local_error = NULL;
		PxPlugin *plugin =
		    px_plugin_load (*name, settings.dir, options, &settings.limits, &local_error);
		PxPluginsFailure *failure;

		if (plugin != NULL) {
			px_plugins_set_bind (set, plugin, set->plugins->len);
			g_ptr_array_add (set->plugins, plugin);
			continue;
		}
		g_warning ("plugin %s: not loaded: %s", *name, local_error->message);
		failure = g_new0 (PxPluginsFailure, 1);
		failure->name = g_strdup (*name);
		failure->error = g_strdup (local_error->message);
		g_ptr_array_add (set->failures, failure);
	}
	*out = g_steal_pointer (&set);
	return TRUE;
}

PxPlugins *
px_plugins_new (const PxConfig *config, const char *only, GError **error)
{
	g_autoptr (PxPlugins) plugins = g_new0 (PxPlugins, 1);

	g_mutex_init (&plugins->lock);
	plugins->config_path = g_strdup (config->path);
	if (!px_plugins_load_set (plugins->config_path, only, &plugins->current, error))
		return NULL;
	return g_steal_pointer (&plugins);
}

/* on the timers' thread: quits once the cancelled tasks have ended, or after a while */
static gboolean
px_plugins_drain_cb (gpointer user_data)
{
	PxPlugins *plugins = user_data;
	gboolean waiting = FALSE;

	for (guint i = 0; i < plugins->current->plugins->len && !waiting; i++)
		waiting = px_plugin_is_waiting (g_ptr_array_index (plugins->current->plugins, i));
	if (waiting && ++plugins->drain_rounds < 200)
		return G_SOURCE_CONTINUE;
	g_main_loop_quit (plugins->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
px_plugins_begin_stop_cb (gpointer user_data)
{
	PxPlugins *plugins = user_data;
	GSource *drain = g_timeout_source_new (10);

	/* the timers stop, but stay: a task of theirs that the close below ends still reports to
	 * its timer (px_plugins_timer_done_cb); they are freed with the set */
	for (guint i = 0; i < plugins->current->timers->len; i++) {
		PxPluginsTimer *timer = g_ptr_array_index (plugins->current->timers, i);

		if (timer->source != NULL)
			g_source_destroy (timer->source);
	}
	for (guint i = 0; i < plugins->current->plugins->len; i++)
		px_plugin_close (g_ptr_array_index (plugins->current->plugins, i));
	g_source_set_callback (drain, px_plugins_drain_cb, plugins, NULL);
	g_source_attach (drain, plugins->context);
	g_source_unref (drain);
	return G_SOURCE_REMOVE;
}

void
px_plugins_stop (PxPlugins *plugins)
{
	if (plugins->thread == NULL)
		return;
	g_main_context_invoke (plugins->context, px_plugins_begin_stop_cb, plugins);
	g_thread_join (g_steal_pointer (&plugins->thread));
}

void
px_plugins_free (PxPlugins *plugins)
{
	if (plugins == NULL)
		return;
	px_plugins_stop (plugins);
	px_plugins_set_unref (plugins->current);
	g_clear_pointer (&plugins->loop, g_main_loop_unref);
	g_clear_pointer (&plugins->context, g_main_context_unref);
	px_store_free (plugins->store);
	g_mutex_clear (&plugins->lock);
	g_free (plugins->config_path);
	g_free (plugins);
}

GPtrArray *
px_plugins_list (PxPlugins *plugins)
{
	g_autoptr (PxPluginsSet) set = px_plugins_current (plugins);
	GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify)px_plugins_info_free);

	for (guint i = 0; i < set->plugins->len; i++) {
		PxPlugin *plugin = g_ptr_array_index (set->plugins, i);

		g_ptr_array_add (infos,
				 px_plugins_describe (px_plugin_get_name (plugin), plugin, NULL));
	}
	for (guint i = 0; i < set->failures->len; i++) {
		PxPluginsFailure *failure = g_ptr_array_index (set->failures, i);

		g_ptr_array_add (infos, px_plugins_describe (failure->name, NULL, failure->error));
	}
	return infos;
}

/* Returns: (transfer none) (nullable): the bindings of @event in @set, by priority */
static GPtrArray *
px_plugins_bindings (PxPluginsSet *set, const char *event)
{
	GPtrArray *bindings = g_hash_table_lookup (set->by_event, event);

	return bindings != NULL && bindings->len > 0 ? bindings : NULL;
}

static PxLuaCall
px_plugins_change_call (PxPlugins *plugins, PxStore *store)
{
	return (PxLuaCall){.store = store, .delivery = plugins->delivery, .in_change = TRUE};
}

static gboolean
px_plugins_tag_cb (PxStore *store, const char *event, const PxPractice *practice,
		   PxPractice *additions, gpointer user_data, GError **error)
{
	PxPlugins *plugins = user_data;
	g_autoptr (PxPluginsSet) set = px_plugins_current (plugins);
	GPtrArray *bindings = px_plugins_bindings (set, PX_PLUGIN_EVENT_TAG);
	g_autoptr (PxPractice) work = NULL;
	PxLuaCall call = px_plugins_change_call (plugins, store);
	PxLuaPracticeView view = {NULL, additions, NULL, event};

	if (bindings == NULL)
		return TRUE;
	/* each handler sees what the ones before it added */
	work = px_practice_copy (practice);
	view.practice = work;
	for (guint i = 0; i < bindings->len; i++) {
		PxPluginsBinding *binding = g_ptr_array_index (bindings, i);

		/* a tagger that fails tags nothing: the change goes on (the failure is logged) */
		px_plugin_call_tag (binding->plugin, binding->handler, &call, &view, NULL);
	}
	return TRUE;
}

static gboolean
px_plugins_validate_cb (PxStore *store, const char *event, const PxPractice *practice,
			GPtrArray *errors, gpointer user_data, GError **error)
{
	PxPlugins *plugins = user_data;
	g_autoptr (PxPluginsSet) set = px_plugins_current (plugins);
	GPtrArray *bindings = px_plugins_bindings (set, PX_PLUGIN_EVENT_VALIDATE);
	PxLuaCall call = px_plugins_change_call (plugins, store);
	PxLuaPracticeView view = {(PxPractice *)practice, NULL, NULL, event};

	for (guint i = 0; bindings != NULL && i < bindings->len; i++) {
		PxPluginsBinding *binding = g_ptr_array_index (bindings, i);
		const char *name = px_plugin_get_name (binding->plugin);
		g_autofree char *refusal = NULL;
		g_autofree char *disabled = px_plugin_dup_disabled_reason (binding->plugin);
		g_autoptr (GError) local_error = NULL;

		/* a validator disabled for its failures checks nothing more: it refused while it
		 * failed, and an admin sees why in praxis plugin list */
		if (disabled != NULL)
			continue;
		if (!px_plugin_call_validate (binding->plugin, binding->handler, &call, &view,
					      &refusal, &local_error)) {
			/* a check that cannot run refuses, and says so: never a 500 */
			px_field_errors_add (
			    errors, "practice",
			    "could not be checked: the %s plugin failed; try again "
			    "later or tell an administrator",
			    name);
			continue;
		}
		if (refusal != NULL)
			px_field_errors_add (errors, "practice", "%s",
					     *refusal != '\0' ? refusal : "refused by a plugin");
	}
	return TRUE;
}

static gboolean
px_plugins_changed_cb (PxStore *store, const char *event, const PxPractice *practice,
		       gpointer user_data, GError **error)
{
	PxPlugins *plugins = user_data;
	g_autoptr (PxPluginsSet) set = px_plugins_current (plugins);
	GPtrArray *bindings = px_plugins_bindings (set, event);
	PxLuaCall call = px_plugins_change_call (plugins, store);
	g_autoptr (PxUser) submitter = NULL;
	PxLuaPracticeView view = {(PxPractice *)practice, NULL, NULL, event};

	if (bindings == NULL)
		return TRUE;
	if (practice->submitted_by != 0)
		submitter = px_user_get (store, practice->submitted_by, NULL);
	view.submitter = submitter != NULL ? submitter->email : NULL;
	for (guint i = 0; i < bindings->len; i++) {
		PxPluginsBinding *binding = g_ptr_array_index (bindings, i);

		/* a notifier that fails does not undo the change (the failure is logged) */
		px_plugin_call_notify (binding->plugin, binding->handler, &call, &view, NULL);
	}
	return TRUE;
}

void
px_plugins_attach (PxPlugins *plugins, PxPractices *practices, struct _PxSearchIndex *index,
		   struct _PxDelivery *delivery)
{
	plugins->practices = practices;
	plugins->index = index;
	plugins->delivery = delivery;
	px_practices_add_tag_hook (practices, 0, px_plugins_tag_cb, plugins, NULL);
	px_practices_add_validate_hook (practices, 0, px_plugins_validate_cb, plugins, NULL);
	px_practices_add_changed_hook (practices, 0, px_plugins_changed_cb, plugins, NULL);
}

char *
px_plugins_rewrite_query (PxPlugins *plugins, const char *query)
{
	g_autoptr (PxPluginsSet) set = px_plugins_current (plugins);
	GPtrArray *bindings = px_plugins_bindings (set, PX_PLUGIN_EVENT_REWRITE);
	PxLuaCall call = {0};
	g_autofree char *current = NULL;

	for (guint i = 0; bindings != NULL && i < bindings->len; i++) {
		PxPluginsBinding *binding = g_ptr_array_index (bindings, i);
		char *rewritten = NULL;

		/* a rewrite that fails leaves the query as it was (the failure is logged) */
		if (px_plugin_call_rewrite (binding->plugin, binding->handler, &call,
					    current != NULL ? current : query, &rewritten, NULL) &&
		    rewritten != NULL) {
			g_free (current);
			current = rewritten;
		}
	}
	if (current != NULL && g_str_equal (current, query))
		g_clear_pointer (&current, g_free);
	return g_steal_pointer (&current);
}

/* the states praxis plugin list reads: written by the server on its own connection */

typedef struct {
	PxPlugins *plugins;
	char *name;
	char *status;
	char *reason;
} PxPluginsState;

static gboolean
px_plugins_write_state_cb (gpointer user_data)
{
	PxPluginsState *state = user_data;
	g_autoptr (GError) error = NULL;

	if (!px_plugin_state_set (state->plugins->store, state->name, state->status, state->reason,
				  0, &error))
		g_warning ("plugin %s: state not written: %s", state->name, error->message);
	return G_SOURCE_REMOVE;
}

static void
px_plugins_state_free (gpointer data)
{
	PxPluginsState *state = data;

	g_free (state->name);
	g_free (state->status);
	g_free (state->reason);
	g_free (state);
}

/* from any thread: written on the timers' thread, when the server runs one */
static void
px_plugins_record_state (PxPlugins *plugins, const char *name, PxPluginsStatus status,
			 const char *reason)
{
	PxPluginsState *state;

	if (plugins->context == NULL)
		return;
	state = g_new0 (PxPluginsState, 1);
	*state =
	    (PxPluginsState){plugins, g_strdup (name),
			     g_strdup (px_plugins_status_to_string (status)), g_strdup (reason)};
	g_main_context_invoke_full (plugins->context, G_PRIORITY_DEFAULT, px_plugins_write_state_cb,
				    state, px_plugins_state_free);
}

static void
px_plugins_disabled_cb (PxPlugin *plugin, const char *reason, gpointer user_data)
{
	px_plugins_record_state (user_data, px_plugin_get_name (plugin), PX_PLUGINS_STATUS_DISABLED,
				 reason);
}

/* records the state of each plugin of @set, and hears of those it disables */
static void
px_plugins_record_set (PxPlugins *plugins, PxPluginsSet *set)
{
	for (guint i = 0; i < set->plugins->len; i++) {
		PxPlugin *plugin = g_ptr_array_index (set->plugins, i);

		px_plugin_set_disabled_func (plugin, px_plugins_disabled_cb, plugins);
		px_plugins_record_state (plugins, px_plugin_get_name (plugin),
					 PX_PLUGINS_STATUS_LOADED, NULL);
	}
	for (guint i = 0; i < set->failures->len; i++) {
		PxPluginsFailure *failure = g_ptr_array_index (set->failures, i);

		px_plugins_record_state (plugins, failure->name, PX_PLUGINS_STATUS_FAILED,
					 failure->error);
	}
}

/* timers */

static void
px_plugins_timer_done_cb (PxPluginTask *task, const GError *error, gpointer user_data)
{
	PxPluginsTimer *timer = user_data;
	PxPluginsSet *set = timer->set;

	timer->running = FALSE;
	px_plugins_set_unref (set);
}

static void px_plugins_timer_arm (PxPluginsTimer *timer, guint seconds);

static gboolean
px_plugins_timer_cb (gpointer user_data)
{
	PxPluginsTimer *timer = user_data;
	PxPlugins *plugins = timer->plugins;
	PxLuaCall call = {.store = plugins->store,
			  .delivery = plugins->delivery,
			  .practices = plugins->practices,
			  .index = plugins->index};

	px_plugins_timer_arm (timer, timer->timer->seconds);
	/* a run still waiting when the next is due: the next is skipped */
	if (timer->running)
		return G_SOURCE_REMOVE;
	timer->running = TRUE;
	px_plugins_set_ref (timer->set);
	px_plugin_start_task (timer->plugin, timer->timer->ref, &call, plugins->context, NULL, NULL,
			      px_plugins_timer_done_cb, timer);
	return G_SOURCE_REMOVE;
}

static void
px_plugins_timer_arm (PxPluginsTimer *timer, guint seconds)
{
	if (timer->source != NULL)
		g_source_unref (timer->source);
	timer->source = g_timeout_source_new_seconds (seconds);
	g_source_set_callback (timer->source, px_plugins_timer_cb, timer, NULL);
	g_source_attach (timer->source, timer->plugins->context);
}

/* the set's timers on the timers' thread */
static void
px_plugins_set_arm (PxPlugins *plugins, PxPluginsSet *set)
{
	for (guint i = 0; i < set->plugins->len; i++) {
		PxPlugin *plugin = g_ptr_array_index (set->plugins, i);
		GPtrArray *timers = px_plugin_get_timers (plugin);

		for (guint j = 0; j < timers->len; j++) {
			PxPluginsTimer *timer = g_new0 (PxPluginsTimer, 1);

			timer->plugins = plugins;
			timer->plugin = plugin;
			timer->timer = g_ptr_array_index (timers, j);
			timer->set = set;
			g_ptr_array_add (set->timers, timer);
			px_plugins_timer_arm (timer,
					      MIN (timer->timer->seconds, PX_PLUGINS_FIRST_RUN_S));
		}
	}
}

static gpointer
px_plugins_thread (gpointer user_data)
{
	PxPlugins *plugins = user_data;

	g_main_context_push_thread_default (plugins->context);
	g_main_loop_run (plugins->loop);
	g_main_context_pop_thread_default (plugins->context);
	return NULL;
}

gboolean
px_plugins_start (PxPlugins *plugins, const PxConfig *config, GError **error)
{
	plugins->store =
	    px_store_open (config->db_path, PX_STORE_READ_WRITE, config->busy_timeout_ms, error);
	if (plugins->store == NULL)
		return FALSE;
	plugins->context = g_main_context_new ();
	plugins->loop = g_main_loop_new (plugins->context, FALSE);
	g_mutex_lock (&plugins->lock);
	px_plugins_set_arm (plugins, plugins->current);
	px_plugins_record_set (plugins, plugins->current);
	g_mutex_unlock (&plugins->lock);
	plugins->thread = g_thread_new ("px-plugins", px_plugins_thread, plugins);
	return TRUE;
}

typedef struct {
	PxPlugins *plugins;
	PxPluginsSet *old, *set; /* (owned) */
} PxPluginsSwap;

static void
px_plugins_swap_free (gpointer data)
{
	PxPluginsSwap *swap = data;

	px_plugins_set_unref (swap->old);
	px_plugins_set_unref (swap->set);
	g_free (swap);
}

/* on the timers' thread, the only one that touches timer sources: a timer's callback re-arms
 * its own source (px_plugins_timer_cb), so destroying it from another thread raced with that
 * (the old set's timer could be re-armed after the destroy and fire on, or the destroy could
 * reach a source already freed) */
static gboolean
px_plugins_swap_cb (gpointer user_data)
{
	PxPluginsSwap *swap = user_data;

	/* the old set's timers stop now; its calls still running finish in it */
	for (guint i = 0; i < swap->old->timers->len; i++) {
		PxPluginsTimer *timer = g_ptr_array_index (swap->old->timers, i);

		if (timer->source != NULL)
			g_source_destroy (timer->source);
	}
	px_plugins_set_arm (swap->plugins, swap->set);
	return G_SOURCE_REMOVE;
}

gboolean
px_plugins_reload (PxPlugins *plugins, GError **error)
{
	PxPluginsSet *set = NULL;
	PxPluginsSwap *swap;

	if (!px_plugins_load_set (plugins->config_path, NULL, &set, error))
		return FALSE;
	swap = g_new0 (PxPluginsSwap, 1);
	swap->plugins = plugins;
	swap->set = px_plugins_set_ref (set);
	/* two reloads at once (SIGHUP on the main thread, the API's in a pool): swapped under the
	 * lock, their timers swapped in the same order on the timers' thread */
	g_mutex_lock (&plugins->lock);
	swap->old = plugins->current;
	plugins->current = set;
	px_plugins_record_set (plugins, set);
	if (plugins->context != NULL)
		g_main_context_invoke_full (plugins->context, G_PRIORITY_DEFAULT,
					    px_plugins_swap_cb, swap, px_plugins_swap_free);
	g_mutex_unlock (&plugins->lock);
	g_message ("plugins reloaded: %u loaded, %u failed", set->plugins->len, set->failures->len);
	if (plugins->context == NULL)
		px_plugins_swap_free (swap);
	return TRUE;
}

/* importers */

typedef struct {
	const char *source;
	PxLuaImportStats *stats;
	const PxLuaImportReport *report;
	gboolean done;
	GError *error;
} PxPluginsImport;

static int
px_plugins_import_push_cb (lua_State *L, gpointer user_data)
{
	PxPluginsImport *import = user_data;

	px_lua_import_push_source (L, import->source);
	px_lua_import_push_functions (L, import->stats, import->report);
	return 3;
}

static void
px_plugins_import_done_cb (PxPluginTask *task, const GError *error, gpointer user_data)
{
	PxPluginsImport *import = user_data;

	import->done = TRUE;
	if (error != NULL)
		import->error = g_error_copy (error);
}

static PxPlugin *
px_plugins_find_importer (PxPluginsSet *set, const char *name, int *ref, GError **error)
{
	for (guint i = 0; i < set->plugins->len; i++) {
		PxPlugin *plugin = g_ptr_array_index (set->plugins, i);
		GPtrArray *importers = px_plugin_get_importers (plugin);

		for (guint j = 0; j < importers->len; j++) {
			PxPluginImporter *importer = g_ptr_array_index (importers, j);

			if (g_str_equal (importer->name, name) ||
			    g_str_equal (px_plugin_get_name (plugin), name)) {
				*ref = importer->ref;
				return plugin;
			}
		}
	}
	g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
		     "no enabled plugin has an importer named %s", name);
	return NULL;
}

gboolean
px_plugins_import (PxPlugins *plugins, const char *importer, const char *source,
		   PxPractices *practices, PxStore *store, PxLuaImportStats *stats,
		   const PxLuaImportReport *report, GError **error)
{
	g_autoptr (PxPluginsSet) set = px_plugins_current (plugins);
	g_autoptr (GMainContext) context = g_main_context_new ();
	PxPluginsImport import = {source, stats, report, FALSE, NULL};
	PxLuaCall call = {.store = store, .delivery = plugins->delivery, .practices = practices};
	int ref = LUA_NOREF;
	PxPlugin *plugin = px_plugins_find_importer (set, importer, &ref, error);

	if (plugin == NULL || !px_store_begin (store, error))
		return FALSE;
	g_main_context_push_thread_default (context);
	px_plugin_start_task (plugin, ref, &call, context, px_plugins_import_push_cb, &import,
			      px_plugins_import_done_cb, &import);
	while (!import.done)
		g_main_context_iteration (context, TRUE);
	g_main_context_pop_thread_default (context);
	if (import.error != NULL) {
		px_store_rollback (store);
		g_propagate_error (error, import.error);
		return FALSE;
	}
	return px_store_commit (store, error);
}
