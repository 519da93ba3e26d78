/* scheduler.h: PxScheduler, the digests of the subscriptions: on a thread of its own with its
 * own connections, every [subscriptions] interval_s, each confirmed subscription that is due
 * (immediate: every run; daily; weekly) gets one mail of the practices published since its
 * mark that its search finds, or none when there are none; unconfirmed subscriptions expire. */
#pragma once

#include "notify/delivery.h"
#include "search/search.h"
#include "util/config.h"

typedef struct _PxScheduler PxScheduler;

/* what one run did */
typedef struct {
	guint due;     /* subscriptions due */
	guint mailed;  /* digests written to the outbox */
	guint expired; /* unconfirmed subscriptions deleted */
	guint failed;  /* due subscriptions left for the next run (a search that failed, ...) */
} PxSchedulerCounts;

/**
 * px_scheduler_new:
 * @config: the database, [mail] (PX_ERROR_INVALID without smtp_url), the base URL and
 *   [subscriptions] interval_s; read now, not kept
 * @index: the searches' shared state; it must outlive the scheduler
 * @delivery: (nullable): woken after a run wrote mail; it must outlive the scheduler
 *
 * Opens a read-write connection (the marks, the outbox) and a read-only one (the searches).
 * Nothing runs before px_scheduler_start() or px_scheduler_run().
 * Returns: (transfer full): the scheduler, or NULL with @error set
 */
PxScheduler *px_scheduler_new (const PxConfig *config, PxSearchIndex *index, PxDelivery *delivery,
			       GError **error);

/**
 * px_scheduler_run:
 * @now: the time the run takes as now: what is due, what has expired, the digests' time
 * @counts: (out) (optional): what the run did
 *
 * One run on the calling thread. Each digest is written with its subscription's new mark in
 * one transaction, so a crash neither loses nor repeats one; a subscription whose search fails
 * keeps its mark for the next run.
 * Returns: FALSE with @error set when the subscriptions could not be read at all
 */
gboolean px_scheduler_run (PxScheduler *scheduler, GDateTime *now, PxSchedulerCounts *counts,
			   GError **error);

/**
 * PxSchedulerRewriteFunc:
 * @query: a subscription's words (its q)
 *
 * Returns: (transfer full) (nullable): the words to search for instead (the plugins'
 * search.rewrite, as the search page applies it), or NULL to search @query; called on the
 * scheduler's thread
 */
typedef char *(*PxSchedulerRewriteFunc) (const char *query, gpointer user_data);

/* searches each subscription's words as @func rewrites them; set before px_scheduler_start() */
void px_scheduler_set_rewrite (PxScheduler *scheduler, PxSchedulerRewriteFunc func,
			       gpointer user_data);

/* runs at once, then every interval_s, on a thread of the scheduler's, until freed */
void px_scheduler_start (PxScheduler *scheduler);

/* stops the thread (after the digest in progress) and closes the connections */
void px_scheduler_free (PxScheduler *scheduler);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxScheduler, px_scheduler_free)
