/* test-accounts.c: the accounts of the web pages: passwords hashed with argon2id and checked
 * (one answer for every failure, the same work for unknown addresses), disabled accounts and
 * their tokens and sessions, invitations used once and expiring. */
#include <sodium.h>
#include <string.h>

#include "store/invite.h"
#include "store/store-private.h"
#include "store/token.h"
#include "store/user.h"
#include "test-util.h"
#include "util/error.h"

#define PASSWORD "correct horse battery"

typedef struct {
	char *dir;
	PxStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *path = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-accounts-XXXXXX", &error);
	g_assert_no_error (error);
	path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->store = px_store_open (path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	px_store_free (fixture->store);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->dir);
}

/* Returns: (transfer full) (nullable): one text column of the first row @sql gives */
static char *
query_text (PxStore *store, const char *sql)
{
	g_autoptr (GError) error = NULL;
	sqlite3_stmt *statement = px_store_prepare (store, sql, &error);
	char *text = NULL;

	g_assert_no_error (error);
	if (px_store_step (store, statement, &error) == SQLITE_ROW)
		text = g_strdup ((const char *)sqlite3_column_text (statement, 0));
	g_assert_no_error (error);
	sqlite3_reset (statement);
	return text;
}

static gint64
query_int (PxStore *store, const char *sql)
{
	g_autofree char *text = query_text (store, sql);

	return text == NULL ? -1 : g_ascii_strtoll (text, NULL, 10);
}

static void
add_user_with_password (PxStore *store, const char *email, PxRole role)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (px_user_add (store, email, role, &error));
	g_assert_true (px_user_set_password (store, email, PASSWORD, &error));
	g_assert_no_error (error);
}

/* the one answer of a failed sign-in, whatever failed */
static void
assert_sign_in_refused (PxStore *store, const char *email, const char *password)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_user_check_password (store, email, password, &error);

	g_assert_null (user);
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
	g_assert_cmpstr (error->message, ==, "wrong e-mail address or password");
}

static void
test_accounts_password_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = NULL;
	g_autofree char *hash = NULL;

	g_assert_true (px_user_add (fixture->store, "p@example.org", PX_ROLE_PARTNER, &error));
	/* an account made by `praxis user add` has no password: nobody signs in to it */
	assert_sign_in_refused (fixture->store, "p@example.org", "");
	assert_sign_in_refused (fixture->store, "p@example.org", PASSWORD);
	g_assert_false (px_user_set_password (fixture->store, "p@example.org", "short", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_true (px_user_set_password (fixture->store, "p@example.org", PASSWORD, &error));
	g_assert_no_error (error);
	hash = query_text (fixture->store, "SELECT password_hash FROM users");
	g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=2,p=1$"));
	g_assert_null (strstr (hash, PASSWORD));

	user = px_user_check_password (fixture->store, "P@Example.org", PASSWORD, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (user->email, ==, "p@example.org");
	g_assert_cmpint (user->role, ==, PX_ROLE_PARTNER);
	g_assert_true (user->has_password);
	assert_sign_in_refused (fixture->store, "p@example.org", "correct horse battery ");
	assert_sign_in_refused (fixture->store, "p@example.org", "");
	assert_sign_in_refused (fixture->store, "nobody@example.org", PASSWORD);

	g_assert_false (
	    px_user_set_password (fixture->store, "nobody@example.org", PASSWORD, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
}

static void
test_accounts_password_rules_func (void)
{
	g_autofree char *longest = g_strnfill (PX_USER_PASSWORD_MAX_BYTES, 'x');
	g_autofree char *too_long = g_strnfill (PX_USER_PASSWORD_MAX_BYTES + 1, 'x');
	const struct {
		const char *password;
		gboolean valid;
	} rows[] = {
	    {"", FALSE},
	    {"123456789", FALSE},
	    {"1234567890", TRUE},
	    /* characters, not bytes: nine of two bytes each are too few */
	    {"åäöåäöåäö", FALSE},
	    {"åäöåäöåäöå", TRUE},
	    {"1234567890\xff", FALSE},
	    {longest, TRUE},
	    {too_long, FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS (rows); i++) {
		g_autoptr (GError) error = NULL;

		g_assert_cmpint (px_user_validate_password (rows[i].password, &error), ==,
				 rows[i].valid);
		if (!rows[i].valid)
			g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	}
}

static void
test_accounts_email_rules_func (void)
{
	const struct {
		const char *email;
		gboolean valid;
	} rows[] = {
	    {"a@example.org", TRUE}, {"åsa@exempel.se", TRUE},	 {"", FALSE},
	    {"example.org", FALSE},  {"@example.org", FALSE},	 {"a@", FALSE},
	    {"a@b@c", FALSE},	     {"a b@example.org", FALSE}, {"a@example.org\n", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS (rows); i++) {
		g_autoptr (GError) error = NULL;

		g_assert_cmpint (px_user_validate_email (rows[i].email, &error), ==, rows[i].valid);
	}
}

/* an unknown address is checked against a dummy hash: it costs an argon2id verification too */
static void
test_accounts_unknown_costs_func (Fixture *fixture, gconstpointer data)
{
	gint64 start;

	add_user_with_password (fixture->store, "p@example.org", PX_ROLE_PARTNER);
	g_assert_true (
	    px_user_add (fixture->store, "nopassword@example.org", PX_ROLE_PARTNER, NULL));
	start = g_get_monotonic_time ();
	assert_sign_in_refused (fixture->store, "nobody@example.org", PASSWORD);
	/* INTERACTIVE takes about 80 ms; a lookup alone, well under 1 ms */
	g_assert_cmpint (g_get_monotonic_time () - start, >, 20000);
	start = g_get_monotonic_time ();
	assert_sign_in_refused (fixture->store, "nopassword@example.org", PASSWORD);
	g_assert_cmpint (g_get_monotonic_time () - start, >, 20000);
}

/* a hash made with weaker limits is replaced at the next good sign-in */
static void
test_accounts_rehash_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = NULL;
	char weak[crypto_pwhash_STRBYTES];
	g_autofree char *hash = NULL;

	g_assert_true (px_user_add (fixture->store, "p@example.org", PX_ROLE_PARTNER, &error));
	g_assert_cmpint (
	    crypto_pwhash_str (weak, PASSWORD, strlen (PASSWORD), crypto_pwhash_OPSLIMIT_MIN, 8192),
	    ==, 0);
	g_assert_true (px_user_write_password_hash (fixture->store, 1, weak, &error));
	assert_sign_in_refused (fixture->store, "p@example.org", "wrong password!");
	hash = query_text (fixture->store, "SELECT password_hash FROM users");
	g_assert_cmpstr (hash, ==, weak);
	user = px_user_check_password (fixture->store, "p@example.org", PASSWORD, &error);
	g_assert_no_error (error);
	g_clear_pointer (&hash, g_free);
	hash = query_text (fixture->store, "SELECT password_hash FROM users");
	g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=2,p=1$"));
	g_clear_pointer (&user, px_user_free);
	user = px_user_check_password (fixture->store, "p@example.org", PASSWORD, &error);
	g_assert_no_error (error);
}

/* a session row as session.c makes one */
static void
add_session (PxStore *store, gint64 user_id)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *sql = g_strdup_printf (
	    "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) "
	    "VALUES (randomblob(32), %" G_GINT64_FORMAT
	    ", 'csrf', '2026-01-01T00:00:00.000000Z', '9999-01-01T00:00:00.000000Z')",
	    user_id);

	g_assert_true (px_store_exec (store, sql, &error));
	g_assert_no_error (error);
}

static void
test_accounts_disabled_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autofree char *disabled_at = NULL;
	g_autofree char *again = NULL;
	g_autoptr (PxUser) user = NULL;
	g_autoptr (PxUser) found = NULL;

	add_user_with_password (fixture->store, "p@example.org", PX_ROLE_PARTNER);
	add_user_with_password (fixture->store, "other@example.org", PX_ROLE_PARTNER);
	token = px_token_create (fixture->store, "p@example.org", &error);
	g_assert_no_error (error);
	add_session (fixture->store, 1);
	add_session (fixture->store, 1);
	add_session (fixture->store, 2);

	g_assert_true (px_user_set_disabled (fixture->store, "P@example.org", TRUE, &error));
	g_assert_no_error (error);
	/* the right password of a disabled account gets the answer of a wrong one */
	assert_sign_in_refused (fixture->store, "p@example.org", PASSWORD);
	g_assert_null (px_token_lookup (fixture->store, token, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
	g_clear_error (&error);
	g_assert_cmpint (
	    query_int (fixture->store, "SELECT count(*) FROM sessions WHERE user_id = 1"), ==, 0);
	g_assert_cmpint (
	    query_int (fixture->store, "SELECT count(*) FROM sessions WHERE user_id = 2"), ==, 1);
	found = px_user_find (fixture->store, "p@example.org", &error);
	g_assert_nonnull (found->disabled_at);
	/* disabling again keeps the first time */
	disabled_at = query_text (fixture->store, "SELECT disabled_at FROM users WHERE id = 1");
	g_assert_true (px_user_set_disabled (fixture->store, "p@example.org", TRUE, &error));
	again = query_text (fixture->store, "SELECT disabled_at FROM users WHERE id = 1");
	g_assert_cmpstr (disabled_at, ==, again);

	g_assert_true (px_user_set_disabled (fixture->store, "p@example.org", FALSE, &error));
	g_assert_no_error (error);
	user = px_user_check_password (fixture->store, "p@example.org", PASSWORD, &error);
	g_assert_no_error (error);
	g_assert_null (user->disabled_at);
	g_clear_pointer (&user, px_user_free);
	user = px_token_lookup (fixture->store, token, &error);
	g_assert_no_error (error);

	g_assert_false (px_user_set_disabled (fixture->store, "nobody@example.org", TRUE, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
}

/* a new password signs the account out everywhere */
static void
test_accounts_new_password_signs_out_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	add_user_with_password (fixture->store, "p@example.org", PX_ROLE_PARTNER);
	add_session (fixture->store, 1);
	g_assert_true (
	    px_user_set_password (fixture->store, "p@example.org", "another password", &error));
	g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM sessions"), ==, 0);
	assert_sign_in_refused (fixture->store, "p@example.org", PASSWORD);
}

static void
test_accounts_list_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) users = NULL;
	PxUser *first, *second;

	g_assert_true (px_user_add (fixture->store, "zed@example.org", PX_ROLE_ADMIN, &error));
	add_user_with_password (fixture->store, "anna@example.org", PX_ROLE_PARTNER);
	g_assert_true (px_user_set_disabled (fixture->store, "anna@example.org", TRUE, &error));
	users = px_user_list (fixture->store, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (users->len, ==, 2);
	first = g_ptr_array_index (users, 0);
	second = g_ptr_array_index (users, 1);
	g_assert_cmpstr (first->email, ==, "anna@example.org");
	g_assert_true (first->has_password);
	g_assert_nonnull (first->disabled_at);
	g_assert_nonnull (first->created_at);
	g_assert_cmpstr (second->email, ==, "zed@example.org");
	g_assert_cmpint (second->role, ==, PX_ROLE_ADMIN);
	g_assert_false (second->has_password);
	g_assert_null (second->disabled_at);
}

static void
test_accounts_invite_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autofree char *other = NULL;
	g_autoptr (PxInvite) invite = NULL;
	g_autoptr (PxUser) user = NULL;
	g_autoptr (PxUser) signed_in = NULL;

	add_user_with_password (fixture->store, "admin@example.org", PX_ROLE_ADMIN);
	g_assert_true (px_invite_create (fixture->store, "new@example.org", PX_ROLE_PARTNER, 1,
					 &token, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (strlen (token), ==, 43);
	/* only the hash is stored */
	g_assert_cmpint (query_int (fixture->store, "SELECT length(hash) FROM invites"), ==, 32);
	g_assert_cmpint (query_int (fixture->store, "SELECT invited_by FROM invites"), ==, 1);
	g_assert_true (px_invite_create (fixture->store, "new2@example.org", PX_ROLE_ADMIN, 0,
					 &other, &error));
	g_assert_cmpstr (token, !=, other);

	invite = px_invite_get (fixture->store, token, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (invite->email, ==, "new@example.org");
	g_assert_cmpint (invite->role, ==, PX_ROLE_PARTNER);
	g_assert_cmpint (invite->state, ==, PX_INVITE_OPEN);
	g_clear_pointer (&invite, px_invite_free);

	/* a password too short leaves the link as it was */
	g_assert_null (px_invite_accept (fixture->store, token, "short", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	user = px_invite_accept (fixture->store, token, PASSWORD, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (user->email, ==, "new@example.org");
	g_assert_cmpint (user->role, ==, PX_ROLE_PARTNER);
	signed_in = px_user_check_password (fixture->store, "new@example.org", PASSWORD, &error);
	g_assert_no_error (error);
	g_assert_cmpint (signed_in->id, ==, user->id);

	/* once only */
	g_assert_null (px_invite_accept (fixture->store, token, "another password", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_FORBIDDEN);
	g_assert_nonnull (strstr (error->message, "used already"));
	g_clear_error (&error);
	invite = px_invite_get (fixture->store, token, &error);
	g_assert_cmpint (invite->state, ==, PX_INVITE_USED);
	assert_sign_in_refused (fixture->store, "new@example.org", "another password");

	g_assert_null (px_invite_accept (fixture->store, "not-a-token", PASSWORD, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_clear_error (&error);
	g_assert_null (px_invite_get (fixture->store, "", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
}

static void
test_accounts_invite_refused_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autofree char *late = NULL;
	g_autoptr (PxInvite) invite = NULL;

	add_user_with_password (fixture->store, "p@example.org", PX_ROLE_PARTNER);
	g_assert_false (
	    px_invite_create (fixture->store, "P@example.org", PX_ROLE_PARTNER, 0, &token, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_CONFLICT);
	g_clear_error (&error);
	g_assert_false (px_invite_create (fixture->store, "not an address", PX_ROLE_PARTNER, 0,
					  &token, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (token);

	/* an account made after the invitation: the link cannot make a second one */
	g_assert_true (
	    px_invite_create (fixture->store, "q@example.org", PX_ROLE_PARTNER, 0, &token, &error));
	g_assert_true (px_user_add (fixture->store, "Q@example.org", PX_ROLE_PARTNER, &error));
	g_assert_null (px_invite_accept (fixture->store, token, PASSWORD, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_CONFLICT);
	g_clear_error (&error);
	g_assert_cmpint (
	    query_int (fixture->store, "SELECT count(*) FROM invites WHERE used_at IS NULL"), ==,
	    1);
	assert_sign_in_refused (fixture->store, "q@example.org", PASSWORD);

	/* expired */
	g_assert_true (px_invite_create (fixture->store, "late@example.org", PX_ROLE_PARTNER, 0,
					 &late, &error));
	g_assert_true (
	    px_store_exec (fixture->store,
			   "UPDATE invites SET expires_at = '2020-01-01T00:00:00.000000Z' "
			   "WHERE email = 'late@example.org'",
			   &error));
	invite = px_invite_get (fixture->store, late, &error);
	g_assert_cmpint (invite->state, ==, PX_INVITE_EXPIRED);
	g_assert_null (px_invite_accept (fixture->store, late, PASSWORD, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_FORBIDDEN);
	g_assert_nonnull (strstr (error->message, "expired"));
	g_clear_error (&error);
	g_assert_null (px_user_find (fixture->store, "late@example.org", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
}

/* a fresh invitation expires a week later */
static void
test_accounts_invite_week_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autoptr (PxInvite) invite = NULL;
	g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr (GDateTime) expires = NULL;
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	GTimeSpan left;

	g_assert_true (
	    px_invite_create (fixture->store, "q@example.org", PX_ROLE_PARTNER, 0, &token, &error));
	invite = px_invite_get (fixture->store, token, &error);
	expires = g_date_time_new_from_iso8601 (invite->expires_at, utc);
	left = g_date_time_difference (expires, now);
	g_assert_cmpint (left, >=, 7 * G_TIME_SPAN_DAY);
	g_assert_cmpint (left, <=, 7 * G_TIME_SPAN_DAY + G_TIME_SPAN_MINUTE);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_assert_cmpint (sodium_init (), >=, 0);
	g_test_add ("/praxis/accounts/password", Fixture, NULL, fixture_set_up,
		    test_accounts_password_func, fixture_tear_down);
	g_test_add_func ("/praxis/accounts/password-rules", test_accounts_password_rules_func);
	g_test_add_func ("/praxis/accounts/email-rules", test_accounts_email_rules_func);
	g_test_add ("/praxis/accounts/unknown-costs", Fixture, NULL, fixture_set_up,
		    test_accounts_unknown_costs_func, fixture_tear_down);
	g_test_add ("/praxis/accounts/rehash", Fixture, NULL, fixture_set_up,
		    test_accounts_rehash_func, fixture_tear_down);
	g_test_add ("/praxis/accounts/disabled", Fixture, NULL, fixture_set_up,
		    test_accounts_disabled_func, fixture_tear_down);
	g_test_add ("/praxis/accounts/new-password-signs-out", Fixture, NULL, fixture_set_up,
		    test_accounts_new_password_signs_out_func, fixture_tear_down);
	g_test_add ("/praxis/accounts/list", Fixture, NULL, fixture_set_up, test_accounts_list_func,
		    fixture_tear_down);
	g_test_add ("/praxis/accounts/invite", Fixture, NULL, fixture_set_up,
		    test_accounts_invite_func, fixture_tear_down);
	g_test_add ("/praxis/accounts/invite-refused", Fixture, NULL, fixture_set_up,
		    test_accounts_invite_refused_func, fixture_tear_down);
	g_test_add ("/praxis/accounts/invite-week", Fixture, NULL, fixture_set_up,
		    test_accounts_invite_week_func, fixture_tear_down);
	return g_test_run ();
}
