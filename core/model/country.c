/* country.c: the shape of a country code (ISO 3166-1 alpha-2), the one rule that practices and
 * search filters share. */
#define G_LOG_DOMAIN "PxCountry"

#include <string.h>

#include "country.h"

gboolean
px_country_normalize (char *code)
{
	if (strlen (code) != 2 || !g_ascii_isalpha (code[0]) || !g_ascii_isalpha (code[1]))
		return FALSE;
	code[0] = g_ascii_toupper (code[0]);
	code[1] = g_ascii_toupper (code[1]);
	return TRUE;
}
