/* country.h: countries as practices and filters give them: ISO 3166-1 alpha-2 codes. */
#pragma once

#include <glib.h>

/* Returns: TRUE if @code is two ASCII letters, which it then puts in upper case ("se" -> "SE") */
gboolean px_country_normalize (char *code);
