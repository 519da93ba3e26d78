/* test-json.c: the strict JSON guard refuses what json-glib 1.6 would take (comments, single
 * quotes, two roots, deep nesting, NULs, lone surrogates, repeated names) and takes RFC 8259. */
#include "util/error.h"
#include "util/json.h"

typedef struct {
	const char *text;
	gint code; /* -1: accepted */
	const char *in_message;
} PxJsonCase;

static const PxJsonCase cases[] = {
    {"{}", -1, NULL},
    {" \t\r\n{ \"a\" : [ 1 , -0 , 0.5e-3 , 2E+8, true , false , null ] } \n", -1, NULL},
    {"{\"a\":\"\\u00e9\\ud83d\\ude00\\/\\\\\\\"\\b\\f\\n\\r\\t\",\"b\":{\"c\":[]}}", -1, NULL},
    {"{\"a\":\"\\\\u0000 is a backslash and text\"}", -1, NULL},
    {"{'a':1}", PX_ERROR_INVALID, "byte 1"},
    {"{\"x\":'\"',\"y\":[[[1]]]}", PX_ERROR_INVALID, "byte 5"},
    {"{\"a\":1} {}", PX_ERROR_INVALID, "more after"},
    {"{\"a\":1}x", PX_ERROR_INVALID, "more after"},
    {"{\"a\":/* c */1}", PX_ERROR_INVALID, NULL},
    {"{\"a\":1}/\x2f c", PX_ERROR_INVALID, NULL}, /* a line comment */
    {"{\"title\": [/*\"*/[[1]]]}", PX_ERROR_INVALID, NULL},
    {"{\"a\":0x10}", PX_ERROR_INVALID, NULL},
    {"{\"a\":01}", PX_ERROR_INVALID, NULL},
    {"{\"a\":+1}", PX_ERROR_INVALID, NULL},
    {"{\"a\":.5}", PX_ERROR_INVALID, NULL},
    {"{\"a\":1.}", PX_ERROR_INVALID, NULL},
    {"{\"a\":1e}", PX_ERROR_INVALID, NULL},
    {"{\"a\":-}", PX_ERROR_INVALID, NULL},
    {"{\"a\":NaN}", PX_ERROR_INVALID, NULL},
    /* numbers json-glib would wrap or make infinite, silently */
    {"{\"year\":9223372036854775807,\"b\":-9223372036854775808,\"c\":1e308}", -1, NULL},
    {"{\"year\":12345678901234567890}", PX_ERROR_INVALID, "byte 8: a number is out of range"},
    {"{\"a\":-9223372036854775809}", PX_ERROR_INVALID, "out of range"},
    {"{\"a\":1e400}", PX_ERROR_INVALID, "out of range"},
    {"{\"a\":-1e400}", PX_ERROR_INVALID, "out of range"},
    {"{\"a\":tru}", PX_ERROR_INVALID, NULL},
    {"{\"a\":1,}", PX_ERROR_INVALID, NULL},
    {"[1,]", PX_ERROR_INVALID, NULL},
    {"{,}", PX_ERROR_INVALID, NULL},
    {"{\"a\" 1}", PX_ERROR_INVALID, "':'"},
    {"{a:1}", PX_ERROR_INVALID, "member name"},
    {"{\"a\":\"x\\u0000y\"}", PX_ERROR_INVALID, "NUL"},
    {"{\"a\":\"x\ty\"}", PX_ERROR_INVALID, "control character"},
    {"{\"a\":\"\\q\"}", PX_ERROR_INVALID, "escape"},
    {"{\"a\":\"\\u12\"}", PX_ERROR_INVALID, "escape"},
    {"{\"a\":\"open}", PX_ERROR_INVALID, "not closed"},
    {"{\"a\":1", PX_ERROR_INVALID, "'}'"},
    {"", PX_ERROR_INVALID, "value is due"},
    {"   ", PX_ERROR_INVALID, "value is due"},
    {"\xef\xbb\xbf{}", PX_ERROR_INVALID, NULL},
    {"{\"a\":\"\xff\"}", PX_ERROR_INVALID, "UTF-8"},
    {"{\"\\ud800\":1}", PX_ERROR_INVALID, "surrogate"},
    {"[\"\\ud800\"]", PX_ERROR_INVALID, "surrogate"},
    {"{\"title\":\"a\\ud800b\"}", PX_ERROR_VALIDATION, "title: holds a lone UTF-16 surrogate"},
    {"{\"title\":\"a\\udc00\"}", PX_ERROR_VALIDATION, "title:"},
    {"{\"title\":\"ok\",\"themes\":[\"x\",\"\\ud83d\\u0041\"]}", PX_ERROR_VALIDATION, "themes:"},
    {"{\"t\":\"\\ud83d\"}", PX_ERROR_VALIDATION, "t:"},
    {"{\"title\":{\"x\":\"\\ud800\"}}", PX_ERROR_VALIDATION, "title:"},
    {"{\"title\":{\"\\ud800\":1}}", PX_ERROR_VALIDATION, "title:"},
};

static void
test_json_cases_func (void)
{
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) error = NULL;
		gboolean ok = px_json_check (cases[i].text, strlen (cases[i].text), &error);

		g_test_message ("case %u: %s", i, cases[i].text);
		if (cases[i].code < 0) {
			g_assert_no_error (error);
			g_assert_true (ok);
			continue;
		}
		g_assert_false (ok);
		g_assert_error (error, PX_ERROR, cases[i].code);
		if (cases[i].in_message != NULL)
			g_assert_nonnull (strstr (error->message, cases[i].in_message));
	}
}

/* the guard takes exactly PX_JSON_MAX_DEPTH levels and nothing deeper, however it is hidden */
static void
test_json_depth_func (void)
{
	const char *const hidden[] = {"", "{\"x\":'\"',\"y\":", "{\"title\": [/*\"*/", NULL};

	for (guint h = 0; hidden[h] != NULL; h++) {
		for (guint depth = PX_JSON_MAX_DEPTH; depth <= 100000; depth += 100000 - 32) {
			g_autoptr (GString) text = g_string_new ("{\"a\":");
			g_autoptr (GError) error = NULL;
			g_autoptr (JsonObject) object = NULL;

			g_string_append (text, hidden[h]);
			for (guint i = 1; i < depth; i++)
				g_string_append_c (text, '[');
			for (guint i = 1; i < depth; i++)
				g_string_append_c (text, ']');
			g_string_append (text, h > 0 ? "}}" : "}");
			object = px_json_parse_object (text->str, text->len, &error);
			if (h == 0 && depth == PX_JSON_MAX_DEPTH) {
				g_assert_no_error (error);
				g_assert_nonnull (object);
			} else {
				g_assert_null (object);
				g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
			}
		}
	}
}

static void
test_json_object_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) object = px_json_parse_object ("{\"a\":{\"b\":1}}", 13, &error);

	g_assert_no_error (error);
	g_assert_nonnull (object);
	g_assert_null (px_json_parse_object ("[1]", 3, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_VALIDATION);
	g_clear_error (&error);
	g_assert_null (px_json_parse_object ("{\"a\":1,\"a\":2}", 13, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "twice"));
	g_clear_error (&error);
	g_assert_null (px_json_parse_object ("{\"a\":[{\"b\":1,\"b\":1}]}", 21, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	/* not NUL-terminated: the length is the end */
	json_object_unref (object);
	object = px_json_parse_object ("{}}", 2, &error);
	g_assert_no_error (error);
	g_assert_nonnull (object);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/json/cases", test_json_cases_func);
	g_test_add_func ("/praxis/json/depth", test_json_depth_func);
	g_test_add_func ("/praxis/json/object", test_json_object_func);
	return g_test_run ();
}
