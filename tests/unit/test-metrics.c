/* test-metrics.c: label values are escaped for the Prometheus text format, unknown methods
 * share one series, and the edge's framing checks refuse what libsoup lets through. */
#include "http/edge.h"
#include "http/metrics.h"

static void
test_metrics_escape_func (void)
{
	g_autoptr (GString) out = g_string_new (NULL);

	px_metrics_append_label_value (out, "a\"b\\c\nd");
	g_assert_cmpstr (out->str, ==, "a\\\"b\\\\c\\nd");
	g_string_truncate (out, 0);
	px_metrics_append_label_value (out, "x\xffy");
	g_assert_true (g_utf8_validate (out->str, -1, NULL));
}

static void
test_metrics_methods_func (void)
{
	g_autoptr (PxMetrics) metrics = px_metrics_new ();
	g_autofree char *text = NULL;

	g_assert_cmpstr (px_metrics_method_label ("PATCH"), ==, "PATCH");
	g_assert_cmpstr (px_metrics_method_label ("get"), ==, "other");
	g_assert_cmpstr (px_metrics_method_label (NULL), ==, "other");
	for (guint i = 0; i < 1000; i++) {
		g_autofree char *method = g_strdup_printf ("M\"%u", i);
		px_metrics_observe (metrics, "/a\"b", method, 404, 0.001);
	}
	px_metrics_observe (metrics, "/a\"b", "GET", 99999, 0.001);
	text = px_metrics_render (metrics);
	g_assert_nonnull (strstr (text, "praxis_http_requests_total{route=\"/a\\\"b\","
					"method=\"other\",status=\"404\"} 1000\n"));
	g_assert_nonnull (strstr (text, "method=\"GET\",status=\"other\"} 1\n"));
	g_assert_null (strstr (text, "M\""));
}

static void
test_metrics_framing_func (void)
{
	const struct {
		const char *headers;
		guint status;
	} cases[] = {
	    {"Content-Length: 2\r\n", 0},
	    {"", 0},
	    {"Content-Length: 2\r\nContent-Length: 2\r\n", SOUP_STATUS_BAD_REQUEST},
	    {"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", SOUP_STATUS_BAD_REQUEST},
	    {"Transfer-Encoding: chunked\r\n", SOUP_STATUS_LENGTH_REQUIRED},
	    {"Content-Length: 99999999999\r\n", SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE},
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *text =
		    g_strdup_printf ("POST / HTTP/1.1\r\nHost: t\r\n%s\r\n", cases[i].headers);
		g_autoptr (SoupMessageHeaders) headers =
		    soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
		g_autofree char *method = NULL, *path = NULL;
		const char *detail = NULL;

		g_assert_cmpuint (
		    soup_headers_parse_request (text, strlen (text), headers, &method, &path, NULL),
		    ==, SOUP_STATUS_OK);
		g_assert_cmpuint (px_edge_check_framing (headers, 1024, &detail), ==,
				  cases[i].status);
		g_assert_true ((detail != NULL) == (cases[i].status != 0));
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/metrics/escape", test_metrics_escape_func);
	g_test_add_func ("/praxis/metrics/methods", test_metrics_methods_func);
	g_test_add_func ("/praxis/edge/framing", test_metrics_framing_func);
	return g_test_run ();
}
