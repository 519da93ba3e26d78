/* api-status.c: the status resources: GET /healthz (the database answers, and its schema) and
 * GET /metrics (the server's request counters and the practices stored by status). */
#define G_LOG_DOMAIN "PxApi"

#include <string.h>

#include "api.h"
#include "http/metrics.h"
#include "http/server.h"

static void
px_api_status_healthz_work (gpointer data, PxStore *store, PxResponse *response)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	gint version = px_store_get_schema_version (store);

	if (version < 1) {
		px_response_set_problem (response, SOUP_STATUS_SERVICE_UNAVAILABLE,
					 "the database cannot be read", NULL);
		return;
	}
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "status");
	json_builder_add_string_value (builder, "ok");
	json_builder_set_member_name (builder, "schema");
	json_builder_add_int_value (builder, version);
	json_builder_end_object (builder);
	px_response_set_json (response, SOUP_STATUS_OK, builder);
}

static gboolean
px_api_status_only_get (SoupServerMessage *message)
{
	const char *method = soup_server_message_get_method (message);
	PxResponse response = {0};

	if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
		return TRUE;
	px_response_set_problem (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
				 "this resource only answers GET", NULL);
	response.allow = "GET, HEAD";
	px_server_respond (message, &response);
	return FALSE;
}

/* a GET-only resource at exactly @route whose answer @work builds */
static void
px_api_status_handle_get (PxServer *server, SoupServerMessage *message, const char *path,
			  const char *route, PxServerWorkFunc work)
{
	px_server_set_route (message, route);
	if (!g_str_equal (path, route)) {
		px_server_set_route (message, "other");
		px_server_respond_problem (message, SOUP_STATUS_NOT_FOUND, "no such resource");
		return;
	}
	if (px_api_status_only_get (message))
		px_server_defer (server, message, FALSE, work, server, NULL);
}

void
px_api_status_handle_healthz (PxServer *server, SoupServerMessage *message, const char *path)
{
	px_api_status_handle_get (server, message, path, "/healthz", px_api_status_healthz_work);
}

static void
px_api_status_metrics_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxServer *server = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFacets) facets =
	    px_search_index_ensure_facets (px_server_get_search (server), store, &error);
	guint counts[PX_STATUS_N] = {0};
	char *text;

	if (facets == NULL) {
		px_response_set_error (response, error);
		return;
	}
	for (guint s = 0; s < PX_STATUS_N; s++)
		counts[s] = px_facets_count (facets, (PxStatus)s);
	text = px_metrics_render (px_server_get_metrics (server), counts);
	response->status = SOUP_STATUS_OK;
	response->content_type = "text/plain; version=0.0.4; charset=utf-8";
	response->body = g_bytes_new_take (text, strlen (text));
}

void
px_api_status_handle_metrics (PxServer *server, SoupServerMessage *message, const char *path)
{
	px_api_status_handle_get (server, message, path, "/metrics", px_api_status_metrics_work);
}
