/* cli-db.c: praxis db, database upkeep: migrate, check, rebuild, optimize. */
#define G_LOG_DOMAIN "Praxis"

#include "cli.h"
#include "store/migration.h"

static const char *const db_actions[] = {"migrate", "check", "rebuild", "optimize", NULL};

int
px_cli_db (PxCli *cli, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	const char *action;

	if (!px_cli_parse (
		cli, "migrate|check|rebuild|optimize - database upkeep",
		"migrate: apply schema migrations\n"
		"check: SQLite's integrity_check and the full-text index against the data\n"
		"rebuild: build the full-text index again from the practices (repairs check)\n"
		"optimize: merge the full-text index and checkpoint the WAL",
		NULL, &argc, &argv, &error))
		return px_cli_fail ("db", error);
	if (argc != 2 || !g_strv_contains (db_actions, argv[1]))
		return px_cli_usage ("db", "give one of migrate, check, rebuild, optimize");
	action = argv[1];
	/* opening read-write migrates */
	store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	if (store == NULL)
		return px_cli_fail ("db", error);
	if (g_str_equal (action, "check") && !px_store_check (store, &error))
		return px_cli_fail ("db check", error);
	if (g_str_equal (action, "rebuild") && !px_store_rebuild (store, &error))
		return px_cli_fail ("db rebuild", error);
	if (g_str_equal (action, "optimize") && !px_store_optimize (store, &error))
		return px_cli_fail ("db optimize", error);
	g_print ("%s: ok (schema %d)\n", action, px_migration_get_schema_version (store));
	return 0;
}
