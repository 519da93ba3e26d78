/* lua-http.c: px.http.get and px.http.post: a request sent with libsoup 3 from a task (a timer's
 * or an importer's coroutine), which yields until the answer, a bounded prefix of its body, is
 * read on the task's context; the task then resumes with the answer as a table. One SoupSession
 * per request, made in the task's context; redirects followed here, a few and only to http(s).
 * It knows nothing of what a plugin does with the answer. */
#define G_LOG_DOMAIN "PxLuaHttp"

#include "lua-http.h"

#include <lauxlib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lua-call.h"
#include "plugin.h"

#define PX_LUA_HTTP_MAX_URL 8192
#define PX_LUA_HTTP_MAX_HEADERS 100
#define PX_LUA_HTTP_MAX_HEADER_NAME 256
#define PX_LUA_HTTP_MAX_HEADER_VALUE 8192
#define PX_LUA_HTTP_MAX_CONTENT_TYPE 256
/* a redirect's own body is read to its end (so that its connection closes at once) up to this */
#define PX_LUA_HTTP_MAX_REDIRECT_BODY (64 * 1024)
#define PX_LUA_HTTP_CHUNK (64 * 1024)

typedef struct {
	const char *method; /* "GET" or "POST" (static) */
	PxPluginTask *task;
	GMainContext *context;
	SoupSession *session;
	SoupMessage *message;	     /* the attempt in flight, or the last one */
	SoupMessageHeaders *headers; /* the caller's, set on every attempt */
	GBytes *request_body;	     /* (nullable) */
	char *content_type;	     /* (nullable) */
	GInputStream *stream;	     /* the answer's body being read */
	GByteArray *body;
	gsize limit; /* the most read of the answer's body */
	GCancellable *cancellable;
	GCancellable *task_cancellable;
	gulong cancelled_id;
	GSource *deadline;
	double timeout;
	GUri *next; /* (nullable): where the answer read redirects to */
	guint redirects;
	gboolean at_eof, timed_out;
	guint status;
	char *url;   /* the last attempt's URL */
	char *error; /* (nullable): why the request failed */
} PxLuaHttpRequest;

static void
px_lua_http_request_free (PxLuaHttpRequest *request)
{
	if (request->deadline != NULL)
		g_source_destroy (request->deadline);
	g_clear_pointer (&request->deadline, g_source_unref);
	if (request->cancelled_id != 0)
		g_cancellable_disconnect (request->task_cancellable, request->cancelled_id);
	g_clear_object (&request->task_cancellable);
	g_clear_object (&request->stream);
	g_clear_object (&request->message);
	if (request->session != NULL)
		soup_session_abort (request->session);
	g_clear_object (&request->session);
	g_clear_pointer (&request->headers, soup_message_headers_unref);
	g_clear_pointer (&request->request_body, g_bytes_unref);
	g_clear_pointer (&request->body, g_byte_array_unref);
	g_clear_pointer (&request->next, g_uri_unref);
	g_clear_object (&request->cancellable);
	g_free (request->content_type);
	g_free (request->url);
	g_free (request->error);
	px_plugin_task_unref (request->task);
	g_main_context_unref (request->context);
	g_free (request);
}

static gboolean
px_lua_http_uri_is_web (GUri *uri)
{
	const char *scheme = g_uri_get_scheme (uri);
	const char *host = g_uri_get_host (uri);

	return (g_ascii_strcasecmp (scheme, "http") == 0 ||
		g_ascii_strcasecmp (scheme, "https") == 0) &&
	       host != NULL && *host != '\0';
}

/* sets the one header @name (lowercased) of the table on top to @value, or joins it to the value
 * there with ", " (as HTTP joins repeated fields); a name too long is left out */
static void
px_lua_http_push_header (lua_State *L, const char *name, const char *value)
{
	char lower[PX_LUA_HTTP_MAX_HEADER_NAME + 1];
	size_t length = strlen (name);

	if (length > PX_LUA_HTTP_MAX_HEADER_NAME)
		return;
	for (size_t i = 0; i <= length; i++)
		lower[i] = g_ascii_tolower (name[i]);
	if (lua_getfield (L, -1, lower) == LUA_TSTRING) { /* stack: headers old */
		lua_pushliteral (L, ", ");
		lua_pushstring (L, value);
		lua_concat (L, 3); /* stack: headers joined */
	} else {
		lua_pop (L, 1);
		lua_pushstring (L, value); /* stack: headers value */
	}
	lua_setfield (L, -2, lower); /* stack: headers */
}

/* pushes what the call returns: the answer, or nil and why; in protected mode, the request's
 * memory freed by its caller whatever happens here */
static int
px_lua_http_push_cb (lua_State *L, gpointer user_data)
{
	PxLuaHttpRequest *request = user_data;
	SoupMessageHeadersIter iter;
	const char *name, *value;

	if (request->error != NULL) {
		lua_pushnil (L);
		lua_pushstring (L, request->error);
		return 2;
	}
	lua_createtable (L, 0, 4); /* stack: answer */
	lua_pushinteger (L, request->status);
	lua_setfield (L, -2, "status");
	lua_pushstring (L, request->url);
	lua_setfield (L, -2, "url");
	lua_newtable (L); /* stack: answer headers */
	soup_message_headers_iter_init (&iter,
					soup_message_get_response_headers (request->message));
	while (soup_message_headers_iter_next (&iter, &name, &value))
		px_lua_http_push_header (L, name, value);
	lua_setfield (L, -2, "headers"); /* stack: answer */
	lua_pushlstring (L, (const char *)request->body->data, request->body->len);
	lua_setfield (L, -2, "body");
	/* the task runs on before the request is freed: the copy in Lua is enough */
	g_clear_pointer (&request->body, g_byte_array_unref);
	return 1;
}

/* the task goes on with the outcome; the request is over */
static void
px_lua_http_finish (PxLuaHttpRequest *request)
{
	if (request->deadline != NULL)
		g_source_destroy (request->deadline);
	g_clear_pointer (&request->deadline, g_source_unref);
	if (request->error == NULL && request->message != NULL)
		request->url = g_uri_to_string (soup_message_get_uri (request->message));
	px_plugin_task_resume (request->task, px_lua_http_push_cb, request);
	px_lua_http_request_free (request);
}

static void
px_lua_http_set_error (PxLuaHttpRequest *request, const GError *error)
{
	if (request->error != NULL)
		return;
	if (request->timed_out)
		request->error = g_strdup_printf ("timed out after %g s", request->timeout);
	else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		request->error = g_strdup ("cancelled: the task is ending");
	else
		request->error = g_strdup (error->message);
}

static void px_lua_http_send (PxLuaHttpRequest *request, GUri *uri);

static void
px_lua_http_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
	PxLuaHttpRequest *request = user_data;

	g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
	g_clear_object (&request->stream);
	if (request->error == NULL && request->next != NULL) {
		g_autoptr (GUri) next = g_steal_pointer (&request->next);

		px_lua_http_send (request, next);
		return;
	}
	px_lua_http_finish (request);
}

/* the answer read, or reading it failed: its stream closed (its connection dropped when its
 * body was not read to the end), then the next attempt or the end */
static void
px_lua_http_end (PxLuaHttpRequest *request)
{
	if (request->stream == NULL) {
		px_lua_http_finish (request);
		return;
	}
	if (!request->at_eof)
		g_cancellable_cancel (request->cancellable);
	g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL,
				    px_lua_http_closed_cb, request);
}

static gsize
px_lua_http_limit (PxLuaHttpRequest *request)
{
	return request->next != NULL ? PX_LUA_HTTP_MAX_REDIRECT_BODY : request->limit;
}

static void px_lua_http_read_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* reads on, one past the limit at most, to know a body that is longer */
static void
px_lua_http_read (PxLuaHttpRequest *request)
{
	gsize want = MIN (PX_LUA_HTTP_CHUNK, px_lua_http_limit (request) + 1 - request->body->len);

	g_input_stream_read_bytes_async (request->stream, want, G_PRIORITY_DEFAULT,
					 request->cancellable, px_lua_http_read_cb, request);
}

static void
px_lua_http_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
	PxLuaHttpRequest *request = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) bytes =
	    g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
	gsize size = 0;
	const guint8 *data;

	if (bytes == NULL) {
		px_lua_http_set_error (request, error);
		px_lua_http_end (request);
		return;
	}
	data = g_bytes_get_data (bytes, &size);
	if (size == 0) {
		request->at_eof = TRUE;
		px_lua_http_end (request);
		return;
	}
	g_byte_array_append (request->body, data, (guint)size);
	if (request->body->len > px_lua_http_limit (request)) {
		request->error =
		    request->next != NULL
			? g_strdup_printf ("a redirect's body is larger than %d bytes",
					   PX_LUA_HTTP_MAX_REDIRECT_BODY)
			: g_strdup_printf (
			      "the answer's body is larger than max_bytes (%" G_GSIZE_FORMAT
			      " bytes)",
			      request->limit);
		px_lua_http_end (request);
		return;
	}
	px_lua_http_read (request);
}

static gboolean
px_lua_http_is_redirect (guint status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* a redirect to follow: where to, and how (303, and 301 or 302 after a POST, as GET) */
static void
px_lua_http_redirect (PxLuaHttpRequest *request, const char *location)
{
	g_autoptr (GUri) next = NULL;

	if (request->redirects >= PX_LUA_HTTP_MAX_REDIRECTS) {
		request->error =
		    g_strdup_printf ("more than %d redirects", PX_LUA_HTTP_MAX_REDIRECTS);
		return;
	}
	next = g_uri_parse_relative (soup_message_get_uri (request->message), location,
				     SOUP_HTTP_URI_FLAGS, NULL);
	if (next == NULL || !px_lua_http_uri_is_web (next)) {
		request->error = g_strdup ("redirected to a URL that is not http or https");
		return;
	}
	request->redirects++;
	request->next = g_steal_pointer (&next);
	if (request->status == 303 || ((request->status == 301 || request->status == 302) &&
				       g_str_equal (request->method, "POST"))) {
		request->method = "GET";
		g_clear_pointer (&request->request_body, g_bytes_unref);
	}
}

static void
px_lua_http_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
	PxLuaHttpRequest *request = user_data;
	g_autoptr (GError) error = NULL;
	const char *location;

	request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
	if (request->stream == NULL) {
		px_lua_http_set_error (request, error);
		px_lua_http_end (request);
		return;
	}
	request->status = soup_message_get_status (request->message);
	location = soup_message_headers_get_one (
	    soup_message_get_response_headers (request->message), "Location");
	if (px_lua_http_is_redirect (request->status) && location != NULL) {
		px_lua_http_redirect (request, location);
		if (request->error != NULL) {
			px_lua_http_end (request);
			return;
		}
	}
	px_lua_http_read (request);
}

static void
px_lua_http_copy_header_cb (const char *name, const char *value, gpointer user_data)
{
	soup_message_headers_replace (user_data, name, value);
}

/* one attempt: the request (again, after a redirect) to @uri */
static void
px_lua_http_send (PxLuaHttpRequest *request, GUri *uri)
{
	g_clear_object (&request->message);
	request->message = soup_message_new_from_uri (request->method, uri);
	if (request->request_body != NULL)
		soup_message_set_request_body_from_bytes (request->message, request->content_type,
							  request->request_body);
	soup_message_headers_foreach (request->headers, px_lua_http_copy_header_cb,
				      soup_message_get_request_headers (request->message));
	soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
	g_byte_array_set_size (request->body, 0);
	request->at_eof = FALSE;
	g_main_context_push_thread_default (request->context);
	soup_session_send_async (request->session, request->message, G_PRIORITY_DEFAULT,
				 request->cancellable, px_lua_http_sent_cb, request);
	g_main_context_pop_thread_default (request->context);
}

static gboolean
px_lua_http_deadline_cb (gpointer user_data)
{
	PxLuaHttpRequest *request = user_data;

	request->timed_out = TRUE;
	g_cancellable_cancel (request->cancellable);
	return G_SOURCE_REMOVE;
}

/* the task's end (its deadline, its plugin closed) ends the request; from any thread */
static void
px_lua_http_task_cancelled_cb (GCancellable *task_cancellable, gpointer user_data)
{
	g_cancellable_cancel (user_data);
}

static gboolean
px_lua_http_is_token (const char *text, size_t length)
{
	if (length == 0 || length > PX_LUA_HTTP_MAX_HEADER_NAME)
		return FALSE;
	for (size_t i = 0; i < length; i++)
		if (!g_ascii_isalnum (text[i]) && strchr ("!#$%&'*+-.^_`|~", text[i]) == NULL)
			return FALSE;
	return TRUE;
}

static gboolean
px_lua_http_is_field_value (const char *text, size_t length, size_t max)
{
	if (length > max || !g_utf8_validate (text, (gssize)length, NULL))
		return FALSE;
	for (size_t i = 0; i < length; i++)
		if (text[i] == '\r' || text[i] == '\n' || text[i] == '\0')
			return FALSE;
	return TRUE;
}

/* checks opts.headers (at @index): names are tokens, values one line; raises when not */
static void
px_lua_http_check_headers (lua_State *L, int index, const char *name)
{
	int count = 0;

	lua_pushnil (L);
	while (lua_next (L, index) != 0) {
		size_t key_length = 0, value_length = 0;
		const char *key, *value;

		if (lua_type (L, -2) != LUA_TSTRING || lua_type (L, -1) != LUA_TSTRING)
			luaL_error (L, "%s: headers maps names to text", name);
		key = lua_tolstring (L, -2, &key_length);
		value = lua_tolstring (L, -1, &value_length);
		if (!px_lua_http_is_token (key, key_length))
			luaL_error (L, "%s: '%s' is not a header name", name, key);
		if (!px_lua_http_is_field_value (value, value_length, PX_LUA_HTTP_MAX_HEADER_VALUE))
			luaL_error (L, "%s: header %s: one line of UTF-8 text, at most %d bytes",
				    name, key, PX_LUA_HTTP_MAX_HEADER_VALUE);
		if (++count > PX_LUA_HTTP_MAX_HEADERS)
			luaL_error (L, "%s: more than %d headers", name, PX_LUA_HTTP_MAX_HEADERS);
		lua_pop (L, 1);
	}
}

typedef struct {
	double timeout;
	lua_Integer max_bytes;
	const char *content_type;
	int headers; /* the stack index of opts.headers, 0 for none */
} PxLuaHttpOptions;

/* reads opts at @index (a table or nil), leaving its values on the stack; raises when wrong */
static void
px_lua_http_check_options (lua_State *L, int index, const char *name, PxLuaHttpOptions *options)
{
	size_t length = 0;

	*options = (PxLuaHttpOptions){PX_LUA_HTTP_TIMEOUT_DEFAULT, PX_LUA_HTTP_MAX_BYTES_DEFAULT,
				      "application/octet-stream", 0};
	if (lua_isnoneornil (L, index))
		return;
	luaL_checktype (L, index, LUA_TTABLE);
	if (lua_getfield (L, index, "timeout") != LUA_TNIL) {
		int is_number = 0;

		options->timeout = lua_tonumberx (L, -1, &is_number);
		if (!is_number ||
		    !(options->timeout > 0 && options->timeout <= PX_LUA_HTTP_TIMEOUT_MAX))
			luaL_error (L, "%s: timeout is a number of seconds, above 0 and at most %d",
				    name, PX_LUA_HTTP_TIMEOUT_MAX);
	}
	if (lua_getfield (L, index, "max_bytes") != LUA_TNIL) {
		int is_integer = 0;

		options->max_bytes = lua_tointegerx (L, -1, &is_integer);
		if (!is_integer || options->max_bytes < 0 ||
		    options->max_bytes > PX_LUA_HTTP_MAX_BYTES_CAP)
			luaL_error (L, "%s: max_bytes is a whole number from 0 to %d", name,
				    PX_LUA_HTTP_MAX_BYTES_CAP);
	}
	if (lua_getfield (L, index, "content_type") != LUA_TNIL) {
		options->content_type =
		    lua_type (L, -1) == LUA_TSTRING ? lua_tolstring (L, -1, &length) : NULL;
		if (options->content_type == NULL ||
		    !px_lua_http_is_field_value (options->content_type, length,
						 PX_LUA_HTTP_MAX_CONTENT_TYPE) ||
		    length == 0)
			luaL_error (L, "%s: content_type is a media type of one line", name);
	}
	if (lua_getfield (L, index, "headers") != LUA_TNIL) {
		if (!lua_istable (L, -1))
			luaL_error (L, "%s: headers is a table of names and values", name);
		options->headers = lua_gettop (L);
		px_lua_http_check_headers (L, options->headers, name);
	}
}

/* the call's start: every argument checked (they may raise) before anything is allocated, then
 * nothing raises until the task yields */
static int
px_lua_http_request (lua_State *L, const char *method, const char *name, gboolean has_body)
{
	size_t url_length = 0, body_length = 0;
	const char *url = luaL_checklstring (L, 1, &url_length);
	const char *body = has_body ? luaL_checklstring (L, 2, &body_length) : NULL;
	PxLuaHttpOptions options;
	PxLuaHttpRequest *request;
	PxLuaCall *call;
	GUri *uri;

	if (url_length > PX_LUA_HTTP_MAX_URL || strlen (url) != url_length)
		return luaL_argerror (L, 1, "a URL of at most 8192 bytes");
	if (body_length > PX_LUA_HTTP_MAX_BYTES_CAP)
		return luaL_argerror (L, 2, "a body of at most 64 MiB");
	px_lua_http_check_options (L, has_body ? 3 : 2, name, &options);
	call = px_lua_call_get (L);
	if (call->task == NULL || call->context == NULL || !lua_isyieldable (L))
		return luaL_error (L, "%s cannot wait here: use it in a timer or an importer",
				   name);
	uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
	if (uri == NULL || !px_lua_http_uri_is_web (uri)) {
		if (uri != NULL)
			g_uri_unref (uri);
		return luaL_error (L, "%s: '%s' is not an http or https URL", name, url);
	}
	/* from here nothing raises: the request owns what is allocated */
	request = g_new0 (PxLuaHttpRequest, 1);
	request->method = method;
	request->task = px_plugin_task_ref (call->task);
	request->context = g_main_context_ref (call->context);
	request->limit = (gsize)options.max_bytes;
	request->timeout = options.timeout;
	request->body = g_byte_array_new ();
	request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
	if (options.headers != 0) {
		lua_pushnil (L);
		while (lua_next (L, options.headers) != 0) {
			soup_message_headers_replace (request->headers, lua_tostring (L, -2),
						      lua_tostring (L, -1));
			lua_pop (L, 1);
		}
	}
	if (body != NULL) {
		request->request_body = g_bytes_new (body, body_length);
		request->content_type = g_strdup (options.content_type);
	}
	request->cancellable = g_cancellable_new ();
	request->task_cancellable = g_object_ref (px_plugin_task_get_cancellable (call->task));
	request->cancelled_id = g_cancellable_connect (
	    request->task_cancellable, G_CALLBACK (px_lua_http_task_cancelled_cb),
	    g_object_ref (request->cancellable), g_object_unref);
	g_main_context_push_thread_default (request->context);
	request->session = soup_session_new_with_options (
	    "timeout", (guint)MAX (1, options.timeout + 0.999), "user-agent",
	    "praxis/" PACKAGE_VERSION, "max-conns-per-host", 1, NULL);
	g_main_context_pop_thread_default (request->context);
	request->deadline = g_timeout_source_new ((guint)(options.timeout * 1000));
	g_source_set_callback (request->deadline, px_lua_http_deadline_cb, request, NULL);
	g_source_attach (request->deadline, request->context);
	px_lua_http_send (request, uri);
	g_uri_unref (uri);
	return lua_yield (L, 0);
}

/* px.http.get (url [, opts]) -> answer | nil, reason */
static int
px_lua_http_get (lua_State *L)
{
	return px_lua_http_request (L, "GET", "px.http.get", FALSE);
}

/* px.http.post (url, body [, opts]) -> answer | nil, reason */
static int
px_lua_http_post (lua_State *L)
{
	return px_lua_http_request (L, "POST", "px.http.post", TRUE);
}

static const luaL_Reg px_lua_http_functions[] = {
    {"get", px_lua_http_get},
    {"post", px_lua_http_post},
    {NULL, NULL},
};

int
px_lua_http_open (lua_State *L)
{
	luaL_newlib (L, px_lua_http_functions);
	return 1;
}
