/* subscribe.c: double opt-in: a subscription added with its confirmation mail in one
 * transaction, held back when the address has asked too often; confirmed (its digests start
 * from the newest publication) and removed by the token its links carry. */
#define G_LOG_DOMAIN "PxSubscriptions"

#include <string.h>

#include "digest.h"
#include "store/outbox.h"
#include "subscribe.h"
#include "util/error.h"
#include "util/timestamp.h"

#define PX_SUBSCRIBE_TOKEN_LENGTH 43 /* store/subscription.c's 32 random bytes in base64url */

gboolean
px_subscribe_check_email (const char *email, GError **error)
{
	const char *at = email != NULL ? strchr (email, '@') : NULL;

	if (at == NULL || at == email || strchr (at + 1, '@') != NULL ||
	    strchr (at + 1, '.') == NULL || g_str_has_suffix (email, ".") || at[1] == '.' ||
	    strlen (email) > PX_SUBSCRIBE_MAX_EMAIL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "must be an e-mail address such as name@example.org");
		return FALSE;
	}
	for (const char *c = email; *c != '\0'; c++) {
		if ((guchar)*c <= 0x20 || (guchar)*c >= 0x7f || strchr ("<>()[]\\,;:\"", *c)) {
			g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
					     "must be an e-mail address such as name@example.org, "
					     "without spaces, quotes or brackets");
			return FALSE;
		}
	}
	return TRUE;
}

/* Returns: (transfer full): the time @seconds before @now, fixed-width */
static char *
px_subscribe_timestamp_before (GDateTime *now, gint64 seconds)
{
	g_autoptr (GDateTime) then = g_date_time_add_seconds (now, (gdouble)-seconds);

	return px_timestamp_from_date_time (then);
}

/* Returns: (transfer full): when a subscription must have been asked for, at @now, to be
 * confirmed still */
static char *
px_subscribe_expiry (GDateTime *now)
{
	return px_subscribe_timestamp_before (now, PX_SUBSCRIBE_EXPIRE_DAYS * 24 * 3600);
}

/* Returns: (nullable): the language a subscription asked with @catalog is kept in, NULL for
 * English */
static const char *
px_subscribe_language (const PxI18nCatalog *catalog)
{
	return catalog != NULL ? px_i18n_catalog_get_language (catalog) : NULL;
}

/* writes @subscription's confirmation to the outbox, in the open transaction */
static gboolean
px_subscribe_write_confirmation (PxStore *store, const PxConfig *config,
				 const PxI18nCatalog *catalog, const PxSubscription *subscription,
				 const PxSearchRequest *request, const char *now, GError **error)
{
	g_autofree char *base_url = px_config_get_base_url (config);
	g_autoptr (PxDigestMail) mail = px_digest_compose_confirmation (
	    base_url, catalog, subscription, request, PX_SUBSCRIBE_EXPIRE_DAYS);
	const char *to[] = {subscription->email, NULL};

	return px_outbox_add_mail_with_headers (store, "subscriptions", config->mail_smtp_url,
						config->mail_from, to, mail->subject, mail->text,
						(const char *const *)mail->headers,
						"subscription.confirm", NULL, error) &&
	       px_subscription_set_confirm_sent (store, subscription->id, now, error);
}

/* Returns: TRUE when a confirmation of @subscription may go out now (else *outcome says why
 * not) */
static gboolean
px_subscribe_may_send (PxStore *store, const PxSubscription *subscription, gboolean created,
		       GDateTime *now, PxSubscribeOutcome *outcome, GError **error)
{
	g_autofree char *resend_before =
	    px_subscribe_timestamp_before (now, PX_SUBSCRIBE_RESEND_MINUTES * 60);
	guint waiting = 0;

	if (subscription->confirmed_at != NULL) {
		*outcome = PX_SUBSCRIBE_CONFIRMED;
		return FALSE;
	}
	*outcome = PX_SUBSCRIBE_HELD;
	if (!created && subscription->confirm_sent_at != NULL &&
	    strcmp (subscription->confirm_sent_at, resend_before) > 0)
		return FALSE;
	if (!px_subscription_count_unconfirmed (store, subscription->email, &waiting, error))
		return FALSE;
	/* the new one counts itself */
	if (waiting > PX_SUBSCRIBE_MAX_WAITING)
		return FALSE;
	*outcome = PX_SUBSCRIBE_SENT;
	return TRUE;
}

gboolean
px_subscribe_add (PxStore *store, const PxConfig *config, const char *email,
		  const PxSearchRequest *request, PxSubscriptionFrequency frequency,
		  const PxI18nCatalog *catalog, PxDelivery *delivery, PxSubscription **subscription,
		  PxSubscribeOutcome *outcome, GError **error)
{
	g_autoptr (GDateTime) moment = g_date_time_new_now_utc ();
	g_autofree char *now = px_timestamp_from_date_time (moment);
	g_autofree char *query = px_search_request_to_query (request);
	g_autoptr (PxSubscription) added = NULL;
	g_autoptr (GError) local_error = NULL;
	gboolean created = FALSE;

	*outcome = PX_SUBSCRIBE_HELD;
	if (config->mail_smtp_url == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "subscriptions need [mail] smtp_url and from in praxis.conf");
		return FALSE;
	}
	if (!px_subscribe_check_email (email, error) || !px_store_begin (store, error))
		return FALSE;
	added = px_subscription_add (store, email, query, frequency,
				     px_subscribe_language (catalog), now, &created, &local_error);
	if (added != NULL &&
	    px_subscribe_may_send (store, added, created, moment, outcome, &local_error))
		px_subscribe_write_confirmation (store, config, catalog, added, request, now,
						 &local_error);
	if (local_error != NULL || !px_store_commit (store, &local_error)) {
		px_store_rollback (store);
		g_propagate_error (error, g_steal_pointer (&local_error));
		return FALSE;
	}
	if (*outcome == PX_SUBSCRIBE_SENT && delivery != NULL)
		px_delivery_wake (delivery);
	if (subscription != NULL)
		*subscription = g_steal_pointer (&added);
	return TRUE;
}

PxSubscription *
px_subscribe_add_confirmed (PxStore *store, const char *email, const PxSearchRequest *request,
			    PxSubscriptionFrequency frequency, const PxI18nCatalog *catalog,
			    GError **error)
{
	g_autofree char *now = px_timestamp_now ();
	g_autofree char *query = px_search_request_to_query (request);
	g_autoptr (PxSubscription) added = NULL;
	g_autoptr (GError) local_error = NULL;
	PxSubscription *confirmed = NULL;

	if (!px_subscribe_check_email (email, error) || !px_store_begin (store, error))
		return NULL;
	added = px_subscription_add (store, email, query, frequency,
				     px_subscribe_language (catalog), now, NULL, &local_error);
	if (added != NULL)
		confirmed = px_subscription_confirm (store, added->token, added->created_at, now,
						     &local_error);
	if (confirmed == NULL || !px_store_commit (store, &local_error)) {
		px_subscription_free (confirmed);
		px_store_rollback (store);
		g_propagate_error (error, g_steal_pointer (&local_error));
		return NULL;
	}
	return confirmed;
}

/* Returns: FALSE with PX_ERROR_NOT_FOUND when @token cannot be one of ours */
static gboolean
px_subscribe_check_token (const char *token, GError **error)
{
	gsize length = token != NULL ? strlen (token) : 0;

	for (gsize i = 0; i < length; i++) {
		if (!g_ascii_isalnum (token[i]) && token[i] != '-' && token[i] != '_')
			length = 0;
	}
	if (length != PX_SUBSCRIBE_TOKEN_LENGTH) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_NOT_FOUND,
				     "no subscription with this token");
		return FALSE;
	}
	return TRUE;
}

PxSubscription *
px_subscribe_confirm (PxStore *store, const char *token, GError **error)
{
	g_autoptr (GDateTime) moment = g_date_time_new_now_utc ();
	g_autofree char *now = px_timestamp_from_date_time (moment);
	g_autofree char *created_after = px_subscribe_expiry (moment);

	if (!px_subscribe_check_token (token, error))
		return NULL;
	return px_subscription_confirm (store, token, created_after, now, error);
}

PxSubscription *
px_subscribe_get (PxStore *store, const char *token, GError **error)
{
	g_autoptr (GDateTime) moment = g_date_time_new_now_utc ();
	g_autofree char *created_after = px_subscribe_expiry (moment);
	g_autoptr (PxSubscription) subscription = NULL;

	if (!px_subscribe_check_token (token, error))
		return NULL;
	subscription = px_subscription_get_by_token (store, token, error);
	if (subscription == NULL)
		return NULL;
	if (subscription->confirmed_at == NULL &&
	    strcmp (subscription->created_at, created_after) < 0) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_NOT_FOUND,
				     "the subscription's confirmation has expired");
		return NULL;
	}
	return g_steal_pointer (&subscription);
}

PxSubscription *
px_subscribe_remove (PxStore *store, const char *token, GError **error)
{
	if (!px_subscribe_check_token (token, error))
		return NULL;
	return px_subscription_delete_by_token (store, token, error);
}
