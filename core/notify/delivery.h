/* delivery.h: PxDelivery, the deliverer of the outbox: on the main loop of the thread that
 * makes it, with a connection of its own, it sends the due messages (webhooks over libsoup,
 * mail over SMTP) and records each attempt: delivered, retried with back-off, or failed. */
#pragma once

#include <glib.h>

#include "util/config.h"

typedef struct _PxDelivery PxDelivery;

/* the most messages in flight at once */
#define PX_DELIVERY_MAX_IN_FLIGHT 4

/**
 * px_delivery_new:
 * @config: the database ([database] path) and [notify]'s retry_base_ms, max_attempts and
 *   timeout_ms; read now, not kept
 *
 * Opens its own read-write connection and starts on the thread-default main context: what the
 * outbox holds (left by a crash or a stop) is sent at once, new messages once
 * px_delivery_wake() is called or at the latest at the next poll (every few seconds), retries
 * when they are due. Each delivery is logged "delivered ID (...)", each failed attempt with
 * the message's id and the error.
 *
 * Returns: (transfer full): the deliverer, or NULL with @error set when the database cannot be
 * opened
 */
PxDelivery *px_delivery_new (const PxConfig *config, GError **error);

/**
 * px_delivery_wake:
 *
 * Asks for a look at the due messages soon (after about 75 ms: the change that added them may
 * not have committed yet). Callable from any thread, but not after px_delivery_free().
 */
void px_delivery_wake (PxDelivery *delivery);

/* Returns: the messages being sent now */
guint px_delivery_get_in_flight (PxDelivery *delivery);

/**
 * px_delivery_free:
 *
 * Cancels the attempts in flight and waits for them to end (running the main context: at most
 * about a second), leaving their messages pending for the next start. Call it on the thread
 * that made @delivery.
 */
void px_delivery_free (PxDelivery *delivery);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxDelivery, px_delivery_free)
