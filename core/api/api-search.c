/* api-search.c: the search resource, GET /api/practices: parameters checked and the cache
 * asked on the main context, the search itself in a reader pool. */
#define G_LOG_DOMAIN "PxApi"

#include "api-private.h"
#include "util/field-errors.h"

static void
px_api_search_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	GBytes *bytes = px_search_run (call->api->search, store, call->search, &error);

	if (bytes == NULL) {
		px_response_set_error (response, error);
		return;
	}
	response->status = SOUP_STATUS_OK;
	response->content_type = "application/json";
	response->body = bytes;
}

void
px_api_search_start (PxServer *server, SoupServerMessage *message, PxApiCall *owned)
{
	g_autoptr (PxApiCall) call = owned;
	g_autoptr (GPtrArray) pairs = px_api_query_pairs (message);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autofree char *key = NULL;
	g_autoptr (GBytes) cached = NULL;
	PxResponse response = {0};

	if (pairs == NULL)
		return;
	call->search = px_search_request_parse (pairs, errors);
	if (call->search == NULL) {
		px_response_set_problem (&response, SOUP_STATUS_BAD_REQUEST,
					 "invalid search parameters", errors);
		px_server_respond (message, &response);
		return;
	}
	key = px_search_request_to_key (call->search);
	cached = px_search_index_lookup (call->api->search, key);
	if (cached != NULL) {
		response.status = SOUP_STATUS_OK;
		response.content_type = "application/json";
		response.body = g_steal_pointer (&cached);
		px_server_respond (message, &response);
		return;
	}
	px_server_defer (server, message, FALSE, px_api_search_work, g_steal_pointer (&call),
			 (GDestroyNotify)px_api_call_free);
}
