/* web-language.c: GET /language?set=CODE&back=PATH, the language links: the choice is kept in
 * a cookie for a year, and the visitor goes back to the page they were on. */
#define G_LOG_DOMAIN "PxWeb"

#include "web-page.h"
#include "web-private.h"
#include "web-request.h"

static void
px_web_language_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *wanted = px_web_request_param (request, "set");
	const char *back = px_web_request_param (request, "back");
	const char *language = NULL;

	if (!px_web_request_begin (request, store, response))
		return;
	if (wanted != NULL)
		language = px_i18n_choose (request->web->i18n, wanted, NULL);
	if (language == NULL || g_ascii_strcasecmp (language, wanted) != 0) {
		px_web_page_error (
		    request, response, SOUP_STATUS_BAD_REQUEST,
		    px_web_request_gettext (request, "This language is not available."));
		return;
	}
	px_web_page_redirect (response, "%s", px_web_request_is_local_path (back) ? back : "/");
	px_web_request_set_cookie (request, response, "praxis_lang", language, 365 * 24 * 3600);
}

static void
px_web_language_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);

	if (request != NULL)
		px_web_request_defer (request, message, FALSE, px_web_language_work);
}

void
px_web_language_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/language", "GET, HEAD", px_web_language_cb, web);
}
