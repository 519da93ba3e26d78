/* form.c: a strict, order-keeping decoder for urlencoded forms and query strings. */
#define G_LOG_DOMAIN "PxForm"

#include <string.h>

#include "error.h"
#include "form.h"

static void
px_form_pair_free (PxFormPair *pair)
{
	g_free (pair->name);
	g_free (pair->value);
	g_free (pair);
}

static char *
px_form_unescape (const char *text, gsize len, GError **error)
{
	g_autofree char *plus = g_strndup (text, len);
	g_autofree char *decoded = NULL;

	g_strdelimit (plus, "+", ' ');
	decoded = g_uri_unescape_string (plus, NULL);
	if (decoded == NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "bad %%-escape in '%s'",
			     g_utf8_validate (plus, -1, NULL) ? plus : "?");
		return NULL;
	}
	if (!g_utf8_validate (decoded, -1, NULL)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID, "text is not valid UTF-8");
		return NULL;
	}
	for (const guchar *c = (const guchar *)decoded; *c != '\0'; c++) {
		if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') || *c == 0x7f) {
			g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
					     "text holds control characters");
			return NULL;
		}
	}
	return g_steal_pointer (&decoded);
}

GPtrArray *
px_form_pairs_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify)px_form_pair_free);
}

void
px_form_pairs_add (GPtrArray *pairs, const char *name, const char *value)
{
	PxFormPair *pair;

	if (value == NULL)
		return;
	pair = g_new0 (PxFormPair, 1);
	pair->name = g_strdup (name);
	pair->value = g_strdup (value);
	g_ptr_array_add (pairs, pair);
}

GPtrArray *
px_form_decode (const char *text, GError **error)
{
	g_autoptr (GPtrArray) pairs = px_form_pairs_new ();
	const char *cursor = text;

	while (cursor != NULL && *cursor != '\0') {
		const char *end = strchr (cursor, '&');
		gsize len = end != NULL ? (gsize)(end - cursor) : strlen (cursor);
		const char *equals = memchr (cursor, '=', len);
		g_autofree char *name = NULL;
		g_autofree char *value = NULL;

		if (len > 0) {
			gsize name_len = equals != NULL ? (gsize)(equals - cursor) : len;
			name = px_form_unescape (cursor, name_len, error);
			if (name == NULL)
				return NULL;
			value = equals != NULL
				    ? px_form_unescape (equals + 1, len - name_len - 1, error)
				    : g_strdup ("");
			if (value == NULL)
				return NULL;
			if (name[0] != '\0')
				px_form_pairs_add (pairs, name, value);
		}
		cursor = end != NULL ? end + 1 : NULL;
	}
	return g_steal_pointer (&pairs);
}
