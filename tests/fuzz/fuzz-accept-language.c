/* fuzz-accept-language.c: libFuzzer target for the choice of the interface's language from an
 * Accept-Language header (and a cookie's value): any bytes choose one of the languages the
 * interface speaks, never anything else, and never read past the text. */
#include <string.h>

#include "i18n/i18n.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	static PxI18n *i18n = NULL;
	g_autofree char *text = g_strndup ((const char *)data, size);
	const char *chosen[2];

	if (i18n == NULL)
		i18n = px_i18n_new (NULL);
	chosen[0] = px_i18n_choose (i18n, NULL, text);
	chosen[1] = px_i18n_choose (i18n, text, NULL);
	for (guint c = 0; c < G_N_ELEMENTS (chosen); c++) {
		const char *const *languages = px_i18n_languages (i18n);
		gboolean known = FALSE;

		for (guint i = 0; languages[i] != NULL; i++)
			known = known || strcmp (chosen[c], languages[i]) == 0;
		if (!known)
			__builtin_trap ();
	}
	return 0;
}
