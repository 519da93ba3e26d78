/* csv.c: PxCsvReader, CSV rows pulled from bytes with libcsv in strict mode. It feeds libcsv one
 * physical line at a time, so that each record knows the line it starts on and a malformed one
 * is skipped to the end of the line where it went wrong; it checks each field's text. */
#define G_LOG_DOMAIN "PxCsv"

#include <csv.h>
#include <string.h>

#include "csv.h"
#include "error.h"

/* the field buffer grows by this much at a time (libcsv's default, 128 bytes, makes a long
 * field quadratic) */
#define PX_CSV_BLOCK (64 * 1024)

struct _PxCsvReader {
	struct csv_parser parser;
	const char *data;
	gsize length;
	gsize at; /* the next byte to feed */
	char separator;
	gsize max_field;
	guint max_columns;
	guint64 line;	     /* the physical line of the byte at @at */
	guint64 record_line; /* where the record being read starts; 0: none begun */
	GPtrArray *fields;   /* the record's fields so far */
	guint columns;	     /* the fields it has had, kept or not */
	char *fault;	     /* (nullable): the record's first fault */
	GQueue rows;	     /* finished rows, oldest first */
	PxCsvRow *current;   /* the row px_csv_reader_next() returned last */
	gboolean finished;
};

static void
px_csv_row_free (PxCsvRow *row)
{
	if (row == NULL)
		return;
	g_ptr_array_unref (row->fields);
	g_free (row->error);
	g_free (row);
}

static void
px_csv_reader_init_parser (PxCsvReader *reader)
{
	csv_init (&reader->parser, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim (&reader->parser, (unsigned char)reader->separator);
	csv_set_blk_size (&reader->parser, PX_CSV_BLOCK);
}

/* the record read so far becomes a row (refused if it has a fault), and the next one begins */
static void
px_csv_reader_end_record (PxCsvReader *reader)
{
	PxCsvRow *row = g_new0 (PxCsvRow, 1);

	row->line = reader->record_line != 0 ? reader->record_line : reader->line;
	row->error = g_steal_pointer (&reader->fault);
	if (row->error != NULL) {
		g_ptr_array_set_size (reader->fields, 0);
		row->fields = g_ptr_array_new_with_free_func (g_free);
	} else {
		row->fields = g_steal_pointer (&reader->fields);
	}
	g_queue_push_tail (&reader->rows, row);
	if (reader->fields == NULL)
		reader->fields = g_ptr_array_new_with_free_func (g_free);
	reader->columns = 0;
	reader->record_line = 0;
}

static void
px_csv_reader_fault (PxCsvReader *reader, char *fault)
{
	if (reader->fault == NULL)
		reader->fault = fault;
	else
		g_free (fault);
}

static void
px_csv_field_cb (void *data, size_t length, void *user_data)
{
	PxCsvReader *reader = user_data;
	guint column = ++reader->columns;

	if (reader->fault != NULL)
		return;
	if (column > reader->max_columns) {
		px_csv_reader_fault (reader,
				     g_strdup_printf ("more than %u columns", reader->max_columns));
		return;
	}
	if (length > reader->max_field) {
		px_csv_reader_fault (
		    reader, g_strdup_printf ("column %u is longer than %" G_GSIZE_FORMAT " bytes",
					     column, reader->max_field));
		return;
	}
	if (length > 0 && memchr (data, '\0', length) != NULL) {
		px_csv_reader_fault (reader, g_strdup_printf ("a NUL byte in column %u", column));
		return;
	}
	if (length > 0 && !g_utf8_validate_len (data, length, NULL)) {
		px_csv_reader_fault (reader,
				     g_strdup_printf ("invalid UTF-8 in column %u", column));
		return;
	}
	g_ptr_array_add (reader->fields, g_strndup (length > 0 ? data : "", length));
}

static void
px_csv_row_cb (int terminator, void *user_data)
{
	px_csv_reader_end_record (user_data);
}

/* Returns: TRUE when @length bytes at @text hold nothing libcsv would begin a record with */
static gboolean
px_csv_reader_is_blank (PxCsvReader *reader, const char *text, gsize length)
{
	for (gsize i = 0; i < length; i++) {
		char c = text[i];
		if (c == reader->separator)
			return FALSE;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return FALSE;
	}
	return TRUE;
}

/* libcsv stopped at a fault of strict mode: the record is refused, the parser starts afresh */
static void
px_csv_reader_fail (PxCsvReader *reader)
{
	guint column = reader->columns + 1;

	if (csv_error (&reader->parser) != CSV_EPARSE)
		px_csv_reader_fault (reader, g_strdup (csv_strerror (csv_error (&reader->parser))));
	else if (reader->parser.quoted)
		px_csv_reader_fault (reader, g_strdup_printf ("text after the closing quote of "
							      "column %u",
							      column));
	else
		px_csv_reader_fault (reader, g_strdup_printf ("a quote inside the unquoted "
							      "column %u",
							      column));
	px_csv_reader_end_record (reader);
	csv_free (&reader->parser);
	px_csv_reader_init_parser (reader);
}

/* feeds the next physical line (with its end: "\n", "\r\n" or a lone "\r") */
static void
px_csv_reader_feed_line (PxCsvReader *reader)
{
	const char *start = reader->data + reader->at;
	gsize rest = reader->length - reader->at;
	gsize length = 0;
	gsize parsed;

	while (length < rest && start[length] != '\n' && start[length] != '\r')
		length++;
	if (length < rest) {
		if (start[length] == '\r' && length + 1 < rest && start[length + 1] == '\n')
			length++;
		length++;
	}
	if (reader->record_line == 0 && !px_csv_reader_is_blank (reader, start, length))
		reader->record_line = reader->line;
	parsed = csv_parse (&reader->parser, start, length, px_csv_field_cb, px_csv_row_cb, reader);
	if (parsed < length)
		px_csv_reader_fail (reader);
	reader->at += length;
	reader->line++;
}

static void
px_csv_reader_finish (PxCsvReader *reader)
{
	if (csv_fini (&reader->parser, px_csv_field_cb, px_csv_row_cb, reader) != 0) {
		px_csv_reader_fault (reader, g_strdup_printf ("the quoted column %u is not closed",
							      reader->columns + 1));
		px_csv_reader_end_record (reader);
	}
	reader->finished = TRUE;
}

PxCsvReader *
px_csv_reader_new (const char *data, gsize length, const PxCsvOptions *options, GError **error)
{
	PxCsvOptions defaults = {0};
	PxCsvReader *reader;
	gsize max_size;

	if (options == NULL)
		options = &defaults;
	max_size = options->max_size != 0 ? options->max_size : PX_CSV_MAX_SIZE;
	if (length > max_size) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the CSV text is larger than %" G_GSIZE_FORMAT " bytes", max_size);
		return NULL;
	}
	if (options->separator != 0 && options->separator != ',' && options->separator != ';' &&
	    options->separator != '\t') {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the separator is one of ',' ';' and a tab");
		return NULL;
	}
	reader = g_new0 (PxCsvReader, 1);
	reader->data = data;
	reader->length = length;
	reader->separator = options->separator != 0 ? options->separator : ',';
	reader->max_field = options->max_field != 0 ? options->max_field : PX_CSV_MAX_FIELD;
	reader->max_columns = options->max_columns != 0 ? options->max_columns : PX_CSV_MAX_COLUMNS;
	reader->line = 1;
	reader->fields = g_ptr_array_new_with_free_func (g_free);
	g_queue_init (&reader->rows);
	if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
		reader->at = 3;
	px_csv_reader_init_parser (reader);
	return reader;
}

const PxCsvRow *
px_csv_reader_next (PxCsvReader *reader)
{
	g_clear_pointer (&reader->current, px_csv_row_free);
	while (g_queue_is_empty (&reader->rows) && !reader->finished) {
		if (reader->at < reader->length)
			px_csv_reader_feed_line (reader);
		else
			px_csv_reader_finish (reader);
	}
	reader->current = g_queue_pop_head (&reader->rows);
	return reader->current;
}

void
px_csv_reader_free (PxCsvReader *reader)
{
	if (reader == NULL)
		return;
	csv_free (&reader->parser);
	g_queue_clear_full (&reader->rows, (GDestroyNotify)px_csv_row_free);
	px_csv_row_free (reader->current);
	g_ptr_array_unref (reader->fields);
	g_free (reader->fault);
	g_free (reader);
}
