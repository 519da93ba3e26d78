/* api.c: the /api resources' shared parts and their dispatch. The main context checks method,
 * route, headers and parameters and answers cache hits; everything touching the database runs in
 * a pool (server.c). The resources live in api-search.c, api-practices.c and api-export.c. */
#define G_LOG_DOMAIN "PxApi"

#include <string.h>

#include "api-private.h"
#include "api.h"
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
	return px_store_lookup_token (store, call->token, error);
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

/* Returns: the id in "/api/practices/ID[/action]", 0 if none; @action receives the rest */
static gint64
px_api_parse_practice_path (const char *path, const char **action)
{
	const char *rest = path + strlen ("/api/practices/");
	const char *slash = strchr (rest, '/');
	g_autofree char *digits =
	    g_strndup (rest, slash != NULL ? (gsize)(slash - rest) : strlen (rest));
	guint64 id = 0;

	*action = slash != NULL ? slash + 1 : NULL;
	if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &id, NULL))
		return 0;
	return (gint64)id;
}

typedef struct {
	const char *method;
	PxCallKind kind;
} PxMethodRoute;

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

/* Returns: the methods of @path and its metrics label, or NULL for an unknown path */
static const PxMethodRoute *
px_api_route (const char *path, gint64 *id, const char **label, const char **allow)
{
	const char *action = NULL;

	*id = 0;
	if (g_str_equal (path, "/api/practices")) {
		*label = "/api/practices";
		*allow = "GET, HEAD, POST";
		return collection_methods;
	}
	if (g_str_equal (path, "/api/export")) {
		*label = "/api/export";
		*allow = "GET, HEAD";
		return export_methods;
	}
	if (!g_str_has_prefix (path, "/api/practices/"))
		return NULL;
	*id = px_api_parse_practice_path (path, &action);
	if (*id == 0)
		return NULL;
	if (action == NULL) {
		*label = "/api/practices/{id}";
		*allow = "GET, HEAD, PATCH, DELETE";
		return item_methods;
	}
	*allow = "POST";
	if (g_str_equal (action, "publish")) {
		*label = "/api/practices/{id}/publish";
		return publish_methods;
	}
	if (g_str_equal (action, "reject")) {
		*label = "/api/practices/{id}/reject";
		return reject_methods;
	}
	return NULL;
}

void
px_api_handle (PxServer *server, SoupServerMessage *message, const char *path)
{
	const char *method = soup_server_message_get_method (message);
	const char *label = "other", *allow = NULL;
	g_autoptr (PxApiCall) call = g_new0 (PxApiCall, 1);
	const PxMethodRoute *methods = px_api_route (path, &call->id, &label, &allow);
	guint m = 0;

	px_server_set_route (message, label);
	if (methods == NULL) {
		px_server_respond_problem (message, SOUP_STATUS_NOT_FOUND, "no such resource");
		return;
	}
	while (methods[m].method != NULL && !g_str_equal (methods[m].method, method))
		m++;
	if (methods[m].method == NULL) {
		PxResponse response = {0};
		px_response_set_problem (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
					 "this method is not allowed here", NULL);
		response.allow = allow;
		px_server_respond (message, &response);
		return;
	}
	call->server = server;
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
