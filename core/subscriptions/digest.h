/* digest.h: the mails of a subscription as text: the digest of the practices newly published
 * that its search finds (why it was sent, newest first, the unsubscribe link and the RFC 8058
 * headers), and the confirmation asked for before anything else is sent. Pure composition: no
 * database, no sending. */
#pragma once

#include "i18n/i18n-catalog.h"
#include "search/search.h"
#include "store/subscription.h"

/* the most practices a digest lists; it says how many more there are */
#define PX_DIGEST_MAX_LISTED 50

/* one mail, ready for px_outbox_add_mail_with_headers() */
typedef struct {
	char *subject;
	char *text;
	GStrv headers; /* (nullable): "Name: value" each */
} PxDigestMail;

void px_digest_mail_free (PxDigestMail *mail);

/**
 * px_digest_parse_query:
 * @query: a subscription's query string (px_search_request_to_query())
 *
 * Returns: (transfer full): the search it stands for, or NULL with PX_ERROR_INVALID saying why
 */
PxSearchRequest *px_digest_parse_query (const char *query, GError **error);

/* Returns: (transfer full): @request in English words for a reader: `"language café", country
 * SE, focus interact, years 2019 to 2023`; "every practice" for the empty search */
char *px_digest_describe_search (const PxSearchRequest *request);

/**
 * px_digest_compose:
 * @base_url: the pages' address, without a trailing slash
 * @catalog: (nullable): the language of the subscription's mails, NULL for English
 * @request: the subscription's search (parsed from its query)
 * @hits: (element-type PxSearchHit): the newly published practices it finds, newest first; at
 *   least one (a digest is never empty)
 * @total: how many it finds in all (@hits lists the first)
 *
 * Returns: (transfer full): the digest: why it was sent (the search, how often), the practices
 * newest first with title, place and link, how many more and where, the unsubscribe link; the
 * headers List-Unsubscribe, List-Unsubscribe-Post (RFC 8058 one-click) and Auto-Submitted
 */
PxDigestMail *px_digest_compose (const char *base_url, const PxI18nCatalog *catalog,
				 const PxSubscription *subscription, const PxSearchRequest *request,
				 GPtrArray *hits, guint total);

/**
 * px_digest_compose_confirmation:
 * @catalog: (nullable): the language of the mail, NULL for English
 * @expire_days: how long the link works
 *
 * Returns: (transfer full): the mail that asks the address's owner to confirm @subscription:
 * the search, how often, the confirmation link, and that nothing comes without it
 */
PxDigestMail *px_digest_compose_confirmation (const char *base_url, const PxI18nCatalog *catalog,
					      const PxSubscription *subscription,
					      const PxSearchRequest *request, guint expire_days);

/* Returns: (transfer full): the link that unsubscribes @subscription */
char *px_digest_get_unsubscribe_url (const char *base_url, const PxSubscription *subscription);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxDigestMail, px_digest_mail_free)
