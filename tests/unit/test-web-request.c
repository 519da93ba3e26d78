/* test-web-request.c: the client that every per-address limit of the pages counts: an IPv4
 * address, an IPv4 address mapped into IPv6 as that address, an IPv6 address by its /64. */
#include "web/web-request.h"

static void
test_web_request_client_key_func (void)
{
	const struct {
		const char *address;
		const char *key;
	} cases[] = {
	    {"192.0.2.1", "192.0.2.1"},
	    {"::ffff:192.0.2.1", "192.0.2.1"},
	    {"::FFFF:c000:0201", "192.0.2.1"},
	    {"2001:db8:5:6::1", "2001:db8:5:6::/64"},
	    {"2001:db8:5:6:ffff:ffff:ffff:ffff", "2001:db8:5:6::/64"},
	    {"2001:DB8:5:6:a:b:c:d", "2001:db8:5:6::/64"},
	    {"2001:db8:5:7::1", "2001:db8:5:7::/64"},
	    {"::1", "::/64"},
	    {"not an address", "not an address"},
	    {NULL, "unknown"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *key = px_web_request_client_key (cases[i].address);

		g_assert_cmpstr (key, ==, cases[i].key);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/web-request/client-key", test_web_request_client_key_func);
	return g_test_run ();
}
