/* json.c: guarded JSON parsing and compact output. */
#define G_LOG_DOMAIN "PxJson"

#include <string.h>

#include "error.h"
#include "json.h"

/* Returns: FALSE when brackets outside strings nest deeper than the limit */
static gboolean
px_json_depth_ok (const char *data, gsize length)
{
	guint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < length; i++) {
		char c = data[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"')
			in_string = TRUE;
		else if ((c == '[' || c == '{') && ++depth > PX_JSON_MAX_DEPTH)
			return FALSE;
		else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return TRUE;
}

JsonObject *
px_json_parse_object (const char *data, gsize length, GError **error)
{
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (GError) parse_error = NULL;
	JsonNode *root;

	if (!px_json_depth_ok (data, length)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "JSON nests deeper than %d levels",
			     PX_JSON_MAX_DEPTH);
		return NULL;
	}
	if (g_strstr_len (data, (gssize)length, "\\u0000") != NULL || memchr (data, '\0', length)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "JSON holds a NUL character");
		return NULL;
	}
	if (!json_parser_load_from_data (parser, data, (gssize)length, &parse_error)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "malformed JSON: %s",
			     parse_error->message);
		return NULL;
	}
	root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_VALIDATION,
				     "JSON must be an object");
		return NULL;
	}
	return json_object_ref (json_node_get_object (root));
}

char *
px_json_builder_to_string (JsonBuilder *builder, gsize *length)
{
	g_autoptr (JsonGenerator) generator = json_generator_new ();
	g_autoptr (JsonNode) root = json_builder_get_root (builder);

	json_generator_set_root (generator, root);
	return json_generator_to_data (generator, length);
}
