/* jsonl.h: the native JSON Lines exchange format: one practice (or tombstone) per line, written
 * by export and read by import, so that export -> import -> export is lossless. */
#pragma once

#include <gio/gio.h>

#include "practice.h"
#include "store/store.h"

typedef struct {
	guint added, updated, unchanged, rejected;
} PxImportStats;

/* called after each line with the bytes read so far */
typedef void (*PxImportProgressFunc) (goffset done, gpointer user_data);
/* called for each record that is refused: its line number and why */
typedef void (*PxImportRejectFunc) (guint line, const char *why, gpointer user_data);

/* Returns: (transfer full): @practice as one line of JSON, newline included */
char *px_jsonl_format_practice (const PxPractice *practice, PxView view);
/* Returns: (transfer full): {"uid", "status": "deleted", "updated_at"} and a newline */
char *px_jsonl_format_tombstone (const char *uid, const char *deleted_at);
/* Returns: (transfer full): the line of what px_export_all() reports: @practice, else a tombstone
 */
char *px_jsonl_format_change (const PxPractice *practice, const char *tombstone_uid,
			      const char *tombstone_at, PxView view);

/**
 * px_jsonl_import:
 * @input: JSON Lines; a record without uid gets one derived from country, city and title
 *
 * Adds new practices and updates changed ones (by uid), keeping each record's status (published
 * when absent). Bad records are reported through @reject and skipped. Into an empty database the
 * records load in one transaction and the full-text index is built once at the end.
 * Returns: FALSE with @error set on a read or database failure (nothing of the batch is kept)
 */
gboolean px_jsonl_import (PxStore *store, GInputStream *input, PxImportStats *stats,
			  PxImportProgressFunc progress, PxImportRejectFunc reject,
			  gpointer user_data, GError **error);
