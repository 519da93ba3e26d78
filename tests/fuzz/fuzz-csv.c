/* fuzz-csv.c: libFuzzer target for the CSV reader. The first byte picks the separator and small
 * limits; any bytes must give rows whose lines rise, whose fields are valid UTF-8 without NUL and
 * within the limits, and whose reasons are valid UTF-8; never more rows than lines. */
#include <string.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	static const char separators[] = {',', ';', '\t'};
	PxCsvOptions options = {0};
	g_autoptr (PxCsvReader) reader = NULL;
	const PxCsvRow *row;
	guint64 last_line = 0;
	guint64 lines = 1;

	if (size < 1)
		return 0;
	options.separator = separators[data[0] % 3];
	if (data[0] & 0x04) {
		options.max_field = 1 + (data[0] >> 3);
		options.max_columns = 1 + (data[0] >> 4);
	}
	data++;
	size--;
	for (gsize i = 0; i < size; i++)
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			lines++;
	reader = px_csv_reader_new ((const char *)data, size, &options, NULL);
	if (reader == NULL)
		__builtin_trap (); /* within every limit of size and with a good separator */
	while ((row = px_csv_reader_next (reader)) != NULL) {
		if (row->line <= last_line || row->line > lines)
			__builtin_trap (); /* a line out of order or past the end */
		last_line = row->line;
		if (row->error != NULL) {
			if (row->fields->len != 0 || !g_utf8_validate (row->error, -1, NULL))
				__builtin_trap ();
			continue;
		}
		if (row->fields->len == 0 ||
		    row->fields->len >
			(options.max_columns ? options.max_columns : PX_CSV_MAX_COLUMNS))
			__builtin_trap ();
		for (guint i = 0; i < row->fields->len; i++) {
			const char *field = g_ptr_array_index (row->fields, i);
			if (!g_utf8_validate (field, -1, NULL) ||
			    strlen (field) >
				(options.max_field ? options.max_field : PX_CSV_MAX_FIELD))
				__builtin_trap ();
		}
	}
	return 0;
}
