/* web-request.h: PxWebRequest, one page request on its way through a pool: what the worker
 * needs of the message, copied on the main context (the message itself stays there), and what
 * px_web_request_begin resolves in the worker: the signed-in user, the language, the forms'
 * CSRF token, which it checks on every POST. */
#pragma once

#include "http/server.h"
#include "store/user.h"
#include "web-private.h"

/* the cookie of the signed-in session (web-account.c sets it, px_web_request_begin reads it) */
#define PX_WEB_SESSION_COOKIE "praxis_session"

typedef struct {
	PxWeb *web;
	char *method;
	char *path;	      /* the path, as requested */
	char *path_and_query; /* the path and the query: where "back" links return */
	gint64 id;	      /* the route's {id}, 0 without one */
	GPtrArray *query;     /* (element-type PxFormPair): the query's parameters */
	GPtrArray *form;     /* (element-type PxFormPair): a POST's urlencoded fields, else empty */
	GHashTable *cookies; /* name -> value */
	char *accept_language; /* (nullable) */
	char *client;	/* the client as every limit counts it (px_web_request_client_key): behind
			 * nginx, from X-Forwarded-For */
	char *base_url; /* the origin of absolute links: [web] base_url or http://HOST */
	gboolean cross_site;  /* Origin or Sec-Fetch-Site says the request comes from elsewhere */
	gboolean csrf_exempt; /* set before px_web_request_begin: the POST carries its own proof */
	char *form_page; /* (nullable): set before: the page a POST's form is on, where a sign-in
			  * sends back to (the path when unset) */
	/* resolved by px_web_request_begin, in the worker */
	PxUser *user;	       /* (nullable): the signed-in user */
	char *session_token;   /* (nullable): the session cookie, when it is valid */
	char *session_csrf;    /* (nullable): the session's CSRF secret */
	GError *session_error; /* (nullable): why the session cookie could not be looked up, when
				* not for being unknown or ended (a busy store, an I/O error) */
	const char *language;  /* "en", "sv"... */
	const PxI18nCatalog *catalog; /* (nullable): NULL for English */
	char *csrf;		      /* the token the forms of this answer carry */
	gint64 form_age;	      /* seconds since the POSTed form was made, -1 when unknown */
} PxWebRequest;

/**
 * px_web_request_new:
 *
 * Copies what the worker needs of @message (main context). Returns: (transfer full): the
 * request, or NULL after answering 400 for a query or form that cannot be decoded
 */
PxWebRequest *px_web_request_new (PxWeb *web, SoupServerMessage *message, gint64 id);
void px_web_request_free (PxWebRequest *request);
/**
 * px_web_request_client_key:
 * @address: (nullable): a client's address as text
 *
 * The client that every per-address limit counts: an IPv4 address as it is, an IPv4 address
 * mapped into IPv6 as the IPv4 address, an IPv6 address by its /64 network ("2001:db8::/64"),
 * which is one machine's or one home's; what is no address stays as it is ("unknown" for NULL).
 * Returns: (transfer full): the key
 */
char *px_web_request_client_key (const char *address);
/* runs @work on a reader (or the writer) with @request, which it frees afterwards */
void px_web_request_defer (PxWebRequest *request, SoupServerMessage *message, gboolean write,
			   PxServerWorkFunc work);
/**
 * px_web_request_begin:
 *
 * Resolves the session and the language, and makes the forms' token. A POST from another site,
 * or without the token of a form this server made for this visitor in the last 12 hours, is
 * answered 403 here. Returns: FALSE when it answered @response
 */
gboolean px_web_request_begin (PxWebRequest *request, PxStore *store, PxResponse *response);
/* for a request without a session cookie, what px_web_request_begin resolves, without the
 * store (the main thread may call it): the language, its catalog and the forms' token.
 * Returns: FALSE, nothing set, when the request carries a session cookie */
gboolean px_web_request_begin_visitor (PxWebRequest *request);
/**
 * px_web_request_check_form:
 *
 * What px_web_request_begin checks of a POST, for a page that set csrf_exempt to check it
 * only in some cases (a sign-out only when there is a session to end): answers 403 unless
 * the form's token is one this server made for this visitor in the last 12 hours and the
 * request comes from this site. Returns: FALSE when it answered @response
 */
gboolean px_web_request_check_form (PxWebRequest *request, PxResponse *response);
/**
 * px_web_request_make_login_token:
 *
 * The sign-in form's token, which no session can bind (there is none yet): bound to a random
 * value in a cookie of its own (praxis_login: HttpOnly, SameSite=Lax, 12 hours), which it sets
 * on @response (the request's own value kept). Returns: (transfer full): the token
 */
char *px_web_request_make_login_token (const PxWebRequest *request, PxResponse *response);
/**
 * px_web_request_check_login_form:
 *
 * px_web_request_check_form for the sign-in form (its page sets csrf_exempt): answers 403
 * unless the form's token was made for the request's praxis_login cookie in the last 12 hours
 * and the request comes from this site; a sign-in without the cookie is refused even when the
 * browser says nothing of where it comes from. Returns: FALSE when it answered @response
 */
gboolean px_web_request_check_login_form (PxWebRequest *request, PxResponse *response);
/**
 * px_web_request_require:
 *
 * A page for signed-in users with @role (an admin may do what a partner may): a visitor is
 * sent to /login (303, and back here afterwards; a POST, whose session ended, back to its
 * form's page with session_ended=1, and the dead session cookie removed), another role gets
 * 403; when the session could not be looked up (session_error) it is the error page, 503, and
 * the cookie stays, as the session may well be alive. Returns: FALSE when it answered @response
 */
gboolean px_web_request_require (PxWebRequest *request, PxResponse *response, PxRole role);
/* answers the error page (503) when the session cookie could not be looked up (session_error);
 * Returns: TRUE when it answered @response */
gboolean px_web_request_fail_session (PxWebRequest *request, PxResponse *response);
/**
 * px_web_request_begin_signed_in:
 *
 * px_web_request_begin then px_web_request_require, for the pages of signed-in users: a POST's
 * form is checked only once there is a user (a form whose session ended is sent to sign in,
 * not refused as expired). Returns: FALSE when it answered @response
 */
gboolean px_web_request_begin_signed_in (PxWebRequest *request, PxStore *store,
					 PxResponse *response, PxRole role);
/* Returns: (transfer none) (nullable): the first value of query parameter @name */
const char *px_web_request_param (const PxWebRequest *request, const char *name);
/* Returns: (transfer none) (nullable): the first value of form field @name */
const char *px_web_request_field (const PxWebRequest *request, const char *name);
/* Returns: (transfer full): every value of form field @name, NULL-terminated */
GStrv px_web_request_fields (const PxWebRequest *request, const char *name);
/* Returns: (transfer none): @msgid in the request's language */
const char *px_web_request_gettext (const PxWebRequest *request, const char *msgid)
    G_GNUC_FORMAT (2);
const char *px_web_request_ngettext (const PxWebRequest *request, const char *singular,
				     const char *plural, gulong n) G_GNUC_FORMAT (2)
    G_GNUC_FORMAT (3);
/* marks a literal that is looked up later with px_web_request_gettext, so that
 * tests/web/check-po.py finds it */
#define N_(text) (text)
/* Returns: (transfer full): the absolute URL of @path ("/practices/3") */
char *px_web_request_url (const PxWebRequest *request, const char *path);
/* Returns: TRUE when @path is a path of this site ("/x?y"), safe to send a visitor back to */
gboolean px_web_request_is_local_path (const char *path);
/**
 * px_web_request_set_cookie:
 * @value: (nullable): NULL removes the cookie
 * @max_age: seconds; 0 for a cookie of the browser's session
 *
 * Adds a Set-Cookie: HttpOnly, SameSite=Lax, Path=/; when the site is https, Secure and named
 * __Host-@name (px_web_request_new reads only such cookies then, by their bare names).
 */
void px_web_request_set_cookie (const PxWebRequest *request, PxResponse *response, const char *name,
				const char *value, gint64 max_age);
