/* web-markdown.c: Markdown to HTML with libcmark's safe mode (its default since 0.29: raw HTML
 * and dangerous links replaced), the input's invalid UTF-8 replaced. */
#define G_LOG_DOMAIN "PxWeb"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "web-markdown.h"

char *
px_web_markdown_to_html (const char *markdown)
{
	const char *text = markdown != NULL ? markdown : "";
	char *made = cmark_markdown_to_html (text, strlen (text),
					     CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	char *html = g_strdup (made);

	/* cmark allocates with its own allocator (the C library's), not GLib's */
	free (made);
	return html;
}
