/* json.c: strict JSON (RFC 8259) in front of json-glib, and compact output. json-glib 1.6 is
 * lenient ('…' strings, comments, two roots, hex) and recurses without a limit, so every
 * untrusted document passes px_json_check() first; json-glib then only builds the tree. */
#define G_LOG_DOMAIN "PxJson"

#include <math.h>
#include <string.h>

#include "error.h"
#include "json.h"

typedef enum {
	PX_SCAN_VALUE, /* a value is due */
	PX_SCAN_KEY,   /* a member name is due */
	PX_SCAN_AFTER, /* a value ended: ',' or a closing bracket, or the end */
} PxScanState;

typedef struct {
	const char *start, *at, *end;
	char stack[PX_JSON_MAX_DEPTH]; /* the open '{' and '[' */
	guint depth;
	gsize members;	 /* member names seen, over all objects */
	const char *key; /* the root object's member being read, and its length */
	gsize key_length;
} PxScanner;

static gboolean
px_scan_fail (PxScanner *scan, GError **error, const char *what)
{
	g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
		     "malformed JSON at byte %" G_GSIZE_FORMAT ": %s",
		     (gsize)(scan->at - scan->start), what);
	return FALSE;
}

static void
px_scan_space (PxScanner *scan)
{
	while (scan->at < scan->end && strchr (" \t\n\r", *scan->at) != NULL && *scan->at != '\0')
		scan->at++;
}

static gboolean
px_scan_literal (PxScanner *scan, const char *word, GError **error)
{
	gsize length = strlen (word);

	if ((gsize)(scan->end - scan->at) < length || memcmp (scan->at, word, length) != 0)
		return px_scan_fail (scan, error, "unexpected character");
	scan->at += length;
	return TRUE;
}

static gboolean
px_scan_digits (PxScanner *scan)
{
	const char *first = scan->at;

	while (scan->at < scan->end && g_ascii_isdigit (*scan->at))
		scan->at++;
	return scan->at > first;
}

/* json-glib 1.6 wraps an integer past 64 bits and makes 1e400 an infinity, both silently: a
 * number must fit, an integer in 64 bits, others in a finite double */
static gboolean
px_scan_check_range (PxScanner *scan, const char *start, GError **error)
{
	char token[512];
	gsize length = (gsize)(scan->at - start);
	gboolean integer = memchr (start, '.', length) == NULL &&
			   memchr (start, 'e', length) == NULL &&
			   memchr (start, 'E', length) == NULL;

	if (length < sizeof token) {
		memcpy (token, start, length);
		token[length] = '\0';
		if (integer
			? g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, NULL, NULL)
			: isfinite (g_ascii_strtod (token, NULL)))
			return TRUE;
	}
	scan->at = start;
	return px_scan_fail (scan, error,
			     "a number is out of range (an integer fits in 64 bits, others in a "
			     "double, in fewer than 512 characters)");
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
px_scan_number (PxScanner *scan, GError **error)
{
	const char *start = scan->at;

	if (*scan->at == '-')
		scan->at++;
	if (scan->at < scan->end && *scan->at == '0')
		scan->at++;
	else if (!px_scan_digits (scan))
		return px_scan_fail (scan, error, "a number needs digits");
	if (scan->at < scan->end && *scan->at == '.') {
		scan->at++;
		if (!px_scan_digits (scan))
			return px_scan_fail (scan, error, "a fraction needs digits");
	}
	if (scan->at < scan->end && (*scan->at == 'e' || *scan->at == 'E')) {
		scan->at++;
		if (scan->at < scan->end && (*scan->at == '+' || *scan->at == '-'))
			scan->at++;
		if (!px_scan_digits (scan))
			return px_scan_fail (scan, error, "an exponent needs digits");
	}
	if (scan->at < scan->end && (g_ascii_isalnum (*scan->at) || *scan->at == '.'))
		return px_scan_fail (scan, error, "a number has extra characters");
	return px_scan_check_range (scan, start, error);
}

/* Returns: the code unit of the \uXXXX escape at @at, or -1 when it is not one */
static gint
px_scan_unicode_escape (const char *at, const char *end)
{
	gint value = 0;

	if (end - at < 6 || at[0] != '\\' || at[1] != 'u')
		return -1;
	for (guint i = 2; i < 6; i++) {
		if (!g_ascii_isxdigit (at[i]))
			return -1;
		value = value * 16 + g_ascii_xdigit_value (at[i]);
	}
	return value;
}

/* a lone surrogate is valid JSON grammar but no text: json-glib would store invalid UTF-8 and
 * drop the next character. In a member of the root object it is that field's fault (422). */
static gboolean
px_scan_lone_surrogate (PxScanner *scan, GError **error)
{
	g_autofree char *raw = NULL;
	g_autofree char *name = NULL;

	if (scan->key == NULL)
		return px_scan_fail (scan, error, "a lone UTF-16 surrogate is not text");
	raw = g_strndup (scan->key, MIN (scan->key_length, 64));
	name = g_utf8_make_valid (raw, -1);
	g_set_error (error, PX_ERROR, PX_ERROR_VALIDATION,
		     "%s: holds a lone UTF-16 surrogate (\\u%.4s), which is not text", name,
		     scan->at + 2);
	return FALSE;
}

/* one escape after the backslash at scan->at */
static gboolean
px_scan_escape (PxScanner *scan, GError **error)
{
	gint unit;

	if (scan->end - scan->at >= 2 && strchr ("\"\\/bfnrt", scan->at[1]) != NULL &&
	    scan->at[1] != '\0') {
		scan->at += 2;
		return TRUE;
	}
	unit = px_scan_unicode_escape (scan->at, scan->end);
	if (unit < 0)
		return px_scan_fail (scan, error, "an invalid escape in a string");
	if (unit == 0)
		return px_scan_fail (scan, error, "a string holds a NUL character");
	if (unit >= 0xdc00 && unit <= 0xdfff)
		return px_scan_lone_surrogate (scan, error);
	if (unit >= 0xd800 && unit <= 0xdbff) {
		gint low = px_scan_unicode_escape (scan->at + 6, scan->end);
		if (low < 0xdc00 || low > 0xdfff)
			return px_scan_lone_surrogate (scan, error);
		scan->at += 6;
	}
	scan->at += 6;
	return TRUE;
}

/* a string from its opening quote; UTF-8 was checked for the whole document */
static gboolean
px_scan_string (PxScanner *scan, GError **error)
{
	scan->at++;
	while (scan->at < scan->end) {
		guchar c = (guchar)*scan->at;

		if (c == '"') {
			scan->at++;
			return TRUE;
		}
		if (c < 0x20)
			return px_scan_fail (scan, error, "a control character in a string");
		if (c == '\\') {
			if (!px_scan_escape (scan, error))
				return FALSE;
			continue;
		}
		scan->at++;
	}
	return px_scan_fail (scan, error, "a string is not closed");
}

static gboolean
px_scan_open (PxScanner *scan, char bracket, GError **error)
{
	if (scan->depth == PX_JSON_MAX_DEPTH) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "JSON nests deeper than %d levels",
			     PX_JSON_MAX_DEPTH);
		return FALSE;
	}
	scan->stack[scan->depth++] = bracket;
	scan->at++;
	px_scan_space (scan);
	return TRUE;
}

/* one value, or the opening of an array or object; Returns: the next state, or -1 */
static gint
px_scan_value (PxScanner *scan, GError **error)
{
	char c = scan->at < scan->end ? *scan->at : '\0';

	if (c == '{') {
		if (!px_scan_open (scan, '{', error))
			return -1;
		if (scan->at < scan->end && *scan->at == '}') {
			scan->depth--;
			scan->at++;
			return PX_SCAN_AFTER;
		}
		return PX_SCAN_KEY;
	}
	if (c == '[') {
		if (!px_scan_open (scan, '[', error))
			return -1;
		if (scan->at < scan->end && *scan->at == ']') {
			scan->depth--;
			scan->at++;
			return PX_SCAN_AFTER;
		}
		return PX_SCAN_VALUE;
	}
	if (c == '"')
		return px_scan_string (scan, error) ? PX_SCAN_AFTER : -1;
	if (c == '-' || g_ascii_isdigit (c))
		return px_scan_number (scan, error) ? PX_SCAN_AFTER : -1;
	if (c == 't' || c == 'f' || c == 'n')
		return px_scan_literal (scan,
					c == 't'   ? "true"
					: c == 'f' ? "false"
						   : "null",
					error)
			   ? PX_SCAN_AFTER
			   : -1;
	if (scan->at == scan->end)
		px_scan_fail (scan, error, "the document ends where a value is due");
	else
		px_scan_fail (scan, error, "unexpected character");
	return -1;
}

/* a member name and its colon */
static gint
px_scan_key (PxScanner *scan, GError **error)
{
	const char *name = scan->at;

	if (scan->at == scan->end || *scan->at != '"') {
		px_scan_fail (scan, error, "a member name (a \"string\") is due");
		return -1;
	}
	if (scan->depth == 1)
		scan->key = NULL; /* a fault in the name is not the previous member's */
	if (!px_scan_string (scan, error))
		return -1;
	scan->members++;
	if (scan->depth == 1) {
		scan->key = name + 1;
		scan->key_length = (gsize)(scan->at - name - 2);
	}
	px_scan_space (scan);
	if (scan->at == scan->end || *scan->at != ':') {
		px_scan_fail (scan, error, "':' is due after a member name");
		return -1;
	}
	scan->at++;
	px_scan_space (scan);
	return PX_SCAN_VALUE;
}

/* after a value: a comma, a closing bracket, or (at the top) the end */
static gint
px_scan_after (PxScanner *scan, GError **error)
{
	char top, c;

	px_scan_space (scan);
	if (scan->depth == 0)
		return PX_SCAN_AFTER;
	top = scan->stack[scan->depth - 1];
	c = scan->at < scan->end ? *scan->at : '\0';
	if (c == ',') {
		scan->at++;
		px_scan_space (scan);
		return top == '{' ? PX_SCAN_KEY : PX_SCAN_VALUE;
	}
	if ((top == '{' && c == '}') || (top == '[' && c == ']')) {
		scan->depth--;
		scan->at++;
		return PX_SCAN_AFTER;
	}
	px_scan_fail (scan, error, top == '{' ? "',' or '}' is due" : "',' or ']' is due");
	return -1;
}

/* Returns: the number of member names in @data, or -1 with @error set */
static gssize
px_json_scan (const char *data, gsize length, GError **error)
{
	PxScanner scan = {data, data, data + length, {0}, 0, 0, NULL, 0};
	gint state = PX_SCAN_VALUE;

	if (!g_utf8_validate_len (data, length, NULL)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "JSON must be UTF-8 text without NUL characters");
		return -1;
	}
	px_scan_space (&scan);
	do {
		if (state == PX_SCAN_VALUE)
			state = px_scan_value (&scan, error);
		else if (state == PX_SCAN_KEY)
			state = px_scan_key (&scan, error);
		else
			state = px_scan_after (&scan, error);
	} while (state >= 0 && !(state == PX_SCAN_AFTER && scan.depth == 0));
	if (state < 0)
		return -1;
	px_scan_space (&scan);
	if (scan.at != scan.end) {
		px_scan_fail (&scan, error, "there is more after the JSON value");
		return -1;
	}
	return (gssize)scan.members;
}

gboolean
px_json_check (const char *data, gsize length, GError **error)
{
	return px_json_scan (data, length, error) >= 0;
}

/* Returns: the members of every object under @node; the depth is bounded by the scan */
static gsize
px_json_count_members (JsonNode *node)
{
	gsize count = 0;

	if (JSON_NODE_HOLDS_OBJECT (node)) {
		JsonObject *object = json_node_get_object (node);
		g_autoptr (GList) values = json_object_get_values (object);

		count = json_object_get_size (object);
		for (GList *l = values; l != NULL; l = l->next)
			count += px_json_count_members (l->data);
	} else if (JSON_NODE_HOLDS_ARRAY (node)) {
		JsonArray *array = json_node_get_array (node);

		for (guint i = 0; i < json_array_get_length (array); i++)
			count += px_json_count_members (json_array_get_element (array, i));
	}
	return count;
}

JsonNode *
px_json_parse (const char *data, gsize length, GError **error)
{
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (GError) parse_error = NULL;
	gssize members = px_json_scan (data, length, error);
	JsonNode *root;

	if (members < 0)
		return NULL;
	if (!json_parser_load_from_data (parser, data, (gssize)length, &parse_error)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "malformed JSON: %s",
			     parse_error->message);
		return NULL;
	}
	root = json_parser_get_root (parser);
	if (root == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID, "malformed JSON: no value");
		return NULL;
	}
	/* json-glib keeps the last of two members with one name: the counts tell */
	if (px_json_count_members (root) != (gsize)members) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "malformed JSON: a member name appears twice in one object");
		return NULL;
	}
	return json_node_ref (root);
}

JsonObject *
px_json_parse_object (const char *data, gsize length, GError **error)
{
	g_autoptr (JsonNode) root = px_json_parse (data, length, error);

	if (root == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT (root)) {
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
