/* html.c: HTML escaping. Nothing user-provided reaches HTML except through here. */
#define G_LOG_DOMAIN "PxHtml"

#include <string.h>

#include "html.h"

void
px_html_append_escaped (GString *out, const char *text)
{
	for (const char *c = text; *c != '\0'; c++) {
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

char *
px_html_escape (const char *text)
{
	g_autoptr (GString) out = g_string_sized_new (strlen (text) + 16);

	px_html_append_escaped (out, text);
	return g_string_free (g_steal_pointer (&out), FALSE);
}
