/* test-feed.c: PxFeed on real-world-shaped Atom, RSS 2.0 and RSS 1.0 feeds (tests/data/feeds/):
 * ids, links resolved, HTML summaries as text, dates as Praxis timestamps, authors, categories,
 * languages; malformed XML with its line; XXE and billion laughs refused unexpanded; limits. */
#include "util/error.h"
#include "util/feed.h"
#include "util/timestamp.h"

static PxFeed *
px_test_feed_parse_file (const char *name, GError **error)
{
	g_autofree char *path =
	    g_test_build_filename (G_TEST_DIST, "..", "data", "feeds", name, NULL);
	g_autoptr (GError) read_error = NULL;
	g_autofree char *text = NULL;
	gsize length = 0;

	g_file_get_contents (path, &text, &length, &read_error);
	g_assert_no_error (read_error);
	return px_feed_parse (text, length, NULL, error);
}

static PxFeed *
px_test_feed_load (const char *name)
{
	g_autoptr (GError) error = NULL;
	PxFeed *feed = px_test_feed_parse_file (name, &error);

	g_assert_no_error (error);
	g_assert_nonnull (feed);
	return feed;
}

static const PxFeedEntry *
px_test_feed_entry (const PxFeed *feed, guint index)
{
	g_assert_cmpuint (index, <, feed->entries->len);
	return g_ptr_array_index (feed->entries, index);
}

static void
px_test_feed_categories (const PxFeedEntry *entry, const char *joined)
{
	g_autoptr (GString) got = g_string_new (NULL);

	for (guint i = 0; i < entry->categories->len; i++)
		g_string_append_printf (got, "%s%s", i > 0 ? "|" : "",
					(const char *)g_ptr_array_index (entry->categories, i));
	g_assert_cmpstr (got->str, ==, joined);
}

static void
test_feed_atom_func (void)
{
	g_autoptr (PxFeed) feed = px_test_feed_load ("atom.xml");
	const PxFeedEntry *entry;

	g_assert_cmpint (feed->format, ==, PX_FEED_ATOM);
	g_assert_cmpstr (px_feed_format_to_string (feed->format), ==, "atom");
	g_assert_cmpstr (feed->title, ==, "Malmö stad – integration");
	/* rel="alternate", resolved against xml:base; the self link is not it */
	g_assert_cmpstr (feed->link, ==, "https://malmo.example.se/nyheter/index.html");
	g_assert_cmpstr (feed->language, ==, "sv");
	g_assert_cmpuint (feed->entries->len, ==, 3);

	entry = px_test_feed_entry (feed, 0);
	g_assert_cmpstr (entry->id, ==, "tag:malmo.example.se,2024:sprakcafe");
	g_assert_cmpstr (entry->title, ==, "Språkcafé på Stadsbiblioteket");
	g_assert_cmpstr (entry->link, ==, "https://malmo.example.se/nyheter/sprakcafe.html");
	g_assert_cmpstr (entry->summary, ==,
			 "Varje tisdag träffas nyanlända och volontärer för att prata svenska. "
			 "Fika ingår!");
	g_assert_cmpstr (entry->published, ==, "2024-03-01T07:00:00.000000Z");
	g_assert_cmpstr (entry->updated, ==, "2024-03-04T17:45:30.250000Z");
	g_assert_cmpstr (entry->author, ==, "Anna Lind, Omar Haddad");
	g_assert_cmpstr (entry->language, ==, "sv");
	px_test_feed_categories (entry, "language-learning|volunteering");

	/* an html title, xhtml content, the feed's author, its own xml:lang */
	entry = px_test_feed_entry (feed, 1);
	g_assert_cmpstr (entry->title, ==, "Mentoring & job coaching");
	g_assert_cmpstr (entry->link, ==, "https://malmo.example.se/en/mentoring");
	g_assert_cmpstr (entry->summary, ==,
			 "Newcomers meet mentors from local companies. Six months Twice a month");
	g_assert_null (entry->published);
	g_assert_cmpstr (entry->updated, ==, "2024-02-20T12:00:00.000000Z");
	g_assert_cmpstr (entry->author, ==, "Malmö stad");
	g_assert_cmpstr (entry->language, ==, "en");
	px_test_feed_categories (entry, "");

	/* no link, a date that is none, text content */
	entry = px_test_feed_entry (feed, 2);
	g_assert_cmpstr (entry->id, ==, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
	g_assert_null (entry->link);
	g_assert_null (entry->updated);
	g_assert_cmpstr (entry->summary, ==, "Ren text, över två rader.");
}

static void
test_feed_rss2_func (void)
{
	g_autoptr (PxFeed) feed = px_test_feed_load ("rss2.xml");
	const PxFeedEntry *entry;

	g_assert_cmpint (feed->format, ==, PX_FEED_RSS2);
	g_assert_cmpstr (feed->title, ==, "Leeds City Council – Migration news");
	g_assert_cmpstr (feed->link, ==, "https://www.leeds.example.gov.uk/migration");
	g_assert_cmpstr (feed->language, ==, "en-gb");
	g_assert_cmpuint (feed->entries->len, ==, 4);

	/* CDATA HTML: tags, script and style gone, &nbsp; a space, blocks apart */
	entry = px_test_feed_entry (feed, 0);
	g_assert_cmpstr (entry->id, ==, "leeds-esol-2024-spring");
	g_assert_cmpstr (entry->link, ==, "https://www.leeds.example.gov.uk/migration/esol-spring");
	g_assert_cmpstr (entry->summary, ==,
			 "Free English classes (ESOL) for adults. Sign up at any library branch. "
			 "Childcare available.");
	g_assert_cmpstr (entry->published, ==, "2024-03-05T09:30:00.000000Z");
	g_assert_null (entry->updated);
	g_assert_cmpstr (entry->author, ==, "Migration Team");
	g_assert_cmpstr (entry->language, ==, "en-gb");
	px_test_feed_categories (entry, "Language learning|Education");

	/* escaped HTML; no guid: the link is the id; the description before content:encoded */
	entry = px_test_feed_entry (feed, 1);
	g_assert_cmpstr (entry->id, ==, "https://www.leeds.example.gov.uk/migration/welcome");
	g_assert_cmpstr (entry->title, ==, "Welcome & orientation days");
	g_assert_cmpstr (entry->summary, ==,
			 "Orientation for new arrivals: housing, health & schools.");
	g_assert_cmpstr (entry->published, ==, "2024-03-04T12:05:00.000000Z");
	g_assert_cmpstr (entry->author, ==, "welcome@leeds.example.gov.uk (Welcome Desk)");

	/* content:encoded alone; a two-digit year and an American zone */
	entry = px_test_feed_entry (feed, 2);
	g_assert_cmpstr (entry->id, ==, "https://www.leeds.example.gov.uk/migration/befrienders");
	g_assert_null (entry->link);
	g_assert_cmpstr (entry->summary, ==, "Become a befriender.");
	g_assert_cmpstr (entry->published, ==, "2024-03-01T04:59:59.000000Z");

	/* a pubDate that is none: dc:date, a bare date */
	entry = px_test_feed_entry (feed, 3);
	g_assert_null (entry->id);
	g_assert_null (entry->summary);
	g_assert_cmpstr (entry->published, ==, "2024-03-02T00:00:00.000000Z");
}

static void
test_feed_rss1_func (void)
{
	g_autoptr (PxFeed) feed = px_test_feed_load ("rss1.xml");
	const PxFeedEntry *entry;

	g_assert_cmpint (feed->format, ==, PX_FEED_RSS1);
	g_assert_cmpstr (feed->title, ==, "Stadt Leipzig: Integration");
	g_assert_cmpstr (feed->link, ==, "https://www.stadt.example.de/integration/");
	g_assert_cmpstr (feed->language, ==, "de");
	g_assert_cmpuint (feed->entries->len, ==, 2);

	/* ISO-8859-1 read as such */
	entry = px_test_feed_entry (feed, 0);
	g_assert_cmpstr (entry->id, ==, "https://www.stadt.example.de/integration/sprachcafe");
	g_assert_cmpstr (entry->title, ==, "Sprachcafé im Stadtteil");
	g_assert_cmpstr (entry->summary, ==,
			 "Deutsch lernen & Nachbarn treffen, jeden Donnerstag.");
	g_assert_cmpstr (entry->published, ==, "2024-03-01T17:00:00.000000Z");
	g_assert_cmpstr (entry->updated, ==, "2024-03-02T09:00:00.000000Z");
	g_assert_cmpstr (entry->author, ==, "Referat für Migration");
	g_assert_cmpstr (entry->language, ==, "de");
	px_test_feed_categories (entry, "Sprache|Nachbarschaft");

	entry = px_test_feed_entry (feed, 1);
	g_assert_cmpstr (entry->language, ==, "de-AT");
	g_assert_null (entry->published);
	g_assert_null (entry->summary);
}

static void
px_test_feed_refused (const char *text, const char *message)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFeed) feed = px_feed_parse (text, strlen (text), NULL, &error);

	g_assert_null (feed);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, message));
}

/* an entity declared is refused before anything refers to it: nothing read from a file, nothing
 * expanded; an external DTD is named but never loaded */
static void
test_feed_entities_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFeed) feed = NULL;

	feed = px_test_feed_parse_file ("xxe.xml", &error);
	g_assert_null (feed);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==,
			 "the feed declares the entity \"xxe\" (line 3): entities are refused");
	g_clear_error (&error);

	feed = px_test_feed_parse_file ("billion-laughs.xml", &error);
	g_assert_null (feed);
	g_assert_cmpstr (error->message, ==,
			 "the feed declares the entity \"lol\" (line 3): entities are refused");
	g_clear_error (&error);

	/* a parameter entity, which would pull in the file as DTD text */
	px_test_feed_refused ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "
			      "\"file:///etc/passwd\">\n%p;\n]>\n<rss><channel/></rss>",
			      "declares the entity \"p\" (line 3)");
	/* an entity no DTD declares is an error of XML, never a lookup */
	px_test_feed_refused ("<rss><channel><title>&nbsp;&passwd;</title></channel></rss>",
			      "malformed XML: Entity 'nbsp' not defined (line 1)");

	feed = px_test_feed_parse_file ("external-dtd.xml", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (feed->title, ==, "Old style");
	g_assert_cmpstr (feed->language, ==, "nl");
	g_assert_cmpuint (feed->entries->len, ==, 1);
	g_assert_cmpstr (px_test_feed_entry (feed, 0)->title, ==, "Taalcafé");
	g_assert_cmpstr (px_test_feed_entry (feed, 0)->language, ==, "nl");
}

static void
test_feed_malformed_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFeed) feed = px_test_feed_parse_file ("malformed.xml", &error);

	g_assert_null (feed);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_test_message ("%s", error->message);
	g_assert_true (g_str_has_prefix (error->message, "malformed XML: "));
	g_assert_true (g_str_has_suffix (error->message, " (line 5)"));

	px_test_feed_refused ("", "malformed XML");
	px_test_feed_refused ("   ", "malformed XML");
	px_test_feed_refused ("<rss><channel></rss>", "malformed XML");
	px_test_feed_refused ("<?xml version=\"1.0\"?>\n\n<rss>\n<channel>\n<title>a\xff</title>",
			      "(line 5)");
	px_test_feed_refused ("<html><body>a page</body></html>",
			      "not an RSS or Atom feed (the root element is <html>)");
	/* Atom's element names in another namespace, or none, are not Atom */
	px_test_feed_refused ("<feed><entry/></feed>", "the root element is <feed>");
	px_test_feed_refused ("<rss version=\"2.0\"><title>x</title></rss>", "without a <channel>");
	px_test_feed_refused (
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>",
	    "without an RSS <channel>");
}

static void
test_feed_limits_func (void)
{
	g_autoptr (GString) text = g_string_new ("<rss><channel>");
	g_autoptr (GString) words = g_string_new ("<rss><channel><item><description>");
	g_autoptr (GString) deep = g_string_new ("<rss><channel><item><description><![CDATA[");
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFeed) feed = NULL;
	g_autofree char *huge = NULL;
	const PxFeedEntry *entry;

	for (guint i = 0; i < PX_FEED_MAX_ENTRIES; i++)
		g_string_append_printf (text, "<item><guid>%u</guid></item>", i);
	g_string_append (text, "</channel></rss>");
	feed = px_feed_parse (text->str, text->len, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (feed->entries->len, ==, PX_FEED_MAX_ENTRIES);
	g_clear_pointer (&feed, px_feed_free);
	g_string_insert (text, strlen ("<rss><channel>"), "<item/>");
	px_test_feed_refused (text->str, "more than 10000 entries");

	/* a long summary is cut at a word, with an ellipsis; valid UTF-8 */
	for (guint i = 0; i < 3000; i++)
		g_string_append (words, "språkcafé ");
	g_string_append (words, "</description></item></channel></rss>");
	feed = px_feed_parse (words->str, words->len, NULL, &error);
	g_assert_no_error (error);
	entry = px_test_feed_entry (feed, 0);
	g_assert_cmpuint (strlen (entry->summary), <=, PX_FEED_MAX_TEXT);
	g_assert_cmpuint (strlen (entry->summary), >, PX_FEED_MAX_TEXT - 100);
	g_assert_true (g_str_has_suffix (entry->summary, "språkcafé…"));
	g_assert_true (g_utf8_validate (entry->summary, -1, NULL));
	g_clear_pointer (&feed, px_feed_free);

	/* HTML nested deeper than any stack would take */
	for (guint i = 0; i < 100000; i++)
		g_string_append (deep, "<div><b>");
	g_string_append (deep, "deep]]></description></item></channel></rss>");
	feed = px_feed_parse (deep->str, deep->len, NULL, &error);
	g_assert_no_error (error);
	g_clear_pointer (&feed, px_feed_free);

	/* the size, before anything is parsed */
	huge = g_malloc0 (PX_FEED_MAX_SIZE + 1);
	feed = px_feed_parse (huge, PX_FEED_MAX_SIZE + 1, NULL, &error);
	g_assert_null (feed);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "larger than"));
}

/* relative links resolve against xml:base, then the URL the feed was fetched from */
static void
test_feed_base_func (void)
{
	const char *text = "<rss><channel><link>/news/</link><item><link>item-1</link></item>"
			   "<item xml:base=\"https://other.example/x/\"><link>y</link></item>"
			   "</channel></rss>";
	g_autoptr (GError) error = NULL;
	g_autoptr (PxFeed) feed =
	    px_feed_parse (text, strlen (text), "https://city.example/feeds/rss.xml", &error);
	g_autoptr (PxFeed) bare = px_feed_parse (text, strlen (text), NULL, &error);

	g_assert_no_error (error);
	g_assert_cmpstr (feed->link, ==, "https://city.example/news/");
	g_assert_cmpstr (px_test_feed_entry (feed, 0)->link, ==,
			 "https://city.example/feeds/item-1");
	g_assert_cmpstr (px_test_feed_entry (feed, 1)->link, ==, "https://other.example/x/y");
	g_assert_cmpstr (bare->link, ==, "/news/");
	g_assert_cmpstr (px_test_feed_entry (bare, 0)->link, ==, "item-1");
}

typedef struct {
	const char *text;
	const char *expected; /* NULL: not a date */
} PxDateCase;

static void
test_feed_dates_func (void)
{
	static const PxDateCase cases[] = {
	    {"Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00.000000Z"},
	    {"Tue,10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00.000000Z"},
	    {"  10 Jun 2003 04:00 +0000 ", "2003-06-10T04:00:00.000000Z"},
	    {"Mon, 4 Mar 2024 14:05:00 +0200", "2024-03-04T12:05:00.000000Z"},
	    {"Sat, 01 Jan 2000 00:30:00 -0100", "2000-01-01T01:30:00.000000Z"},
	    {"Fri, 31 Dec 1999 23:30:00 -0100", "2000-01-01T00:30:00.000000Z"},
	    {"01 Jan 00 00:00:00 UT", "2000-01-01T00:00:00.000000Z"},
	    {"01 Jan 99 00:00:00 Z", "1999-01-01T00:00:00.000000Z"},
	    {"Thursday, 29 Feb 2024 23:59:59 EST", "2024-03-01T04:59:59.000000Z"},
	    {"1 dec 2024 10:00:00 pdt", "2024-12-01T17:00:00.000000Z"},
	    {"1 December 2024 10:00:00 CET", NULL},
	    {"Wed, 02 Oct 2002 13:00:00 +02:00", "2002-10-02T11:00:00.000000Z"},
	    {"Wed, 02 Oct 2002 13:00:00 +0000 (UTC)", "2002-10-02T13:00:00.000000Z"},
	    {"Wed, 02 Oct 2002 13:00:00", "2002-10-02T13:00:00.000000Z"},
	    {"Wed, 02 Oct 2002 13:00:00 A", "2002-10-02T13:00:00.000000Z"},
	    {"", NULL},
	    {"not a date", NULL},
	    {"31 Feb 2024 10:00:00 GMT", NULL},
	    {"10 Foo 2024 10:00 GMT", NULL},
	    {"10 Jun 2024 25:00 GMT", NULL},
	    {"10 Jun 2024 10:60 GMT", NULL},
	    {"10 Jun 2024 10:00 +9900", NULL},
	    {"10 Jun 2024 10:00 +00", NULL},
	    {"10 Jun 2024 10:00 GMT extra", NULL},
	    {"10 Jun 20245 10:00 GMT", NULL},
	    {"10 Jun 2024 10:00:00:00 GMT", NULL},
	    {"10 Jun 2024 1000 GMT", NULL},
	    /* a part of endless digits is refused, not overflowed (fuzz-feed found it) */
	    {"10 Jun 2024 10:777777777777:00 GMT", NULL},
	    {"10 Jun 2024 99999999999:00 GMT", NULL},
	    {"2024-03-05T09:30:00Z", NULL},
	    {"Tue, 10 Jun", NULL},
	    /* the width stays fixed before year 1000 */
	    {"01 Jan 0999 00:00 GMT", "0999-01-01T00:00:00.000000Z"},
	    {"01 Jan 0001 00:00 +0100", NULL},
	};
	g_autofree char *normalized = NULL;

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *got = px_timestamp_from_rfc822 (cases[i].text);
		g_test_message ("'%s' -> %s", cases[i].text, got);
		g_assert_cmpstr (got, ==, cases[i].expected);
	}
	g_assert_null (px_timestamp_from_rfc822 (NULL));
	normalized = px_timestamp_normalize ("0691-03-01T18:00:00+01:00");
	g_assert_cmpstr (normalized, ==, "0691-03-01T17:00:00.000000Z");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/feed/atom", test_feed_atom_func);
	g_test_add_func ("/praxis/feed/rss2", test_feed_rss2_func);
	g_test_add_func ("/praxis/feed/rss1", test_feed_rss1_func);
	g_test_add_func ("/praxis/feed/entities", test_feed_entities_func);
	g_test_add_func ("/praxis/feed/malformed", test_feed_malformed_func);
	g_test_add_func ("/praxis/feed/limits", test_feed_limits_func);
	g_test_add_func ("/praxis/feed/base", test_feed_base_func);
	g_test_add_func ("/praxis/feed/dates", test_feed_dates_func);
	return g_test_run ();
}
