/* timestamp.h: fixed-width UTC timestamps, sortable as text. */
#pragma once

#include <glib.h>

/* Returns: (transfer full): the current time as fixed-width UTC text, sortable as a string */
char *px_timestamp_now (void);
/* Returns: (transfer full) (nullable): @text in the fixed-width form, or NULL if not ISO 8601 */
char *px_timestamp_normalize (const char *text);
