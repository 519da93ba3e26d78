/* test-practice.c: the JSON codec of practices: field rules, unknown fields, wrong types,
 * normalisation, a lossless round trip through the export format, and a tagger's additions held
 * to the same rules as a patch. */
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

static const PxTextField *
find_text_field (const char *name)
{
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++) {
		if (g_str_equal (field->name, name))
			return field;
	}
	g_assert_not_reached ();
}

/* applies @object as a patch and @additions as a tagger's offer, each to an empty practice, and
 * checks that both find the same errors; the two practices are given back to compare */
static void
patch_and_merge (JsonObject *object, const PxPractice *additions, PxPractice **patched,
		 PxPractice **merged, const char *what)
{
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GPtrArray) skipped = px_field_errors_new ();

	g_test_message ("%s", what);
	*patched = px_practice_new ();
	*merged = px_practice_new ();
	px_practice_apply_json (*patched, object, PX_JSON_PATCH, errors);
	px_practice_merge_additions (*merged, additions, skipped);
	g_assert_cmpuint (skipped->len, ==, errors->len);
	for (guint i = 0; i < errors->len; i++) {
		const PxFieldError *one = g_ptr_array_index (errors, i);
		const PxFieldError *other = g_ptr_array_index (skipped, i);

		g_assert_cmpstr (other->field, ==, one->field);
		g_assert_cmpstr (other->message, ==, one->message);
	}
}

static void
assert_same_tags (GPtrArray *one, GPtrArray *other)
{
	g_assert_cmpuint (other->len, ==, one->len);
	for (guint i = 0; i < one->len; i++)
		g_assert_cmpstr (g_ptr_array_index (other, i), ==, g_ptr_array_index (one, i));
}

/* offers @values of the tag list @name both ways; at most one of them is bad (a patch refuses the
 * list at the first, a tagger's offer loses each bad one) */
static void
check_merge_tags (const char *name, const char *const *values, guint n_values)
{
	gboolean is_focus = g_str_equal (name, "focus_areas");
	g_autoptr (PxPractice) additions = px_practice_new ();
	g_autoptr (JsonObject) object = json_object_new ();
	g_autoptr (PxPractice) patched = NULL;
	g_autoptr (PxPractice) merged = NULL;
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < n_values; i++) {
		json_array_add_string_element (array, values[i]);
		g_ptr_array_add (is_focus ? additions->focus_areas : additions->themes,
				 g_strdup (values[i]));
	}
	json_object_set_array_member (object, name, array);
	patch_and_merge (object, additions, &patched, &merged, values[0]);
	/* more than a practice may hold: a patch refuses the list, a tagger's offer is taken up to
	 * the limit; the message is the same */
	if (n_values > PX_PRACTICE_TAGS_MAX)
		g_assert_cmpuint (merged->themes->len, ==, PX_PRACTICE_TAGS_MAX);
	else if (is_focus)
		assert_same_tags (patched->focus_areas, merged->focus_areas);
	else
		assert_same_tags (patched->themes, merged->themes);
}

/* a tagger's offer (px_practice_merge_additions) to a practice that lacks the field is held to
 * the rules of a patch (px_practice_apply_json): the same verdicts, messages and normal forms */
static void
test_practice_merge_rules_func (void)
{
	const char *texts[][2] = {
	    {"city", "  Oulu  "},
	    {"city", "\xff"},
	    {"city", "   "},
	    {"country", " se "},
	    {"country", "Sweden"},
	    {"language", "not a tag!"},
	    {"url", "ftp://example.org"},
	    {"url", "https://example.org/a"},
	    {"started", "2021-13"},
	    {"summary", "a\x01b"},
	    {"uid", "u-1"},
	    {"source", "plugin"},
	    {"created_at", "2021-01-01T00:00:00Z"},
	};
	const char *focus[] = {" Governance ", "interact"};
	const char *dancing[] = {"dancing"};
	const char *not_slug[] = {"Not a slug!"};
	const char *dashes[] = {"a--b"};
	const char *themes[] = {"ok-slug", "OK-slug"};
	const gint64 years[] = {1899, 1900, 2100, 2101};
	g_autoptr (GPtrArray) many = g_ptr_array_new_with_free_func (g_free);

	for (guint i = 0; i < G_N_ELEMENTS (texts); i++) {
		const PxTextField *field = find_text_field (texts[i][0]);
		g_autoptr (PxPractice) additions = px_practice_new ();
		g_autoptr (JsonObject) object = json_object_new ();
		g_autoptr (PxPractice) patched = NULL;
		g_autoptr (PxPractice) merged = NULL;

		json_object_set_string_member (object, field->name, texts[i][1]);
		*px_practice_text_slot (additions, field) = g_strdup (texts[i][1]);
		patch_and_merge (object, additions, &patched, &merged, field->name);
		g_assert_cmpstr (*px_practice_text_slot (merged, field), ==,
				 *px_practice_text_slot (patched, field));
	}
	check_merge_tags ("focus_areas", focus, G_N_ELEMENTS (focus));
	check_merge_tags ("focus_areas", dancing, G_N_ELEMENTS (dancing));
	check_merge_tags ("themes", not_slug, G_N_ELEMENTS (not_slug));
	check_merge_tags ("themes", dashes, G_N_ELEMENTS (dashes));
	check_merge_tags ("themes", themes, G_N_ELEMENTS (themes));
	for (guint i = 0; i <= PX_PRACTICE_TAGS_MAX; i++)
		g_ptr_array_add (many, g_strdup_printf ("theme-%u", i));
	check_merge_tags ("themes", (const char *const *)many->pdata, many->len);
	for (guint i = 0; i < G_N_ELEMENTS (years); i++) {
		g_autoptr (PxPractice) additions = px_practice_new ();
		g_autoptr (JsonObject) object = json_object_new ();
		g_autoptr (PxPractice) patched = NULL;
		g_autoptr (PxPractice) merged = NULL;

		json_object_set_int_member (object, "year", years[i]);
		additions->year = (gint)years[i];
		patch_and_merge (object, additions, &patched, &merged, "year");
		g_assert_cmpint (merged->year, ==, patched->year);
	}
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
	g_test_add_func ("/praxis/practice/merge-rules", test_practice_merge_rules_func);
	return g_test_run ();
}
