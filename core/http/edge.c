/* edge.c: the refusals at the edge of the HTTP server (see edge.h). Owns nothing that
 * outlives a refused connection; must not touch requests that reach the handlers, beyond
 * removing the placeholder answer px_edge_prepare put in place. */
#define G_LOG_DOMAIN "PxEdge"

#include <string.h>

#include "edge.h"
#include "response.h"

/* how long, and how much, a refused client may go on sending before its connection closes */
#define PX_EDGE_LINGER_MS 2000
#define PX_EDGE_LINGER_BYTES (256 * 1024)

#define PX_EDGE_PLACEHOLDER "px-edge-placeholder"
/* on the SoupServer: cancelled when the server goes, which ends every lingering close */
#define PX_EDGE_STOPPING "px-edge-stopping"

/* the placeholder for libsoup's own refusals; their status is unknown when it is set, so it
 * has neither "status" nor "title" (both optional in RFC 9457) */
static const char placeholder[] =
    "{\"type\":\"about:blank\",\"detail\":\"the request could not be read: a malformed request "
    "line, URI (a bad %-escape), header or length, or an unsupported HTTP version, Expect or "
    "Transfer-Encoding; the status line says which class\"}";

typedef struct {
	GIOStream *stream;
	GCancellable *cancellable;
	GCancellable *stopping;
	gulong stopping_id;
	GBytes *answer;
	guint timeout_id;
	gsize drained;
	guint8 buffer[16 * 1024];
} PxEdgeClose;

guint
px_edge_check_framing (SoupMessageHeaders *headers, goffset max_body_bytes, const char **detail)
{
	const char *lengths = soup_message_headers_get_list (headers, "Content-Length");
	const char *coding = soup_message_headers_get_list (headers, "Transfer-Encoding");

	/* libsoup keeps the last of several Content-Length headers: a request smuggling risk */
	if (lengths != NULL && strchr (lengths, ',') != NULL) {
		*detail = "send one Content-Length header";
		return SOUP_STATUS_BAD_REQUEST;
	}
	if (lengths != NULL && coding != NULL) {
		*detail = "send either Content-Length or Transfer-Encoding, not both";
		return SOUP_STATUS_BAD_REQUEST;
	}
	if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED) {
		*detail = "send the body with a Content-Length";
		return SOUP_STATUS_LENGTH_REQUIRED;
	}
	if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
	    soup_message_headers_get_content_length (headers) > max_body_bytes) {
		*detail = "the body is larger than the server accepts";
		return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
	}
	return 0;
}

static void
px_edge_close_free (PxEdgeClose *close)
{
	if (close->timeout_id != 0)
		g_source_remove (close->timeout_id);
	g_cancellable_disconnect (close->stopping, close->stopping_id);
	g_object_unref (close->stopping);
	g_io_stream_close (close->stream, NULL, NULL);
	g_object_unref (close->stream);
	g_object_unref (close->cancellable);
	g_bytes_unref (close->answer);
	g_free (close);
}

static gboolean
px_edge_linger_timeout_cb (gpointer user_data)
{
	PxEdgeClose *close = user_data;

	/* the pending write or read ends with G_IO_ERROR_CANCELLED and frees @close */
	close->timeout_id = 0;
	g_cancellable_cancel (close->cancellable);
	return G_SOURCE_REMOVE;
}

static void px_edge_drain (PxEdgeClose *close);

static void
px_edge_drained_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
	PxEdgeClose *close = user_data;
	gssize length = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

	if (length <= 0 || close->drained + (gsize)length >= PX_EDGE_LINGER_BYTES) {
		px_edge_close_free (close);
		return;
	}
	close->drained += length;
	px_edge_drain (close);
}

static void
px_edge_drain (PxEdgeClose *close)
{
	g_input_stream_read_async (g_io_stream_get_input_stream (close->stream), close->buffer,
				   sizeof close->buffer, G_PRIORITY_DEFAULT, close->cancellable,
				   px_edge_drained_cb, close);
}

/* the socket under a stolen stream: libsoup wraps the connection Praxis accepted */
static GSocket *
px_edge_get_socket (GIOStream *stream)
{
	g_autoptr (GIOStream) base = NULL;

	if (G_IS_SOCKET_CONNECTION (stream))
		return g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
	if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream") == NULL)
		return NULL;
	g_object_get (stream, "base-iostream", &base, NULL);
	if (!G_IS_SOCKET_CONNECTION (base))
		return NULL;
	return g_socket_connection_get_socket (G_SOCKET_CONNECTION (base));
}

static void
px_edge_wrote_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
	PxEdgeClose *close = user_data;
	GSocket *socket;

	if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)) {
		px_edge_close_free (close);
		return;
	}
	/* a FIN tells the client the answer is complete; what it still sends is read and
	 * dropped, since closing with unread data would reset the connection */
	socket = px_edge_get_socket (close->stream);
	if (socket != NULL)
		g_socket_shutdown (socket, FALSE, TRUE, NULL);
	px_edge_drain (close);
}

/* the status line, the headers libsoup and Praxis set so far, and the problem document */
static GBytes *
px_edge_build_answer (SoupServerMessage *message, guint status, const char *detail)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
	PxResponse response = {0};
	SoupMessageHeadersIter iter;
	const char *name, *value;
	gsize length = 0;
	gconstpointer body;
	GString *text = g_string_new (NULL);

	px_response_set_problem (&response, status, detail, NULL);
	body = g_bytes_get_data (response.body, &length);
	g_string_append_printf (
	    text, "HTTP/1.%c %u %s\r\n",
	    soup_server_message_get_http_version (message) == SOUP_HTTP_1_0 ? '0' : '1', status,
	    soup_status_get_phrase (status));
	soup_message_headers_replace (headers, "Connection", "close");
	soup_message_headers_remove (headers, "Content-Length");
	soup_message_headers_remove (headers, "Content-Type");
	soup_message_headers_iter_init (&iter, headers);
	while (soup_message_headers_iter_next (&iter, &name, &value))
		g_string_append_printf (text, "%s: %s\r\n", name, value);
	g_string_append_printf (text,
				"Content-Type: application/problem+json\r\n"
				"Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
				length);
	if (soup_server_message_get_method (message) != SOUP_METHOD_HEAD)
		g_string_append_len (text, body, length);
	px_response_clear (&response);
	return g_string_free_to_bytes (text);
}

static void
px_edge_stopping_cb (GCancellable *stopping, gpointer user_data)
{
	g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
px_edge_stopping_free (gpointer data)
{
	g_cancellable_cancel (data);
	g_object_unref (data);
}

/* the cancellable that ends @soup's lingering closes when @soup is finalized */
static GCancellable *
px_edge_ensure_stopping (SoupServer *soup)
{
	GCancellable *stopping = g_object_get_data (G_OBJECT (soup), PX_EDGE_STOPPING);

	if (stopping == NULL) {
		stopping = g_cancellable_new ();
		g_object_set_data_full (G_OBJECT (soup), PX_EDGE_STOPPING, stopping,
					px_edge_stopping_free);
	}
	return stopping;
}

void
px_edge_refuse (SoupServer *soup, SoupServerMessage *message, guint status, const char *detail)
{
	g_autoptr (GBytes) answer = px_edge_build_answer (message, status, detail);
	g_autoptr (GIOStream) stream = NULL;
	PxEdgeClose *close;

	g_object_set_data (G_OBJECT (message), PX_EDGE_PLACEHOLDER, NULL);
	stream = soup_server_message_steal_connection (message);
	if (stream == NULL)
		return;
	close = g_new0 (PxEdgeClose, 1);
	close->stream = g_steal_pointer (&stream);
	close->cancellable = g_cancellable_new ();
	close->stopping = g_object_ref (px_edge_ensure_stopping (soup));
	close->stopping_id = g_cancellable_connect (
	    close->stopping, G_CALLBACK (px_edge_stopping_cb), close->cancellable, NULL);
	close->answer = g_steal_pointer (&answer);
	close->timeout_id = g_timeout_add (PX_EDGE_LINGER_MS, px_edge_linger_timeout_cb, close);
	g_output_stream_write_all_async (g_io_stream_get_output_stream (close->stream),
					 g_bytes_get_data (close->answer, NULL),
					 g_bytes_get_size (close->answer), G_PRIORITY_DEFAULT,
					 close->cancellable, px_edge_wrote_cb, close);
}

/* after libsoup's own got-headers work (connected later, so it runs later) */
static void
px_edge_got_headers_cb (SoupServerMessage *message, gpointer user_data)
{
	guint status = soup_server_message_get_status (message);
	PxResponse response = {0};

	if (g_object_get_data (G_OBJECT (message), PX_EDGE_PLACEHOLDER) == NULL)
		return;
	g_object_set_data (G_OBJECT (message), PX_EDGE_PLACEHOLDER, NULL);
	soup_message_body_truncate (soup_server_message_get_response_body (message));
	soup_message_headers_remove (soup_server_message_get_response_headers (message),
				     "Content-Type");
	if (status == 0)
		return;
	/* libsoup refused the URI itself: a path that decodes to NUL or adds ".." segments */
	px_response_set_problem (&response, status, "the request's path cannot be decoded", NULL);
	px_response_send (&response, message);
	px_response_clear (&response);
}

void
px_edge_prepare (SoupServerMessage *message)
{
	g_object_set_data (G_OBJECT (message), PX_EDGE_PLACEHOLDER, GINT_TO_POINTER (TRUE));
	soup_server_message_set_response (message, "application/problem+json", SOUP_MEMORY_STATIC,
					  placeholder, sizeof placeholder - 1);
	g_signal_connect (message, "got-headers", G_CALLBACK (px_edge_got_headers_cb), NULL);
}
