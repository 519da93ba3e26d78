/* web-page.h: the answer of a page: its template rendered inside the layout (header, language
 * links, sign-in state, footer), with the headers every page sends: a strict
 * Content-Security-Policy (no script, styles from this site only), nosniff, no framing, no
 * referrer to other sites, and no caching of what a signed-in user sees. */
#pragma once

#include "web-request.h"

/**
 * px_web_page_render:
 * @content: (transfer none): the template's context; the page adds "csrf", "user", "is_admin",
 *   "is_partner" and "lang". Its members "feed_url" (an Atom feed of the page),
 *   "canonical_url" and "jsonld_html" (a JSON-LD document made by px_web_page_json_ld) go
 *   into the layout's head
 *
 * Answers @status with template @name's page titled @title (plain text).
 */
void px_web_page_render (PxWebRequest *request, PxResponse *response, guint status,
			 const char *name, const char *title, JsonObject *content);
/* answers @status with @page (taken), a whole page, and the headers every page has */
void px_web_page_respond_html (const PxWebRequest *request, PxResponse *response, guint status,
			       GBytes *page);
/* the route of a browser's request that no route matches: the 404 page (a PxRouteFunc whose
 * @user_data is the PxWeb) */
void px_web_page_not_found (PxServer *server, SoupServerMessage *message, gint64 id,
			    gpointer user_data);
/* answers @status with a page that says @message (plain text) */
void px_web_page_error (PxWebRequest *request, PxResponse *response, guint status,
			const char *message);
/* answers the error page of a failure @error describes: 404 for NOT_FOUND, 403 for FORBIDDEN,
 * 503 when the database is busy or the deadline passed, 500 (logged) for anything else */
void px_web_page_error_from (PxWebRequest *request, PxResponse *response, const GError *error);
/* answers 303 See Other to the local path made of @format */
void px_web_page_redirect (PxResponse *response, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* answers @status with a minimal HTML page saying @text (no template: for when none works) */
void px_web_page_respond_text (PxResponse *response, guint status, const char *text);
/* answers at once on the main context with a minimal HTML page (before a request exists) */
void px_web_page_respond_plain (SoupServerMessage *message, guint status, const char *message_text);
/* sets the headers of every page on @response */
void px_web_page_add_security_headers (PxResponse *response);
/* Returns: (transfer full): @node as JSON that is safe inside <script type="application/ld+json">
 * (every "<" escaped) */
char *px_web_page_json_ld (JsonNode *node);
