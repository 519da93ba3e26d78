/* test-form.c: the urlencoded decoder keeps repeated names and refuses what soup_form_decode
 * lets through (bad escapes, %00, invalid UTF-8). */
#include "util/error.h"
#include "util/form.h"

static void
test_form_repeated_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) pairs =
	    px_form_decode ("theme=water&q=a+b%20c&theme=energy&empty&=x", &error);
	const PxFormPair *pair;

	g_assert_no_error (error);
	g_assert_cmpuint (pairs->len, ==, 4);
	pair = g_ptr_array_index (pairs, 1);
	g_assert_cmpstr (pair->value, ==, "a b c");
	pair = g_ptr_array_index (pairs, 2);
	g_assert_cmpstr (pair->name, ==, "theme");
	g_assert_cmpstr (pair->value, ==, "energy");
	pair = g_ptr_array_index (pairs, 3);
	g_assert_cmpstr (pair->value, ==, "");
}

static void
test_form_refused_func (void)
{
	const char *const bad[] = {"a=%zz", "a=x%00y", "a=t%FFx", "a=%01", NULL};

	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (GPtrArray) pairs = px_form_decode (bad[i], &error);
		g_assert_null (pairs);
		g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/form/repeated", test_form_repeated_func);
	g_test_add_func ("/praxis/form/refused", test_form_refused_func);
	return g_test_run ();
}
