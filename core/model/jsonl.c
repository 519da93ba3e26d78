/* jsonl.c: the JSON Lines exchange format of practices: one practice, tombstone or change
 * formatted as a line, and one line parsed into a practice. Knows nothing of the store; the
 * import loop is core/practices/import.c. */
#define G_LOG_DOMAIN "PxJsonl"

#include "jsonl.h"
#include "util/json.h"

static char *
px_jsonl_finish (JsonBuilder *builder)
{
	gsize length = 0;
	g_autofree char *text = px_json_builder_to_string (builder, &length);

	return g_strconcat (text, "\n", NULL);
}

char *
px_jsonl_format_practice (const PxPractice *practice, PxView view)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	px_practice_to_json (practice, builder, view);
	json_builder_end_object (builder);
	return px_jsonl_finish (builder);
}

char *
px_jsonl_format_tombstone (const char *uid, const char *deleted_at)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "uid");
	json_builder_add_string_value (builder, uid);
	json_builder_set_member_name (builder, "status");
	json_builder_add_string_value (builder, "deleted");
	json_builder_set_member_name (builder, "updated_at");
	json_builder_add_string_value (builder, deleted_at);
	json_builder_end_object (builder);
	return px_jsonl_finish (builder);
}

char *
px_jsonl_format_change (const PxPractice *practice, const char *tombstone_uid,
			const char *tombstone_at, PxView view)
{
	if (practice != NULL)
		return px_jsonl_format_practice (practice, view);
	return px_jsonl_format_tombstone (tombstone_uid, tombstone_at);
}

PxPractice *
px_jsonl_parse_practice (const char *line, gsize length, char **why)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) object = px_json_parse_object (line, length, &error);

	if (object == NULL) {
		*why = g_strdup (error->message);
		return NULL;
	}
	return px_jsonl_read_practice (object, PX_STATUS_PUBLISHED, why);
}

PxPractice *
px_jsonl_read_practice (JsonObject *object, PxStatus status, char **why)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	g_autoptr (GPtrArray) errors = px_field_errors_new ();

	practice->status = status;
	px_practice_apply_json (practice, object, PX_JSON_IMPORT, errors);
	px_practice_check_required (practice, errors);
	if (errors->len == 0) {
		if (practice->uid == NULL)
			practice->uid = px_practice_derive_uid (practice);
		return g_steal_pointer (&practice);
	}
	*why = px_field_errors_to_string (errors);
	return NULL;
}
