/* cli-user.c: praxis user add, accounts for partners and admins. */
#define G_LOG_DOMAIN "Praxis"

#include <string.h>

#include "cli.h"
#include "store/user.h"

int
px_cli_user (PxCli *cli, int argc, char **argv)
{
	g_autofree char *role_name = NULL;
	const GOptionEntry entries[] = {
	    {"role", 'r', 0, G_OPTION_ARG_STRING, &role_name, "partner or admin", "ROLE"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	PxRole role;

	if (!px_cli_parse (cli, "add EMAIL --role partner|admin - add an account",
			   "Partners submit practices; admins also moderate them.", entries, &argc,
			   &argv, &error))
		return px_cli_fail ("user", error);
	if (argc != 3 || !g_str_equal (argv[1], "add"))
		return px_cli_usage ("user", "use: praxis user add EMAIL --role partner|admin");
	if (!px_user_role_from_string (role_name, &role))
		return px_cli_usage ("user", "--role must be partner or admin");
	if (strchr (argv[2], '@') == NULL || !g_utf8_validate (argv[2], -1, NULL))
		return px_cli_usage ("user", "EMAIL must be an e-mail address");
	store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	if (store == NULL || !px_user_add (store, argv[2], role, &error))
		return px_cli_fail ("user", error);
	g_print ("added %s (%s)\n", argv[2], role_name);
	return 0;
}
