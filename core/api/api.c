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

typedef struct {
	const char *method;
	PxCallKind kind;
} PxMethodRoute;

/* each route's methods (those of its Allow header) and the call each one starts */
static const PxMethodRoute collection_methods[] = {
    {"GET", PX_CALL_SEARCH},
    {"HEAD", PX_CALL_SEARCH},
    {"POST", PX_CALL_CREATE},
    {NULL, 0},
};
static const PxMethodRoute item_methods[] = {
    {"GET", PX_CALL_GET},
    {"HEAD", PX_CALL_GET},
    {"PATCH", PX_CALL_UPDATE},
    {"DELETE", PX_CALL_DELETE},
    {NULL, 0},
};
static const PxMethodRoute publish_methods[] = {{"POST", PX_CALL_PUBLISH}, {NULL, 0}};
static const PxMethodRoute reject_methods[] = {{"POST", PX_CALL_REJECT}, {NULL, 0}};
static const PxMethodRoute export_methods[] = {
    {"GET", PX_CALL_EXPORT},
    {"HEAD", PX_CALL_EXPORT},
    {NULL, 0},
};

/* starts the call that @message's method asks of a route; the route table has already
 * answered unknown paths (404) and methods the route does not list (405) */
static void
px_api_start (PxApi *api, PxServer *server, SoupServerMessage *message, gint64 id,
	      const PxMethodRoute *methods)
{
	const char *method = soup_server_message_get_method (message);
	g_autoptr (PxApiCall) call = g_new0 (PxApiCall, 1);
	guint m = 0;

	while (methods[m].method != NULL && !g_str_equal (methods[m].method, method))
		m++;
	g_return_if_fail (methods[m].method != NULL);
	call->api = api;
	call->id = id;
	call->kind = methods[m].kind;
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
	default:
		if (px_api_practices_check_write (message, call))
			px_server_defer (server, message, TRUE, px_api_practices_write_work,
					 g_steal_pointer (&call), (GDestroyNotify)px_api_call_free);
		return;
	}
}

static void
px_api_handle_collection (PxServer *server, SoupServerMessage *message, gint64 id,
			  gpointer user_data)
{
	px_api_start (user_data, server, message, id, collection_methods);
}

static void
px_api_handle_item (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	px_api_start (user_data, server, message, id, item_methods);
}

static void
px_api_handle_publish (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	px_api_start (user_data, server, message, id, publish_methods);
}

static void
px_api_handle_reject (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	px_api_start (user_data, server, message, id, reject_methods);
}

static void
px_api_handle_export (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	px_api_start (user_data, server, message, id, export_methods);
}

PxApi *
px_api_new (const PxConfig *config, GError **error)
{
	g_autoptr (PxApi) api = g_new0 (PxApi, 1);

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
	g_free (api);
}

void
px_api_register (PxApi *api, PxServer *server)
{
	api->server = server;
	px_server_add_route (server, "/api/practices", "GET, HEAD, POST", px_api_handle_collection,
			     api);
	px_server_add_route (server, "/api/practices/{id}", "GET, HEAD, PATCH, DELETE",
			     px_api_handle_item, api);
	px_server_add_route (server, "/api/practices/{id}/publish", "POST", px_api_handle_publish,
			     api);
	px_server_add_route (server, "/api/practices/{id}/reject", "POST", px_api_handle_reject,
			     api);
	px_server_add_route (server, "/api/export", "GET, HEAD", px_api_handle_export, api);
	px_api_status_register (api, server);
}
