/* html.h: escaping for HTML text and attributes. */
#pragma once

#include <glib.h>

/* appends @text with & < > " ' escaped */
void px_html_append_escaped (GString *out, const char *text);
/* Returns: (transfer full): @text escaped */
char *px_html_escape (const char *text);
