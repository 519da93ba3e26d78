/* web-markdown.h: a practice's Markdown (body) as HTML, made safe: libcmark (CommonMark) with
 * raw HTML left out and links of dangerous schemes (javascript:, vbscript:, file:, data: but
 * images) dropped. The one place the web pages render Markdown. */
#pragma once

#include <glib.h>

/* Returns: (transfer full): @markdown (UTF-8, nullable: "") as HTML that a page may put in a
 * {{{name_html}}} slot */
char *px_web_markdown_to_html (const char *markdown);
