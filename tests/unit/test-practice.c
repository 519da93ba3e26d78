/* test-practice.c: the JSON codec of practices: field rules, unknown fields, wrong types,
 * normalisation, and a lossless round trip through the export format. */
#include <string.h>

#include "model/focus.h"
#include "model/jsonl.h"
#include "model/practice.h"
#include "util/error.h"
#include "util/json.h"

static GPtrArray *
apply (PxPractice *practice, const char *json, PxJsonMode mode)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) object = px_json_parse_object (json, strlen (json), &error);
	GPtrArray *errors = px_field_errors_new ();

	g_assert_no_error (error);
	px_practice_apply_json (practice, object, mode, errors);
	px_practice_check_required (practice, errors);
	return errors;
}

static void
assert_field_error (GPtrArray *errors, const char *field, const char *message)
{
	for (guint i = 0; i < errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (errors, i);
		if (g_str_equal (error->field, field) && g_str_equal (error->message, message))
			return;
	}
	g_test_message ("no error '%s %s' among %u", field, message, errors->len);
	g_test_fail ();
}

static void
test_practice_valid_func (void)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	g_autoptr (GPtrArray) errors = apply (
	    practice,
	    "{\"title\": \"  Språkcafé \", \"summary\": \"Weekly.\", \"country\": \"se\","
	    " \"focus_areas\": [\"Interact\", \"interact\"], \"themes\": [\"language-learning\"],"
	    " \"language\": \"pt-BR\", \"year\": 2021, \"url\": \"https://example.org/a\","
	    " \"started\": \"2021-03\"}",
	    PX_JSON_CREATE);

	g_assert_cmpuint (errors->len, ==, 0);
	g_assert_cmpstr (practice->title, ==, "Språkcafé");
	g_assert_cmpstr (practice->country, ==, "SE");
	g_assert_cmpuint (practice->focus_areas->len, ==, 1);
	g_assert_cmpint (practice->year, ==, 2021);
}

static void
test_practice_invalid_func (void)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	g_autoptr (GPtrArray) errors =
	    apply (practice,
		   "{\"summary\": 5, \"colour\": \"red\", \"country\": \"Sweden\", "
		   "\"focus_areas\": [\"x\"],"
		   " \"themes\": \"a\", \"year\": \"2021\", \"url\": \"javascript:alert(1)\","
		   " \"language\": \"english!\", \"created_at\": \"2020-01-01T00:00:00Z\","
		   " \"status\": \"published\", \"started\": \"2021-13\"}",
		   PX_JSON_CREATE);

	assert_field_error (errors, "title", "is required");
	assert_field_error (errors, "summary", "must be a string");
	assert_field_error (errors, "colour", "unknown field");
	assert_field_error (errors, "country", "must be an ISO 3166-1 alpha-2 code such as SE");
	assert_field_error (errors, "focus_areas",
			    "'x' is not one of interact, participation, governance");
	assert_field_error (errors, "themes", "must be an array of strings");
	assert_field_error (errors, "year", "must be a whole number");
	assert_field_error (errors, "url", "must be an http or https URL");
	assert_field_error (errors, "language",
			    "must be a BCP 47 language tag such as sv or pt-BR");
	assert_field_error (errors, "created_at", "is read-only");
	assert_field_error (errors, "status", "is set by moderation (publish or reject)");
	assert_field_error (errors, "started", "must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
}

static void
test_practice_patch_func (void)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	g_autoptr (GPtrArray) first = apply (
	    practice, "{\"title\": \"T\", \"summary\": \"S\", \"city\": \"Riga\"}", PX_JSON_CREATE);
	g_autoptr (GPtrArray) second =
	    apply (practice, "{\"city\": null, \"title\": null}", PX_JSON_PATCH);

	g_assert_cmpuint (first->len, ==, 0);
	g_assert_null (practice->city);
	assert_field_error (second, "title", "is required");
}

static void
test_practice_round_trip_func (void)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	const char *line =
	    "{\"uid\":\"u-1\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"B\\n\\n*x*\","
	    "\"contact\":\"c@example.org\",\"funding\":\"EU\",\"created_at\":"
	    "\"2021-01-01T00:00:00.000000Z\",\"updated_at\":\"2021-02-01T00:00:00.000000Z\","
	    "\"focus_areas\":[\"governance\"],\"themes\":[\"b\",\"a\"],\"year\":2020,"
	    "\"status\":\"rejected\"}\n";
	g_autoptr (GPtrArray) errors = apply (practice, line, PX_JSON_IMPORT);
	g_autofree char *again = NULL;

	g_assert_cmpuint (errors->len, ==, 0);
	again = px_jsonl_format_practice (practice, PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID);
	g_assert_cmpstr (again, ==, line);
}

static void
test_practice_json_guards_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) deep = g_string_new (NULL);

	for (guint i = 0; i < 100000; i++)
		g_string_append_c (deep, '[');
	g_assert_null (px_json_parse_object (deep->str, deep->len, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (px_json_parse_object ("{\"a\": \"x\\u0000y\"}", 16, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (px_json_parse_object ("[1]", 3, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_VALIDATION);
}

/* the one list of focus areas, as lookups and messages read it */
static void
test_practice_focus_areas_func (void)
{
	g_autofree char *with_or = px_focus_area_list ("or");
	g_autofree char *plain = px_focus_area_list (NULL);

	g_assert_cmpstr (with_or, ==, "interact, participation or governance");
	g_assert_cmpstr (plain, ==, "interact, participation, governance");
	g_assert_cmpint (px_focus_area_index ("participation"), ==, 1);
	g_assert_cmpint (px_focus_area_index ("Participation"), ==, -1);
	g_assert_cmpstr (px_focus_area_name (PX_FOCUS_AREA_N - 1), ==, "governance");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/practice/valid", test_practice_valid_func);
	g_test_add_func ("/praxis/practice/focus-areas", test_practice_focus_areas_func);
	g_test_add_func ("/praxis/practice/invalid", test_practice_invalid_func);
	g_test_add_func ("/praxis/practice/patch", test_practice_patch_func);
	g_test_add_func ("/praxis/practice/round-trip", test_practice_round_trip_func);
	g_test_add_func ("/praxis/practice/json-guards", test_practice_json_guards_func);
	return g_test_run ();
}
