/* test-routes.c: the route table without a socket: literal and {id} segments, the bounds of an
 * id, trailing slashes, 404 for an unknown path, 405 with the route's methods for the Allow
 * header, routes that check their methods themselves, and the order routes are tried in. */
#include "http/routes.h"

static void
test_handler_a (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
}

static void
test_handler_b (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
}

/* the routes of the API and the status resources, registered as they are in api/ */
static PxRoutes *
test_routes_new_api (void)
{
	PxRoutes *routes = px_routes_new ();

	px_routes_add (routes, "/api/practices", "GET, HEAD, POST", test_handler_a, NULL);
	px_routes_add (routes, "/api/practices/{id}", "GET, HEAD, PATCH, DELETE", test_handler_a,
		       NULL);
	px_routes_add (routes, "/api/practices/{id}/publish", "POST", test_handler_a, NULL);
	px_routes_add (routes, "/api/practices/{id}/reject", "POST", test_handler_a, NULL);
	px_routes_add (routes, "/api/export", "GET, HEAD", test_handler_a, NULL);
	px_routes_add (routes, "/healthz", NULL, test_handler_b, NULL);
	px_routes_add (routes, "/metrics", NULL, test_handler_b, NULL);
	return routes;
}

typedef struct {
	const char *path;
	const char *method;
	guint status;
	const char *pattern; /* NULL: no route */
	gint64 id;
} TestMatch;

static void
test_routes_check (PxRoutes *routes, const TestMatch *cases, guint n_cases)
{
	for (guint i = 0; i < n_cases; i++) {
		const PxRoute *route = NULL;
		gint64 id = -1;
		guint status =
		    px_routes_match (routes, cases[i].path, cases[i].method, &route, &id);

		g_test_message ("%s %s", cases[i].method, cases[i].path);
		g_assert_cmpuint (status, ==, cases[i].status);
		g_assert_cmpstr (route != NULL ? route->pattern : NULL, ==, cases[i].pattern);
		g_assert_cmpint (id, ==, cases[i].id);
	}
}

static void
test_routes_patterns_func (void)
{
	g_autoptr (PxRoutes) routes = test_routes_new_api ();
	const TestMatch cases[] = {
	    {"/api/practices", "GET", 0, "/api/practices", 0},
	    {"/api/practices", "HEAD", 0, "/api/practices", 0},
	    {"/api/practices", "POST", 0, "/api/practices", 0},
	    {"/api/practices/12", "PATCH", 0, "/api/practices/{id}", 12},
	    {"/api/practices/12/publish", "POST", 0, "/api/practices/{id}/publish", 12},
	    {"/api/practices/3/reject", "POST", 0, "/api/practices/{id}/reject", 3},
	    {"/api/export", "HEAD", 0, "/api/export", 0},
	    {"/healthz", "GET", 0, "/healthz", 0},
	    /* literal segments match byte for byte, and every segment counts */
	    {"/api/Practices", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practicesX", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/nope", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api//practices", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/12/delete", "POST", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/12/publish/x", "POST", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/healthzz", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"*", "OPTIONS", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	};

	test_routes_check (routes, cases, G_N_ELEMENTS (cases));
}

static void
test_routes_ids_func (void)
{
	g_autoptr (PxRoutes) routes = test_routes_new_api ();
	const TestMatch cases[] = {
	    {"/api/practices/1", "GET", 0, "/api/practices/{id}", 1},
	    {"/api/practices/007", "GET", 0, "/api/practices/{id}", 7},
	    {"/api/practices/9223372036854775807", "GET", 0, "/api/practices/{id}", G_MAXINT64},
	    {"/api/practices/9223372036854775808", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/99999999999999999999", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/0", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/-1", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/+1", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/ 1", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/1 ", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/1a", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/0x1", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/1.0", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/{id}", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/0/publish", "POST", SOUP_STATUS_NOT_FOUND, NULL, 0},
	};

	test_routes_check (routes, cases, G_N_ELEMENTS (cases));
}

static void
test_routes_trailing_slash_func (void)
{
	g_autoptr (PxRoutes) routes = test_routes_new_api ();
	const TestMatch cases[] = {
	    {"/api/practices/", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/5/", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/5/publish/", "POST", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/practices/5//", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/api/export/", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/healthz/", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	    {"/metrics/", "GET", SOUP_STATUS_NOT_FOUND, NULL, 0},
	};

	test_routes_check (routes, cases, G_N_ELEMENTS (cases));
}

static void
test_routes_methods_func (void)
{
	g_autoptr (PxRoutes) routes = test_routes_new_api ();
	const TestMatch cases[] = {
	    {"/api/practices", "PUT", SOUP_STATUS_METHOD_NOT_ALLOWED, "/api/practices", 0},
	    {"/api/practices", "get", SOUP_STATUS_METHOD_NOT_ALLOWED, "/api/practices", 0},
	    {"/api/practices/4", "POST", SOUP_STATUS_METHOD_NOT_ALLOWED, "/api/practices/{id}", 4},
	    {"/api/practices/4/publish", "GET", SOUP_STATUS_METHOD_NOT_ALLOWED,
	     "/api/practices/{id}/publish", 4},
	    {"/api/practices/4/reject", "HEAD", SOUP_STATUS_METHOD_NOT_ALLOWED,
	     "/api/practices/{id}/reject", 4},
	    {"/api/export", "POST", SOUP_STATUS_METHOD_NOT_ALLOWED, "/api/export", 0},
	    /* a "GET, HEAD" list is not a prefix match on "GET" */
	    {"/api/export", "GE", SOUP_STATUS_METHOD_NOT_ALLOWED, "/api/export", 0},
	    {"/api/export", "GET, HEAD", SOUP_STATUS_METHOD_NOT_ALLOWED, "/api/export", 0},
	    /* no list: every method reaches the handler, which refuses by itself */
	    {"/healthz", "DELETE", 0, "/healthz", 0},
	    {"/metrics", "BREW", 0, "/metrics", 0},
	    /* an unknown path is 404 whatever the method */
	    {"/api/nope", "DELETE", SOUP_STATUS_NOT_FOUND, NULL, 0},
	};
	const struct {
		const char *path;
		const char *allow;
	} allows[] = {
	    {"/api/practices", "GET, HEAD, POST"}, {"/api/practices/1", "GET, HEAD, PATCH, DELETE"},
	    {"/api/practices/1/publish", "POST"},  {"/api/practices/1/reject", "POST"},
	    {"/api/export", "GET, HEAD"},
	};

	test_routes_check (routes, cases, G_N_ELEMENTS (cases));
	for (guint i = 0; i < G_N_ELEMENTS (allows); i++) {
		const PxRoute *route = NULL;
		gint64 id = 0;

		g_assert_cmpuint (px_routes_match (routes, allows[i].path, "OPTIONS", &route, &id),
				  ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
		g_assert_cmpstr (route->methods, ==, allows[i].allow);
	}
}

static void
test_routes_order_func (void)
{
	g_autoptr (PxRoutes) routes = px_routes_new ();
	const PxRoute *route = NULL;
	gint64 id = 0;
	int data = 0;

	px_routes_add (routes, "/things/new", "GET", test_handler_a, NULL);
	px_routes_add (routes, "/things/{id}", "GET, DELETE", test_handler_b, &data);
	px_routes_add (routes, "/things/{id}", "POST", test_handler_a, NULL);
	g_assert_cmpuint (px_routes_match (routes, "/things/new", "GET", &route, &id), ==, 0);
	g_assert_true (route->handler == test_handler_a);
	g_assert_cmpuint (px_routes_match (routes, "/things/8", "GET", &route, &id), ==, 0);
	g_assert_true (route->handler == test_handler_b);
	g_assert_true (route->user_data == &data);
	g_assert_cmpint (id, ==, 8);
	/* the first route whose pattern matches decides, even for a method a later one lists */
	g_assert_cmpuint (px_routes_match (routes, "/things/8", "POST", &route, &id), ==,
			  SOUP_STATUS_METHOD_NOT_ALLOWED);
	g_assert_cmpstr (route->methods, ==, "GET, DELETE");
	/* nothing registered: every path is unknown */
	g_clear_pointer (&routes, px_routes_free);
	routes = px_routes_new ();
	g_assert_cmpuint (px_routes_match (routes, "/", "GET", &route, &id), ==,
			  SOUP_STATUS_NOT_FOUND);
	g_assert_null (route);
}

static void
test_routes_bad_pattern_func (void)
{
	g_autoptr (PxRoutes) routes = px_routes_new ();
	const PxRoute *route = NULL;
	gint64 id = 0;

	g_test_expect_message ("PxRoutes", G_LOG_LEVEL_CRITICAL, "*ids <= 1*");
	px_routes_add (routes, "/a/{id}/b/{id}", "GET", test_handler_a, NULL);
	g_test_assert_expected_messages ();
	g_assert_cmpuint (px_routes_match (routes, "/a/1/b/2", "GET", &route, &id), ==,
			  SOUP_STATUS_NOT_FOUND);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/routes/patterns", test_routes_patterns_func);
	g_test_add_func ("/praxis/routes/ids", test_routes_ids_func);
	g_test_add_func ("/praxis/routes/trailing-slash", test_routes_trailing_slash_func);
	g_test_add_func ("/praxis/routes/methods", test_routes_methods_func);
	g_test_add_func ("/praxis/routes/order", test_routes_order_func);
	g_test_add_func ("/praxis/routes/bad-pattern", test_routes_bad_pattern_func);
	return g_test_run ();
}
