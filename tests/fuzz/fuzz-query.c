/* fuzz-query.c: libFuzzer target for the query translator. Any bytes must give either an error
 * or an expression that FTS5 accepts. */
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

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	static sqlite3 *db = NULL; /* one table for the whole run */
	g_autofree char *text = g_strndup ((const char *)data, size);
	g_autoptr (PxQuery) query = px_query_translate (text, NULL);
	sqlite3_stmt *statement = NULL;
	int rc;

	if (query == NULL || query->fts == NULL)
		return 0;
	if (db == NULL)
		db = px_fuzz_open_db ();
	sqlite3_prepare_v2 (db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &statement, NULL);
	sqlite3_bind_text (statement, 1, query->fts, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
		;
	sqlite3_finalize (statement);
	if (rc != SQLITE_DONE)
		__builtin_trap (); /* the translator wrote something FTS5 refuses */
	return 0;
}
