/* language.c: the shape of a BCP 47 language tag ("sv", "pt-BR"), as practices and search
 * filters accept it. */
#define G_LOG_DOMAIN "PxLanguage"

#include <string.h>

#include "language.h"

static gboolean
px_language_is_alnum_run (const char *text, gsize len, gsize min, gsize max)
{
	if (len < min || len > max)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum (text[i]))
			return FALSE;
	}
	return TRUE;
}

gboolean
px_language_tag_is_valid (const char *text)
{
	g_auto (GStrv) parts = g_strsplit (text, "-", 0);

	if (parts[0] == NULL || !px_language_is_alnum_run (parts[0], strlen (parts[0]), 2, 3))
		return FALSE;
	for (guint i = 0; parts[0][i] != '\0'; i++) {
		if (!g_ascii_isalpha (parts[0][i]))
			return FALSE;
	}
	for (guint i = 1; parts[i] != NULL; i++) {
		if (!px_language_is_alnum_run (parts[i], strlen (parts[i]), 1, 8))
			return FALSE;
	}
	return TRUE;
}
