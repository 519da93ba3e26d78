/* response.c: HTTP answers and problem details; the PX_ERROR -> HTTP status table lives here. */
#define G_LOG_DOMAIN "PxResponse"

#include "response.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "util/json.h"

static const struct {
	PxError code;
	guint status;
} error_statuses[] = {
    {PX_ERROR_INVALID, SOUP_STATUS_BAD_REQUEST},
    {PX_ERROR_VALIDATION, SOUP_STATUS_UNPROCESSABLE_ENTITY},
    {PX_ERROR_NOT_FOUND, SOUP_STATUS_NOT_FOUND},
    {PX_ERROR_CONFLICT, SOUP_STATUS_CONFLICT},
    {PX_ERROR_UNAUTHORIZED, SOUP_STATUS_UNAUTHORIZED},
    {PX_ERROR_FORBIDDEN, SOUP_STATUS_FORBIDDEN},
    {PX_ERROR_BUSY, SOUP_STATUS_SERVICE_UNAVAILABLE},
    {PX_ERROR_TIMEOUT, SOUP_STATUS_SERVICE_UNAVAILABLE},
    {PX_ERROR_CORRUPT, SOUP_STATUS_INTERNAL_SERVER_ERROR},
    {PX_ERROR_INTERNAL, SOUP_STATUS_INTERNAL_SERVER_ERROR},
};

void
px_response_clear (PxResponse *response)
{
	g_clear_pointer (&response->body, g_bytes_unref);
	g_clear_pointer (&response->location, g_free);
	g_clear_pointer (&response->headers, soup_message_headers_unref);
}

void
px_response_add_header (PxResponse *response, const char *name, const char *value)
{
	if (response->headers == NULL)
		response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
	soup_message_headers_append (response->headers, name, value);
}

void
px_response_take_text (PxResponse *response, guint status, const char *content_type, char *text,
		       gsize length)
{
	g_clear_pointer (&response->body, g_bytes_unref);
	response->status = status;
	response->content_type = content_type;
	response->body = g_bytes_new_take (text, length);
}

void
px_response_set_json (PxResponse *response, guint status, JsonBuilder *builder)
{
	gsize length = 0;
	char *text = px_json_builder_to_string (builder, &length);

	px_response_take_text (response, status, "application/json", text, length);
}

void
px_response_set_problem (PxResponse *response, guint status, const char *detail, GPtrArray *errors)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	gsize length = 0;
	char *text;

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "type");
	json_builder_add_string_value (builder, "about:blank");
	json_builder_set_member_name (builder, "title");
	json_builder_add_string_value (builder, soup_status_get_phrase (status));
	json_builder_set_member_name (builder, "status");
	json_builder_add_int_value (builder, status);
	json_builder_set_member_name (builder, "detail");
	json_builder_add_string_value (builder, detail);
	if (errors != NULL && errors->len > 0) {
		json_builder_set_member_name (builder, "errors");
		json_builder_begin_array (builder);
		for (guint i = 0; i < errors->len; i++) {
			const PxFieldError *error = g_ptr_array_index (errors, i);
			json_builder_begin_object (builder);
			json_builder_set_member_name (builder, "field");
			json_builder_add_string_value (builder, error->field);
			json_builder_set_member_name (builder, "message");
			json_builder_add_string_value (builder, error->message);
			json_builder_end_object (builder);
		}
		json_builder_end_array (builder);
	}
	json_builder_end_object (builder);
	text = px_json_builder_to_string (builder, &length);
	px_response_take_text (response, status, "application/problem+json", text, length);
}

void
px_response_set_error (PxResponse *response, const GError *error)
{
	guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

	if (error->domain == PX_ERROR) {
		for (guint i = 0; i < G_N_ELEMENTS (error_statuses); i++) {
			if (error_statuses[i].code == (PxError)error->code)
				status = error_statuses[i].status;
		}
	}
	if (status >= 500 && status != SOUP_STATUS_SERVICE_UNAVAILABLE) {
		g_warning ("internal error: %s", error->message);
		px_response_set_problem (response, status, "internal error, see the server log",
					 NULL);
		return;
	}
	px_response_set_problem (response, status, error->message, NULL);
}

static void
px_response_copy_header (const char *name, const char *value, gpointer headers)
{
	soup_message_headers_append (headers, name, value);
}

void
px_response_send (PxResponse *response, SoupServerMessage *message)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
	gsize length = 0;
	gconstpointer data =
	    response->body != NULL ? g_bytes_get_data (response->body, &length) : NULL;

	soup_server_message_set_status (message, response->status, NULL);
	if (response->headers != NULL)
		soup_message_headers_foreach (response->headers, px_response_copy_header, headers);
	/* what is not a page (JSON, feeds) loads nothing and may not be framed */
	if (soup_message_headers_get_one (headers, "Content-Security-Policy") == NULL)
		soup_message_headers_replace (headers, "Content-Security-Policy",
					      "default-src 'none'; frame-ancestors 'none'");
	if (response->location != NULL)
		soup_message_headers_replace (headers, "Location", response->location);
	if (response->allow != NULL)
		soup_message_headers_replace (headers, "Allow", response->allow);
	if (response->status == SOUP_STATUS_UNAUTHORIZED)
		soup_message_headers_replace (headers, "WWW-Authenticate",
					      "Bearer realm=\"praxis\"");
	if (response->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
		soup_message_headers_replace (headers, "Retry-After", "1");
	if (data != NULL)
		soup_server_message_set_response (message, response->content_type, SOUP_MEMORY_COPY,
						  data, length);
}
