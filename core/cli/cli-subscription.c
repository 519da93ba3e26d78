/* cli-subscription.c: praxis subscription add|list|remove: e-mail subscriptions to a search,
 * as the pages make them (add sends the confirmation) or confirmed at once by an admin. */
#define G_LOG_DOMAIN "Praxis"

#include "cli.h"
#include "i18n/i18n.h"
#include "subscriptions/digest.h"
#include "subscriptions/subscribe.h"

static int
px_cli_subscription_add (PxCli *cli, const char *email, const char *search,
			 const char *frequency_name, const char *language, gboolean confirmed)
{
	g_autoptr (PxI18n) i18n = NULL;
	const PxI18nCatalog *catalog = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxConfig) config = NULL;
	g_autoptr (PxStore) store = NULL;
	g_autoptr (PxSearchRequest) request = NULL;
	g_autoptr (PxSubscription) subscription = NULL;
	g_autofree char *description = NULL;
	PxSubscriptionFrequency frequency = PX_SUBSCRIPTION_IMMEDIATE;
	PxSubscribeOutcome outcome = PX_SUBSCRIBE_SENT;

	if (frequency_name != NULL &&
	    !px_subscription_frequency_from_string (frequency_name, &frequency))
		return px_cli_usage ("subscription",
				     "--frequency must be immediate, daily or weekly");
	i18n = px_i18n_new (&error);
	if (i18n == NULL)
		return px_cli_fail ("subscription", error);
	catalog = language != NULL ? px_i18n_get_catalog (i18n, language) : NULL;
	if (language != NULL && catalog == NULL && g_strcmp0 (language, "en") != 0) {
		g_autofree char *known = g_strjoinv (", ", (char **)px_i18n_languages (i18n));
		g_autofree char *message = g_strdup_printf ("--language must be one of %s", known);

		return px_cli_usage ("subscription", message);
	}
	request = px_digest_parse_query (search != NULL ? search : "", &error);
	if (request == NULL)
		return px_cli_fail ("subscription", error);
	config = px_cli_load_config (cli, &error);
	store = config != NULL ? px_cli_open_store (cli, PX_STORE_READ_WRITE, &error) : NULL;
	if (store == NULL)
		return px_cli_fail ("subscription", error);
	if (confirmed)
		subscription =
		    px_subscribe_add_confirmed (store, email, request, frequency, catalog, &error);
	else if (!px_subscribe_add (store, config, email, request, frequency, catalog, NULL,
				    &subscription, &outcome, &error))
		return px_cli_fail ("subscription", error);
	if (subscription == NULL)
		return px_cli_fail ("subscription", error);
	description = px_digest_describe_search (request);
	g_print ("%s %s to %s (%s)\n",
		 confirmed			     ? "subscribed"
		 : outcome == PX_SUBSCRIBE_SENT	     ? "confirmation sent to"
		 : outcome == PX_SUBSCRIBE_CONFIRMED ? "already subscribed:"
						     : "confirmation not sent again to",
		 subscription->email, description,
		 px_subscription_frequency_to_string (subscription->frequency));
	return 0;
}

static int
px_cli_subscription_list (PxCli *cli)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = px_cli_open_store (cli, PX_STORE_READ_ONLY, &error);
	g_autoptr (GPtrArray) subscriptions = NULL;

	if (store != NULL)
		subscriptions = px_subscription_list (store, &error);
	if (subscriptions == NULL)
		return px_cli_fail ("subscription", error);
	for (guint i = 0; i < subscriptions->len; i++) {
		const PxSubscription *subscription = g_ptr_array_index (subscriptions, i);

		g_print ("%s\t%s\t%s\t%s\t%s\n", subscription->token, subscription->email,
			 px_subscription_frequency_to_string (subscription->frequency),
			 subscription->confirmed_at != NULL ? "confirmed" : "unconfirmed",
			 subscription->query[0] != '\0' ? subscription->query : "(every practice)");
	}
	return 0;
}

static int
px_cli_subscription_remove (PxCli *cli, const char *token)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store = px_cli_open_store (cli, PX_STORE_READ_WRITE, &error);
	g_autoptr (PxSubscription) subscription = NULL;

	if (store != NULL)
		subscription = px_subscribe_remove (store, token, &error);
	if (subscription == NULL)
		return px_cli_fail ("subscription", error);
	g_print ("removed the subscription of %s\n", subscription->email);
	return 0;
}

int
px_cli_subscription (PxCli *cli, int argc, char **argv)
{
	g_autofree char *search = NULL;
	g_autofree char *frequency = NULL;
	g_autofree char *language = NULL;
	gboolean confirmed = FALSE;
	const GOptionEntry entries[] = {
	    {"search", 's', 0, G_OPTION_ARG_STRING, &search,
	     "the search as a query string, e.g. 'q=language&country=SE' (default: every practice)",
	     "QUERY"},
	    {"frequency", 'f', 0, G_OPTION_ARG_STRING, &frequency,
	     "immediate (the default), daily or weekly", "WHEN"},
	    {"language", 'l', 0, G_OPTION_ARG_STRING, &language,
	     "the language of its mails: en (the default) or one of the pages' (sv)", "LANG"},
	    {"confirmed", 0, 0, G_OPTION_ARG_NONE, &confirmed,
	     "confirmed at once, without a confirmation mail", NULL},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr (GError) error = NULL;

	if (!px_cli_parse (cli, "add EMAIL [--search QUERY] | list | remove TOKEN",
			   "E-mail subscriptions to a search. add sends the confirmation mail "
			   "([mail] in praxis.conf) unless --confirmed; list prints each one's "
			   "token, address, frequency, state and search.",
			   entries, &argc, &argv, &error))
		return px_cli_fail ("subscription", error);
	if (argc == 3 && g_str_equal (argv[1], "add"))
		return px_cli_subscription_add (cli, argv[2], search, frequency, language,
						confirmed);
	if (argc == 2 && g_str_equal (argv[1], "list"))
		return px_cli_subscription_list (cli);
	if (argc == 3 && g_str_equal (argv[1], "remove"))
		return px_cli_subscription_remove (cli, argv[2]);
	return px_cli_usage ("subscription",
			     "use: praxis subscription add EMAIL [--search QUERY] "
			     "[--frequency WHEN] [--language LANG] [--confirmed] | list | remove "
			     "TOKEN");
}
