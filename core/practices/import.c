/* import.c: praxis import's loop: JSON Lines read and parsed on a thread of their own, each
 * record added or updated by uid, in batches of one transaction (one for all into an empty
 * database, with the full-text index built once at the end). */
#define G_LOG_DOMAIN "PxImport"

#include <string.h>

#include "import.h"
#include "model/jsonl.h"
#include "store/records.h"
#include "util/error.h"

#define PX_IMPORT_BATCH 1000
#define PX_IMPORT_IN_FLIGHT 256 /* parsed records waiting for the writer */

/* the content of a practice without what a server sets, to tell a real change from a re-import */
static char *
px_import_content_key (PxPractice *practice)
{
	g_autoptr (PxPractice) copy = px_practice_copy (practice);

	copy->id = 0;
	g_clear_pointer (&copy->created_at, g_free);
	g_clear_pointer (&copy->updated_at, g_free);
	g_clear_pointer (&copy->published_at, g_free);
	return px_jsonl_format_practice (copy, PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID);
}

static gboolean
px_import_store_record (PxStore *store, PxPractice *record, PxImportStats *stats, GError **error)
{
	g_autoptr (GError) lookup_error = NULL;
	g_autoptr (PxPractice) existing = px_records_get_by_uid (store, record->uid, &lookup_error);
	g_autofree char *old_key = NULL;
	g_autofree char *new_key = NULL;

	if (existing == NULL) {
		if (!g_error_matches (lookup_error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
			g_propagate_error (error, g_steal_pointer (&lookup_error));
			return FALSE;
		}
		if (!px_records_add (store, record, error))
			return FALSE;
		stats->added++;
		return TRUE;
	}
	old_key = px_import_content_key (existing);
	new_key = px_import_content_key (record);
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
	return px_records_update (store, record, error);
}

/* one line as the reading thread hands it over: a record, or why it was refused, or the end */
typedef struct {
	guint line_number;
	goffset done; /* bytes read so far */
	PxPractice *record;
	char *why;
	gboolean end;
	GError *error; /* a read failure, with the end */
} PxImportItem;

typedef struct {
	GDataInputStream *lines;
	GAsyncQueue *items;   /* PxImportItem, to the writer */
	GAsyncQueue *credits; /* bounds the items in flight */
	gint stop;	      /* set when the writer gives up */
} PxImportReader;

static void
px_import_item_free (PxImportItem *item)
{
	px_practice_free (item->record);
	g_free (item->why);
	g_clear_error (&item->error);
	g_free (item);
}

/* the reading thread: parsing and validation run beside the database writes */
static gpointer
px_import_read_thread (gpointer data)
{
	PxImportReader *reader = data;
	goffset done = 0;
	guint line_number = 0;

	while (!g_atomic_int_get (&reader->stop)) {
		PxImportItem *item = g_new0 (PxImportItem, 1);
		gsize length = 0;
		g_autofree char *line =
		    g_data_input_stream_read_line (reader->lines, &length, NULL, &item->error);

		g_async_queue_pop (reader->credits);
		if (line == NULL) {
			item->end = TRUE;
			g_async_queue_push (reader->items, item);
			return NULL;
		}
		item->line_number = ++line_number;
		item->done = done += (goffset)length + 1;
		if (strspn (line, " \t\r") != length)
			item->record = px_jsonl_parse_practice (line, length, &item->why);
		g_async_queue_push (reader->items, item);
	}
	return NULL;
}

static gboolean
px_import_store_items (PxStore *store, PxImportReader *reader, gboolean bulk, PxImportStats *stats,
		       PxImportProgressFunc progress, PxImportRejectFunc reject, gpointer user_data,
		       GError **error)
{
	guint in_batch = 0;

	for (;;) {
		PxImportItem *item = g_async_queue_pop (reader->items);
		gboolean ok = TRUE;

		g_async_queue_push (reader->credits, GINT_TO_POINTER (1));
		if (item->end) {
			ok = item->error == NULL;
			if (!ok)
				g_propagate_error (error, g_steal_pointer (&item->error));
			px_import_item_free (item);
			return ok;
		}
		if (item->why != NULL) {
			stats->rejected++;
			reject (item->line_number, item->why, user_data);
		} else if (item->record != NULL) {
			g_autoptr (GError) store_error = NULL;

			ok = px_import_store_record (store, item->record, stats, &store_error);
			/* a uid that is taken or was deleted is this record's fault, not the
			 * import's */
			if (g_error_matches (store_error, PX_ERROR, PX_ERROR_CONFLICT)) {
				stats->rejected++;
				reject (item->line_number, store_error->message, user_data);
				ok = TRUE;
			} else if (!ok) {
				g_propagate_prefixed_error (error, g_steal_pointer (&store_error),
							    "line %u: ", item->line_number);
			}
			if (ok && !bulk && ++in_batch == PX_IMPORT_BATCH) {
				ok =
				    px_store_commit (store, error) && px_store_begin (store, error);
				in_batch = 0;
			}
		}
		if (ok && progress != NULL)
			progress (item->done, user_data);
		px_import_item_free (item);
		if (!ok)
			return FALSE;
	}
}

static gboolean
px_import_lines (PxStore *store, GDataInputStream *lines, gboolean bulk, PxImportStats *stats,
		 PxImportProgressFunc progress, PxImportRejectFunc reject, gpointer user_data,
		 GError **error)
{
	PxImportReader reader = {lines, g_async_queue_new (), g_async_queue_new (), 0};
	GThread *thread;
	gboolean ok;

	for (guint i = 0; i < PX_IMPORT_IN_FLIGHT; i++)
		g_async_queue_push (reader.credits, GINT_TO_POINTER (1));
	thread = g_thread_new ("px-import-read", px_import_read_thread, &reader);
	ok =
	    px_import_store_items (store, &reader, bulk, stats, progress, reject, user_data, error);
	if (!ok) {
		/* let the reader finish its line and stop: drain what it still sends */
		g_atomic_int_set (&reader.stop, 1);
		for (PxImportItem *item; (item = g_async_queue_try_pop (reader.items)) != NULL;) {
			g_async_queue_push (reader.credits, GINT_TO_POINTER (1));
			px_import_item_free (item);
		}
		g_async_queue_push (reader.credits, GINT_TO_POINTER (1));
	}
	g_thread_join (thread);
	for (PxImportItem *item; (item = g_async_queue_try_pop (reader.items)) != NULL;)
		px_import_item_free (item);
	g_async_queue_unref (reader.items);
	g_async_queue_unref (reader.credits);
	return ok;
}

gboolean
px_import_jsonl (PxStore *store, GInputStream *input, PxImportStats *stats,
		 PxImportProgressFunc progress, PxImportRejectFunc reject, gpointer user_data,
		 GError **error)
{
	g_autoptr (GDataInputStream) lines = g_data_input_stream_new (input);
	gint64 existing = px_records_count (store, error);
	gboolean bulk = existing == 0;

	if (existing < 0)
		return FALSE;
	g_data_input_stream_set_newline_type (lines, G_DATA_STREAM_NEWLINE_TYPE_ANY);
	if (!(bulk ? px_store_begin_bulk (store, error) : px_store_begin (store, error)))
		return FALSE;
	if (!px_import_lines (store, lines, bulk, stats, progress, reject, user_data, error) ||
	    !(bulk ? px_store_end_bulk (store, error) : px_store_commit (store, error))) {
		px_store_rollback (store);
		return FALSE;
	}
	return TRUE;
}
