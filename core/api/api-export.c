/* api-export.c: the export resource, GET /api/export: the changes since a moment as JSON Lines,
 * one page of practices per piece of work, streamed in chunks. */
#define G_LOG_DOMAIN "PxApi"

#include "api-private.h"
#include "util/form.h"
#include "util/timestamp.h"

/* one page of the export a call; the server runs it again while response->more is set */
static void
px_api_export_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	PxView view = PX_VIEW_FULL | PX_VIEW_NO_ID;
	g_autoptr (GString) out = NULL;
	gsize length;

	if (call->cursor == NULL) {
		g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);
		gboolean admin = user != NULL && user->role == PX_ROLE_ADMIN;

		if (error != NULL) {
			px_response_set_error (response, error);
			return;
		}
		call->cursor = px_export_cursor_new (call->since, admin);
		call->view_contact = admin;
	}
	out = g_string_new (NULL);
	if (call->view_contact)
		view |= PX_VIEW_CONTACT;
	if (!px_export_page_lines (store, call->cursor, view, out, NULL, &error)) {
		px_response_set_error (response, error);
		return;
	}
	response->status = SOUP_STATUS_OK;
	response->content_type = "application/x-ndjson";
	response->more = !call->cursor->done;
	length = out->len;
	response->body = g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), length);
}

void
px_api_export_start (PxServer *server, SoupServerMessage *message, PxApiCall *owned)
{
	g_autoptr (PxApiCall) call = owned;
	g_autoptr (GPtrArray) pairs = px_api_query_pairs (message);

	if (pairs == NULL)
		return;
	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (!g_str_equal (pair->name, "since"))
			continue;
		g_free (call->since);
		call->since = px_timestamp_normalize (pair->value);
		if (call->since == NULL) {
			px_server_respond_problem (message, SOUP_STATUS_BAD_REQUEST,
						   "since must be an RFC 3339 timestamp such as "
						   "2026-01-31T12:00:00Z");
			return;
		}
	}
	px_server_defer (server, message, FALSE, px_api_export_work, g_steal_pointer (&call),
			 (GDestroyNotify)px_api_call_free);
}
