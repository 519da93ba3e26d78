/* web-markdown.h: Markdown (CommonMark, libcmark) rendered to HTML that is safe to show: raw
 * HTML is left out and links or images whose scheme is not safe (javascript:, vbscript:, file:,
 * data: but for images) lose their address; headings are moved down below the page's own. */
#pragma once

#include <glib.h>

/**
 * px_web_markdown_to_html:
 * @text: Markdown (UTF-8)
 * @top_level: the level the text's highest headings become (2: its "#" is an <h2>); the
 *   others follow in order, none deeper than 6
 *
 * Returns: (transfer full): the HTML
 */
char *px_web_markdown_to_html (const char *text, guint top_level);
