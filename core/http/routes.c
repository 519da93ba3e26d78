/* routes.c: the route table (see routes.h). Owns the registered routes; never answers a
 * request, which is server.c's work. */
#define G_LOG_DOMAIN "PxRoutes"

#include <string.h>

#include "routes.h"

#define PX_ROUTES_ID "{id}"

struct _PxRoutes {
	GPtrArray *routes; /* (element-type PxRoute) */
};

static void
px_routes_free_route (PxRoute *route)
{
	g_free (route->pattern);
	g_free (route->methods);
	g_strfreev (route->segments);
	g_strfreev (route->method_list);
	g_free (route);
}

PxRoutes *
px_routes_new (void)
{
	PxRoutes *routes = g_new0 (PxRoutes, 1);

	routes->routes = g_ptr_array_new_with_free_func ((GDestroyNotify)px_routes_free_route);
	return routes;
}

void
px_routes_free (PxRoutes *routes)
{
	if (routes == NULL)
		return;
	g_ptr_array_unref (routes->routes);
	g_free (routes);
}

void
px_routes_add (PxRoutes *routes, const char *pattern, const char *methods, PxRouteFunc handler,
	       gpointer user_data)
{
	g_auto (GStrv) segments = NULL;
	PxRoute *route;
	guint ids = 0;

	g_return_if_fail (pattern != NULL && pattern[0] == '/');
	g_return_if_fail (handler != NULL);
	segments = g_strsplit (pattern, "/", -1);
	for (guint i = 0; segments[i] != NULL; i++)
		ids += g_str_equal (segments[i], PX_ROUTES_ID);
	g_return_if_fail (ids <= 1);
	route = g_new0 (PxRoute, 1);
	route->pattern = g_strdup (pattern);
	route->methods = g_strdup (methods);
	route->segments = g_steal_pointer (&segments);
	if (methods != NULL)
		route->method_list = g_strsplit (methods, ", ", -1);
	route->handler = handler;
	route->user_data = user_data;
	g_ptr_array_add (routes->routes, route);
}

/* Returns: TRUE if @segments (a path split at '/') match @route's pattern */
static gboolean
px_routes_match_segments (const PxRoute *route, char **segments, gint64 *id)
{
	guint64 value = 0;

	if (g_strv_length (route->segments) != g_strv_length (segments))
		return FALSE;
	for (guint i = 0; segments[i] != NULL; i++) {
		if (!g_str_equal (route->segments[i], PX_ROUTES_ID)) {
			if (!g_str_equal (route->segments[i], segments[i]))
				return FALSE;
			continue;
		}
		if (!g_ascii_string_to_unsigned (segments[i], 10, 1, G_MAXINT64, &value, NULL))
			return FALSE;
		*id = (gint64)value;
	}
	return TRUE;
}

static gboolean
px_routes_allows (const PxRoute *route, const char *method)
{
	if (route->method_list == NULL)
		return TRUE;
	for (guint i = 0; route->method_list[i] != NULL; i++) {
		if (g_strcmp0 (route->method_list[i], method) == 0)
			return TRUE;
	}
	return FALSE;
}

guint
px_routes_match (PxRoutes *routes, const char *path, const char *method, const PxRoute **route,
		 gint64 *id)
{
	g_auto (GStrv) segments = g_strsplit (path, "/", -1);

	*route = NULL;
	for (guint i = 0; i < routes->routes->len; i++) {
		const PxRoute *candidate = g_ptr_array_index (routes->routes, i);

		*id = 0;
		if (!px_routes_match_segments (candidate, segments, id))
			continue;
		*route = candidate;
		return px_routes_allows (candidate, method) ? 0 : SOUP_STATUS_METHOD_NOT_ALLOWED;
	}
	*id = 0;
	return SOUP_STATUS_NOT_FOUND;
}
