/* jsonl.c: JSON Lines import and export of practices. */
#define G_LOG_DOMAIN "PxJsonl"

#include <string.h>

#include "error.h"
#include "json.h"
#include "jsonl.h"

#define PX_IMPORT_BATCH 1000

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

/* the content of a practice without what a server sets, to tell a real change from a re-import */
static char *
px_jsonl_content_key (PxPractice *practice)
{
	g_autoptr (PxPractice) copy = px_practice_copy (practice);

	copy->id = 0;
	g_clear_pointer (&copy->created_at, g_free);
	g_clear_pointer (&copy->updated_at, g_free);
	g_clear_pointer (&copy->published_at, g_free);
	return px_jsonl_format_practice (copy, PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID);
}

static gboolean
px_jsonl_store_record (PxStore *store, PxPractice *record, PxImportStats *stats, GError **error)
{
	g_autoptr (GError) lookup_error = NULL;
	g_autoptr (PxPractice) existing =
	    px_store_get_practice_by_uid (store, record->uid, &lookup_error);
	g_autofree char *old_key = NULL;
	g_autofree char *new_key = NULL;

	if (existing == NULL) {
		if (!g_error_matches (lookup_error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
			g_propagate_error (error, g_steal_pointer (&lookup_error));
			return FALSE;
		}
		stats->added++;
		return px_store_add_practice (store, record, error);
	}
	old_key = px_jsonl_content_key (existing);
	new_key = px_jsonl_content_key (record);
	if (g_str_equal (old_key, new_key)) {
		stats->unchanged++;
		return TRUE;
	}
	record->id = existing->id;
	g_free (record->created_at);
	record->created_at = g_strdup (existing->created_at);
	if (record->published_at == NULL)
		record->published_at = g_strdup (existing->published_at);
	stats->updated++;
	return px_store_update_practice (store, record, error);
}

/* Returns: (transfer full): the practice of one line, or NULL with @why set */
static PxPractice *
px_jsonl_parse_record (const char *line, gsize length, char **why)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) object = px_json_parse_object (line, length, &error);
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GString) message = NULL;

	if (object == NULL) {
		*why = g_strdup (error->message);
		return NULL;
	}
	practice = px_practice_new ();
	practice->status = PX_STATUS_PUBLISHED;
	px_practice_apply_json (practice, object, PX_JSON_IMPORT, errors);
	px_practice_check_required (practice, errors);
	if (errors->len == 0) {
		if (practice->uid == NULL)
			practice->uid = px_practice_derive_uid (practice);
		return g_steal_pointer (&practice);
	}
	message = g_string_new (NULL);
	for (guint i = 0; i < errors->len; i++) {
		const PxFieldError *field_error = g_ptr_array_index (errors, i);
		g_string_append_printf (message, "%s%s %s", i > 0 ? "; " : "", field_error->field,
					field_error->message);
	}
	*why = g_string_free (g_steal_pointer (&message), FALSE);
	return NULL;
}

static gboolean
px_jsonl_import_lines (PxStore *store, GDataInputStream *lines, gboolean bulk, PxImportStats *stats,
		       PxImportProgressFunc progress, PxImportRejectFunc reject, gpointer user_data,
		       GError **error)
{
	goffset done = 0;
	guint line_number = 0, in_batch = 0;

	for (;;) {
		gsize length = 0;
		g_autofree char *line = g_data_input_stream_read_line (lines, &length, NULL, error);
		g_autofree char *why = NULL;
		g_autoptr (PxPractice) record = NULL;

		if (line == NULL)
			return error == NULL || *error == NULL;
		line_number++;
		done += (goffset)length + 1;
		if (strspn (line, " \t\r") == length)
			continue;
		record = px_jsonl_parse_record (line, length, &why);
		if (record == NULL) {
			stats->rejected++;
			reject (line_number, why, user_data);
			continue;
		}
		if (!px_jsonl_store_record (store, record, stats, error)) {
			g_prefix_error (error, "line %u: ", line_number);
			return FALSE;
		}
		if (!bulk && ++in_batch == PX_IMPORT_BATCH) {
			if (!px_store_commit (store, error) || !px_store_begin (store, error))
				return FALSE;
			in_batch = 0;
		}
		if (progress != NULL)
			progress (done, user_data);
	}
}

gboolean
px_jsonl_import (PxStore *store, GInputStream *input, PxImportStats *stats,
		 PxImportProgressFunc progress, PxImportRejectFunc reject, gpointer user_data,
		 GError **error)
{
	g_autoptr (GDataInputStream) lines = g_data_input_stream_new (input);
	gint64 existing = px_store_count_practices (store, error);
	gboolean bulk = existing == 0;

	if (existing < 0)
		return FALSE;
	g_data_input_stream_set_newline_type (lines, G_DATA_STREAM_NEWLINE_TYPE_ANY);
	if (!(bulk ? px_store_begin_bulk (store, error) : px_store_begin (store, error)))
		return FALSE;
	if (!px_jsonl_import_lines (store, lines, bulk, stats, progress, reject, user_data,
				    error) ||
	    !(bulk ? px_store_end_bulk (store, error) : px_store_commit (store, error))) {
		px_store_rollback (store);
		return FALSE;
	}
	return TRUE;
}
