/* lua-import.h: what importers get: the emit and reject functions that write their records
 * through the write path and count them, and the source of `praxis import --with`. */
#pragma once

#include <glib.h>
#include <lua.h>

typedef struct {
	guint added, updated, unchanged, deleted, rejected;
} PxLuaImportStats;

/* a record refused: where (what the importer said: a line) and why */
typedef void (*PxLuaImportRejectFunc) (const char *where, const char *why, gpointer user_data);
/* after each record, with the counts so far */
typedef void (*PxLuaImportProgressFunc) (const PxLuaImportStats *stats, gpointer user_data);

/* what the functions report to, besides their counts; all members nullable */
typedef struct {
	PxLuaImportRejectFunc reject; /* NULL: a refusal is logged */
	PxLuaImportProgressFunc progress;
	gpointer user_data;
} PxLuaImportReport;

/**
 * px_lua_import_push_functions:
 * @stats: counted into while the functions are called; must outlive their use (for the CLI) or
 *   NULL to count into the functions' own, read with px_lua_import_get_stats()
 * @report: (nullable): told of each refusal and each record; copied
 *
 * Pushes emit(record [, where]) and reject(where, why). emit writes @record (a table of the
 * export format's fields; status pending when it names none, "deleted" for a tombstone of its
 * uid) through the running call's write path and store: in a savepoint when the store is in a
 * transaction, else in a transaction of its own. It returns "added", "updated", "unchanged",
 * "deleted" or "absent", or nil and why it was refused.
 */
void px_lua_import_push_functions (lua_State *L, PxLuaImportStats *stats,
				   const PxLuaImportReport *report);
/* Returns: the counts of the functions pushed at @index - 1 and @index (emit, reject) */
const PxLuaImportStats *px_lua_import_get_stats (lua_State *L, int index);
/* pushes the source of `praxis import --with`: {name = @name, read = function} (read gives the
 * file's bytes, or standard input's for "-") */
void px_lua_import_push_source (lua_State *L, const char *name);
