/* web-search.c: the search page, GET /: the search box, and the results of the search the URL
 * carries (the parameters of GET /api/practices), with their highlighted snippets. */
#define G_LOG_DOMAIN "PxWeb"

#include "util/error.h"
#include "util/field-errors.h"
#include "web-page.h"
#include "web-private.h"
#include "web-request.h"

typedef struct {
	PxWebRequest *request;
	PxSearchRequest *search; /* (nullable): NULL when its parameters are wrong */
	GPtrArray *errors;	 /* (element-type PxFieldError) */
	char *q;		 /* (nullable): the words as the visitor typed them */
} PxWebSearch;

static void
px_web_search_free (PxWebSearch *search)
{
	px_web_request_free (search->request);
	px_search_request_free (search->search);
	g_ptr_array_unref (search->errors);
	g_free (search->q);
	g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebSearch, px_web_search_free)

static JsonNode *
px_web_search_hits (const PxSearchResult *result)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	json_builder_begin_array (builder);
	for (guint i = 0; i < result->hits->len; i++) {
		const PxSearchHit *hit = g_ptr_array_index (result->hits, i);
		g_autofree char *snippet = px_snippet_text_to_html (hit->snippet);
		g_autofree char *title =
		    hit->title != NULL ? px_snippet_text_to_html (hit->title) : NULL;
		g_autofree char *url =
		    g_strdup_printf ("/practices/%" G_GINT64_FORMAT, hit->practice->id);

		px_practice_to_json (hit->practice, builder, PX_VIEW_LIST);
		json_builder_set_member_name (builder, "url");
		json_builder_add_string_value (builder, url);
		json_builder_set_member_name (builder, "snippet_html");
		json_builder_add_string_value (builder, snippet);
		if (title != NULL) {
			json_builder_set_member_name (builder, "title_html");
			json_builder_add_string_value (builder, title);
		}
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

static void
px_web_search_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebSearch *search = data;
	PxWebRequest *request = search->request;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxSearchResult) result = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin (request, store, response))
		return;
	if (search->q != NULL)
		json_object_set_string_member (content, "q", search->q);
	if (search->search == NULL) {
		g_autofree char *why = px_field_errors_to_string (search->errors);
		px_web_page_error (request, response, SOUP_STATUS_BAD_REQUEST, why);
		return;
	}
	result = px_search_run (request->web->search, store, search->search, &error);
	if (result == NULL) {
		px_web_page_error (request, response,
				   g_error_matches (error, PX_ERROR, PX_ERROR_INVALID)
				       ? SOUP_STATUS_BAD_REQUEST
				       : SOUP_STATUS_SERVICE_UNAVAILABLE,
				   error->message);
		return;
	}
	json_object_set_int_member (content, "total", result->total);
	json_object_set_member (content, "results", px_web_search_hits (result));
	px_web_page_render (request, response, SOUP_STATUS_OK, "search",
			    px_web_request_gettext (request, "Search good practices"), content);
}

static void
px_web_search_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWeb *web = user_data;
	PxWebRequest *request = px_web_request_new (web, message, id);
	g_autoptr (PxWebSearch) search = NULL;

	if (request == NULL)
		return;
	search = g_new0 (PxWebSearch, 1);
	search->request = request;
	search->errors = px_field_errors_new ();
	search->search = px_search_request_parse (request->query, search->errors);
	if (search->search != NULL && search->search->q != NULL) {
		search->q = g_strdup (search->search->q);
		if (web->plugins != NULL) {
			char *rewritten = px_plugins_rewrite_query (web->plugins, search->q);

			if (rewritten != NULL) {
				g_free (search->search->q);
				search->search->q = rewritten;
			}
		}
	}
	px_server_defer (web->server, message, FALSE, px_web_search_work, g_steal_pointer (&search),
			 (GDestroyNotify)px_web_search_free);
}

void
px_web_search_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/", "GET, HEAD", px_web_search_cb, web);
}
