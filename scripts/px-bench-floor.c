/* px-bench-floor.c: the "straightforward" FTS5 search page, run in-process over the benchmark's
 * query mix, as the floor Praxis is measured against: top 20 by bm25 with snippet and highlight,
 * the total by count(*), and six facets by SQL GROUP BY, each with every filter but its own.
 * Usage: px-bench-floor DB QUERIES [ROUNDS]. Prints p50/p95/p99 of the page and of the top 20. */
#include <stdio.h>
#include <stdlib.h>

#include "search/query.h"
#include "search/search.h"
#include "store/store-private.h"
#include "store/store.h"
#include "util/error.h"
#include "util/form.h"

static const char *const facet_columns[PX_FACET_N] = {
    "p.country", "p.city", NULL, NULL, "p.project", "p.language", "p.year",
};

/* the WHERE clause of the filters, leaving out @skip (PX_FACET_N: none) */
static void
px_floor_append_filters (GString *sql, const PxSearchRequest *request, guint skip)
{
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = request->filters.values[f];

		if (values == NULL || f == skip)
			continue;
		if (f == PX_FACET_FOCUS || f == PX_FACET_THEME)
			g_string_append_printf (
			    sql,
			    " AND EXISTS (SELECT 1 FROM practice_tags t WHERE "
			    "t.practice_id = p.id AND t.kind = '%s' AND t.tag IN (",
			    f == PX_FACET_FOCUS ? "focus" : "theme");
		else
			g_string_append_printf (sql, " AND %s IN (", facet_columns[f]);
		for (guint v = 0; v < values->len; v++) {
			char *quoted =
			    sqlite3_mprintf ("%Q", (const char *)g_ptr_array_index (values, v));
			g_string_append_printf (sql, "%s%s", v > 0 ? "," : "", quoted);
			sqlite3_free (quoted);
		}
		g_string_append (sql, f == PX_FACET_FOCUS || f == PX_FACET_THEME ? "))" : ")");
	}
	if (skip != PX_FACET_YEAR && request->filters.year_from != 0)
		g_string_append_printf (sql, " AND p.year >= %d", request->filters.year_from);
	if (skip != PX_FACET_YEAR && request->filters.year_to != 0)
		g_string_append_printf (sql, " AND p.year <= %d", request->filters.year_to);
}

static GString *
px_floor_base (const char *fts, const char *select)
{
	GString *sql = g_string_new ("SELECT ");

	g_string_append (sql, select);
	if (fts != NULL)
		g_string_append (sql, " FROM practices_fts CROSS JOIN practices p ON p.id = "
				      "practices_fts.rowid WHERE practices_fts MATCH ?1");
	else
		g_string_append (sql, " FROM practices p WHERE 1");
	g_string_append (sql, " AND p.status = 'published'");
	return sql;
}

static void
px_floor_run (sqlite3 *db, const char *sql, const char *fts)
{
	sqlite3_stmt *statement = NULL;

	if (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL) != SQLITE_OK) {
		g_printerr ("%s\n%s\n", sqlite3_errmsg (db), sql);
		exit (1);
	}
	if (fts != NULL)
		sqlite3_bind_text (statement, 1, fts, -1, SQLITE_STATIC);
	while (sqlite3_step (statement) == SQLITE_ROW)
		;
	sqlite3_finalize (statement);
}

static void
px_floor_top (sqlite3 *db, const PxSearchRequest *request, const char *fts)
{
	g_autoptr (GString) sql = px_floor_base (
	    fts, fts != NULL
		     ? "p.id, p.title, p.summary, snippet(practices_fts, -1, '<mark>', "
		       "'</mark>', '…', 24), highlight(practices_fts, 1, '<mark>', '</mark>')"
		     : "p.id, p.title, p.summary");

	px_floor_append_filters (sql, request, PX_FACET_N);
	g_string_append_printf (
	    sql, " ORDER BY %s LIMIT %u OFFSET %u",
	    fts != NULL && request->sort == PX_SORT_RELEVANCE ? "rank" : "p.published_at DESC",
	    request->per_page, (request->page - 1) * request->per_page);
	px_floor_run (db, sql->str, fts);
}

static void
px_floor_rest (sqlite3 *db, const PxSearchRequest *request, const char *fts)
{
	g_autoptr (GString) total = px_floor_base (fts, "count(*)");

	px_floor_append_filters (total, request, PX_FACET_N);
	px_floor_run (db, total->str, fts);
	for (guint f = 0; f < PX_FACET_N; f++) {
		g_autoptr (GString) sql = NULL;

		if (f == PX_FACET_CITY)
			continue;
		if (f == PX_FACET_FOCUS || f == PX_FACET_THEME) {
			sql = px_floor_base (fts, "t.tag, count(*)");
			g_string_replace (sql, " WHERE",
					  " JOIN practice_tags t ON t.practice_id = p.id WHERE", 1);
			g_string_append_printf (sql, " AND t.kind = '%s'",
						f == PX_FACET_FOCUS ? "focus" : "theme");
			px_floor_append_filters (sql, request, f);
			g_string_append (sql, " GROUP BY t.tag");
		} else {
			g_autofree char *select =
			    g_strdup_printf ("%s, count(*)", facet_columns[f]);
			sql = px_floor_base (fts, select);
			px_floor_append_filters (sql, request, f);
			g_string_append_printf (sql, " GROUP BY %s", facet_columns[f]);
		}
		px_floor_run (db, sql->str, fts);
	}
}

static int
px_floor_compare (gconstpointer a, gconstpointer b)
{
	double left = *(const double *)a, right = *(const double *)b;

	return left < right ? -1 : left > right;
}

static void
px_floor_report (const char *what, GArray *times)
{
	g_array_sort (times, px_floor_compare);
	g_print ("floor %s: n=%u p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f\n", what, times->len,
		 g_array_index (times, double, times->len / 2),
		 g_array_index (times, double, times->len * 95 / 100),
		 g_array_index (times, double, times->len * 99 / 100));
}

int
main (int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = px_config_load (NULL, NULL);
	g_autoptr (PxStore) store = NULL;
	g_autofree char *text = NULL;
	g_auto (GStrv) lines = NULL;
	g_autoptr (GArray) page = g_array_new (FALSE, FALSE, sizeof (double));
	g_autoptr (GArray) top = g_array_new (FALSE, FALSE, sizeof (double));
	guint rounds = argc > 3 ? (guint)atoi (argv[3]) : 1;

	if (argc < 3) {
		g_printerr ("usage: px-bench-floor DB QUERIES [ROUNDS]\n");
		return 2;
	}
	store = px_store_open (argv[1], PX_STORE_READ_ONLY, 5000, &error);
	if (store == NULL || !g_file_get_contents (argv[2], &text, NULL, &error)) {
		g_printerr ("px-bench-floor: %s\n", error->message);
		return 1;
	}
	lines = g_strsplit (text, "\n", 0);
	for (guint r = 0; r < rounds; r++) {
		for (guint i = 0; lines[i] != NULL; i++) {
			const char *query = strchr (lines[i], '?');
			g_autoptr (GPtrArray) pairs =
			    px_form_decode (query != NULL ? query + 1 : "", NULL);
			g_autoptr (GPtrArray) errors = px_field_errors_new ();
			g_autoptr (PxSearchRequest) request = NULL;
			g_autoptr (PxQuery) parsed = NULL;
			gint64 start, middle;
			double ms;

			if (lines[i][0] == '\0' || pairs == NULL)
				continue;
			request = px_search_request_parse (pairs, errors);
			if (request == NULL)
				continue;
			if (request->q != NULL)
				parsed = px_query_translate (request->q, NULL);
			start = g_get_monotonic_time ();
			px_floor_top (px_store_get_db (store), request,
				      parsed != NULL ? parsed->fts : NULL);
			middle = g_get_monotonic_time ();
			px_floor_rest (px_store_get_db (store), request,
				       parsed != NULL ? parsed->fts : NULL);
			ms = (middle - start) / 1000.0;
			g_array_append_val (top, ms);
			ms = (g_get_monotonic_time () - start) / 1000.0;
			g_array_append_val (page, ms);
		}
	}
	px_floor_report ("page", page);
	px_floor_report ("top20", top);
	return 0;
}
