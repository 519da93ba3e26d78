/* fuzz-json.c: libFuzzer target for the JSON guard and the practice decoder. Any bytes must give
 * an error or an object that nests at most PX_JSON_MAX_DEPTH levels, holds only valid UTF-8,
 * decodes into a practice without crashing, and whose practice writes JSON the guard takes. */
#include <string.h>

#include "model/jsonl.h"
#include "model/practice.h"
#include "util/json.h"

/* Returns: the nesting depth of @node; the guard bounds it, so the recursion is bounded too */
static guint
px_fuzz_depth (JsonNode *node)
{
	guint deepest = 0;

	if (JSON_NODE_HOLDS_OBJECT (node)) {
		g_autoptr (GList) values = json_object_get_values (json_node_get_object (node));
		for (GList *l = values; l != NULL; l = l->next)
			deepest = MAX (deepest, px_fuzz_depth (l->data));
		return deepest + 1;
	}
	if (JSON_NODE_HOLDS_ARRAY (node)) {
		JsonArray *array = json_node_get_array (node);
		for (guint i = 0; i < json_array_get_length (array); i++)
			deepest = MAX (deepest, px_fuzz_depth (json_array_get_element (array, i)));
		return deepest + 1;
	}
	if (json_node_get_value_type (node) == G_TYPE_STRING &&
	    !g_utf8_validate (json_node_get_string (node), -1, NULL))
		__builtin_trap (); /* invalid text got through */
	return 0;
}

static void
px_fuzz_decode (JsonObject *object, PxJsonMode mode)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autofree char *line = NULL;

	px_practice_apply_json (practice, object, mode, errors);
	px_practice_check_required (practice, errors);
	for (guint i = 0; i < errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (errors, i);
		if (!g_utf8_validate (error->field, -1, NULL) ||
		    !g_utf8_validate (error->message, -1, NULL))
			__builtin_trap (); /* an error message that problem+json cannot carry */
	}
	/* what was decoded is written as JSON that the guard takes again (the export round trip) */
	line = px_jsonl_format_practice (practice, PX_VIEW_FULL | PX_VIEW_CONTACT);
	if (!px_json_check (line, strlen (line), NULL))
		__builtin_trap ();
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) object = px_json_parse_object ((const char *)data, size, &error);
	g_autoptr (JsonNode) root = NULL;

	if (object == NULL) {
		if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
			__builtin_trap ();
		return 0;
	}
	root = json_node_init_object (json_node_alloc (), object);
	if (px_fuzz_depth (root) > PX_JSON_MAX_DEPTH)
		__builtin_trap (); /* the depth limit did not hold */
	px_fuzz_decode (object, PX_JSON_CREATE);
	px_fuzz_decode (object, PX_JSON_PATCH);
	px_fuzz_decode (object, PX_JSON_IMPORT);
	return 0;
}
