/* feed.c: PxFeed, RSS and Atom read with libxml2. The parser never substitutes entities, loads
 * no DTD and no network resource, and stops at the first entity declaration (XXE, billion
 * laughs); HTML in summaries goes through libxml2's HTML parser and comes out as plain text. */
#define G_LOG_DOMAIN "PxFeed"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <string.h>

#include "error.h"
#include "feed.h"
#include "timestamp.h"

#define PX_NS_ATOM "http://www.w3.org/2005/Atom"
#define PX_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define PX_NS_RSS1 "http://purl.org/rss/1.0/"
#define PX_NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define PX_NS_DC "http://purl.org/dc/elements/1.1/"
#define PX_NS_DCTERMS "http://purl.org/dc/terms/"
#define PX_NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* what the parser must never do: substitute entities (NOENT), load a DTD (DTDLOAD, DTDATTR,
 * DTDVALID), lift its limits on depth and text size (HUGE), include (XINCLUDE), reach out (NONET
 * forbids it) */
#define PX_FEED_XML_OPTIONS                                                              \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	 XML_PARSE_BIG_LINES)
#define PX_FEED_HTML_OPTIONS (HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
typedef xmlChar PxXmlText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxXmlText, xmlFree)

/* what the handlers of the parse saw */
typedef struct {
	char *entity; /* the first entity declared, or NULL */
	int line;
	char *fault; /* the first error, or NULL */
	int fault_line;
} PxFeedParse;

static void
px_feed_entry_free (PxFeedEntry *entry)
{
	g_free (entry->id);
	g_free (entry->title);
	g_free (entry->link);
	g_free (entry->summary);
	g_free (entry->published);
	g_free (entry->updated);
	g_free (entry->author);
	g_free (entry->language);
	g_ptr_array_unref (entry->categories);
	g_free (entry);
}

void
px_feed_free (PxFeed *feed)
{
	if (feed == NULL)
		return;
	g_free (feed->title);
	g_free (feed->link);
	g_free (feed->language);
	g_ptr_array_unref (feed->entries);
	g_free (feed);
}

const char *
px_feed_format_to_string (PxFeedFormat format)
{
	switch (format) {
	case PX_FEED_RSS2:
		return "rss2";
	case PX_FEED_RSS1:
		return "rss1";
	case PX_FEED_ATOM:
		return "atom";
	}
	return "rss2";
}

/* Returns: TRUE when @node is the element @name in the namespace @ns (NULL: in none) */
static gboolean
px_feed_is (const xmlNode *node, const char *ns, const char *name)
{
	if (node == NULL || node->type != XML_ELEMENT_NODE ||
	    strcmp ((const char *)node->name, name) != 0)
		return FALSE;
	if (ns == NULL)
		return node->ns == NULL;
	return node->ns != NULL && node->ns->href != NULL &&
	       strcmp ((const char *)node->ns->href, ns) == 0;
}

/* Returns: (transfer none) (nullable): the first child of @parent that is @ns:@name */
static xmlNode *
px_feed_child (const xmlNode *parent, const char *ns, const char *name)
{
	for (xmlNode *child = parent->children; child != NULL; child = child->next)
		if (px_feed_is (child, ns, name))
			return child;
	return NULL;
}

static void
px_feed_append_space (GString *out)
{
	if (out->len > 0 && out->str[out->len - 1] != ' ')
		g_string_append_c (out, ' ');
}

/* appends @text with its runs of white space (and control characters) as one space, without
 * one at the start, and drops what is not UTF-8 */
static void
px_feed_append_collapsed (GString *out, const char *text)
{
	const char *at = text;

	while (*at != '\0') {
		gunichar c = g_utf8_get_char_validated (at, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			at++;
			continue;
		}
		if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0xfeff)
			px_feed_append_space (out);
		else
			g_string_append_unichar (out, c);
		at = g_utf8_next_char (at);
	}
}

/* Returns: (transfer full) (nullable): @out trimmed and cut at PX_FEED_MAX_TEXT bytes (at a
 * space near the end where there is one, then "…"); NULL when empty */
static char *
px_feed_finish_text (GString *out)
{
	const gsize limit = PX_FEED_MAX_TEXT - strlen ("…");

	while (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate (out, out->len - 1);
	if (out->len == 0) {
		g_string_free (out, TRUE);
		return NULL;
	}
	if (out->len > PX_FEED_MAX_TEXT) {
		gsize cut = limit;
		while (cut > 0 && (out->str[cut] & 0xc0) == 0x80)
			cut--;
		for (gsize space = cut; space > 0 && space + 64 > cut; space--) {
			if (out->str[space] == ' ') {
				cut = space;
				break;
			}
		}
		g_string_truncate (out, cut);
		g_string_append (out, "…");
	}
	return g_string_free (out, FALSE);
}

/* Returns: (transfer full) (nullable): the text of @node and its descendants, collapsed */
static char *
px_feed_text (const xmlNode *node)
{
	g_autoptr (PxXmlText) content = NULL;
	GString *out = g_string_new (NULL);

	if (node != NULL && (content = xmlNodeGetContent (node)) != NULL)
		px_feed_append_collapsed (out, (const char *)content);
	return px_feed_finish_text (out);
}

/* Returns: (transfer full) (nullable): the text of @node trimmed, uncut (an id, a link) */
static char *
px_feed_token (const xmlNode *node)
{
	g_autoptr (PxXmlText) content = NULL;
	g_autofree char *valid = NULL;

	if (node == NULL || (content = xmlNodeGetContent (node)) == NULL)
		return NULL;
	valid = g_utf8_make_valid ((const char *)content, -1);
	g_strstrip (valid);
	return valid[0] != '\0' ? g_steal_pointer (&valid) : NULL;
}

static gboolean
px_feed_is_skipped_html (const xmlNode *node)
{
	static const char *const skipped[] = {"script", "style", "head", "noscript", "template"};

	for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
		if (g_ascii_strcasecmp ((const char *)node->name, skipped[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Returns: TRUE for an element that separates words (a paragraph, a line break, a cell) */
static gboolean
px_feed_is_block_html (const xmlNode *node)
{
	static const char *const blocks[] = {
	    "address", "article", "aside",  "blockquote", "br",	     "dd",	   "div",
	    "dl",      "dt",	  "figure", "footer",	  "h1",	     "h2",	   "h3",
	    "h4",      "h5",	  "h6",	    "header",	  "hr",	     "img",	   "li",
	    "main",    "nav",	  "ol",	    "p",	  "pre",     "section",	   "table",
	    "td",      "th",	  "tr",	    "ul",	  "caption", "figcaption",
	};

	for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
		if (g_ascii_strcasecmp ((const char *)node->name, blocks[i]) == 0)
			return TRUE;
	return FALSE;
}

/* appends the text under @root (an HTML document, or an XHTML element), a space between blocks;
 * iterative, so that no nesting can exhaust the stack */
static void
px_feed_append_markup_text (GString *out, xmlNode *root)
{
	xmlNode *node = root->children;

	while (node != NULL) {
		if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
			px_feed_append_collapsed (out, (const char *)node->content);
		} else if (node->type == XML_ELEMENT_NODE && !px_feed_is_skipped_html (node)) {
			if (px_feed_is_block_html (node))
				px_feed_append_space (out);
			if (node->children != NULL) {
				node = node->children;
				continue;
			}
		}
		while (node->next == NULL) {
			node = node->parent;
			if (node == NULL || node == root)
				return;
			if (px_feed_is_block_html (node))
				px_feed_append_space (out);
		}
		node = node->next;
	}
}

/* Returns: (transfer full) (nullable): @html as plain text */
static char *
px_feed_html_to_text (const char *html)
{
	g_autoptr (xmlParserCtxt) context = NULL;
	g_autoptr (xmlDoc) doc = NULL;
	GString *out = g_string_new (NULL);
	gsize length = strlen (html);

	if (length == 0)
		return px_feed_finish_text (out);
	context = htmlNewParserCtxt ();
	if (context != NULL)
		doc = htmlCtxtReadMemory (context, html, (int)length, NULL, "UTF-8",
					  PX_FEED_HTML_OPTIONS);
	if (doc == NULL)
		px_feed_append_collapsed (out, html);
	else
		px_feed_append_markup_text (out, (xmlNode *)doc);
	return px_feed_finish_text (out);
}

/* Returns: (transfer full) (nullable): the element's text, its HTML stripped */
static char *
px_feed_html_text (const xmlNode *node)
{
	g_autoptr (PxXmlText) content = NULL;

	if (node == NULL || (content = xmlNodeGetContent (node)) == NULL)
		return NULL;
	return px_feed_html_to_text ((const char *)content);
}

/* Returns: (transfer full) (nullable): an Atom text construct (type text, html or xhtml) as plain
 * text; a content of another type, or one with src, gives NULL */
static char *
px_feed_atom_text (xmlNode *node)
{
	g_autoptr (PxXmlText) type = NULL;
	g_autoptr (PxXmlText) src = NULL;
	GString *out;

	if (node == NULL)
		return NULL;
	type = xmlGetNoNsProp (node, (const xmlChar *)"type");
	src = xmlGetNoNsProp (node, (const xmlChar *)"src");
	if (src != NULL)
		return NULL;
	if (type == NULL || strcmp ((const char *)type, "text") == 0 ||
	    g_str_has_prefix ((const char *)type, "text/plain"))
		return px_feed_text (node);
	if (strcmp ((const char *)type, "html") == 0 ||
	    g_str_has_prefix ((const char *)type, "text/html"))
		return px_feed_html_text (node);
	if (strcmp ((const char *)type, "xhtml") != 0 &&
	    !g_str_has_prefix ((const char *)type, "application/xhtml+xml"))
		return NULL;
	out = g_string_new (NULL);
	px_feed_append_markup_text (out, node);
	return px_feed_finish_text (out);
}

/* Returns: (transfer full) (nullable): @href resolved against @node's xml:base or the document's
 * URL */
static char *
px_feed_resolve (const xmlNode *node, const char *href)
{
	g_autoptr (PxXmlText) base = NULL;
	g_autoptr (PxXmlText) resolved = NULL;
	g_autofree char *trimmed = NULL;

	if (href == NULL)
		return NULL;
	trimmed = g_utf8_make_valid (href, -1);
	g_strstrip (trimmed);
	if (trimmed[0] == '\0')
		return NULL;
	base = xmlNodeGetBase (node->doc, node);
	if (base != NULL)
		resolved = xmlBuildURI ((const xmlChar *)trimmed, base);
	if (resolved != NULL)
		return g_utf8_make_valid ((const char *)resolved, -1);
	return g_steal_pointer (&trimmed);
}

/* Returns: (transfer full) (nullable): an ISO 8601 / RFC 3339 date as a Praxis timestamp; a bare
 * date (W3C-DTF "2003-12-13") is taken as midnight UTC */
static char *
px_feed_iso_date (const xmlNode *node)
{
	g_autofree char *text = px_feed_token (node);
	g_autofree char *midnight = NULL;

	if (text == NULL)
		return NULL;
	if (strlen (text) == 10 && text[4] == '-' && text[7] == '-') {
		midnight = g_strconcat (text, "T00:00:00Z", NULL);
		return px_timestamp_normalize (midnight);
	}
	return px_timestamp_normalize (text);
}

/* Returns: (transfer full) (nullable): an RSS date: RFC 822, or ISO 8601 as some feeds write */
static char *
px_feed_rss_date (const xmlNode *node)
{
	g_autofree char *text = px_feed_token (node);
	char *parsed;

	if (text == NULL)
		return NULL;
	parsed = px_timestamp_from_rfc822 (text);
	return parsed != NULL ? parsed : px_feed_iso_date (node);
}

/* Returns: (transfer full) (nullable): xml:lang in scope at @node */
static char *
px_feed_lang (const xmlNode *node)
{
	g_autoptr (PxXmlText) lang = xmlNodeGetLang (node);
	g_autofree char *valid = NULL;

	if (lang == NULL)
		return NULL;
	valid = g_utf8_make_valid ((const char *)lang, -1);
	g_strstrip (valid);
	return valid[0] != '\0' ? g_steal_pointer (&valid) : NULL;
}

static void
px_feed_add_category (PxFeedEntry *entry, char *category)
{
	if (category == NULL)
		return;
	if (entry->categories->len >= PX_FEED_MAX_CATEGORIES ||
	    g_ptr_array_find_with_equal_func (entry->categories, category, g_str_equal, NULL)) {
		g_free (category);
		return;
	}
	g_ptr_array_add (entry->categories, category);
}

static PxFeedEntry *
px_feed_entry_new (void)
{
	PxFeedEntry *entry = g_new0 (PxFeedEntry, 1);

	entry->categories = g_ptr_array_new_with_free_func (g_free);
	return entry;
}

/* the first non-NULL of @first and @second; the other is freed */
static char *
px_feed_either (char *first, char *second)
{
	if (first != NULL) {
		g_free (second);
		return first;
	}
	return second;
}

/* an <item> of RSS 2.0 (@ns NULL) or of RSS 1.0 (@ns its namespace) */
static PxFeedEntry *
px_feed_read_rss_item (xmlNode *item, const char *ns, const PxFeed *feed)
{
	PxFeedEntry *entry = px_feed_entry_new ();
	g_autofree char *link_text = px_feed_token (px_feed_child (item, ns, "link"));

	entry->link = px_feed_resolve (item, link_text);
	if (ns == NULL) {
		entry->id = px_feed_token (px_feed_child (item, NULL, "guid"));
	} else {
		g_autoptr (PxXmlText) about =
		    xmlGetNsProp (item, (const xmlChar *)"about", (const xmlChar *)PX_NS_RDF);
		if (about != NULL)
			entry->id = px_feed_resolve (item, (const char *)about);
	}
	if (entry->id == NULL)
		entry->id = g_strdup (entry->link);
	entry->title = px_feed_text (px_feed_child (item, ns, "title"));
	entry->summary =
	    px_feed_either (px_feed_html_text (px_feed_child (item, ns, "description")),
			    px_feed_html_text (px_feed_child (item, PX_NS_CONTENT, "encoded")));
	entry->published = px_feed_either (
	    ns == NULL ? px_feed_rss_date (px_feed_child (item, NULL, "pubDate")) : NULL,
	    px_feed_iso_date (px_feed_child (item, PX_NS_DC, "date")));
	entry->updated =
	    px_feed_either (px_feed_iso_date (px_feed_child (item, PX_NS_ATOM, "updated")),
			    px_feed_iso_date (px_feed_child (item, PX_NS_DCTERMS, "modified")));
	entry->author =
	    px_feed_either (ns == NULL ? px_feed_text (px_feed_child (item, NULL, "author")) : NULL,
			    px_feed_text (px_feed_child (item, PX_NS_DC, "creator")));
	entry->language = px_feed_either (px_feed_text (px_feed_child (item, PX_NS_DC, "language")),
					  px_feed_lang (item));
	if (entry->language == NULL)
		entry->language = g_strdup (feed->language);
	for (xmlNode *child = item->children; child != NULL; child = child->next) {
		if ((ns == NULL && px_feed_is (child, NULL, "category")) ||
		    px_feed_is (child, PX_NS_DC, "subject"))
			px_feed_add_category (entry, px_feed_text (child));
	}
	return entry;
}

/* Returns: (transfer full) (nullable): the href of the rel="alternate" link among the children
 * of @parent (a link without rel is one), else of the first link */
static char *
px_feed_atom_link (xmlNode *parent)
{
	xmlNode *first = NULL;

	for (xmlNode *child = parent->children; child != NULL; child = child->next) {
		g_autoptr (PxXmlText) rel = NULL;
		g_autoptr (PxXmlText) href = NULL;

		if (!px_feed_is (child, PX_NS_ATOM, "link"))
			continue;
		href = xmlGetNoNsProp (child, (const xmlChar *)"href");
		if (href == NULL)
			continue;
		if (first == NULL)
			first = child;
		rel = xmlGetNoNsProp (child, (const xmlChar *)"rel");
		if (rel == NULL || strcmp ((const char *)rel, "alternate") == 0 ||
		    strcmp ((const char *)rel,
			    "http://www.iana.org/assignments/relation/alternate") == 0)
			return px_feed_resolve (child, (const char *)href);
	}
	if (first != NULL) {
		g_autoptr (PxXmlText) href = xmlGetNoNsProp (first, (const xmlChar *)"href");
		return px_feed_resolve (first, (const char *)href);
	}
	return NULL;
}

/* Returns: (transfer full) (nullable): the names of the <author>s among @parent's children */
static char *
px_feed_atom_authors (const xmlNode *parent)
{
	GString *out = g_string_new (NULL);

	for (xmlNode *child = parent->children; child != NULL; child = child->next) {
		g_autofree char *name = NULL;
		if (!px_feed_is (child, PX_NS_ATOM, "author"))
			continue;
		name = px_feed_text (px_feed_child (child, PX_NS_ATOM, "name"));
		if (name == NULL)
			continue;
		if (out->len > 0)
			g_string_append (out, ", ");
		g_string_append (out, name);
	}
	return px_feed_finish_text (out);
}

static PxFeedEntry *
px_feed_read_atom_entry (xmlNode *node, const PxFeed *feed, const char *feed_author)
{
	PxFeedEntry *entry = px_feed_entry_new ();
	xmlNode *source = px_feed_child (node, PX_NS_ATOM, "source");

	entry->link = px_feed_atom_link (node);
	entry->id = px_feed_either (px_feed_token (px_feed_child (node, PX_NS_ATOM, "id")),
				    g_strdup (entry->link));
	entry->title = px_feed_atom_text (px_feed_child (node, PX_NS_ATOM, "title"));
	entry->summary =
	    px_feed_either (px_feed_atom_text (px_feed_child (node, PX_NS_ATOM, "summary")),
			    px_feed_atom_text (px_feed_child (node, PX_NS_ATOM, "content")));
	entry->published = px_feed_iso_date (px_feed_child (node, PX_NS_ATOM, "published"));
	entry->updated = px_feed_iso_date (px_feed_child (node, PX_NS_ATOM, "updated"));
	entry->author = px_feed_atom_authors (node);
	if (entry->author == NULL && source != NULL)
		entry->author = px_feed_atom_authors (source);
	if (entry->author == NULL)
		entry->author = g_strdup (feed_author);
	entry->language = px_feed_lang (node);
	if (entry->language == NULL)
		entry->language = g_strdup (feed->language);
	for (xmlNode *child = node->children; child != NULL; child = child->next) {
		g_autoptr (PxXmlText) term = NULL;
		GString *out;
		if (!px_feed_is (child, PX_NS_ATOM, "category"))
			continue;
		term = xmlGetNoNsProp (child, (const xmlChar *)"term");
		if (term == NULL)
			continue;
		out = g_string_new (NULL);
		px_feed_append_collapsed (out, (const char *)term);
		px_feed_add_category (entry, px_feed_finish_text (out));
	}
	return entry;
}

static gboolean
px_feed_add_entry (PxFeed *feed, PxFeedEntry *entry, GError **error)
{
	g_ptr_array_add (feed->entries, entry);
	if (feed->entries->len > PX_FEED_MAX_ENTRIES) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the feed holds more than %d entries", PX_FEED_MAX_ENTRIES);
		return FALSE;
	}
	return TRUE;
}

static gboolean
px_feed_read_rss2 (PxFeed *feed, xmlNode *root, GError **error)
{
	xmlNode *channel = px_feed_child (root, NULL, "channel");
	g_autofree char *link = NULL;

	if (channel == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "an RSS feed without a <channel>");
		return FALSE;
	}
	feed->format = PX_FEED_RSS2;
	feed->title = px_feed_text (px_feed_child (channel, NULL, "title"));
	link = px_feed_token (px_feed_child (channel, NULL, "link"));
	feed->link = px_feed_resolve (channel, link);
	feed->language = px_feed_either (
	    px_feed_either (px_feed_text (px_feed_child (channel, NULL, "language")),
			    px_feed_text (px_feed_child (channel, PX_NS_DC, "language"))),
	    px_feed_lang (channel));
	for (xmlNode *child = channel->children; child != NULL; child = child->next) {
		if (px_feed_is (child, NULL, "item") &&
		    !px_feed_add_entry (feed, px_feed_read_rss_item (child, NULL, feed), error))
			return FALSE;
	}
	return TRUE;
}

/* RSS 1.0 and 0.90: the channel and the items are siblings under rdf:RDF */
static gboolean
px_feed_read_rss1 (PxFeed *feed, xmlNode *root, GError **error)
{
	const char *ns = PX_NS_RSS1;
	xmlNode *channel = px_feed_child (root, ns, "channel");
	g_autofree char *link = NULL;

	if (channel == NULL) {
		ns = PX_NS_RSS090;
		channel = px_feed_child (root, ns, "channel");
	}
	if (channel == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "an RDF document without an RSS <channel>");
		return FALSE;
	}
	feed->format = PX_FEED_RSS1;
	feed->title = px_feed_text (px_feed_child (channel, ns, "title"));
	link = px_feed_token (px_feed_child (channel, ns, "link"));
	feed->link = px_feed_resolve (channel, link);
	feed->language = px_feed_either (
	    px_feed_text (px_feed_child (channel, PX_NS_DC, "language")), px_feed_lang (channel));
	for (xmlNode *child = root->children; child != NULL; child = child->next) {
		if (px_feed_is (child, ns, "item") &&
		    !px_feed_add_entry (feed, px_feed_read_rss_item (child, ns, feed), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
px_feed_read_atom (PxFeed *feed, xmlNode *root, GError **error)
{
	g_autofree char *author = NULL;

	feed->format = PX_FEED_ATOM;
	feed->title = px_feed_atom_text (px_feed_child (root, PX_NS_ATOM, "title"));
	feed->link = px_feed_atom_link (root);
	feed->language = px_feed_lang (root);
	author = px_feed_atom_authors (root);
	for (xmlNode *child = root->children; child != NULL; child = child->next) {
		if (px_feed_is (child, PX_NS_ATOM, "entry") &&
		    !px_feed_add_entry (feed, px_feed_read_atom_entry (child, feed, author), error))
			return FALSE;
	}
	return TRUE;
}

/* SAX: an entity declared in the DTD stops the parser; it is never registered, so nothing can
 * refer to it */
static void
px_feed_entity_decl_cb (void *user_data, const xmlChar *name, int type, const xmlChar *public_id,
			const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxt *context = user_data;
	PxFeedParse *parse = context->_private;

	if (parse->entity == NULL) {
		parse->entity = g_utf8_make_valid ((const char *)name, -1);
		parse->line = xmlSAX2GetLineNumber (context);
	}
	xmlStopParser (context);
}

static void
px_feed_unparsed_entity_decl_cb (void *user_data, const xmlChar *name, const xmlChar *public_id,
				 const xmlChar *system_id, const xmlChar *notation)
{
	px_feed_entity_decl_cb (user_data, name, 0, public_id, system_id, NULL);
}

/* errors: the first is kept (libxml2 keeps the last, often a consequence of the first) */
static void
px_feed_error_cb (void *user_data, xmlError *fault)
{
	xmlParserCtxt *context = user_data;
	PxFeedParse *parse = context->_private;

	if (parse->fault != NULL || fault->level < XML_ERR_ERROR)
		return;
	parse->fault = g_utf8_make_valid (fault->message != NULL ? fault->message : "not XML", -1);
	g_strchomp (parse->fault);
	g_strdelimit (parse->fault, "\n", ' ');
	parse->fault_line = fault->line;
}

static xmlDoc *
px_feed_read_xml (const char *data, gsize length, const char *base, GError **error)
{
	static gsize initialized = 0;
	g_autoptr (xmlParserCtxt) context = NULL;
	g_autoptr (xmlDoc) doc = NULL;
	g_autofree char *entity = NULL;
	g_autofree char *fault = NULL;
	PxFeedParse parse = {NULL, 0, NULL, 0};

	if (g_once_init_enter (&initialized)) {
		xmlInitParser ();
		g_once_init_leave (&initialized, 1);
	}
	context = xmlCreateMemoryParserCtxt (data, (int)length);
	if (context == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID, "malformed XML: empty");
		return NULL;
	}
	xmlCtxtUseOptions (context, PX_FEED_XML_OPTIONS);
	/* what the options already say, in case a global default of libxml2 said otherwise */
	context->replaceEntities = 0;
	context->loadsubset = 0;
	context->validate = 0;
	context->sax->entityDecl = px_feed_entity_decl_cb;
	context->sax->unparsedEntityDecl = px_feed_unparsed_entity_decl_cb;
	context->sax->serror = px_feed_error_cb;
	context->_private = &parse;
	xmlParseDocument (context);
	doc = g_steal_pointer (&context->myDoc);
	entity = g_steal_pointer (&parse.entity);
	fault = g_steal_pointer (&parse.fault);
	if (entity != NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the feed declares the entity \"%s\" (line %d): entities are refused",
			     entity, parse.line);
		return NULL;
	}
	if (!context->wellFormed || doc == NULL) {
		const xmlError *last = xmlCtxtGetLastError (context);
		if (fault == NULL && last != NULL && last->message != NULL) {
			fault = g_utf8_make_valid (last->message, -1);
			g_strchomp (fault);
			g_strdelimit (fault, "\n", ' ');
			parse.fault_line = last->line;
		}
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "malformed XML: %s (line %d)",
			     fault != NULL ? fault : "not XML", parse.fault_line);
		return NULL;
	}
	if (base != NULL) {
		xmlFree ((xmlChar *)doc->URL);
		doc->URL = xmlStrdup ((const xmlChar *)base);
	}
	return g_steal_pointer (&doc);
}

PxFeed *
px_feed_parse (const char *data, gsize length, const char *base, GError **error)
{
	g_autoptr (xmlDoc) doc = NULL;
	g_autoptr (PxFeed) feed = NULL;
	xmlNode *root;
	gboolean ok;

	if (length > PX_FEED_MAX_SIZE) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "the feed is larger than %d bytes",
			     PX_FEED_MAX_SIZE);
		return NULL;
	}
	doc = px_feed_read_xml (data, length, base, error);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement (doc);
	feed = g_new0 (PxFeed, 1);
	feed->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)px_feed_entry_free);
	if (px_feed_is (root, NULL, "rss")) {
		ok = px_feed_read_rss2 (feed, root, error);
	} else if (px_feed_is (root, PX_NS_RDF, "RDF")) {
		ok = px_feed_read_rss1 (feed, root, error);
	} else if (px_feed_is (root, PX_NS_ATOM, "feed")) {
		ok = px_feed_read_atom (feed, root, error);
	} else {
		g_autofree char *name =
		    g_utf8_make_valid (root != NULL ? (const char *)root->name : "", -1);
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "not an RSS or Atom feed (the root element is <%s>)", name);
		return NULL;
	}
	return ok ? g_steal_pointer (&feed) : NULL;
}
