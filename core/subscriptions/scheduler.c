/* scheduler.c: PxScheduler, the digest runs: the due subscriptions read, each one's search run
 * over the practices first published after its mark (search's `within`), newest first, and a
 * mail written with the advanced mark in one transaction (never an empty one: nothing found
 * advances the mark alone); unconfirmed subscriptions past their week deleted. On its own
 * thread and connections; the outbox's deliverer sends what it writes. */
#define G_LOG_DOMAIN "PxSubscriptions"

#include <string.h>

#include "digest.h"
#include "i18n/i18n.h"
#include "scheduler.h"
#include "store/outbox.h"
#include "store/subscription.h"
#include "subscribe.h"
#include "util/error.h"
#include "util/timestamp.h"

/* the most publications one digest looks at; the rest wait for the next run */
#define PX_SCHEDULER_MAX_NEW 10000
#define PX_SCHEDULER_DAY_S (24 * 3600)

struct _PxScheduler {
	PxSearchIndex *index; /* borrowed */
	PxDelivery *delivery; /* (nullable) borrowed */
	PxStore *writer;      /* the marks and the outbox */
	PxStore *reader;      /* the searches */
	PxI18n *i18n;	      /* the languages of the mails */
	char *base_url;
	char *smtp_url, *from;
	guint interval_s;
	PxSchedulerRewriteFunc rewrite; /* (nullable) */
	gpointer rewrite_data;
	GThread *thread; /* (nullable): once started */
	GMutex lock;
	GCond cond;
	gboolean stopping; /* (locked) */
};

/* the times a run compares with, all fixed-width UTC */
typedef struct {
	char *now;
	char *daily_before;
	char *weekly_before;
	char *expired_before;
} PxSchedulerTimes;

static char *
px_scheduler_timestamp_before (GDateTime *now, gint64 seconds)
{
	g_autoptr (GDateTime) then = g_date_time_add_seconds (now, (gdouble)-seconds);

	return px_timestamp_from_date_time (then);
}

static void
px_scheduler_times_clear (PxSchedulerTimes *times)
{
	g_free (times->now);
	g_free (times->daily_before);
	g_free (times->weekly_before);
	g_free (times->expired_before);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PxSchedulerTimes, px_scheduler_times_clear)

PxScheduler *
px_scheduler_new (const PxConfig *config, PxSearchIndex *index, PxDelivery *delivery,
		  GError **error)
{
	g_autoptr (PxScheduler) scheduler = NULL;

	if (config->mail_smtp_url == NULL || config->mail_from == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the digests need [mail] smtp_url and from in praxis.conf");
		return NULL;
	}
	scheduler = g_new0 (PxScheduler, 1);
	g_mutex_init (&scheduler->lock);
	g_cond_init (&scheduler->cond);
	scheduler->index = index;
	scheduler->delivery = delivery;
	scheduler->base_url = px_config_get_base_url (config);
	scheduler->smtp_url = g_strdup (config->mail_smtp_url);
	scheduler->from = g_strdup (config->mail_from);
	scheduler->interval_s = config->subscriptions_interval_s;
	scheduler->i18n = px_i18n_new (error);
	if (scheduler->i18n == NULL)
		return NULL;
	scheduler->writer =
	    px_store_open (config->db_path, PX_STORE_READ_WRITE, config->busy_timeout_ms, error);
	if (scheduler->writer == NULL)
		return NULL;
	scheduler->reader =
	    px_store_open (config->db_path, PX_STORE_READ_ONLY, config->busy_timeout_ms, error);
	if (scheduler->reader == NULL)
		return NULL;
	return g_steal_pointer (&scheduler);
}

void
px_scheduler_set_rewrite (PxScheduler *scheduler, PxSchedulerRewriteFunc func, gpointer user_data)
{
	g_return_if_fail (scheduler->thread == NULL);
	scheduler->rewrite = func;
	scheduler->rewrite_data = user_data;
}

/* runs @request with its words rewritten as the search page would (the mail names them as
 * the subscriber wrote them). Returns: (transfer full): the result, or NULL with @error set */
static PxSearchResult *
px_scheduler_search (PxScheduler *scheduler, PxSearchRequest *request, GError **error)
{
	g_autofree char *rewritten = NULL;
	PxSearchResult *result;
	char *original = request->q;

	if (scheduler->rewrite != NULL && original != NULL)
		rewritten = scheduler->rewrite (original, scheduler->rewrite_data);
	if (rewritten != NULL)
		request->q = rewritten;
	result = px_search_run (scheduler->index, scheduler->reader, request, error);
	request->q = original;
	return result;
}

/* Returns: (transfer full): the digest's search: @subscription's, newest first, over @within
 * (taken) */
static PxSearchRequest *
px_scheduler_make_request (const PxSubscription *subscription, GArray *within, GError **error)
{
	PxSearchRequest *request = px_digest_parse_query (subscription->query, error);

	if (request == NULL) {
		g_array_unref (within);
		return NULL;
	}
	request->within = within;
	request->sort = PX_SORT_NEWEST;
	request->page = 1;
	request->per_page = PX_DIGEST_MAX_LISTED;
	return request;
}

/* writes @mail (nullable: nothing found) and moves the mark from @from to @to, in one
 * transaction; Returns: FALSE with @error set */
static gboolean
px_scheduler_commit (PxScheduler *scheduler, const PxSubscription *subscription,
		     const PxDigestMail *mail, gint64 to, const char *now, GError **error)
{
	const char *recipients[] = {subscription->email, NULL};
	g_autoptr (GError) local_error = NULL;
	gboolean advanced = FALSE;

	if (!px_store_begin (scheduler->writer, error))
		return FALSE;
	if (mail != NULL)
		px_outbox_add_mail_with_headers (
		    scheduler->writer, "subscriptions", scheduler->smtp_url, scheduler->from,
		    recipients, mail->subject, mail->text, (const char *const *)mail->headers,
		    "subscription.digest", NULL, &local_error);
	if (local_error == NULL)
		px_subscription_advance (scheduler->writer, subscription->id, subscription->mark,
					 to, now, &advanced, &local_error);
	/* another run (a second server on the file) took this digest: it sends it */
	if (local_error == NULL && !advanced) {
		px_store_rollback (scheduler->writer);
		return TRUE;
	}
	if (local_error != NULL || !px_store_commit (scheduler->writer, &local_error)) {
		px_store_rollback (scheduler->writer);
		g_propagate_error (error, g_steal_pointer (&local_error));
		return FALSE;
	}
	return TRUE;
}

/* one due subscription's digest; @newest is the newest publication's seq. Returns: FALSE with
 * @error set, the mark kept; *mailed says whether a mail was written */
static gboolean
px_scheduler_run_one (PxScheduler *scheduler, const PxSubscription *subscription, gint64 newest,
		      const char *now, gboolean *mailed, GError **error)
{
	g_autoptr (PxSearchRequest) request = NULL;
	g_autoptr (PxSearchResult) result = NULL;
	g_autoptr (PxDigestMail) mail = NULL;
	g_autoptr (GError) parse_error = NULL;
	GArray *within;
	gint64 upto = subscription->mark;

	*mailed = FALSE;
	if (subscription->mark >= newest) {
		/* nothing published: an immediate one has nothing to note; a daily or weekly one
		 * starts its next period */
		if (subscription->frequency == PX_SUBSCRIPTION_IMMEDIATE)
			return TRUE;
		return px_scheduler_commit (scheduler, subscription, NULL, subscription->mark, now,
					    error);
	}
	within = px_subscription_list_published (scheduler->writer, subscription->mark,
						 PX_SCHEDULER_MAX_NEW, &upto, error);
	if (within == NULL)
		return FALSE;
	request = px_scheduler_make_request (subscription, within, &parse_error);
	if (request == NULL) {
		/* a search that no longer parses never will: its practices are passed over */
		g_warning ("subscription %" G_GINT64_FORMAT ": %s; nothing sent", subscription->id,
			   parse_error->message);
		return px_scheduler_commit (scheduler, subscription, NULL, upto, now, error);
	}
	result = px_scheduler_search (scheduler, request, error);
	if (result == NULL)
		return FALSE;
	if (result->total > 0) {
		/* in the language it was made in; one no longer spoken falls back to English */
		mail = px_digest_compose (
		    scheduler->base_url,
		    px_i18n_get_catalog (scheduler->i18n, subscription->language), subscription,
		    request, result->hits, result->total);
		*mailed = TRUE;
	}
	return px_scheduler_commit (scheduler, subscription, mail, upto, now, error);
}

static gboolean
px_scheduler_is_stopping (PxScheduler *scheduler)
{
	gboolean stopping;

	g_mutex_lock (&scheduler->lock);
	stopping = scheduler->stopping;
	g_mutex_unlock (&scheduler->lock);
	return stopping;
}

gboolean
px_scheduler_run (PxScheduler *scheduler, GDateTime *now, PxSchedulerCounts *counts, GError **error)
{
	g_auto (PxSchedulerTimes) times = {
	    .now = px_timestamp_from_date_time (now),
	    .daily_before = px_scheduler_timestamp_before (now, PX_SCHEDULER_DAY_S),
	    .weekly_before = px_scheduler_timestamp_before (now, 7 * PX_SCHEDULER_DAY_S),
	    .expired_before = px_scheduler_timestamp_before (now, (gint64)PX_SUBSCRIBE_EXPIRE_DAYS *
								      PX_SCHEDULER_DAY_S),
	};
	PxSchedulerCounts local = {0};
	g_autoptr (GPtrArray) due = NULL;
	gint64 newest = 0;

	if (counts == NULL)
		counts = &local;
	memset (counts, 0, sizeof *counts);
	if (!px_subscription_delete_unconfirmed (scheduler->writer, times.expired_before,
						 &counts->expired, error) ||
	    !px_subscription_get_newest_mark (scheduler->writer, &newest, error))
		return FALSE;
	due = px_subscription_list_due (scheduler->writer, times.daily_before, times.weekly_before,
					error);
	if (due == NULL)
		return FALSE;
	counts->due = due->len;
	for (guint i = 0; i < due->len && !px_scheduler_is_stopping (scheduler); i++) {
		const PxSubscription *subscription = g_ptr_array_index (due, i);
		g_autoptr (GError) local_error = NULL;
		gboolean mailed = FALSE;

		if (!px_scheduler_run_one (scheduler, subscription, newest, times.now, &mailed,
					   &local_error)) {
			g_message ("subscription %" G_GINT64_FORMAT ": digest left for the next "
				   "run: %s",
				   subscription->id, local_error->message);
			counts->failed++;
			continue;
		}
		counts->mailed += mailed ? 1 : 0;
	}
	if (counts->mailed > 0) {
		g_message ("subscriptions: %u digests written", counts->mailed);
		if (scheduler->delivery != NULL)
			px_delivery_wake (scheduler->delivery);
	}
	return TRUE;
}

static gpointer
px_scheduler_thread (gpointer data)
{
	PxScheduler *scheduler = data;

	g_mutex_lock (&scheduler->lock);
	while (!scheduler->stopping) {
		g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
		g_autoptr (GError) error = NULL;
		gint64 next = g_get_monotonic_time () + scheduler->interval_s * G_TIME_SPAN_SECOND;

		g_mutex_unlock (&scheduler->lock);
		if (!px_scheduler_run (scheduler, now, NULL, &error))
			g_warning ("subscriptions: the digests did not run: %s", error->message);
		g_mutex_lock (&scheduler->lock);
		while (!scheduler->stopping &&
		       g_cond_wait_until (&scheduler->cond, &scheduler->lock, next))
			;
	}
	g_mutex_unlock (&scheduler->lock);
	return NULL;
}

void
px_scheduler_start (PxScheduler *scheduler)
{
	g_return_if_fail (scheduler->thread == NULL);
	scheduler->thread = g_thread_new ("px-digests", px_scheduler_thread, scheduler);
}

void
px_scheduler_free (PxScheduler *scheduler)
{
	if (scheduler == NULL)
		return;
	g_mutex_lock (&scheduler->lock);
	scheduler->stopping = TRUE;
	g_cond_broadcast (&scheduler->cond);
	g_mutex_unlock (&scheduler->lock);
	if (scheduler->thread != NULL)
		g_thread_join (scheduler->thread);
	px_store_free (scheduler->reader);
	px_store_free (scheduler->writer);
	px_i18n_free (scheduler->i18n);
	g_free (scheduler->base_url);
	g_free (scheduler->smtp_url);
	g_free (scheduler->from);
	g_mutex_clear (&scheduler->lock);
	g_cond_clear (&scheduler->cond);
	g_free (scheduler);
}
