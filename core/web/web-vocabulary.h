/* web-vocabulary.h: the words the pages show for a practice's tags and state: the focus areas
 * (the model's list), the themes partners choose from ([web] themes, or those the shipped
 * focus-tagger knows) and the moderation states, each in the request's language. */
#pragma once

#include "model/status.h"
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
/* Returns: (transfer none): moderation state @status as its partner and the moderators read it,
 * translated */
const char *px_web_vocabulary_status_label (const PxWebRequest *request, PxStatus status);
