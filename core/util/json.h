/* json.h: json-glib behind a strict guard. json-glib 1.6 accepts more than JSON (single quotes,
 * comments, two roots, hex numbers), recurses without a limit (100,000 '[' crash it) and keeps
 * NULs and lone surrogates in strings, so every untrusted document is checked here first. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#define PX_JSON_MAX_DEPTH 32

/**
 * px_json_check:
 * @data: the document, @length bytes (need not be NUL-terminated)
 *
 * Checks that @data is exactly one JSON value by RFC 8259 (no comments, no single quotes,
 * nothing after the value), in UTF-8, nesting at most PX_JSON_MAX_DEPTH arrays and objects,
 * with no NUL (\u0000) and no lone UTF-16 surrogate in a string. It never recurses.
 *
 * Returns: FALSE with PX_ERROR_INVALID and the byte offset of the fault, or with
 * PX_ERROR_VALIDATION ("title: holds a lone UTF-16 surrogate ...") when the fault is a lone
 * surrogate in a member of the root object
 */
gboolean px_json_check (const char *data, gsize length, GError **error);

/**
 * px_json_parse:
 * @data: the document, @length bytes (need not be NUL-terminated)
 *
 * Returns: (transfer full): the root, any JSON value, or NULL with the errors of px_json_check()
 * and PX_ERROR_INVALID for a member name given twice in one object
 */
JsonNode *px_json_parse (const char *data, gsize length, GError **error);

/**
 * px_json_parse_object:
 * @data: the document, @length bytes (need not be NUL-terminated)
 *
 * Returns: (transfer full): the root object, or NULL with the errors of px_json_check(),
 * PX_ERROR_INVALID for a member name given twice in one object, and PX_ERROR_VALIDATION when
 * the root is not an object
 */
JsonObject *px_json_parse_object (const char *data, gsize length, GError **error);

/* Returns: (transfer full): the builder's root as compact JSON text */
char *px_json_builder_to_string (JsonBuilder *builder, gsize *length);
