/* test-web-limit.c: PxWebLimit counts each key's events in its window: it allows up to its
 * limit, refuses past it, says how long to wait, keeps keys apart, forgets events older than
 * the window or on demand, stays correct when many keys are swept, and a flood of new keys
 * neither locks a newcomer out nor makes it forget a key at its limit (expired keys go first,
 * then keys under their limit; only a table full of keys at their limit refuses a new one); the
 * markdown of the pages: safe and its headings renumbered. */
#include <string.h>

#include "web/web-limit.h"
#include "web/web-markdown.h"

static void
test_web_limit_counts_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new (3, 3600);

	for (guint i = 0; i < 3; i++) {
		g_assert_true (px_web_limit_allows (limit, "192.0.2.1"));
		px_web_limit_add (limit, "192.0.2.1");
	}
	g_assert_false (px_web_limit_allows (limit, "192.0.2.1"));
	/* another key is not held back */
	g_assert_true (px_web_limit_allows (limit, "192.0.2.2"));
	px_web_limit_add (limit, "192.0.2.1");
	g_assert_false (px_web_limit_allows (limit, "192.0.2.1"));
}

static void
test_web_limit_window_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new (1, 1);

	px_web_limit_add (limit, "a");
	g_assert_false (px_web_limit_allows (limit, "a"));
	g_usleep (1100 * 1000);
	g_assert_true (px_web_limit_allows (limit, "a"));
}

static void
test_web_limit_many_keys_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new (2, 3600);

	/* past the sweep's bound of keys: the counts of the live keys are kept */
	for (guint i = 0; i < 5000; i++) {
		g_autofree char *key = g_strdup_printf ("198.51.100.%u", i);
		px_web_limit_add (limit, key);
	}
	px_web_limit_add (limit, "198.51.100.7");
	g_assert_false (px_web_limit_allows (limit, "198.51.100.7"));
	g_assert_true (px_web_limit_allows (limit, "198.51.100.8"));
	g_assert_true (px_web_limit_allows (limit, "203.0.113.1"));
}

static void
test_web_limit_bounded_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new (1, 3600);
	gint64 start = g_get_monotonic_time ();

	/* a flood of addresses each at its limit: each event stays cheap (no sweep at each one),
	 * and past its bound the table refuses new keys rather than growing or forgetting the keys
	 * it holds back */
	g_test_expect_message ("PxWeb", G_LOG_LEVEL_WARNING, "65536 keys are at their limit*");
	for (guint i = 0; i < 200000; i++) {
		g_autofree char *key = g_strdup_printf ("2001:db8::%x", i);
		px_web_limit_add (limit, key);
	}
	g_test_assert_expected_messages ();
	g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
	g_assert_false (px_web_limit_allows (limit, "2001:db8::1"));
	g_assert_false (px_web_limit_allows (limit, "2001:db8::30d3f"));
}

static void
test_web_limit_flood_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new_bounded (3, 3600, 100);

	for (guint i = 0; i < 3; i++)
		px_web_limit_add (limit, "victim");
	g_assert_false (px_web_limit_allows (limit, "victim"));
	g_assert_cmpint (px_web_limit_wait (limit, "victim"), >, 3590);
	/* a flood of new keys fills the table: the count of the victim, at its limit, stays */
	g_test_expect_message ("PxWeb", G_LOG_LEVEL_WARNING, "100 keys have events within*");
	for (guint i = 0; i < 1000; i++) {
		g_autofree char *key = g_strdup_printf ("flood %u", i);
		px_web_limit_add (limit, key);
	}
	g_test_assert_expected_messages ();
	g_assert_false (px_web_limit_allows (limit, "victim"));
	g_assert_cmpint (px_web_limit_wait (limit, "victim"), >, 3590);
	/* a newcomer is not locked out: a key under its limit seen least recently makes room */
	g_assert_true (px_web_limit_allows (limit, "newcomer"));
	g_assert_cmpint (px_web_limit_wait (limit, "newcomer"), ==, 0);
	px_web_limit_add (limit, "newcomer");
	px_web_limit_add (limit, "newcomer");
	px_web_limit_add (limit, "newcomer");
	g_assert_false (px_web_limit_allows (limit, "newcomer"));
	/* another flood keeps both keys at their limit, and the latest keys under it */
	for (guint i = 1000; i < 2000; i++) {
		g_autofree char *key = g_strdup_printf ("flood %u", i);
		px_web_limit_add (limit, key);
	}
	g_assert_false (px_web_limit_allows (limit, "victim"));
	g_assert_false (px_web_limit_allows (limit, "newcomer"));
	px_web_limit_add (limit, "flood 1999");
	px_web_limit_add (limit, "flood 1999");
	g_assert_false (px_web_limit_allows (limit, "flood 1999"));
	g_assert_true (px_web_limit_allows (limit, "another newcomer"));
}

static void
test_web_limit_flood_held_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new_bounded (2, 3600, 100);

	/* a table full of keys at their limit: those are kept, and a new key is refused */
	g_test_expect_message ("PxWeb", G_LOG_LEVEL_WARNING, "100 keys are at their limit*");
	for (guint i = 0; i < 100; i++) {
		g_autofree char *key = g_strdup_printf ("flood %u", i);
		px_web_limit_add (limit, key);
		px_web_limit_add (limit, key);
	}
	g_assert_false (px_web_limit_allows (limit, "newcomer"));
	g_test_assert_expected_messages ();
	g_assert_cmpint (px_web_limit_wait (limit, "newcomer"), ==, 3600);
	px_web_limit_add (limit, "newcomer");
	g_assert_false (px_web_limit_allows (limit, "flood 0"));
	/* forgotten on demand, a key makes room for another */
	px_web_limit_forget (limit, "flood 5");
	g_assert_true (px_web_limit_allows (limit, "newcomer"));
	g_assert_true (px_web_limit_allows (limit, "flood 5"));
}

static void
test_web_limit_flood_expires_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new_bounded (2, 1, 100);
	gint64 added;
	gboolean allowed;
	gint64 wait;

	g_test_expect_message ("PxWeb", G_LOG_LEVEL_WARNING, "100 keys are at their limit*");
	for (guint i = 0; i < 100; i++) {
		g_autofree char *key = g_strdup_printf ("flood %u", i);
		px_web_limit_add (limit, key);
		px_web_limit_add (limit, key);
	}
	added = g_get_monotonic_time ();
	allowed = px_web_limit_allows (limit, "late");
	g_test_assert_expected_messages ();
	/* refused while the window lasts (not asserted when the machine was slower than it) */
	if (g_get_monotonic_time () - added < G_USEC_PER_SEC / 2)
		g_assert_false (allowed);
	/* the windows that ended are swept before any key is refused */
	g_usleep (1100 * 1000);
	g_assert_true (px_web_limit_allows (limit, "late"));
	added = g_get_monotonic_time ();
	px_web_limit_add (limit, "late");
	px_web_limit_add (limit, "late");
	allowed = px_web_limit_allows (limit, "late");
	wait = px_web_limit_wait (limit, "late");
	/* at most the window, rounded up; exactly it unless the machine stalled for all of it */
	g_assert_cmpint (wait, >=, 0);
	g_assert_cmpint (wait, <=, 1);
	if (g_get_monotonic_time () - added < G_USEC_PER_SEC / 2) {
		g_assert_false (allowed);
		g_assert_cmpint (wait, ==, 1);
	}
}

static void
test_web_limit_none_func (void)
{
	g_autoptr (PxWebLimit) limit = px_web_limit_new (0, 60);

	g_assert_false (px_web_limit_allows (limit, "a"));
}

static void
test_web_markdown_func (void)
{
	g_autofree char *safe = px_web_markdown_to_html (
	    "<script>alert(1)</script>\n\n[x](javascript:alert(1)) *y*", 2);
	g_autofree char *headings = px_web_markdown_to_html ("# One\n\n### Three\n\n# Again", 3);
	g_autofree char *deep = px_web_markdown_to_html ("# a\n\n## b\n\n### c\n\n#### d", 5);

	g_assert_null (strstr (safe, "<script"));
	g_assert_null (strstr (safe, "javascript:"));
	g_assert_nonnull (strstr (safe, "<em>y</em>"));
	g_assert_cmpstr (headings, ==, "<h3>One</h3>\n<h4>Three</h4>\n<h3>Again</h3>\n");
	g_assert_cmpstr (deep, ==, "<h5>a</h5>\n<h6>b</h6>\n<h6>c</h6>\n<h6>d</h6>\n");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/web-limit/counts", test_web_limit_counts_func);
	g_test_add_func ("/praxis/web-limit/window", test_web_limit_window_func);
	g_test_add_func ("/praxis/web-limit/many-keys", test_web_limit_many_keys_func);
	g_test_add_func ("/praxis/web-limit/none", test_web_limit_none_func);
	g_test_add_func ("/praxis/web-limit/bounded", test_web_limit_bounded_func);
	g_test_add_func ("/praxis/web-limit/flood", test_web_limit_flood_func);
	g_test_add_func ("/praxis/web-limit/flood-held", test_web_limit_flood_held_func);
	g_test_add_func ("/praxis/web-limit/flood-expires", test_web_limit_flood_expires_func);
	g_test_add_func ("/praxis/web-markdown/safe-and-renumbered", test_web_markdown_func);
	return g_test_run ();
}
