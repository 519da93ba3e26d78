/* routes.h: PxRoutes, the table of routes that resources register into: a path pattern of
 * literal and {id} segments, the methods it answers, and its handler. Matching only: it knows
 * nothing of sockets or answers, so that it can be tested on its own. */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

typedef struct _PxServer PxServer;

/**
 * PxRouteFunc:
 * @id: the value of the pattern's {id} segment, 0 if it has none
 *
 * Answers @message (at once, or later through px_server_defer). Runs on the main context once
 * the body is read; the route has matched and the method is one it answers.
 */
typedef void (*PxRouteFunc) (PxServer *server, SoupServerMessage *message, gint64 id,
			     gpointer user_data);

typedef struct {
	char *pattern;	    /* "/api/practices/{id}": also the metrics label */
	char *methods;	    /* (nullable): "GET, HEAD": also the Allow header; NULL: every method */
	char **segments;    /* private: @pattern split at '/' */
	char **method_list; /* private: @methods split, NULL with it */
	PxRouteFunc handler;
	gpointer user_data;
} PxRoute;

typedef struct _PxRoutes PxRoutes;

PxRoutes *px_routes_new (void);
void px_routes_free (PxRoutes *routes);

/**
 * px_routes_add:
 * @pattern: an absolute path whose segments are literal text or "{id}" (at most one), a
 *   positive decimal id (1 to G_MAXINT64, leading zeros allowed, no sign); no trailing slash
 * @methods: (nullable): the methods answered, as the Allow header lists them ("GET, HEAD,
 *   POST"); HEAD is answered only if listed. NULL: every method reaches @handler, which then
 *   refuses the methods it does not answer itself
 *
 * Adds a route. Patterns are tried in the order they were added.
 */
void px_routes_add (PxRoutes *routes, const char *pattern, const char *methods, PxRouteFunc handler,
		    gpointer user_data);

/**
 * px_routes_match:
 * @route: (out) (transfer none) (nullable): the first route whose pattern matches @path
 * @id: (out): the value of its {id} segment, 0 if none
 *
 * Finds the route for a request. A path matches a pattern segment by segment: the same number
 * of segments (so a trailing slash is another path), literal ones equal byte for byte.
 *
 * Returns: 0 if @route answers @method; SOUP_STATUS_NOT_FOUND (no route; @route NULL) or
 * SOUP_STATUS_METHOD_NOT_ALLOWED (@route's methods make the Allow header)
 */
guint px_routes_match (PxRoutes *routes, const char *path, const char *method,
		       const PxRoute **route, gint64 *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxRoutes, px_routes_free)
