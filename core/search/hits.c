/* hits.c: the practices the full-text index matches for an FTS5 expression, with their bm25
 * scores: the one statement over practices_fts that the search and "did you mean" share. */
#define G_LOG_DOMAIN "PxSearch"

#include "hits.h"
#include "util/error.h"

GArray *
px_hits_find (PxStore *reader, const char *fts, gboolean scored, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    reader,
	    scored ? "SELECT rowid, rank FROM practices_fts WHERE practices_fts MATCH ?1"
		   : "SELECT rowid, 0 FROM practices_fts WHERE practices_fts MATCH ?1",
	    error);
	g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (PxHit));
	g_autoptr (GError) local_error = NULL;
	int rc;

	if (statement == NULL)
		return NULL;
	sqlite3_bind_text (statement, 1, fts, -1, SQLITE_STATIC);
	while ((rc = px_store_step (reader, statement, &local_error)) == SQLITE_ROW) {
		PxHit hit = {sqlite3_column_int64 (statement, 0),
			     sqlite3_column_double (statement, 1)};
		g_array_append_val (hits, hit);
	}
	if (rc == SQLITE_DONE)
		return g_steal_pointer (&hits);
	/* the translator writes only valid syntax; should FTS5 still refuse it (plain SQLITE_ERROR
	 * when stepping a MATCH), the user gets a 400. I/O and memory failures stay internal. */
	if (g_error_matches (local_error, PX_ERROR, PX_ERROR_INTERNAL) &&
	    px_store_get_error_code (reader) == SQLITE_ERROR) {
		g_warning ("FTS5 refused '%s': %s", fts, local_error->message);
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the query could not be searched: try plain words");
		return NULL;
	}
	g_propagate_error (error, g_steal_pointer (&local_error));
	return NULL;
}
