/* api-status.c: the status resources: GET /healthz (the database answers, and its schema) and
 * GET /metrics (the server's request counters, the practices stored by status, then the
 * outbox's messages by outcome). */
#define G_LOG_DOMAIN "PxApi"

#include "api-private.h"
#include "model/status.h"
#include "store/migration.h"
#include "store/outbox.h"

static void
px_api_status_healthz_work (gpointer data, PxStore *store, PxResponse *response)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	gint version = px_migration_get_schema_version (store);

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

/* the status resources have their own 405 text: their routes list no methods */
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

static void
px_api_status_handle_healthz (PxServer *server, SoupServerMessage *message, gint64 id,
			      gpointer user_data)
{
	if (px_api_status_only_get (message))
		px_server_defer (server, message, FALSE, px_api_status_healthz_work, user_data,
				 NULL);
}

static void
px_api_status_metrics_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApi *api = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFacets) facets = px_search_index_ensure_facets (api->search, store, &error);
	g_autofree char *requests = NULL;
	PxOutboxCounts outbox;
	GString *out;
	gsize length;

	if (facets == NULL || !px_outbox_count (store, &outbox, &error)) {
		px_response_set_error (response, error);
		return;
	}
	requests = px_metrics_render (px_server_get_metrics (api->server));
	out = g_string_new (requests);
	g_string_append (out, "# HELP praxis_practices Practices stored, by status.\n"
			      "# TYPE praxis_practices gauge\n");
	for (guint s = 0; s < PX_STATUS_N; s++)
		g_string_append_printf (out, "praxis_practices{status=\"%s\"} %u\n",
					px_status_to_string ((PxStatus)s),
					px_facets_count (facets, (PxStatus)s));
	g_string_append_printf (
	    out,
	    "# HELP praxis_outbox_messages_total Outbox messages delivered, attempts retried, "
	    "messages given up.\n"
	    "# TYPE praxis_outbox_messages_total counter\n"
	    "praxis_outbox_messages_total{state=\"delivered\"} %" G_GUINT64_FORMAT "\n"
	    "praxis_outbox_messages_total{state=\"retried\"} %" G_GUINT64_FORMAT "\n"
	    "praxis_outbox_messages_total{state=\"failed\"} %" G_GUINT64_FORMAT "\n"
	    "# HELP praxis_outbox_pending Outbox messages waiting to be delivered.\n"
	    "# TYPE praxis_outbox_pending gauge\n"
	    "praxis_outbox_pending %" G_GUINT64_FORMAT "\n",
	    outbox.delivered, outbox.retried, outbox.failed, outbox.pending);
	length = out->len;
	response->status = SOUP_STATUS_OK;
	response->content_type = "text/plain; version=0.0.4; charset=utf-8";
	response->body = g_bytes_new_take (g_string_free (out, FALSE), length);
}

static void
px_api_status_handle_metrics (PxServer *server, SoupServerMessage *message, gint64 id,
			      gpointer user_data)
{
	if (px_api_status_only_get (message))
		px_server_defer (server, message, FALSE, px_api_status_metrics_work, user_data,
				 NULL);
}

void
px_api_status_register (PxApi *api, PxServer *server)
{
	px_server_add_route (server, "/healthz", NULL, px_api_status_handle_healthz, api);
	px_server_add_route (server, "/metrics", NULL, px_api_status_handle_metrics, api);
}
