/* server.c: the SoupServer and everything around the handlers: the route table resources
 * register into, the chain of early steps (the limits checked before bodies are read: 411, 413),
 * Connection: close on every answer (libsoup 3.2.3 leaks idle keep-alive connections that
 * clients close), the hand-off of slow work to the pools, metrics, signals. Knows no resource. */
#define G_LOG_DOMAIN "PxServer"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "edge.h"
#include "server.h"
#include "util/error.h"

#define PX_LISTEN_BACKLOG 1024
#define PX_RETRY_AFTER "1"		 /* seconds, in every 503 for a full queue or a stop */
#define PX_STATUS_CLIENT_CLOSED 499	 /* nginx's status for a client that left early */
#define PX_DRAIN_US (2 * G_USEC_PER_SEC) /* at shutdown, how long answers may take to go out */

struct _PxServer {
	const PxConfig *config;
	SoupServer *soup;
	GSocketService *service;
	PxPool *readers;
	PxPool *writer;
	PxMetrics *metrics;
	PxRoutes *routes;
	GArray *steps; /* (element-type PxServerStepEntry): the early steps, in order */
	GMainLoop *loop;
	GHashTable *deferreds; /* (element-type PxDeferred): every deferred request still alive */
	PxRouteFunc not_found; /* (nullable): answers browsers' requests no route matches */
	gpointer not_found_data;
	gboolean stopping; /* px_server_free runs: the pools take no more work */
};

/* one deferred request. It lives until libsoup is done with its message (finished or
 * disconnected) and no work of it is in a pool; all its fields belong to the main context except
 * response and late, which the worker fills while in_pool is set */
typedef struct {
	PxServer *server;
	SoupServerMessage *message;
	GSocket *socket;	   /* (nullable): the client's connection */
	GSource *watch;		   /* (nullable): notices the client leaving while we work */
	GCancellable *cancellable; /* cancelled when the client leaves or the server stops */
	gulong finished_id;
	gulong disconnected_id;
	gulong wrote_chunk_id;
	PxServerWorkFunc work;
	gpointer data;
	GDestroyNotify destroy;
	PxResponse response;
	gint64 deadline;	/* of the next piece of work (monotonic µs) */
	gboolean write;		/* runs on the writer connection */
	gboolean in_pool;	/* work is queued or running, or its completion is on its way */
	gboolean finished;	/* libsoup is done with the message: never touch it again */
	gboolean client_left;	/* the client closed its connection */
	gboolean late;		/* the deadline had passed before a worker took the work */
	gboolean streaming;	/* status and headers are set; chunks follow */
	gboolean chunk_pending; /* the next chunk is wanted once this one is written */
	gboolean ended;		/* libsoup has the whole answer: no more work */
	gboolean completed;	/* the chunked body is complete */
} PxDeferred;

typedef struct {
	PxServerStep step;
	gpointer user_data;
} PxServerStepEntry;

PxMetrics *
px_server_get_metrics (PxServer *server)
{
	return server->metrics;
}

void
px_server_add_route (PxServer *server, const char *pattern, const char *methods,
		     PxRouteFunc handler, gpointer user_data)
{
	px_routes_add (server->routes, pattern, methods, handler, user_data);
}

void
px_server_set_not_found (PxServer *server, PxRouteFunc handler, gpointer user_data)
{
	server->not_found = handler;
	server->not_found_data = user_data;
}

void
px_server_add_step (PxServer *server, PxServerStep step, gpointer user_data)
{
	PxServerStepEntry entry = {step, user_data};

	g_array_append_val (server->steps, entry);
}

/* labels @message for the metrics: a route's pattern (which the table keeps), or "other" */
static void
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

/* 503 with Retry-After: the server is too busy or stopping; ask the client to come back */
static void
px_server_respond_busy (SoupServerMessage *message, const char *detail)
{
	px_server_respond_problem (message, SOUP_STATUS_SERVICE_UNAVAILABLE, detail);
	soup_message_headers_replace (soup_server_message_get_response_headers (message),
				      "Retry-After", PX_RETRY_AFTER);
}

static void
px_deferred_stop_watch (PxDeferred *deferred)
{
	if (deferred->watch == NULL)
		return;
	g_source_destroy (deferred->watch);
	g_clear_pointer (&deferred->watch, g_source_unref);
}

static void
px_deferred_free (PxDeferred *deferred)
{
	g_hash_table_remove (deferred->server->deferreds, deferred);
	px_deferred_stop_watch (deferred);
	g_signal_handler_disconnect (deferred->message, deferred->finished_id);
	g_signal_handler_disconnect (deferred->message, deferred->disconnected_id);
	if (deferred->wrote_chunk_id != 0)
		g_signal_handler_disconnect (deferred->message, deferred->wrote_chunk_id);
	g_object_unref (deferred->message);
	g_clear_object (&deferred->socket);
	g_object_unref (deferred->cancellable);
	px_response_clear (&deferred->response);
	if (deferred->destroy != NULL)
		deferred->destroy (deferred->data);
	g_free (deferred);
}

/* libsoup is done with the message (finished, or its connection closed): from now on only the
 * pool may still hold the request, and its completion frees it */
static void
px_deferred_finished_cb (SoupServerMessage *message, gpointer user_data)
{
	PxDeferred *deferred = user_data;

	deferred->finished = TRUE;
	px_deferred_stop_watch (deferred);
	g_cancellable_cancel (deferred->cancellable);
	if (!deferred->in_pool)
		px_deferred_free (deferred);
}

/* ends the answer so that the client can tell it is cut short: the connection is shut before
 * the last chunk goes out. libsoup notices a shut socket only when it writes, so it is given
 * something to write; its write fails and it finishes the message and closes the connection */
static void
px_deferred_abort (PxDeferred *deferred)
{
	deferred->chunk_pending = FALSE;
	deferred->ended = TRUE;
	if (deferred->socket != NULL)
		g_socket_shutdown (deferred->socket, TRUE, TRUE, NULL);
	if (!deferred->streaming && soup_server_message_get_status (deferred->message) == 0)
		soup_server_message_set_status (deferred->message, PX_STATUS_CLIENT_CLOSED,
						"Client Closed Request");
	if (deferred->streaming && !deferred->completed) {
		soup_message_body_complete (
		    soup_server_message_get_response_body (deferred->message));
		deferred->completed = TRUE;
	}
	soup_server_message_unpause (deferred->message);
}

/* runs in a worker: nothing for a client that left or a server that stops, and nothing past the
 * deadline, which counts from the request's arrival */
static void
px_deferred_work_cb (gpointer data, PxStore *store)
{
	PxDeferred *deferred = data;

	if (g_cancellable_is_cancelled (deferred->cancellable)) {
		px_response_set_problem (&deferred->response, SOUP_STATUS_SERVICE_UNAVAILABLE,
					 "the server is stopping", NULL);
		deferred->late = TRUE;
		return;
	}
	if (g_get_monotonic_time () >= deferred->deadline) {
		px_response_set_problem (&deferred->response, SOUP_STATUS_SERVICE_UNAVAILABLE,
					 "the server is too busy: try again later", NULL);
		deferred->late = TRUE;
		return;
	}
	px_store_set_deadline (store, deferred->deadline);
	px_store_set_cancellable (store, deferred->cancellable);
	deferred->work (deferred->data, store, &deferred->response);
	px_store_set_cancellable (store, NULL);
	px_store_set_deadline (store, 0);
}

static void px_deferred_done_cb (gpointer data);

/* the next piece of a stream: started streams are never refused, whatever the queue holds */
static void
px_deferred_push_next (PxDeferred *deferred)
{
	PxServer *server = deferred->server;

	deferred->deadline = g_get_monotonic_time () + server->config->request_timeout_ms * 1000;
	deferred->in_pool = TRUE;
	px_pool_push (deferred->write ? server->writer : server->readers, px_deferred_work_cb,
		      px_deferred_done_cb, deferred);
}

static void
px_deferred_wrote_chunk_cb (SoupServerMessage *message, gpointer user_data)
{
	PxDeferred *deferred = user_data;

	if (!deferred->chunk_pending)
		return;
	deferred->chunk_pending = FALSE;
	if (deferred->client_left || deferred->server->stopping) {
		px_deferred_abort (deferred);
		return;
	}
	px_deferred_push_next (deferred);
}

/* a chunked answer: the first piece sets status and headers, each further piece is more work
 * in the pool; the chunks stay in memory one at a time. A piece with nothing to send (a page
 * of rows the caller may not see) asks for the next one at once: libsoup would wait for a chunk
 * that never comes. Returns: TRUE if the next piece is wanted now */
static gboolean
px_deferred_stream (PxDeferred *deferred)
{
	SoupMessageBody *body = soup_server_message_get_response_body (deferred->message);
	PxResponse *response = &deferred->response;
	gboolean has_chunk = response->body != NULL && g_bytes_get_size (response->body) > 0;
	gboolean more = response->more;

	if (deferred->streaming && response->status >= 400) {
		/* too late for an error status: cut the answer short, visibly, and log why */
		g_warning ("a streamed answer stopped early (%u)", response->status);
		px_response_clear (response);
		px_deferred_abort (deferred);
		return FALSE;
	}
	/* status and headers go out with the first chunk that holds something */
	if (!deferred->streaming && (has_chunk || !more)) {
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
	}
	if (has_chunk)
		soup_message_body_append_bytes (body, response->body);
	px_response_clear (response);
	response->more = FALSE;
	if (!has_chunk && more)
		return TRUE;
	if (!more) {
		soup_message_body_complete (body);
		deferred->completed = TRUE;
		deferred->ended = TRUE;
	}
	deferred->chunk_pending = more;
	soup_server_message_unpause (deferred->message);
	return FALSE;
}

/* back on the main context: a message libsoup is done with is never touched again */
static void
px_deferred_done_cb (gpointer data)
{
	PxDeferred *deferred = data;

	deferred->in_pool = FALSE;
	if (deferred->finished) {
		px_deferred_free (deferred);
		return;
	}
	if (deferred->client_left) {
		px_deferred_abort (deferred);
		return;
	}
	if (!deferred->streaming && !deferred->response.more) {
		px_server_respond (deferred->message, &deferred->response);
		if (deferred->late)
			soup_message_headers_replace (
			    soup_server_message_get_response_headers (deferred->message),
			    "Retry-After", PX_RETRY_AFTER);
		deferred->ended = TRUE;
		soup_server_message_unpause (deferred->message);
		return;
	}
	/* a stream the server cannot finish: cut, so that a harvester does not take it as whole,
	 * or, if nothing of it went out yet, refused */
	if (deferred->server->stopping) {
		px_response_clear (&deferred->response);
		if (deferred->streaming) {
			px_deferred_abort (deferred);
			return;
		}
		px_server_respond_busy (deferred->message, "the server is stopping");
		deferred->ended = TRUE;
		soup_server_message_unpause (deferred->message);
		return;
	}
	if (px_deferred_stream (deferred))
		px_deferred_push_next (deferred);
}

/* Returns: TRUE when the client has closed its connection (a peek reads 0 bytes, or fails) */
static gboolean
px_deferred_peer_gone (PxDeferred *deferred, GIOCondition condition, gboolean *has_data)
{
	char byte;
	gssize got = recv (g_socket_get_fd (deferred->socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	*has_data = got > 0;
	if (got == 0)
		return TRUE;
	if (got < 0)
		return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
	return (condition & (G_IO_HUP | G_IO_ERR)) != 0;
}

static void px_deferred_watch (PxDeferred *deferred, GIOCondition condition);

/* while a message is paused libsoup 3.2.3 reads nothing from its connection, so it would not
 * notice the client leaving until the work is done: watch the connection here */
static gboolean
px_deferred_watch_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
	PxDeferred *deferred = user_data;
	gboolean has_data = FALSE;

	if (!px_deferred_peer_gone (deferred, condition, &has_data)) {
		if (!has_data)
			return G_SOURCE_CONTINUE;
		/* the client sent more (pipelining): only a reset or an error tells now */
		px_deferred_stop_watch (deferred);
		px_deferred_watch (deferred, G_IO_HUP | G_IO_ERR);
		return G_SOURCE_REMOVE;
	}
	g_debug ("the client left a deferred request");
	g_clear_pointer (&deferred->watch, g_source_unref);
	deferred->client_left = TRUE;
	g_cancellable_cancel (deferred->cancellable);
	/* queued or running work comes back to px_deferred_done_cb, which ends the message */
	if (!deferred->in_pool)
		px_deferred_abort (deferred);
	return G_SOURCE_REMOVE;
}

static void
px_deferred_watch (PxDeferred *deferred, GIOCondition condition)
{
	deferred->watch = g_socket_create_source (deferred->socket, condition, NULL);
	g_source_set_callback (deferred->watch, G_SOURCE_FUNC (px_deferred_watch_cb), deferred,
			       NULL);
	g_source_attach (deferred->watch, NULL);
}

void
px_server_defer (PxServer *server, SoupServerMessage *message, gboolean write,
		 PxServerWorkFunc work, gpointer data, GDestroyNotify destroy)
{
	PxPool *pool = write ? server->writer : server->readers;
	const gint64 *started = g_object_get_data (G_OBJECT (message), "px-started");
	GSocketAddress *remote = soup_server_message_get_remote_address (message);
	PxDeferred *deferred;

	if (server->stopping || px_pool_is_full (pool)) {
		px_server_respond_busy (message, server->stopping
						     ? "the server is stopping"
						     : "the server is too busy: try again later");
		if (destroy != NULL)
			destroy (data);
		return;
	}
	deferred = g_new0 (PxDeferred, 1);
	deferred->server = server;
	deferred->message = g_object_ref (message);
	deferred->cancellable = g_cancellable_new ();
	deferred->work = work;
	deferred->data = data;
	deferred->destroy = destroy;
	deferred->write = write;
	/* the deadline counts from the request's arrival, not from when a worker is free */
	deferred->deadline = (started != NULL ? *started : g_get_monotonic_time ()) +
			     server->config->request_timeout_ms * 1000;
	deferred->finished_id =
	    g_signal_connect (message, "finished", G_CALLBACK (px_deferred_finished_cb), deferred);
	deferred->disconnected_id = g_signal_connect (
	    message, "disconnected", G_CALLBACK (px_deferred_finished_cb), deferred);
	if (remote != NULL) {
		GSocket *socket = g_object_get_data (G_OBJECT (remote), "px-socket");
		if (socket != NULL)
			deferred->socket = g_object_ref (socket);
	}
	if (deferred->socket != NULL)
		px_deferred_watch (deferred, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_hash_table_add (server->deferreds, deferred);
	soup_server_message_pause (message);
	deferred->in_pool = TRUE;
	px_pool_push (pool, px_deferred_work_cb, px_deferred_done_cb, deferred);
}

/* a browser's request for a page: its Accept header names text/html */
static gboolean
px_server_wants_html (SoupServerMessage *message)
{
	const char *accept = soup_message_headers_get_list (
	    soup_server_message_get_request_headers (message), "Accept");

	return accept != NULL && strstr (accept, "text/html") != NULL;
}

static void
px_server_handler_cb (SoupServer *soup, SoupServerMessage *message, const char *path,
		      GHashTable *query, gpointer user_data)
{
	PxServer *server = user_data;
	const PxRoute *route = NULL;
	gint64 id = 0;
	guint status = px_routes_match (server->routes, path,
					soup_server_message_get_method (message), &route, &id);
	PxResponse response = {0};

	px_server_set_route (message, route != NULL ? route->pattern : "other");
	if (status == SOUP_STATUS_NOT_FOUND && server->not_found != NULL &&
	    px_server_wants_html (message)) {
		server->not_found (server, message, 0, server->not_found_data);
		return;
	}
	if (status == SOUP_STATUS_NOT_FOUND) {
		px_server_respond_problem (message, SOUP_STATUS_NOT_FOUND, "no such resource");
		return;
	}
	if (status == SOUP_STATUS_METHOD_NOT_ALLOWED) {
		px_response_set_problem (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
					 "this method is not allowed here", NULL);
		response.allow = route->methods;
		px_server_respond (message, &response);
		return;
	}
	route->handler (server, message, id, route->user_data);
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

/* the first early step: refuse what cannot be accepted at once, without reading its body
 * (libsoup 3.2.3 would read all of it first, whatever status is set here) */
static gboolean
px_server_check_limits (PxServer *server, SoupServerMessage *message, gpointer user_data)
{
	const char *detail = NULL;
	guint status = px_edge_check_framing (soup_server_message_get_request_headers (message),
					      (goffset)server->config->max_body_bytes, &detail);

	if (status == 0)
		return FALSE;
	/* the stolen connection gets no request-finished: count it here */
	px_metrics_observe (server->metrics, "limits", soup_server_message_get_method (message),
			    status, px_server_get_seconds (message));
	px_edge_refuse (server->soup, message, status, detail);
	return TRUE;
}

/* before the body is read: the early steps in order, until one answers */
static void
px_server_early_cb (SoupServer *soup, SoupServerMessage *message, const char *path,
		    GHashTable *query, gpointer user_data)
{
	PxServer *server = user_data;

	for (guint i = 0; i < server->steps->len; i++) {
		const PxServerStepEntry *entry =
		    &g_array_index (server->steps, PxServerStepEntry, i);

		if (entry->step (server, message, entry->user_data))
			return;
	}
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

	/* libsoup hands this address back (soup_server_message_get_remote_address) but not the
	 * socket of a connection given to it as a stream: deferred requests watch it */
	if (remote != NULL)
		g_object_set_data_full (G_OBJECT (remote), "px-socket",
					g_object_ref (g_socket_connection_get_socket (connection)),
					g_object_unref);
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

/* every path goes to libsoup's default handlers, early and normal; the route table and the
 * chain of early steps decide from there */
static void
px_server_add_handlers (PxServer *server)
{
	soup_server_add_early_handler (server->soup, NULL, px_server_early_cb, server, NULL);
	soup_server_add_handler (server->soup, NULL, px_server_handler_cb, server, NULL);
	g_signal_connect (server->soup, "request-started",
			  G_CALLBACK (px_server_request_started_cb), server);
	g_signal_connect (server->soup, "request-finished",
			  G_CALLBACK (px_server_request_finished_cb), server);
	g_signal_connect (server->soup, "request-aborted",
			  G_CALLBACK (px_server_request_finished_cb), server);
}

static gboolean
px_server_tick_cb (gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

/* a clean stop: no work is pushed to a freed pool and no callback finds freed memory. Queued
 * and running work is cancelled; one-shot answers still go out (503 for work that never ran),
 * streams are cut so that harvesters know they are incomplete; then the connections close */
void
px_server_free (PxServer *server)
{
	GHashTableIter iter;
	gpointer key;
	gint64 end;
	guint tick;

	if (server == NULL)
		return;
	server->stopping = TRUE;
	if (server->service != NULL) {
		g_socket_service_stop (server->service);
		g_socket_listener_close (G_SOCKET_LISTENER (server->service));
		g_object_unref (server->service);
	}
	if (server->deferreds != NULL) {
		g_hash_table_iter_init (&iter, server->deferreds);
		while (g_hash_table_iter_next (&iter, &key, NULL)) {
			PxDeferred *deferred = key;

			g_cancellable_cancel (deferred->cancellable);
			if (!deferred->in_pool && !deferred->finished && deferred->streaming &&
			    !deferred->ended)
				px_deferred_abort (deferred);
		}
	}
	/* the pools finish (or skip) their work; the completions wait in the main context */
	g_clear_pointer (&server->readers, px_pool_free);
	g_clear_pointer (&server->writer, px_pool_free);
	tick = g_timeout_add (50, px_server_tick_cb, NULL);
	end = g_get_monotonic_time () + PX_DRAIN_US;
	while (server->deferreds != NULL && g_hash_table_size (server->deferreds) > 0 &&
	       g_get_monotonic_time () < end)
		g_main_context_iteration (NULL, TRUE);
	g_source_remove (tick);
	if (server->soup != NULL) {
		/* what is left is told "disconnected" and freed */
		soup_server_disconnect (server->soup);
		g_object_unref (server->soup);
	}
	while (g_main_context_iteration (NULL, FALSE))
		;
	/* nothing is in a pool any more; what the connections did not end is freed here */
	if (server->deferreds != NULL) {
		g_autoptr (GList) left = g_hash_table_get_keys (server->deferreds);

		for (GList *link = left; link != NULL; link = link->next)
			px_deferred_free (link->data);
		g_hash_table_unref (server->deferreds);
	}
	/* the last messages' metrics labels point into the table: it goes after libsoup */
	px_routes_free (server->routes);
	if (server->steps != NULL)
		g_array_unref (server->steps);
	px_metrics_free (server->metrics);
	if (server->loop != NULL)
		g_main_loop_unref (server->loop);
	g_free (server);
}

PxServer *
px_server_new (const PxConfig *config, GError **error)
{
	g_autoptr (PxServer) server = g_new0 (PxServer, 1);

	server->config = config;
	server->metrics = px_metrics_new ();
	server->routes = px_routes_new ();
	server->steps = g_array_new (FALSE, FALSE, sizeof (PxServerStepEntry));
	server->deferreds = g_hash_table_new (NULL, NULL);
	/* the writer opens first: it creates and migrates the database the readers then open */
	server->writer = px_pool_new (config->db_path, PX_STORE_READ_WRITE, 1,
				      config->busy_timeout_ms, config->max_queue, error);
	if (server->writer == NULL)
		return NULL;
	server->readers = px_pool_new (config->db_path, PX_STORE_READ_ONLY, config->workers,
				       config->busy_timeout_ms, config->max_queue, error);
	if (server->readers == NULL)
		return NULL;
	server->soup = soup_server_new ("server-header", "praxis/" PACKAGE_VERSION " ", NULL);
	px_server_add_handlers (server);
	px_server_add_step (server, px_server_check_limits, NULL);
	return g_steal_pointer (&server);
}

gboolean
px_server_run (PxServer *server, GError **error)
{
	guint sigterm, sigint;

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
