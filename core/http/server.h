/* server.h: PxServer, the HTTP front: listening, the route table that resources register into,
 * the chain of early steps (request limits first), deferring work to the database pools,
 * metrics and clean shutdown. It knows no resource: they live in api/ and register here. */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "metrics.h"
#include "response.h"
#include "routes.h"
#include "store/pool.h"
#include "util/config.h"

typedef struct _PxServer PxServer;

/* runs in a worker thread: fill @response from @data using @store */
typedef void (*PxServerWorkFunc) (gpointer data, PxStore *store, PxResponse *response);

/**
 * PxServerStep:
 *
 * One early step: runs on the main context for every request once its headers are read, before
 * its body is read and before its handler. Returns: TRUE if it answered @message, which ends
 * the chain (the handler does not run); FALSE to pass the request on
 */
typedef gboolean (*PxServerStep) (PxServer *server, SoupServerMessage *message, gpointer user_data);

/**
 * px_server_new:
 * @config: the settings, command-line overrides applied; must outlive the server
 *
 * Opens (creating and migrating) the database in the pools. The request limits are the first
 * early step; nothing is routed until resources register. Returns: (transfer full): the
 * server, or NULL with @error set
 */
PxServer *px_server_new (const PxConfig *config, GError **error);
/* stops serving: cancels queued work, lets answers go out for a short while, closes */
void px_server_free (PxServer *server);

/**
 * px_server_run:
 *
 * Listens, prints "listening on URL" as the first line of stdout, and serves until SIGTERM or
 * SIGINT. Returns: FALSE with @error set when it cannot listen
 */
gboolean px_server_run (PxServer *server, GError **error);

/**
 * px_server_add_route:
 *
 * Routes requests whose path matches @pattern to @handler (see px_routes_add for patterns and
 * @methods). An unknown path is answered 404, a method not in @methods 405 with an Allow
 * header; @pattern is the route's metrics label, "other" that of unknown paths. Register before
 * px_server_run.
 */
void px_server_add_route (PxServer *server, const char *pattern, const char *methods,
			  PxRouteFunc handler, gpointer user_data);
/* @handler answers the requests no route matches whose Accept header names text/html (a
 * browser's), instead of the problem+json 404 */
void px_server_set_not_found (PxServer *server, PxRouteFunc handler, gpointer user_data);
/* appends @step to the chain of early steps, which run in the order they were added */
void px_server_add_step (PxServer *server, PxServerStep step, gpointer user_data);

/* Returns: (transfer none): the request counters, for a resource that renders them */
PxMetrics *px_server_get_metrics (PxServer *server);

/**
 * px_server_defer:
 * @write: run on the writer connection instead of a reader
 * @destroy: frees @data on the main context once the answer is sent
 *
 * Pauses @message, runs @work off the main loop and sends the response it fills. Work that sets
 * response->more sends a chunk and is run again for the next one.
 */
void px_server_defer (PxServer *server, SoupServerMessage *message, gboolean write,
		      PxServerWorkFunc work, gpointer data, GDestroyNotify destroy);

/* answers at once on the main context */
void px_server_respond (SoupServerMessage *message, PxResponse *response);
void px_server_respond_problem (SoupServerMessage *message, guint status, const char *detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxServer, px_server_free)
