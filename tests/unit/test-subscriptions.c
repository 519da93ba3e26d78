/* test-subscriptions.c: e-mail subscriptions to a search: the store's rows (store/subscription.c:
 * one per address and search, the token, confirmation, expiry, the due ones) and the
 * publications log its triggers keep; a search as a canonical query string; the digest's text
 * and headers (subscriptions/digest.c); double opt-in (subscribe.c); and the digest runs on a
 * real database (scheduler.c): newest first, never empty, each publication sent once, daily and
 * weekly on their days. */
#include <string.h>

#include "i18n/i18n.h"
#include "practices/practices.h"
#include "search/search.h"
#include "store/outbox.h"
#include "store/store.h"
#include "store/subscription.h"
#include "subscriptions/digest.h"
#include "subscriptions/scheduler.h"
#include "subscriptions/subscribe.h"
#include "test-util.h"
#include "util/error.h"
#include "util/form.h"
#include "util/timestamp.h"

#define BASE "https://praxis.example.org"

typedef struct {
	char *dir;
	PxConfig *config; /* this database, [mail] to a port nobody listens on, BASE */
	PxStore *store;
	PxPractices *practices;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-subscriptions-XXXXXX", &error);
	g_assert_no_error (error);
	fixture->config = px_config_load (NULL, &error);
	g_assert_no_error (error);
	g_free (fixture->config->db_path);
	fixture->config->db_path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->config->mail_smtp_url = g_strdup ("smtp://127.0.0.1:9");
	fixture->config->mail_from = g_strdup ("praxis@example.org");
	fixture->config->web_base_url = g_strdup (BASE);
	fixture->store =
	    px_store_open (fixture->config->db_path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	fixture->practices = px_practices_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (px_store_check (fixture->store, &error));
	g_assert_no_error (error);
	px_practices_free (fixture->practices);
	px_store_free (fixture->store);
	px_config_free (fixture->config);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->dir);
}

/* Returns: the id of a new practice, pending */
static gint64
add_practice (Fixture *fixture, const char *title, const char *city, const char *country)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (PxPractice) practice = px_practice_new ();

	practice->title = g_strdup (title);
	practice->summary = g_strdup ("A practice of the tests.");
	practice->city = g_strdup (city);
	practice->country = g_strdup (country);
	practice->language = g_strdup ("en");
	practice->status = PX_STATUS_PENDING;
	g_assert_true (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_no_error (error);
	return practice->id;
}

static void
set_status (Fixture *fixture, gint64 id, PxStatus status)
{
	g_autoptr (GError) error = NULL;
	PxPracticesChange *change =
	    px_practices_open_change (fixture->practices, fixture->store, id, &error);

	g_assert_no_error (error);
	g_assert_true (px_practices_change_set_status (change, status, NULL, &error));
	g_assert_no_error (error);
	px_practices_change_free (change);
}

static gint64
publish (Fixture *fixture, const char *title, const char *city, const char *country)
{
	gint64 id = add_practice (fixture, title, city, country);

	set_status (fixture, id, PX_STATUS_PUBLISHED);
	return id;
}

static gint64
newest_mark (Fixture *fixture)
{
	g_autoptr (GError) error = NULL;
	gint64 seq = -1;

	g_assert_true (px_subscription_get_newest_mark (fixture->store, &seq, &error));
	g_assert_no_error (error);
	return seq;
}

static PxSearchRequest *
parse_query (const char *query)
{
	g_autoptr (GError) error = NULL;
	PxSearchRequest *request = px_digest_parse_query (query, &error);

	g_assert_no_error (error);
	g_assert_nonnull (request);
	return request;
}

static gint
compare_recipients (gconstpointer a, gconstpointer b)
{
	const PxOutboxMessage *left = *(PxOutboxMessage *const *)a;
	const PxOutboxMessage *right = *(PxOutboxMessage *const *)b;

	return strcmp (left->recipients[0], right->recipients[0]);
}

/* Returns: (transfer full): the mails of the outbox by recipient (one run writes them within
 * the same millisecond) */
static GPtrArray *
take_mail (Fixture *fixture)
{
	g_autoptr (GError) error = NULL;
	GPtrArray *due = px_outbox_take_due (fixture->store, G_MAXINT64, NULL, 100, &error);

	g_assert_no_error (error);
	/* taken: recorded as delivered, so the next look sees only what is new */
	for (guint i = 0; i < due->len; i++) {
		const PxOutboxMessage *message = g_ptr_array_index (due, i);

		g_assert_cmpint (message->kind, ==, PX_OUTBOX_MAIL);
		g_assert_true (px_outbox_mark_delivered (fixture->store, message->id, &error));
		g_assert_no_error (error);
	}
	g_ptr_array_sort (due, compare_recipients);
	return due;
}

static const char *
mail_text (const PxOutboxMessage *message)
{
	static char text[1 << 16];
	gsize length = 0;
	const char *data = g_bytes_get_data (message->body, &length);

	g_assert_cmpuint (length, <, sizeof text);
	memcpy (text, data, length);
	text[length] = '\0';
	return text;
}

/* one row per address and search (the address without case), its token 43 URL-safe characters;
 * an unconfirmed one takes the frequency asked last, a confirmed one keeps its own; confirming
 * marks the newest publication; found and deleted by the token */
static void
test_subscription_store_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSubscription) first = NULL;
	g_autoptr (PxSubscription) again = NULL;
	g_autoptr (PxSubscription) confirmed = NULL;
	g_autoptr (PxSubscription) kept = NULL;
	g_autoptr (PxSubscription) other = NULL;
	g_autoptr (PxSubscription) found = NULL;
	g_autoptr (PxSubscription) deleted = NULL;
	g_autoptr (PxSubscription) gone = NULL;
	g_autoptr (GPtrArray) all = NULL;
	g_autofree char *now = px_timestamp_now ();
	g_autofree char *later = g_strdup ("9999-01-01T00:00:00.000000Z");
	gboolean created = FALSE;

	publish (fixture, "Before", NULL, NULL);
	first = px_subscription_add (fixture->store, "Ana@Example.org", "q=language",
				     PX_SUBSCRIPTION_DAILY, NULL, now, &created, &error);
	g_assert_no_error (error);
	g_assert_true (created);
	g_assert_cmpuint (strlen (first->token), ==, 43);
	g_assert_cmpuint (strspn (first->token,
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				  "0123456789-_"),
			  ==, 43);
	g_assert_null (first->confirmed_at);
	g_assert_cmpint (first->mark, ==, 0);
	g_assert_null (first->language); /* English */
	again = px_subscription_add (fixture->store, "ana@example.org", "q=language",
				     PX_SUBSCRIPTION_WEEKLY, "sv", later, &created, &error);
	g_assert_no_error (error);
	g_assert_false (created);
	g_assert_cmpint (again->id, ==, first->id);
	g_assert_cmpstr (again->token, ==, first->token);
	g_assert_cmpint (again->frequency, ==, PX_SUBSCRIPTION_WEEKLY);
	/* asked again from another language's page: its mails speak that one */
	g_assert_cmpstr (again->language, ==, "sv");
	/* asked again: its week of waiting starts again */
	g_assert_cmpstr (again->created_at, ==, later);

	confirmed = px_subscription_confirm (fixture->store, first->token, now, now, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (confirmed->confirmed_at, ==, now);
	g_assert_cmpstr (confirmed->digest_at, ==, now);
	g_assert_cmpint (confirmed->mark, ==, newest_mark (fixture));
	g_assert_cmpint (confirmed->mark, ==, 1);
	kept = px_subscription_add (fixture->store, "ana@example.org", "q=language",
				    PX_SUBSCRIPTION_IMMEDIATE, NULL, now, &created, &error);
	g_assert_false (created);
	g_assert_cmpint (kept->frequency, ==, PX_SUBSCRIPTION_WEEKLY);
	g_assert_cmpstr (kept->language, ==, "sv");
	g_assert_cmpstr (kept->created_at, ==, later);
	other = px_subscription_add (fixture->store, "ana@example.org", "q=health",
				     PX_SUBSCRIPTION_IMMEDIATE, NULL, now, &created, &error);
	g_assert_true (created);
	g_assert_cmpstr (other->token, !=, first->token);

	found = px_subscription_get_by_token (fixture->store, other->token, &error);
	g_assert_no_error (error);
	g_assert_cmpint (found->id, ==, other->id);
	g_assert_cmpstr (found->query, ==, "q=health");
	deleted = px_subscription_delete_by_token (fixture->store, other->token, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (deleted->email, ==, "ana@example.org");
	gone = px_subscription_get_by_token (fixture->store, other->token, &error);
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_assert_null (gone);
	g_clear_error (&error);
	g_assert_null (px_subscription_delete_by_token (fixture->store, other->token, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_clear_error (&error);
	all = px_subscription_list (fixture->store, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (all->len, ==, 1);
}

/* an unconfirmed subscription cannot be confirmed past its week and is deleted then; a
 * confirmed one stays; the due ones: immediate always, daily and weekly a period after their
 * last digest, unconfirmed never */
static void
test_subscription_due_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSubscription) old = NULL;
	g_autoptr (PxSubscription) young = NULL;
	g_autoptr (PxSubscription) expired = NULL;
	g_autoptr (PxSubscription) daily = NULL;
	g_autoptr (PxSubscription) weekly = NULL;
	g_autoptr (PxSubscription) immediate = NULL;
	g_autoptr (PxSubscription) unconfirmed = NULL;
	g_autoptr (GPtrArray) due = NULL;
	guint count = 0;

	old = px_subscription_add (fixture->store, "old@example.org", "", PX_SUBSCRIPTION_DAILY,
				   NULL, "2026-01-01T00:00:00.000000Z", NULL, &error);
	young = px_subscription_add (fixture->store, "young@example.org", "", PX_SUBSCRIPTION_DAILY,
				     NULL, "2026-01-07T00:00:00.000000Z", NULL, &error);
	g_assert_no_error (error);
	expired =
	    px_subscription_confirm (fixture->store, old->token, "2026-01-01T00:00:00.000001Z",
				     "2026-01-08T00:00:00.000000Z", &error);
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_assert_null (expired);
	g_clear_error (&error);
	g_assert_true (px_subscription_delete_unconfirmed (
	    fixture->store, "2026-01-02T00:00:00.000000Z", &count, &error));
	g_assert_cmpuint (count, ==, 1);
	g_assert_null (px_subscription_get_by_token (fixture->store, old->token, &error));
	g_clear_error (&error);
	g_clear_pointer (&young, px_subscription_free);

	daily = px_subscription_add (fixture->store, "d@example.org", "", PX_SUBSCRIPTION_DAILY,
				     NULL, "2026-01-01T00:00:00.000000Z", NULL, &error);
	weekly = px_subscription_add (fixture->store, "w@example.org", "", PX_SUBSCRIPTION_WEEKLY,
				      NULL, "2026-01-01T00:00:00.000000Z", NULL, &error);
	immediate =
	    px_subscription_add (fixture->store, "i@example.org", "", PX_SUBSCRIPTION_IMMEDIATE,
				 NULL, "2026-01-01T00:00:00.000000Z", NULL, &error);
	unconfirmed =
	    px_subscription_add (fixture->store, "u@example.org", "", PX_SUBSCRIPTION_IMMEDIATE,
				 NULL, "2026-01-01T00:00:00.000000Z", NULL, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < 3; i++) {
		const char *token = i == 0   ? daily->token
				    : i == 1 ? weekly->token
					     : immediate->token;
		g_autoptr (PxSubscription) done =
		    px_subscription_confirm (fixture->store, token, "2026-01-01T00:00:00.000000Z",
					     "2026-01-01T12:00:00.000000Z", &error);
		g_assert_no_error (error);
	}
	/* half a day later: only the immediate one */
	due = px_subscription_list_due (fixture->store, "2026-01-01T00:00:00.000000Z",
					"2025-12-26T00:00:00.000000Z", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (due->len, ==, 1);
	g_assert_cmpstr (((PxSubscription *)g_ptr_array_index (due, 0))->email, ==,
			 "i@example.org");
	g_clear_pointer (&due, g_ptr_array_unref);
	/* a day later: the daily one too */
	due = px_subscription_list_due (fixture->store, "2026-01-01T12:00:00.000000Z",
					"2025-12-26T12:00:00.000000Z", &error);
	g_assert_cmpuint (due->len, ==, 2);
	g_clear_pointer (&due, g_ptr_array_unref);
	/* a week later: all three confirmed ones */
	due = px_subscription_list_due (fixture->store, "2026-01-07T12:00:00.000000Z",
					"2026-01-01T12:00:00.000000Z", &error);
	g_assert_cmpuint (due->len, ==, 3);
}

/* the log of first publications: a pending practice is not in it, its publication is, a second
 * publication is not logged again, a deletion takes its row (and the seq is never reused) */
static void
test_subscription_publications_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GArray) ids = NULL;
	gint64 first, second, upto = -1;
	PxPracticesChange *change;

	g_assert_cmpint (newest_mark (fixture), ==, 0);
	first = add_practice (fixture, "First", NULL, NULL);
	second = add_practice (fixture, "Second", NULL, NULL);
	g_assert_cmpint (newest_mark (fixture), ==, 0);
	set_status (fixture, second, PX_STATUS_PUBLISHED);
	set_status (fixture, first, PX_STATUS_PUBLISHED);
	g_assert_cmpint (newest_mark (fixture), ==, 2);
	set_status (fixture, second, PX_STATUS_REJECTED);
	set_status (fixture, second, PX_STATUS_PUBLISHED);
	g_assert_cmpint (newest_mark (fixture), ==, 2);

	/* in ascending order of id, whatever the order of publication */
	ids = px_subscription_list_published (fixture->store, 0, 10, &upto, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (ids->len, ==, 2);
	g_assert_cmpint (g_array_index (ids, gint64, 0), ==, first);
	g_assert_cmpint (g_array_index (ids, gint64, 1), ==, second);
	g_assert_cmpint (upto, ==, 2);
	g_clear_pointer (&ids, g_array_unref);
	/* bounded: the oldest publication first */
	ids = px_subscription_list_published (fixture->store, 0, 1, &upto, &error);
	g_assert_cmpuint (ids->len, ==, 1);
	g_assert_cmpint (g_array_index (ids, gint64, 0), ==, second);
	g_assert_cmpint (upto, ==, 1);
	g_clear_pointer (&ids, g_array_unref);
	ids = px_subscription_list_published (fixture->store, 2, 10, &upto, &error);
	g_assert_cmpuint (ids->len, ==, 0);
	g_assert_cmpint (upto, ==, 2);

	change = px_practices_open_change (fixture->practices, fixture->store, first, &error);
	g_assert_true (px_practices_change_delete (change, &error));
	g_assert_no_error (error);
	px_practices_change_free (change);
	/* the newest left is second's: seq 2 went with first, and is not given again */
	g_assert_cmpint (newest_mark (fixture), ==, 1);
	publish (fixture, "Third", NULL, NULL);
	g_assert_cmpint (newest_mark (fixture), ==, 3);
	g_clear_pointer (&ids, g_array_unref);
	ids = px_subscription_list_published (fixture->store, 0, 10, &upto, &error);
	g_assert_cmpuint (ids->len, ==, 2);
}

/* a search as one text whatever the order of its parameters, read back to the same search;
 * sort and page are not part of it */
static void
test_subscription_query_func (void)
{
	g_autoptr (PxSearchRequest) request =
	    parse_query ("sort=relevance&country=SE&q=caf%C3%A9+%26+co&theme=health&country=DK&"
			 "page=3&year_to=2024&focus=interact&country=SE&year_from=2019");
	g_autofree char *query = px_search_request_to_query (request);
	g_autoptr (PxSearchRequest) again = parse_query (query);
	g_autofree char *same = px_search_request_to_query (again);
	g_autofree char *description = px_digest_describe_search (again);
	g_autoptr (PxSearchRequest) empty = parse_query ("");
	g_autofree char *nothing = px_search_request_to_query (empty);
	g_autofree char *every = px_digest_describe_search (empty);

	g_assert_cmpstr (query, ==,
			 "q=caf%C3%A9%20%26%20co&country=DK&country=SE&focus=interact&"
			 "theme=health&year_from=2019&year_to=2024");
	g_assert_cmpstr (same, ==, query);
	g_assert_cmpstr (again->q, ==, "café & co");
	g_assert_cmpstr (description, ==,
			 "\"café & co\", country DK or SE, focus interact, theme health, years "
			 "2019 to 2024");
	g_assert_cmpstr (nothing, ==, "");
	g_assert_cmpstr (every, ==, "every practice");
}

static PxSearchHit *
new_hit (gint64 id, const char *title, const char *city, const char *country)
{
	PxSearchHit *hit = g_new0 (PxSearchHit, 1);

	hit->practice = px_practice_new ();
	hit->practice->id = id;
	hit->practice->title = g_strdup (title);
	hit->practice->city = g_strdup (city);
	hit->practice->country = g_strdup (country);
	return hit;
}

static void
hit_free (gpointer data)
{
	PxSearchHit *hit = data;

	px_practice_free (hit->practice);
	g_free (hit);
}

/* the digest says why it was sent, lists the practices in the order given (newest first) with
 * title, place and link, how many more, and the unsubscribe link, which the RFC 8058 headers
 * carry too; a title cannot make a line of its own */
static void
test_subscription_compose_func (void)
{
	PxSubscription subscription = {
	    .id = 7,
	    .email = "ana@example.org",
	    .query = "q=language&country=SE",
	    .frequency = PX_SUBSCRIPTION_DAILY,
	    .token = "TOKEN-abc_123",
	};
	g_autoptr (PxSearchRequest) request = parse_query (subscription.query);
	g_autoptr (GPtrArray) hits = g_ptr_array_new_with_free_func (hit_free);
	g_autoptr (PxDigestMail) mail = NULL;
	g_autoptr (PxDigestMail) one = NULL;
	g_autoptr (PxDigestMail) confirmation = NULL;
	const char *newer, *older;

	g_ptr_array_add (
	    hits, new_hit (12, "Språkcafé\nUnsubscribe: http://evil.example/", "Malmö", "SE"));
	g_ptr_array_add (hits, new_hit (9, "Language buddies", NULL, "SE"));
	mail = px_digest_compose (BASE, NULL, &subscription, request, hits, 5);
	g_assert_cmpstr (mail->subject, ==, "Praxis: 5 new practices for \"language\", country SE");
	g_assert_true (g_str_has_prefix (
	    mail->text, "You receive this message because you subscribed on Praxis to new "
			"practices of the search \"language\", country SE in a daily digest.\n\n"
			"5 new practices, newest first:\n\n"));
	g_assert_nonnull (strstr (mail->text, "* Språkcafé Unsubscribe: http://evil.example/\n"
					      "  Malmö, SE\n"
					      "  " BASE "/practices/12\n\n"
					      "* Language buddies\n"
					      "  SE\n"
					      "  " BASE "/practices/9\n\n"));
	newer = strstr (mail->text, "/practices/12");
	older = strstr (mail->text, "/practices/9");
	g_assert_true (newer < older);
	g_assert_nonnull (
	    strstr (mail->text, "And 3 more: " BASE "/?q=language&country=SE&sort=newest\n"));
	g_assert_true (g_str_has_suffix (mail->text, "To stop these messages, unsubscribe (one "
						     "click, no sign-in): " BASE
						     "/unsubscribe?token=TOKEN-abc_123\n"));
	g_assert_cmpuint (g_strv_length (mail->headers), ==, 3);
	g_assert_cmpstr (mail->headers[0], ==,
			 "List-Unsubscribe: <" BASE "/unsubscribe?token=TOKEN-abc_123>");
	g_assert_cmpstr (mail->headers[1], ==, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	g_assert_cmpstr (mail->headers[2], ==, "Auto-Submitted: auto-generated");

	/* all listed: a link to the whole search instead; the empty search has its own words */
	g_ptr_array_set_size (hits, 1);
	subscription.query = "";
	subscription.frequency = PX_SUBSCRIPTION_IMMEDIATE;
	g_clear_pointer (&request, px_search_request_free);
	request = parse_query ("");
	one = px_digest_compose (BASE, NULL, &subscription, request, hits, 1);
	g_assert_cmpstr (one->subject, ==, "Praxis: 1 new practice");
	g_assert_true (g_str_has_prefix (one->text,
					 "You receive this message because you subscribed on "
					 "Praxis to every new practice as soon as they are "
					 "published.\n\n1 new practice, newest first:\n\n"));
	g_assert_nonnull (strstr (one->text, "The whole search: " BASE "/?sort=newest\n"));
	g_assert_null (strstr (one->text, "more:"));

	confirmation = px_digest_compose_confirmation (BASE, NULL, &subscription, request, 7);
	g_assert_cmpstr (confirmation->subject, ==, "Praxis: please confirm your subscription");
	g_assert_nonnull (
	    strstr (confirmation->text, BASE "/subscriptions/confirm?token=TOKEN-abc_123\n"));
	g_assert_nonnull (strstr (confirmation->text, "expires in 7 days"));
	g_assert_null (strstr (confirmation->text, "unsubscribe?"));
}

/* a digest is never composed empty (a programming error) */
static void
test_subscription_compose_empty_func (void)
{
	if (g_test_subprocess ()) {
		PxSubscription subscription = {.query = "", .token = "t"};
		g_autoptr (PxSearchRequest) request = parse_query ("");
		g_autoptr (GPtrArray) hits = g_ptr_array_new ();

		g_assert_null (px_digest_compose (BASE, NULL, &subscription, request, hits, 0));
		return;
	}
	g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_stderr ("*CRITICAL*hits->len > 0*");
}

/* a digest and a confirmation made in Swedish (the catalog of core/i18n/po/sv.po): the subject,
 * the why, the lines, the search's words and the frequency's are Swedish; the links and the
 * headers are as in English */
static void
test_subscription_compose_swedish_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxI18n) i18n = px_i18n_new (&error);
	const PxI18nCatalog *sv;
	PxSubscription subscription = {
	    .id = 7,
	    .email = "ana@example.org",
	    .query = "q=language&country=SE&country=DK&year_from=2020",
	    .frequency = PX_SUBSCRIPTION_DAILY,
	    .token = "TOKEN-abc_123",
	    .language = "sv",
	};
	g_autoptr (PxSearchRequest) request = parse_query (subscription.query);
	g_autoptr (GPtrArray) hits = g_ptr_array_new_with_free_func (hit_free);
	g_autoptr (PxDigestMail) mail = NULL;
	g_autoptr (PxDigestMail) one = NULL;
	g_autoptr (PxDigestMail) confirmation = NULL;

	g_assert_no_error (error);
	sv = px_i18n_get_catalog (i18n, "sv");
	g_assert_nonnull (sv);
	g_ptr_array_add (hits, new_hit (12, "Språkcafé", "Malmö", "SE"));
	g_ptr_array_add (hits, new_hit (9, "Language buddies", NULL, "SE"));
	mail = px_digest_compose (BASE, sv, &subscription, request, hits, 5);
	g_assert_cmpstr (mail->subject, ==,
			 "Praxis: 5 nya exempel för \"language\", land SE eller DK, från 2020");
	g_assert_true (g_str_has_prefix (
	    mail->text, "Du får det här meddelandet eftersom du prenumererar på Praxis på nya "
			"exempel från sökningen \"language\", land SE eller DK, från 2020 i en "
			"daglig sammanfattning.\n\n"
			"5 nya exempel, de senaste först:\n\n"
			"* Språkcafé\n"
			"  Malmö, SE\n"
			"  " BASE "/practices/12\n\n"));
	g_assert_nonnull (strstr (mail->text, "Och 3 till: " BASE "/?"));
	g_assert_true (g_str_has_suffix (mail->text, "(ett klick, ingen inloggning): " BASE
						     "/unsubscribe?token=TOKEN-abc_123\n"));
	g_assert_null (strstr (mail->text, "You receive"));
	g_assert_cmpstr (mail->headers[0], ==,
			 "List-Unsubscribe: <" BASE "/unsubscribe?token=TOKEN-abc_123>");
	g_assert_cmpstr (mail->headers[1], ==, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	g_assert_cmpstr (mail->headers[2], ==, "Auto-Submitted: auto-generated");

	/* one practice, the empty search, immediate */
	g_ptr_array_set_size (hits, 1);
	subscription.query = "";
	subscription.frequency = PX_SUBSCRIPTION_IMMEDIATE;
	g_clear_pointer (&request, px_search_request_free);
	request = parse_query ("");
	one = px_digest_compose (BASE, sv, &subscription, request, hits, 1);
	g_assert_cmpstr (one->subject, ==, "Praxis: 1 nytt exempel");
	g_assert_true (g_str_has_prefix (one->text, "Du får det här meddelandet eftersom du "
						    "prenumererar på Praxis på varje nytt exempel "
						    "så snart de publiceras.\n\n"
						    "1 nytt exempel, det senaste först:\n\n"));
	g_assert_nonnull (strstr (one->text, "Hela sökningen: " BASE "/?sort=newest\n"));

	subscription.frequency = PX_SUBSCRIPTION_WEEKLY;
	confirmation = px_digest_compose_confirmation (BASE, sv, &subscription, request, 7);
	g_assert_cmpstr (confirmation->subject, ==, "Praxis: bekräfta din prenumeration");
	g_assert_true (g_str_has_prefix (
	    confirmation->text, "Någon, förhoppningsvis du, har bett Praxis att skicka den här "
				"adressen varje nytt exempel i en veckosammanfattning.\n\n"
				"Öppna den här länken för att bekräfta:\n" BASE
				"/subscriptions/confirm?token=TOKEN-abc_123\n\n"));
	g_assert_nonnull (strstr (confirmation->text, "begäran upphör om 7 dagar.\n"));
	g_assert_cmpstr (confirmation->headers[0], ==, "Auto-Submitted: auto-generated");
}

static PxScheduler *
new_scheduler (Fixture *fixture, PxSearchIndex **index)
{
	g_autoptr (GError) error = NULL;
	PxScheduler *scheduler;

	*index = px_search_index_new (fixture->config, &error);
	g_assert_no_error (error);
	scheduler = px_scheduler_new (fixture->config, *index, NULL, &error);
	g_assert_no_error (error);
	return scheduler;
}

static PxSchedulerCounts
run_at (PxScheduler *scheduler, GDateTime *now)
{
	g_autoptr (GError) error = NULL;
	PxSchedulerCounts counts;

	g_assert_true (px_scheduler_run (scheduler, now, &counts, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (counts.failed, ==, 0);
	return counts;
}

static PxSubscription *
subscribe_confirmed (Fixture *fixture, const char *email, const char *query,
		     PxSubscriptionFrequency frequency)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchRequest) request = parse_query (query);
	PxSubscription *subscription =
	    px_subscribe_add_confirmed (fixture->store, email, request, frequency, NULL, &error);

	g_assert_no_error (error);
	g_assert_nonnull (subscription->confirmed_at);
	return subscription;
}

/* the runs on a real database: what was published before the confirmation is never sent; a
 * run sends each due subscription one mail of what its search finds among the new
 * publications, newest first, and nothing when that is nothing (the mark moves on all the
 * same); a daily one waits for its day and then has everything since its last digest */
static void
test_subscription_run_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxSearchIndex) index = NULL;
	g_autoptr (PxScheduler) scheduler = new_scheduler (fixture, &index);
	g_autoptr (PxSubscription) ana = NULL;
	g_autoptr (PxSubscription) bo = NULL;
	g_autoptr (PxSubscription) daily = NULL;
	g_autoptr (PxSubscription) after = NULL;
	g_autoptr (GDateTime) now = NULL;
	g_autoptr (GDateTime) tomorrow = NULL;
	g_autoptr (GPtrArray) mails = NULL;
	const PxOutboxMessage *mail;
	g_autofree char *newer_link = NULL;
	g_autofree char *older_link = NULL;
	g_autofree char *header = NULL;
	const char *text;
	PxSchedulerCounts counts;
	gint64 older, newer, pending;

	publish (fixture, "Language café before", "Lund", "SE");
	ana = subscribe_confirmed (fixture, "ana@example.org", "q=language&country=SE",
				   PX_SUBSCRIPTION_IMMEDIATE);
	bo = subscribe_confirmed (fixture, "bo@example.org", "country=DK",
				  PX_SUBSCRIPTION_IMMEDIATE);
	daily = subscribe_confirmed (fixture, "d@example.org", "q=language", PX_SUBSCRIPTION_DAILY);
	now = g_date_time_new_now_utc ();
	counts = run_at (scheduler, now);
	g_assert_cmpuint (counts.due, ==, 2);
	g_assert_cmpuint (counts.mailed, ==, 0);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 0);
	g_clear_pointer (&mails, g_ptr_array_unref);

	older = publish (fixture, "Language buddies", "Malmö", "SE");
	publish (fixture, "Health guides", "Umeå", "SE");
	pending = add_practice (fixture, "Language pending", "Lund", "SE");
	newer = publish (fixture, "Swedish language club", NULL, "SE");
	publish (fixture, "Language in Aarhus", "Aarhus", "DK");
	counts = run_at (scheduler, now);
	g_assert_cmpuint (counts.mailed, ==, 2);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 2);
	mail = g_ptr_array_index (mails, 0);
	g_assert_cmpstr (mail->recipients[0], ==, "ana@example.org");
	g_assert_null (mail->recipients[1]);
	g_assert_cmpstr (mail->sender, ==, "praxis@example.org");
	g_assert_cmpstr (mail->target, ==, "smtp://127.0.0.1:9");
	g_assert_cmpstr (mail->event, ==, "subscription.digest");
	g_assert_cmpstr (mail->subject, ==, "Praxis: 2 new practices for \"language\", country SE");
	text = mail_text (mail);
	g_assert_nonnull (strstr (text, "2 new practices, newest first:\n\n* Swedish language "
					"club\n"));
	g_assert_true (strstr (text, "Swedish language club") < strstr (text, "Language buddies"));
	g_assert_null (strstr (text, "before"));
	g_assert_null (strstr (text, "Health"));
	g_assert_null (strstr (text, "pending"));
	g_assert_null (strstr (text, "Aarhus"));
	newer_link = g_strdup_printf (BASE "/practices/%" G_GINT64_FORMAT "\n", newer);
	older_link = g_strdup_printf (BASE "/practices/%" G_GINT64_FORMAT "\n", older);
	header = g_strdup_printf ("List-Unsubscribe: <" BASE "/unsubscribe?token=%s>", ana->token);
	g_assert_nonnull (strstr (text, newer_link));
	g_assert_nonnull (strstr (text, older_link));
	g_assert_cmpstr (mail->headers[0], ==, header);
	g_assert_cmpstr (mail->headers[1], ==, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	mail = g_ptr_array_index (mails, 1);
	g_assert_cmpstr (mail->recipients[0], ==, "bo@example.org");
	g_assert_nonnull (strstr (mail_text (mail), "* Language in Aarhus\n  Aarhus, DK\n"));
	g_clear_pointer (&mails, g_ptr_array_unref);

	/* nothing new: nothing sent; something new that no search finds: nothing sent either */
	counts = run_at (scheduler, now);
	g_assert_cmpuint (counts.mailed, ==, 0);
	publish (fixture, "Health in Turku", "Turku", "FI");
	counts = run_at (scheduler, now);
	g_assert_cmpuint (counts.mailed, ==, 0);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 0);
	g_clear_pointer (&mails, g_ptr_array_unref);
	after = px_subscription_get_by_token (fixture->store, ana->token, NULL);
	g_assert_cmpint (after->mark, ==, newest_mark (fixture));

	/* the practice pending then is published now: new to everyone it matches */
	tomorrow = g_date_time_add_days (now, 1);
	set_status (fixture, pending, PX_STATUS_PUBLISHED);
	counts = run_at (scheduler, tomorrow);
	g_assert_cmpuint (counts.due, ==, 3);
	g_assert_cmpuint (counts.mailed, ==, 2);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 2);
	mail = g_ptr_array_index (mails, 0);
	g_assert_cmpstr (mail->recipients[0], ==, "ana@example.org");
	g_assert_cmpstr (mail->subject, ==, "Praxis: 1 new practice for \"language\", country SE");
	g_assert_nonnull (strstr (mail_text (mail), "* Language pending\n"));
	mail = g_ptr_array_index (mails, 1);
	g_assert_cmpstr (mail->recipients[0], ==, "d@example.org");
	text = mail_text (mail);
	g_assert_nonnull (strstr (text, "in a daily digest"));
	g_assert_nonnull (strstr (text, "4 new practices, newest first:\n\n* Language pending\n"));
	g_assert_true (strstr (text, "Language in Aarhus") < strstr (text, "Swedish language"));
	g_assert_true (strstr (text, "Swedish language") < strstr (text, "Language buddies"));
	g_clear_pointer (&mails, g_ptr_array_unref);
	/* the daily one had its digest: not due again the same day */
	counts = run_at (scheduler, tomorrow);
	g_assert_cmpuint (counts.due, ==, 2);
}

static char *
rewrite_zebra (const char *query, gpointer user_data)
{
	*(guint *)user_data += 1;
	return g_str_equal (query, "zebra") ? g_strdup ("zebra OR language") : NULL;
}

/* the words are searched as the plugins rewrite them, as on the search page; the mail names
 * them as the subscriber wrote them */
static void
test_subscription_rewrite_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (PxSearchIndex) index = NULL;
	g_autoptr (PxScheduler) scheduler = new_scheduler (fixture, &index);
	g_autoptr (PxSubscription) zebra = NULL;
	g_autoptr (PxSubscription) other = NULL;
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	g_autoptr (GPtrArray) mails = NULL;
	const PxOutboxMessage *mail;
	guint calls = 0;

	px_scheduler_set_rewrite (scheduler, rewrite_zebra, &calls);
	zebra =
	    subscribe_confirmed (fixture, "z@example.org", "q=zebra", PX_SUBSCRIPTION_IMMEDIATE);
	other =
	    subscribe_confirmed (fixture, "o@example.org", "country=SE", PX_SUBSCRIPTION_IMMEDIATE);
	publish (fixture, "Language café", "Lund", "FI");
	g_assert_cmpuint (run_at (scheduler, now).mailed, ==, 1);
	/* only the one with words asked */
	g_assert_cmpuint (calls, ==, 1);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 1);
	mail = g_ptr_array_index (mails, 0);
	g_assert_cmpstr (mail->recipients[0], ==, "z@example.org");
	g_assert_cmpstr (mail->subject, ==, "Praxis: 1 new practice for \"zebra\"");
	g_assert_nonnull (strstr (mail_text (mail), "* Language café\n"));
}

/* a subscription made from the Swedish page: its confirmation and its digests are Swedish; asked
 * again from the English page before it is confirmed, it speaks English; once confirmed, a
 * subscription asked again keeps its language (nobody proved the address theirs) */
static void
test_subscription_language_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxI18n) i18n = px_i18n_new (&error);
	g_autoptr (PxSearchIndex) index = NULL;
	g_autoptr (PxScheduler) scheduler = new_scheduler (fixture, &index);
	g_autoptr (PxSearchRequest) request = parse_query ("q=language");
	g_autoptr (PxSearchRequest) other = parse_query ("q=health");
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (PxSubscription) again = NULL;
	g_autoptr (PxSubscription) english = NULL;
	g_autoptr (PxSubscription) confirmed = NULL;
	g_autoptr (PxSubscription) kept = NULL;
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	g_autoptr (GPtrArray) mails = NULL;
	const PxI18nCatalog *sv;
	PxSubscribeOutcome outcome;

	g_assert_no_error (error);
	sv = px_i18n_get_catalog (i18n, "sv");
	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ana@example.org",
					 request, PX_SUBSCRIPTION_IMMEDIATE, sv, NULL,
					 &subscription, &outcome, &error));
	g_assert_no_error (error);
	g_assert_cmpint (outcome, ==, PX_SUBSCRIBE_SENT);
	g_assert_cmpstr (subscription->language, ==, "sv");
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 1);
	g_assert_cmpstr (((PxOutboxMessage *)g_ptr_array_index (mails, 0))->subject, ==,
			 "Praxis: bekräfta din prenumeration");
	g_assert_nonnull (strstr (mail_text (g_ptr_array_index (mails, 0)),
				  "\"language\" så snart de publiceras."));
	g_clear_pointer (&mails, g_ptr_array_unref);

	/* the same from the English page: held back (asked lately), but English from now on */
	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ana@example.org",
					 request, PX_SUBSCRIPTION_IMMEDIATE, NULL, NULL, &english,
					 &outcome, &error));
	g_assert_cmpint (outcome, ==, PX_SUBSCRIBE_HELD);
	g_assert_null (english->language);
	/* and back to Swedish */
	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ana@example.org",
					 request, PX_SUBSCRIPTION_IMMEDIATE, sv, NULL, &again,
					 &outcome, &error));
	g_assert_cmpstr (again->language, ==, "sv");

	confirmed = px_subscribe_confirm (fixture->store, subscription->token, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (confirmed->language, ==, "sv");
	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ana@example.org",
					 request, PX_SUBSCRIPTION_IMMEDIATE, NULL, NULL, &kept,
					 &outcome, &error));
	g_assert_cmpint (outcome, ==, PX_SUBSCRIBE_CONFIRMED);
	g_assert_cmpstr (kept->language, ==, "sv");

	/* its digest is Swedish; an English one's, made from the English page, is English */
	g_clear_pointer (&english, px_subscription_free);
	english = px_subscribe_add_confirmed (fixture->store, "bo@example.org", other,
					      PX_SUBSCRIPTION_IMMEDIATE, NULL, &error);
	g_assert_no_error (error);
	publish (fixture, "Language café", NULL, "SE");
	publish (fixture, "Health guides", NULL, "SE");
	g_assert_cmpuint (run_at (scheduler, now).mailed, ==, 2);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 2);
	for (guint i = 0; i < mails->len; i++) {
		const PxOutboxMessage *mail = g_ptr_array_index (mails, i);

		if (g_str_equal (mail->recipients[0], "ana@example.org")) {
			g_assert_cmpstr (mail->subject, ==,
					 "Praxis: 1 nytt exempel för \"language\"");
			g_assert_true (g_str_has_prefix (mail_text (mail), "Du får det här"));
		} else {
			g_assert_cmpstr (mail->subject, ==,
					 "Praxis: 1 new practice for \"health\"");
			g_assert_true (g_str_has_prefix (mail_text (mail), "You receive this"));
		}
	}
}

/* double opt-in: a subscription gets a confirmation mail and nothing else until it is
 * confirmed; asking again soon sends no second one; a confirmed one sends none; too many
 * waiting for one address send none; a bad address or no [mail] is refused */
static void
test_subscription_subscribe_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxSearchIndex) index = NULL;
	g_autoptr (PxScheduler) scheduler = new_scheduler (fixture, &index);
	g_autoptr (PxSearchRequest) request = parse_query ("q=language");
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (PxSubscription) same = NULL;
	g_autoptr (PxSubscription) confirmed = NULL;
	g_autoptr (PxSubscription) removed = NULL;
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	g_autoptr (GPtrArray) mails = NULL;
	g_autofree char *link = NULL;
	const PxOutboxMessage *mail;
	PxSubscribeOutcome outcome;
	const char *bad[] = {"",
			     "ana",
			     "@example.org",
			     "ana@",
			     "ana@example",
			     "a b@example.org",
			     "ana@example.org\r\nBcc: x@example.org",
			     "<ana@example.org>",
			     "ana@@example.org",
			     "ana@example.org."};

	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ana@example.org",
					 request, PX_SUBSCRIPTION_WEEKLY, NULL, NULL, &subscription,
					 &outcome, &error));
	g_assert_no_error (error);
	g_assert_cmpint (outcome, ==, PX_SUBSCRIBE_SENT);
	g_assert_null (subscription->confirmed_at);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 1);
	mail = g_ptr_array_index (mails, 0);
	g_assert_cmpstr (mail->recipients[0], ==, "ana@example.org");
	g_assert_cmpstr (mail->event, ==, "subscription.confirm");
	g_assert_cmpstr (mail->subject, ==, "Praxis: please confirm your subscription");
	link = g_strdup_printf (BASE "/subscriptions/confirm?token=%s\n", subscription->token);
	g_assert_nonnull (strstr (mail_text (mail), link));
	g_assert_nonnull (strstr (mail_text (mail), "\"language\" in a weekly digest"));
	g_clear_pointer (&mails, g_ptr_array_unref);

	/* unconfirmed: no digest, whatever is published */
	publish (fixture, "Language café", NULL, NULL);
	g_assert_cmpuint (run_at (scheduler, now).due, ==, 0);
	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ANA@example.org",
					 request, PX_SUBSCRIPTION_IMMEDIATE, NULL, NULL, &same,
					 &outcome, &error));
	g_assert_cmpint (outcome, ==, PX_SUBSCRIBE_HELD);
	g_assert_cmpint (same->id, ==, subscription->id);
	g_assert_cmpint (same->frequency, ==, PX_SUBSCRIPTION_IMMEDIATE);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 0);
	g_clear_pointer (&mails, g_ptr_array_unref);

	confirmed = px_subscribe_confirm (fixture->store, subscription->token, &error);
	g_assert_no_error (error);
	g_assert_nonnull (confirmed->confirmed_at);
	g_clear_pointer (&same, px_subscription_free);
	g_assert_true (px_subscribe_add (fixture->store, fixture->config, "ana@example.org",
					 request, PX_SUBSCRIPTION_DAILY, NULL, NULL, &same,
					 &outcome, &error));
	g_assert_cmpint (outcome, ==, PX_SUBSCRIBE_CONFIRMED);
	g_assert_cmpint (same->frequency, ==, PX_SUBSCRIPTION_IMMEDIATE);
	/* what was published before the confirmation is not sent; what comes after is */
	g_assert_cmpuint (run_at (scheduler, now).mailed, ==, 0);
	publish (fixture, "Language garden", NULL, NULL);
	g_assert_cmpuint (run_at (scheduler, now).mailed, ==, 1);
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, 1);
	g_assert_null (strstr (mail_text (g_ptr_array_index (mails, 0)), "café"));
	g_clear_pointer (&mails, g_ptr_array_unref);

	/* unsubscribed by its token: nothing more */
	removed = px_subscribe_remove (fixture->store, subscription->token, &error);
	g_assert_no_error (error);
	publish (fixture, "Language tandem", NULL, NULL);
	g_assert_cmpuint (run_at (scheduler, now).due, ==, 0);
	g_assert_null (px_subscribe_confirm (fixture->store, subscription->token, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_clear_error (&error);
	g_assert_null (px_subscribe_remove (fixture->store, "short", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_clear_error (&error);

	/* at most PX_SUBSCRIBE_MAX_WAITING confirmations wait for one address */
	for (guint i = 0; i <= PX_SUBSCRIBE_MAX_WAITING; i++) {
		g_autofree char *query = g_strdup_printf ("q=word%u", i);
		g_autoptr (PxSearchRequest) other = parse_query (query);

		g_assert_true (px_subscribe_add (fixture->store, fixture->config, "bo@example.org",
						 other, PX_SUBSCRIPTION_DAILY, NULL, NULL, NULL,
						 &outcome, &error));
		g_assert_no_error (error);
		g_assert_cmpint (outcome, ==,
				 i < PX_SUBSCRIBE_MAX_WAITING ? PX_SUBSCRIBE_SENT
							      : PX_SUBSCRIBE_HELD);
	}
	mails = take_mail (fixture);
	g_assert_cmpuint (mails->len, ==, PX_SUBSCRIBE_MAX_WAITING);

	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_assert_false (px_subscribe_add (fixture->store, fixture->config, bad[i], request,
						  PX_SUBSCRIPTION_DAILY, NULL, NULL, NULL, &outcome,
						  &error));
		g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
		g_clear_error (&error);
	}
	g_clear_pointer (&fixture->config->mail_smtp_url, g_free);
	g_assert_false (px_subscribe_add (fixture->store, fixture->config, "cy@example.org",
					  request, PX_SUBSCRIPTION_DAILY, NULL, NULL, NULL,
					  &outcome, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/praxis/subscription/store", Fixture, NULL, fixture_set_up,
		    test_subscription_store_func, fixture_tear_down);
	g_test_add ("/praxis/subscription/due", Fixture, NULL, fixture_set_up,
		    test_subscription_due_func, fixture_tear_down);
	g_test_add ("/praxis/subscription/publications", Fixture, NULL, fixture_set_up,
		    test_subscription_publications_func, fixture_tear_down);
	g_test_add_func ("/praxis/subscription/query", test_subscription_query_func);
	g_test_add_func ("/praxis/digest/compose", test_subscription_compose_func);
	g_test_add_func ("/praxis/digest/never-empty", test_subscription_compose_empty_func);
	g_test_add_func ("/praxis/digest/swedish", test_subscription_compose_swedish_func);
	g_test_add ("/praxis/subscribe/language", Fixture, NULL, fixture_set_up,
		    test_subscription_language_func, fixture_tear_down);
	g_test_add ("/praxis/scheduler/run", Fixture, NULL, fixture_set_up,
		    test_subscription_run_func, fixture_tear_down);
	g_test_add ("/praxis/scheduler/rewrite", Fixture, NULL, fixture_set_up,
		    test_subscription_rewrite_func, fixture_tear_down);
	g_test_add ("/praxis/subscribe/double-opt-in", Fixture, NULL, fixture_set_up,
		    test_subscription_subscribe_func, fixture_tear_down);
	return g_test_run ();
}
