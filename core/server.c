/* server.c: the SoupServer and everything around the handlers: limits checked before bodies are
 * read (411, 413), Connection: close on every answer (libsoup 3.2.3 leaks idle keep-alive
 * connections that clients close), the hand-off of slow work to the pools, metrics, signals. */
#define G_LOG_DOMAIN "PxServer"

#include <glib-unix.h>
#include <stdio.h>

#include "api.h"
#include "edge.h"
#include "error.h"
#include "metrics.h"
#include "server.h"

#define PX_LISTEN_BACKLOG 1024

struct _PxServer {
	const PxConfig *config;
	SoupServer *soup;
	GSocketService *service;
	PxPool *readers;
	PxPool *writer;
	PxSearchIndex *search;
	PxMetrics *metrics;
	GMainLoop *loop;
};

typedef struct {
	PxServer *server;
	SoupServerMessage *message;
	gboolean finished;
	gulong finished_id;
	PxServerWorkFunc work;
	gpointer data;
	GDestroyNotify destroy;
	PxResponse response;
	gboolean write;		/* runs on the writer connection */
	gboolean streaming;	/* status and headers are sent; chunks follow */
	gboolean chunk_pending; /* the next chunk is wanted once this one is written */
	gulong wrote_chunk_id;
} PxDeferred;

typedef void (*PxRouteFunc) (PxServer *server, SoupServerMessage *message, const char *path);

static void px_server_handle_healthz (PxServer *server, SoupServerMessage *message,
				      const char *path);
static void px_server_handle_metrics (PxServer *server, SoupServerMessage *message,
				      const char *path);
static void px_server_handle_unknown (PxServer *server, SoupServerMessage *message,
				      const char *path);

/* the route table: one entry per resource family; each parses the rest of its path */
static const struct {
	const char *prefix; /* NULL: everything else */
	PxRouteFunc handle;
} routes[] = {
    {"/api", px_api_handle},
    {"/healthz", px_server_handle_healthz},
    {"/metrics", px_server_handle_metrics},
    {NULL, px_server_handle_unknown},
};

const PxConfig *
px_server_get_config (PxServer *server)
{
	return server->config;
}

PxSearchIndex *
px_server_get_search (PxServer *server)
{
	return server->search;
}

void
px_server_set_route (SoupServerMessage *message, const char *route)
{
	g_object_set_data (G_OBJECT (message), "px-route", (gpointer)route);
}

void
px_server_respond (SoupServerMessage *message, PxResponse *response)
{
	px_response_send (response, message);
	px_response_clear (response);
}

void
px_server_respond_problem (SoupServerMessage *message, guint status, const char *detail)
{
	PxResponse response = {0};

	px_response_set_problem (&response, status, detail, NULL);
	px_server_respond (message, &response);
}

static void
px_deferred_free (PxDeferred *deferred)
{
	g_signal_handler_disconnect (deferred->message, deferred->finished_id);
	if (deferred->wrote_chunk_id != 0)
		g_signal_handler_disconnect (deferred->message, deferred->wrote_chunk_id);
	g_object_unref (deferred->message);
	px_response_clear (&deferred->response);
	if (deferred->destroy != NULL)
		deferred->destroy (deferred->data);
	g_free (deferred);
}

static void
px_deferred_finished_cb (SoupServerMessage *message, gpointer user_data)
{
	PxDeferred *deferred = user_data;

	deferred->finished = TRUE;
	/* a stream waiting for its chunk to be written has no work in a pool to clean up after it
	 */
	if (deferred->chunk_pending)
		px_deferred_free (deferred);
}

static void
px_deferred_work_cb (gpointer data, PxStore *store)
{
	PxDeferred *deferred = data;

	deferred->work (deferred->data, store, &deferred->response);
}

static void px_deferred_done_cb (gpointer data);

static void
px_deferred_wrote_chunk_cb (SoupServerMessage *message, gpointer user_data)
{
	PxDeferred *deferred = user_data;

	if (!deferred->chunk_pending)
		return;
	deferred->chunk_pending = FALSE;
	px_pool_push (deferred->write ? deferred->server->writer : deferred->server->readers,
		      px_deferred_work_cb, px_deferred_done_cb, deferred);
}

/* a chunked answer: the first piece sets status and headers, each further piece is more work
 * in the pool; the chunks stay in memory one at a time. Returns: TRUE if more is coming */
static gboolean
px_deferred_stream (PxDeferred *deferred)
{
	SoupMessageBody *body = soup_server_message_get_response_body (deferred->message);
	PxResponse *response = &deferred->response;

	if (!deferred->streaming) {
		soup_server_message_set_status (deferred->message, response->status, NULL);
		soup_message_headers_set_encoding (
		    soup_server_message_get_response_headers (deferred->message),
		    SOUP_ENCODING_CHUNKED);
		soup_message_headers_set_content_type (
		    soup_server_message_get_response_headers (deferred->message),
		    response->content_type, NULL);
		/* written chunks are dropped, and the next one is made once this one is out */
		soup_message_body_set_accumulate (body, FALSE);
		deferred->wrote_chunk_id =
		    g_signal_connect (deferred->message, "wrote-chunk",
				      G_CALLBACK (px_deferred_wrote_chunk_cb), deferred);
		deferred->streaming = TRUE;
	} else if (response->status >= 400) {
		/* too late for an error status: end the answer short and say why in the log */
		g_warning ("a streamed answer stopped early (%u)", response->status);
		response->more = FALSE;
		g_clear_pointer (&response->body, g_bytes_unref);
	}
	if (response->body != NULL && g_bytes_get_size (response->body) > 0)
		soup_message_body_append_bytes (body, response->body);
	if (!response->more)
		soup_message_body_complete (body);
	deferred->chunk_pending = response->more;
	soup_server_message_unpause (deferred->message);
	if (!response->more)
		return FALSE;
	px_response_clear (response);
	response->more = FALSE;
	return TRUE;
}

/* back on the main context: a message whose connection went away is never touched again */
static void
px_deferred_done_cb (gpointer data)
{
	PxDeferred *deferred = data;

	if (!deferred->finished && (deferred->streaming || deferred->response.more)) {
		if (px_deferred_stream (deferred))
			return;
	} else if (!deferred->finished) {
		px_response_send (&deferred->response, deferred->message);
		soup_server_message_unpause (deferred->message);
	}
	px_deferred_free (deferred);
}

void
px_server_defer (PxServer *server, SoupServerMessage *message, gboolean write,
		 PxServerWorkFunc work, gpointer data, GDestroyNotify destroy)
{
	PxDeferred *deferred = g_new0 (PxDeferred, 1);

	deferred->server = server;
	deferred->message = g_object_ref (message);
	deferred->work = work;
	deferred->data = data;
	deferred->destroy = destroy;
	deferred->write = write;
	deferred->finished_id =
	    g_signal_connect (message, "finished", G_CALLBACK (px_deferred_finished_cb), deferred);
	soup_server_message_pause (message);
	px_pool_push (write ? server->writer : server->readers, px_deferred_work_cb,
		      px_deferred_done_cb, deferred);
}

static void
px_server_healthz_work (gpointer data, PxStore *store, PxResponse *response)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	gint version = px_store_get_schema_version (store);

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

static gboolean
px_server_only_get (SoupServerMessage *message)
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

/* a GET-only resource at exactly @route whose answer @work builds */
static void
px_server_handle_get (PxServer *server, SoupServerMessage *message, const char *path,
		      const char *route, PxServerWorkFunc work)
{
	px_server_set_route (message, route);
	if (!g_str_equal (path, route)) {
		px_server_handle_unknown (server, message, path);
		return;
	}
	if (px_server_only_get (message))
		px_server_defer (server, message, FALSE, work, server, NULL);
}

static void
px_server_handle_healthz (PxServer *server, SoupServerMessage *message, const char *path)
{
	px_server_handle_get (server, message, path, "/healthz", px_server_healthz_work);
}

static void
px_server_metrics_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxServer *server = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFacets) facets = px_search_index_ensure_facets (server->search, store, &error);
	guint counts[3] = {0, 0, 0};
	char *text;

	if (facets == NULL) {
		px_response_set_error (response, error);
		return;
	}
	for (guint s = 0; s < 3; s++)
		counts[s] = px_facets_count (facets, (PxStatus)s);
	text = px_metrics_render (server->metrics, counts);
	response->status = SOUP_STATUS_OK;
	response->content_type = "text/plain; version=0.0.4; charset=utf-8";
	response->body = g_bytes_new_take (text, strlen (text));
}

static void
px_server_handle_metrics (PxServer *server, SoupServerMessage *message, const char *path)
{
	px_server_handle_get (server, message, path, "/metrics", px_server_metrics_work);
}

static void
px_server_handle_unknown (PxServer *server, SoupServerMessage *message, const char *path)
{
	px_server_set_route (message, "other");
	px_server_respond_problem (message, SOUP_STATUS_NOT_FOUND, "no such resource");
}

static void
px_server_handler_cb (SoupServer *soup, SoupServerMessage *message, const char *path,
		      GHashTable *query, gpointer user_data)
{
	PxServer *server = user_data;

	for (guint i = 0; i < G_N_ELEMENTS (routes); i++) {
		if (routes[i].prefix == NULL || g_str_has_prefix (path, routes[i].prefix)) {
			routes[i].handle (server, message, path);
			return;
		}
	}
}

static double
px_server_get_seconds (SoupServerMessage *message)
{
	const gint64 *started = g_object_get_data (G_OBJECT (message), "px-started");

	return started != NULL ? (g_get_monotonic_time () - *started) / 1e6 : 0;
}

/* a request libsoup refused before it had a method gets no request-finished: count it here */
static void
px_server_wrote_body_cb (SoupServerMessage *message, gpointer user_data)
{
	PxServer *server = user_data;

	if (soup_server_message_get_method (message) == NULL)
		px_metrics_observe (server->metrics, "refused", NULL,
				    soup_server_message_get_status (message),
				    px_server_get_seconds (message));
}

/* before the body is read: refuse what cannot be accepted at once, without reading its body
 * (libsoup 3.2.3 would read all of it first, whatever status is set here) */
static void
px_server_early_cb (SoupServer *soup, SoupServerMessage *message, const char *path,
		    GHashTable *query, gpointer user_data)
{
	PxServer *server = user_data;
	const char *detail = NULL;
	guint status = px_edge_check_framing (soup_server_message_get_request_headers (message),
					      (goffset)server->config->max_body_bytes, &detail);

	if (status == 0)
		return;
	/* the stolen connection gets no request-finished: count it here */
	px_metrics_observe (server->metrics, "limits", soup_server_message_get_method (message),
			    status, px_server_get_seconds (message));
	px_edge_refuse (soup, message, status, detail);
}

static void
px_server_request_started_cb (SoupServer *soup, SoupServerMessage *message, gpointer user_data)
{
	gint64 *started = g_new (gint64, 1);

	*started = g_get_monotonic_time ();
	g_object_set_data_full (G_OBJECT (message), "px-started", started, g_free);
	soup_message_headers_replace (soup_server_message_get_response_headers (message),
				      "Connection", "close");
	px_edge_prepare (message);
	g_signal_connect (message, "wrote-body", G_CALLBACK (px_server_wrote_body_cb), user_data);
}

/* request-finished and request-aborted (libsoup's name for a 500 or a client that left) */
static void
px_server_request_finished_cb (SoupServer *soup, SoupServerMessage *message, gpointer user_data)
{
	PxServer *server = user_data;
	const char *route = g_object_get_data (G_OBJECT (message), "px-route");
	double seconds = px_server_get_seconds (message);
	guint status = soup_server_message_get_status (message);
	GUri *uri = soup_server_message_get_uri (message); /* NULL when libsoup refused the URI */

	px_metrics_observe (server->metrics, route != NULL ? route : "other",
			    soup_server_message_get_method (message), status, seconds);
	g_debug ("%s %s %u %.1f ms",
		 px_metrics_method_label (soup_server_message_get_method (message)),
		 uri != NULL ? g_uri_get_path (uri) : "?", status, seconds * 1000);
}

static gboolean
px_server_quit_cb (gpointer user_data)
{
	PxServer *server = user_data;

	g_message ("stopping");
	g_main_loop_quit (server->loop);
	return G_SOURCE_CONTINUE;
}

/* hands each accepted connection to libsoup */
static gboolean
px_server_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
		       gpointer user_data)
{
	PxServer *server = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
	g_autoptr (GSocketAddress) remote =
	    g_socket_connection_get_remote_address (connection, NULL);

	if (!soup_server_accept_iostream (server->soup, G_IO_STREAM (connection), local, remote,
					  &error))
		g_warning ("cannot take a connection: %s", error->message);
	return TRUE;
}

/* Praxis accepts connections itself and gives them to libsoup: 3.2.3's own listener keeps
 * about 350 bytes of every connection it accepted (measured: 20 MiB per 55,000), and every
 * answer here closes its connection. The accept queue is also deeper than GSocket's 10. */
static gboolean
px_server_listen (PxServer *server, GError **error)
{
	const char *host = server->config->listen_host;
	g_autoptr (GInetAddress) address =
	    g_inet_address_new_from_string (g_str_equal (host, "localhost") ? "127.0.0.1" : host);
	g_autoptr (GSocketAddress) socket_address = NULL;
	g_autoptr (GSocketAddress) bound = NULL;
	g_autofree char *shown = NULL;

	if (address == NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "listen host '%s' is not an IP address", host);
		return FALSE;
	}
	socket_address = g_inet_socket_address_new (address, server->config->listen_port);
	server->service = g_socket_service_new ();
	g_socket_listener_set_backlog (G_SOCKET_LISTENER (server->service), PX_LISTEN_BACKLOG);
	if (!g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), socket_address,
					    G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
					    &bound, error)) {
		g_prefix_error (error, "cannot listen on %s:%u: ", host,
				server->config->listen_port);
		return FALSE;
	}
	g_signal_connect (server->service, "incoming", G_CALLBACK (px_server_incoming_cb), server);
	shown = g_inet_address_to_string (address);
	printf (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
		    ? "listening on http://[%s]:%u/\n"
		    : "listening on http://%s:%u/\n",
		shown, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
	fflush (stdout);
	return TRUE;
}

static void
px_server_add_routes (PxServer *server)
{
	for (guint i = 0; i < G_N_ELEMENTS (routes); i++) {
		/* libsoup matches early and normal handlers by the same path: register both */
		soup_server_add_early_handler (server->soup, routes[i].prefix, px_server_early_cb,
					       server, NULL);
		soup_server_add_handler (server->soup, routes[i].prefix, px_server_handler_cb,
					 server, NULL);
	}
	g_signal_connect (server->soup, "request-started",
			  G_CALLBACK (px_server_request_started_cb), server);
	g_signal_connect (server->soup, "request-finished",
			  G_CALLBACK (px_server_request_finished_cb), server);
	g_signal_connect (server->soup, "request-aborted",
			  G_CALLBACK (px_server_request_finished_cb), server);
}

static void
px_server_free (PxServer *server)
{
	if (server->service != NULL) {
		g_socket_service_stop (server->service);
		g_socket_listener_close (G_SOCKET_LISTENER (server->service));
		g_object_unref (server->service);
	}
	if (server->soup != NULL) {
		soup_server_disconnect (server->soup);
		g_object_unref (server->soup);
	}
	/* the pools finish queued work; their completions then find finished messages */
	px_pool_free (server->readers);
	px_pool_free (server->writer);
	while (g_main_context_iteration (NULL, FALSE))
		;
	px_search_index_free (server->search);
	px_metrics_free (server->metrics);
	if (server->loop != NULL)
		g_main_loop_unref (server->loop);
	g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxServer, px_server_free)

gboolean
px_server_run (const PxConfig *config, GError **error)
{
	g_autoptr (PxServer) server = g_new0 (PxServer, 1);
	guint sigterm, sigint;

	server->config = config;
	server->metrics = px_metrics_new ();
	/* the writer opens first: it creates and migrates the database the readers then open */
	server->writer =
	    px_pool_new (config->db_path, PX_STORE_READ_WRITE, 1, config->busy_timeout_ms, error);
	if (server->writer == NULL)
		return FALSE;
	server->readers = px_pool_new (config->db_path, PX_STORE_READ_ONLY, config->workers,
				       config->busy_timeout_ms, error);
	if (server->readers == NULL)
		return FALSE;
	server->search = px_search_index_new (config, error);
	if (server->search == NULL)
		return FALSE;
	server->soup = soup_server_new ("server-header", "praxis/" PACKAGE_VERSION " ", NULL);
	px_server_add_routes (server);
	if (!px_server_listen (server, error))
		return FALSE;
	server->loop = g_main_loop_new (NULL, FALSE);
	sigterm = g_unix_signal_add (SIGTERM, px_server_quit_cb, server);
	sigint = g_unix_signal_add (SIGINT, px_server_quit_cb, server);
	g_main_loop_run (server->loop);
	g_source_remove (sigterm);
	g_source_remove (sigint);
	return TRUE;
}
