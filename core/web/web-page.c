/* web-page.c: a page's answer: its template inside the layout, the headers every page sends,
 * error pages and redirects. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "util/error.h"
#include "util/html.h"
#include "util/json.h"
#include "web-page.h"

#define PX_WEB_CSP                                                                         \
	"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " \
	"base-uri 'none'; frame-ancestors 'none'"

void
px_web_page_add_security_headers (PxResponse *response)
{
	px_response_add_header (response, "Content-Security-Policy", PX_WEB_CSP);
	px_response_add_header (response, "X-Content-Type-Options", "nosniff");
	px_response_add_header (response, "X-Frame-Options", "DENY");
	px_response_add_header (response, "Referrer-Policy", "same-origin");
	px_response_add_header (response, "Cross-Origin-Opener-Policy", "same-origin");
	px_response_add_header (response, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=(), interest-cohort=()");
}

/* the languages' links: each in its own name, the current one marked */
static JsonNode *
px_web_page_languages (PxWebRequest *request)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	const char *const *languages = px_i18n_languages (request->web->i18n);
	g_autofree char *back = g_uri_escape_string (request->path_and_query, NULL, FALSE);

	json_builder_begin_array (builder);
	for (guint i = 0; languages[i] != NULL; i++) {
		const PxI18nCatalog *catalog =
		    px_i18n_get_catalog (request->web->i18n, languages[i]);
		g_autofree char *url =
		    g_strdup_printf ("/language?set=%s&back=%s", languages[i], back);

		json_builder_begin_object (builder);
		json_builder_set_member_name (builder, "code");
		json_builder_add_string_value (builder, languages[i]);
		json_builder_set_member_name (builder, "name");
		/* each catalog translates LANGUAGE_NAME into the language's own name */
		json_builder_add_string_value (
		    builder, catalog != NULL ? px_i18n_catalog_gettext (catalog, "LANGUAGE_NAME")
					     : "English");
		json_builder_set_member_name (builder, "url");
		json_builder_add_string_value (builder, url);
		json_builder_set_member_name (builder, "current");
		json_builder_add_boolean_value (builder,
						strcmp (languages[i], request->language) == 0);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

/* what every template may use: the visitor, the forms' token, the language */
static void
px_web_page_add_common (PxWebRequest *request, JsonObject *context)
{
	json_object_set_string_member (context, "csrf", request->csrf);
	json_object_set_string_member (context, "lang", request->language);
	json_object_set_boolean_member (context, "is_partner", request->user != NULL);
	json_object_set_boolean_member (
	    context, "is_admin", request->user != NULL && request->user->role == PX_ROLE_ADMIN);
	if (request->user != NULL)
		json_object_set_string_member (context, "user_email", request->user->email);
}

static void
px_web_page_copy_member (JsonObject *from, JsonObject *to, const char *name)
{
	JsonNode *node = json_object_get_member (from, name);

	if (node != NULL)
		json_object_set_member (to, name, json_node_copy (node));
}

void
px_web_page_render (PxWebRequest *request, PxResponse *response, guint status, const char *name,
		    const char *title, JsonObject *content)
{
	PxWeb *web = request->web;
	g_autoptr (JsonObject) layout = json_object_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *inner = NULL;
	char *page;

	px_web_page_add_common (request, content);
	inner = px_web_templates_render (web->templates, name, content, request->catalog, &error);
	if (inner == NULL) {
		g_warning ("page %s not rendered: %s", name, error->message);
		px_web_page_respond_text (response, SOUP_STATUS_INTERNAL_SERVER_ERROR,
					  "internal error, see the server log");
		return;
	}
	px_web_page_add_common (request, layout);
	json_object_set_string_member (layout, "title", title);
	json_object_set_string_member (layout, "content_html", inner);
	json_object_set_member (layout, "languages", px_web_page_languages (request));
	json_object_set_string_member (layout, "page", name);
	px_web_page_copy_member (content, layout, "feed_url");
	px_web_page_copy_member (content, layout, "canonical_url");
	px_web_page_copy_member (content, layout, "jsonld_html");
	page = px_web_templates_render (web->templates, "layout", layout, request->catalog, &error);
	if (page == NULL) {
		g_warning ("layout not rendered: %s", error->message);
		px_web_page_respond_text (response, SOUP_STATUS_INTERNAL_SERVER_ERROR,
					  "internal error, see the server log");
		return;
	}
	px_web_page_respond_html (request, response, status,
				  g_bytes_new_take (page, strlen (page)));
}

void
px_web_page_respond_html (const PxWebRequest *request, PxResponse *response, guint status,
			  GBytes *page)
{
	response->status = status;
	response->content_type = "text/html; charset=utf-8";
	g_clear_pointer (&response->body, g_bytes_unref);
	response->body = page;
	px_web_page_add_security_headers (response);
	px_response_add_header (response, "Content-Language", request->language);
	px_response_add_header (response, "Vary", "Accept-Language, Cookie");
	px_response_add_header (response, "Cache-Control",
				request->user != NULL ? "no-store" : "no-cache");
}

void
px_web_page_error (PxWebRequest *request, PxResponse *response, guint status, const char *message)
{
	g_autoptr (JsonObject) content = json_object_new ();
	const char *title = soup_status_get_phrase (status);

	json_object_set_string_member (content, "message", message);
	json_object_set_int_member (content, "status", status);
	px_web_page_render (request, response, status, "error",
			    px_web_request_gettext (request, title), content);
}

void
px_web_page_error_from (PxWebRequest *request, PxResponse *response, const GError *error)
{
	if (g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND))
		px_web_page_error (request, response, SOUP_STATUS_NOT_FOUND,
				   px_web_request_gettext (request, "There is no such page."));
	else if (g_error_matches (error, PX_ERROR, PX_ERROR_FORBIDDEN))
		px_web_page_error (request, response, SOUP_STATUS_FORBIDDEN,
				   px_web_request_gettext (request, "You may not do this."));
	else if (g_error_matches (error, PX_ERROR, PX_ERROR_BUSY) ||
		 g_error_matches (error, PX_ERROR, PX_ERROR_TIMEOUT)) {
		px_web_page_error (
		    request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
		    px_web_request_gettext (request,
					    "The server is busy. Wait a moment and try again."));
		px_response_add_header (response, "Retry-After", "1");
	} else {
		g_warning ("page %s failed: %s", request->path, error->message);
		px_web_page_error (
		    request, response, SOUP_STATUS_INTERNAL_SERVER_ERROR,
		    px_web_request_gettext (
			request, "Something went wrong on the server. Try again later."));
	}
}

void
px_web_page_redirect (PxResponse *response, const char *format, ...)
{
	va_list args;

	va_start (args, format);
	g_free (response->location);
	response->location = g_strdup_vprintf (format, args);
	va_end (args);
	response->status = SOUP_STATUS_SEE_OTHER;
	g_clear_pointer (&response->body, g_bytes_unref);
	px_web_page_add_security_headers (response);
}

/* Returns: (transfer full): a minimal page for when no template can be used */
static char *
px_web_page_plain (guint status, const char *text)
{
	g_autoptr (GString) page = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\"><head>"
						 "<meta charset=\"utf-8\"><title>");

	g_string_append_printf (page, "%u %s</title></head><body><main><h1>%u %s</h1><p>", status,
				soup_status_get_phrase (status), status,
				soup_status_get_phrase (status));
	px_html_append_escaped (page, text);
	g_string_append (page, "</p></main></body></html>\n");
	return g_string_free (g_steal_pointer (&page), FALSE);
}

void
px_web_page_respond_text (PxResponse *response, guint status, const char *text)
{
	char *page = px_web_page_plain (status, text);

	px_response_take_text (response, status, "text/html; charset=utf-8", page, strlen (page));
	px_web_page_add_security_headers (response);
}

void
px_web_page_respond_plain (SoupServerMessage *message, guint status, const char *text)
{
	PxResponse response = {0};

	px_web_page_respond_text (&response, status, text);
	px_server_respond (message, &response);
}

char *
px_web_page_json_ld (JsonNode *node)
{
	g_autofree char *json = json_to_string (node, FALSE);
	g_autoptr (GString) safe = g_string_sized_new (strlen (json) + 16);

	for (const char *p = json; *p != '\0'; p++) {
		if (*p == '<')
			g_string_append (safe, "\\u003c");
		else
			g_string_append_c (safe, *p);
	}
	return g_string_free (g_steal_pointer (&safe), FALSE);
}

static void
px_web_page_not_found_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;

	/* a POST to no page changes nothing: no form to check, the answer is the 404 */
	request->csrf_exempt = TRUE;
	if (!px_web_request_begin (request, store, response))
		return;
	px_web_page_error (request, response, SOUP_STATUS_NOT_FOUND,
			   px_web_request_gettext (request,
						   "There is no page at this address. Check the "
						   "address, or search for what you need."));
}

void
px_web_page_not_found (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);

	if (request != NULL)
		px_web_request_defer (request, message, FALSE, px_web_page_not_found_work);
}
