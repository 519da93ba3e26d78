/* test-outbox.c: the outbox's rows (store/outbox.c): added in the caller's transaction or not
 * at all, the webhook's body and signature exact, arguments checked, attempts recorded and
 * counted. */
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

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
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
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
	return g_test_run ();
}
