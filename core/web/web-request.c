/* web-request.c: PxWebRequest: the message's parts copied on the main context; the session,
 * the language and the forms' token resolved in the worker. A form's token is
 * "SECONDS.MAC": when the form was made and crypto_auth over that time and the session's CSRF
 * secret ("-" for a visitor), with a key new at each start; it also tells how long a visitor
 * took to fill the form in. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "store/secret.h"
#include "store/session.h"
#include "util/error.h"
#include "util/form.h"
#include "web-page.h"
#include "web-request.h"

#define PX_WEB_LANGUAGE_COOKIE "praxis_lang"
#define PX_WEB_FORM_SECONDS (12 * 3600)
/* the sign-in form's cookie: a random value its token is bound to, for a visitor who has no
 * session yet; as long as the form's token lives, so that a sign-in page left open is sent */
#define PX_WEB_LOGIN_COOKIE "praxis_login"
#define PX_WEB_LOGIN_COOKIE_SECONDS PX_WEB_FORM_SECONDS

void
px_web_request_free (PxWebRequest *request)
{
	if (request == NULL)
		return;
	g_free (request->method);
	g_free (request->path);
	g_free (request->path_and_query);
	g_clear_pointer (&request->query, g_ptr_array_unref);
	g_clear_pointer (&request->form, g_ptr_array_unref);
	g_clear_pointer (&request->cookies, g_hash_table_unref);
	g_free (request->accept_language);
	g_free (request->client);
	g_free (request->base_url);
	px_user_free (request->user);
	g_free (request->session_token);
	g_free (request->session_csrf);
	g_clear_error (&request->session_error);
	g_free (request->csrf);
	g_free (request->form_page);
	g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebRequest, px_web_request_free)

/* a site behind TLS names its cookies __Host-NAME: a browser takes such a cookie only from the
 * site itself (Secure, Path=/, no Domain), so a sibling subdomain or a plain-HTTP answer cannot
 * plant one */
#define PX_WEB_COOKIE_PREFIX "__Host-"

static gboolean
px_web_request_is_secure (const char *base_url)
{
	return g_str_has_prefix (base_url, "https:");
}

/* the pieces of a Cookie header read: more than a browser keeps for a site (about 180), so that
 * cookies a sibling domain sets cannot push this site's past the end */
#define PX_WEB_COOKIES_MAX 512

/* the Cookie header's name=value pairs, a name seen twice keeping its first value; on a secure
 * site only the __Host- ones, under their names without it (the others anyone could set) */
static GHashTable *
px_web_request_cookies (SoupMessageHeaders *headers, gboolean secure)
{
	GHashTable *cookies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	const char *header = soup_message_headers_get_list (headers, "Cookie");
	g_auto (GStrv) pairs = header != NULL ? g_strsplit (header, ";", PX_WEB_COOKIES_MAX) : NULL;

	for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++) {
		char *pair = g_strstrip (pairs[i]);
		char *equals = strchr (pair, '=');

		if (equals == NULL)
			continue;
		*equals = '\0';
		if (secure && !g_str_has_prefix (pair, PX_WEB_COOKIE_PREFIX))
			continue;
		if (secure)
			pair += strlen (PX_WEB_COOKIE_PREFIX);
		if (g_hash_table_contains (cookies, pair))
			continue;
		if (g_utf8_validate (equals + 1, -1, NULL))
			g_hash_table_insert (cookies, g_strdup (pair), g_strdup (equals + 1));
	}
	return cookies;
}

char *
px_web_request_client_key (const char *address)
{
	static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	g_autoptr (GInetAddress) parsed =
	    address != NULL ? g_inet_address_new_from_string (address) : NULL;
	g_autoptr (GInetAddress) network = NULL;
	g_autofree char *text = NULL;
	guint8 bytes[16];

	if (parsed == NULL)
		return g_strdup (address != NULL ? address : "unknown");
	if (g_inet_address_get_family (parsed) != G_SOCKET_FAMILY_IPV6)
		return g_inet_address_to_string (parsed);
	memcpy (bytes, g_inet_address_to_bytes (parsed), sizeof bytes);
	if (memcmp (bytes, mapped, sizeof mapped) == 0) {
		network = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
		return g_inet_address_to_string (network);
	}
	/* the other half of an IPv6 address is each machine's to choose at will */
	memset (bytes + 8, 0, 8);
	network = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
	text = g_inet_address_to_string (network);
	return g_strconcat (text, "/64", NULL);
}

/* behind nginx (a loopback peer) the client is its X-Forwarded-For, which nginx sets; the
 * address as the limits count it */
static char *
px_web_request_client (SoupServerMessage *message)
{
	GInetAddress *address = NULL;
	GSocketAddress *remote = soup_server_message_get_remote_address (message);
	const char *forwarded = soup_message_headers_get_one (
	    soup_server_message_get_request_headers (message), "X-Forwarded-For");
	g_autofree char *text = NULL;

	if (G_IS_INET_SOCKET_ADDRESS (remote))
		address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
	if (address != NULL && g_inet_address_get_is_loopback (address) && forwarded != NULL &&
	    strlen (forwarded) < 64 && strchr (forwarded, ',') == NULL)
		text = g_strstrip (g_strdup (forwarded));
	else if (address != NULL)
		text = g_inet_address_to_string (address);
	return px_web_request_client_key (text);
}

/* a Host header made only of a host name or address and a port */
static gboolean
px_web_request_host_is_plain (const char *host)
{
	if (host == NULL || *host == '\0' || strlen (host) > 255)
		return FALSE;
	for (const char *p = host; *p != '\0'; p++) {
		if (!g_ascii_isalnum (*p) && strchr (".-:[]", *p) == NULL)
			return FALSE;
	}
	return TRUE;
}

static char *
px_web_request_base_url (PxWeb *web, SoupMessageHeaders *headers)
{
	const char *host = soup_message_headers_get_one (headers, "Host");

	if (web->config->web_base_url != NULL)
		return g_strdup (web->config->web_base_url);
	return g_strdup_printf ("http://%s",
				px_web_request_host_is_plain (host) ? host : "localhost");
}

/* Sec-Fetch-Site cross-site, or an Origin that is not the site's: @base_url's scheme, host
 * and port */
static gboolean
px_web_request_is_cross_site (SoupMessageHeaders *headers, const char *base_url)
{
	const char *site = soup_message_headers_get_one (headers, "Sec-Fetch-Site");
	const char *origin = soup_message_headers_get_one (headers, "Origin");
	const char *host = strstr (base_url, "://") + 3;
	gsize length = (host - base_url) + strcspn (host, "/");

	if (site != NULL && strcmp (site, "same-origin") != 0 && strcmp (site, "none") != 0)
		return TRUE;
	return origin != NULL &&
	       (strlen (origin) != length || strncmp (origin, base_url, length) != 0);
}

static GPtrArray *
px_web_request_body_form (SoupServerMessage *message, GError **error)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
	const char *type = soup_message_headers_get_content_type (headers, NULL);
	g_autoptr (GBytes) body = NULL;
	g_autofree char *text = NULL;

	if (strcmp (soup_server_message_get_method (message), "POST") != 0)
		return px_form_pairs_new ();
	if (type == NULL || g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") != 0) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "a form is sent as application/x-www-form-urlencoded");
		return NULL;
	}
	body = soup_message_body_flatten (soup_server_message_get_request_body (message));
	text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
	if (strlen (text) != g_bytes_get_size (body)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "the form holds a NUL byte");
		return NULL;
	}
	return px_form_decode (text, error);
}

PxWebRequest *
px_web_request_new (PxWeb *web, SoupServerMessage *message, gint64 id)
{
	GUri *uri = soup_server_message_get_uri (message);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
	const char *query = g_uri_get_query (uri);
	g_autoptr (PxWebRequest) request = g_new0 (PxWebRequest, 1);
	g_autoptr (GError) error = NULL;

	request->web = web;
	request->id = id;
	request->method = g_strdup (soup_server_message_get_method (message));
	request->path = g_strdup (g_uri_get_path (uri));
	request->path_and_query = query != NULL ? g_strdup_printf ("%s?%s", request->path, query)
						: g_strdup (request->path);
	request->form_age = -1;
	request->query = px_form_decode (query, &error);
	if (request->query != NULL)
		request->form = px_web_request_body_form (message, &error);
	if (request->query == NULL || request->form == NULL) {
		px_web_page_respond_plain (message, SOUP_STATUS_BAD_REQUEST, error->message);
		return NULL;
	}
	request->base_url = px_web_request_base_url (web, headers);
	request->cookies =
	    px_web_request_cookies (headers, px_web_request_is_secure (request->base_url));
	request->accept_language =
	    g_strdup (soup_message_headers_get_one (headers, "Accept-Language"));
	request->client = px_web_request_client (message);
	request->cross_site = px_web_request_is_cross_site (headers, request->base_url);
	return g_steal_pointer (&request);
}

void
px_web_request_defer (PxWebRequest *request, SoupServerMessage *message, gboolean write,
		      PxServerWorkFunc work)
{
	px_server_defer (request->web->server, message, write, work, request,
			 (GDestroyNotify)px_web_request_free);
}

/* Returns: (transfer full): the token of a form made now for @bind */
static char *
px_web_request_make_token (const PxWeb *web, gint64 seconds, const char *bind)
{
	g_autofree char *signed_text = g_strdup_printf ("%" G_GINT64_FORMAT "|%s", seconds, bind);
	guchar mac[crypto_auth_BYTES];
	char encoded[sodium_base64_ENCODED_LEN (crypto_auth_BYTES,
						sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	crypto_auth (mac, (const guchar *)signed_text, strlen (signed_text), web->form_key);
	sodium_bin2base64 (encoded, sizeof encoded, mac, sizeof mac,
			   sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return g_strdup_printf ("%" G_GINT64_FORMAT ".%s", seconds, encoded);
}

/* Returns: the form's age in seconds, or -1 when @token is not one this server made for @bind
 * in the last 12 hours */
static gint64
px_web_request_check_token (const PxWeb *web, const char *token, const char *bind)
{
	const char *dot = token != NULL ? strchr (token, '.') : NULL;
	gint64 now = g_get_real_time () / G_USEC_PER_SEC;
	g_autofree char *digits = NULL;
	g_autofree char *expected = NULL;
	gint64 seconds;

	if (dot == NULL || dot - token > 12 || strlen (token) > 128)
		return -1;
	digits = g_strndup (token, dot - token);
	if (!g_ascii_string_to_signed (digits, 10, 0, G_MAXINT64, &seconds, NULL) ||
	    seconds > now + 60 || now - seconds > PX_WEB_FORM_SECONDS)
		return -1;
	expected = px_web_request_make_token (web, seconds, bind);
	if (strlen (expected) != strlen (token) ||
	    sodium_memcmp (expected, token, strlen (token)) != 0)
		return -1;
	return MAX (now - seconds, 0);
}

static void
px_web_request_resolve_session (PxWebRequest *request, PxStore *store)
{
	const char *token = g_hash_table_lookup (request->cookies, PX_WEB_SESSION_COOKIE);
	g_autoptr (GError) error = NULL;

	if (token == NULL || strlen (token) > 128)
		return;
	request->user = px_session_lookup (store, token, &request->session_csrf, &error);
	if (request->user != NULL) {
		request->session_token = g_strdup (token);
		return;
	}
	/* only a session the store says is unknown or ended is one to forget */
	if (g_error_matches (error, PX_ERROR, PX_ERROR_UNAUTHORIZED) ||
	    g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND))
		return;
	g_warning ("session not read: %s", error->message);
	request->session_error = g_steal_pointer (&error);
}

/* the forms' tokens are bound to the session's CSRF secret, or to "-" for a visitor */
static const char *
px_web_request_bind (const PxWebRequest *request)
{
	return request->session_csrf != NULL ? request->session_csrf : "-";
}

/* the language of the answer, its catalog, and the token its forms carry (made now) */
static void
px_web_request_choose (PxWebRequest *request)
{
	PxWeb *web = request->web;

	request->language = px_i18n_choose (
	    web->i18n, g_hash_table_lookup (request->cookies, PX_WEB_LANGUAGE_COOKIE),
	    request->accept_language);
	request->catalog = px_i18n_get_catalog (web->i18n, request->language);
	g_free (request->csrf);
	request->csrf = px_web_request_make_token (web, g_get_real_time () / G_USEC_PER_SEC,
						   px_web_request_bind (request));
}

gboolean
px_web_request_begin_visitor (PxWebRequest *request)
{
	if (g_hash_table_contains (request->cookies, PX_WEB_SESSION_COOKIE))
		return FALSE;
	px_web_request_choose (request);
	return TRUE;
}

gboolean
px_web_request_begin (PxWebRequest *request, PxStore *store, PxResponse *response)
{
	px_web_request_resolve_session (request, store);
	px_web_request_choose (request);
	if (strcmp (request->method, "POST") != 0 || request->csrf_exempt)
		return TRUE;
	return px_web_request_check_form (request, response);
}

/* answers 403 unless the POSTed form's token is one made for @bind and the request comes from
 * this site; Returns: FALSE when it answered */
static gboolean
px_web_request_check_bound_form (PxWebRequest *request, PxResponse *response, const char *bind,
				 const char *message)
{
	request->form_age =
	    bind != NULL ? px_web_request_check_token (request->web,
						       px_web_request_field (request, "csrf"), bind)
			 : -1;
	if (request->cross_site || request->form_age < 0) {
		px_web_page_error (request, response, SOUP_STATUS_FORBIDDEN, message);
		return FALSE;
	}
	return TRUE;
}

static const char *
px_web_request_expired_text (const PxWebRequest *request)
{
	return px_web_request_gettext (request,
				       "This form has expired or did not come from this site. "
				       "Go back, reload the page and send it again.");
}

gboolean
px_web_request_check_form (PxWebRequest *request, PxResponse *response)
{
	return px_web_request_check_bound_form (request, response, px_web_request_bind (request),
						px_web_request_expired_text (request));
}

/* Returns: (nullable): the request's sign-in cookie, when it is one this server could have set
 * (43 URL-safe base64 characters) */
static const char *
px_web_request_login_cookie (const PxWebRequest *request)
{
	const char *value = g_hash_table_lookup (request->cookies, PX_WEB_LOGIN_COOKIE);

	if (value == NULL || strlen (value) != 43)
		return NULL;
	for (const char *p = value; *p != '\0'; p++) {
		if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
			return NULL;
	}
	return value;
}

/* Returns: (transfer full): what the sign-in form's token is bound to: its @cookie */
static char *
px_web_request_login_bind (const char *cookie)
{
	return g_strconcat ("login ", cookie, NULL);
}

char *
px_web_request_make_login_token (const PxWebRequest *request, PxResponse *response)
{
	g_autofree char *cookie = g_strdup (px_web_request_login_cookie (request));
	g_autofree char *bind = NULL;

	if (cookie == NULL)
		cookie = px_secret_new_token ();
	px_web_request_set_cookie (request, response, PX_WEB_LOGIN_COOKIE, cookie,
				   PX_WEB_LOGIN_COOKIE_SECONDS);
	bind = px_web_request_login_bind (cookie);
	return px_web_request_make_token (request->web, g_get_real_time () / G_USEC_PER_SEC, bind);
}

gboolean
px_web_request_check_login_form (PxWebRequest *request, PxResponse *response)
{
	const char *cookie = px_web_request_login_cookie (request);
	g_autofree char *bind = cookie != NULL ? px_web_request_login_bind (cookie) : NULL;

	/* without its cookie the form cannot be told from one another site made the browser send
	 * (a sign-in into the other site's account), whatever Origin says or leaves out */
	if (cookie == NULL && !request->cross_site)
		return px_web_request_check_bound_form (
		    request, response, NULL,
		    px_web_request_gettext (request,
					    "Signing in needs a cookie of this site, which "
					    "your browser did not send. Allow cookies for "
					    "this site, reload the page and sign in again."));
	return px_web_request_check_bound_form (request, response, bind,
						px_web_request_expired_text (request));
}

gboolean
px_web_request_fail_session (PxWebRequest *request, PxResponse *response)
{
	const GError *error = request->session_error;

	if (request->user != NULL || error == NULL)
		return FALSE;
	if (g_error_matches (error, PX_ERROR, PX_ERROR_BUSY) ||
	    g_error_matches (error, PX_ERROR, PX_ERROR_TIMEOUT)) {
		px_web_page_error_from (request, response, error);
		return TRUE;
	}
	px_web_page_error (request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
			   px_web_request_gettext (
			       request, "Something went wrong on the server. Try again later."));
	return TRUE;
}

gboolean
px_web_request_require (PxWebRequest *request, PxResponse *response, PxRole role)
{
	gboolean post = strcmp (request->method, "POST") == 0;
	g_autofree char *back = NULL;

	/* a session that could not be looked up is not one that ended: neither its cookie
	 * removed nor a sign-in asked */
	if (px_web_request_fail_session (request, response))
		return FALSE;
	if (request->user == NULL) {
		/* a form sent after its session ended goes back to the page it was on once signed
		 * in again (the sign-in page says what was not saved) */
		back = g_uri_escape_string (
		    post ? (request->form_page != NULL ? request->form_page : request->path)
			 : request->path_and_query,
		    NULL, FALSE);
		px_web_page_redirect (response, "/login?back=%s%s", back,
				      post ? "&session_ended=1" : "");
		if (g_hash_table_contains (request->cookies, PX_WEB_SESSION_COOKIE))
			px_web_request_set_cookie (request, response, PX_WEB_SESSION_COOKIE, NULL,
						   0);
		return FALSE;
	}
	if (role == PX_ROLE_ADMIN && request->user->role != PX_ROLE_ADMIN) {
		px_web_page_error (
		    request, response, SOUP_STATUS_FORBIDDEN,
		    px_web_request_gettext (request, "Only moderators can open this page."));
		return FALSE;
	}
	return TRUE;
}

gboolean
px_web_request_begin_signed_in (PxWebRequest *request, PxStore *store, PxResponse *response,
				PxRole role)
{
	gboolean exempt = request->csrf_exempt;

	/* a POST without a live session changes nothing: it is sent to sign in, not refused as a
	 * form that expired (its token was made for the session that ended) */
	request->csrf_exempt = TRUE;
	if (!px_web_request_begin (request, store, response) ||
	    !px_web_request_require (request, response, role))
		return FALSE;
	if (strcmp (request->method, "POST") != 0 || exempt)
		return TRUE;
	return px_web_request_check_form (request, response);
}

static const char *
px_web_request_first (GPtrArray *pairs, const char *name)
{
	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (strcmp (pair->name, name) == 0)
			return pair->value;
	}
	return NULL;
}

const char *
px_web_request_param (const PxWebRequest *request, const char *name)
{
	return px_web_request_first (request->query, name);
}

const char *
px_web_request_field (const PxWebRequest *request, const char *name)
{
	return px_web_request_first (request->form, name);
}

GStrv
px_web_request_fields (const PxWebRequest *request, const char *name)
{
	g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

	for (guint i = 0; i < request->form->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (request->form, i);

		if (strcmp (pair->name, name) == 0)
			g_strv_builder_add (builder, pair->value);
	}
	return g_strv_builder_end (builder);
}

const char *
px_web_request_gettext (const PxWebRequest *request, const char *msgid)
{
	return px_i18n_catalog_gettext (request->catalog, msgid);
}

const char *
px_web_request_ngettext (const PxWebRequest *request, const char *singular, const char *plural,
			 gulong n)
{
	return px_i18n_catalog_ngettext (request->catalog, singular, plural, n);
}

char *
px_web_request_url (const PxWebRequest *request, const char *path)
{
	return g_strconcat (request->base_url, path, NULL);
}

gboolean
px_web_request_is_local_path (const char *path)
{
	if (path == NULL || path[0] != '/' || path[1] == '/' || strlen (path) >= 2048)
		return FALSE;
	/* a browser drops tabs and line ends inside a URL ("/\t/evil.example" is
	 * "//evil.example", another site), and a backslash may be a slash */
	for (const char *p = path; *p != '\0'; p++) {
		if (g_ascii_iscntrl (*p) || *p == '\\')
			return FALSE;
	}
	return TRUE;
}

void
px_web_request_set_cookie (const PxWebRequest *request, PxResponse *response, const char *name,
			   const char *value, gint64 max_age)
{
	gboolean secure = px_web_request_is_secure (request->base_url);
	g_autoptr (GString) cookie = g_string_new (secure ? PX_WEB_COOKIE_PREFIX : "");

	g_string_append_printf (cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name,
				value != NULL ? value : "");
	if (value == NULL)
		g_string_append (cookie, "; Max-Age=0");
	else if (max_age > 0)
		g_string_append_printf (cookie, "; Max-Age=%" G_GINT64_FORMAT, max_age);
	if (secure)
		g_string_append (cookie, "; Secure");
	px_response_add_header (response, "Set-Cookie", cookie->str);
}
