/* timestamp.h: fixed-width UTC timestamps, sortable as text. */
#pragma once

#include <glib.h>

/* Returns: (transfer full) (nullable): @moment in the fixed-width form, NULL past year 9999 */
char *px_timestamp_format (GDateTime *moment);
/* Returns: (transfer full): the current time as fixed-width UTC text, sortable as a string */
char *px_timestamp_now (void);
/* Returns: (transfer full) (nullable): @moment as fixed-width UTC text, NULL past year 9999 */
char *px_timestamp_from_date_time (GDateTime *moment);
/* Returns: (transfer full) (nullable): @text in the fixed-width form, or NULL if not ISO 8601 */
char *px_timestamp_normalize (const char *text);

/**
 * px_timestamp_from_rfc822:
 * @text: a date of RFC 822 as RFC 5322 has it, with its obsolete forms: "Tue, 10 Jun 2003
 *   04:00:00 GMT", "2 Jan 06 15:04 -0700", the weekday optional, seconds optional, a two-digit
 *   year (< 50: 20xx), zones +HHMM, UT, GMT, Z and the American EST .. PDT (none: UTC)
 *
 * Returns: (transfer full) (nullable): @text in the fixed-width form, or NULL if not such a date
 */
char *px_timestamp_from_rfc822 (const char *text);
