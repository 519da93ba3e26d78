/* web-vocabulary.h: the words the pages show for the practices' tags: the focus areas (the
 * model's list) and the themes partners choose from ([web] themes, or those the shipped
 * focus-tagger knows),
 * each with its label in the request's language. */
#pragma once

#include "web-request.h"

/* Returns: (transfer none): the themes a partner may choose, NULL-terminated, in the form's
 * order: [web] themes, or the focus-tagger's */
const char *const *px_web_vocabulary_themes (const PxWebRequest *request);
/* Returns: (transfer none): @slug's label, translated; an unknown theme's slug itself */
const char *px_web_vocabulary_theme_label (const PxWebRequest *request, const char *slug);
/* Returns: (transfer none): focus area @name's label, translated; an unknown one's name */
const char *px_web_vocabulary_focus_label (const PxWebRequest *request, const char *name);
/* Returns: (transfer none) (nullable): what focus area @name means, translated */
const char *px_web_vocabulary_focus_hint (const PxWebRequest *request, const char *name);
