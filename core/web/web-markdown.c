/* web-markdown.c: Markdown to safe HTML with libcmark: its safe mode (the default since 0.30;
 * CMARK_OPT_UNSAFE is never set) replaces raw HTML with a comment and drops unsafe link
 * schemes; the headings are renumbered so that the text's own outline sits under the page's. */
#define G_LOG_DOMAIN "PxWeb"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "web-markdown.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cmark_node, cmark_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cmark_iter, cmark_iter_free)

/* the heading levels the text uses, as bits 1..6 */
static guint
px_web_markdown_levels (cmark_node *root)
{
	g_autoptr (cmark_iter) iter = cmark_iter_new (root);
	cmark_event_type event;
	guint levels = 0;

	while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node (iter);

		if (event == CMARK_EVENT_ENTER && cmark_node_get_type (node) == CMARK_NODE_HEADING)
			levels |= 1u << cmark_node_get_heading_level (node);
	}
	return levels;
}

/* each level the text uses becomes the next one from @top_level on: "#" and "###" become
 * h2 and h3 under a page's h1, so that no level is skipped */
static void
px_web_markdown_renumber (cmark_node *root, guint top_level)
{
	guint levels = px_web_markdown_levels (root);
	g_autoptr (cmark_iter) iter = cmark_iter_new (root);
	guint target[7] = {0};
	guint next = top_level;
	cmark_event_type event;

	for (guint level = 1; level <= 6; level++) {
		/* MIN evaluates its arguments twice: no side effect inside it */
		if (levels & (1u << level)) {
			target[level] = MIN (next, 6);
			next++;
		}
	}
	while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node (iter);

		if (event == CMARK_EVENT_ENTER && cmark_node_get_type (node) == CMARK_NODE_HEADING)
			cmark_node_set_heading_level (
			    node, (int)target[cmark_node_get_heading_level (node)]);
	}
}

char *
px_web_markdown_to_html (const char *text, guint top_level)
{
	g_autoptr (cmark_node) root =
	    cmark_parse_document (text, strlen (text), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	char *rendered;
	char *html;

	px_web_markdown_renumber (root, CLAMP (top_level, 1, 6));
	rendered = cmark_render_html (root, CMARK_OPT_DEFAULT);
	html = g_strdup (rendered);
	free (rendered);
	return html;
}
