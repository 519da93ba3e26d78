/* html.c: HTML escaping, and the <mark> around highlighted words. Nothing user-provided reaches
 * HTML except through here. */
#define G_LOG_DOMAIN "PxHtml"

#include <string.h>

#include "html.h"

void
px_html_append_escaped_len (GString *out, const char *text, gsize length)
{
	for (const char *c = text; c < text + length; c++) {
		switch (*c) {
		case '&':
			g_string_append (out, "&amp;");
			break;
		case '<':
			g_string_append (out, "&lt;");
			break;
		case '>':
			g_string_append (out, "&gt;");
			break;
		case '"':
			g_string_append (out, "&quot;");
			break;
		case '\'':
			g_string_append (out, "&#39;");
			break;
		default:
			g_string_append_c (out, *c);
			break;
		}
	}
}

void
px_html_append_escaped (GString *out, const char *text)
{
	px_html_append_escaped_len (out, text, strlen (text));
}

void
px_html_append_mark (GString *out, const char *text, gsize length)
{
	g_string_append (out, "<mark>");
	px_html_append_escaped_len (out, text, length);
	g_string_append (out, "</mark>");
}
