/* fuzz-query.c: libFuzzer target for the query translator. Any bytes must give either an error
 * or expressions that FTS5 accepts (the query's and its partial matches'). */
#include <sqlite3.h>

#include "search/query.h"
#include "text/tokenizer.h"

static sqlite3 *
px_fuzz_open_db (void)
{
	sqlite3 *db = NULL;

	if (sqlite3_open (":memory:", &db) != SQLITE_OK || !px_tokenizer_register (db, NULL) ||
	    sqlite3_exec (db,
			  "CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'px');"
			  "INSERT INTO t VALUES ('Språkcafé in Malmö for e-bikes');",
			  NULL, NULL, NULL) != SQLITE_OK)
		__builtin_trap ();
	return db;
}

/* traps unless FTS5 runs @expression to the end */
static void
px_fuzz_check (sqlite3 *db, const char *expression)
{
	sqlite3_stmt *statement = NULL;
	int rc;

	sqlite3_prepare_v2 (db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &statement, NULL);
	sqlite3_bind_text (statement, 1, expression, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
		;
	sqlite3_finalize (statement);
	if (rc != SQLITE_DONE)
		__builtin_trap (); /* the translator wrote something FTS5 refuses */
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	static sqlite3 *db = NULL; /* one table for the whole run */
	g_autofree char *text = g_strndup ((const char *)data, size);
	g_autoptr (PxQuery) query = px_query_translate (text, NULL);

	if (query == NULL || query->fts == NULL)
		return 0;
	if (db == NULL)
		db = px_fuzz_open_db ();
	px_fuzz_check (db, query->fts);
	/* and the expressions of the partial matches */
	for (guint i = 0; i < query->partial->len; i++)
		px_fuzz_check (db, g_ptr_array_index (query->partial, i));
	return 0;
}
