/* delivery.c: PxDelivery, the outbox delivered after commit on the main loop: the due messages
 * taken (a few at a time, none twice), webhooks POSTed with libsoup (2xx: delivered), mail sent
 * by mail.c, each attempt recorded through store/outbox.c with exponential back-off and jitter,
 * given up after max_attempts. Woken from any thread; polls as a backstop. */
#define G_LOG_DOMAIN "PxNotify"

#include <libsoup/soup.h>
#include <string.h>

#include "delivery.h"
#include "mail.h"
#include "store/outbox.h"
#include "store/store.h"
#include "util/error.h"

#define PX_DELIVERY_WAKE_MS 75	  /* after a wake: the change may still be committing */
#define PX_DELIVERY_POLL_S 5	  /* the backstop: a look at the outbox this often */
#define PX_DELIVERY_RETRY_MS 1000 /* after the outbox could not be read or written */
#define PX_DELIVERY_MAX_DELAY_MS (3600 * 1000) /* the longest back-off */
#define PX_DELIVERY_REPLY_PREFIX 256	       /* bytes of a refusal's body kept for the log */
#define PX_DELIVERY_BUSY_TIMEOUT_MS 250	       /* the main loop waits no longer for a writer */

typedef struct _PxDeliveryJob PxDeliveryJob;

struct _PxDelivery {
	PxStore *store;
	GMainContext *context;
	SoupSession *session;
	guint retry_base_ms, max_attempts, timeout_ms;
	/* message id -> PxDeliveryJob: in flight, or ended with its outcome not yet recorded */
	GHashTable *jobs;
	GSource *poll;
	GSource *timer; /* (nullable): the next look, at timer_at (monotonic µs) */
	gint64 timer_at;
	gboolean closing;
	GMutex lock;
	GSource *wake; /* (nullable) (locked): a look asked for by px_delivery_wake() */
};

struct _PxDeliveryJob {
	PxDelivery *delivery;
	PxOutboxMessage *message;
	GCancellable *cancellable; /* cancelled at the deadline or by px_delivery_free() */
	GSource *deadline;
	gboolean timed_out;
	gboolean ended;
	SoupMessage *request; /* webhook */
	GInputStream *reply;  /* webhook */
	guint status;
	char *error; /* (nullable): why the attempt failed; NULL once delivered */
	gint64 retry_after_ms;
	gint64 next_ms; /* when to try again, once decided (Unix ms) */
};

static void px_delivery_tick (PxDelivery *delivery);

static const char *
px_delivery_kind (const PxOutboxMessage *message)
{
	return message->kind == PX_OUTBOX_MAIL ? "mail" : "webhook";
}

/* Returns: (transfer full): where @message goes, for the logs: scheme, host and port only (a
 * webhook's path may be its secret, an SMTP URL may hold a password) */
static char *
px_delivery_shown_target (const PxOutboxMessage *message)
{
	g_autoptr (GUri) uri = g_uri_parse (message->target, G_URI_FLAGS_NONE, NULL);

	if (uri == NULL)
		return g_strdup ("(not a URL)");
	if (g_uri_get_port (uri) < 0)
		return g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
	return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
				g_uri_get_port (uri));
}

static void
px_delivery_job_free (gpointer data)
{
	PxDeliveryJob *job = data;

	if (job->deadline != NULL) {
		g_source_destroy (job->deadline);
		g_source_unref (job->deadline);
	}
	g_clear_object (&job->cancellable);
	g_clear_object (&job->reply);
	g_clear_object (&job->request);
	px_outbox_message_free (job->message);
	g_free (job->error);
	g_free (job);
}

static gboolean
px_delivery_timer_cb (gpointer data)
{
	PxDelivery *delivery = data;

	g_clear_pointer (&delivery->timer, g_source_unref);
	px_delivery_tick (delivery);
	return G_SOURCE_REMOVE;
}

/* a look at the outbox in @delay_ms, unless one comes sooner */
static void
px_delivery_schedule (PxDelivery *delivery, gint64 delay_ms)
{
	gint64 at;

	if (delivery->closing)
		return;
	delay_ms = CLAMP (delay_ms, 0, PX_DELIVERY_POLL_S * 1000);
	at = g_get_monotonic_time () + delay_ms * 1000;
	if (delivery->timer != NULL) {
		if (delivery->timer_at <= at)
			return;
		g_source_destroy (delivery->timer);
		g_clear_pointer (&delivery->timer, g_source_unref);
	}
	delivery->timer = g_timeout_source_new ((guint)delay_ms);
	delivery->timer_at = at;
	g_source_set_callback (delivery->timer, px_delivery_timer_cb, delivery, NULL);
	g_source_attach (delivery->timer, delivery->context);
}

/* the wait after @attempt failed attempts: base doubling up to an hour, then between half of
 * it and all of it, so that receivers coming back are not hit by every sender at once */
static gint64
px_delivery_backoff_ms (PxDelivery *delivery, guint attempt)
{
	gint64 delay = delivery->retry_base_ms;

	for (guint i = 1; i < attempt && delay < PX_DELIVERY_MAX_DELAY_MS; i++)
		delay *= 2;
	delay = MIN (delay, PX_DELIVERY_MAX_DELAY_MS);
	return delay / 2 + g_random_int_range (0, (gint32)(delay - delay / 2) + 1);
}

/* writes the ended attempt's outcome; Returns: FALSE when the outbox could not be written
 * (busy), to be tried again */
static gboolean
px_delivery_record (PxDelivery *delivery, PxDeliveryJob *job)
{
	g_autoptr (GError) error = NULL;
	PxOutboxMessage *message = job->message;
	guint attempt = message->attempts + 1;
	gint64 now = g_get_real_time () / 1000;
	g_autofree char *target = px_delivery_shown_target (message);

	if (job->error == NULL) {
		if (!px_outbox_mark_delivered (delivery->store, message->id, &error)) {
			g_message ("cannot record message %s as delivered: %s", message->id,
				   error->message);
			return FALSE;
		}
		g_message ("delivered %s (%s of %s to %s, attempt %u)", message->id,
			   px_delivery_kind (message), message->plugin, target, attempt);
		return TRUE;
	}
	if (attempt >= delivery->max_attempts) {
		if (!px_outbox_mark_failed (delivery->store, message->id, job->error, &error)) {
			g_message ("cannot record message %s as failed: %s", message->id,
				   error->message);
			return FALSE;
		}
		g_warning ("message %s (%s of %s to %s) failed after %u attempts: %s", message->id,
			   px_delivery_kind (message), message->plugin, target, attempt,
			   job->error);
		return TRUE;
	}
	if (job->next_ms == 0)
		job->next_ms =
		    now + MAX (px_delivery_backoff_ms (delivery, attempt), job->retry_after_ms);
	if (!px_outbox_mark_retry (delivery->store, message->id, job->next_ms, job->error,
				   &error)) {
		g_message ("cannot record the failed attempt of message %s: %s", message->id,
			   error->message);
		return FALSE;
	}
	g_message ("message %s (%s of %s to %s): attempt %u failed: %s; next in %.2f s",
		   message->id, px_delivery_kind (message), message->plugin, target, attempt,
		   job->error, (job->next_ms - now) / 1000.0);
	return TRUE;
}

/* the attempt is over: @error (transfer full) (nullable) says why it failed */
static void
px_delivery_job_end (PxDeliveryJob *job, char *error)
{
	PxDelivery *delivery = job->delivery;

	job->ended = TRUE;
	job->error = error;
	if (job->deadline != NULL) {
		g_source_destroy (job->deadline);
		g_clear_pointer (&job->deadline, g_source_unref);
	}
	/* stopping: the message stays pending for the next start */
	if (delivery->closing)
		return;
	if (px_delivery_record (delivery, job))
		g_hash_table_remove (delivery->jobs, job->message->id);
	px_delivery_schedule (delivery, 0);
}

/* Returns: (transfer full): why the attempt failed, from @error */
static char *
px_delivery_describe (PxDeliveryJob *job, const GError *error)
{
	if (job->timed_out)
		return g_strdup_printf ("no answer within %u ms", job->delivery->timeout_ms);
	return g_strdup (error->message);
}

static gboolean
px_delivery_deadline_cb (gpointer data)
{
	PxDeliveryJob *job = data;

	job->timed_out = TRUE;
	g_cancellable_cancel (job->cancellable);
	g_clear_pointer (&job->deadline, g_source_unref);
	return G_SOURCE_REMOVE;
}

static void
px_delivery_closed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
	PxDeliveryJob *job = data;
	g_autofree char *text = g_steal_pointer (&job->error);
	char *why = NULL;

	g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
	if (!SOUP_STATUS_IS_SUCCESSFUL (job->status))
		why = g_strdup_printf ("HTTP %u%s%s", job->status, text != NULL ? ": " : "",
				       text != NULL ? text : "");
	px_delivery_job_end (job, why);
}

/* the answer's status decides; the start of its body says why a refusal; the rest is not read */
static void
px_delivery_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
	PxDeliveryJob *job = data;
	g_autoptr (GBytes) prefix =
	    g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

	if (prefix != NULL && g_bytes_get_size (prefix) > 0) {
		g_autofree char *valid = g_utf8_make_valid (g_bytes_get_data (prefix, NULL),
							    (gssize)g_bytes_get_size (prefix));

		g_strdelimit (valid, "\r\n\t", ' ');
		job->error = g_strdup (g_strstrip (valid));
	}
	/* drop the connection rather than read an answer of any length to its end */
	g_cancellable_cancel (job->cancellable);
	g_input_stream_close_async (job->reply, G_PRIORITY_DEFAULT, NULL, px_delivery_closed_cb,
				    job);
}

static gint64
px_delivery_retry_after_ms (SoupMessage *request)
{
	const char *value = soup_message_headers_get_one (
	    soup_message_get_response_headers (request), "Retry-After");
	guint64 seconds = 0;

	if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, 86400, &seconds, NULL))
		return 0;
	return MIN ((gint64)seconds * 1000, PX_DELIVERY_MAX_DELAY_MS);
}

static void
px_delivery_sent_cb (GObject *source, GAsyncResult *result, gpointer data)
{
	PxDeliveryJob *job = data;
	g_autoptr (GError) error = NULL;

	job->reply = soup_session_send_finish (SOUP_SESSION (source), result, &error);
	if (job->reply == NULL) {
		px_delivery_job_end (job, px_delivery_describe (job, error));
		return;
	}
	job->status = soup_message_get_status (job->request);
	if (job->status == 429 || job->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
		job->retry_after_ms = px_delivery_retry_after_ms (job->request);
	g_input_stream_read_bytes_async (job->reply, PX_DELIVERY_REPLY_PREFIX, G_PRIORITY_DEFAULT,
					 job->cancellable, px_delivery_read_cb, job);
}

static void
px_delivery_start_webhook (PxDelivery *delivery, PxDeliveryJob *job)
{
	PxOutboxMessage *message = job->message;
	SoupMessageHeaders *headers;

	job->request = soup_message_new ("POST", message->target);
	if (job->request == NULL) {
		px_delivery_job_end (job, g_strdup ("the webhook's URL does not parse"));
		return;
	}
	headers = soup_message_get_request_headers (job->request);
	for (guint i = 0; message->headers[i] != NULL; i++) {
		const char *colon = strstr (message->headers[i], ": ");
		g_autofree char *name = NULL;

		if (colon == NULL)
			continue;
		name = g_strndup (message->headers[i], colon - message->headers[i]);
		soup_message_headers_replace (headers, name, colon + 2);
	}
	soup_message_set_request_body_from_bytes (job->request, "application/json", message->body);
	soup_message_add_flags (job->request, SOUP_MESSAGE_NO_REDIRECT);
	soup_session_send_async (delivery->session, job->request, G_PRIORITY_DEFAULT,
				 job->cancellable, px_delivery_sent_cb, job);
}

static void
px_delivery_mailed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
	PxDeliveryJob *job = data;
	g_autoptr (GError) error = NULL;

	if (!px_mail_send_finish (result, &error)) {
		px_delivery_job_end (job, px_delivery_describe (job, error));
		return;
	}
	px_delivery_job_end (job, NULL);
}

/* @message (transfer full) goes out; the job stays in delivery->jobs until recorded */
static void
px_delivery_start (PxDelivery *delivery, PxOutboxMessage *message)
{
	PxDeliveryJob *job = g_new0 (PxDeliveryJob, 1);

	job->delivery = delivery;
	job->message = message;
	job->cancellable = g_cancellable_new ();
	g_hash_table_insert (delivery->jobs, message->id, job);
	/* a whole attempt's deadline: libsoup's timeout is per read and write */
	job->deadline = g_timeout_source_new (delivery->timeout_ms);
	g_source_set_callback (job->deadline, px_delivery_deadline_cb, job, NULL);
	g_source_attach (job->deadline, delivery->context);
	if (message->kind == PX_OUTBOX_MAIL)
		px_mail_send_async (message, delivery->timeout_ms, job->cancellable,
				    px_delivery_mailed_cb, job);
	else
		px_delivery_start_webhook (delivery, job);
}

/* Returns: (transfer container): the ids of the jobs, NULL-terminated */
static const char **
px_delivery_busy_ids (PxDelivery *delivery)
{
	return (const char **)g_hash_table_get_keys_as_array (delivery->jobs, NULL);
}

static void
px_delivery_tick (PxDelivery *delivery)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) due = NULL;
	g_autofree const char **busy = NULL;
	g_autofree const char **still_busy = NULL;
	gint64 now = g_get_real_time () / 1000;
	gint64 next = 0;
	gboolean unrecorded = FALSE;
	GHashTableIter iter;
	gpointer value;
	guint running;

	if (delivery->closing)
		return;
	/* outcomes the outbox could not take before (a writer held it past the busy timeout) */
	g_hash_table_iter_init (&iter, delivery->jobs);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		PxDeliveryJob *job = value;

		if (!job->ended)
			continue;
		if (px_delivery_record (delivery, job))
			g_hash_table_iter_remove (&iter);
		else
			unrecorded = TRUE;
	}
	running = g_hash_table_size (delivery->jobs);
	if (running < PX_DELIVERY_MAX_IN_FLIGHT) {
		busy = px_delivery_busy_ids (delivery);
		due = px_outbox_take_due (delivery->store, now, busy,
					  PX_DELIVERY_MAX_IN_FLIGHT - running, &error);
		if (due == NULL) {
			g_message ("cannot read the outbox: %s", error->message);
			px_delivery_schedule (delivery, PX_DELIVERY_RETRY_MS);
			return;
		}
		g_ptr_array_set_free_func (due, NULL);
		for (guint i = 0; i < due->len; i++)
			px_delivery_start (delivery, g_ptr_array_index (due, i));
	}
	if (unrecorded)
		px_delivery_schedule (delivery, PX_DELIVERY_RETRY_MS);
	/* while every slot is taken, the next attempt to end looks again */
	if (g_hash_table_size (delivery->jobs) >= PX_DELIVERY_MAX_IN_FLIGHT)
		return;
	still_busy = px_delivery_busy_ids (delivery);
	if (!px_outbox_get_next_due (delivery->store, still_busy, &next, &error)) {
		g_message ("cannot read the outbox: %s", error->message);
		px_delivery_schedule (delivery, PX_DELIVERY_RETRY_MS);
		return;
	}
	if (next > 0)
		px_delivery_schedule (delivery, MAX (next - now, 1));
}

static gboolean
px_delivery_poll_cb (gpointer data)
{
	px_delivery_tick (data);
	return G_SOURCE_CONTINUE;
}

static gboolean
px_delivery_wake_cb (gpointer data)
{
	PxDelivery *delivery = data;

	g_mutex_lock (&delivery->lock);
	g_clear_pointer (&delivery->wake, g_source_unref);
	g_mutex_unlock (&delivery->lock);
	px_delivery_tick (delivery);
	return G_SOURCE_REMOVE;
}

void
px_delivery_wake (PxDelivery *delivery)
{
	g_return_if_fail (delivery != NULL);
	g_mutex_lock (&delivery->lock);
	if (delivery->wake == NULL && !delivery->closing) {
		delivery->wake = g_timeout_source_new (PX_DELIVERY_WAKE_MS);
		g_source_set_callback (delivery->wake, px_delivery_wake_cb, delivery, NULL);
		g_source_attach (delivery->wake, delivery->context);
	}
	g_mutex_unlock (&delivery->lock);
}

guint
px_delivery_get_in_flight (PxDelivery *delivery)
{
	return g_hash_table_size (delivery->jobs);
}

PxDelivery *
px_delivery_new (const PxConfig *config, GError **error)
{
	g_autoptr (PxDelivery) delivery = g_new0 (PxDelivery, 1);

	g_mutex_init (&delivery->lock);
	delivery->context = g_main_context_ref_thread_default ();
	delivery->jobs =
	    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, px_delivery_job_free);
	delivery->retry_base_ms = MAX (config->notify_retry_base_ms, 1);
	delivery->max_attempts = MAX (config->notify_max_attempts, 1);
	delivery->timeout_ms = MAX (config->notify_timeout_ms, 1);
	delivery->store = px_store_open (config->db_path, PX_STORE_READ_WRITE,
					 PX_DELIVERY_BUSY_TIMEOUT_MS, error);
	if (delivery->store == NULL) {
		g_prefix_error (error, "cannot start the outbox's delivery: ");
		return NULL;
	}
	delivery->session = soup_session_new_with_options (
	    "timeout", MAX (delivery->timeout_ms / 1000, 1), "user-agent",
	    "praxis/" PACKAGE_VERSION, "max-conns-per-host", PX_DELIVERY_MAX_IN_FLIGHT, NULL);
	delivery->poll = g_timeout_source_new_seconds (PX_DELIVERY_POLL_S);
	g_source_set_callback (delivery->poll, px_delivery_poll_cb, delivery, NULL);
	g_source_attach (delivery->poll, delivery->context);
	/* what a crash or a stop left: at once */
	px_delivery_schedule (delivery, 0);
	return g_steal_pointer (&delivery);
}

static void
px_delivery_destroy_source (GSource **source)
{
	if (*source == NULL)
		return;
	g_source_destroy (*source);
	g_clear_pointer (source, g_source_unref);
}

static gboolean
px_delivery_all_ended (PxDelivery *delivery)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init (&iter, delivery->jobs);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		if (!((PxDeliveryJob *)value)->ended)
			return FALSE;
	}
	return TRUE;
}

void
px_delivery_free (PxDelivery *delivery)
{
	GHashTableIter iter;
	gpointer value;

	if (delivery == NULL)
		return;
	g_mutex_lock (&delivery->lock);
	delivery->closing = TRUE;
	px_delivery_destroy_source (&delivery->wake);
	g_mutex_unlock (&delivery->lock);
	px_delivery_destroy_source (&delivery->poll);
	px_delivery_destroy_source (&delivery->timer);
	if (delivery->jobs != NULL) {
		g_hash_table_iter_init (&iter, delivery->jobs);
		while (g_hash_table_iter_next (&iter, NULL, &value))
			g_cancellable_cancel (((PxDeliveryJob *)value)->cancellable);
		/* their callbacks hold the jobs: let them run (libsoup at once, curl within about
		 * a second) */
		while (!px_delivery_all_ended (delivery))
			g_main_context_iteration (delivery->context, TRUE);
		g_hash_table_unref (delivery->jobs);
	}
	if (delivery->session != NULL)
		soup_session_abort (delivery->session);
	g_clear_object (&delivery->session);
	px_store_free (delivery->store);
	g_main_context_unref (delivery->context);
	g_mutex_clear (&delivery->lock);
	g_free (delivery);
}
