/* test-lua-http.c: px.http as a plugin sees it: a plugin loaded by the host (plugin.c) whose
 * importers, run as tasks on this thread's main context, call a SoupServer of the test on
 * 127.0.0.1; answers, statuses, bodies past max_bytes, timeouts, redirects, refused connections,
 * misuse, a call where nothing may wait, and a plugin closed while its request waits. */
#include <glib.h>
#include <glib/gstdio.h>
#include <lauxlib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lua/plugin.h"
#include "test-util.h"

/* the plugin under test: one importer per case, each given the server's base URL, failing
 * (an error, so the task's end reports it) when an assertion does not hold */
static const char px_test_plugin[] =
    "local px = ...\n"
    "local function has(text, part)\n"
    "  return type(text) == 'string' and text:find(part, 1, true) ~= nil\n"
    "end\n"
    "px.importer('get', function(base)\n"
    "  local answer = assert(px.http.get(base .. '/hello', {headers = {['X-Ask'] = 'me'}}))\n"
    "  assert(answer.status == 200, answer.status)\n"
    "  assert(answer.body == 'hello, me', answer.body)\n"
    "  assert(answer.headers['x-test'] == 'a, b', answer.headers['x-test'])\n"
    "  assert(has(answer.headers['content-type'], 'text/plain'))\n"
    "  assert(answer.headers['X-Test'] == nil)\n"
    "  assert(answer.url == base .. '/hello', answer.url)\n"
    "  local agent = assert(px.http.get(base .. '/agent'))\n"
    "  assert(agent.body:match('^praxis/%d'), agent.body)\n"
    "  local missing = assert(px.http.get(base .. '/missing'))\n"
    "  assert(missing.status == 404 and missing.body == 'no', missing.status)\n"
    "  local exact = assert(px.http.get(base .. '/hello', {max_bytes = 8, timeout = 5}))\n"
    "  assert(exact.body == 'hello, -' and exact.status == 200)\n"
    "  local short, why = px.http.get(base .. '/hello', {max_bytes = 7})\n"
    "  assert(short == nil and has(why, 'larger than max_bytes (7 bytes)'), why)\n"
    "end)\n"
    "px.importer('post', function(base)\n"
    "  local answer = assert(px.http.post(base .. '/echo', '{\"a\": 1}',\n"
    "    {content_type = 'application/json', headers = {['X-Ask'] = 'it'}}))\n"
    "  assert(answer.status == 201, answer.status)\n"
    "  assert(answer.body == 'POST application/json it {\"a\": 1}', answer.body)\n"
    "  local plain = assert(px.http.post(base .. '/echo', ''))\n"
    "  assert(plain.body == 'POST application/octet-stream - ', plain.body)\n"
    "end)\n"
    "px.importer('limits', function(base)\n"
    "  local whole = assert(px.http.get(base .. '/big', {max_bytes = 100000}))\n"
    "  assert(#whole.body == 100000, #whole.body)\n"
    "  local answer, why = px.http.get(base .. '/big', {max_bytes = 99999})\n"
    "  assert(answer == nil and has(why, 'larger than max_bytes (99999 bytes)'), why)\n"
    "  answer, why = px.http.get(base .. '/endless', {max_bytes = 1000})\n"
    "  assert(answer == nil and has(why, 'larger than max_bytes'), why)\n"
    "end)\n"
    "px.importer('timeout', function(base)\n"
    "  local started = os.time()\n"
    "  local answer, why = px.http.get(base .. '/hold', {timeout = 0.3})\n"
    "  assert(answer == nil and has(why, 'timed out after 0.3 s'), why)\n"
    "  assert(os.time() - started < 5)\n"
    "end)\n"
    "px.importer('redirects', function(base)\n"
    "  local answer = assert(px.http.get(base .. '/redirect/5'))\n"
    "  assert(answer.status == 200 and answer.body == 'hello, -', answer.body)\n"
    "  assert(answer.url == base .. '/hello', answer.url)\n"
    "  local none, why = px.http.get(base .. '/redirect/6')\n"
    "  assert(none == nil and has(why, 'more than 5 redirects'), why)\n"
    "  none, why = px.http.get(base .. '/elsewhere')\n"
    "  assert(none == nil and has(why, 'not http or https'), why)\n"
    "  local seen = assert(px.http.post(base .. '/see-other', 'x'))\n"
    "  assert(seen.body == 'GET - - ', seen.body)\n"
    "  local kept = assert(px.http.post(base .. '/temporary', 'kept', {content_type = 'a/b'}))\n"
    "  assert(kept.body == 'POST a/b - kept', kept.body)\n"
    "end)\n"
    "px.importer('refused', function(base)\n"
    "  local answer, why = px.http.get(base)\n"
    "  assert(answer == nil and type(why) == 'string' and #why > 0, why)\n"
    "end)\n"
    "px.importer('misuse', function(base)\n"
    "  local function refused(part, ...)\n"
    "    local ok, why = pcall(...)\n"
    "    assert(not ok and has(why, part), why)\n"
    "  end\n"
    "  refused('not an http or https URL', px.http.get, 'file:///etc/passwd')\n"
    "  refused('not an http or https URL', px.http.get, 'http://')\n"
    "  refused('not an http or https URL', px.http.get, 'no url')\n"
    "  refused('at most 8192 bytes', px.http.get, 'http://x/' .. ('a'):rep(9000))\n"
    "  refused('string expected', px.http.get)\n"
    "  refused('string expected', px.http.post, base .. '/echo')\n"
    "  refused('timeout is a number', px.http.get, base, {timeout = -1})\n"
    "  refused('timeout is a number', px.http.get, base, {timeout = 'soon'})\n"
    "  refused('max_bytes is a whole number', px.http.get, base, {max_bytes = 1e9})\n"
    "  refused('max_bytes is a whole number', px.http.get, base, {max_bytes = 1.5})\n"
    "  refused('not a header name', px.http.get, base, {headers = {['a b'] = 'c'}})\n"
    "  refused('one line', px.http.get, base, {headers = {a = 'b\\r\\nc: d'}})\n"
    "  refused('maps names to text', px.http.get, base, {headers = {a = 1}})\n"
    "  refused('content_type', px.http.post, base, '', {content_type = ''})\n"
    "  refused('cannot wait here', table.sort, {1, 2}, function() px.http.get(base) end)\n"
    "  local answer = assert(px.http.get(base .. '/hello'))\n"
    "  assert(answer.status == 200)\n"
    "end)\n"
    "px.importer('wait', function(base)\n"
    "  local answer, why = px.http.get(base .. '/hold', {timeout = 60})\n"
    "  error('resumed after its plugin closed: ' .. tostring(why))\n"
    "end)\n"
    "px.on('search.rewrite', function(query)\n"
    "  local ok, why = pcall(px.http.get, 'http://127.0.0.1:1/')\n"
    "  return ok and 'waited' or why\n"
    "end)\n";

typedef struct {
	SoupServer *server;
	char *base;
	GPtrArray *held; /* (element-type SoupServerMessage): paused, never answered */
	GPtrArray *endless;
	char *dir;
	PxPlugin *plugin;
} PxHttpFixture;

static void
px_test_answer (SoupServerMessage *message, guint status, const char *text)
{
	soup_server_message_set_status (message, status, NULL);
	soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_COPY, text,
					  strlen (text));
}

static void
px_test_server_cb (SoupServer *server, SoupServerMessage *message, const char *path,
		   GHashTable *query, gpointer data)
{
	PxHttpFixture *fixture = data;
	SoupMessageHeaders *request = soup_server_message_get_request_headers (message);
	SoupMessageHeaders *response = soup_server_message_get_response_headers (message);
	const char *ask = soup_message_headers_get_one (request, "X-Ask");
	guint64 hops = 0;

	if (g_str_equal (path, "/hello")) {
		g_autofree char *text = g_strdup_printf ("hello, %s", ask != NULL ? ask : "-");

		px_test_answer (message, 200, text);
		soup_message_headers_append (response, "X-Test", "a");
		soup_message_headers_append (response, "X-Test", "b");
	} else if (g_str_equal (path, "/agent")) {
		px_test_answer (message, 200, soup_message_headers_get_one (request, "User-Agent"));
	} else if (g_str_equal (path, "/echo")) {
		SoupMessageBody *body = soup_server_message_get_request_body (message);
		const char *type = soup_message_headers_get_one (request, "Content-Type");
		g_autofree char *text =
		    g_strdup_printf ("%s %s %s %.*s", soup_server_message_get_method (message),
				     type != NULL ? type : "-", ask != NULL ? ask : "-",
				     (int)body->length, body->data);

		px_test_answer (
		    message,
		    g_str_equal (soup_server_message_get_method (message), "POST") ? 201 : 200,
		    text);
	} else if (g_str_equal (path, "/big")) {
		g_autofree char *text = g_strnfill (100000, 'b');

		px_test_answer (message, 200, text);
	} else if (g_str_equal (path, "/endless")) {
		g_autofree char *chunk = g_strnfill (64 * 1024, 'e');

		soup_server_message_set_status (message, 200, NULL);
		soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
		soup_message_body_append (soup_server_message_get_response_body (message),
					  SOUP_MEMORY_COPY, chunk, 64 * 1024);
		g_ptr_array_add (fixture->endless, g_object_ref (message));
	} else if (g_str_equal (path, "/hold")) {
		soup_server_message_pause (message);
		g_ptr_array_add (fixture->held, g_object_ref (message));
	} else if (g_str_has_prefix (path, "/redirect/") &&
		   g_ascii_string_to_unsigned (path + 10, 10, 0, 100, &hops, NULL)) {
		g_autofree char *next = hops > 1 ? g_strdup_printf ("/redirect/%u", (guint)hops - 1)
						 : g_strdup ("/hello");

		soup_server_message_set_redirect (message, 302, next);
	} else if (g_str_equal (path, "/elsewhere")) {
		soup_server_message_set_redirect (message, 301, "ftp://127.0.0.1/file");
	} else if (g_str_equal (path, "/see-other")) {
		soup_server_message_set_redirect (message, 303, "/echo");
	} else if (g_str_equal (path, "/temporary")) {
		soup_server_message_set_redirect (message, 307, "/echo");
	} else {
		px_test_answer (message, 404, "no");
	}
}

static void
px_http_fixture_set_up (PxHttpFixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);
	g_autofree char *file = NULL;
	PxPluginLimits limits = {
	    {PX_SANDBOX_MEMORY_DEFAULT, PX_SANDBOX_INSTRUCTIONS_DEFAULT,
	     PX_SANDBOX_TIMEOUT_DEFAULT},
	    {PX_SANDBOX_MEMORY_DEFAULT, 100 * PX_SANDBOX_INSTRUCTIONS_DEFAULT, 60000},
	    100};
	GSList *uris;

	fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
	fixture->endless = g_ptr_array_new_with_free_func (g_object_unref);
	fixture->server = soup_server_new (NULL, NULL);
	soup_server_add_handler (fixture->server, NULL, px_test_server_cb, fixture, NULL);
	soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
	g_assert_no_error (error);
	uris = soup_server_get_uris (fixture->server);
	fixture->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
	g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

	fixture->dir = g_dir_make_tmp ("px-test-lua-http-XXXXXX", &error);
	g_assert_no_error (error);
	file = g_build_filename (fixture->dir, "fetch.lua", NULL);
	g_file_set_contents (file, px_test_plugin, -1, &error);
	g_assert_no_error (error);
	fixture->plugin = px_plugin_load ("fetch", fixture->dir, options, &limits, &error);
	g_assert_no_error (error);
}

static void
px_http_fixture_tear_down (PxHttpFixture *fixture, gconstpointer data)
{
	for (guint i = 0; i < fixture->held->len; i++) {
		soup_server_message_set_status (g_ptr_array_index (fixture->held, i), 500, NULL);
		soup_server_message_unpause (g_ptr_array_index (fixture->held, i));
	}
	for (guint i = 0; i < fixture->endless->len; i++)
		soup_message_body_complete (soup_server_message_get_response_body (
		    g_ptr_array_index (fixture->endless, i)));
	while (g_main_context_iteration (NULL, FALSE))
		;
	px_plugin_close (fixture->plugin);
	px_plugin_unref (fixture->plugin);
	soup_server_disconnect (fixture->server);
	g_object_unref (fixture->server);
	while (g_main_context_iteration (NULL, FALSE))
		;
	g_ptr_array_unref (fixture->held);
	g_ptr_array_unref (fixture->endless);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->dir);
	g_free (fixture->base);
}

typedef struct {
	gboolean done;
	char *error;
} PxTestTask;

static int
px_test_push_cb (lua_State *L, gpointer user_data)
{
	lua_pushstring (L, user_data);
	return 1;
}

static void
px_test_done_cb (PxPluginTask *task, const GError *error, gpointer user_data)
{
	PxTestTask *outcome = user_data;

	outcome->done = TRUE;
	outcome->error = error != NULL ? g_strdup (error->message) : NULL;
}

static int
px_test_find_importer (PxPlugin *plugin, const char *name)
{
	GPtrArray *importers = px_plugin_get_importers (plugin);

	for (guint i = 0; i < importers->len; i++) {
		PxPluginImporter *importer = g_ptr_array_index (importers, i);

		if (g_str_equal (importer->name, name))
			return importer->ref;
	}
	g_assert_not_reached ();
}

/* starts the importer @name as a task given @base; Returns: its outcome, to run until done */
static PxTestTask *
px_test_start (PxHttpFixture *fixture, const char *name, const char *base)
{
	PxTestTask *outcome = g_new0 (PxTestTask, 1);
	PxLuaCall call = {0};

	px_plugin_start_task (fixture->plugin, px_test_find_importer (fixture->plugin, name), &call,
			      g_main_context_default (), px_test_push_cb, (gpointer)base,
			      px_test_done_cb, outcome);
	return outcome;
}

static void
px_test_wait (PxTestTask *outcome)
{
	while (!outcome->done)
		g_main_context_iteration (NULL, TRUE);
}

/* runs the importer @name to its end and asserts that its assertions held */
static void
px_test_run (PxHttpFixture *fixture, const char *name)
{
	PxTestTask *outcome = px_test_start (fixture, name, fixture->base);

	px_test_wait (outcome);
	g_assert_cmpstr (outcome->error, ==, NULL);
	g_free (outcome);
}

static void
test_lua_http_get_func (PxHttpFixture *fixture, gconstpointer data)
{
	px_test_run (fixture, "get");
}

static void
test_lua_http_post_func (PxHttpFixture *fixture, gconstpointer data)
{
	px_test_run (fixture, "post");
}

static void
test_lua_http_limits_func (PxHttpFixture *fixture, gconstpointer data)
{
	px_test_run (fixture, "limits");
}

static void
test_lua_http_timeout_func (PxHttpFixture *fixture, gconstpointer data)
{
	px_test_run (fixture, "timeout");
	g_assert_cmpuint (fixture->held->len, ==, 1);
}

static void
test_lua_http_redirects_func (PxHttpFixture *fixture, gconstpointer data)
{
	px_test_run (fixture, "redirects");
}

static void
test_lua_http_misuse_func (PxHttpFixture *fixture, gconstpointer data)
{
	px_test_run (fixture, "misuse");
}

/* a port nothing listens on: a transport error is nil and its reason, not a failure */
static void
test_lua_http_refused_func (PxHttpFixture *fixture, gconstpointer data)
{
	g_autoptr (GSocketListener) listener = g_socket_listener_new ();
	g_autoptr (GError) error = NULL;
	guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
	g_autofree char *base = NULL;
	PxTestTask *outcome;

	g_assert_no_error (error);
	g_socket_listener_close (listener);
	base = g_strdup_printf ("http://127.0.0.1:%u/", port);
	outcome = px_test_start (fixture, "refused", base);
	px_test_wait (outcome);
	g_assert_cmpstr (outcome->error, ==, NULL);
	g_free (outcome);
}

/* tasks wait side by side: each resumes with its own answer */
static void
test_lua_http_concurrent_func (PxHttpFixture *fixture, gconstpointer data)
{
	PxTestTask *first = px_test_start (fixture, "get", fixture->base);
	PxTestTask *second = px_test_start (fixture, "redirects", fixture->base);
	PxTestTask *third = px_test_start (fixture, "post", fixture->base);

	g_assert_false (first->done || second->done || third->done);
	px_test_wait (first);
	px_test_wait (second);
	px_test_wait (third);
	g_assert_cmpstr (first->error, ==, NULL);
	g_assert_cmpstr (second->error, ==, NULL);
	g_assert_cmpstr (third->error, ==, NULL);
	g_free (first);
	g_free (second);
	g_free (third);
}

/* search.rewrite (and the practice events) cannot wait: a clear error, nothing sent */
static void
test_lua_http_no_task_func (PxHttpFixture *fixture, gconstpointer data)
{
	GPtrArray *handlers = px_plugin_get_handlers (fixture->plugin);
	PxLuaCall call = {0};
	g_autofree char *rewritten = NULL;
	g_autoptr (GError) error = NULL;

	g_assert_cmpuint (handlers->len, ==, 1);
	g_assert_true (px_plugin_call_rewrite (fixture->plugin, g_ptr_array_index (handlers, 0),
					       &call, "query", &rewritten, &error));
	g_assert_no_error (error);
	g_assert_nonnull (
	    strstr (rewritten, "px.http.get cannot wait here: use it in a timer or an importer"));
}

/* the plugin closed (a reload, a stop) while its request waits: the task ends at once */
static void
test_lua_http_closed_func (PxHttpFixture *fixture, gconstpointer data)
{
	PxTestTask *outcome = px_test_start (fixture, "wait", fixture->base);

	while (fixture->held->len == 0)
		g_main_context_iteration (NULL, TRUE);
	g_assert_false (outcome->done);
	g_test_expect_message ("PxPlugin", G_LOG_LEVEL_WARNING, "*fetch*unloaded*");
	px_plugin_close (fixture->plugin);
	px_test_wait (outcome);
	g_test_assert_expected_messages ();
	g_assert_nonnull (outcome->error);
	g_test_message ("%s", outcome->error);
	g_assert_null (strstr (outcome->error, "resumed after its plugin closed"));
	g_free (outcome->error);
	g_free (outcome);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define PX_TEST(path, func)                                                                      \
	g_test_add ("/praxis/lua-http/" path, PxHttpFixture, NULL, px_http_fixture_set_up, func, \
		    px_http_fixture_tear_down)
	PX_TEST ("get", test_lua_http_get_func);
	PX_TEST ("post", test_lua_http_post_func);
	PX_TEST ("limits", test_lua_http_limits_func);
	PX_TEST ("timeout", test_lua_http_timeout_func);
	PX_TEST ("redirects", test_lua_http_redirects_func);
	PX_TEST ("misuse", test_lua_http_misuse_func);
	PX_TEST ("refused", test_lua_http_refused_func);
	PX_TEST ("concurrent", test_lua_http_concurrent_func);
	PX_TEST ("no-task", test_lua_http_no_task_func);
	PX_TEST ("closed", test_lua_http_closed_func);
#undef PX_TEST
	return g_test_run ();
}
