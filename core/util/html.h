/* html.h: escaping for HTML text and attributes, and the <mark> rendering of FTS5 highlights. */
#pragma once

#include <glib.h>

/* the markers search asks FTS5 to put around matches, replaced by <mark> after escaping */
#define PX_HTML_MARK_OPEN "\x01"
#define PX_HTML_MARK_CLOSE "\x02"

/* appends @text with & < > " ' escaped */
void px_html_append_escaped (GString *out, const char *text);
/* Returns: (transfer full): @text escaped, with the match markers turned into <mark> elements */
char *px_html_render_marked (const char *text);
