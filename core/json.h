/* json.h: json-glib behind guards. json-glib 1.6 recurses without a limit (100,000 '[' crash it)
 * and accepts NULs in strings, so every untrusted document is pre-scanned here first. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#define PX_JSON_MAX_DEPTH 32

/**
 * px_json_parse_object:
 * @data: the document, @length bytes (need not be NUL-terminated)
 *
 * Returns: (transfer full): the root object, or NULL with PX_ERROR_INVALID for a document that is
 * not JSON, nests deeper than PX_JSON_MAX_DEPTH or holds \u0000, and PX_ERROR_VALIDATION when the
 * root is not an object
 */
JsonObject *px_json_parse_object (const char *data, gsize length, GError **error);

/* Returns: (transfer full): the builder's root as compact JSON text */
char *px_json_builder_to_string (JsonBuilder *builder, gsize *length);
