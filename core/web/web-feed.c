/* web-feed.c: the machine-readable views of the public pages: GET /feed.atom, the Atom 1.0 feed
 * of any search (the search page's parameters, newest first), and GET /sitemap.xml, the
 * published practices' pages for search engines (sitemaps.org 0.9). XML is written here, with
 * every text escaped and the characters XML 1.0 forbids left out. Feeds are cached by the
 * search index, as the API's answers are (looked up on the main context). */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "store/records.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "util/form.h"
#include "util/timestamp.h"
#include "web-page.h"
#include "web-private.h"
#include "web-request.h"
#include "web-search.h"

/* the sitemap protocol's limit of URLs in one file; a larger database lists its latest changes
 * (a sitemap index over several files is left for when one is needed) */
#define PX_WEB_FEED_SITEMAP_MAX 50000
#define PX_WEB_FEED_ATOM_TYPE "application/atom+xml; charset=utf-8"

typedef struct {
	PxWebRequest *request;
	PxSearchRequest *shown; /* (nullable): NULL when the parameters are wrong */
	PxSearchRequest *run;	/* (nullable) */
	GPtrArray *errors;	/* (element-type PxFieldError) */
	/* the search index's name for this rendering: the feed's links and title depend on the
	 * site's address and on the words as given, besides what is searched */
	char *renderer;
} PxWebFeed;

static void
px_web_feed_free (PxWebFeed *feed)
{
	px_web_request_free (feed->request);
	px_search_request_free (feed->shown);
	px_search_request_free (feed->run);
	g_ptr_array_unref (feed->errors);
	g_free (feed->renderer);
	g_free (feed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebFeed, px_web_feed_free)

/* XML 1.0's Char production: what a document may hold at all */
static gboolean
px_web_feed_is_xml_char (gunichar c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* appends @text escaped for XML text and attribute values; what is no XML character (control
 * characters, invalid UTF-8) is left out */
static void
px_web_feed_append_text (GString *out, const char *text)
{
	const char *p = text;

	while (p != NULL && *p != '\0') {
		gunichar c = g_utf8_get_char_validated (p, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			continue;
		}
		if (c == '&')
			g_string_append (out, "&amp;");
		else if (c == '<')
			g_string_append (out, "&lt;");
		else if (c == '>')
			g_string_append (out, "&gt;");
		else if (c == '"')
			g_string_append (out, "&quot;");
		else if (c == '\'')
			g_string_append (out, "&apos;");
		else if (px_web_feed_is_xml_char (c))
			g_string_append_len (out, p, g_utf8_next_char (p) - p);
		p = g_utf8_next_char (p);
	}
}

/* appends <@name>@text</@name> on a line of its own, nothing when @text is NULL */
static void
px_web_feed_append_element (GString *out, const char *indent, const char *name, const char *text)
{
	if (text == NULL)
		return;
	g_string_append_printf (out, "%s<%s>", indent, name);
	px_web_feed_append_text (out, text);
	g_string_append_printf (out, "</%s>\n", name);
}

static void
px_web_feed_append_link (GString *out, const char *indent, const char *rel, const char *type,
			 const char *href)
{
	g_string_append_printf (out, "%s<link rel=\"%s\" type=\"%s\" href=\"", indent, rel, type);
	px_web_feed_append_text (out, href);
	g_string_append (out, "\"/>\n");
}

/* Returns: (transfer full): the feed's title: what it searches, or the newest practices */
static char *
px_web_feed_title (PxWebRequest *request, const PxSearchRequest *search)
{
	g_autoptr (GPtrArray) pairs = px_web_search_pairs (search, PX_WEB_SEARCH_QUERY_FILTERS);
	g_autoptr (GString) title = g_string_new ("Praxis: ");

	if (pairs->len == 0) {
		g_string_append (title, px_web_request_gettext (request, "Newest practices"));
		return g_string_free (g_steal_pointer (&title), FALSE);
	}
	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (i > 0)
			g_string_append (title, ", ");
		if (!g_str_equal (pair->name, "q"))
			g_string_append_printf (title, "%s=", pair->name);
		g_string_append (title, pair->value);
	}
	return g_string_free (g_steal_pointer (&title), FALSE);
}

static void
px_web_feed_append_entry (PxWebRequest *request, GString *out, const PxPractice *practice)
{
	g_autofree char *path = g_strdup_printf ("/practices/%" G_GINT64_FORMAT, practice->id);
	g_autofree char *url = px_web_request_url (request, path);

	g_string_append (out, "  <entry");
	if (practice->language != NULL) {
		g_string_append (out, " xml:lang=\"");
		px_web_feed_append_text (out, practice->language);
		g_string_append_c (out, '"');
	}
	g_string_append (out, ">\n    <id>tag:praxis,2026:practice:");
	px_web_feed_append_text (out, practice->uid);
	g_string_append (out, "</id>\n");
	px_web_feed_append_element (out, "    ", "title", practice->title);
	px_web_feed_append_link (out, "    ", "alternate", "text/html", url);
	px_web_feed_append_element (out, "    ", "updated", practice->updated_at);
	px_web_feed_append_element (out, "    ", "published", practice->published_at);
	if (practice->organisation != NULL) {
		g_string_append (out, "    <author>\n");
		px_web_feed_append_element (out, "      ", "name", practice->organisation);
		g_string_append (out, "    </author>\n");
	}
	for (guint i = 0; i < practice->themes->len; i++) {
		g_string_append (out, "    <category scheme=\"theme\" term=\"");
		px_web_feed_append_text (out, g_ptr_array_index (practice->themes, i));
		g_string_append (out, "\"/>\n");
	}
	px_web_feed_append_element (out, "    ", "summary", practice->summary);
	g_string_append (out, "  </entry>\n");
}

/* Returns: (transfer full): the Atom document of @result, found for @search */
static char *
px_web_feed_atom (PxWebRequest *request, const PxSearchRequest *search,
		  const PxSearchResult *result)
{
	g_autoptr (GPtrArray) pairs = px_web_search_pairs (search, PX_WEB_SEARCH_QUERY_FILTERS);
	g_autofree char *query = px_web_search_encode (pairs);
	g_autofree char *self_path =
	    g_strconcat ("/feed.atom", query[0] != '\0' ? "?" : "", query, NULL);
	g_autofree char *page_path = g_strconcat ("/", query[0] != '\0' ? "?" : "", query, NULL);
	g_autofree char *self = px_web_request_url (request, self_path);
	g_autofree char *page = px_web_request_url (request, page_path);
	g_autofree char *title = px_web_feed_title (request, search);
	g_autofree char *now = px_timestamp_now ();
	const char *updated = now;
	GString *out = g_string_sized_new (4096);

	/* the newest change among the entries, for a feed that changes only when they do */
	for (guint i = 0; i < result->hits->len; i++) {
		const PxSearchHit *hit = g_ptr_array_index (result->hits, i);

		if (i == 0 || g_strcmp0 (hit->practice->updated_at, updated) > 0)
			updated = hit->practice->updated_at;
	}
	g_string_append (out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	px_web_feed_append_element (out, "  ", "id", self);
	px_web_feed_append_element (out, "  ", "title", title);
	px_web_feed_append_element (out, "  ", "updated", updated);
	px_web_feed_append_link (out, "  ", "self", "application/atom+xml", self);
	px_web_feed_append_link (out, "  ", "alternate", "text/html", page);
	g_string_append (out, "  <author>\n    <name>Praxis</name>\n  </author>\n"
			      "  <generator>Praxis</generator>\n");
	for (guint i = 0; i < result->hits->len; i++) {
		const PxSearchHit *hit = g_ptr_array_index (result->hits, i);

		px_web_feed_append_entry (request, out, hit->practice);
	}
	g_string_append (out, "</feed>\n");
	return g_string_free (out, FALSE);
}

static void
px_web_feed_set_atom (PxResponse *response, GBytes *body)
{
	response->status = SOUP_STATUS_OK;
	response->content_type = PX_WEB_FEED_ATOM_TYPE;
	g_clear_pointer (&response->body, g_bytes_unref);
	response->body = body;
}

/* the feed needs no session: one rendering serves every reader, in English */
static void
px_web_feed_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebFeed *feed = data;
	PxWebRequest *request = feed->request;
	g_autoptr (PxSearchResult) result = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) body = NULL;
	char *atom;

	if (feed->run == NULL) {
		px_response_set_problem (response, SOUP_STATUS_BAD_REQUEST,
					 "invalid search parameters", feed->errors);
		return;
	}
	result = px_search_run (request->web->search, store, feed->run, &error);
	if (result == NULL) {
		px_response_set_error (response, error);
		return;
	}
	atom = px_web_feed_atom (request, feed->shown, result);
	body = g_bytes_new_take (atom, strlen (atom));
	px_search_index_remember (request->web->search, feed->renderer, feed->run, result, body);
	px_web_feed_set_atom (response, g_steal_pointer (&body));
}

static void
px_web_feed_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWeb *web = user_data;
	PxWebRequest *request = px_web_request_new (web, message, id);
	g_autoptr (PxWebFeed) feed = NULL;

	if (request == NULL)
		return;
	feed = g_new0 (PxWebFeed, 1);
	feed->request = request;
	feed->errors = px_field_errors_new ();
	/* a feed is newest first, whatever its link asks */
	if (px_web_search_parse (request, &feed->shown, &feed->run, feed->errors)) {
		g_autoptr (GBytes) cached = NULL;

		feed->shown->sort = PX_SORT_NEWEST;
		feed->run->sort = PX_SORT_NEWEST;
		feed->renderer = g_strjoin ("\x1f", "web-atom", request->base_url,
					    feed->shown->q != NULL ? feed->shown->q : "", NULL);
		cached = px_search_index_lookup (web->search, feed->renderer, feed->run);
		if (cached != NULL) {
			PxResponse response = {0};

			px_web_feed_set_atom (&response, g_steal_pointer (&cached));
			px_server_respond (message, &response);
			return;
		}
	}
	px_server_defer (web->server, message, FALSE, px_web_feed_work, g_steal_pointer (&feed),
			 (GDestroyNotify)px_web_feed_free);
}

typedef struct {
	PxWebRequest *request;
	GString *out;
} PxWebSitemap;

static void
px_web_feed_add_url (gint64 id, const char *updated_at, gpointer user_data)
{
	PxWebSitemap *sitemap = user_data;
	g_autofree char *path = g_strdup_printf ("/practices/%" G_GINT64_FORMAT, id);
	g_autofree char *url = px_web_request_url (sitemap->request, path);

	g_string_append (sitemap->out, "  <url>\n");
	px_web_feed_append_element (sitemap->out, "    ", "loc", url);
	px_web_feed_append_element (sitemap->out, "    ", "lastmod", updated_at);
	g_string_append (sitemap->out, "  </url>\n");
}

static void
px_web_feed_sitemap_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (GString) out = g_string_sized_new (65536);
	g_autofree char *home = px_web_request_url (request, "/");
	PxWebSitemap sitemap = {request, out};
	g_autoptr (GError) error = NULL;
	gsize length;

	g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
			      "  <url>\n");
	px_web_feed_append_element (out, "    ", "loc", home);
	g_string_append (out, "  </url>\n");
	if (!px_records_scan_published (store, PX_WEB_FEED_SITEMAP_MAX - 1, px_web_feed_add_url,
					&sitemap, &error)) {
		px_response_set_error (response, error);
		return;
	}
	g_string_append (out, "</urlset>\n");
	length = out->len;
	px_response_take_text (response, SOUP_STATUS_OK, "application/xml; charset=utf-8",
			       g_string_free (g_steal_pointer (&out), FALSE), length);
}

static void
px_web_feed_sitemap_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWeb *web = user_data;
	PxWebRequest *request = px_web_request_new (web, message, id);

	if (request != NULL)
		px_web_request_defer (request, message, FALSE, px_web_feed_sitemap_work);
}

void
px_web_feed_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/feed.atom", "GET, HEAD", px_web_feed_cb, web);
	px_server_add_route (server, "/sitemap.xml", "GET, HEAD", px_web_feed_sitemap_cb, web);
}
