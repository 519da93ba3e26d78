/* api.c: PxApi, the API context (it owns the search index), the /api resources' shared parts,
 * and their routes and dispatch. The main context checks method, headers and parameters and
 * answers cache hits; everything touching the database runs in a pool (px_server_defer). The
 * resources live in api-search.c, api-practices.c, api-export.c and api-status.c. */
#define G_LOG_DOMAIN "PxApi"

#include "api.h"
#include "api-private.h"
#include "util/error.h"
#include "util/form.h"
#include "util/json.h"

void
px_api_call_free (PxApiCall *call)
{
	g_free (call->token);
	g_clear_pointer (&call->body, g_bytes_unref);
	px_search_request_free (call->search);
	g_free (call->since);
	px_export_cursor_free (call->cursor);
	g_free (call);
}

/* Returns: (transfer full) (nullable): the caller, NULL for anonymous or with @error for a bad
 * token */
PxUser *
px_api_authenticate (PxApiCall *call, PxStore *store, GError **error)
{
	if (call->token == NULL)
		return NULL;
	return px_token_lookup (store, call->token, error);
}

JsonObject *
px_api_parse_body (PxApiCall *call, GError **error)
{
	gsize length = 0;
	const char *data = g_bytes_get_data (call->body, &length);

	if (length == 0) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID, "the request has no body");
		return NULL;
	}
	return px_json_parse_object (data, length, error);
}

/* Returns: (transfer full) (nullable): the bearer token of the request */
static char *
px_api_bearer (SoupServerMessage *message)
{
	const char *value = soup_message_headers_get_one (
	    soup_server_message_get_request_headers (message), "Authorization");

	if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
		return NULL;
	return g_strstrip (g_strdup (value + 7));
}

gboolean
px_api_content_is_json (SoupServerMessage *message)
{
	g_autoptr (GHashTable) params = NULL;
	const char *type = soup_message_headers_get_content_type (
	    soup_server_message_get_request_headers (message), &params);

	return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

/* Returns: the query parameters in order, or NULL after answering 400 */
GPtrArray *
px_api_query_pairs (SoupServerMessage *message)
{
	g_autoptr (GError) error = NULL;
	GPtrArray *pairs =
	    px_form_decode (g_uri_get_query (soup_server_message_get_uri (message)), &error);

	if (pairs == NULL)
		px_server_respond_problem (message, SOUP_STATUS_BAD_REQUEST, error->message);
	return pairs;
}

#define PX_API_ROUTE_MAX_METHODS 4

/* one route of the API: its pattern, and each method it answers with the call that starts */
typedef struct {
	const char *pattern;
	struct {
		const char *method;
		PxCallKind kind;
	} methods[PX_API_ROUTE_MAX_METHODS + 1]; /* ends at a NULL method */
} PxApiRoute;

static const PxApiRoute api_routes[] = {
    {"/api/practices",
     {{"GET", PX_CALL_SEARCH}, {"HEAD", PX_CALL_SEARCH}, {"POST", PX_CALL_CREATE}}},
    {"/api/practices/{id}",
     {{"GET", PX_CALL_GET},
      {"HEAD", PX_CALL_GET},
      {"PATCH", PX_CALL_UPDATE},
      {"DELETE", PX_CALL_DELETE}}},
    {"/api/practices/{id}/publish", {{"POST", PX_CALL_PUBLISH}}},
    {"/api/practices/{id}/reject", {{"POST", PX_CALL_REJECT}}},
    {"/api/export", {{"GET", PX_CALL_EXPORT}, {"HEAD", PX_CALL_EXPORT}}},
    {"/api/plugins", {{"GET", PX_CALL_LIST_PLUGINS}}},
    {"/api/plugins/reload", {{"POST", PX_CALL_RELOAD_PLUGINS}}},
};

/* what a route's handler is given: the API, and which of api_routes matched */
struct _PxApiBinding {
	PxApi *api;
	const PxApiRoute *route;
};

/* starts the call that @message's method asks of a route; the route table has already
 * answered unknown paths (404) and methods the route does not list (405) */
static void
px_api_handle_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	const PxApiBinding *binding = user_data;
	PxApi *api = binding->api;
	const char *method = soup_server_message_get_method (message);
	g_autoptr (PxApiCall) call = g_new0 (PxApiCall, 1);
	guint m = 0;

	while (binding->route->methods[m].method != NULL &&
	       !g_str_equal (binding->route->methods[m].method, method))
		m++;
	g_return_if_fail (binding->route->methods[m].method != NULL);
	call->api = api;
	call->id = id;
	call->kind = binding->route->methods[m].kind;
	call->token = px_api_bearer (message);
	switch (call->kind) {
	case PX_CALL_SEARCH:
		px_api_search_start (server, message, g_steal_pointer (&call));
		return;
	case PX_CALL_EXPORT:
		px_api_export_start (server, message, g_steal_pointer (&call));
		return;
	case PX_CALL_GET:
		px_server_defer (server, message, FALSE, px_api_practices_get_work,
				 g_steal_pointer (&call), (GDestroyNotify)px_api_call_free);
		return;
	case PX_CALL_LIST_PLUGINS:
	case PX_CALL_RELOAD_PLUGINS:
		px_server_defer (server, message, FALSE, px_api_plugins_work,
				 g_steal_pointer (&call), (GDestroyNotify)px_api_call_free);
		return;
	default:
		if (px_api_practices_check_write (message, call))
			px_server_defer (server, message, TRUE, px_api_practices_write_work,
					 g_steal_pointer (&call), (GDestroyNotify)px_api_call_free);
		return;
	}
}

PxApi *
px_api_new (const PxConfig *config, PxPlugins *plugins, GError **error)
{
	g_autoptr (PxApi) api = g_new0 (PxApi, 1);

	api->plugins = plugins;
	api->search = px_search_index_new (config, error);
	if (api->search == NULL)
		return NULL;
	api->practices = px_practices_new ();
	return g_steal_pointer (&api);
}

void
px_api_free (PxApi *api)
{
	if (api == NULL)
		return;
	px_search_index_free (api->search);
	px_practices_free (api->practices);
	g_free (api->bindings);
	g_free (api);
}

/* Returns: (transfer full): @route's methods as an Allow header lists them ("GET, HEAD") */
static char *
px_api_route_allow (const PxApiRoute *route)
{
	g_autoptr (GString) allow = g_string_new (NULL);

	for (guint m = 0; route->methods[m].method != NULL; m++)
		g_string_append_printf (allow, "%s%s", m > 0 ? ", " : "", route->methods[m].method);
	return g_string_free (g_steal_pointer (&allow), FALSE);
}

void
px_api_register (PxApi *api, PxServer *server)
{
	g_return_if_fail (api->bindings == NULL); /* once */
	api->server = server;
	api->bindings = g_new0 (PxApiBinding, G_N_ELEMENTS (api_routes));
	for (guint r = 0; r < G_N_ELEMENTS (api_routes); r++) {
		g_autofree char *allow = px_api_route_allow (&api_routes[r]);

		api->bindings[r].api = api;
		api->bindings[r].route = &api_routes[r];
		px_server_add_route (server, api_routes[r].pattern, allow, px_api_handle_cb,
				     &api->bindings[r]);
	}
	px_api_status_register (api, server);
}

PxPractices *
px_api_get_practices (PxApi *api)
{
	return api->practices;
}

PxSearchIndex *
px_api_get_search (PxApi *api)
{
	return api->search;
}
