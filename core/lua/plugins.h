/* plugins.h: PxPlugins, the plugin host: the plugins praxis.conf enables ([plugins] dir and
 * enabled, a [plugin:NAME] section each), loaded and reloaded as one set, their handlers run
 * by priority in the write path's hooks and the search's rewrite, their timers and importers. */
#pragma once

#include <gio/gio.h>

#include "lua-import.h"
#include "practices/practices.h"
#include "util/config.h"

typedef struct _PxPlugins PxPlugins;
struct _PxDelivery;
struct _PxSearchIndex;

typedef enum {
	PX_PLUGINS_STATUS_LOADED,
	PX_PLUGINS_STATUS_FAILED,   /* it did not load: the reason is the error */
	PX_PLUGINS_STATUS_DISABLED, /* it failed too many calls in a row */
} PxPluginsStatus;

/* one enabled plugin as `praxis plugin list` and GET /api/plugins show it */
typedef struct {
	char *name;
	PxPluginsStatus status;
	char *reason;	 /* (nullable): why it failed to load or was disabled */
	GStrv events;	 /* the events it handles, by priority */
	GStrv importers; /* the importers it registered */
	GStrv timers;	 /* "every N s" */
	gsize memory;	 /* bytes its state holds */
} PxPluginsInfo;

void px_plugins_info_free (PxPluginsInfo *info);
const char *px_plugins_status_to_string (PxPluginsStatus status);

/**
 * px_plugins_new:
 * @config: its path names the file [plugins] is read from; without one, no plugin is enabled
 * @only: (nullable): load this plugin alone, enabled or not (to check it)
 *
 * Loads every enabled plugin. One that fails to load is listed with its error and left out.
 * Returns: (transfer full): the host, or NULL with @error set when praxis.conf's [plugins] is
 * wrong (a bad limit, an unreadable file)
 */
PxPlugins *px_plugins_new (const PxConfig *config, const char *only, GError **error);
void px_plugins_free (PxPlugins *plugins);

/* Returns: (transfer full) (element-type PxPluginsInfo): the enabled plugins, in order */
GPtrArray *px_plugins_list (PxPlugins *plugins);

/*
 * Hooks its handlers into @practices (once, before writes start): practice.tag, .validate and
 * the changed events. Timers search @index (nullable: px.search is not available); the plugins
 * write to the outbox through @delivery (nullable), which is told of each message.
 */
void px_plugins_attach (PxPlugins *plugins, PxPractices *practices, struct _PxSearchIndex *index,
			struct _PxDelivery *delivery);

/* Returns: (transfer full) (nullable): @query rewritten by the search.rewrite handlers, NULL
 * when none changed it */
char *px_plugins_rewrite_query (PxPlugins *plugins, const char *query);

/**
 * px_plugins_reload:
 *
 * Reads praxis.conf again and loads the plugins it enables as a new set, which replaces the old
 * one at once: calls running finish in the old set, new ones run in the new; the old set's
 * handlers, timers and importers are gone. Returns: FALSE with @error set, keeping the old set,
 * when praxis.conf's [plugins] is wrong
 */
gboolean px_plugins_reload (PxPlugins *plugins, GError **error);

/**
 * px_plugins_start:
 * @config: names the database the timers' tasks write to, with their own connection
 *
 * Runs the plugins' timers on a thread of their own, until px_plugins_free(). Attach first.
 * Returns: FALSE with @error set
 */
gboolean px_plugins_start (PxPlugins *plugins, const PxConfig *config, GError **error);
/* stops the timers' thread (a task running is abandoned at its next wait): before the write path
 * it was attached to is freed */
void px_plugins_stop (PxPlugins *plugins);

/**
 * px_plugins_import:
 * @importer: an importer's name (px.importer)
 * @source: what the importer reads: a file name, "-" for standard input, or a URL
 * @store: a read-write connection; the run is one transaction, kept only when the importer
 *   returns
 * @report: (nullable): told of each record refused (where and why) and of the counts
 *
 * Runs the importer on the calling thread until it returns, its records written through
 * @practices (attached or not). Returns: FALSE with @error set
 */
gboolean px_plugins_import (PxPlugins *plugins, const char *importer, const char *source,
			    PxPractices *practices, PxStore *store, PxLuaImportStats *stats,
			    const PxLuaImportReport *report, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPlugins, px_plugins_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPluginsInfo, px_plugins_info_free)
