/* cli-token.c: praxis token create, bearer tokens for the API. */
#define G_LOG_DOMAIN "Praxis"

#include "cli.h"
#include "store/token.h"

int
px_cli_token (PxCli *cli, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autofree char *token = NULL;

	if (!px_cli_parse (
		cli, "create EMAIL - make an API token",
		"Prints a new bearer token for the account as the last line; only its hash "
		"is stored, so keep it now.",
		NULL, &argc, &argv, &error))
		return px_cli_fail ("token", error);
	if (argc != 3 || !g_str_equal (argv[1], "create"))
		return px_cli_usage ("token", "use: praxis token create EMAIL");
	store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	if (store == NULL || (token = px_token_create (store, argv[2], &error)) == NULL)
		return px_cli_fail ("token", error);
	g_print ("token for %s (shown once):\n%s\n", argv[2], token);
	return 0;
}
