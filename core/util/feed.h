/* feed.h: RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds parsed with libxml2 into one shape: the
 * feed's title, link and language, and its entries with plain-text summaries and Praxis
 * timestamps. No network, no DTD loaded, and a feed that declares an entity is refused. */
#pragma once

#include <glib.h>

#define PX_FEED_MAX_SIZE (16 * 1024 * 1024)
#define PX_FEED_MAX_ENTRIES 10000
/* bytes of a title, summary, author or category; longer ones are cut with "…" */
#define PX_FEED_MAX_TEXT 4096
#define PX_FEED_MAX_CATEGORIES 100

typedef enum {
	PX_FEED_RSS2, /* RSS 2.0 (and 0.91, 0.92): <rss><channel><item> */
	PX_FEED_RSS1, /* RSS 1.0 (and 0.90): <rdf:RDF><channel/><item/> */
	PX_FEED_ATOM, /* Atom 1.0: <feed xmlns="http://www.w3.org/2005/Atom"><entry> */
} PxFeedFormat;

/* every text is valid UTF-8, trimmed, its runs of white space one space; each may be NULL */
typedef struct {
	char *id;	 /* guid (RSS 2.0), rdf:about (RSS 1.0), id (Atom); else the link */
	char *title;	 /* plain text */
	char *link;	 /* link (RSS); the rel="alternate" link, else the first (Atom); resolved */
	char *summary;	 /* description, else content:encoded (RSS); summary, else content
			  * (Atom): HTML stripped to text */
	char *published; /* pubDate (RFC 822), else dc:date; Atom's published (RFC 3339) */
	char *updated;	 /* Atom's updated; dcterms:modified */
	char *author;	 /* author, else dc:creator (RSS); the authors' names (Atom) */
	char *language;	 /* dc:language, xml:lang, else the feed's */
	GPtrArray *categories; /* (element-type utf8): category, dc:subject; Atom's term */
} PxFeedEntry;

typedef struct {
	PxFeedFormat format;
	char *title;
	char *link;
	char *language;	    /* language, dc:language or xml:lang */
	GPtrArray *entries; /* (element-type PxFeedEntry) in the feed's order */
} PxFeed;

/**
 * px_feed_parse:
 * @data: the XML, @length bytes (need not be NUL-terminated)
 * @base: (nullable): the feed's URL, against which relative links are resolved (xml:base first)
 *
 * Returns: (transfer full): the feed, or NULL with PX_ERROR_INVALID: larger than
 * PX_FEED_MAX_SIZE, malformed XML ("malformed XML: ... (line N)"), an entity declared (line N),
 * a root that is not a feed, or more than PX_FEED_MAX_ENTRIES entries
 */
PxFeed *px_feed_parse (const char *data, gsize length, const char *base, GError **error);

void px_feed_free (PxFeed *feed);

/* Returns: the format's name: "rss2", "rss1" or "atom" */
const char *px_feed_format_to_string (PxFeedFormat format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxFeed, px_feed_free)
