/* csv.h: CSV rows from bytes (libcsv in strict mode), pulled one at a time with the physical
 * line each record starts on; a bad row is reported with its reason and the rows after it go
 * on. Fields are valid UTF-8 without NUL; spaces around unquoted fields are trimmed. */
#pragma once

#include <glib.h>

#define PX_CSV_MAX_FIELD (1024 * 1024)
#define PX_CSV_MAX_COLUMNS 1000
#define PX_CSV_MAX_SIZE (64 * 1024 * 1024)

typedef struct {
	char separator;	   /* ',' (also when 0), ';' or '\t' */
	gsize max_field;   /* bytes of one field; 0: PX_CSV_MAX_FIELD */
	guint max_columns; /* fields of one row; 0: PX_CSV_MAX_COLUMNS */
	gsize max_size;	   /* bytes of the whole text; 0: PX_CSV_MAX_SIZE */
} PxCsvOptions;

typedef struct {
	/* the 1-based physical line where the record starts (a quoted field may span lines;
	 * "\n", "\r\n" and a lone "\r" each end a line) */
	guint64 line;
	GPtrArray *fields; /* (element-type utf8): the fields; empty when @error is set */
	char *error; /* (nullable): why the row is refused, e.g. "invalid UTF-8 in column 2" */
} PxCsvRow;

typedef struct _PxCsvReader PxCsvReader;

/**
 * px_csv_reader_new:
 * @data: the text, @length bytes (need not be NUL-terminated; kept, not copied: it must outlive
 *   the reader); a UTF-8 byte order mark at its start is skipped
 * @options: (nullable): separator and limits; NULL: ',' and the default limits
 *
 * Blank lines are skipped. A row is refused (PxCsvRow.error) for a quote inside an unquoted
 * field, text after a closing quote, a quoted field not closed at the end, invalid UTF-8, a NUL
 * byte, a field longer than max_field or more than max_columns fields; the next row is read
 * from the line after the fault.
 *
 * Returns: (transfer full): a reader, or NULL with PX_ERROR_INVALID when @length exceeds
 * max_size or the separator is not one of ',' ';' '\t'
 */
PxCsvReader *px_csv_reader_new (const char *data, gsize length, const PxCsvOptions *options,
				GError **error);

/**
 * px_csv_reader_next:
 *
 * Parses up to the end of the next record.
 *
 * Returns: (transfer none) (nullable): the next row, owned by @reader and valid until the next
 * call or px_csv_reader_free(); NULL at the end of the text
 */
const PxCsvRow *px_csv_reader_next (PxCsvReader *reader);

void px_csv_reader_free (PxCsvReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxCsvReader, px_csv_reader_free)
