/* test-outbox.c: the outbox's rows (store/outbox.c): added in the caller's transaction or not
 * at all, the webhook's body and signature exact, arguments checked, attempts recorded and
 * counted; its delivery (notify/delivery.c) to a real receiver on 127.0.0.1: byte-exact,
 * signed, retried with back-off, given up, woken from another thread, resumed by the next
 * deliverer; a mail's RFC 5322 text (notify/mail.c). */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "notify/delivery.h"
#include "notify/mail.h"
#include "store/outbox.h"
#include "store/store-private.h"
#include "store/store.h"
#include "test-util.h"
#include "util/error.h"
#include "util/json.h"

#define PX_TEST_SECRET "s3cret key"

typedef struct {
	char *dir;
	char *path;
	PxStore *store;
	PxConfig *config; /* the deliverer's: this database, short back-off, 3 attempts */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-outbox-XXXXXX", &error);
	g_assert_no_error (error);
	fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->store = px_store_open (fixture->path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	fixture->config = px_config_load (NULL, &error);
	g_assert_no_error (error);
	g_free (fixture->config->db_path);
	fixture->config->db_path = g_strdup (fixture->path);
	fixture->config->notify_retry_base_ms = 20;
	fixture->config->notify_max_attempts = 3;
	fixture->config->notify_timeout_ms = 2000;
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	px_config_free (fixture->config);
	px_store_free (fixture->store);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->path);
	g_free (fixture->dir);
}

static PxPractice *
new_practice (void)
{
	PxPractice *practice = px_practice_new ();

	practice->id = 42;
	practice->uid = g_strdup ("se-malmo-language-cafe");
	practice->title = g_strdup ("Språkcafé \"Malmö\" <open>");
	practice->summary = g_strdup ("Newcomers practise Swedish.\nEvery week.");
	practice->country = g_strdup ("SE");
	practice->status = PX_STATUS_PUBLISHED;
	practice->contact = g_strdup ("private@example.org");
	g_ptr_array_add (practice->themes, g_strdup ("language-learning"));
	return practice;
}

static guint
count_due (PxStore *store)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) due = px_outbox_take_due (store, G_MAXINT64, NULL, 100, &error);

	g_assert_no_error (error);
	return due->len;
}

static char *
add_webhook (PxStore *store, const char *url)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ();
	char *id = NULL;

	g_assert_true (px_outbox_add_webhook (store, "notify-webhook", url, PX_TEST_SECRET,
					      "practice.published", practice, &id, &error));
	g_assert_no_error (error);
	g_assert_nonnull (id);
	return id;
}

/* a message added in a transaction that rolls back is gone; one that commits is there, also
 * for another connection; one added outside a transaction is committed at once */
static void
test_outbox_transaction_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) other = NULL;
	g_autofree char *rolled_back = NULL;
	g_autofree char *committed = NULL;
	g_autofree char *alone = NULL;

	g_assert_true (px_store_begin (fixture->store, &error));
	rolled_back = add_webhook (fixture->store, "http://127.0.0.1:9/hook");
	g_assert_cmpuint (count_due (fixture->store), ==, 1);
	px_store_rollback (fixture->store);
	g_assert_cmpuint (count_due (fixture->store), ==, 0);

	other = px_store_open (fixture->path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	g_assert_true (px_store_begin (fixture->store, &error));
	committed = add_webhook (fixture->store, "http://127.0.0.1:9/hook");
	g_assert_cmpuint (count_due (other), ==, 0);
	g_assert_true (px_store_commit (fixture->store, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (count_due (other), ==, 1);

	alone = add_webhook (fixture->store, "https://example.org/hook");
	g_assert_false (px_store_in_transaction (fixture->store));
	g_assert_cmpuint (count_due (other), ==, 2);
	g_assert_cmpstr (committed, !=, alone);
}

/* the body is exactly {"id":..,"event":..,"practice":{the public view}} and the signature the
 * HMAC-SHA256 of those bytes, recomputed here with libsodium */
static void
test_outbox_webhook_body_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ();
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autofree char *id = add_webhook (fixture->store, "http://127.0.0.1:9/hook");
	g_autoptr (GPtrArray) due =
	    px_outbox_take_due (fixture->store, G_MAXINT64, NULL, 10, &error);
	g_autofree char *view = NULL;
	g_autofree char *expected = NULL;
	g_autofree char *delivery = NULL;
	g_autofree char *signature = NULL;
	PxOutboxMessage *message;
	crypto_auth_hmacsha256_state state;
	guchar mac[crypto_auth_hmacsha256_BYTES];
	char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
	gsize length = 0;
	const char *body;

	g_assert_no_error (error);
	g_assert_cmpuint (due->len, ==, 1);
	message = g_ptr_array_index (due, 0);
	g_assert_cmpstr (message->id, ==, id);
	g_assert_cmpint (message->kind, ==, PX_OUTBOX_WEBHOOK);
	g_assert_cmpstr (message->plugin, ==, "notify-webhook");
	g_assert_cmpstr (message->event, ==, "practice.published");
	g_assert_cmpstr (message->target, ==, "http://127.0.0.1:9/hook");
	g_assert_cmpuint (message->attempts, ==, 0);

	px_practice_to_json (practice, builder, PX_VIEW_FULL);
	json_builder_end_object (builder);
	view = px_json_builder_to_string (builder, NULL);
	expected = g_strdup_printf ("{\"id\":\"%s\",\"event\":\"practice.published\","
				    "\"practice\":%s}",
				    id, view);
	body = g_bytes_get_data (message->body, &length);
	g_assert_cmpmem (body, length, expected, strlen (expected));
	/* the public view: no contact */
	g_assert_null (strstr (expected, "private@example.org"));
	g_assert_nonnull (strstr (expected, "\"uid\":\"se-malmo-language-cafe\""));

	crypto_auth_hmacsha256_init (&state, (const guchar *)PX_TEST_SECRET,
				     strlen (PX_TEST_SECRET));
	crypto_auth_hmacsha256_update (&state, (const guchar *)body, length);
	crypto_auth_hmacsha256_final (&state, mac);
	sodium_bin2hex (hex, sizeof hex, mac, sizeof mac);
	delivery = g_strdup_printf ("X-Praxis-Delivery: %s", id);
	signature = g_strdup_printf ("X-Praxis-Signature: sha256=%s", hex);
	g_assert_cmpuint (g_strv_length (message->headers), ==, 2);
	g_assert_cmpstr (message->headers[0], ==, delivery);
	g_assert_cmpstr (message->headers[1], ==, signature);
	/* the secret is stored nowhere */
	g_assert_null (g_strstr_len (body, (gssize)length, PX_TEST_SECRET));
}

static void
assert_webhook_refused (PxStore *store, const char *url, const char *secret, const char *event)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ();
	g_autofree char *id = NULL;

	g_assert_false (px_outbox_add_webhook (store, "notify-webhook", url, secret, event,
					       practice, &id, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_null (id);
}

static void
assert_mail_refused (PxStore *store, const char *smtp_url, const char *from, const char *const *to)
{
	g_autoptr (GError) error = NULL;

	g_assert_false (px_outbox_add_mail (store, "notify-email", smtp_url, from, to, "Subject",
					    "Text", NULL, NULL, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

/* what could not be delivered, or could inject headers or SMTP commands, is refused */
static void
test_outbox_validate_func (Fixture *fixture, gconstpointer data)
{
	const char *const good[] = {"mod@example.org", NULL};
	const char *const injected[] = {"mod@example.org\r\nBcc: x@evil.example", NULL};
	const char *const angled[] = {"<mod@example.org>", NULL};
	const char *const two[] = {"a@example.org, b@example.org", NULL};
	const char *const none[] = {NULL};
	const char *const smtp = "smtp://127.0.0.1:2525";

	assert_webhook_refused (fixture->store, "ftp://example.org/x", PX_TEST_SECRET, "e");
	assert_webhook_refused (fixture->store, "http://", PX_TEST_SECRET, "e");
	assert_webhook_refused (fixture->store, "not a url", PX_TEST_SECRET, "e");
	assert_webhook_refused (fixture->store, "http://example.org/\r\nX: y", PX_TEST_SECRET, "e");
	assert_webhook_refused (fixture->store, "http://example.org/", "", "e");
	assert_webhook_refused (fixture->store, "http://example.org/", NULL, "e");
	assert_webhook_refused (fixture->store, "http://example.org/", PX_TEST_SECRET, "");
	assert_webhook_refused (fixture->store, "http://example.org/", PX_TEST_SECRET, "a b");
	assert_mail_refused (fixture->store, "http://127.0.0.1:2525", "from@example.org", good);
	assert_mail_refused (fixture->store, "smtp://", "from@example.org", good);
	assert_mail_refused (fixture->store, smtp, "from@example.org\n", good);
	assert_mail_refused (fixture->store, smtp, "From <from@example.org>", good);
	assert_mail_refused (fixture->store, smtp, "no-at-sign", good);
	assert_mail_refused (fixture->store, smtp, "from@example.org", injected);
	assert_mail_refused (fixture->store, smtp, "from@example.org", angled);
	assert_mail_refused (fixture->store, smtp, "from@example.org", two);
	assert_mail_refused (fixture->store, smtp, "from@example.org", none);
	assert_mail_refused (fixture->store, smtp, "from@example.org", NULL);
	g_assert_cmpuint (count_due (fixture->store), ==, 0);
}

/* a mail keeps its parts; the subject loses its line breaks */
static void
test_outbox_mail_row_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const char *const to[] = {"a@example.org", "b@example.org", NULL};
	g_autofree char *id = NULL;
	g_autoptr (GPtrArray) due = NULL;
	PxOutboxMessage *message;

	g_assert_true (px_outbox_add_mail (
	    fixture->store, "notify-email", "smtps://mail.example:465", "praxis@example.org", to,
	    "New\r\nBcc: evil@example.org", "Hello\n", "practice.submitted", &id, &error));
	g_assert_no_error (error);
	due = px_outbox_take_due (fixture->store, G_MAXINT64, NULL, 10, &error);
	g_assert_cmpuint (due->len, ==, 1);
	message = g_ptr_array_index (due, 0);
	g_assert_cmpstr (message->id, ==, id);
	g_assert_cmpint (message->kind, ==, PX_OUTBOX_MAIL);
	g_assert_cmpstr (message->target, ==, "smtps://mail.example:465");
	g_assert_cmpstr (message->sender, ==, "praxis@example.org");
	g_assert_cmpuint (g_strv_length (message->recipients), ==, 2);
	g_assert_cmpstr (message->recipients[1], ==, "b@example.org");
	g_assert_cmpstr (message->subject, ==, "New  Bcc: evil@example.org");
	g_assert_null (message->headers[0]);
	g_assert_cmpmem (g_bytes_get_data (message->body, NULL), g_bytes_get_size (message->body),
			 "Hello\n", 6);
	g_assert_nonnull (message->created_at);
}

static void
assert_state (PxStore *store, const char *id, const char *expected, guint expected_attempts)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *state = NULL;
	guint attempts = 0;

	g_assert_true (px_outbox_get_message_state (store, id, &state, &attempts, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (state, ==, expected);
	g_assert_cmpuint (attempts, ==, expected_attempts);
}

/* retries move the due time and count; in-flight ids are left out; delivered and failed are
 * final; the counts add up */
static void
test_outbox_attempts_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *first = add_webhook (fixture->store, "http://127.0.0.1:9/a");
	g_autofree char *second = add_webhook (fixture->store, "http://127.0.0.1:9/b");
	g_autofree char *third = add_webhook (fixture->store, "http://127.0.0.1:9/c");
	const char *busy[] = {second, third, NULL};
	gint64 now = g_get_real_time () / 1000;
	gint64 next = 0;
	g_autoptr (GPtrArray) due = NULL;
	PxOutboxCounts counts;

	due = px_outbox_take_due (fixture->store, now + 1000, busy, 10, &error);
	g_assert_cmpuint (due->len, ==, 1);
	g_assert_cmpstr (((PxOutboxMessage *)g_ptr_array_index (due, 0))->id, ==, first);
	g_clear_pointer (&due, g_ptr_array_unref);
	due = px_outbox_take_due (fixture->store, now + 1000, NULL, 2, &error);
	g_assert_cmpuint (due->len, ==, 2);
	g_clear_pointer (&due, g_ptr_array_unref);

	/* the first fails twice, then goes */
	g_assert_true (
	    px_outbox_mark_retry (fixture->store, first, now + 60000, "HTTP 500", &error));
	g_assert_true (
	    px_outbox_mark_retry (fixture->store, first, now + 60000, "HTTP 500", &error));
	assert_state (fixture->store, first, "pending", 2);
	due = px_outbox_take_due (fixture->store, now + 1000, busy, 10, &error);
	g_assert_cmpuint (due->len, ==, 0);
	g_clear_pointer (&due, g_ptr_array_unref);
	g_assert_true (px_outbox_get_next_due (fixture->store, busy, &next, &error));
	g_assert_cmpint (next, ==, now + 60000);
	g_assert_true (px_outbox_get_next_due (fixture->store, NULL, &next, &error));
	g_assert_cmpint (next, <=, now + 1000);
	due = px_outbox_take_due (fixture->store, now + 60000, busy, 10, &error);
	g_assert_cmpuint (due->len, ==, 1);
	g_assert_cmpuint (((PxOutboxMessage *)g_ptr_array_index (due, 0))->attempts, ==, 2);
	g_assert_true (px_outbox_mark_delivered (fixture->store, first, &error));
	assert_state (fixture->store, first, "delivered", 3);

	/* the second fails once and is given up; the third waits for a retry */
	g_assert_true (px_outbox_mark_retry (fixture->store, second, now, "refused", &error));
	g_assert_true (px_outbox_mark_failed (fixture->store, second, "refused", &error));
	assert_state (fixture->store, second, "failed", 2);
	g_assert_true (px_outbox_mark_retry (fixture->store, third, now, "timeout", &error));
	g_assert_no_error (error);
	/* a final state is not left again */
	g_assert_true (px_outbox_mark_retry (fixture->store, first, now, "late", &error));
	assert_state (fixture->store, first, "delivered", 3);

	g_assert_true (px_outbox_count (fixture->store, &counts, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (counts.delivered, ==, 1);
	g_assert_cmpuint (counts.failed, ==, 1);
	g_assert_cmpuint (counts.pending, ==, 1);
	g_assert_cmpuint (counts.retried, ==, 2 + 1 + 1);
	g_assert_false (
	    px_outbox_get_message_state (fixture->store, "nope", &(char *){NULL}, NULL, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
}

/* a webhook receiver on 127.0.0.1: records each request, answers with the next status of its
 * script (the last one repeated), holds the request when the status is 0, or answers 200 with
 * a body that never ends when it is 1 */
typedef struct {
	SoupServer *server;
	char *url;
	guint statuses[8];
	guint n_statuses;
	GPtrArray *bodies;     /* (element-type GBytes) */
	GPtrArray *deliveries; /* X-Praxis-Delivery of each */
	GPtrArray *signatures; /* X-Praxis-Signature of each */
	GPtrArray *types;      /* Content-Type of each */
	GPtrArray *agents;     /* User-Agent of each */
	GPtrArray *held;       /* (element-type SoupServerMessage) */
	GPtrArray *streaming;  /* (element-type SoupServerMessage): bodies not ended */
} Receiver;

static void
receiver_handler_cb (SoupServer *server, SoupServerMessage *message, const char *path,
		     GHashTable *query, gpointer data)
{
	Receiver *receiver = data;
	SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
	SoupMessageBody *body = soup_server_message_get_request_body (message);
	guint index = MIN (receiver->bodies->len, receiver->n_statuses - 1);
	guint status = receiver->statuses[index];

	g_assert_cmpstr (soup_server_message_get_method (message), ==, "POST");
	g_ptr_array_add (receiver->bodies, g_bytes_new (body->data, (gsize)body->length));
	g_ptr_array_add (receiver->deliveries,
			 g_strdup (soup_message_headers_get_one (headers, "X-Praxis-Delivery")));
	g_ptr_array_add (receiver->signatures,
			 g_strdup (soup_message_headers_get_one (headers, "X-Praxis-Signature")));
	g_ptr_array_add (receiver->types,
			 g_strdup (soup_message_headers_get_one (headers, "Content-Type")));
	g_ptr_array_add (receiver->agents,
			 g_strdup (soup_message_headers_get_one (headers, "User-Agent")));
	if (status == 0) {
		soup_server_message_pause (message);
		g_ptr_array_add (receiver->held, g_object_ref (message));
		return;
	}
	if (status == 1) {
		SoupMessageBody *answer = soup_server_message_get_response_body (message);
		g_autofree char *chunk = g_strnfill (64 * 1024, 'x');

		soup_server_message_set_status (message, 200, NULL);
		soup_message_headers_set_encoding (
		    soup_server_message_get_response_headers (message), SOUP_ENCODING_CHUNKED);
		soup_message_body_append (answer, SOUP_MEMORY_COPY, chunk, 64 * 1024);
		g_ptr_array_add (receiver->streaming, g_object_ref (message));
		return;
	}
	soup_server_message_set_status (message, status, NULL);
	soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_COPY, "answer\n", 7);
}

static Receiver *
receiver_new (const guint *statuses, guint n_statuses)
{
	g_autoptr (GError) error = NULL;
	Receiver *receiver = g_new0 (Receiver, 1);
	GSList *uris;

	g_assert_cmpuint (n_statuses, <=, G_N_ELEMENTS (receiver->statuses));
	memcpy (receiver->statuses, statuses, n_statuses * sizeof *statuses);
	receiver->n_statuses = n_statuses;
	receiver->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
	receiver->deliveries = g_ptr_array_new_with_free_func (g_free);
	receiver->signatures = g_ptr_array_new_with_free_func (g_free);
	receiver->types = g_ptr_array_new_with_free_func (g_free);
	receiver->agents = g_ptr_array_new_with_free_func (g_free);
	receiver->held = g_ptr_array_new_with_free_func (g_object_unref);
	receiver->streaming = g_ptr_array_new_with_free_func (g_object_unref);
	receiver->server = soup_server_new (NULL, NULL);
	soup_server_add_handler (receiver->server, "/hook", receiver_handler_cb, receiver, NULL);
	g_assert_true (
	    soup_server_listen_local (receiver->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
	g_assert_no_error (error);
	uris = soup_server_get_uris (receiver->server);
	receiver->url = g_strdup_printf ("http://127.0.0.1:%d/hook", g_uri_get_port (uris->data));
	g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
	return receiver;
}

/* answers what it holds (500) so that nothing stays paused */
static void
receiver_release (Receiver *receiver)
{
	for (guint i = 0; i < receiver->held->len; i++) {
		SoupServerMessage *message = g_ptr_array_index (receiver->held, i);

		soup_server_message_set_status (message, 500, NULL);
		soup_server_message_unpause (message);
	}
	g_ptr_array_set_size (receiver->held, 0);
	for (guint i = 0; i < receiver->streaming->len; i++)
		soup_message_body_complete (soup_server_message_get_response_body (
		    g_ptr_array_index (receiver->streaming, i)));
	g_ptr_array_set_size (receiver->streaming, 0);
}

static void
receiver_free (Receiver *receiver)
{
	receiver_release (receiver);
	while (g_main_context_iteration (NULL, FALSE))
		;
	soup_server_disconnect (receiver->server);
	g_object_unref (receiver->server);
	g_ptr_array_unref (receiver->bodies);
	g_ptr_array_unref (receiver->deliveries);
	g_ptr_array_unref (receiver->signatures);
	g_ptr_array_unref (receiver->types);
	g_ptr_array_unref (receiver->agents);
	g_ptr_array_unref (receiver->held);
	g_ptr_array_unref (receiver->streaming);
	g_free (receiver->url);
	g_free (receiver);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receiver, receiver_free)

static gboolean
wake_up_cb (gpointer data)
{
	return G_SOURCE_CONTINUE;
}

/* runs the main context until message @id is in @state or @seconds pass; Returns: the time
 * it took, in seconds */
static double
wait_for_state (PxStore *store, const char *id, const char *state, double seconds)
{
	gint64 start = g_get_monotonic_time ();
	guint tick = g_timeout_add (10, wake_up_cb, NULL);

	for (;;) {
		g_autoptr (GError) error = NULL;
		g_autofree char *now = NULL;

		g_assert_true (px_outbox_get_message_state (store, id, &now, NULL, &error));
		if (g_str_equal (now, state))
			break;
		if (g_get_monotonic_time () - start > seconds * G_USEC_PER_SEC)
			g_assert_cmpstr (now, ==, state);
		g_main_context_iteration (NULL, TRUE);
	}
	g_source_remove (tick);
	return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

/* runs the main context for @ms milliseconds */
static void
run_for (guint ms)
{
	gint64 end = g_get_monotonic_time () + ms * 1000;
	guint tick = g_timeout_add (10, wake_up_cb, NULL);

	while (g_get_monotonic_time () < end)
		g_main_context_iteration (NULL, TRUE);
	g_source_remove (tick);
}

static char *
sign (GBytes *body)
{
	crypto_auth_hmacsha256_state state;
	guchar mac[crypto_auth_hmacsha256_BYTES];
	char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];

	crypto_auth_hmacsha256_init (&state, (const guchar *)PX_TEST_SECRET,
				     strlen (PX_TEST_SECRET));
	crypto_auth_hmacsha256_update (&state, g_bytes_get_data (body, NULL),
				       g_bytes_get_size (body));
	crypto_auth_hmacsha256_final (&state, mac);
	sodium_bin2hex (hex, sizeof hex, mac, sizeof mac);
	return g_strconcat ("sha256=", hex, NULL);
}

/* Returns: (transfer full): the body stored for @id */
static GBytes *
stored_body (PxStore *store, const char *id)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) due = px_outbox_take_due (store, G_MAXINT64, NULL, 100, &error);

	for (guint i = 0; i < due->len; i++) {
		PxOutboxMessage *message = g_ptr_array_index (due, i);

		if (g_str_equal (message->id, id))
			return g_bytes_ref (message->body);
	}
	g_assert_not_reached ();
	return NULL;
}

/* request @index of @receiver is the message @id, byte for byte, signed */
static void
assert_received (Receiver *receiver, guint index, const char *id, GBytes *body)
{
	GBytes *received = g_ptr_array_index (receiver->bodies, index);
	g_autofree char *signature = sign (received);

	g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
			 g_bytes_get_data (body, NULL), g_bytes_get_size (body));
	g_assert_cmpstr (g_ptr_array_index (receiver->deliveries, index), ==, id);
	g_assert_cmpstr (g_ptr_array_index (receiver->signatures, index), ==, signature);
	g_assert_cmpstr (g_ptr_array_index (receiver->types, index), ==, "application/json");
	g_assert_true (g_str_has_prefix (g_ptr_array_index (receiver->agents, index), "praxis/"));
}

static PxOutboxCounts
get_counts (PxStore *store)
{
	g_autoptr (GError) error = NULL;
	PxOutboxCounts counts;

	g_assert_true (px_outbox_count (store, &counts, &error));
	g_assert_no_error (error);
	return counts;
}

/* what the outbox holds when the deliverer starts is POSTed as stored, and recorded */
static void
test_delivery_webhook_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const guint statuses[] = {204};
	g_autoptr (Receiver) receiver = receiver_new (statuses, G_N_ELEMENTS (statuses));
	g_autofree char *id = add_webhook (fixture->store, receiver->url);
	g_autoptr (GBytes) body = stored_body (fixture->store, id);
	g_autoptr (PxDelivery) delivery = NULL;
	guint attempts = 0;
	g_autofree char *state = NULL;

	delivery = px_delivery_new (fixture->config, &error);
	g_assert_no_error (error);
	wait_for_state (fixture->store, id, "delivered", 5);
	g_assert_cmpuint (receiver->bodies->len, ==, 1);
	assert_received (receiver, 0, id, body);
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &state, &attempts, &error));
	g_assert_cmpuint (attempts, ==, 1);
	/* nothing is sent twice */
	run_for (200);
	g_assert_cmpuint (receiver->bodies->len, ==, 1);
	g_assert_cmpuint (get_counts (fixture->store).delivered, ==, 1);
	g_assert_cmpuint (get_counts (fixture->store).retried, ==, 0);
}

/* 500, 500, then 200: delivered at the third attempt, the same bytes each time */
static void
test_delivery_retry_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const guint statuses[] = {500, 500, 200};
	g_autoptr (Receiver) receiver = receiver_new (statuses, G_N_ELEMENTS (statuses));
	g_autofree char *id = add_webhook (fixture->store, receiver->url);
	g_autoptr (GBytes) body = stored_body (fixture->store, id);
	g_autoptr (PxDelivery) delivery = px_delivery_new (fixture->config, &error);
	g_autofree char *state = NULL;
	guint attempts = 0;
	PxOutboxCounts counts;

	g_assert_no_error (error);
	wait_for_state (fixture->store, id, "delivered", 5);
	g_assert_cmpuint (receiver->bodies->len, ==, 3);
	for (guint i = 0; i < 3; i++)
		assert_received (receiver, i, id, body);
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &state, &attempts, &error));
	g_assert_cmpuint (attempts, ==, 3);
	counts = get_counts (fixture->store);
	g_assert_cmpuint (counts.delivered, ==, 1);
	g_assert_cmpuint (counts.retried, ==, 2);
	g_assert_cmpuint (counts.failed, ==, 0);
	g_assert_cmpuint (counts.pending, ==, 0);
}

/* a port where nothing listens: retried, then failed after max_attempts */
static void
test_delivery_dead_port_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
						   G_SOCKET_PROTOCOL_TCP, &error);
	g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
	g_autoptr (GSocketAddress) bound = NULL;
	g_autofree char *url = NULL;
	g_autofree char *id = NULL;
	g_autofree char *state = NULL;
	g_autoptr (PxDelivery) delivery = NULL;
	guint attempts = 0;
	PxOutboxCounts counts;

	/* bound and never listening: connections are refused, and the port stays ours */
	g_assert_true (g_socket_bind (socket, any, FALSE, &error));
	bound = g_socket_get_local_address (socket, &error);
	url = g_strdup_printf ("http://127.0.0.1:%u/hook",
			       g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
	id = add_webhook (fixture->store, url);
	g_test_expect_message ("PxNotify", G_LOG_LEVEL_MESSAGE, "*attempt 1 failed*refused*");
	g_test_expect_message ("PxNotify", G_LOG_LEVEL_MESSAGE, "*attempt 2 failed*refused*");
	g_test_expect_message ("PxNotify", G_LOG_LEVEL_WARNING, "*failed after 3 attempts*");
	delivery = px_delivery_new (fixture->config, &error);
	g_assert_no_error (error);
	wait_for_state (fixture->store, id, "failed", 5);
	g_test_assert_expected_messages ();
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &state, &attempts, &error));
	g_assert_cmpuint (attempts, ==, 3);
	counts = get_counts (fixture->store);
	g_assert_cmpuint (counts.failed, ==, 1);
	g_assert_cmpuint (counts.retried, ==, 2);
	g_assert_cmpuint (counts.delivered, ==, 0);
	/* given up: never tried again */
	run_for (200);
	g_clear_pointer (&state, g_free);
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &state, &attempts, &error));
	g_assert_cmpuint (attempts, ==, 3);
}

/* a 200 whose body never ends is delivered at once: the rest of the answer is not waited for */
static void
test_delivery_endless_answer_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const guint statuses[] = {1};
	g_autoptr (Receiver) receiver = receiver_new (statuses, G_N_ELEMENTS (statuses));
	g_autofree char *id = add_webhook (fixture->store, receiver->url);
	g_autoptr (PxDelivery) delivery = NULL;
	double took;

	fixture->config->notify_timeout_ms = 20000;
	delivery = px_delivery_new (fixture->config, &error);
	g_assert_no_error (error);
	took = wait_for_state (fixture->store, id, "delivered", 25);
	/* long before the attempt's deadline, which reading the answer to its end would reach */
	g_assert_cmpfloat (took, <, 10.0);
	g_assert_cmpuint (receiver->bodies->len, ==, 1);
}

typedef struct {
	Fixture *fixture;
	PxDelivery *delivery;
	const char *url;
	char *id;
} WakeData;

/* another thread adds a message on its own connection and wakes the deliverer */
static gpointer
wake_thread (gpointer data)
{
	WakeData *wake = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) store =
	    px_store_open (wake->fixture->path, PX_STORE_READ_WRITE, 1000, &error);

	g_assert_no_error (error);
	wake->id = add_webhook (store, wake->url);
	px_delivery_wake (wake->delivery);
	return NULL;
}

/* a wake from another thread gets a new message out well before the backstop poll */
static void
test_delivery_wake_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const guint statuses[] = {200};
	g_autoptr (Receiver) receiver = receiver_new (statuses, G_N_ELEMENTS (statuses));
	g_autoptr (PxDelivery) delivery = px_delivery_new (fixture->config, &error);
	WakeData wake = {fixture, delivery, receiver->url, NULL};
	GThread *thread;
	double took;

	g_assert_no_error (error);
	/* the first look, at the empty outbox, is over */
	run_for (100);
	thread = g_thread_new ("wake", wake_thread, &wake);
	g_thread_join (thread);
	took = wait_for_state (fixture->store, wake.id, "delivered", 8);
	/* before the backstop poll (5 s) could have found it */
	g_assert_cmpfloat (took, <, 4.0);
	g_assert_cmpuint (receiver->bodies->len, ==, 1);
	g_free (wake.id);
}

/* a deliverer stopped while its attempt is in flight leaves the message pending; the next one
 * (a restart) delivers it */
static void
test_delivery_restart_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const guint statuses[] = {0, 200};
	g_autoptr (Receiver) receiver = receiver_new (statuses, G_N_ELEMENTS (statuses));
	g_autofree char *id = add_webhook (fixture->store, receiver->url);
	g_autoptr (GBytes) body = stored_body (fixture->store, id);
	g_autofree char *state = NULL;
	g_autofree char *after = NULL;
	PxDelivery *first = px_delivery_new (fixture->config, &error);
	g_autoptr (PxDelivery) second = NULL;
	guint attempts = 0;
	gint64 start = g_get_monotonic_time ();

	g_assert_no_error (error);
	while (receiver->held->len == 0 && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
		g_main_context_iteration (NULL, TRUE);
	g_assert_cmpuint (receiver->held->len, ==, 1);
	g_assert_cmpuint (px_delivery_get_in_flight (first), ==, 1);
	px_delivery_free (first);
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &state, &attempts, &error));
	g_assert_cmpstr (state, ==, "pending");
	g_assert_cmpuint (attempts, ==, 0);
	receiver_release (receiver);

	second = px_delivery_new (fixture->config, &error);
	g_assert_no_error (error);
	wait_for_state (fixture->store, id, "delivered", 5);
	g_assert_cmpuint (receiver->bodies->len, ==, 2);
	assert_received (receiver, 1, id, body);
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &after, &attempts, &error));
	g_assert_cmpuint (attempts, ==, 1);
}

/* a message of the outbox as take_due gives it */
static PxOutboxMessage *
new_mail (const char *subject, const char *text)
{
	PxOutboxMessage *message = g_new0 (PxOutboxMessage, 1);
	const char *const to[] = {"a@example.org", "b@example.org", NULL};

	message->id = g_strdup ("0d9c6a52-7d5e-4c1b-9b43-2f0d7d1f3e11");
	message->kind = PX_OUTBOX_MAIL;
	message->plugin = g_strdup ("notify-email");
	message->target = g_strdup ("smtp://127.0.0.1:2525");
	message->headers = g_new0 (char *, 1);
	message->sender = g_strdup ("praxis@example.org");
	message->recipients = g_strdupv ((char **)to);
	message->subject = g_strdup (subject);
	message->body = g_bytes_new (text, strlen (text));
	message->created_at = g_strdup ("2026-12-01T10:20:30.123456Z");
	return message;
}

/* Returns: (transfer full): @text decoded from quoted-printable */
static char *
decode_qp (const char *text)
{
	GString *out = g_string_new (NULL);

	for (const char *c = text; *c != '\0'; c++) {
		if (*c != '=') {
			g_string_append_c (out, *c);
		} else if (c[1] == '\r' && c[2] == '\n') {
			c += 2;
		} else {
			g_assert_true (g_ascii_isxdigit (c[1]) && g_ascii_isxdigit (c[2]));
			g_assert_false (g_ascii_islower (c[1]) || g_ascii_islower (c[2]));
			g_string_append_c (out, (char)(g_ascii_xdigit_value (c[1]) * 16 +
						       g_ascii_xdigit_value (c[2])));
			c += 2;
		}
	}
	return g_string_free (out, FALSE);
}

/* Returns: (transfer full): the subject of @header (unfolded) with its encoded words decoded */
static char *
decode_subject (const char *head)
{
	const char *start = strstr (head, "\r\nSubject:");
	GString *out = g_string_new (NULL);
	g_auto (GStrv) words = NULL;
	g_autofree char *line = NULL;
	const char *end;

	g_assert_nonnull (start);
	start += strlen ("\r\nSubject:");
	/* the logical line: up to a CRLF not followed by a space */
	end = start;
	while ((end = strstr (end, "\r\n")) != NULL && end[2] == ' ')
		end += 2;
	line = g_strndup (start, end - start);
	words = g_strsplit (line, "\r\n", -1);
	for (guint i = 0; words[i] != NULL; i++) {
		const char *word = g_strstrip (words[i]);
		g_autofree char *payload = NULL;
		g_autofree guchar *decoded = NULL;
		gsize length = 0;

		g_assert_true (g_str_has_prefix (word, "=?UTF-8?B?"));
		g_assert_true (g_str_has_suffix (word, "?="));
		g_assert_cmpuint (strlen (word), <=, 75);
		payload = g_strndup (word + 10, strlen (word) - 12);
		decoded = g_base64_decode (payload, &length);
		g_assert_true (g_utf8_validate ((const char *)decoded, (gssize)length, NULL));
		g_string_append_len (out, (const char *)decoded, (gssize)length);
	}
	return g_string_free (out, FALSE);
}

/* CRLF only, and no line longer than @max */
static void
assert_lines (const char *text, gsize length, gsize max)
{
	gsize column = 0;

	for (gsize i = 0; i < length; i++) {
		if (text[i] == '\r') {
			g_assert_cmpint (text[i + 1], ==, '\n');
			g_assert_cmpuint (column, <=, max);
			column = 0;
			i++;
			continue;
		}
		g_assert_cmpint (text[i], !=, '\n');
		column++;
	}
	g_assert_cmpuint (column, ==, 0);
}

/* non-ASCII subject and body: RFC 2047 words of whole characters, quoted-printable lines, CRLF,
 * a line of one dot kept (libcurl stuffs it on the wire), the headers of an injection attempt
 * folded into the subject */
static void
test_mail_build_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *long_line = g_strnfill (1200, 'x');
	g_autofree char *text = g_strdup_printf (
	    "Hej!\n.\nA = sign and a trailing space \n%s\n\xc3\x85\xc3\xa4\xc3\xb6\r\nend",
	    long_line);
	g_autofree char *expected =
	    g_strdup_printf ("Hej!\r\n.\r\nA = sign and a trailing space "
			     "\r\n%s\r\n\xc3\x85\xc3\xa4\xc3\xb6\r\nend\r\n",
			     long_line);
	g_autoptr (PxOutboxMessage) message =
	    new_mail ("Ny praktik: Spr\xc3\xa5kcaf\xc3\xa9 \xe2\x9c\x93 i Malm\xc3\xb6 och Lund, "
		      "f\xc3\xb6r nyanl\xc3\xa4nda\r\nBcc: evil@example.org",
		      text);
	g_autoptr (GBytes) bytes = px_mail_build (message, &error);
	g_autofree char *mail = NULL;
	g_autofree char *head = NULL;
	g_autofree char *subject = NULL;
	g_autofree char *body = NULL;
	const char *split;
	gsize length = 0;

	g_assert_no_error (error);
	mail = g_strndup (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));
	assert_lines (mail, length, 76);
	split = strstr (mail, "\r\n\r\n");
	g_assert_nonnull (split);
	head = g_strndup (mail, split - mail + 2);
	g_assert_true (g_str_has_prefix (head, "Date: Tue, 01 Dec 2026 10:20:30 +0000\r\n"));
	g_assert_nonnull (strstr (head, "\r\nFrom: praxis@example.org\r\n"));
	g_assert_nonnull (strstr (head, "\r\nTo: a@example.org,\r\n b@example.org\r\n"));
	g_assert_nonnull (strstr (
	    head, "\r\nMessage-ID: <0d9c6a52-7d5e-4c1b-9b43-2f0d7d1f3e11@example.org>\r\n"));
	g_assert_nonnull (strstr (head, "\r\nMIME-Version: 1.0\r\n"));
	g_assert_nonnull (strstr (head, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
	g_assert_nonnull (strstr (head, "\r\nContent-Transfer-Encoding: quoted-printable\r\n"));
	g_assert_null (strstr (head, "\r\nBcc:"));
	subject = decode_subject (head);
	g_assert_cmpstr (
	    subject, ==,
	    "Ny praktik: Spr\xc3\xa5kcaf\xc3\xa9 \xe2\x9c\x93 i Malm\xc3\xb6 och Lund, "
	    "f\xc3\xb6r nyanl\xc3\xa4nda  Bcc: evil@example.org");
	g_assert_true (g_str_has_prefix (split + 4, "Hej!\r\n.\r\n"));
	body = decode_qp (split + 4);
	g_assert_cmpstr (body, ==, expected);
	/* a trailing space is encoded, the line's others are not */
	g_assert_nonnull (strstr (split, "A =3D sign and a trailing space=20\r\n"));
}

/* plain ASCII stays as it is (7bit); the same message builds to the same bytes (a retry sends
 * the same Message-ID and Date); bad addresses are refused */
static void
test_mail_build_plain_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxOutboxMessage) message = new_mail ("New practice", "Line one\n\nLine three\n");
	g_autoptr (GBytes) bytes = px_mail_build (message, &error);
	g_autoptr (GBytes) again = px_mail_build (message, &error);
	g_autoptr (PxOutboxMessage) bad = new_mail ("x", "y");
	g_autoptr (GBytes) refused = NULL;
	g_autofree char *mail = NULL;
	gsize length = 0;

	g_assert_no_error (error);
	g_assert_true (g_bytes_equal (bytes, again));
	mail = g_strndup (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));
	assert_lines (mail, length, PX_MAIL_MAX_LINE);
	g_assert_nonnull (strstr (mail, "\r\nSubject: New practice\r\n"));
	g_assert_nonnull (strstr (mail, "\r\nContent-Transfer-Encoding: 7bit\r\n"));
	g_assert_true (g_str_has_suffix (mail, "\r\n\r\nLine one\r\n\r\nLine three\r\n"));

	g_free (bad->recipients[1]);
	bad->recipients[1] = g_strdup ("b@example.org\r\nRCPT TO:<x@evil.example>");
	refused = px_mail_build (bad, &error);
	g_assert_null (refused);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

static gboolean
silent_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
		    gpointer data)
{
	g_ptr_array_add (data, g_object_ref (connection));
	return TRUE;
}

/* a mail in flight to a server that never answers: freeing the deliverer stops it at once
 * (curl's progress callback sees the cancellable) and leaves the message pending */
static void
test_delivery_free_mail_in_flight_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GSocketService) service = g_socket_service_new ();
	g_autoptr (GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
	g_autoptr (GSocketAddress) bound = NULL;
	const char *const to[] = {"mod@example.org", NULL};
	g_autofree char *url = NULL;
	g_autofree char *id = NULL;
	g_autofree char *state = NULL;
	PxDelivery *delivery;
	guint attempts = 1;
	gint64 start;

	g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), any,
						      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
						      NULL, &bound, &error));
	g_signal_connect (service, "incoming", G_CALLBACK (silent_incoming_cb), connections);
	url = g_strdup_printf ("smtp://127.0.0.1:%u",
			       g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
	g_assert_true (px_outbox_add_mail (fixture->store, "notify-email", url,
					   "praxis@example.org", to, "Subject", "Text", NULL, &id,
					   &error));
	fixture->config->notify_timeout_ms = 30000;
	delivery = px_delivery_new (fixture->config, &error);
	g_assert_no_error (error);
	start = g_get_monotonic_time ();
	while (connections->len == 0 && g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
		g_main_context_iteration (NULL, TRUE);
	g_assert_cmpuint (connections->len, ==, 1);
	g_assert_cmpuint (px_delivery_get_in_flight (delivery), ==, 1);
	run_for (100);
	start = g_get_monotonic_time ();
	px_delivery_free (delivery);
	/* curl looks at its progress callback about once a second */
	g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
	g_assert_true (px_outbox_get_message_state (fixture->store, id, &state, &attempts, &error));
	g_assert_cmpstr (state, ==, "pending");
	g_assert_cmpuint (attempts, ==, 0);
	g_socket_service_stop (service);
	g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* [notify]'s keys: the shipped config/praxis.conf says the built-in defaults; values are read
 * and checked */
static void
test_delivery_config_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *shipped =
	    g_test_build_filename (G_TEST_DIST, "..", "..", "config", "praxis.conf", NULL);
	g_autoptr (PxConfig) defaults = px_config_load (NULL, &error);
	g_autoptr (PxConfig) config = px_config_load (shipped, &error);
	g_autoptr (PxConfig) set = NULL;
	g_autoptr (PxConfig) bad = NULL;
	g_autofree char *dir = g_dir_make_tmp ("praxis-config-XXXXXX", &error);
	g_autofree char *path = g_build_filename (dir, "praxis.conf", NULL);

	g_assert_no_error (error);
	g_assert_cmpuint (defaults->notify_retry_base_ms, ==, 1000);
	g_assert_cmpuint (defaults->notify_max_attempts, ==, 10);
	g_assert_cmpuint (defaults->notify_timeout_ms, ==, 10000);
	g_assert_cmpuint (config->notify_retry_base_ms, ==, defaults->notify_retry_base_ms);
	g_assert_cmpuint (config->notify_max_attempts, ==, defaults->notify_max_attempts);
	g_assert_cmpuint (config->notify_timeout_ms, ==, defaults->notify_timeout_ms);

	g_assert_true (g_file_set_contents (
	    path, "[notify]\nretry_base_ms=5\nmax_attempts=2\ntimeout_ms=300\n", -1, &error));
	set = px_config_load (path, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (set->notify_retry_base_ms, ==, 5);
	g_assert_cmpuint (set->notify_max_attempts, ==, 2);
	g_assert_cmpuint (set->notify_timeout_ms, ==, 300);
	g_assert_true (g_file_set_contents (path, "[notify]\nmax_attempts=0\n", -1, &error));
	bad = px_config_load (path, &error);
	g_assert_null (bad);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "[notify] max_attempts"));
	px_test_remove_dir (dir);
}

/* a mail's own header fields: kept as given and written after the ones Praxis writes; one
 * Praxis writes itself, a bad name or a value with a line break or non-ASCII is refused */
static void
test_mail_headers_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	const char *to[] = {"a@example.org", NULL};
	const char *headers[] = {"List-Unsubscribe: <https://praxis.example.org/unsubscribe?t=1>",
				 "List-Unsubscribe-Post: List-Unsubscribe=One-Click", NULL};
	const char *bad[] = {"Subject: again",	     "bcc: evil@example.org",
			     "X-Thing:no-space",     ": empty name",
			     "X Thing: spaced",	     "X-Thing: a\r\nBcc: evil@example.org",
			     "X-Thing: caf\xc3\xa9", "no colon"};
	g_autoptr (GPtrArray) due = NULL;
	g_autoptr (GBytes) bytes = NULL;
	g_autofree char *mail = NULL;
	const PxOutboxMessage *message;

	g_assert_true (px_outbox_add_mail_with_headers (
	    fixture->store, "subscriptions", "smtp://127.0.0.1:9", "praxis@example.org", to,
	    "Subject", "Text\n", headers, "subscription.digest", NULL, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		const char *one[] = {bad[i], NULL};

		g_assert_false (px_outbox_add_mail_with_headers (
		    fixture->store, "subscriptions", "smtp://127.0.0.1:9", "praxis@example.org", to,
		    "Subject", "Text\n", one, NULL, NULL, &error));
		g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
		g_clear_error (&error);
	}
	due = px_outbox_take_due (fixture->store, G_MAXINT64, NULL, 10, &error);
	g_assert_cmpuint (due->len, ==, 1);
	message = g_ptr_array_index (due, 0);
	g_assert_cmpuint (g_strv_length (message->headers), ==, 2);
	g_assert_cmpstr (message->headers[0], ==, headers[0]);
	g_assert_cmpstr (message->headers[1], ==, headers[1]);
	bytes = px_mail_build (message, &error);
	g_assert_no_error (error);
	mail = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
	g_assert_nonnull (strstr (mail, "\r\nX-Praxis-Delivery: "));
	g_assert_nonnull (
	    strstr (mail, "\r\nList-Unsubscribe: <https://praxis.example.org/unsubscribe?t=1>\r\n"
			  "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nMIME-Version: "
			  "1.0\r\n"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_assert_cmpint (sodium_init (), >=, 0);
	g_test_add ("/praxis/outbox/transaction", Fixture, NULL, fixture_set_up,
		    test_outbox_transaction_func, fixture_tear_down);
	g_test_add ("/praxis/outbox/webhook-body", Fixture, NULL, fixture_set_up,
		    test_outbox_webhook_body_func, fixture_tear_down);
	g_test_add ("/praxis/outbox/validate", Fixture, NULL, fixture_set_up,
		    test_outbox_validate_func, fixture_tear_down);
	g_test_add ("/praxis/outbox/mail-row", Fixture, NULL, fixture_set_up,
		    test_outbox_mail_row_func, fixture_tear_down);
	g_test_add ("/praxis/outbox/attempts", Fixture, NULL, fixture_set_up,
		    test_outbox_attempts_func, fixture_tear_down);
	g_test_add ("/praxis/delivery/webhook", Fixture, NULL, fixture_set_up,
		    test_delivery_webhook_func, fixture_tear_down);
	g_test_add ("/praxis/delivery/retry", Fixture, NULL, fixture_set_up,
		    test_delivery_retry_func, fixture_tear_down);
	g_test_add ("/praxis/delivery/dead-port", Fixture, NULL, fixture_set_up,
		    test_delivery_dead_port_func, fixture_tear_down);
	g_test_add ("/praxis/delivery/endless-answer", Fixture, NULL, fixture_set_up,
		    test_delivery_endless_answer_func, fixture_tear_down);
	g_test_add ("/praxis/delivery/wake", Fixture, NULL, fixture_set_up, test_delivery_wake_func,
		    fixture_tear_down);
	g_test_add ("/praxis/delivery/restart", Fixture, NULL, fixture_set_up,
		    test_delivery_restart_func, fixture_tear_down);
	g_test_add ("/praxis/delivery/free-mail-in-flight", Fixture, NULL, fixture_set_up,
		    test_delivery_free_mail_in_flight_func, fixture_tear_down);
	g_test_add_func ("/praxis/delivery/config", test_delivery_config_func);
	g_test_add_func ("/praxis/mail/build", test_mail_build_func);
	g_test_add_func ("/praxis/mail/build-plain", test_mail_build_plain_func);
	g_test_add ("/praxis/mail/headers", Fixture, NULL, fixture_set_up, test_mail_headers_func,
		    fixture_tear_down);
	return g_test_run ();
}
