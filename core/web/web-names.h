/* web-names.h: the names the pages show for the codes practices carry: countries (ISO 3166-1
 * alpha-2) and languages (BCP 47), in the request's language. */
#pragma once

#include "web-request.h"

/* Returns: (transfer none): the country's name ("SE": "Sweden"), translated; an unknown code
 * itself */
const char *px_web_names_country (const PxWebRequest *request, const char *code);
/* Returns: (transfer none): the language's name ("sv", "sv-FI": "Swedish"), translated; an
 * unknown tag itself */
const char *px_web_names_language (const PxWebRequest *request, const char *tag);
