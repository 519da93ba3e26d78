/* cli.h: the room of the praxis command line. What every subcommand shares (cli.c), and the
 * subcommands themselves, one per file cli-NAME.c, dispatched by praxis.c. Exit codes: 0 done,
 * 1 failed, 2 bad usage. */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "store/store.h"
#include "util/config.h"
#include "util/error.h"

#define PX_CLI_EXIT_FAILED 1
#define PX_CLI_EXIT_USAGE 2

/* the options every subcommand shares */
typedef struct {
	char *config_path;
	char *db_path;
} PxCli;

/* prints "praxis WHAT: message"; Returns: the exit code (2 for an option error, else 1) */
int px_cli_fail (const char *what, const GError *error);
/* prints the usage complaint; Returns: PX_CLI_EXIT_USAGE */
int px_cli_usage (const char *what, const char *message);
/* parses @entries plus --config and --db; leaves the positional arguments in @argv */
gboolean px_cli_parse (PxCli *cli, const char *usage, const char *summary,
		       const GOptionEntry *entries, int *argc, char ***argv, GError **error);
/* Returns: (transfer full): the settings of --config, with --db applied */
PxConfig *px_cli_load_config (PxCli *cli, GError **error);
/* Returns: (transfer full): the database of the settings, opened with @flags */
PxStore *px_cli_open_store (PxCli *cli, PxStoreFlags flags, GError **error);

/* the subcommands: each parses its own options from @argv (argv[0] is its name) */
int px_cli_serve (PxCli *cli, int argc, char **argv);
int px_cli_import (PxCli *cli, int argc, char **argv);
int px_cli_export (PxCli *cli, int argc, char **argv);
int px_cli_search (PxCli *cli, int argc, char **argv);
int px_cli_user (PxCli *cli, int argc, char **argv);
int px_cli_token (PxCli *cli, int argc, char **argv);
int px_cli_db (PxCli *cli, int argc, char **argv);
int px_cli_plugin (PxCli *cli, int argc, char **argv);
int px_cli_subscription (PxCli *cli, int argc, char **argv);
