/* subscription.h: PxSubscription, an e-mail address subscribed to a search (migration 008) in a
 * language (010), and the publications log the digests keep their mark in: the subscriptions
 * table's statements, nothing of searching or of mail (core/subscriptions/ composes and
 * schedules). */
#pragma once

#include "store.h"

/* the longest stored query string, in bytes */
#define PX_SUBSCRIPTION_MAX_QUERY 4096

typedef enum {
	PX_SUBSCRIPTION_IMMEDIATE, /* at every run of the digests */
	PX_SUBSCRIPTION_DAILY,
	PX_SUBSCRIPTION_WEEKLY,
} PxSubscriptionFrequency;

typedef struct {
	gint64 id;
	char *email;
	char *query; /* the search as its canonical query string */
	PxSubscriptionFrequency frequency;
	char *token; /* the confirmation's and the unsubscribe link's */
	char *created_at;
	char *confirm_sent_at; /* (nullable): the last confirmation mail written */
	char *confirmed_at;    /* (nullable): not confirmed yet */
	gint64 mark;	       /* the publications up to this seq have been considered */
	char *digest_at;       /* (nullable): when its digest last ran (or it was confirmed) */
	char *language; /* (nullable): its mails' language (migration 010), NULL for English */
} PxSubscription;

void px_subscription_free (PxSubscription *subscription);

/* Returns: "immediate", "daily" or "weekly" */
const char *px_subscription_frequency_to_string (PxSubscriptionFrequency frequency);
/* Returns: FALSE for any other text */
gboolean px_subscription_frequency_from_string (const char *text,
						PxSubscriptionFrequency *frequency);

/**
 * px_subscription_add:
 * @email: a checked address (compared without case)
 * @query: a canonical query string, at most PX_SUBSCRIPTION_MAX_QUERY bytes
 * @language: (nullable): the language of its mails (the page's it was made from), NULL for
 *   English
 * @now: fixed-width UTC (util/timestamp.h): the new subscription's created_at
 * @created: (out) (optional): TRUE when the subscription is new
 *
 * Adds an unconfirmed subscription with a new random token, or finds the one @email has to
 * @query already: an unconfirmed one takes @frequency, @language and @now (asked again, its
 * week starts again), a confirmed one is left as it is (nobody proved the address theirs).
 * Returns: (transfer full): the subscription, or NULL with @error set
 */
PxSubscription *px_subscription_add (PxStore *store, const char *email, const char *query,
				     PxSubscriptionFrequency frequency, const char *language,
				     const char *now, gboolean *created, GError **error);

/* Returns: (transfer full): the subscription of @token, or NULL with PX_ERROR_NOT_FOUND */
PxSubscription *px_subscription_get_by_token (PxStore *store, const char *token, GError **error);

/* Returns: (transfer full) (element-type PxSubscription): every subscription, by id */
GPtrArray *px_subscription_list (PxStore *store, GError **error);

/* records that a confirmation mail was written at @when. Returns: FALSE with @error set */
gboolean px_subscription_set_confirm_sent (PxStore *store, gint64 id, const char *when,
					   GError **error);

/**
 * px_subscription_count_unconfirmed:
 * @count: (out): the unconfirmed subscriptions of @email
 *
 * Returns: FALSE with @error set
 */
gboolean px_subscription_count_unconfirmed (PxStore *store, const char *email, guint *count,
					    GError **error);

/**
 * px_subscription_confirm:
 * @created_after: an unconfirmed subscription made before this has expired
 * @now: its confirmed_at and digest_at
 *
 * Confirms the subscription of @token (once: a confirmed one is returned as it is). Its mark
 * becomes the newest publication: what was published before is never sent to it.
 * Returns: (transfer full): the subscription, or NULL with PX_ERROR_NOT_FOUND for an unknown or
 * expired token, or the store's error
 */
PxSubscription *px_subscription_confirm (PxStore *store, const char *token,
					 const char *created_after, const char *now,
					 GError **error);

/**
 * px_subscription_delete_by_token:
 *
 * Returns: (transfer full): the subscription of @token, now deleted, or NULL with
 * PX_ERROR_NOT_FOUND, or the store's error
 */
PxSubscription *px_subscription_delete_by_token (PxStore *store, const char *token, GError **error);

/**
 * px_subscription_delete_unconfirmed:
 * @before: the unconfirmed subscriptions made before this go
 * @count: (out) (optional): how many went
 *
 * Returns: FALSE with @error set
 */
gboolean px_subscription_delete_unconfirmed (PxStore *store, const char *before, guint *count,
					     GError **error);

/**
 * px_subscription_list_due:
 * @daily_before: a daily subscription whose digest ran at or before this is due
 * @weekly_before: likewise for a weekly one
 *
 * Returns: (transfer full) (element-type PxSubscription): the confirmed subscriptions whose
 * digest is due (every immediate one), by id, or NULL with @error set
 */
GPtrArray *px_subscription_list_due (PxStore *store, const char *daily_before,
				     const char *weekly_before, GError **error);

/**
 * px_subscription_get_newest_mark:
 * @seq: (out): the seq of the newest publication, 0 for none
 *
 * Returns: FALSE with @error set
 */
gboolean px_subscription_get_newest_mark (PxStore *store, gint64 *seq, GError **error);

/**
 * px_subscription_list_published:
 * @after: a mark
 * @limit: the most to read, the oldest publications first
 * @upto: (out): the seq of the last publication read, @after when none
 *
 * Returns: (transfer full) (element-type gint64): the ids of the practices first published
 * after @after (up to @limit of them), in ascending order of id, or NULL with @error set; some
 * may have been unpublished or deleted since
 */
GArray *px_subscription_list_published (PxStore *store, gint64 after, guint limit, gint64 *upto,
					GError **error);

/**
 * px_subscription_advance:
 * @from: the mark the digest started from
 * @to: the mark it covered
 * @digest_at: when it ran
 * @advanced: (out): FALSE when the mark was not @from any more (another run took it)
 *
 * Returns: FALSE with @error set
 */
gboolean px_subscription_advance (PxStore *store, gint64 id, gint64 from, gint64 to,
				  const char *digest_at, gboolean *advanced, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSubscription, px_subscription_free)
