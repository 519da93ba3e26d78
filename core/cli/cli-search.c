/* cli-search.c: praxis search, the API's search from the command line, printed as a list from
 * the typed result or as the API's JSON rendering of it. */
#define G_LOG_DOMAIN "Praxis"

#include "api/api-search.h"
#include "cli.h"
#include "model/focus.h"
#include "model/practice.h"
#include "search/search.h"
#include "util/config.h"
#include "util/form.h"

/* the search options, turned into the same parameters the API reads */
typedef struct {
	char **country, **city, **focus, **theme, **project, **language;
	char *year_from, *year_to, *sort, *page, *per_page;
	gboolean json;
} PxCliSearchOptions;

static void
px_cli_search_options_clear (PxCliSearchOptions *options)
{
	g_strfreev (options->country);
	g_strfreev (options->city);
	g_strfreev (options->focus);
	g_strfreev (options->theme);
	g_strfreev (options->project);
	g_strfreev (options->language);
	g_free (options->year_from);
	g_free (options->year_to);
	g_free (options->sort);
	g_free (options->page);
	g_free (options->per_page);
}

static void
px_cli_search_pairs_add_all (GPtrArray *pairs, const char *name, char **values)
{
	for (guint i = 0; values != NULL && values[i] != NULL; i++)
		px_form_pairs_add (pairs, name, values[i]);
}

static GPtrArray *
px_cli_search_options_to_pairs (PxCliSearchOptions *options, const char *q)
{
	GPtrArray *pairs = px_form_pairs_new ();

	px_form_pairs_add (pairs, "q", q);
	px_cli_search_pairs_add_all (pairs, "country", options->country);
	px_cli_search_pairs_add_all (pairs, "city", options->city);
	px_cli_search_pairs_add_all (pairs, "focus", options->focus);
	px_cli_search_pairs_add_all (pairs, "theme", options->theme);
	px_cli_search_pairs_add_all (pairs, "project", options->project);
	px_cli_search_pairs_add_all (pairs, "language", options->language);
	px_form_pairs_add (pairs, "year_from", options->year_from);
	px_form_pairs_add (pairs, "year_to", options->year_to);
	px_form_pairs_add (pairs, "sort", options->sort);
	px_form_pairs_add (pairs, "page", options->page);
	px_form_pairs_add (pairs, "per_page", options->per_page);
	return pairs;
}

static void
px_cli_search_print_results (const PxSearchResult *result)
{
	g_print ("%u practices\n", result->total);
	for (guint i = 0; i < result->hits->len; i++) {
		const PxSearchHit *hit = g_ptr_array_index (result->hits, i);
		const PxPractice *practice = hit->practice;
		g_print ("%4" G_GINT64_FORMAT "  %s%s\n      %s, %s, %d\n", practice->id,
			 practice->title, hit->partial ? "  (partial)" : "",
			 practice->city != NULL ? practice->city : "-",
			 practice->country != NULL ? practice->country : "-", practice->year);
	}
	for (guint i = 0; i < result->suggestions->len; i++)
		g_print ("did you mean: %s\n",
			 (const char *)g_ptr_array_index (result->suggestions, i));
}

/* Returns: (transfer full): what the API's search finds for @request, from a read-only
 * connection */
static PxSearchResult *
px_cli_search_once (PxCli *cli, const PxSearchRequest *request, GError **error)
{
	g_autoptr (PxConfig) config = px_cli_load_config (cli, error);
	g_autoptr (PxStore) store = NULL;
	g_autoptr (PxSearchIndex) index = NULL;

	if (config == NULL)
		return NULL;
	config->cache_bytes = 0;
	store = px_store_open (config->db_path, PX_STORE_READ_ONLY, config->busy_timeout_ms, error);
	if (store == NULL)
		return NULL;
	index = px_search_index_new (config, error);
	if (index == NULL)
		return NULL;
	return px_search_run (index, store, request, error);
}

int
px_cli_search (PxCli *cli, int argc, char **argv)
{
	PxCliSearchOptions options = {0};
	g_autofree char *areas = px_focus_area_list ("or");
	const GOptionEntry entries[] = {
	    {"country", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.country, "ISO code, repeatable",
	     "CC"},
	    {"city", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.city, "city, repeatable", "CITY"},
	    {"focus", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.focus, areas, "AREA"},
	    {"theme", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.theme, "theme, repeatable",
	     "THEME"},
	    {"project", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.project, "project, repeatable",
	     "NAME"},
	    {"language", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.language, "language tag", "TAG"},
	    {"year-from", 0, 0, G_OPTION_ARG_STRING, &options.year_from, "first year", "YEAR"},
	    {"year-to", 0, 0, G_OPTION_ARG_STRING, &options.year_to, "last year", "YEAR"},
	    {"sort", 0, 0, G_OPTION_ARG_STRING, &options.sort, "relevance or newest", "ORDER"},
	    {"page", 0, 0, G_OPTION_ARG_STRING, &options.page, "page number", "N"},
	    {"per-page", 0, 0, G_OPTION_ARG_STRING, &options.per_page, "results per page", "N"},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &options.json, "print the API's JSON", NULL},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) pairs = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxSearchRequest) request = NULL;
	g_autoptr (PxSearchResult) result = NULL;
	int status = 0;

	if (!px_cli_parse (cli, "[QUERY] - search published practices",
			   "Searches as GET /api/practices does; without QUERY lists the newest.",
			   entries, &argc, &argv, &error)) {
		px_cli_search_options_clear (&options);
		return px_cli_fail ("search", error);
	}
	pairs = px_cli_search_options_to_pairs (&options, argc > 1 ? argv[1] : NULL);
	request = px_search_request_parse (pairs, errors);
	if (argc > 2)
		status = px_cli_usage ("search", "quote a query of several words");
	else if (request == NULL) {
		const PxFieldError *first = g_ptr_array_index (errors, 0);
		g_printerr ("praxis search: %s %s\n", first->field, first->message);
		status = PX_CLI_EXIT_USAGE;
	} else if ((result = px_cli_search_once (cli, request, &error)) == NULL) {
		status = px_cli_fail ("search", error);
	} else if (options.json) {
		g_autoptr (GBytes) bytes = px_api_search_render (result);
		g_print ("%.*s\n", (int)g_bytes_get_size (bytes),
			 (const char *)g_bytes_get_data (bytes, NULL));
	} else {
		px_cli_search_print_results (result);
	}
	px_cli_search_options_clear (&options);
	return status;
}
