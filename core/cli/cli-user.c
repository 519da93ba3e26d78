/* cli-user.c: praxis user add|passwd|disable|enable|list|invite, the accounts of partners and
 * admins: made, given a password read from standard input, disabled, listed, invited by a
 * one-time link. */
#define G_LOG_DOMAIN "Praxis"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "store/invite.h"
#include "store/user.h"

#define PX_CLI_USER_USE                                                        \
	"use: praxis user add EMAIL --role partner|admin, user passwd EMAIL, " \
	"user disable|enable EMAIL, user list, user invite EMAIL [--role partner|admin]"

/* Returns: (transfer full): one line of standard input without its line end, or NULL with
 * @error set when there is none, it is too long or it holds a zero byte */
static char *
px_cli_user_read_line (GError **error)
{
	g_autoptr (GString) line = g_string_new (NULL);
	int character;

	while ((character = getchar ()) != EOF && character != '\n') {
		if (character == '\0') {
			g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
					     "the password holds a zero byte");
			return NULL;
		}
		if (line->len > PX_USER_PASSWORD_MAX_BYTES) {
			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "the password is too long: at most %d bytes",
				     PX_USER_PASSWORD_MAX_BYTES);
			return NULL;
		}
		g_string_append_c (line, (char)character);
	}
	if (ferror (stdin)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "cannot read standard input: %s",
			     g_strerror (errno));
		return NULL;
	}
	if (line->len > 0 && line->str[line->len - 1] == '\r')
		g_string_truncate (line, line->len - 1);
	if (line->len == 0) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "no password: give it as one line on standard input");
		return NULL;
	}
	return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Returns: (transfer full): the password, one line of standard input; typed on a terminal, it is
 * asked for and not echoed */
static char *
px_cli_user_read_password (GError **error)
{
	struct termios saved, quiet;
	gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
	char *password;

	if (terminal) {
		g_printerr ("new password (at least %d characters): ", PX_USER_PASSWORD_MIN_CHARS);
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	password = px_cli_user_read_line (error);
	if (terminal) {
		tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
		g_printerr ("\n");
	}
	return password;
}

static int
px_cli_user_passwd (PxStore *store, const char *email)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_user_find (store, email, &error);
	g_autofree char *password = NULL;

	if (user == NULL)
		return px_cli_fail ("user", error);
	password = px_cli_user_read_password (&error);
	if (password == NULL || !px_user_set_password (store, user->email, password, &error)) {
		if (password != NULL)
			sodium_memzero (password, strlen (password));
		return px_cli_fail ("user", error);
	}
	sodium_memzero (password, strlen (password));
	g_print ("password set for %s; its sessions are signed out\n", user->email);
	return 0;
}

static int
px_cli_user_set_disabled (PxStore *store, const char *email, gboolean disabled)
{
	g_autoptr (GError) error = NULL;

	if (!px_user_set_disabled (store, email, disabled, &error))
		return px_cli_fail ("user", error);
	if (disabled)
		g_print (
		    "disabled %s: it cannot sign in, its API tokens and sessions are refused\n",
		    email);
	else
		g_print ("enabled %s\n", email);
	return 0;
}

static int
px_cli_user_list (PxStore *store)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) users = px_user_list (store, &error);

	if (users == NULL)
		return px_cli_fail ("user", error);
	for (guint i = 0; i < users->len; i++) {
		const PxUser *user = g_ptr_array_index (users, i);
		g_autofree char *state = NULL;

		if (user->disabled_at != NULL)
			state = g_strdup_printf ("disabled since %s", user->disabled_at);
		else
			state = g_strdup (user->has_password ? "active" : "no password");
		g_print ("%-40s %-8s %s\n", user->email, px_user_role_to_string (user->role),
			 state);
	}
	return 0;
}

/* prints the link, with [web] base_url in front when it is set */
static int
px_cli_user_invite (PxCli *cli, PxStore *store, const char *email, PxRole role)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = px_cli_load_config (cli, &error);
	g_autofree char *token = NULL;

	if (config == NULL || !px_invite_create (store, email, role, 0, &token, &error))
		return px_cli_fail ("user", error);
	g_print ("invitation for %s (%s), valid for %d days, shown once:\n%s/invite?token=%s\n",
		 email, px_user_role_to_string (role), PX_INVITE_SECONDS / (24 * 3600),
		 config->web_base_url != NULL ? config->web_base_url : "", token);
	return 0;
}

/* the actions and how many arguments each takes after its name */
static gboolean
px_cli_user_check_action (int argc, char **argv)
{
	static const struct {
		const char *name;
		int argc;
	} actions[] = {
	    {"add", 3}, {"passwd", 3}, {"disable", 3}, {"enable", 3}, {"list", 2}, {"invite", 3},
	};

	for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (actions); i++) {
		if (g_str_equal (argv[1], actions[i].name))
			return argc == actions[i].argc;
	}
	return FALSE;
}

int
px_cli_user (PxCli *cli, int argc, char **argv)
{
	g_autofree char *role_name = NULL;
	const GOptionEntry entries[] = {
	    {"role", 'r', 0, G_OPTION_ARG_STRING, &role_name,
	     "partner or admin (add: required; invite: partner unless given)", "ROLE"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = NULL;
	const char *action;
	PxRole role = PX_ROLE_PARTNER;

	if (!px_cli_parse (
		cli, "add|passwd|disable|enable|list|invite [EMAIL] - manage accounts",
		"Partners submit practices; admins also moderate them.\n\n"
		"  add EMAIL --role partner|admin   add an account (without a password)\n"
		"  passwd EMAIL                     set its password, read as one line from "
		"standard input\n"
		"  disable EMAIL, enable EMAIL      refuse its sign-in, tokens and sessions, or "
		"allow them again\n"
		"  list                             every account, its role and state\n"
		"  invite EMAIL [--role ROLE]       print a one-time link (valid for 7 days) that "
		"makes the account",
		entries, &argc, &argv, &error))
		return px_cli_fail ("user", error);
	if (!px_cli_user_check_action (argc, argv))
		return px_cli_usage ("user", PX_CLI_USER_USE);
	action = argv[1];
	if ((g_str_equal (action, "add") || role_name != NULL) &&
	    !px_user_role_from_string (role_name, &role))
		return px_cli_usage ("user", "--role must be partner or admin");
	if (argc == 3 && !px_user_validate_email (argv[2], &error))
		return px_cli_usage ("user", "EMAIL must be an e-mail address");
	store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	if (store == NULL)
		return px_cli_fail ("user", error);
	if (g_str_equal (action, "passwd"))
		return px_cli_user_passwd (store, argv[2]);
	if (g_str_equal (action, "disable") || g_str_equal (action, "enable"))
		return px_cli_user_set_disabled (store, argv[2], g_str_equal (action, "disable"));
	if (g_str_equal (action, "list"))
		return px_cli_user_list (store);
	if (g_str_equal (action, "invite"))
		return px_cli_user_invite (cli, store, argv[2], role);
	if (!px_user_add (store, argv[2], role, &error))
		return px_cli_fail ("user", error);
	g_print ("added %s (%s)\n", argv[2], role_name);
	return 0;
}
