/* practice.c: the practice record, its field rules and its JSON form (json-glib).
 * Every rule a submission must meet lives here, so the API, the importer and plugins agree. */
#define G_LOG_DOMAIN "PxPractice"

#include <string.h>

#include "country.h"
#include "focus.h"
#include "language.h"
#include "practice.h"
#include "util/timestamp.h"

#define PX_FIELD(member, max, flags)                                     \
	{                                                                \
#member, G_STRUCT_OFFSET(PxPractice, member), max, flags \
	}

static const PxTextField text_fields[] = {
    PX_FIELD (uid, 100, 0),
    PX_FIELD (title, 200, PX_FIELD_REQUIRED),
    PX_FIELD (summary, 1000, PX_FIELD_REQUIRED | PX_FIELD_MULTILINE),
    PX_FIELD (body, 50000, PX_FIELD_MULTILINE | PX_FIELD_LONG),
    PX_FIELD (city, 100, 0),
    PX_FIELD (region, 100, 0),
    PX_FIELD (country, 100, 0),
    PX_FIELD (organisation, 200, 0),
    PX_FIELD (project, 100, 0),
    PX_FIELD (language, 35, 0),
    PX_FIELD (url, 2000, 0),
    PX_FIELD (contact, 500, PX_FIELD_PRIVATE | PX_FIELD_MULTILINE),
    PX_FIELD (target_groups, 5000, PX_FIELD_MULTILINE | PX_FIELD_LONG),
    PX_FIELD (goals, 5000, PX_FIELD_MULTILINE | PX_FIELD_LONG),
    PX_FIELD (results, 5000, PX_FIELD_MULTILINE | PX_FIELD_LONG),
    PX_FIELD (evaluation, 5000, PX_FIELD_MULTILINE | PX_FIELD_LONG),
    PX_FIELD (funding, 5000, PX_FIELD_MULTILINE | PX_FIELD_LONG),
    PX_FIELD (started, 10, 0),
    PX_FIELD (ended, 10, 0),
    PX_FIELD (source, 200, PX_FIELD_READONLY),
    PX_FIELD (created_at, 40, PX_FIELD_READONLY),
    PX_FIELD (updated_at, 40, PX_FIELD_READONLY),
    PX_FIELD (published_at, 40, PX_FIELD_READONLY),
    {NULL, 0, 0, 0},
};

const PxTextField *
px_practice_text_fields (void)
{
	return text_fields;
}

char **
px_practice_text_slot (PxPractice *practice, const PxTextField *field)
{
	return G_STRUCT_MEMBER_P (practice, field->offset);
}

static char *const *
px_practice_text_value (const PxPractice *practice, const PxTextField *field)
{
	return G_STRUCT_MEMBER_P (practice, field->offset);
}

PxPractice *
px_practice_new (void)
{
	PxPractice *practice = g_new0 (PxPractice, 1);

	practice->focus_areas = g_ptr_array_new_with_free_func (g_free);
	practice->themes = g_ptr_array_new_with_free_func (g_free);
	return practice;
}

void
px_practice_free (PxPractice *practice)
{
	if (practice == NULL)
		return;
	for (const PxTextField *field = text_fields; field->name != NULL; field++)
		g_free (*px_practice_text_slot (practice, field));
	g_free (practice->status_reason);
	g_ptr_array_unref (practice->focus_areas);
	g_ptr_array_unref (practice->themes);
	g_free (practice);
}

static void
px_strv_array_copy (GPtrArray *to, const GPtrArray *from)
{
	for (guint i = 0; i < from->len; i++)
		g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

PxPractice *
px_practice_copy (const PxPractice *practice)
{
	PxPractice *copy = px_practice_new ();

	copy->id = practice->id;
	copy->status = practice->status;
	copy->year = practice->year;
	copy->submitted_by = practice->submitted_by;
	copy->status_reason = g_strdup (practice->status_reason);
	px_strv_array_copy (copy->focus_areas, practice->focus_areas);
	px_strv_array_copy (copy->themes, practice->themes);
	for (const PxTextField *field = text_fields; field->name != NULL; field++)
		*px_practice_text_slot (copy, field) =
		    g_strdup (*px_practice_text_value (practice, field));
	return copy;
}

static gboolean
px_slug_is_valid (const char *text)
{
	gsize len = strlen (text);

	if (len == 0 || len > 40 || text[0] == '-' || text[len - 1] == '-')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!(g_ascii_islower (text[i]) || g_ascii_isdigit (text[i]) || text[i] == '-'))
			return FALSE;
	}
	return strstr (text, "--") == NULL;
}

static gboolean
px_date_is_valid (const char *text)
{
	g_auto (GStrv) parts = g_strsplit (text, "-", 0);
	guint n = g_strv_length (parts);
	guint64 year = 0, month = 1, day = 1;

	if (n < 1 || n > 3 || strlen (parts[0]) != 4 ||
	    !g_ascii_string_to_unsigned (parts[0], 10, PX_PRACTICE_YEAR_MIN, PX_PRACTICE_YEAR_MAX,
					 &year, NULL))
		return FALSE;
	if (n >= 2 && (strlen (parts[1]) != 2 ||
		       !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL)))
		return FALSE;
	if (n == 3 && (strlen (parts[2]) != 2 ||
		       !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL)))
		return FALSE;
	return g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

static gboolean
px_url_is_valid (const char *text)
{
	g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
	const char *scheme;

	if (uri == NULL)
		return FALSE;
	scheme = g_uri_get_scheme (uri);
	return (g_ascii_strcasecmp (scheme, "http") == 0 ||
		g_ascii_strcasecmp (scheme, "https") == 0) &&
	       g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

static gboolean
px_uid_is_valid (const char *text)
{
	for (const char *c = text; *c != '\0'; c++) {
		if (!g_ascii_isalnum (*c) && strchr ("._:-", *c) == NULL)
			return FALSE;
	}
	return TRUE;
}

static gboolean
px_text_has_control (const char *text, gboolean multiline)
{
	for (const guchar *c = (const guchar *)text; *c != '\0'; c++) {
		if (*c == 0x7f ||
		    (*c < 0x20 && !(multiline && (*c == '\n' || *c == '\r' || *c == '\t'))))
			return TRUE;
	}
	return FALSE;
}

/* checks the shape rules of one text field; @value is trimmed and non-empty */
static const char *
px_text_field_problem (const PxTextField *field, char *value)
{
	/* characters never outnumber bytes: count them only when the bytes could be too many */
	if (strlen (value) > field->max_chars && g_utf8_strlen (value, -1) > field->max_chars)
		return "is too long";
	if (px_text_has_control (value, (field->flags & PX_FIELD_MULTILINE) != 0))
		return "contains control characters";
	if (g_str_equal (field->name, "country")) {
		if (!px_country_normalize (value))
			return "must be an ISO 3166-1 alpha-2 code such as SE";
	} else if (g_str_equal (field->name, "language")) {
		if (!px_language_tag_is_valid (value))
			return "must be a BCP 47 language tag such as sv or pt-BR";
	} else if (g_str_equal (field->name, "url")) {
		if (!px_url_is_valid (value))
			return "must be an http or https URL";
	} else if (g_str_equal (field->name, "uid")) {
		if (!px_uid_is_valid (value))
			return "may hold only letters, digits and . _ : -";
	} else if (g_str_equal (field->name, "started") || g_str_equal (field->name, "ended")) {
		if (!px_date_is_valid (value))
			return "must be a date: YYYY, YYYY-MM or YYYY-MM-DD";
	}
	return NULL;
}

static gboolean
px_node_is_string (JsonNode *node)
{
	return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* who may set @field: the server's fields (source, timestamps) only an import carries, and a
 * uid is given once, never changed by a patch (nor by a tagger, which px_practice_merge_text()
 * holds to the rule of a patch). Returns: FALSE after adding why to @errors */
static gboolean
px_practice_check_settable (const PxTextField *field, PxJsonMode mode, GPtrArray *errors)
{
	if ((field->flags & PX_FIELD_READONLY) && mode != PX_JSON_IMPORT) {
		px_field_errors_add (errors, field->name, "is read-only");
		return FALSE;
	}
	if (g_str_equal (field->name, "uid") && mode == PX_JSON_PATCH) {
		px_field_errors_add (errors, field->name, "cannot be changed");
		return FALSE;
	}
	return TRUE;
}

/* the rules of one offered text: valid UTF-8, trimmed, then the field's shape rules and, for a
 * timestamp, its normal form. Returns: (transfer full) (nullable): the text as stored, "" when it
 * was blank, or NULL after adding why to @errors */
static char *
px_practice_check_text (const PxTextField *field, const char *offered, GPtrArray *errors)
{
	g_autofree char *value = NULL;
	const char *problem;

	/* json.c lets no invalid text through; a tree or a tagger from elsewhere is checked all the
	 * same */
	if (!g_utf8_validate (offered, -1, NULL)) {
		px_field_errors_add (errors, field->name, "is not valid UTF-8 text");
		return NULL;
	}
	value = g_strstrip (g_strdup (offered));
	if (value[0] == '\0')
		return g_steal_pointer (&value);
	problem = px_text_field_problem (field, value);
	if (problem != NULL) {
		px_field_errors_add (errors, field->name, "%s", problem);
		return NULL;
	}
	if (g_str_has_suffix (field->name, "_at")) {
		char *normalized = px_timestamp_normalize (value);
		if (normalized == NULL) {
			px_field_errors_add (errors, field->name, "must be an ISO 8601 timestamp");
			return NULL;
		}
		g_free (value);
		value = normalized;
	}
	return g_steal_pointer (&value);
}

/* a JSON null or a blank text: clears @slot, unless the field is required */
static void
px_practice_clear_text (char **slot, const PxTextField *field, GPtrArray *errors)
{
	if (field->flags & PX_FIELD_REQUIRED)
		px_field_errors_add (errors, field->name, "is required");
	else
		g_clear_pointer (slot, g_free);
}

static void
px_practice_apply_text (PxPractice *practice, const PxTextField *field, JsonNode *node,
			PxJsonMode mode, GPtrArray *errors)
{
	char **slot = px_practice_text_slot (practice, field);
	g_autofree char *value = NULL;

	if (!px_practice_check_settable (field, mode, errors))
		return;
	if (JSON_NODE_HOLDS_NULL (node)) {
		px_practice_clear_text (slot, field, errors);
		return;
	}
	if (!px_node_is_string (node)) {
		px_field_errors_add (errors, field->name, "must be a string");
		return;
	}
	value = px_practice_check_text (field, json_node_get_string (node), errors);
	if (value == NULL)
		return;
	if (value[0] == '\0') {
		px_practice_clear_text (slot, field, errors);
		return;
	}
	g_free (*slot);
	*slot = g_steal_pointer (&value);
}

static gboolean
px_ptr_array_has_string (GPtrArray *array, const char *value)
{
	for (guint i = 0; i < array->len; i++) {
		if (g_str_equal (g_ptr_array_index (array, i), value))
			return TRUE;
	}
	return FALSE;
}

/* the rule of one tag of @name (focus_areas, themes): lower-cased and trimmed, one of the focus
 * areas or a slug. Returns: (transfer full) (nullable): the tag, or NULL after adding why to
 * @errors */
static char *
px_practice_check_tag (const char *name, const char *offered, GPtrArray *errors)
{
	g_autofree char *value = g_strstrip (g_ascii_strdown (offered, -1));

	if (g_str_equal (name, "focus_areas")) {
		if (px_focus_area_index (value) < 0) {
			g_autofree char *areas = px_focus_area_list (NULL);

			px_field_errors_add (errors, name, "'%s' is not one of %s",
					     g_utf8_validate (value, -1, NULL) ? value : "?",
					     areas);
			return NULL;
		}
	} else if (!px_slug_is_valid (value)) {
		px_field_errors_add (errors, name,
				     "entries must be slugs of a-z, 0-9 and '-' (at most 40)");
		return NULL;
	}
	return g_steal_pointer (&value);
}

/* the rule of a list of tags: at most PX_PRACTICE_TAGS_MAX. Returns: FALSE after adding why to
 * @errors */
static gboolean
px_practice_check_tag_count (const char *name, guint count, GPtrArray *errors)
{
	if (count <= PX_PRACTICE_TAGS_MAX)
		return TRUE;
	px_field_errors_add (errors, name, "has more than %d entries", PX_PRACTICE_TAGS_MAX);
	return FALSE;
}

/* the rule of a year: within PX_PRACTICE_YEAR_MIN and _MAX. Returns: FALSE after adding why to
 * @errors */
static gboolean
px_practice_check_year (gint64 year, GPtrArray *errors)
{
	if (year >= PX_PRACTICE_YEAR_MIN && year <= PX_PRACTICE_YEAR_MAX)
		return TRUE;
	px_field_errors_add (errors, "year", "must be between %d and %d", PX_PRACTICE_YEAR_MIN,
			     PX_PRACTICE_YEAR_MAX);
	return FALSE;
}

/* focus_areas and themes: an array of strings, lower-cased and deduplicated */
static void
px_practice_apply_tags (GPtrArray *tags, const char *name, JsonNode *node, GPtrArray *errors)
{
	g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
	JsonArray *array;

	if (JSON_NODE_HOLDS_NULL (node)) {
		g_ptr_array_set_size (tags, 0);
		return;
	}
	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		px_field_errors_add (errors, name, "must be an array of strings");
		return;
	}
	array = json_node_get_array (node);
	if (!px_practice_check_tag_count (name, json_array_get_length (array), errors))
		return;
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *element = json_array_get_element (array, i);
		g_autofree char *value = NULL;

		if (!px_node_is_string (element)) {
			px_field_errors_add (errors, name, "must be an array of strings");
			return;
		}
		value = px_practice_check_tag (name, json_node_get_string (element), errors);
		if (value == NULL)
			return;
		if (!px_ptr_array_has_string (values, value))
			g_ptr_array_add (values, g_steal_pointer (&value));
	}
	g_ptr_array_set_size (tags, 0);
	for (guint i = 0; i < values->len; i++)
		g_ptr_array_add (tags, g_strdup (g_ptr_array_index (values, i)));
}

static void
px_practice_apply_year (PxPractice *practice, JsonNode *node, GPtrArray *errors)
{
	gint64 year;

	if (JSON_NODE_HOLDS_NULL (node)) {
		practice->year = 0;
		return;
	}
	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64) {
		px_field_errors_add (errors, "year", "must be a whole number");
		return;
	}
	year = json_node_get_int (node);
	if (!px_practice_check_year (year, errors))
		return;
	practice->year = (gint)year;
}

static void
px_practice_apply_status (PxPractice *practice, JsonNode *node, PxJsonMode mode, GPtrArray *errors)
{
	PxStatus status;

	if (!px_node_is_string (node) ||
	    !px_status_from_string (json_node_get_string (node), &status)) {
		px_field_errors_add (errors, "status", "must be pending, published or rejected");
		return;
	}
	if (mode != PX_JSON_IMPORT && status != practice->status) {
		px_field_errors_add (errors, "status", "is set by moderation (publish or reject)");
		return;
	}
	practice->status = status;
}

static const PxTextField *
px_practice_find_text_field (const char *name)
{
	for (const PxTextField *field = text_fields; field->name != NULL; field++) {
		if (g_str_equal (field->name, name))
			return field;
	}
	return NULL;
}

static void
px_practice_apply_member (PxPractice *practice, const char *name, JsonNode *node, PxJsonMode mode,
			  GPtrArray *errors)
{
	const PxTextField *field = px_practice_find_text_field (name);

	if (field != NULL)
		px_practice_apply_text (practice, field, node, mode, errors);
	else if (g_str_equal (name, "focus_areas"))
		px_practice_apply_tags (practice->focus_areas, name, node, errors);
	else if (g_str_equal (name, "themes"))
		px_practice_apply_tags (practice->themes, name, node, errors);
	else if (g_str_equal (name, "year"))
		px_practice_apply_year (practice, node, errors);
	else if (g_str_equal (name, "status"))
		px_practice_apply_status (practice, node, mode, errors);
	else if (g_str_equal (name, "id") || g_str_equal (name, "submitted_by")) {
		/* local to one server: an export carries no id, an import ignores one */
		if (mode != PX_JSON_IMPORT)
			px_field_errors_add (errors, name, "is read-only");
	} else
		px_field_errors_add (errors, g_utf8_validate (name, -1, NULL) ? name : "?",
				     "unknown field");
}

gboolean
px_practice_apply_json (PxPractice *practice, JsonObject *object, PxJsonMode mode,
			GPtrArray *errors)
{
	guint before = errors->len;
	g_autoptr (GList) members = json_object_get_members (object);

	for (GList *l = members; l != NULL; l = l->next) {
		const char *name = l->data;
		px_practice_apply_member (practice, name, json_object_get_member (object, name),
					  mode, errors);
	}
	return errors->len == before;
}

gboolean
px_practice_check_required (const PxPractice *practice, GPtrArray *errors)
{
	guint before = errors->len;

	for (const PxTextField *field = text_fields; field->name != NULL; field++) {
		if ((field->flags & PX_FIELD_REQUIRED) &&
		    *px_practice_text_value (practice, field) == NULL)
			px_field_errors_add (errors, field->name, "is required");
	}
	return errors->len == before;
}

/* what a tagger offers of one kind of tag: each entry by the rules of px_practice_apply_tags() */
static void
px_practice_merge_tags (GPtrArray *tags, const char *name, const GPtrArray *offered,
			GPtrArray *skipped)
{
	for (guint i = 0; i < offered->len; i++) {
		g_autofree char *value =
		    px_practice_check_tag (name, g_ptr_array_index (offered, i), skipped);

		if (value == NULL || px_ptr_array_has_string (tags, value) ||
		    !px_practice_check_tag_count (name, tags->len + 1, skipped))
			continue;
		g_ptr_array_add (tags, g_steal_pointer (&value));
	}
}

/* what a tagger offers of one text field, taken only where @practice has none, by the rules of
 * px_practice_apply_text() for a patch */
static void
px_practice_merge_text (PxPractice *practice, const PxTextField *field, const char *offered,
			GPtrArray *skipped)
{
	char **slot = px_practice_text_slot (practice, field);
	g_autofree char *value = NULL;

	if (offered == NULL || *slot != NULL ||
	    !px_practice_check_settable (field, PX_JSON_PATCH, skipped))
		return;
	value = px_practice_check_text (field, offered, skipped);
	if (value == NULL || value[0] == '\0')
		return;
	*slot = g_steal_pointer (&value);
}

void
px_practice_merge_additions (PxPractice *practice, const PxPractice *additions, GPtrArray *skipped)
{
	px_practice_merge_tags (practice->focus_areas, "focus_areas", additions->focus_areas,
				skipped);
	px_practice_merge_tags (practice->themes, "themes", additions->themes, skipped);
	for (const PxTextField *field = text_fields; field->name != NULL; field++)
		px_practice_merge_text (practice, field, *px_practice_text_value (additions, field),
					skipped);
	if (practice->year != 0 || additions->year == 0 ||
	    !px_practice_check_year (additions->year, skipped))
		return;
	practice->year = additions->year;
}

char *
px_practice_derive_uid (const PxPractice *practice)
{
	g_autofree char *key = g_strdup_printf (
	    "%s\x1f%s\x1f%s", practice->country ? practice->country : "",
	    practice->city ? practice->city : "", practice->title ? practice->title : "");
	g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

	return g_strdup_printf ("px-%.20s", digest);
}

static void
px_json_add_tags (JsonBuilder *builder, const char *name, GPtrArray *tags)
{
	json_builder_set_member_name (builder, name);
	json_builder_begin_array (builder);
	for (guint i = 0; i < tags->len; i++)
		json_builder_add_string_value (builder, g_ptr_array_index (tags, i));
	json_builder_end_array (builder);
}

void
px_practice_to_json (const PxPractice *practice, JsonBuilder *builder, PxView view)
{
	json_builder_begin_object (builder);
	if (!(view & PX_VIEW_NO_ID) && practice->id != 0) {
		json_builder_set_member_name (builder, "id");
		json_builder_add_int_value (builder, practice->id);
	}
	for (const PxTextField *field = text_fields; field->name != NULL; field++) {
		const char *value = *px_practice_text_value (practice, field);

		if (value == NULL)
			continue;
		if ((field->flags & PX_FIELD_LONG) && !(view & PX_VIEW_FULL))
			continue;
		if ((field->flags & PX_FIELD_PRIVATE) && !(view & PX_VIEW_CONTACT))
			continue;
		json_builder_set_member_name (builder, field->name);
		json_builder_add_string_value (builder, value);
	}
	px_json_add_tags (builder, "focus_areas", practice->focus_areas);
	px_json_add_tags (builder, "themes", practice->themes);
	if (practice->year != 0) {
		json_builder_set_member_name (builder, "year");
		json_builder_add_int_value (builder, practice->year);
	}
	json_builder_set_member_name (builder, "status");
	json_builder_add_string_value (builder, px_status_to_string (practice->status));
	/* the caller may add members (a snippet) before closing */
}
