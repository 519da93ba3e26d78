/* subscribe.h: what the pages and `praxis subscription` do with subscriptions: an address
 * subscribed to a search by double opt-in (the confirmation mail written in the transaction
 * that adds the subscription; nothing else is sent before it is confirmed), confirmed, and
 * unsubscribed by its token. */
#pragma once

#include "i18n/i18n-catalog.h"
#include "notify/delivery.h"
#include "search/search.h"
#include "store/subscription.h"
#include "util/config.h"

/* an unconfirmed subscription is deleted this long after it was asked for */
#define PX_SUBSCRIBE_EXPIRE_DAYS 7
/* the most unconfirmed subscriptions of one address: no more confirmations are sent past it */
#define PX_SUBSCRIBE_MAX_WAITING 5
/* the least time between two confirmations of one subscription */
#define PX_SUBSCRIBE_RESEND_MINUTES 10
/* the longest address */
#define PX_SUBSCRIBE_MAX_EMAIL 254

typedef enum {
	PX_SUBSCRIBE_SENT,	/* a confirmation mail is in the outbox */
	PX_SUBSCRIBE_CONFIRMED, /* the address has this subscription already: nothing sent */
	PX_SUBSCRIBE_HELD,	/* nothing sent: a confirmation went out lately, or too many wait */
} PxSubscribeOutcome;

/**
 * px_subscribe_check_email:
 *
 * Returns: FALSE with PX_ERROR_INVALID unless @email is a bare address local@domain.tld of
 * printable ASCII without spaces, quotes, brackets, commas or semicolons, at most
 * PX_SUBSCRIBE_MAX_EMAIL bytes
 */
gboolean px_subscribe_check_email (const char *email, GError **error);

/**
 * px_subscribe_add:
 * @config: [mail] smtp_url and from (PX_ERROR_INVALID without them), the pages' base URL
 * @request: the search (its query string is stored; sort and page are not)
 * @catalog: (nullable): the language of the page it is made from, NULL for English: its mails'
 *   (stored with it; an unconfirmed one asked again takes it, as it takes @frequency)
 * @delivery: (nullable): woken once the confirmation is written
 * @subscription: (out) (optional) (transfer full): the subscription, new or found
 * @outcome: (out): what was sent
 *
 * Subscribes @email to @request's search: a new subscription, or the unconfirmed one it has
 * (which takes @frequency), gets a confirmation mail unless @outcome says why not.
 * Returns: FALSE with PX_ERROR_INVALID for a bad address, or the store's error
 */
gboolean px_subscribe_add (PxStore *store, const PxConfig *config, const char *email,
			   const PxSearchRequest *request, PxSubscriptionFrequency frequency,
			   const PxI18nCatalog *catalog, PxDelivery *delivery,
			   PxSubscription **subscription, PxSubscribeOutcome *outcome,
			   GError **error);

/**
 * px_subscribe_add_confirmed:
 * @catalog: (nullable): the language of its digests, NULL for English
 *
 * Subscribes @email to @request's search, confirmed at once and without a mail (an admin's
 * `praxis subscription add --confirmed`); practices published from now on are sent.
 * Returns: (transfer full): the subscription, or NULL with @error set
 */
PxSubscription *px_subscribe_add_confirmed (PxStore *store, const char *email,
					    const PxSearchRequest *request,
					    PxSubscriptionFrequency frequency,
					    const PxI18nCatalog *catalog, GError **error);

/* Returns: (transfer full): the subscription of @token, confirmed now or before, or NULL with
 * PX_ERROR_NOT_FOUND for a token unknown or expired */
PxSubscription *px_subscribe_confirm (PxStore *store, const char *token, GError **error);

/* Returns: (transfer full): the subscription of @token as it is (what its confirmation's page
 * shows before the visitor confirms), or NULL with PX_ERROR_NOT_FOUND for a token unknown, or
 * of an unconfirmed subscription that expired */
PxSubscription *px_subscribe_get (PxStore *store, const char *token, GError **error);

/* Returns: (transfer full): the subscription of @token, deleted now, or NULL with
 * PX_ERROR_NOT_FOUND */
PxSubscription *px_subscribe_remove (PxStore *store, const char *token, GError **error);
