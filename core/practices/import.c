/* import.c: praxis import's loop: JSON Lines read and parsed on a thread of their own, each
 * record added or updated by uid through the write path (practices.c), in batches of one
 * transaction (one for all into an empty database, with the full-text index built once at the
 * end). */
#define G_LOG_DOMAIN "PxImport"

#include <string.h>

#include "import.h"
#include "model/jsonl.h"
#include "practices.h"
#include "store/records.h"
#include "util/error.h"

#define PX_IMPORT_BATCH 1000
#define PX_IMPORT_IN_FLIGHT 256 /* parsed records waiting for the writer */

/* one import under way, as the writing side sees it */
typedef struct {
	PxPractices *practices;
	PxStore *store;
	gboolean bulk;
	PxImportStats *stats;
	PxImportProgressFunc progress;
	PxImportRejectFunc reject;
	gpointer user_data;
	GPtrArray *errors; /* what validation found in the current record */
} PxImportRun;

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

/* the reading thread: parsing, with the model's field rules, runs beside the database writes;
 * the hooks (tag, validate) run on the writing side, in px_practices_import() */
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

/* Returns: FALSE with @error set when the import must stop; a refused record is only counted */
static gboolean
px_import_store_record (PxImportRun *run, PxImportItem *item, GError **error)
{
	g_autoptr (GError) store_error = NULL;
	PxPracticesOutcome outcome;
	g_autofree char *why = NULL;

	g_ptr_array_set_size (run->errors, 0);
	if (px_practices_import (run->practices, run->store, item->record, &outcome, run->errors,
				 &store_error)) {
		if (outcome == PX_PRACTICES_ADDED)
			run->stats->added++;
		else if (outcome == PX_PRACTICES_UPDATED)
			run->stats->updated++;
		else
			run->stats->unchanged++;
		return TRUE;
	}
	/* a uid that is taken or was deleted, or a record a validate hook refuses, is this
	 * record's fault, not the import's */
	if (g_error_matches (store_error, PX_ERROR, PX_ERROR_CONFLICT)) {
		run->stats->rejected++;
		run->reject (item->line_number, store_error->message, run->user_data);
		return TRUE;
	}
	if (g_error_matches (store_error, PX_ERROR, PX_ERROR_VALIDATION)) {
		why = px_field_errors_to_string (run->errors);
		run->stats->rejected++;
		run->reject (item->line_number, why, run->user_data);
		return TRUE;
	}
	g_propagate_prefixed_error (error, g_steal_pointer (&store_error),
				    "line %u: ", item->line_number);
	return FALSE;
}

static gboolean
px_import_store_items (PxImportRun *run, PxImportReader *reader, GError **error)
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
			run->stats->rejected++;
			run->reject (item->line_number, item->why, run->user_data);
		} else if (item->record != NULL) {
			ok = px_import_store_record (run, item, error);
			if (ok && !run->bulk && ++in_batch == PX_IMPORT_BATCH) {
				ok = px_store_commit (run->store, error) &&
				     px_store_begin (run->store, error);
				in_batch = 0;
			}
		}
		if (ok && run->progress != NULL)
			run->progress (item->done, run->user_data);
		px_import_item_free (item);
		if (!ok)
			return FALSE;
	}
}

static gboolean
px_import_lines (PxImportRun *run, GDataInputStream *lines, GError **error)
{
	PxImportReader reader = {lines, g_async_queue_new (), g_async_queue_new (), 0};
	GThread *thread;
	gboolean ok;

	for (guint i = 0; i < PX_IMPORT_IN_FLIGHT; i++)
		g_async_queue_push (reader.credits, GINT_TO_POINTER (1));
	thread = g_thread_new ("px-import-read", px_import_read_thread, &reader);
	ok = px_import_store_items (run, &reader, error);
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
px_import_jsonl (PxPractices *practices, PxStore *store, GInputStream *input, PxImportStats *stats,
		 PxImportProgressFunc progress, PxImportRejectFunc reject, gpointer user_data,
		 GError **error)
{
	g_autoptr (GDataInputStream) lines = g_data_input_stream_new (input);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	gint64 existing = px_records_count (store, error);
	PxImportRun run = {practices, store,  existing == 0, stats,
			   progress,  reject, user_data,     errors};

	if (existing < 0)
		return FALSE;
	g_data_input_stream_set_newline_type (lines, G_DATA_STREAM_NEWLINE_TYPE_ANY);
	if (!(run.bulk ? px_store_begin_bulk (store, error) : px_store_begin (store, error)))
		return FALSE;
	if (!px_import_lines (&run, lines, error) ||
	    !(run.bulk ? px_store_end_bulk (store, error) : px_store_commit (store, error))) {
		px_store_rollback (store);
		return FALSE;
	}
	return TRUE;
}
