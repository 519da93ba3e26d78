/* web-account.c: signing in and out, and the accounts: GET/POST /login (fields email and
 * password; failures limited per client address, per address signed in to from one client and,
 * far less strictly, per address signed in to, sign-ins per address), POST /logout, GET/POST
 * /invite?token=... (an invitation makes the account and signs it in), and /admin/users for admins
 * (the accounts, invitations, disabling). A sign-in always makes a new session; the store's user.c,
 * invite.c and session.c hold the rules and the tables. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "store/invite.h"
#include "store/session.h"
#include "store/user.h"
#include "util/error.h"
#include "web-page.h"
#include "web-private.h"
#include "web-request.h"

/* failed sign-ins allowed in a window: per address signed in to from one client, per client
 * address, and per address signed in to from all clients; the last is far higher, so that
 * whoever knows an address cannot lock its owner out from everywhere with a few wrong
 * passwords, while guesses spread over many clients are still slowed */
#define PX_WEB_ACCOUNT_WINDOW_SECONDS (15 * 60)
#define PX_WEB_ACCOUNT_PAIR_FAILURES 5
#define PX_WEB_ACCOUNT_CLIENT_FAILURES 10
#define PX_WEB_ACCOUNT_EMAIL_FAILURES 50
/* sign-ins allowed in a window per address, whatever their outcome: each one hashes a password
 * on the one writer, which someone knowing a password must not keep busy */
#define PX_WEB_ACCOUNT_EMAIL_SIGN_INS 10
/* libsoup 3.2 has no name for it (and calls it "Unknown Error") */
#define PX_WEB_ACCOUNT_TOO_MANY_REQUESTS 429

void
px_web_account_limits_init (PxWeb *web)
{
	web->login_client_failures =
	    px_web_limit_new (PX_WEB_ACCOUNT_CLIENT_FAILURES, PX_WEB_ACCOUNT_WINDOW_SECONDS);
	web->login_pair_failures =
	    px_web_limit_new (PX_WEB_ACCOUNT_PAIR_FAILURES, PX_WEB_ACCOUNT_WINDOW_SECONDS);
	web->login_email_failures =
	    px_web_limit_new (PX_WEB_ACCOUNT_EMAIL_FAILURES, PX_WEB_ACCOUNT_WINDOW_SECONDS);
	web->login_sign_ins =
	    px_web_limit_new (PX_WEB_ACCOUNT_EMAIL_SIGN_INS, PX_WEB_ACCOUNT_WINDOW_SECONDS);
}

/* the members of a form's error state: "errors" (the summary's links, in the order of the
 * fields) and FIELD_error for each field */
typedef struct {
	JsonObject *content;
	JsonArray *errors;
} PxWebAccountErrors;

static void
px_web_account_errors_init (PxWebAccountErrors *errors, JsonObject *content)
{
	errors->content = content;
	errors->errors = json_array_new ();
	json_object_set_array_member (content, "errors", errors->errors);
}

static void
px_web_account_errors_add (PxWebAccountErrors *errors, const char *field, const char *message)
{
	JsonObject *item = json_object_new ();
	g_autofree char *member = g_strdup_printf ("%s_error", field);

	json_object_set_string_member (item, "field", field);
	json_object_set_string_member (item, "message", message);
	json_array_add_object_element (errors->errors, item);
	json_object_set_string_member (errors->content, member, message);
	json_object_set_boolean_member (errors->content, "has_errors", TRUE);
}

static gboolean
px_web_account_errors_any (const PxWebAccountErrors *errors)
{
	return json_array_get_length (errors->errors) > 0;
}

/* a failure of the store: 503 to retry while another writer holds it (a `praxis import`, past
 * busy_timeout_ms), else 500 with @message */
static void
px_web_account_fail (PxWebRequest *request, PxResponse *response, const GError *error,
		     const char *message)
{
	if (g_error_matches (error, PX_ERROR, PX_ERROR_BUSY) ||
	    g_error_matches (error, PX_ERROR, PX_ERROR_TIMEOUT))
		px_web_page_error_from (request, response, error);
	else
		px_web_page_error (request, response, SOUP_STATUS_INTERNAL_SERVER_ERROR, message);
}

/* a sign-in: the visitor's old session (if any) is gone and a new one is made, so that a
 * session token known before the sign-in is worth nothing after it */
static void
px_web_account_sign_in (PxWebRequest *request, PxStore *store, PxResponse *response,
			const PxUser *user, const char *back)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autofree char *csrf = NULL;

	if (request->session_token != NULL &&
	    !px_session_delete (store, request->session_token, &error)) {
		g_warning ("the session before the sign-in of %s stays: %s", user->email,
			   error->message);
		g_clear_error (&error);
	}
	if (!px_session_create (store, user->id, &token, &csrf, &error)) {
		g_warning ("no session for %s: %s", user->email, error->message);
		px_web_account_fail (
		    request, response, error,
		    px_web_request_gettext (request, "Signing in failed. Try again later."));
		return;
	}
	g_message ("%s signed in", user->email);
	px_web_page_redirect (response, "%s", px_web_request_is_local_path (back) ? back : "/");
	px_web_request_set_cookie (request, response, PX_WEB_SESSION_COOKIE, token,
				   PX_SESSION_SECONDS);
}

/* Returns: (transfer full): @value without the spaces around it, "" for NULL */
static char *
px_web_account_trimmed (const char *value)
{
	return g_strstrip (g_strdup (value != NULL ? value : ""));
}

static void
px_web_account_login_render (PxWebRequest *request, PxResponse *response, guint status,
			     JsonObject *content, const char *email)
{
	const char *back = px_web_request_field (request, "back");
	g_autofree char *login_csrf = px_web_request_make_login_token (request, response);

	if (back == NULL)
		back = px_web_request_param (request, "back");
	if (px_web_request_is_local_path (back))
		json_object_set_string_member (content, "back", back);
	json_object_set_string_member (content, "email", email);
	json_object_set_string_member (content, "login_csrf", login_csrf);
	if (request->user != NULL) {
		g_autofree char *text =
		    g_strdup_printf (px_web_request_gettext (request, "You are signed in as %s."),
				     request->user->email);

		json_object_set_string_member (content, "signed_in_email", request->user->email);
		json_object_set_string_member (content, "signed_in_text", text);
	}
	px_web_page_render (request, response, status, "login",
			    px_web_request_gettext (request, "Sign in"), content);
	/* its cookie is the visitor's own: no cache may hand it to another */
	if (response->headers != NULL)
		soup_message_headers_replace (response->headers, "Cache-Control", "no-store");
}

static void
px_web_account_login_get_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) content = json_object_new ();

	if (!px_web_request_begin (request, store, response))
		return;
	if (px_web_request_param (request, "signed_out") != NULL && request->user == NULL)
		json_object_set_boolean_member (content, "signed_out", TRUE);
	if (px_web_request_param (request, "session_ended") != NULL && request->user == NULL)
		json_object_set_boolean_member (content, "session_ended", TRUE);
	px_web_account_login_render (request, response, SOUP_STATUS_OK, content, "");
}

/* the sign-in's address as the users table compares it (without ASCII case): the key of its
 * counts (the client's is request->client, as every limit counts it) */
static char *
px_web_account_email_key (const PxWebRequest *request)
{
	g_autofree char *email = px_web_account_trimmed (px_web_request_field (request, "email"));

	return g_ascii_strdown (email, MIN (strlen (email), 320));
}

/* the key of the failures of this sign-in's address from this sign-in's client */
static char *
px_web_account_pair_key (const PxWebRequest *request, const char *email_key)
{
	return g_strconcat (request->client, "\n", email_key, NULL);
}

/* Returns: the seconds until this sign-in's client and address may try again, 0 for now;
 * @failed (nullable): TRUE when failures are the reason */
static gint64
px_web_account_login_wait (const PxWebRequest *request, gboolean *failed)
{
	PxWeb *web = request->web;
	g_autofree char *email_key = px_web_account_email_key (request);
	g_autofree char *pair_key = px_web_account_pair_key (request, email_key);
	gint64 failures = MAX (px_web_limit_wait (web->login_client_failures, request->client),
			       MAX (px_web_limit_wait (web->login_pair_failures, pair_key),
				    px_web_limit_wait (web->login_email_failures, email_key)));
	gint64 sign_ins = px_web_limit_wait (web->login_sign_ins, email_key);

	if (failed != NULL)
		*failed = failures >= sign_ins;
	return MAX (failures, sign_ins);
}

/* answers 429 when this sign-in's client or address failed too often, or the address signed
 * in too often; Returns: TRUE when it did */
static gboolean
px_web_account_login_refuse (PxWebRequest *request, PxResponse *response)
{
	gboolean failed = TRUE;
	gint64 wait = px_web_account_login_wait (request, &failed);
	gulong minutes = (gulong)((wait + 59) / 60);
	g_autoptr (JsonObject) content = json_object_new ();
	g_autofree char *message = NULL;
	g_autofree char *seconds = NULL;

	if (wait == 0)
		return FALSE;
	if (failed)
		message = g_strdup_printf (
		    px_web_request_ngettext (
			request,
			"Too many failed attempts to sign in. For your safety, signing "
			"in is paused: try again in %lu minute.",
			"Too many failed attempts to sign in. For your safety, signing "
			"in is paused: try again in %lu minutes.",
			minutes),
		    minutes);
	else
		message = g_strdup_printf (
		    px_web_request_ngettext (
			request,
			"Too many sign-ins to this account in a short time. Signing in "
			"is paused: try again in %lu minute.",
			"Too many sign-ins to this account in a short time. Signing in "
			"is paused: try again in %lu minutes.",
			minutes),
		    minutes);
	json_object_set_string_member (content, "message", message);
	px_web_page_render (request, response, PX_WEB_ACCOUNT_TOO_MANY_REQUESTS, "error",
			    px_web_request_gettext (request, "Signing in is paused"), content);
	seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
	px_response_add_header (response, "Retry-After", seconds);
	return TRUE;
}

static void
px_web_account_login_post_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	PxWeb *web = request->web;
	g_autofree char *email = px_web_account_trimmed (px_web_request_field (request, "email"));
	const char *password = px_web_request_field (request, "password");
	g_autoptr (JsonObject) content = json_object_new ();
	g_autofree char *email_key = px_web_account_email_key (request);
	g_autofree char *pair_key = px_web_account_pair_key (request, email_key);
	g_autoptr (PxUser) user = NULL;
	g_autoptr (GError) error = NULL;
	PxWebAccountErrors errors;

	/* the form's token is bound to the sign-in's own cookie, not to a session */
	request->csrf_exempt = TRUE;
	if (!px_web_request_begin (request, store, response) ||
	    !px_web_request_check_login_form (request, response))
		return;
	px_web_account_errors_init (&errors, content);
	if (*email == '\0')
		px_web_account_errors_add (
		    &errors, "email",
		    px_web_request_gettext (request, "Enter your e-mail address."));
	if (password == NULL || *password == '\0')
		px_web_account_errors_add (
		    &errors, "password", px_web_request_gettext (request, "Enter your password."));
	if (px_web_account_errors_any (&errors)) {
		px_web_account_login_render (request, response, SOUP_STATUS_BAD_REQUEST, content,
					     email);
		return;
	}
	if (px_web_account_login_refuse (request, response))
		return;
	user = px_user_check_password (store, email, password, &error);
	if (user == NULL && !g_error_matches (error, PX_ERROR, PX_ERROR_UNAUTHORIZED)) {
		g_warning ("sign-in of %s not checked: %s", email, error->message);
		px_web_account_fail (
		    request, response, error,
		    px_web_request_gettext (request, "Signing in failed. Try again later."));
		return;
	}
	if (user == NULL) {
		px_web_limit_add (web->login_client_failures, request->client);
		px_web_limit_add (web->login_pair_failures, pair_key);
		px_web_limit_add (web->login_email_failures, email_key);
		px_web_account_errors_add (
		    &errors, "email",
		    px_web_request_gettext (request, "The e-mail address or the password is wrong. "
						     "Check both and try again."));
		px_web_account_login_render (request, response, SOUP_STATUS_BAD_REQUEST, content,
					     email);
		return;
	}
	px_web_limit_forget (web->login_pair_failures, pair_key);
	px_web_limit_forget (web->login_email_failures, email_key);
	px_web_limit_add (web->login_sign_ins, email_key);
	px_web_account_sign_in (request, store, response, user,
				px_web_request_field (request, "back"));
}

static void
px_web_account_logout_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (GError) error = NULL;

	/* the form is checked only when there is a session to end */
	request->csrf_exempt = TRUE;
	if (!px_web_request_begin (request, store, response) ||
	    px_web_request_fail_session (request, response))
		return;
	if (request->user == NULL) {
		/* no session (it expired, or the account was disabled): nothing to protect, and
		 * an expired form would only stand in the way; the cookie goes */
		px_web_page_redirect (response, "/");
		px_web_request_set_cookie (request, response, PX_WEB_SESSION_COOKIE, NULL, 0);
		return;
	}
	if (!px_web_request_check_form (request, response))
		return;
	if (!px_session_delete (store, request->session_token, &error)) {
		g_warning ("session not deleted: %s", error->message);
		px_web_account_fail (
		    request, response, error,
		    px_web_request_gettext (request, "Signing out failed. Try again later."));
		return;
	}
	px_web_page_redirect (response, "/login?signed_out=1");
	px_web_request_set_cookie (request, response, PX_WEB_SESSION_COOKIE, NULL, 0);
}

/* a sign-in already paused when it arrived: answered by a reader, never queued for the writer */
static void
px_web_account_login_paused_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autofree char *email = px_web_account_trimmed (px_web_request_field (request, "email"));

	request->csrf_exempt = TRUE;
	if (!px_web_request_begin (request, store, response) ||
	    !px_web_request_check_login_form (request, response) ||
	    px_web_account_login_refuse (request, response))
		return;
	/* the pause ended meanwhile */
	px_web_account_login_render (request, response, SOUP_STATUS_OK, content, email);
}

static void
px_web_account_login_cb (PxServer *server, SoupServerMessage *message, gint64 id,
			 gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	gboolean post = g_str_equal (soup_server_message_get_method (message), "POST");

	if (request == NULL)
		return;
	if (!post)
		px_web_request_defer (request, message, FALSE, px_web_account_login_get_work);
	else if (px_web_account_login_wait (request, NULL) > 0)
		px_web_request_defer (request, message, FALSE, px_web_account_login_paused_work);
	else
		/* a sign-in writes its session: the writer, which also means one password hash
		 * at a time (64 MiB each) */
		px_web_request_defer (request, message, TRUE, px_web_account_login_post_work);
}

static void
px_web_account_logout_cb (PxServer *server, SoupServerMessage *message, gint64 id,
			  gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);

	if (request != NULL)
		px_web_request_defer (request, message, TRUE, px_web_account_logout_work);
}

/* answers the page of an invitation that cannot make its account; Returns: TRUE when it did */
static gboolean
px_web_account_invite_refuse (PxWebRequest *request, PxResponse *response, const PxInvite *invite)
{
	if (invite == NULL) {
		px_web_page_error (request, response, SOUP_STATUS_NOT_FOUND,
				   px_web_request_gettext (
				       request, "This invitation link is not valid. Check that you "
						"copied all of it, or ask for a new one."));
		return TRUE;
	}
	if (invite->state == PX_INVITE_USED) {
		px_web_page_error (request, response, SOUP_STATUS_GONE,
				   px_web_request_gettext (
				       request, "This invitation link has been used already. Sign "
						"in with the password chosen then."));
		return TRUE;
	}
	if (invite->state == PX_INVITE_EXPIRED) {
		px_web_page_error (
		    request, response, SOUP_STATUS_GONE,
		    px_web_request_gettext (request, "This invitation link has expired. Ask "
						     "the moderator who sent it for a new one."));
		return TRUE;
	}
	return FALSE;
}

/* Returns: (transfer full) (nullable): the invitation of @token, NULL (and logged when it was
 * not just unknown) without one */
static PxInvite *
px_web_account_invite_get (PxStore *store, const char *token)
{
	g_autoptr (GError) error = NULL;
	PxInvite *invite;

	if (token == NULL || strlen (token) > 128)
		return NULL;
	invite = px_invite_get (store, token, &error);
	if (invite == NULL && !g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND))
		g_warning ("invitation not read: %s", error->message);
	return invite;
}

static void
px_web_account_invite_render (PxWebRequest *request, PxResponse *response, guint status,
			      JsonObject *content, const PxInvite *invite, const char *token)
{
	g_autofree char *invited = g_strdup_printf (
	    invite->role == PX_ROLE_ADMIN
		? px_web_request_gettext (request, "You are invited to Praxis as a moderator, with "
						   "the address %s. Choose your password to make "
						   "your account.")
		: px_web_request_gettext (request, "You are invited to Praxis as a partner, with "
						   "the address %s. Choose your password to make "
						   "your account."),
	    invite->email);
	g_autofree char *hint =
	    g_strdup_printf (px_web_request_gettext (request, "At least %d characters. A few "
							      "unrelated words make a good one."),
			     PX_USER_PASSWORD_MIN_CHARS);
	/* the form signs in, as the sign-in form does: its token is bound to the same cookie */
	g_autofree char *login_csrf = px_web_request_make_login_token (request, response);

	json_object_set_string_member (content, "login_csrf", login_csrf);
	json_object_set_string_member (content, "token", token);
	json_object_set_string_member (content, "email", invite->email);
	json_object_set_string_member (content, "invited_text", invited);
	json_object_set_string_member (content, "password_hint", hint);
	px_web_page_render (request, response, status, "invite",
			    px_web_request_gettext (request, "Make your account"), content);
	/* its cookie is the visitor's own: no cache may hand it to another */
	if (response->headers != NULL)
		soup_message_headers_replace (response->headers, "Cache-Control", "no-store");
}

static void
px_web_account_invite_get_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *token = px_web_request_param (request, "token");
	g_autoptr (PxInvite) invite = NULL;
	g_autoptr (JsonObject) content = json_object_new ();

	if (!px_web_request_begin (request, store, response))
		return;
	invite = px_web_account_invite_get (store, token);
	if (px_web_account_invite_refuse (request, response, invite))
		return;
	px_web_account_invite_render (request, response, SOUP_STATUS_OK, content, invite, token);
}

/* the password's own errors, in the visitor's language */
static void
px_web_account_check_new_password (PxWebRequest *request, PxWebAccountErrors *errors,
				   const char *password, const char *confirm)
{
	g_autofree char *message = NULL;

	if (password == NULL || *password == '\0') {
		px_web_account_errors_add (errors, "password",
					   px_web_request_gettext (request, "Choose a password."));
		return;
	}
	if (strlen (password) > PX_USER_PASSWORD_MAX_BYTES) {
		px_web_account_errors_add (
		    errors, "password",
		    px_web_request_gettext (request, "This password is too long. Choose a shorter "
						     "one."));
		return;
	}
	if (!px_user_validate_password (password, NULL)) {
		message =
		    g_strdup_printf (px_web_request_gettext (
					 request, "Choose a password of at least %d characters."),
				     PX_USER_PASSWORD_MIN_CHARS);
		px_web_account_errors_add (errors, "password", message);
		return;
	}
	if (g_strcmp0 (password, confirm) != 0)
		px_web_account_errors_add (
		    errors, "password_confirm",
		    px_web_request_gettext (request, "The two passwords differ. Type the same "
						     "password twice."));
}

static void
px_web_account_invite_post_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *token = px_web_request_field (request, "token");
	const char *password = px_web_request_field (request, "password");
	g_autoptr (PxInvite) invite = NULL;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxUser) user = NULL;
	g_autoptr (GError) error = NULL;
	PxWebAccountErrors errors;

	/* the account made is signed in: the form's token is bound to the sign-in's own cookie,
	 * not to a visitor's "-", so that another site cannot sign a browser in to an account
	 * of its own through an invitation of its own (login CSRF) */
	request->csrf_exempt = TRUE;
	if (!px_web_request_begin (request, store, response) ||
	    !px_web_request_check_login_form (request, response))
		return;
	invite = px_web_account_invite_get (store, token);
	if (px_web_account_invite_refuse (request, response, invite))
		return;
	px_web_account_errors_init (&errors, content);
	px_web_account_check_new_password (request, &errors, password,
					   px_web_request_field (request, "password_confirm"));
	if (px_web_account_errors_any (&errors)) {
		px_web_account_invite_render (request, response, SOUP_STATUS_BAD_REQUEST, content,
					      invite, token);
		return;
	}
	user = px_invite_accept (store, token, password, &error);
	if (user == NULL && g_error_matches (error, PX_ERROR, PX_ERROR_CONFLICT)) {
		px_web_page_error (request, response, SOUP_STATUS_CONFLICT,
				   px_web_request_gettext (request, "An account with this address "
								    "exists already. Sign in with "
								    "it instead."));
		return;
	}
	if (user == NULL) {
		g_warning ("invitation of %s not accepted: %s", invite->email, error->message);
		px_web_account_fail (request, response, error,
				     px_web_request_gettext (request, "Making the account failed. "
								      "Try again later."));
		return;
	}
	g_message ("%s accepted the invitation", user->email);
	px_web_account_sign_in (request, store, response, user, "/");
}

static void
px_web_account_invite_cb (PxServer *server, SoupServerMessage *message, gint64 id,
			  gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	gboolean post = g_str_equal (soup_server_message_get_method (message), "POST");

	if (request != NULL)
		px_web_request_defer (request, message, post,
				      post ? px_web_account_invite_post_work
					   : px_web_account_invite_get_work);
}

/* the accounts as the table of /admin/users shows them */
static JsonArray *
px_web_account_users (PxWebRequest *request, GPtrArray *users)
{
	JsonArray *rows = json_array_new ();

	for (guint i = 0; i < users->len; i++) {
		const PxUser *user = g_ptr_array_index (users, i);
		JsonObject *row = json_object_new ();
		const char *state;

		if (user->disabled_at != NULL)
			state = px_web_request_gettext (request, "Disabled");
		else if (!user->has_password)
			state = px_web_request_gettext (request, "No password yet");
		else
			state = px_web_request_gettext (request, "Active");
		json_object_set_string_member (row, "email", user->email);
		json_object_set_string_member (row, "role",
					       user->role == PX_ROLE_ADMIN
						   ? px_web_request_gettext (request, "Moderator")
						   : px_web_request_gettext (request, "Partner"));
		json_object_set_string_member (row, "state", state);
		json_object_set_boolean_member (row, "disabled", user->disabled_at != NULL);
		json_object_set_boolean_member (row, "is_self", user->id == request->user->id);
		json_array_add_object_element (rows, row);
	}
	return rows;
}

static void
px_web_account_users_render (PxWebRequest *request, PxStore *store, PxResponse *response,
			     guint status, JsonObject *content)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) users = px_user_list (store, &error);

	if (users == NULL) {
		g_warning ("accounts not listed: %s", error->message);
		px_web_page_error (request, response, SOUP_STATUS_INTERNAL_SERVER_ERROR,
				   px_web_request_gettext (request, "The accounts cannot be shown "
								    "now. Try again later."));
		return;
	}
	json_object_set_array_member (content, "users", px_web_account_users (request, users));
	px_web_page_render (request, response, status, "admin-users",
			    px_web_request_gettext (request, "Accounts"), content);
}

/* POST /admin/users do=invite: a link made and shown once */
static guint
px_web_account_users_invite (PxWebRequest *request, PxStore *store, JsonObject *content,
			     PxWebAccountErrors *errors)
{
	g_autofree char *email = px_web_account_trimmed (px_web_request_field (request, "email"));
	const char *role_name = px_web_request_field (request, "role");
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autofree char *escaped = NULL;
	g_autofree char *path = NULL;
	g_autofree char *url = NULL;
	g_autofree char *text = NULL;
	PxRole role = PX_ROLE_PARTNER;

	json_object_set_string_member (content, "email", email);
	json_object_set_boolean_member (content, "invite_admin",
					g_strcmp0 (role_name, "admin") == 0);
	if (role_name != NULL && !px_user_role_from_string (role_name, &role))
		return SOUP_STATUS_BAD_REQUEST;
	if (*email == '\0' || !px_user_validate_email (email, NULL)) {
		px_web_account_errors_add (errors, "email",
					   px_web_request_gettext (request,
								   "Enter an e-mail address like "
								   "name@example.org."));
		return SOUP_STATUS_BAD_REQUEST;
	}
	if (!px_invite_create (store, email, role, request->user->id, &token, &error)) {
		if (!g_error_matches (error, PX_ERROR, PX_ERROR_CONFLICT)) {
			g_warning ("invitation of %s not made: %s", email, error->message);
			return SOUP_STATUS_INTERNAL_SERVER_ERROR;
		}
		px_web_account_errors_add (
		    errors, "email",
		    px_web_request_gettext (request, "An account with this address exists "
						     "already."));
		return SOUP_STATUS_CONFLICT;
	}
	escaped = g_uri_escape_string (token, NULL, FALSE);
	path = g_strdup_printf ("/invite?token=%s", escaped);
	url = px_web_request_url (request, path);
	text = g_strdup_printf (
	    px_web_request_gettext (request, "The invitation for %s is made. Send this link to "
					     "them: it is shown only now, works once and expires "
					     "in 7 days."),
	    email);
	g_message ("%s invited %s", request->user->email, email);
	json_object_set_string_member (content, "invite_url", url);
	json_object_set_string_member (content, "invite_text", text);
	/* the form starts empty again for the next invitation */
	json_object_set_string_member (content, "email", "");
	return SOUP_STATUS_OK;
}

/* POST /admin/users do=disable|enable */
static guint
px_web_account_users_set_disabled (PxWebRequest *request, PxStore *store, JsonObject *content,
				   PxWebAccountErrors *errors, gboolean disabled)
{
	g_autofree char *email = px_web_account_trimmed (px_web_request_field (request, "email"));
	g_autoptr (GError) error = NULL;
	g_autofree char *text = NULL;

	if (disabled && g_ascii_strcasecmp (email, request->user->email) == 0) {
		px_web_account_errors_add (
		    errors, "accounts",
		    px_web_request_gettext (request, "You cannot disable your own account."));
		return SOUP_STATUS_BAD_REQUEST;
	}
	if (!px_user_set_disabled (store, email, disabled, &error)) {
		if (!g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
			g_warning ("%s not changed: %s", email, error->message);
			return SOUP_STATUS_INTERNAL_SERVER_ERROR;
		}
		px_web_account_errors_add (
		    errors, "accounts",
		    px_web_request_gettext (request, "There is no such account."));
		return SOUP_STATUS_NOT_FOUND;
	}
	g_message ("%s %s %s", request->user->email, disabled ? "disabled" : "enabled", email);
	text = g_strdup_printf (
	    disabled ? px_web_request_gettext (request, "%s is disabled: it cannot sign in, and "
							"its sessions and API tokens are refused.")
		     : px_web_request_gettext (request, "%s is enabled again."),
	    email);
	json_object_set_string_member (content, "notice", text);
	return SOUP_STATUS_OK;
}

static void
px_web_account_users_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *action = px_web_request_field (request, "do");
	g_autoptr (JsonObject) content = json_object_new ();
	PxWebAccountErrors errors;
	guint status = SOUP_STATUS_OK;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_ADMIN))
		return;
	px_web_account_errors_init (&errors, content);
	if (g_str_equal (request->method, "POST")) {
		if (g_strcmp0 (action, "invite") == 0)
			status = px_web_account_users_invite (request, store, content, &errors);
		else if (g_strcmp0 (action, "disable") == 0 || g_strcmp0 (action, "enable") == 0)
			status = px_web_account_users_set_disabled (
			    request, store, content, &errors, g_str_equal (action, "disable"));
		else
			status = SOUP_STATUS_BAD_REQUEST;
	}
	if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR ||
	    (status == SOUP_STATUS_BAD_REQUEST && !px_web_account_errors_any (&errors))) {
		px_web_page_error (request, response, status,
				   px_web_request_gettext (request,
							   "This change could not be made. "
							   "Go back and try again."));
		return;
	}
	px_web_account_users_render (request, store, response, status, content);
}

static void
px_web_account_users_cb (PxServer *server, SoupServerMessage *message, gint64 id,
			 gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	gboolean post = g_str_equal (soup_server_message_get_method (message), "POST");

	if (request != NULL)
		px_web_request_defer (request, message, post, px_web_account_users_work);
}

void
px_web_account_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/login", "GET, HEAD, POST", px_web_account_login_cb, web);
	px_server_add_route (server, "/logout", "POST", px_web_account_logout_cb, web);
	px_server_add_route (server, "/invite", "GET, HEAD, POST", px_web_account_invite_cb, web);
	px_server_add_route (server, "/admin/users", "GET, HEAD, POST", px_web_account_users_cb,
			     web);
}
