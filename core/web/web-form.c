/* web-form.c: the practice form: the fields in their fieldsets with their labels and hints,
 * the values read from a POST or a stored practice, the practice made of them through the
 * model's rules (px_practice_apply_json: the same rules as the API), and the context the
 * templates practice-form.html and form-errors.html render. Writes nothing: the pages call the
 * write path. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "model/focus.h"
#include "web-form.h"
#include "web-markdown.h"
#include "web-vocabulary.h"

typedef enum {
	PX_WEB_FORM_LINE,
	PX_WEB_FORM_TEXT,     /* a textarea */
	PX_WEB_FORM_MARKDOWN, /* a textarea with the preview button */
} PxWebFormKind;

typedef struct {
	const char *name;
	const char *label;
	const char *hint;
	PxWebFormKind kind;
	guint rows;		  /* a textarea's */
	const char *type;	  /* an input's: text, url */
	const char *inputmode;	  /* (nullable) */
	const char *autocomplete; /* (nullable) */
} PxWebFormField;

typedef struct {
	const char *legend;
	const PxWebFormField *fields;
	gsize n_fields;
} PxWebFormGroup;

static const PxWebFormField about_fields[] = {
    {"title", N_ ("Title"), N_ ("One line, at most 200 characters."), PX_WEB_FORM_LINE, 0, "text",
     NULL, NULL},
    {"summary", N_ ("Summary"),
     N_ ("Two or three sentences: what the practice does, and for whom. At most 1,000 "
	 "characters."),
     PX_WEB_FORM_TEXT, 4, NULL, NULL, NULL},
    {"body", N_ ("Description"),
     N_ ("The whole story, in Markdown: a blank line between paragraphs, *italics*, **bold**, "
	 "[a link](https://example.org), lines starting with - for a list. Preview shows it as "
	 "readers will see it."),
     PX_WEB_FORM_MARKDOWN, 14, NULL, NULL, NULL},
};

static const PxWebFormField where_fields[] = {
    {"country", N_ ("Country"),
     N_ ("The country's two-letter code (ISO 3166-1), such as SE, DK or LV."), PX_WEB_FORM_LINE, 0,
     "text", NULL, NULL},
    {"city", N_ ("City or town"), N_ ("Where it takes place."), PX_WEB_FORM_LINE, 0, "text", NULL,
     NULL},
    {"region", N_ ("Region"), N_ ("The region, county or province, if it helps."), PX_WEB_FORM_LINE,
     0, "text", NULL, NULL},
    {"organisation", N_ ("Organisation"), N_ ("Who runs it."), PX_WEB_FORM_LINE, 0, "text", NULL,
     "organization"},
    {"project", N_ ("Project or network"),
     N_ ("The project or network it belongs to, such as ELAINE or EPI."), PX_WEB_FORM_LINE, 0,
     "text", NULL, NULL},
    {"language", N_ ("Language of this text"),
     N_ ("The language you write in, as a code: en, sv, da, de, lv, pl, pt-BR..."),
     PX_WEB_FORM_LINE, 0, "text", NULL, NULL},
};

static const PxWebFormField when_fields[] = {
    {"year", N_ ("Year"), N_ ("The year it ran or started, such as 2023."), PX_WEB_FORM_LINE, 0,
     "text", "numeric", NULL},
    {"started", N_ ("Started"), N_ ("A date: YYYY, YYYY-MM or YYYY-MM-DD."), PX_WEB_FORM_LINE, 0,
     "text", NULL, NULL},
    {"ended", N_ ("Ended"),
     N_ ("A date: YYYY, YYYY-MM or YYYY-MM-DD. Leave it empty while it runs."), PX_WEB_FORM_LINE, 0,
     "text", NULL, NULL},
};

static const PxWebFormField contact_fields[] = {
    {"url", N_ ("Web page"), N_ ("A page with more about it, starting with https:// or http://."),
     PX_WEB_FORM_LINE, 0, "url", NULL, "url"},
    {"contact", N_ ("Contact"),
     N_ ("An organisation's address or a person to ask. Shown to signed-in members only."),
     PX_WEB_FORM_TEXT, 3, NULL, NULL, NULL},
};

static const PxWebFormField detail_fields[] = {
    {"target_groups", N_ ("Target groups"), N_ ("Who it is for."), PX_WEB_FORM_TEXT, 3, NULL, NULL,
     NULL},
    {"goals", N_ ("Goals"), N_ ("What it sets out to achieve."), PX_WEB_FORM_TEXT, 3, NULL, NULL,
     NULL},
    {"results", N_ ("Results"), N_ ("What it has achieved so far."), PX_WEB_FORM_TEXT, 3, NULL,
     NULL, NULL},
    {"evaluation", N_ ("Evaluation"), N_ ("How it was evaluated, and what was learnt."),
     PX_WEB_FORM_TEXT, 3, NULL, NULL, NULL},
    {"funding", N_ ("Funding"), N_ ("Who pays for it, and roughly how much."), PX_WEB_FORM_TEXT, 3,
     NULL, NULL, NULL},
};

static const PxWebFormGroup groups[] = {
    {N_ ("The practice"), about_fields, G_N_ELEMENTS (about_fields)},
    {N_ ("Where and who"), where_fields, G_N_ELEMENTS (where_fields)},
    {N_ ("When"), when_fields, G_N_ELEMENTS (when_fields)},
    {N_ ("Links and contact"), contact_fields, G_N_ELEMENTS (contact_fields)},
    {N_ ("Details"), detail_fields, G_N_ELEMENTS (detail_fields)},
};

/* Returns: (transfer none) (nullable): the form's field @name */
static const PxWebFormField *
px_web_form_find (const char *name)
{
	for (gsize g = 0; g < G_N_ELEMENTS (groups); g++) {
		for (gsize i = 0; i < groups[g].n_fields; i++) {
			if (strcmp (groups[g].fields[i].name, name) == 0)
				return &groups[g].fields[i];
		}
	}
	return NULL;
}

static gboolean
px_web_form_is_required (const char *name)
{
	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++) {
		if (strcmp (field->name, name) == 0)
			return (field->flags & PX_FIELD_REQUIRED) != 0;
	}
	return FALSE;
}

static JsonArray *
px_web_form_strv_array (char **values)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; values != NULL && values[i] != NULL; i++)
		json_array_add_string_element (array, values[i]);
	return array;
}

JsonObject *
px_web_form_values_from_request (const PxWebRequest *request)
{
	JsonObject *values = json_object_new ();
	g_auto (GStrv) focus_areas = px_web_request_fields (request, "focus_areas");
	g_auto (GStrv) themes = px_web_request_fields (request, "themes");

	for (gsize g = 0; g < G_N_ELEMENTS (groups); g++) {
		for (gsize i = 0; i < groups[g].n_fields; i++) {
			const char *name = groups[g].fields[i].name;
			const char *value = px_web_request_field (request, name);

			json_object_set_string_member (values, name, value != NULL ? value : "");
		}
	}
	json_object_set_array_member (values, "focus_areas", px_web_form_strv_array (focus_areas));
	json_object_set_array_member (values, "themes", px_web_form_strv_array (themes));
	return values;
}

static JsonArray *
px_web_form_tags_array (const GPtrArray *tags)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < tags->len; i++)
		json_array_add_string_element (array, g_ptr_array_index (tags, i));
	return array;
}

JsonObject *
px_web_form_values_from_practice (const PxPractice *practice)
{
	JsonObject *values = json_object_new ();
	PxPractice *readable = (PxPractice *)practice;

	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++) {
		const char *value = *px_practice_text_slot (readable, field);

		if (px_web_form_find (field->name) != NULL)
			json_object_set_string_member (values, field->name,
						       value != NULL ? value : "");
	}
	if (practice->year != 0) {
		g_autofree char *year = g_strdup_printf ("%d", practice->year);
		json_object_set_string_member (values, "year", year);
	} else {
		json_object_set_string_member (values, "year", "");
	}
	json_object_set_array_member (values, "focus_areas",
				      px_web_form_tags_array (practice->focus_areas));
	json_object_set_array_member (values, "themes", px_web_form_tags_array (practice->themes));
	return values;
}

static const char *
px_web_form_value (JsonObject *values, const char *name)
{
	JsonNode *node = json_object_get_member (values, name);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
	    json_node_get_value_type (node) != G_TYPE_STRING)
		return "";
	return json_node_get_string (node);
}

/* the year as the model takes it: blank is none, digits a number, anything else refused */
static void
px_web_form_apply_year (JsonObject *input, const char *typed, GPtrArray *errors)
{
	g_autofree char *year = g_strstrip (g_strdup (typed));
	gint64 value;

	if (year[0] == '\0') {
		json_object_set_null_member (input, "year");
		return;
	}
	if (!g_ascii_string_to_signed (year, 10, G_MININT32, G_MAXINT32, &value, NULL)) {
		px_field_errors_add (errors, "year", "must be a whole number");
		return;
	}
	json_object_set_int_member (input, "year", value);
}

static JsonArray *
px_web_form_copy_array (JsonObject *values, const char *name)
{
	JsonArray *array = json_array_new ();
	JsonNode *node = json_object_get_member (values, name);

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
		return array;
	for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
		json_array_add_string_element (
		    array, json_array_get_string_element (json_node_get_array (node), i));
	return array;
}

gboolean
px_web_form_apply (JsonObject *values, PxPractice *practice, PxJsonMode mode, GPtrArray *errors)
{
	g_autoptr (JsonObject) input = json_object_new ();
	guint before = errors->len;

	for (gsize g = 0; g < G_N_ELEMENTS (groups); g++) {
		for (gsize i = 0; i < groups[g].n_fields; i++) {
			const char *name = groups[g].fields[i].name;

			if (strcmp (name, "year") == 0)
				px_web_form_apply_year (input, px_web_form_value (values, name),
							errors);
			else
				json_object_set_string_member (input, name,
							       px_web_form_value (values, name));
		}
	}
	json_object_set_array_member (input, "focus_areas",
				      px_web_form_copy_array (values, "focus_areas"));
	json_object_set_array_member (input, "themes", px_web_form_copy_array (values, "themes"));
	px_practice_apply_json (practice, input, mode, errors);
	return errors->len == before;
}

/* Returns: (transfer full): @text with {1} and {2} replaced by the numbers (a translated text
 * is no printf format: the compiler cannot check it) */
static char *
px_web_form_with_numbers (const char *text, gint64 first, gint64 second)
{
	g_autoptr (GString) out = g_string_new (NULL);

	for (const char *p = text; *p != '\0'; p++) {
		if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
			g_string_append_printf (out, "%" G_GINT64_FORMAT,
						p[1] == '1' ? first : second);
			p += 2;
		} else {
			g_string_append_c (out, *p);
		}
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Returns: (transfer full): the model's message about @name as a sentence for people, in the
 * request's language; a message the form does not know (a plugin's) as it came */
static char *
px_web_form_message (const PxWebRequest *request, const char *name, const char *message)
{
	const PxTextField *text = NULL;

	for (const PxTextField *field = px_practice_text_fields (); field->name != NULL; field++) {
		if (strcmp (field->name, name) == 0)
			text = field;
	}
	if (strcmp (message, "is required") == 0 && strcmp (name, "title") == 0)
		return g_strdup (px_web_request_gettext (request, "Enter a title."));
	if (strcmp (message, "is required") == 0 && strcmp (name, "summary") == 0)
		return g_strdup (px_web_request_gettext (request, "Enter a summary."));
	if (strcmp (message, "is required") == 0)
		return g_strdup (px_web_request_gettext (request, "This field is required."));
	if (strcmp (message, "is too long") == 0 && text != NULL)
		return px_web_form_with_numbers (
		    px_web_request_gettext (request,
					    "Shorten this text to at most {1} characters."),
		    text->max_chars, 0);
	if (strcmp (message, "contains control characters") == 0)
		return g_strdup (px_web_request_gettext (
		    request, "Remove the control characters (such as tabs) from this text."));
	if (strcmp (message, "is not valid UTF-8 text") == 0)
		return g_strdup (px_web_request_gettext (
		    request, "This text holds characters that are not valid. Type it again."));
	if (strcmp (name, "country") == 0)
		return g_strdup (px_web_request_gettext (request,
							 "Enter the country as its two-letter code "
							 "(ISO 3166-1), such as SE for Sweden."));
	if (strcmp (name, "language") == 0)
		return g_strdup (px_web_request_gettext (
		    request, "Enter the language as a code such as en, sv or pt-BR."));
	if (strcmp (name, "url") == 0)
		return g_strdup (px_web_request_gettext (
		    request, "Enter a web address that starts with https:// or http://."));
	if (strcmp (name, "started") == 0 || strcmp (name, "ended") == 0)
		return g_strdup (px_web_request_gettext (
		    request, "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD, such as 2023-09."));
	if (strcmp (name, "year") == 0)
		return px_web_form_with_numbers (
		    px_web_request_gettext (request,
					    "Enter the year as a number between {1} and {2}."),
		    PX_PRACTICE_YEAR_MIN, PX_PRACTICE_YEAR_MAX);
	if (strcmp (name, "focus_areas") == 0)
		return g_strdup (
		    px_web_request_gettext (request, "Choose focus areas from the list."));
	if (strcmp (name, "themes") == 0 && g_str_has_prefix (message, "has more than"))
		return px_web_form_with_numbers (
		    px_web_request_gettext (request, "Choose at most {1} themes."),
		    PX_PRACTICE_TAGS_MAX, 0);
	if (strcmp (name, "themes") == 0)
		return g_strdup (px_web_request_gettext (request, "Choose themes from the list."));
	return g_strdup (message);
}

/* Returns: (transfer none) (nullable): the first error of @name */
static const PxFieldError *
px_web_form_error_of (const GPtrArray *errors, const char *name)
{
	for (guint i = 0; errors != NULL && i < errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (errors, i);

		if (strcmp (error->field, name) == 0)
			return error;
	}
	return NULL;
}

static void
px_web_form_add_member (JsonBuilder *builder, const char *name, const char *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name (builder, name);
	json_builder_add_string_value (builder, value);
}

static void
px_web_form_add_flag (JsonBuilder *builder, const char *name, gboolean value)
{
	json_builder_set_member_name (builder, name);
	json_builder_add_boolean_value (builder, value);
}

static void
px_web_form_add_field (const PxWebRequest *request, JsonBuilder *builder,
		       const PxWebFormField *field, JsonObject *values, const GPtrArray *errors)
{
	const PxFieldError *error = px_web_form_error_of (errors, field->name);
	g_autofree char *message =
	    error != NULL ? px_web_form_message (request, field->name, error->message) : NULL;
	g_autofree char *described =
	    error != NULL ? g_strdup_printf ("%s-hint %s-error", field->name, field->name)
			  : g_strdup_printf ("%s-hint", field->name);

	json_builder_begin_object (builder);
	px_web_form_add_member (builder, "name", field->name);
	px_web_form_add_member (builder, "label", px_web_request_gettext (request, field->label));
	px_web_form_add_member (builder, "hint", px_web_request_gettext (request, field->hint));
	px_web_form_add_member (builder, "value", px_web_form_value (values, field->name));
	px_web_form_add_member (builder, "error", message);
	px_web_form_add_member (builder, "described", described);
	px_web_form_add_member (builder, "type", field->type);
	px_web_form_add_member (builder, "inputmode", field->inputmode);
	px_web_form_add_member (builder, "autocomplete", field->autocomplete);
	px_web_form_add_flag (builder, "required", px_web_form_is_required (field->name));
	px_web_form_add_flag (builder, "textarea", field->kind != PX_WEB_FORM_LINE);
	px_web_form_add_flag (builder, "markdown", field->kind == PX_WEB_FORM_MARKDOWN);
	if (field->rows > 0) {
		json_builder_set_member_name (builder, "rows");
		json_builder_add_int_value (builder, field->rows);
	}
	json_builder_end_object (builder);
}

static JsonNode *
px_web_form_groups (const PxWebRequest *request, JsonObject *values, const GPtrArray *errors)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	json_builder_begin_array (builder);
	for (gsize g = 0; g < G_N_ELEMENTS (groups); g++) {
		json_builder_begin_object (builder);
		px_web_form_add_member (builder, "legend",
					px_web_request_gettext (request, groups[g].legend));
		json_builder_set_member_name (builder, "fields");
		json_builder_begin_array (builder);
		for (gsize i = 0; i < groups[g].n_fields; i++)
			px_web_form_add_field (request, builder, &groups[g].fields[i], values,
					       errors);
		json_builder_end_array (builder);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

static gboolean
px_web_form_array_has (JsonObject *values, const char *name, const char *value)
{
	JsonNode *node = json_object_get_member (values, name);
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
		return FALSE;
	array = json_node_get_array (node);
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *element = json_array_get_element (array, i);

		if (JSON_NODE_HOLDS_VALUE (element) &&
		    json_node_get_value_type (element) == G_TYPE_STRING &&
		    strcmp (json_node_get_string (element), value) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
px_web_form_add_option (JsonBuilder *builder, const char *name, const char *value,
			const char *label, const char *hint, gboolean first, gboolean checked)
{
	g_autofree char *id = first ? g_strdup (name) : g_strdup_printf ("%s-%s", name, value);

	json_builder_begin_object (builder);
	/* names of their own: a name an option lacks would be looked up in the set's context */
	px_web_form_add_member (builder, "option_id", id);
	px_web_form_add_member (builder, "option_value", value);
	px_web_form_add_member (builder, "option_label", label);
	px_web_form_add_member (builder, "option_hint", hint);
	px_web_form_add_flag (builder, "checked", checked);
	json_builder_end_object (builder);
}

/* a set of checkboxes: its legend, hint, message and options; the first option's id is the
 * field's name, where the error summary links */
static void
px_web_form_begin_choice (const PxWebRequest *request, JsonBuilder *builder, const char *name,
			  const char *legend, const char *hint, const GPtrArray *errors)
{
	const PxFieldError *error = px_web_form_error_of (errors, name);
	g_autofree char *message =
	    error != NULL ? px_web_form_message (request, name, error->message) : NULL;
	g_autofree char *described = error != NULL
					 ? g_strdup_printf ("%s-hint %s-error", name, name)
					 : g_strdup_printf ("%s-hint", name);

	json_builder_begin_object (builder);
	px_web_form_add_member (builder, "name", name);
	px_web_form_add_member (builder, "legend", legend);
	px_web_form_add_member (builder, "hint", hint);
	px_web_form_add_member (builder, "error", message);
	px_web_form_add_member (builder, "described", described);
	json_builder_set_member_name (builder, "options");
	json_builder_begin_array (builder);
}

static JsonNode *
px_web_form_focus (const PxWebRequest *request, JsonObject *values, const GPtrArray *errors)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	px_web_form_begin_choice (
	    request, builder, "focus_areas", px_web_request_gettext (request, "Focus areas"),
	    px_web_request_gettext (request, "Choose every one that fits."), errors);
	for (guint i = 0; i < PX_FOCUS_AREA_N; i++) {
		const char *area = px_focus_area_name (i);

		px_web_form_add_option (builder, "focus_areas", area,
					px_web_vocabulary_focus_label (request, area),
					px_web_vocabulary_focus_hint (request, area), i == 0,
					px_web_form_array_has (values, "focus_areas", area));
	}
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	return json_builder_get_root (builder);
}

/* the known themes, then any other the practice has (kept, shown by its slug) */
static JsonNode *
px_web_form_themes (const PxWebRequest *request, JsonObject *values, const GPtrArray *errors)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	const char *const *known = px_web_vocabulary_themes (request);
	g_autoptr (JsonArray) chosen = px_web_form_copy_array (values, "themes");

	px_web_form_begin_choice (
	    request, builder, "themes", px_web_request_gettext (request, "Themes"),
	    px_web_request_gettext (request, "Choose every one that fits."), errors);
	for (guint i = 0; known[i] != NULL; i++)
		px_web_form_add_option (builder, "themes", known[i],
					px_web_vocabulary_theme_label (request, known[i]), NULL,
					i == 0, px_web_form_array_has (values, "themes", known[i]));
	for (guint i = 0; i < json_array_get_length (chosen); i++) {
		const char *theme = json_array_get_string_element (chosen, i);

		if (!g_strv_contains (known, theme) && g_utf8_validate (theme, -1, NULL) &&
		    strlen (theme) <= 40)
			px_web_form_add_option (builder, "themes", theme, theme, NULL, FALSE, TRUE);
	}
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	return json_builder_get_root (builder);
}

/* the label of the summary's link to @name, NULL for a name the form lacks */
static const char *
px_web_form_label_of (const PxWebRequest *request, const char *name)
{
	const PxWebFormField *field = px_web_form_find (name);

	if (field != NULL)
		return px_web_request_gettext (request, field->label);
	if (strcmp (name, "focus_areas") == 0)
		return px_web_request_gettext (request, "Focus areas");
	if (strcmp (name, "themes") == 0)
		return px_web_request_gettext (request, "Themes");
	return NULL;
}

/* the error summary: one entry per field in the form's order of the errors, the first message
 * of each; a field the form lacks has no link */
static JsonNode *
px_web_form_summary (const PxWebRequest *request, const GPtrArray *errors)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

	json_builder_begin_array (builder);
	for (guint i = 0; errors != NULL && i < errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (errors, i);
		const char *label = px_web_form_label_of (request, error->field);
		g_autofree char *message = NULL;
		g_autofree char *href = NULL;

		if (!g_hash_table_add (seen, error->field))
			continue;
		message = px_web_form_message (request, error->field, error->message);
		json_builder_begin_object (builder);
		if (label != NULL) {
			href = g_strdup_printf ("#%s", error->field);
			px_web_form_add_member (builder, "href", href);
			px_web_form_add_member (builder, "label", label);
		}
		px_web_form_add_member (builder, "message", message);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

void
px_web_form_add_context (const PxWebRequest *request, JsonObject *content, JsonObject *values,
			 const GPtrArray *errors, gboolean preview)
{
	json_object_set_member (content, "groups", px_web_form_groups (request, values, errors));
	json_object_set_member (content, "focus", px_web_form_focus (request, values, errors));
	json_object_set_member (content, "themes", px_web_form_themes (request, values, errors));
	json_object_set_member (content, "errors", px_web_form_summary (request, errors));
	json_object_set_boolean_member (content, "has_errors", errors != NULL && errors->len > 0);
	if (preview) {
		g_autofree char *html =
		    px_web_markdown_to_html (px_web_form_value (values, "body"), 3);

		json_object_set_boolean_member (content, "preview", TRUE);
		json_object_set_string_member (content, "body_html", html);
	}
}
