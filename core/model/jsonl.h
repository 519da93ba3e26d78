/* jsonl.h: the native JSON Lines exchange format: one practice (or tombstone) per line, written
 * by export and read by import, so that export -> import -> export is lossless. */
#pragma once

#include <glib.h>

#include "practice.h"

/* Returns: (transfer full): @practice as one line of JSON, newline included */
char *px_jsonl_format_practice (const PxPractice *practice, PxView view);
/* Returns: (transfer full): {"uid", "status": "deleted", "updated_at"} and a newline */
char *px_jsonl_format_tombstone (const char *uid, const char *deleted_at);
/* Returns: (transfer full): the line of what px_export_page() reports: @practice, else a
 * tombstone */
char *px_jsonl_format_change (const PxPractice *practice, const char *tombstone_uid,
			      const char *tombstone_at, PxView view);

/**
 * px_jsonl_parse_practice:
 * @line: one line of JSON Lines, without its newline
 * @why: (out) (transfer full): why the line is refused, when it is
 *
 * Reads every field the format carries, status kept (published when absent), and applies the
 * model's rules; a record without uid gets one derived from country, city and title.
 * Returns: (transfer full): the practice of one line, or NULL with @why set
 */
PxPractice *px_jsonl_parse_practice (const char *line, gsize length, char **why);
/* the same from a parsed object, with @status where the record names none */
PxPractice *px_jsonl_read_practice (JsonObject *object, PxStatus status, char **why);
