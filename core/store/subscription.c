/* subscription.c: the subscriptions table (migrations 008 and 010): added with a random token,
 * found by it, confirmed, deleted, listed when due, and each digest's mark advanced; the
 * publications log the marks point into, filled by triggers on practices. No search and no mail
 * here. */
#define G_LOG_DOMAIN "PxStore"

#include <sodium.h>

#include "secret.h"
#include "store-private.h"
#include "subscription.h"
#include "util/error.h"

#define PX_SUBSCRIPTION_COLUMNS                                                                 \
	"id, email, query, frequency, token, created_at, confirm_sent_at, confirmed_at, mark, " \
	"digest_at, language"

static const char *const px_subscription_frequencies[] = {"immediate", "daily", "weekly"};

void
px_subscription_free (PxSubscription *subscription)
{
	if (subscription == NULL)
		return;
	g_free (subscription->email);
	g_free (subscription->query);
	g_free (subscription->token);
	g_free (subscription->created_at);
	g_free (subscription->confirm_sent_at);
	g_free (subscription->confirmed_at);
	g_free (subscription->digest_at);
	g_free (subscription->language);
	g_free (subscription);
}

const char *
px_subscription_frequency_to_string (PxSubscriptionFrequency frequency)
{
	g_return_val_if_fail (frequency <= PX_SUBSCRIPTION_WEEKLY, "immediate");
	return px_subscription_frequencies[frequency];
}

gboolean
px_subscription_frequency_from_string (const char *text, PxSubscriptionFrequency *frequency)
{
	for (guint i = 0; i < G_N_ELEMENTS (px_subscription_frequencies); i++) {
		if (g_strcmp0 (text, px_subscription_frequencies[i]) == 0) {
			*frequency = (PxSubscriptionFrequency)i;
			return TRUE;
		}
	}
	return FALSE;
}

static char *
px_subscription_column_dup (sqlite3_stmt *statement, int column)
{
	return g_strdup ((const char *)sqlite3_column_text (statement, column));
}

/* Returns: (transfer full): the subscription of the current row of PX_SUBSCRIPTION_COLUMNS */
static PxSubscription *
px_subscription_read (sqlite3_stmt *statement)
{
	PxSubscription *subscription = g_new0 (PxSubscription, 1);

	subscription->id = sqlite3_column_int64 (statement, 0);
	subscription->email = px_subscription_column_dup (statement, 1);
	subscription->query = px_subscription_column_dup (statement, 2);
	px_subscription_frequency_from_string ((const char *)sqlite3_column_text (statement, 3),
					       &subscription->frequency);
	subscription->token = px_subscription_column_dup (statement, 4);
	subscription->created_at = px_subscription_column_dup (statement, 5);
	subscription->confirm_sent_at = px_subscription_column_dup (statement, 6);
	subscription->confirmed_at = px_subscription_column_dup (statement, 7);
	subscription->mark = sqlite3_column_int64 (statement, 8);
	subscription->digest_at = px_subscription_column_dup (statement, 9);
	subscription->language = px_subscription_column_dup (statement, 10);
	return subscription;
}

/* steps @statement, bound by the caller, for at most one row. Returns: (transfer full): its
 * subscription, or NULL with PX_ERROR_NOT_FOUND (@what says which) or the store's error */
static PxSubscription *
px_subscription_step_one (PxStore *store, sqlite3_stmt *statement, const char *what, GError **error)
{
	PxSubscription *subscription;
	int rc = px_store_step (store, statement, error);

	if (rc < 0)
		return NULL;
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no subscription %s", what);
		return NULL;
	}
	subscription = px_subscription_read (statement);
	/* a RETURNING statement finishes its change only when stepped to its end */
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		;
	if (rc < 0) {
		px_subscription_free (subscription);
		return NULL;
	}
	return subscription;
}

PxSubscription *
px_subscription_add (PxStore *store, const char *email, const char *query,
		     PxSubscriptionFrequency frequency, const char *language, const char *now,
		     gboolean *created, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "INSERT INTO subscriptions (email, query, frequency, token, created_at, language) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (email, query) DO UPDATE SET "
	    "frequency = CASE WHEN confirmed_at IS NULL THEN excluded.frequency ELSE frequency "
	    "END, "
	    "language = CASE WHEN confirmed_at IS NULL THEN excluded.language ELSE language END, "
	    "created_at = CASE WHEN confirmed_at IS NULL THEN excluded.created_at ELSE created_at "
	    "END "
	    "RETURNING " PX_SUBSCRIPTION_COLUMNS,
	    error);
	g_autofree char *token = px_secret_new_token ();
	PxSubscription *subscription;

	g_return_val_if_fail (email != NULL && query != NULL && now != NULL, NULL);
	if (strlen (query) > PX_SUBSCRIPTION_MAX_QUERY) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a subscription's search is at most %d bytes",
			     PX_SUBSCRIPTION_MAX_QUERY);
		return NULL;
	}
	if (statement == NULL)
		return NULL;
	px_store_bind_text (statement, 1, email);
	px_store_bind_text (statement, 2, query);
	px_store_bind_text (statement, 3, px_subscription_frequency_to_string (frequency));
	px_store_bind_text (statement, 4, token);
	px_store_bind_text (statement, 5, now);
	px_store_bind_text (statement, 6, language);
	subscription = px_subscription_step_one (store, statement, "added", error);
	if (subscription == NULL) {
		g_prefix_error (error, "cannot add the subscription: ");
		return NULL;
	}
	if (created != NULL)
		*created = g_str_equal (subscription->token, token);
	return subscription;
}

PxSubscription *
px_subscription_get_by_token (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT " PX_SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE token = ?1", error);

	if (statement == NULL)
		return NULL;
	px_store_bind_text (statement, 1, token);
	return px_subscription_step_one (store, statement, "with this token", error);
}

/* Returns: (transfer full): the subscriptions of the rows of @statement, bound by the caller */
static GPtrArray *
px_subscription_read_all (PxStore *store, sqlite3_stmt *statement, GError **error)
{
	g_autoptr (GPtrArray) subscriptions =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_subscription_free);
	int rc;

	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW)
		g_ptr_array_add (subscriptions, px_subscription_read (statement));
	if (rc != SQLITE_DONE)
		return NULL;
	return g_steal_pointer (&subscriptions);
}

GPtrArray *
px_subscription_list (PxStore *store, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT " PX_SUBSCRIPTION_COLUMNS " FROM subscriptions ORDER BY id", error);

	if (statement == NULL)
		return NULL;
	return px_subscription_read_all (store, statement, error);
}

gboolean
px_subscription_set_confirm_sent (PxStore *store, gint64 id, const char *when, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "UPDATE subscriptions SET confirm_sent_at = ?2 WHERE id = ?1", error);

	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, id);
	px_store_bind_text (statement, 2, when);
	return px_store_step (store, statement, error) == SQLITE_DONE;
}

gboolean
px_subscription_count_unconfirmed (PxStore *store, const char *email, guint *count, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT count(*) FROM subscriptions WHERE email = ?1 AND confirmed_at IS NULL",
	    error);

	*count = 0;
	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, email);
	if (px_store_step (store, statement, error) != SQLITE_ROW)
		return FALSE;
	*count = (guint)sqlite3_column_int64 (statement, 0);
	sqlite3_reset (statement);
	return TRUE;
}

PxSubscription *
px_subscription_confirm (PxStore *store, const char *token, const char *created_after,
			 const char *now, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "UPDATE subscriptions SET confirmed_at = ?3, digest_at = ?3, "
			      "mark = (SELECT coalesce(max(seq), 0) FROM publications) "
			      "WHERE token = ?1 AND confirmed_at IS NULL AND created_at >= ?2",
			      error);
	g_autoptr (PxSubscription) subscription = NULL;

	if (statement == NULL)
		return NULL;
	px_store_bind_text (statement, 1, token);
	px_store_bind_text (statement, 2, created_after);
	px_store_bind_text (statement, 3, now);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return NULL;
	/* confirmed now or before; an expired one is still unconfirmed */
	subscription = px_subscription_get_by_token (store, token, error);
	if (subscription == NULL)
		return NULL;
	if (subscription->confirmed_at == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_NOT_FOUND,
				     "the subscription with this token has expired");
		return NULL;
	}
	return g_steal_pointer (&subscription);
}

PxSubscription *
px_subscription_delete_by_token (PxStore *store, const char *token, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "DELETE FROM subscriptions WHERE token = ?1 RETURNING " PX_SUBSCRIPTION_COLUMNS,
	    error);

	if (statement == NULL)
		return NULL;
	px_store_bind_text (statement, 1, token);
	return px_subscription_step_one (store, statement, "with this token", error);
}

gboolean
px_subscription_delete_unconfirmed (PxStore *store, const char *before, guint *count,
				    GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "DELETE FROM subscriptions WHERE confirmed_at IS NULL AND created_at < ?1",
	    error);

	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, before);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	if (count != NULL)
		*count = (guint)sqlite3_changes (store->db);
	return TRUE;
}

GPtrArray *
px_subscription_list_due (PxStore *store, const char *daily_before, const char *weekly_before,
			  GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT " PX_SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE confirmed_at IS NOT NULL "
	    "AND (frequency = 'immediate' OR digest_at IS NULL "
	    "OR (frequency = 'daily' AND digest_at <= ?1) "
	    "OR (frequency = 'weekly' AND digest_at <= ?2)) ORDER BY id",
	    error);

	if (statement == NULL)
		return NULL;
	px_store_bind_text (statement, 1, daily_before);
	px_store_bind_text (statement, 2, weekly_before);
	return px_subscription_read_all (store, statement, error);
}

gboolean
px_subscription_get_newest_mark (PxStore *store, gint64 *seq, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "SELECT coalesce(max(seq), 0) FROM publications", error);

	*seq = 0;
	if (statement == NULL || px_store_step (store, statement, error) != SQLITE_ROW)
		return FALSE;
	*seq = sqlite3_column_int64 (statement, 0);
	sqlite3_reset (statement);
	return TRUE;
}

static gint
px_subscription_compare_ids (gconstpointer a, gconstpointer b)
{
	gint64 left = *(const gint64 *)a, right = *(const gint64 *)b;

	return left < right ? -1 : left > right;
}

GArray *
px_subscription_list_published (PxStore *store, gint64 after, guint limit, gint64 *upto,
				GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT seq, practice_id FROM publications WHERE seq > ?1 ORDER BY seq LIMIT ?2",
	    error);
	g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
	int rc;

	*upto = after;
	if (statement == NULL)
		return NULL;
	sqlite3_bind_int64 (statement, 1, after);
	sqlite3_bind_int64 (statement, 2, limit);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64 (statement, 1);

		*upto = sqlite3_column_int64 (statement, 0);
		g_array_append_val (ids, id);
	}
	if (rc != SQLITE_DONE) {
		*upto = after;
		return NULL;
	}
	g_array_sort (ids, px_subscription_compare_ids);
	return g_steal_pointer (&ids);
}

gboolean
px_subscription_advance (PxStore *store, gint64 id, gint64 from, gint64 to, const char *digest_at,
			 gboolean *advanced, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store, "UPDATE subscriptions SET mark = ?3, digest_at = ?4 WHERE id = ?1 AND mark = ?2",
	    error);

	*advanced = FALSE;
	if (statement == NULL)
		return FALSE;
	sqlite3_bind_int64 (statement, 1, id);
	sqlite3_bind_int64 (statement, 2, from);
	sqlite3_bind_int64 (statement, 3, to);
	px_store_bind_text (statement, 4, digest_at);
	if (px_store_step (store, statement, error) != SQLITE_DONE)
		return FALSE;
	*advanced = sqlite3_changes (store->db) > 0;
	return TRUE;
}
