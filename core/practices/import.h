/* import.h: praxis import: JSON Lines (core/model/jsonl.h) into the database, adding new
 * practices and updating changed ones by uid. */
#pragma once

#include <gio/gio.h>

#include "practices.h"
#include "store/store.h"

typedef struct {
	guint added, updated, unchanged, rejected;
} PxImportStats;

/* called after each line with the bytes read so far */
typedef void (*PxImportProgressFunc) (goffset done, gpointer user_data);
/* called for each record that is refused: its line number and why */
typedef void (*PxImportRejectFunc) (guint line, const char *why, gpointer user_data);

/**
 * px_import_jsonl:
 * @input: JSON Lines; a record without uid gets one derived from country, city and title
 *
 * Adds new practices and updates changed ones (by uid) through @practices, keeping each record's
 * status (published when absent). Bad records, and those the validate hooks refuse, are reported
 * through @reject and skipped. Into an empty database the
 * records load in one transaction and the full-text index is built once at the end.
 * Returns: FALSE with @error set on a read or database failure (nothing of the batch is kept)
 */
gboolean px_import_jsonl (PxPractices *practices, PxStore *store, GInputStream *input,
			  PxImportStats *stats, PxImportProgressFunc progress,
			  PxImportRejectFunc reject, gpointer user_data, GError **error);
