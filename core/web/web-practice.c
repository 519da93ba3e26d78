/* web-practice.c: the practice page, GET /practices/{id}: every public field of a published
 * practice (its contact for signed-in members only), the body from Markdown (web-markdown.c),
 * its focus areas and themes as links to their searches, related practices, a canonical link and
 * schema.org JSON-LD; anything not published is a 404 to the public. The moderators' preview
 * renders the same page (web-practice.h). */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "store/records.h"
#include "util/error.h"
#include "web-markdown.h"
#include "web-names.h"
#include "web-page.h"
#include "web-practice.h"
#include "web-private.h"
#include "web-request.h"
#include "web-search.h"

/* related practices shown, at most, chosen among the newest this many that share a tag */
#define PX_WEB_PRACTICE_RELATED 5
#define PX_WEB_PRACTICE_RELATED_CANDIDATES 40

static void
px_web_practice_add_detail (JsonArray *details, const char *label, const char *value)
{
	JsonObject *item;

	if (value == NULL || value[0] == '\0')
		return;
	item = json_object_new ();
	json_object_set_string_member (item, "label", label);
	json_object_set_string_member (item, "value", value);
	json_array_add_object_element (details, item);
}

/* Returns: (transfer full) (nullable): the date of a stored timestamp ("2026-12-02") */
static char *
px_web_practice_date (const char *timestamp)
{
	return timestamp != NULL && strlen (timestamp) >= 10 ? g_strndup (timestamp, 10) : NULL;
}

static JsonArray *
px_web_practice_details (PxWebRequest *request, const PxPractice *practice)
{
	JsonArray *details = json_array_new ();
	g_autofree char *year = practice->year != 0 ? g_strdup_printf ("%d", practice->year) : NULL;
	g_autofree char *published = px_web_practice_date (practice->published_at);
	g_autofree char *updated = px_web_practice_date (practice->updated_at);

	px_web_practice_add_detail (details, px_web_request_gettext (request, "Organisation"),
				    practice->organisation);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Project"),
				    practice->project);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "City"),
				    practice->city);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Region"),
				    practice->region);
	px_web_practice_add_detail (
	    details, px_web_request_gettext (request, "Country"),
	    practice->country != NULL ? px_web_names_country (request, practice->country) : NULL);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Language"),
				    practice->language != NULL
					? px_web_names_language (request, practice->language)
					: NULL);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Year"), year);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Started"),
				    practice->started);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Ended"),
				    practice->ended);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Published"),
				    published);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Last updated"),
				    updated);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Source"),
				    practice->source);
	px_web_practice_add_detail (details, px_web_request_gettext (request, "Identifier"),
				    practice->uid);
	return details;
}

/* the long text fields of the EU practice templates, each under its heading */
static JsonArray *
px_web_practice_sections (PxWebRequest *request, const PxPractice *practice)
{
	const struct {
		const char *key;
		const char *label;
		const char *text;
	} fields[] = {
	    {"target-groups", px_web_request_gettext (request, "Target groups"),
	     practice->target_groups},
	    {"goals", px_web_request_gettext (request, "Goals"), practice->goals},
	    {"results", px_web_request_gettext (request, "Results"), practice->results},
	    {"evaluation", px_web_request_gettext (request, "Evaluation"), practice->evaluation},
	    {"funding", px_web_request_gettext (request, "Funding"), practice->funding},
	};
	JsonArray *sections = json_array_new ();

	for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
		JsonObject *item;

		if (fields[i].text == NULL || fields[i].text[0] == '\0')
			continue;
		item = json_object_new ();
		json_object_set_string_member (item, "section_key", fields[i].key);
		json_object_set_string_member (item, "section_label", fields[i].label);
		json_object_set_string_member (item, "section_text", fields[i].text);
		json_array_add_object_element (sections, item);
	}
	return sections;
}

/* @content's member @name: each tag as a link to the search of it, when there are tags */
static void
px_web_practice_add_tags (PxWebRequest *request, JsonObject *content, const char *name,
			  PxFacet facet, GPtrArray *tags)
{
	JsonObject *list;
	JsonArray *links;

	if (tags->len == 0)
		return;
	list = json_object_new ();
	links = json_array_new ();

	for (guint i = 0; i < tags->len; i++) {
		const char *tag = g_ptr_array_index (tags, i);
		JsonObject *item = json_object_new ();
		g_autofree char *label = px_web_search_value_label (request, facet, tag);
		g_autofree char *escaped = g_uri_escape_string (tag, NULL, FALSE);
		g_autofree char *url =
		    g_strdup_printf ("/?%s=%s", px_facets_get_name (facet), escaped);

		json_object_set_string_member (item, "tag_label", label);
		json_object_set_string_member (item, "tag_href", url);
		json_array_add_object_element (links, item);
	}
	json_object_set_array_member (list, "tags", links);
	json_object_set_object_member (content, name, list);
}

/* Returns: (transfer full): the search of practices like @practice: those with one of its
 * themes, else one of its focus areas, else from its country; NULL when it has none */
static PxSearchRequest *
px_web_practice_related_search (const PxPractice *practice)
{
	g_autoptr (PxSearchRequest) search = g_new0 (PxSearchRequest, 1);
	GPtrArray *tags = practice->themes->len > 0 ? practice->themes : practice->focus_areas;
	PxFacet facet = practice->themes->len > 0 ? PX_FACET_THEME : PX_FACET_FOCUS;
	GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

	search->sort = PX_SORT_NEWEST;
	search->page = 1;
	search->per_page = PX_WEB_PRACTICE_RELATED_CANDIDATES;
	for (guint i = 0; i < tags->len; i++)
		g_ptr_array_add (values, g_strdup (g_ptr_array_index (tags, i)));
	if (values->len == 0 && practice->country != NULL) {
		facet = PX_FACET_COUNTRY;
		g_ptr_array_add (values, g_strdup (practice->country));
	}
	search->filters.values[facet] = values;
	return values->len > 0 ? g_steal_pointer (&search) : NULL;
}

/* Returns: (transfer full): who, where and when, on one line */
static char *
px_web_practice_meta (const PxWebRequest *request, const PxPractice *practice)
{
	g_autoptr (GStrvBuilder) parts = g_strv_builder_new ();
	const char *country =
	    practice->country != NULL ? px_web_names_country (request, practice->country) : NULL;
	g_auto (GStrv) strv = NULL;
	g_autofree char *place = NULL;
	g_autofree char *year = NULL;

	if (practice->organisation != NULL)
		g_strv_builder_add (parts, practice->organisation);
	if (practice->city != NULL && country != NULL)
		place = g_strdup_printf ("%s, %s", practice->city, country);
	else if (practice->city != NULL || country != NULL)
		place = g_strdup (practice->city != NULL ? practice->city : country);
	if (place != NULL)
		g_strv_builder_add (parts, place);
	if (practice->year != 0) {
		year = g_strdup_printf ("%d", practice->year);
		g_strv_builder_add (parts, year);
	}
	strv = g_strv_builder_end (parts);
	return g_strjoinv (" · ", strv);
}

static guint
px_web_practice_count_shared (GPtrArray *tags, GPtrArray *others)
{
	guint shared = 0;

	for (guint i = 0; i < others->len; i++)
		shared += g_ptr_array_find_with_equal_func (tags, g_ptr_array_index (others, i),
							    g_str_equal, NULL);
	return shared;
}

typedef struct {
	const PxPractice *practice;
	guint shared; /* themes count more than focus areas, and those more than the country */
	guint order;  /* the search's: newest first */
} PxWebRelated;

static gint
px_web_practice_compare_related (gconstpointer a, gconstpointer b)
{
	const PxWebRelated *first = a, *second = b;

	if (first->shared != second->shared)
		return first->shared > second->shared ? -1 : 1;
	return first->order < second->order ? -1 : 1;
}

/* the related practices: published, the most tags in common first, then the newest; not
 * @practice itself; nothing (and a line in the debug log) when the search fails, which must not
 * cost the page */
static JsonArray *
px_web_practice_related (PxWebRequest *request, PxStore *store, const PxPractice *practice)
{
	g_autoptr (PxSearchRequest) search = px_web_practice_related_search (practice);
	g_autoptr (PxSearchResult) result = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GArray) ranked = g_array_new (FALSE, FALSE, sizeof (PxWebRelated));
	JsonArray *related = json_array_new ();

	if (search == NULL)
		return related;
	result = px_search_run (request->web->search, store, search, &error);
	if (result == NULL) {
		g_debug ("related practices of %" G_GINT64_FORMAT " not found: %s", practice->id,
			 error->message);
		return related;
	}
	for (guint i = 0; i < result->hits->len; i++) {
		const PxSearchHit *hit = g_ptr_array_index (result->hits, i);
		PxWebRelated candidate = {hit->practice, 0, i};

		candidate.shared =
		    4 * px_web_practice_count_shared (practice->themes, hit->practice->themes) +
		    2 * px_web_practice_count_shared (practice->focus_areas,
						      hit->practice->focus_areas) +
		    (g_strcmp0 (practice->country, hit->practice->country) == 0);
		g_array_append_val (ranked, candidate);
	}
	g_array_sort (ranked, px_web_practice_compare_related);
	for (guint i = 0; i < ranked->len; i++) {
		const PxPractice *other = g_array_index (ranked, PxWebRelated, i).practice;
		JsonObject *item;
		g_autofree char *url = NULL;
		g_autofree char *meta = NULL;

		if (other->id == practice->id ||
		    json_array_get_length (related) >= PX_WEB_PRACTICE_RELATED)
			continue;
		item = json_object_new ();
		url = g_strdup_printf ("/practices/%" G_GINT64_FORMAT, other->id);
		meta = px_web_practice_meta (request, other);
		json_object_set_string_member (item, "related_href", url);
		json_object_set_string_member (item, "related_title", other->title);
		json_object_set_string_member (item, "related_meta", meta);
		if (other->language != NULL)
			json_object_set_string_member (item, "related_lang", other->language);
		json_array_add_object_element (related, item);
	}
	return related;
}

static void
px_web_practice_ld_member (JsonBuilder *builder, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	json_builder_set_member_name (builder, name);
	json_builder_add_string_value (builder, value);
}

static void
px_web_practice_ld_place (JsonBuilder *builder, const char *member, const PxPractice *practice)
{
	json_builder_set_member_name (builder, member);
	json_builder_begin_object (builder);
	px_web_practice_ld_member (builder, "@type", "Place");
	px_web_practice_ld_member (builder, "name",
				   practice->city != NULL ? practice->city : practice->country);
	json_builder_set_member_name (builder, "address");
	json_builder_begin_object (builder);
	px_web_practice_ld_member (builder, "@type", "PostalAddress");
	px_web_practice_ld_member (builder, "addressLocality", practice->city);
	px_web_practice_ld_member (builder, "addressRegion", practice->region);
	px_web_practice_ld_member (builder, "addressCountry", practice->country);
	json_builder_end_object (builder);
	json_builder_end_object (builder);
}

static void
px_web_practice_ld_organisation (JsonBuilder *builder, const char *member, const char *name)
{
	json_builder_set_member_name (builder, member);
	json_builder_begin_object (builder);
	px_web_practice_ld_member (builder, "@type", "Organization");
	px_web_practice_ld_member (builder, "name", name);
	json_builder_end_object (builder);
}

/* Returns: (transfer full): schema.org's CreativeWork of @practice as JSON-LD */
static char *
px_web_practice_json_ld (const PxPractice *practice, const char *url)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autoptr (JsonNode) root = NULL;

	json_builder_begin_object (builder);
	px_web_practice_ld_member (builder, "@context", "https://schema.org");
	px_web_practice_ld_member (builder, "@type", "CreativeWork");
	px_web_practice_ld_member (builder, "@id", url);
	px_web_practice_ld_member (builder, "url", url);
	px_web_practice_ld_member (builder, "identifier", practice->uid);
	px_web_practice_ld_member (builder, "name", practice->title);
	px_web_practice_ld_member (builder, "description", practice->summary);
	px_web_practice_ld_member (builder, "inLanguage", practice->language);
	px_web_practice_ld_member (builder, "dateCreated", practice->created_at);
	px_web_practice_ld_member (builder, "datePublished", practice->published_at);
	px_web_practice_ld_member (builder, "dateModified", practice->updated_at);
	px_web_practice_ld_member (builder, "sameAs", practice->url);
	if (practice->themes->len + practice->focus_areas->len > 0) {
		json_builder_set_member_name (builder, "keywords");
		json_builder_begin_array (builder);
		for (guint i = 0; i < practice->focus_areas->len; i++)
			json_builder_add_string_value (
			    builder, g_ptr_array_index (practice->focus_areas, i));
		for (guint i = 0; i < practice->themes->len; i++)
			json_builder_add_string_value (builder,
						       g_ptr_array_index (practice->themes, i));
		json_builder_end_array (builder);
	}
	if (practice->city != NULL || practice->country != NULL) {
		px_web_practice_ld_place (builder, "spatialCoverage", practice);
		px_web_practice_ld_place (builder, "contentLocation", practice);
	}
	if (practice->organisation != NULL) {
		px_web_practice_ld_organisation (builder, "author", practice->organisation);
		px_web_practice_ld_organisation (builder, "publisher", practice->organisation);
	}
	if (practice->project != NULL) {
		json_builder_set_member_name (builder, "isPartOf");
		json_builder_begin_object (builder);
		px_web_practice_ld_member (builder, "@type", "Project");
		px_web_practice_ld_member (builder, "name", practice->project);
		json_builder_end_object (builder);
	}
	json_builder_end_object (builder);
	root = json_builder_get_root (builder);
	return px_web_page_json_ld (root);
}

JsonObject *
px_web_practice_build (PxWebRequest *request, PxStore *store, const PxPractice *practice)
{
	JsonObject *content = json_object_new ();
	g_autofree char *path = g_strdup_printf ("/practices/%" G_GINT64_FORMAT, practice->id);
	g_autofree char *url = px_web_request_url (request, path);
	g_autofree char *meta = px_web_practice_meta (request, practice);
	g_autofree char *jsonld = px_web_practice_json_ld (practice, url);
	g_autofree char *back = g_uri_escape_string (path, NULL, FALSE);
	g_autofree char *login = g_strconcat ("/login?back=", back, NULL);
	gboolean member = request->user != NULL;
	JsonArray *related;

	json_object_set_string_member (content, "practice_title", practice->title);
	json_object_set_string_member (content, "practice_summary", practice->summary);
	json_object_set_string_member (content, "practice_meta", meta);
	if (practice->language != NULL)
		json_object_set_string_member (content, "practice_lang", practice->language);
	if (practice->body != NULL && practice->body[0] != '\0') {
		g_autofree char *body = px_web_markdown_to_html (practice->body, 3);
		json_object_set_string_member (content, "body_html", body);
	}
	json_object_set_array_member (content, "sections",
				      px_web_practice_sections (request, practice));
	json_object_set_array_member (content, "details",
				      px_web_practice_details (request, practice));
	px_web_practice_add_tags (request, content, "focus", PX_FACET_FOCUS, practice->focus_areas);
	px_web_practice_add_tags (request, content, "themes", PX_FACET_THEME, practice->themes);
	if (practice->url != NULL)
		json_object_set_string_member (content, "more_url", practice->url);
	if (practice->contact != NULL && practice->contact[0] != '\0') {
		json_object_set_boolean_member (content, "has_contact", TRUE);
		if (member)
			json_object_set_string_member (content, "contact", practice->contact);
	}
	json_object_set_boolean_member (content, "member", member);
	json_object_set_string_member (content, "login_url", login);
	related = px_web_practice_related (request, store, practice);
	json_object_set_boolean_member (content, "has_related",
					json_array_get_length (related) > 0);
	json_object_set_array_member (content, "related", related);
	json_object_set_string_member (content, "canonical_url", url);
	json_object_set_string_member (content, "jsonld_html", jsonld);
	return content;
}

static void
px_web_practice_render (PxWebRequest *request, PxStore *store, PxResponse *response,
			const PxPractice *practice, gboolean preview)
{
	g_autoptr (JsonObject) content = px_web_practice_build (request, store, practice);

	if (preview) {
		json_object_set_boolean_member (content, "preview", TRUE);
		json_object_set_boolean_member (content, "unpublished",
						practice->status != PX_STATUS_PUBLISHED);
	}
	px_web_page_render (request, response, SOUP_STATUS_OK, "practice", practice->title,
			    content);
}

void
px_web_practice_render_preview (PxWebRequest *request, PxStore *store, PxResponse *response,
				const PxPractice *practice)
{
	px_web_practice_render (request, store, response, practice, TRUE);
}

static void
px_web_practice_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin (request, store, response))
		return;
	practice = px_records_get (store, request->id, &error);
	if (practice == NULL && !g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
		g_warning ("practice %" G_GINT64_FORMAT " not read: %s", request->id,
			   error->message);
		px_web_page_error (request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
				   px_web_request_gettext (request,
							   "The practice could not be read. Please "
							   "try again in a moment."));
		return;
	}
	if (practice == NULL || practice->status != PX_STATUS_PUBLISHED) {
		px_web_page_error (
		    request, response, SOUP_STATUS_NOT_FOUND,
		    px_web_request_gettext (request, "There is no published practice at this "
						     "address. Search for it on the search page."));
		return;
	}
	px_web_practice_render (request, store, response, practice, FALSE);
}

static void
px_web_practice_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWeb *web = user_data;
	PxWebRequest *request = px_web_request_new (web, message, id);

	if (request != NULL)
		px_web_request_defer (request, message, FALSE, px_web_practice_work);
}

void
px_web_practice_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/practices/{id}", "GET, HEAD", px_web_practice_cb, web);
}
