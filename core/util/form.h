/* form.h: decoding of application/x-www-form-urlencoded text (URL queries and form bodies)
 * into ordered name/value pairs. libsoup 3.2's soup_form_decode keeps only the last of repeated
 * names and truncates at %00; this decoder keeps every value and refuses bad input. */
#pragma once

#include <glib.h>

typedef struct {
	char *name;
	char *value;
} PxFormPair;

/**
 * px_form_decode:
 * @text: (nullable): "a=1&b=x+y&a=2"
 *
 * Returns: (transfer full) (element-type PxFormPair): the pairs in order, or NULL with
 * PX_ERROR_INVALID for a bad %-escape, an escaped NUL, invalid UTF-8 or a control character
 */
GPtrArray *px_form_decode (const char *text, GError **error);

/* Returns: (transfer full) (element-type PxFormPair): an empty list of pairs */
GPtrArray *px_form_pairs_new (void);
/* appends a copy of @name=@value; a NULL @value adds nothing */
void px_form_pairs_add (GPtrArray *pairs, const char *name, const char *value);
