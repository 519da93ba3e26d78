/* server.h: PxServer, the HTTP front: listening, the route table, request limits, deferring work
 * to the database pools, metrics and clean shutdown. Resource handlers live in api.c. */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "metrics.h"
#include "response.h"
#include "search/search.h"
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
 * px_server_run:
 * @config: the settings, command-line overrides applied
 *
 * Opens (creating and migrating) the database, listens, prints "listening on URL" as the first
 * line of stdout, and serves until SIGTERM or SIGINT. Returns: FALSE with @error set when it
 * cannot start
 */
gboolean px_server_run (const PxConfig *config, GError **error);

const PxConfig *px_server_get_config (PxServer *server);
PxSearchIndex *px_server_get_search (PxServer *server);
/* appends @step to the chain of early steps, which run in the order they were added; the
 * request limits are the first */
void px_server_add_step (PxServer *server, PxServerStep step, gpointer user_data);
/* Returns: (transfer none): the request counters */
PxMetrics *px_server_get_metrics (PxServer *server);

/* labels @message for the metrics ("/api/practices/{id}") */
void px_server_set_route (SoupServerMessage *message, const char *route);

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
