/* test-search.c: searches over a small multilingual set: word forms, diacritics, filters,
 * facet counts (each facet ignores its own filter), snippets, suggestions, the cache. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "error.h"
#include "form.h"
#include "jsonl.h"
#include "search.h"
#include "test-util.h"

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

/* Returns: (transfer none): the response object of GET /api/practices?@query */
static JsonObject *
search (Fixture *fixture, const char *query)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) pairs = px_form_decode (query, &error);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxSearchRequest) request = px_search_request_parse (pairs, errors);
	g_autoptr (GBytes) bytes = NULL;

	g_assert_nonnull (request);
	bytes = px_search_run (fixture->index, fixture->reader, request, &error);
	g_assert_no_error (error);
	g_assert_true (json_parser_load_from_data (fixture->parser, g_bytes_get_data (bytes, NULL),
						   (gssize)g_bytes_get_size (bytes), &error));
	return json_node_get_object (json_parser_get_root (fixture->parser));
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
	/* the pending practice's words are never suggested */
	root = search (fixture, "q=zyxwvat");
	g_assert_cmpuint (
	    json_array_get_length (json_object_get_array_member (root, "suggestions")), ==, 0);
}

static void
add_practice (Fixture *fixture, const char *uid, const char *title, const char *body)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = px_practice_new ();

	practice->uid = g_strdup (uid);
	practice->title = g_strdup (title);
	practice->summary = g_strdup ("A practice of the ranking test.");
	practice->body = g_strdup (body);
	practice->status = PX_STATUS_PUBLISHED;
	g_assert_true (px_store_add_practice (fixture->writer, practice, &error));
	g_assert_no_error (error);
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

static void
test_search_cache_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) cached = NULL;
	g_autoptr (PxPractice) practice = NULL;

	g_assert_cmpint (total (fixture, "q=graz"), ==, 1);
	cached = px_search_index_lookup (
	    fixture->index, "q=graz\x1fsort=0\x1fpage=1\x1fper_page=20\x1fyears=0-0\x1f"
			    "country=\x1f"
			    "city=\x1f"
			    "focus=\x1f"
			    "theme=\x1f"
			    "project=\x1f"
			    "language=");
	g_assert_nonnull (cached);
	/* a write through another connection empties the cache and refreshes the facets */
	practice = px_store_get_practice_by_uid (fixture->writer, "t-de", &error);
	g_assert_true (px_store_delete_practice (fixture->writer, practice->id, &error));
	g_assert_cmpint (total (fixture, "q=graz"), ==, 0);
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
	g_test_add ("/praxis/search/pages", Fixture, NULL, fixture_set_up, test_search_pages_func,
		    fixture_tear_down);
	g_test_add ("/praxis/search/cache", Fixture, NULL, fixture_set_up, test_search_cache_func,
		    fixture_tear_down);
	return g_test_run ();
}
