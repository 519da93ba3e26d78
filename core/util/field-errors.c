/* field-errors.c: PxFieldError, the list of what is wrong with a submission, one entry per
 * offending field, as validation builds it and problem+json shows it. */
#define G_LOG_DOMAIN "PxFieldErrors"

#include "field-errors.h"

static void
px_field_error_free (PxFieldError *error)
{
	g_free (error->field);
	g_free (error->message);
	g_free (error);
}

GPtrArray *
px_field_errors_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify)px_field_error_free);
}

void
px_field_errors_add (GPtrArray *errors, const char *field, const char *format, ...)
{
	PxFieldError *error = g_new0 (PxFieldError, 1);
	va_list args;

	va_start (args, format);
	error->field = g_strdup (field);
	error->message = g_strdup_vprintf (format, args);
	va_end (args);
	g_ptr_array_add (errors, error);
}

char *
px_field_errors_to_string (const GPtrArray *errors)
{
	GString *text = g_string_new (NULL);

	for (guint i = 0; i < errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (errors, i);
		g_string_append_printf (text, "%s%s %s", i > 0 ? "; " : "", error->field,
					error->message);
	}
	return g_string_free (text, FALSE);
}
