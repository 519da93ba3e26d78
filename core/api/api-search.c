/* api-search.c: the search resource, GET /api/practices: parameters checked and the cache
 * asked on the main context, the search itself in a reader pool, and the JSON rendering of a
 * search result (cached by the search index under PX_API_SEARCH_RENDERER). */
#define G_LOG_DOMAIN "PxApi"

#include <string.h>

#include "api-private.h"
#include "api-search.h"
#include "util/field-errors.h"
#include "util/html.h"
#include "util/json.h"

static void
px_api_search_add_hit (JsonBuilder *builder, const PxSearchHit *hit)
{
	g_autofree char *snippet = px_snippet_text_to_html (hit->snippet);

	px_practice_to_json (hit->practice, builder, PX_VIEW_LIST);
	json_builder_set_member_name (builder, "snippet");
	json_builder_add_string_value (builder, snippet);
	if (hit->title != NULL) {
		g_autofree char *title = px_snippet_text_to_html (hit->title);
		json_builder_set_member_name (builder, "title_html");
		json_builder_add_string_value (builder, title);
	}
	json_builder_set_member_name (builder, "matched");
	json_builder_add_string_value (builder, hit->partial ? "partial" : "full");
	json_builder_end_object (builder);
}

GBytes *
px_api_search_render (const PxSearchResult *result)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	gsize length = 0;
	char *text;

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "total");
	json_builder_add_int_value (builder, result->total);
	json_builder_set_member_name (builder, "page");
	json_builder_add_int_value (builder, result->page);
	json_builder_set_member_name (builder, "per_page");
	json_builder_add_int_value (builder, result->per_page);
	json_builder_set_member_name (builder, "results");
	json_builder_begin_array (builder);
	for (guint i = 0; i < result->hits->len; i++)
		px_api_search_add_hit (builder, g_ptr_array_index (result->hits, i));
	json_builder_end_array (builder);
	json_builder_set_member_name (builder, "facets");
	json_builder_begin_object (builder);
	for (guint f = 0; f < PX_FACET_N; f++) {
		json_builder_set_member_name (builder, px_facets_get_name ((PxFacet)f));
		json_builder_begin_object (builder);
		for (guint i = 0; i < result->facets[f]->len; i++) {
			const PxFacetCount *count =
			    &g_array_index (result->facets[f], PxFacetCount, i);
			json_builder_set_member_name (builder, count->value);
			json_builder_add_int_value (builder, count->count);
		}
		json_builder_end_object (builder);
	}
	json_builder_end_object (builder);
	json_builder_set_member_name (builder, "suggestions");
	json_builder_begin_array (builder);
	for (guint i = 0; i < result->suggestions->len; i++)
		json_builder_add_string_value (builder, g_ptr_array_index (result->suggestions, i));
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	text = px_json_builder_to_string (builder, &length);
	return g_bytes_new_take (text, length);
}

static void
px_api_search_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	PxSearchIndex *index = call->api->search;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchResult) result = px_search_run (index, store, call->search, &error);
	g_autoptr (GBytes) body = NULL;

	if (result == NULL) {
		px_response_set_error (response, error);
		return;
	}
	body = px_api_search_render (result);
	if (!px_search_check_deadline (store, &error)) {
		px_response_set_error (response, error);
		return;
	}
	px_search_index_remember (index, PX_API_SEARCH_RENDERER, call->search, result, body);
	response->status = SOUP_STATUS_OK;
	response->content_type = "application/json";
	response->body = g_steal_pointer (&body);
}

void
px_api_search_start (PxServer *server, SoupServerMessage *message, PxApiCall *owned)
{
	g_autoptr (PxApiCall) call = owned;
	g_autoptr (GPtrArray) pairs = px_api_query_pairs (message);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
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
	if (call->api->plugins != NULL && call->search->q != NULL) {
		/* the rewritten query keys the cache: a reload that changes it misses */
		char *rewritten = px_plugins_rewrite_query (call->api->plugins, call->search->q);

		if (rewritten != NULL) {
			g_free (call->search->q);
			call->search->q = rewritten;
		}
	}
	cached = px_search_index_lookup (call->api->search, PX_API_SEARCH_RENDERER, call->search);
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
