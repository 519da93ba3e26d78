/* html.h: escaping for HTML text and attributes, and highlighted words. */
#pragma once

#include <glib.h>

/* appends @text with & < > " ' escaped */
void px_html_append_escaped (GString *out, const char *text);
/* appends the @length bytes at @text, escaped */
void px_html_append_escaped_len (GString *out, const char *text, gsize length);
/* appends the @length bytes at @text escaped, inside <mark></mark> */
void px_html_append_mark (GString *out, const char *text, gsize length);
