/* language.h: language tags as practices and filters give them. */
#pragma once

#include <glib.h>

/* Returns: TRUE if @text is a BCP 47-shaped tag ("en", "sv", "pt-BR") */
gboolean px_language_tag_is_valid (const char *text);
