/* test-search.c: searches over a small multilingual set: word forms, diacritics, filters,
 * facet counts (each facet ignores its own filter), snippets, suggestions, the cache, and one
 * snapshot per search while another connection writes. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "api/api-search.h"
#include "model/jsonl.h"
#include "search/search-private.h"
#include "search/search.h"
#include "store/store-private.h"
#include "test-util.h"
#include "util/error.h"
#include "util/form.h"

typedef struct {
	char *dir;
	PxConfig *config;
	PxStore *writer;
	PxStore *reader;
	PxSearchIndex *index;
	JsonParser *parser;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-search-XXXXXX", &error);
	fixture->config = px_config_load (NULL, &error);
	g_free (fixture->config->db_path);
	fixture->config->db_path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->writer =
	    px_store_open (fixture->config->db_path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	px_test_import_data (fixture->writer, "unit-practices.jsonl");
	fixture->reader =
	    px_store_open (fixture->config->db_path, PX_STORE_READ_ONLY, 1000, &error);
	fixture->index = px_search_index_new (fixture->config, &error);
	g_assert_no_error (error);
	fixture->parser = json_parser_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	g_object_unref (fixture->parser);
	px_search_index_free (fixture->index);
	px_store_free (fixture->reader);
	px_store_free (fixture->writer);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->dir);
	px_config_free (fixture->config);
}

static PxSearchRequest *
parse_request (const char *query)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) pairs = px_form_decode (query, &error);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	PxSearchRequest *request = px_search_request_parse (pairs, errors);

	g_assert_no_error (error);
	g_assert_nonnull (request);
	return request;
}

static JsonObject *
parse_answer (Fixture *fixture, GBytes *bytes)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (json_parser_load_from_data (fixture->parser, g_bytes_get_data (bytes, NULL),
						   (gssize)g_bytes_get_size (bytes), &error));
	g_assert_no_error (error);
	return json_node_get_object (json_parser_get_root (fixture->parser));
}

/* Returns: (transfer full) (nullable): what GET /api/practices?@query finds, or NULL with @error
 * set */
static PxSearchResult *
search_result (Fixture *fixture, const char *query, GError **error)
{
	g_autoptr (PxSearchRequest) request = parse_request (query);

	return px_search_run (fixture->index, fixture->reader, request, error);
}

/* Returns: (transfer full) (nullable): the answer to GET /api/practices?@query, or NULL with
 * @error set */
static GBytes *
search_bytes (Fixture *fixture, const char *query, GError **error)
{
	g_autoptr (PxSearchResult) result = search_result (fixture, query, error);

	return result != NULL ? px_api_search_render (result) : NULL;
}

/* Returns: (transfer none): the response object of GET /api/practices?@query */
static JsonObject *
search (Fixture *fixture, const char *query)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) bytes = search_bytes (fixture, query, &error);

	g_assert_no_error (error);
	return parse_answer (fixture, bytes);
}

/* the API's path (api-search.c): the cache first, else a search, rendered and remembered.
 * Returns: (transfer none): the answer; @hit tells whether it came from the cache */
static JsonObject *
search_cached (Fixture *fixture, const char *query, gboolean *hit)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchRequest) request = parse_request (query);
	g_autoptr (PxSearchResult) result = NULL;
	g_autoptr (GBytes) bytes =
	    px_search_index_lookup (fixture->index, PX_API_SEARCH_RENDERER, request);

	*hit = bytes != NULL;
	if (bytes == NULL) {
		result = px_search_run (fixture->index, fixture->reader, request, &error);
		g_assert_no_error (error);
		bytes = px_api_search_render (result);
		px_search_index_remember (fixture->index, PX_API_SEARCH_RENDERER, request, result,
					  bytes);
	}
	return parse_answer (fixture, bytes);
}

static gboolean
has_title (JsonObject *root, const char *title)
{
	JsonArray *results = json_object_get_array_member (root, "results");

	for (guint i = 0; i < json_array_get_length (results); i++) {
		JsonObject *result = json_array_get_object_element (results, i);
		if (g_str_equal (json_object_get_string_member (result, "title"), title))
			return TRUE;
	}
	return FALSE;
}

static PxPractice *
get_practice (Fixture *fixture, const char *uid)
{
	g_autoptr (GError) error = NULL;
	PxPractice *practice = px_records_get_by_uid (fixture->writer, uid, &error);

	g_assert_no_error (error);
	return practice;
}

static gint64
total (Fixture *fixture, const char *query)
{
	gint64 found = json_object_get_int_member (search (fixture, query), "total");

	g_test_message ("%s: %" G_GINT64_FORMAT, query, found);
	return found;
}

static gint64
facet (JsonObject *root, const char *name, const char *value)
{
	JsonObject *counts =
	    json_object_get_object_member (json_object_get_object_member (root, "facets"), name);

	return json_object_get_int_member_with_default (counts, value, 0);
}

static void
test_search_languages_func (Fixture *fixture, gconstpointer data)
{
	g_assert_cmpint (total (fixture, "q=spr%C3%A5kcaf%C3%A9er"), ==, 1);
	g_assert_cmpint (total (fixture, "q=Integrationsprojekte"), ==, 1);
	g_assert_cmpint (total (fixture, "q=integracion&language=es"), ==, 1);
	g_assert_cmpint (total (fixture, "q=volunteers"), ==, 1);
	g_assert_cmpint (total (fixture, "q=erika"), ==, 1);
	g_assert_cmpint (total (fixture, "q=lodz"), ==, 1);
	g_assert_cmpint (total (fixture, "q=Rig%C4%81*"), ==, 1);
	g_assert_cmpint (total (fixture, "q=zyxwvut"), ==, 0); /* only a pending practice has it */
}

static void
test_search_facets_func (Fixture *fixture, gconstpointer data)
{
	JsonObject *root = search (fixture, "country=SE&country=DK&project=EPI");

	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 1);
	/* the country facet ignores the country filter: EPI practices in every country */
	g_assert_cmpint (facet (root, "country", "LV"), ==, 1);
	g_assert_cmpint (facet (root, "country", "DK"), ==, 1);
	g_assert_cmpint (facet (root, "country", "SE"), ==, 0);
	/* the project facet ignores the project filter: SE or DK practices of any project */
	g_assert_cmpint (facet (root, "project", "ELAINE 2.0"), ==, 1);
	g_assert_cmpint (facet (root, "project", "EPI"), ==, 1);
	root = search (fixture, "theme=volunteering&theme=sport-culture&year_from=2020");
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 3);
	g_assert_cmpint (facet (root, "year", "2019"), ==, 1);
	g_assert_cmpint (facet (root, "focus", "interact"), ==, 2);
	g_assert_cmpint (total (fixture, "focus=governance&language=lv"), ==, 1);
}

static void
test_search_snippet_func (Fixture *fixture, gconstpointer data)
{
	JsonObject *root = search (fixture, "q=mentors");
	JsonObject *result =
	    json_array_get_object_element (json_object_get_array_member (root, "results"), 0);
	const char *snippet = json_object_get_string_member (result, "snippet");

	g_assert_nonnull (strstr (snippet, "<mark>mentors</mark>"));
	g_assert_nonnull (strstr (snippet, "&lt;script&gt;"));
	g_assert_null (strstr (snippet, "<script>"));
}

static void
test_search_suggest_func (Fixture *fixture, gconstpointer data)
{
	JsonObject *root = search (fixture, "q=Krstianstad");
	JsonArray *suggestions = json_object_get_array_member (root, "suggestions");

	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 0);
	g_assert_cmpuint (json_array_get_length (suggestions), ==, 1);
	g_assert_cmpstr (json_array_get_string_element (suggestions, 0), ==, "kristianstad");
	/* a stop word is never corrected ("den" is in the set, "dem" not) */
	root = search (fixture, "q=Krstianstad+dem");
	suggestions = json_object_get_array_member (root, "suggestions");
	g_assert_cmpuint (json_array_get_length (suggestions), ==, 1);
	g_assert_cmpstr (json_array_get_string_element (suggestions, 0), ==, "kristianstad dem");
	/* the pending practice's words are never suggested */
	root = search (fixture, "q=zyxwvat");
	g_assert_cmpuint (
	    json_array_get_length (json_object_get_array_member (root, "suggestions")), ==, 0);
}

static void
add_practice_in (Fixture *fixture, const char *uid, const char *language, const char *title,
		 const char *body)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = px_practice_new ();

	practice->uid = g_strdup (uid);
	practice->language = g_strdup (language);
	practice->title = g_strdup (title);
	practice->summary = g_strdup ("A practice of the ranking test.");
	practice->body = g_strdup (body);
	practice->status = PX_STATUS_PUBLISHED;
	g_assert_true (px_records_add (fixture->writer, practice, &error));
	g_assert_no_error (error);
}

static void
add_practice (Fixture *fixture, const char *uid, const char *title, const char *body)
{
	add_practice_in (fixture, uid, NULL, title, body);
}

/* Returns: (transfer none): the uid of the @index-th result of @root */
static const char *
result_uid (JsonObject *root, guint index)
{
	JsonArray *results = json_object_get_array_member (root, "results");

	g_assert_cmpuint (json_array_get_length (results), >, index);
	return json_object_get_string_member (json_array_get_object_element (results, index),
					      "uid");
}

/* the word itself in the title ranks above a form of it (its stem) in the body, whichever is
 * newer, in a stemmed language and in one without a stemmer */
static void
test_search_ranking_stems_func (Fixture *fixture, gconstpointer data)
{
	JsonObject *root;

	add_practice_in (fixture, "rank-exact-title", "en", "Job coaching for newcomers",
			 "Weekly meetings with a coach.");
	add_practice_in (fixture, "rank-stem-body", "en", "Another practice",
			 "Newcomers find jobs with mentors, and the jobs last.");
	root = search (fixture, "q=job");
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 2);
	g_assert_cmpstr (result_uid (root, 0), ==, "rank-exact-title");
	root = search (fixture, "q=jobs");
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 2);
	g_assert_cmpstr (result_uid (root, 0), ==, "rank-exact-title");
	add_practice_in (fixture, "rank-lv-title", "lv", "Valoda visiem", "Kursi pieaugušajiem.");
	add_practice_in (fixture, "rank-lv-body", "lv", "Kursi",
			 "Latviešu valodas kursi pieaugušajiem, valodas klubs.");
	root = search (fixture, "q=valoda");
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 2);
	g_assert_cmpstr (result_uid (root, 0), ==, "rank-lv-title");
}

static void
test_search_ranking_func (Fixture *fixture, gconstpointer data)
{
	JsonArray *results;

	/* added in this order, the body match is the newer one */
	add_practice (fixture, "rank-title", "Housing for newcomers", "Flats and rooms.");
	add_practice (fixture, "rank-body", "Another practice", "It also mentions housing once.");
	results = json_object_get_array_member (search (fixture, "q=housing"), "results");
	g_assert_cmpuint (json_array_get_length (results), ==, 2);
	g_assert_cmpstr (
	    json_object_get_string_member (json_array_get_object_element (results, 0), "uid"), ==,
	    "rank-title");
	results =
	    json_object_get_array_member (search (fixture, "q=housing&sort=newest"), "results");
	g_assert_cmpstr (
	    json_object_get_string_member (json_array_get_object_element (results, 0), "uid"), ==,
	    "rank-body");
}

static void
test_search_pages_func (Fixture *fixture, gconstpointer data)
{
	JsonObject *root = search (fixture, "per_page=4&page=2&sort=newest");

	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 6);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "results")),
			  ==, 2);
}

/* adds a published practice in @country whose title and summary are @title */
static void
add_titled (Fixture *fixture, const char *uid, const char *title, const char *country)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = px_practice_new ();

	practice->uid = g_strdup (uid);
	practice->title = g_strdup (title);
	practice->summary = g_strdup (title);
	practice->country = g_strdup (country);
	practice->status = PX_STATUS_PUBLISHED;
	g_assert_true (px_records_add (fixture->writer, practice, &error));
	g_assert_no_error (error);
}

/* Returns: (transfer full): the uids of @root's results, each with " (partial)" when the API
 * marks it so, joined by ", " */
static char *
result_uids (JsonObject *root)
{
	JsonArray *results = json_object_get_array_member (root, "results");
	g_autoptr (GString) uids = g_string_new (NULL);

	for (guint i = 0; i < json_array_get_length (results); i++) {
		JsonObject *result = json_array_get_object_element (results, i);
		const char *matched = json_object_get_string_member (result, "matched");

		g_assert_true (g_str_equal (matched, "full") || g_str_equal (matched, "partial"));
		g_string_append_printf (uids, "%s%s%s", i > 0 ? ", " : "",
					json_object_get_string_member (result, "uid"),
					g_str_equal (matched, "partial") ? " (partial)" : "");
	}
	return g_string_free (g_steal_pointer (&uids), FALSE);
}

/* asserts the results of GET /api/practices?@query, and its total */
static void
assert_results (Fixture *fixture, const char *query, gint64 expected_total, const char *expected)
{
	JsonObject *root = search (fixture, query);
	g_autofree char *uids = result_uids (root);

	g_test_message ("%s: %s", query, uids);
	g_assert_cmpstr (uids, ==, expected);
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, expected_total);
}

/* the full matches fill too little of a page: it goes on with the practices that lack the last
 * required word, then the last two..., each level ranked after the one before it, marked
 * partial, never shown twice; they fill only the page where the full matches end, under the
 * same filters, and neither total nor the facets count them */
static void
test_search_partial_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchResult) result = NULL;
	JsonObject *root;

	/* added oldest first: p-3 is the newest full match */
	add_titled (fixture, "p-1", "Lanterns by the harbour for the boats", "SE");
	add_titled (fixture, "p-12", "Lanterns by the harbour", "DK");
	add_titled (fixture, "p-1b", "Lanterns and the boats", "SE");
	add_titled (fixture, "p-2", "Lanterns, harbour, boats, lanterns", "DK");
	add_titled (fixture, "p-l", "Lanterns alone", "SE");
	add_titled (fixture, "p-hb", "Harbour boats, no light", "SE");
	add_titled (fixture, "p-3", "Harbour boats with lanterns", "DK");

	assert_results (fixture, "q=lanterns+harbour+boats&sort=newest", 3,
			"p-3, p-2, p-1, p-12 (partial), p-l (partial), p-1b (partial)");
	/* by relevance too, each level after the one before: lanterns harbour, then lanterns (the
	 * shorter text first, as bm25 has it) */
	assert_results (fixture, "q=lanterns+harbour+boats&per_page=5", 3,
			"p-2, p-3, p-1, p-12 (partial), p-l (partial)");
	/* stop words need not match, and are no words to drop */
	assert_results (fixture, "q=lanterns+for+the+harbour+of+boats&per_page=4&sort=newest", 3,
			"p-3, p-2, p-1, p-12 (partial)");
	/* the page on which the full matches end goes on with partial ones; the pages after it
	 * are empty, as they are without partial matches */
	assert_results (fixture, "q=lanterns+harbour+boats&per_page=2&sort=newest", 3, "p-3, p-2");
	assert_results (fixture, "q=lanterns+harbour+boats&per_page=2&page=2&sort=newest", 3,
			"p-1, p-12 (partial)");
	assert_results (fixture, "q=lanterns+harbour+boats&per_page=2&page=3&sort=newest", 3, "");
	assert_results (fixture, "q=lanterns+harbour+boats&per_page=3&page=2&sort=newest", 3, "");
	/* nothing full: the first page is partial matches alone, the second empty */
	assert_results (fixture, "q=lanterns+harbour+qqqzz&per_page=3&sort=newest", 0,
			"p-3 (partial), p-2 (partial), p-12 (partial)");
	assert_results (fixture, "q=lanterns+harbour+qqqzz&per_page=3&page=2&sort=newest", 0, "");
	/* the first word is always required: p-hb has the other two */
	assert_results (fixture, "q=qqqzz+harbour+boats", 0, "");
	/* filters hold for partial matches, the facets count the full ones alone */
	root = search (fixture, "q=lanterns+harbour+boats&country=SE&sort=newest");
	g_assert_cmpint (facet (root, "country", "SE"), ==, 1);
	g_assert_cmpint (facet (root, "country", "DK"), ==, 2);
	assert_results (fixture, "q=lanterns+harbour+boats&country=SE&sort=newest", 1,
			"p-1, p-l (partial), p-1b (partial)");
	/* exclusions hold for them too */
	assert_results (fixture, "q=lanterns+harbour+boats+-alone&sort=newest", 3,
			"p-3, p-2, p-1, p-12 (partial), p-1b (partial)");
	/* one required word, a phrase or an OR: nothing to drop */
	assert_results (fixture, "q=qqqzz+for+the", 0, "");
	assert_results (fixture, "q=%22boats+harbour+lanterns%22", 0, "");
	assert_results (fixture, "q=lanterns+OR+qqqzz&per_page=1&sort=newest", 6, "p-3");

	/* the typed result carries the flag */
	result = search_result (fixture, "q=lanterns+harbour+boats&sort=newest", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (result->total, ==, 3);
	g_assert_cmpuint (result->hits->len, ==, 6);
	for (guint i = 0; i < result->hits->len; i++) {
		const PxSearchHit *hit = g_ptr_array_index (result->hits, i);
		g_assert_cmpint (hit->partial, ==, i >= 3);
	}
}

/* a stop word of any language need not match: "for" is not in the practice */
static void
test_search_stopwords_func (Fixture *fixture, gconstpointer data)
{
	add_titled (fixture, "s-1", "Job coaching of refugees", "SE");
	assert_results (fixture, "q=coaching+for+refugees", 1, "s-1");
	assert_results (fixture, "q=coaching+f%C3%BCr+die+refugees+w+och", 1, "s-1");
	/* a phrase keeps its stop words; partial matches drop the phrase whole */
	assert_results (fixture, "q=%22coaching+for+refugees%22", 0, "");
	assert_results (fixture, "q=%22coaching+of+refugees%22", 1, "s-1");
	/* stop words alone are all looked for, so the partial matches drop them too */
	assert_results (fixture, "q=of", 1, "s-1");
	assert_results (fixture, "q=of+the", 0, "s-1 (partial)");
	assert_results (fixture, "q=the+of", 0, "t-en (partial)");
	/* an excluded stop word stays excluded */
	assert_results (fixture, "q=coaching+-of", 0, "");
}

/* each renderer has its own entries: the API's bytes are never another renderer's answer */
static void
test_search_cache_renderer_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxSearchRequest) request = parse_request ("q=graz");
	g_autoptr (GBytes) other = NULL;
	g_autoptr (GBytes) again = NULL;
	gboolean hit = TRUE;

	search_cached (fixture, "q=graz", &hit);
	g_assert_false (hit);
	search_cached (fixture, "q=graz", &hit);
	g_assert_true (hit);
	other = px_search_index_lookup (fixture->index, "other-renderer", request);
	g_assert_null (other);
	again = px_search_index_lookup (fixture->index, PX_API_SEARCH_RENDERER, request);
	g_assert_nonnull (again);
}

/* the cache answers a repeated search, and a write through another connection (which only the
 * change counter tells this process about) is seen by the very next search, cached or not */
static void
test_search_cache_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) graz = get_practice (fixture, "t-de");
	g_autoptr (PxPractice) kristianstad = get_practice (fixture, "t-sv");
	gboolean hit = TRUE;

	g_assert_cmpint (
	    json_object_get_int_member (search_cached (fixture, "q=graz", &hit), "total"), ==, 1);
	g_assert_false (hit);
	g_assert_cmpint (
	    json_object_get_int_member (search_cached (fixture, "q=graz", &hit), "total"), ==, 1);
	g_assert_true (hit);
	g_assert_cmpint (facet (search_cached (fixture, "", &hit), "country", "FI"), ==, 0);

	/* a rejection leaves the words in the index: only a fresh snapshot hides the practice */
	g_assert_true (px_records_set_status (fixture->writer, graz, PX_STATUS_REJECTED, &error));
	g_assert_no_error (error);
	g_assert_cmpint (
	    json_object_get_int_member (search_cached (fixture, "q=graz", &hit), "total"), ==, 0);
	g_assert_false (hit);
	g_assert_cmpint (
	    json_object_get_int_member (search_cached (fixture, "q=graz", &hit), "total"), ==, 0);
	g_assert_true (hit);

	/* a change of a filter value alone, seen by the facets */
	g_free (kristianstad->country);
	kristianstad->country = g_strdup ("FI");
	g_assert_true (px_records_update (fixture->writer, kristianstad, &error));
	g_assert_cmpint (facet (search_cached (fixture, "", &hit), "country", "FI"), ==, 1);
	g_assert_false (hit);
	g_assert_cmpint (total (fixture, "country=FI"), ==, 1);

	/* published again, found again */
	g_assert_true (px_records_set_status (fixture->writer, graz, PX_STATUS_PUBLISHED, &error));
	g_assert_cmpint (
	    json_object_get_int_member (search_cached (fixture, "q=graz", &hit), "total"), ==, 1);
	g_assert_false (hit);
}

/* the cache holds at most cache_bytes, keeps the newest answers and no answer too large */
static void
test_search_cache_bytes_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchIndex) small = NULL;
	gsize capacity = 12 * 1024;
	gboolean hit = FALSE;

	px_search_index_free (fixture->index);
	fixture->config->cache_bytes = capacity;
	fixture->index = px_search_index_new (fixture->config, &error);
	g_assert_no_error (error);
	for (guint page = 1; page <= 30; page++) {
		g_autofree char *query = g_strdup_printf ("per_page=1&page=%u&sort=newest", page);

		search_cached (fixture, query, &hit);
		g_assert_false (hit);
		g_assert_cmpuint (px_search_index_get_cache_size (fixture->index), <=, capacity);
		g_assert_cmpuint (px_search_index_get_cache_size (fixture->index), >, 0);
		search_cached (fixture, query, &hit);
		g_assert_true (hit);
	}
	/* the first ones were evicted */
	search_cached (fixture, "per_page=1&page=1&sort=newest", &hit);
	g_assert_false (hit);
	/* every practice with its snippet: more than a quarter of 12 KiB, so not kept */
	px_search_index_free (fixture->index);
	fixture->config->cache_bytes = 4096;
	fixture->index = px_search_index_new (fixture->config, &error);
	search_cached (fixture, "per_page=100", &hit);
	search_cached (fixture, "per_page=100", &hit);
	g_assert_false (hit);
	g_assert_cmpuint (px_search_index_get_cache_size (fixture->index), ==, 0);
}

typedef struct {
	Fixture *fixture;
	const char *uid;
	gboolean delete;
	guint calls;
} RaceWrite;

/* between choosing the page and reading its rows: reject and retitle, or delete, one of them */
static void
race_write_cb (gpointer user_data)
{
	RaceWrite *write = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = NULL;

	if (write->calls++ > 0)
		return;
	practice = get_practice (write->fixture, write->uid);
	if (write->delete) {
		g_assert_true (px_records_delete (write->fixture->writer, practice->id, &error));
	} else {
		g_free (practice->title);
		practice->title = g_strdup ("Rejected title, never public");
		g_assert_true (px_records_update (write->fixture->writer, practice, &error));
		g_assert_true (px_records_set_status (write->fixture->writer, practice,
						      PX_STATUS_REJECTED, &error));
	}
	g_assert_no_error (error);
}

/* a search reads one snapshot: a write between its steps changes nothing it returns, and the
 * next search sees the write */
static void
test_search_snapshot_func (Fixture *fixture, gconstpointer data)
{
	RaceWrite write = {fixture, "t-de", GPOINTER_TO_INT (data), 0};
	JsonObject *root;

	px_search_index_set_hook (fixture->index, race_write_cb, &write);
	root = search (fixture, "q=graz OR kristianstad");
	g_assert_cmpuint (write.calls, ==, 1);
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 2);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "results")),
			  ==, 2);
	g_assert_true (has_title (root, "Integrationsprojekt für Frauen in Graz"));
	g_assert_false (has_title (root, "Rejected title, never public"));
	root = search (fixture, "q=graz OR kristianstad");
	g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 1);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "results")),
			  ==, 1);
	g_assert_false (has_title (root, "Rejected title, never public"));
	g_assert_cmpint (facet (search (fixture, ""), "country", "AT"), ==, 0);
}

/* the row ids index of the facet snapshot takes any id, however sparse */
static void
test_search_sparse_ids_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = px_practice_new ();

	g_assert_cmpint (
	    sqlite3_exec (px_store_get_db (fixture->writer),
			  "INSERT INTO practices (id, uid, status, title, summary, city, country, "
			  "created_at, updated_at, published_at) VALUES (4294967301, 't-far', "
			  "'published', 'Far away', 'Beyond two to the 32nd.', 'Zzyzx', 'US', "
			  "'2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z')",
			  NULL, NULL, NULL),
	    ==, SQLITE_OK);
	g_assert_cmpint (total (fixture, "q=zzyzx"), ==, 1);
	g_assert_cmpint (total (fixture, "country=US"), ==, 1);
	g_assert_cmpint (total (fixture, ""), ==, 7);
	g_assert_cmpint (facet (search (fixture, "q=graz"), "city", "Graz"), ==, 1);
	/* the next id follows it */
	practice->title = g_strdup ("After the far one");
	practice->summary = g_strdup ("Zzyzx again.");
	practice->status = PX_STATUS_PUBLISHED;
	g_assert_true (px_records_add (fixture->writer, practice, &error));
	g_assert_cmpint (practice->id, ==, G_GINT64_CONSTANT (4294967302));
	g_assert_cmpint (total (fixture, "q=zzyzx"), ==, 2);
}

/* the words of pending and rejected practices never change what anonymous users are offered */
static void
test_search_suggest_published_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) hidden = px_practice_new ();
	JsonArray *suggestions;

	hidden->title = g_strdup ("Krstianstad spelled wrong, Graaz too");
	hidden->summary = g_strdup ("Only a pending practice has these words.");
	hidden->status = PX_STATUS_PENDING;
	g_assert_true (px_records_add (fixture->writer, hidden, &error));
	g_assert_no_error (error);
	for (guint round = 0; round < 2; round++) {
		suggestions =
		    json_object_get_array_member (search (fixture, "q=Krstianstad"), "suggestions");
		g_assert_cmpuint (json_array_get_length (suggestions), ==, 1);
		g_assert_cmpstr (json_array_get_string_element (suggestions, 0), ==,
				 "kristianstad");
		suggestions =
		    json_object_get_array_member (search (fixture, "q=grazz"), "suggestions");
		g_assert_cmpuint (json_array_get_length (suggestions), ==, 1);
		g_assert_cmpstr (json_array_get_string_element (suggestions, 0), ==, "graz");
		g_assert_true (
		    px_records_set_status (fixture->writer, hidden, PX_STATUS_REJECTED, &error));
	}
}

static void
deadline_passed_cb (gpointer user_data)
{
	Fixture *fixture = user_data;

	px_store_set_deadline (fixture->reader, 1);
}

/* a deadline the caller set stands, and binds the C work after the SQL too */
static void
test_search_deadline_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) bytes = NULL;

	px_store_set_deadline (fixture->reader, g_get_monotonic_time () - 1);
	bytes = search_bytes (fixture, "q=graz", &error);
	g_assert_null (bytes);
	g_assert_error (error, PX_ERROR, PX_ERROR_TIMEOUT);
	g_clear_error (&error);
	g_assert_cmpint (px_store_get_deadline (fixture->reader), !=, 0);
	px_store_set_deadline (fixture->reader, 0);
	g_assert_cmpint (total (fixture, "q=graz"), ==, 1);
	g_assert_cmpint (px_store_get_deadline (fixture->reader), ==, 0);
	/* the deadline passes once the SQL is done, while the results are built */
	px_search_index_set_hook (fixture->index, deadline_passed_cb, fixture);
	bytes = search_bytes (fixture, "per_page=100", &error);
	g_assert_null (bytes);
	g_assert_error (error, PX_ERROR, PX_ERROR_TIMEOUT);
	px_search_index_set_hook (fixture->index, NULL, NULL);
	px_store_set_deadline (fixture->reader, 0);
	g_assert_cmpint (total (fixture, ""), ==, 6);
}

/* running out of memory inside SQLite is an internal error (500), never "try plain words" */
static void
test_search_internal_error_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	guint internal = 0;

	/* prepare every statement first, so the failures come from stepping them */
	g_assert_cmpint (total (fixture, "q=Integrationsprojekte"), >, 0);
	for (sqlite3_int64 room = 0; room < 256 * 1024; room += 4096) {
		g_autoptr (GBytes) bytes = NULL;

		sqlite3_hard_heap_limit64 (sqlite3_memory_used () + room);
		bytes = search_bytes (fixture, "q=Integrationsprojekte", &error);
		sqlite3_hard_heap_limit64 (0);
		if (bytes != NULL)
			break;
		g_test_message ("with %lld bytes to spare: %s", (long long)room, error->message);
		g_assert_false (g_error_matches (error, PX_ERROR, PX_ERROR_INVALID));
		internal++;
		g_clear_error (&error);
	}
	g_assert_cmpuint (internal, >, 0);
	g_assert_cmpint (total (fixture, "q=Integrationsprojekte"), >, 0);
}

/* the golden answers: tests/unit/search/NAME.query holds the parameters of one search over
 * the test set and its long practices, NAME.expected the exact bytes of its answer. With
 * PX_TEST_UPDATE_GOLDEN=1 in the environment the test writes the .expected files instead. */
static const char *const golden_cases[] = {
    "mentors", "newest",    "suggest", "or-newest",  "phrase",	   "prefix",
    "filters", "facets",    "page",    "no-words",   "empty-page", "cut-middle",
    "cut-end", "cut-start", "title",   "diacritics", "several",	   "partial",
};

static void
golden_set_up (Fixture *fixture, gconstpointer data)
{
	fixture_set_up (fixture, data);
	px_test_import_data (fixture->writer, "unit-long-practices.jsonl");
	/* fixed times, so that the answers are the same bytes on every run */
	g_assert_cmpint (
	    sqlite3_exec (px_store_get_db (fixture->writer),
			  "UPDATE practices SET created_at = printf('2024-01-%02dT10:00:00Z', id), "
			  "updated_at = printf('2024-02-%02dT10:00:00Z', id), published_at = "
			  "CASE WHEN published_at IS NULL THEN NULL "
			  "ELSE printf('2024-03-%02dT10:00:00Z', id) END",
			  NULL, NULL, NULL),
	    ==, SQLITE_OK);
}

/* Returns: (transfer full): the bytes of the golden file @name.@suffix, or NULL if it is missing */
static char *
golden_read (const char *name, const char *suffix, gsize *length)
{
	g_autofree char *file = g_strconcat (name, suffix, NULL);
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "search", file, NULL);
	char *contents = NULL;

	if (!g_file_get_contents (path, &contents, length, NULL))
		return NULL;
	return contents;
}

static void
test_search_golden_func (Fixture *fixture, gconstpointer data)
{
	const char *name = data;
	g_autoptr (GError) error = NULL;
	gsize query_length = 0, expected_length = 0;
	g_autofree char *query = golden_read (name, ".query", &query_length);
	g_autofree char *expected = NULL;
	g_autoptr (GBytes) bytes = NULL;
	const char *answer;
	gsize length, same = 0;

	g_assert_nonnull (query);
	g_strchomp (query);
	bytes = search_bytes (fixture, query, &error);
	g_assert_no_error (error);
	answer = g_bytes_get_data (bytes, &length);
	if (g_strcmp0 (g_getenv ("PX_TEST_UPDATE_GOLDEN"), "1") == 0) {
		g_autofree char *file = g_strconcat (name, ".expected", NULL);
		g_autofree char *path = g_test_build_filename (G_TEST_DIST, "search", file, NULL);

		g_assert_true (g_file_set_contents (path, answer, (gssize)length, &error));
		g_assert_no_error (error);
		return;
	}
	expected = golden_read (name, ".expected", &expected_length);
	g_assert_nonnull (expected);
	while (same < length && same < expected_length && answer[same] == expected[same])
		same++;
	if (same < length || same < expected_length) {
		g_test_message ("%s: the answer differs from byte %" G_GSIZE_FORMAT, name, same);
		g_test_message ("expected: %.80s", expected + MIN (same, expected_length));
		g_test_message ("got:      %.*s", (int)MIN (80, length - same), answer + same);
	}
	g_assert_cmpmem (answer, length, expected, expected_length);
}

/* Returns: (transfer none): the first hit of @result */
static const PxSearchHit *
first_hit (const PxSearchResult *result)
{
	g_assert_cmpuint (result->hits->len, >, 0);
	return g_ptr_array_index (result->hits, 0);
}

/* asserts that @text has exactly one range and that it covers @word */
static void
assert_one_range (const PxSnippetText *text, const char *word)
{
	const PxSnippetRange *range;

	g_assert_cmpuint (text->ranges->len, ==, 1);
	range = &g_array_index (text->ranges, PxSnippetRange, 0);
	g_assert_cmpuint (range->start + range->length, <=, strlen (text->text));
	g_assert_cmpmem (text->text + range->start, range->length, word, strlen (word));
}

/* a snippet marks the words the index found in the practice's own language: no other
 * language's stem marks a word */
static void
test_search_snippet_language_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchResult) result = NULL;
	const PxSearchHit *hit;

	add_practice_in (fixture, "snippet-en", "en", "Volunteers for integration",
			 "Volunteers help with integration.");
	add_practice_in (fixture, "snippet-de", "de", "Gesundheitslotsen",
			 "Die Gesundheitslotsen begleiten Familien.");
	/* "integracion" is the Spanish "integr": the English "integration" stays unmarked */
	result = search_result (fixture, "q=volunteers+OR+integracion&language=en", &error);
	g_assert_no_error (error);
	hit = first_hit (result);
	g_assert_cmpstr (hit->practice->uid, ==, "snippet-en");
	assert_one_range (hit->title, "Volunteers");
	g_clear_pointer (&result, px_search_result_free);
	/* the German stem marks the German forms */
	result = search_result (fixture, "q=Gesundheitslotse", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (result->total, ==, 1);
	hit = first_hit (result);
	assert_one_range (hit->title, "Gesundheitslotsen");
	assert_one_range (hit->snippet, "Gesundheitslotsen");
	g_clear_pointer (&result, px_search_result_free);
	/* a Latvian word is marked by its prefix, as the index found it */
	result = search_result (fixture, "q=klub&language=lv", &error);
	g_assert_no_error (error);
	hit = first_hit (result);
	g_assert_cmpstr (hit->practice->uid, ==, "t-lv");
	assert_one_range (hit->title, "klubu");
}

/* the typed result's snippets: plain text, the ranges on the query's words, the cuts flagged */
static void
test_search_result_snippets_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchResult) result = search_result (fixture, "q=harbour", &error);
	const PxSearchHit *hit;

	g_assert_no_error (error);
	hit = first_hit (result);
	g_assert_cmpstr (hit->practice->uid, ==, "t-long-middle");
	assert_one_range (hit->snippet, "harbour");
	g_assert_true (hit->snippet->cut_start);
	g_assert_true (hit->snippet->cut_end);
	/* not HTML: the quote stays a quote, and the cut text ends with the matched word */
	g_assert_true (g_str_has_suffix (hit->snippet->text, "the \"harbour"));
	g_assert_true (g_str_has_prefix (hit->snippet->text, "of the fishing years"));
	g_assert_nonnull (hit->title);
	g_assert_cmpuint (hit->title->ranges->len, ==, 0);
	g_assert_false (hit->title->cut_start || hit->title->cut_end);
	g_assert_cmpstr (hit->title->text, ==, "Lighthouse keepers' stories & songs");
	g_clear_pointer (&result, px_search_result_free);

	result = search_result (fixture, "q=ferries", &error);
	hit = first_hit (result);
	assert_one_range (hit->snippet, "ferries");
	g_assert_true (hit->snippet->cut_start);
	g_assert_false (hit->snippet->cut_end);
	g_assert_true (g_str_has_suffix (hit->snippet->text, "follows the ferries."));
	g_clear_pointer (&result, px_search_result_free);

	result = search_result (fixture, "q=choir", &error);
	hit = first_hit (result);
	assert_one_range (hit->snippet, "choir");
	g_assert_false (hit->snippet->cut_start);
	g_assert_true (hit->snippet->cut_end);
	g_assert_true (g_str_has_prefix (hit->snippet->text, "A choir of thirty voices"));
	g_assert_true (g_str_has_suffix (hit->snippet->text, "a year, one"));
	g_clear_pointer (&result, px_search_result_free);

	/* in the title, under its folded form; the excerpt from the body */
	result = search_result (fixture, "q=lighthouse", &error);
	hit = first_hit (result);
	assert_one_range (hit->title, "Lighthouse");
	assert_one_range (hit->snippet, "lighthouse");
	g_clear_pointer (&result, px_search_result_free);
	result = search_result (fixture, "q=lodz", &error);
	assert_one_range (first_hit (result)->title, "Łodzi");
	g_clear_pointer (&result, px_search_result_free);

	/* no word searched: the whole summary, no title */
	result = search_result (fixture, "q=%21%21%21&per_page=100", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (result->hits->len, ==, 9);
	for (guint i = 0; i < result->hits->len; i++) {
		hit = g_ptr_array_index (result->hits, i);
		g_assert_null (hit->title);
		g_assert_cmpstr (hit->snippet->text, ==, hit->practice->summary);
		g_assert_cmpuint (hit->snippet->ranges->len, ==, 0);
		g_assert_false (hit->snippet->cut_start || hit->snippet->cut_end);
	}
}

/* the typed result's counts, facets, suggestions and generation */
static void
test_search_result_facets_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchResult) result = search_result (
	    fixture, "theme=volunteering&theme=sport-culture&year_from=2020&per_page=2", &error);
	guint64 generation = 0;
	const PxFacetCount *count;

	g_assert_no_error (error);
	g_assert_cmpuint (result->total, ==, 3);
	g_assert_cmpuint (result->page, ==, 1);
	g_assert_cmpuint (result->per_page, ==, 2);
	g_assert_cmpuint (result->hits->len, ==, 2);
	g_assert_cmpuint (result->suggestions->len, ==, 0);
	g_assert_true (px_store_get_generation (fixture->reader, &generation, &error));
	g_assert_cmpuint (result->generation, ==, generation);
	g_assert_cmpuint (generation, >, 0);
	for (guint f = 0; f < PX_FACET_N; f++) {
		GArray *counts = result->facets[f];

		g_assert_nonnull (counts);
		for (guint i = 1; i < counts->len; i++)
			g_assert_cmpuint (g_array_index (counts, PxFacetCount, i - 1).count, >=,
					  g_array_index (counts, PxFacetCount, i).count);
	}
	/* the year facet ignores year_from: 2021 three times, then 2019 */
	g_assert_cmpuint (result->facets[PX_FACET_YEAR]->len, ==, 2);
	count = &g_array_index (result->facets[PX_FACET_YEAR], PxFacetCount, 0);
	g_assert_cmpstr (count->value, ==, "2021");
	g_assert_cmpuint (count->count, ==, 3);
	count = &g_array_index (result->facets[PX_FACET_YEAR], PxFacetCount, 1);
	g_assert_cmpstr (count->value, ==, "2019");
	/* equal counts in alphabetical order */
	g_assert_cmpuint (result->facets[PX_FACET_FOCUS]->len, ==, 2);
	count = &g_array_index (result->facets[PX_FACET_FOCUS], PxFacetCount, 0);
	g_assert_cmpstr (count->value, ==, "interact");
	g_assert_cmpuint (count->count, ==, 2);
	count = &g_array_index (result->facets[PX_FACET_FOCUS], PxFacetCount, 1);
	g_assert_cmpstr (count->value, ==, "participation");
	g_assert_cmpuint (count->count, ==, 2);
	g_clear_pointer (&result, px_search_result_free);

	result = search_result (fixture, "q=Krstianstad", &error);
	g_assert_cmpuint (result->total, ==, 0);
	g_assert_cmpuint (result->hits->len, ==, 0);
	g_assert_cmpuint (result->suggestions->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (result->suggestions, 0), ==, "kristianstad");
	for (guint f = 0; f < PX_FACET_N; f++)
		g_assert_cmpuint (result->facets[f]->len, ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/praxis/search/languages", Fixture, NULL, fixture_set_up,
		    test_search_languages_func, fixture_tear_down);
	g_test_add ("/praxis/search/facets", Fixture, NULL, fixture_set_up, test_search_facets_func,
		    fixture_tear_down);
	g_test_add ("/praxis/search/snippet", Fixture, NULL, fixture_set_up,
		    test_search_snippet_func, fixture_tear_down);
	g_test_add ("/praxis/search/suggest", Fixture, NULL, fixture_set_up,
		    test_search_suggest_func, fixture_tear_down);
	g_test_add ("/praxis/search/ranking", Fixture, NULL, fixture_set_up,
		    test_search_ranking_func, fixture_tear_down);
	g_test_add ("/praxis/search/ranking-stems", Fixture, NULL, fixture_set_up,
		    test_search_ranking_stems_func, fixture_tear_down);
	g_test_add ("/praxis/search/snippet-language", Fixture, NULL, fixture_set_up,
		    test_search_snippet_language_func, fixture_tear_down);
	g_test_add ("/praxis/search/pages", Fixture, NULL, fixture_set_up, test_search_pages_func,
		    fixture_tear_down);
	g_test_add ("/praxis/search/partial", Fixture, NULL, fixture_set_up,
		    test_search_partial_func, fixture_tear_down);
	g_test_add ("/praxis/search/stopwords", Fixture, NULL, fixture_set_up,
		    test_search_stopwords_func, fixture_tear_down);
	g_test_add ("/praxis/search/cache", Fixture, NULL, fixture_set_up, test_search_cache_func,
		    fixture_tear_down);
	g_test_add ("/praxis/search/cache-renderer", Fixture, NULL, fixture_set_up,
		    test_search_cache_renderer_func, fixture_tear_down);
	g_test_add ("/praxis/search/cache-bytes", Fixture, NULL, fixture_set_up,
		    test_search_cache_bytes_func, fixture_tear_down);
	g_test_add ("/praxis/search/snapshot-reject", Fixture, GINT_TO_POINTER (FALSE),
		    fixture_set_up, test_search_snapshot_func, fixture_tear_down);
	g_test_add ("/praxis/search/snapshot-delete", Fixture, GINT_TO_POINTER (TRUE),
		    fixture_set_up, test_search_snapshot_func, fixture_tear_down);
	g_test_add ("/praxis/search/sparse-ids", Fixture, NULL, fixture_set_up,
		    test_search_sparse_ids_func, fixture_tear_down);
	g_test_add ("/praxis/search/suggest-published", Fixture, NULL, fixture_set_up,
		    test_search_suggest_published_func, fixture_tear_down);
	g_test_add ("/praxis/search/deadline", Fixture, NULL, fixture_set_up,
		    test_search_deadline_func, fixture_tear_down);
	g_test_add ("/praxis/search/internal-error", Fixture, NULL, fixture_set_up,
		    test_search_internal_error_func, fixture_tear_down);
	g_test_add ("/praxis/search/result-snippets", Fixture, NULL, golden_set_up,
		    test_search_result_snippets_func, fixture_tear_down);
	g_test_add ("/praxis/search/result-facets", Fixture, NULL, fixture_set_up,
		    test_search_result_facets_func, fixture_tear_down);
	for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++) {
		g_autofree char *path =
		    g_strdup_printf ("/praxis/search/golden/%s", golden_cases[i]);
		g_test_add (path, Fixture, golden_cases[i], golden_set_up, test_search_golden_func,
			    fixture_tear_down);
	}
	return g_test_run ();
}
