/* field-errors.h: PxFieldError, one entry per offending field of a submission. */
#pragma once

#include <glib.h>

/* the error list of a validation: one entry per offending field */
typedef struct {
	char *field;
	char *message;
} PxFieldError;

/* Returns: (transfer full): an array for px_field_error entries */
GPtrArray *px_field_errors_new (void);
void px_field_errors_add (GPtrArray *errors, const char *field, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
/* Returns: (transfer full): "field message; field message", the errors on one line */
char *px_field_errors_to_string (const GPtrArray *errors);
