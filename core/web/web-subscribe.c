/* web-subscribe.c: e-mail subscriptions to a search, the visitor's pages: GET /subscribe?SEARCH
 * (the form for the search its query carries), POST /subscribe (email, frequency, and search:
 * the search's query string, or else the search's own parameters as fields; a honeypot, a
 * minimum fill time and a limit per client address), GET /subscriptions/confirm?token= (the
 * confirmation's link: a Confirm button, since mail scanners open links; the POST confirms, the
 * token its proof), GET /unsubscribe?token= (a button) and POST /unsubscribe?token= (RFC
 * 8058's one-click: the token is the authority, no session or form token, any body). The rules
 * are subscriptions/'s; this module only asks and shows. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "subscriptions/digest.h"
#include "subscriptions/subscribe.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "util/form.h"
#include "web-page.h"
#include "web-private.h"
#include "web-request.h"

/* the least time a person takes to fill the form in, in seconds */
#define PX_WEB_SUBSCRIBE_MIN_SECONDS 3
/* libsoup 3.2 has no name for it */
#define PX_WEB_SUBSCRIBE_TOO_MANY_REQUESTS 429

/* the search of a subscription in words: "criteria" (label and value each), or
 * "every_practice" for the empty search */
static void
px_web_subscribe_add_criteria (const PxWebRequest *request, JsonObject *content,
			       const PxSearchRequest *search)
{
	JsonArray *criteria = json_array_new ();
	const PxFilters *filters = &search->filters;
	const char *labels[PX_FACET_YEAR] = {
	    [PX_FACET_COUNTRY] = px_web_request_gettext (request, "Country"),
	    [PX_FACET_CITY] = px_web_request_gettext (request, "City"),
	    [PX_FACET_FOCUS] = px_web_request_gettext (request, "Focus area"),
	    [PX_FACET_THEME] = px_web_request_gettext (request, "Theme"),
	    [PX_FACET_PROJECT] = px_web_request_gettext (request, "Project"),
	    [PX_FACET_LANGUAGE] = px_web_request_gettext (request, "Language"),
	};
	g_autofree char *years = NULL;

	if (search->q != NULL) {
		JsonObject *item = json_object_new ();

		json_object_set_string_member (item, "label",
					       px_web_request_gettext (request, "Words"));
		json_object_set_string_member (item, "value", search->q);
		json_array_add_object_element (criteria, item);
	}
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = filters->values[f];
		g_autoptr (GString) joined = g_string_new (NULL);
		JsonObject *item;

		if (values == NULL || values->len == 0)
			continue;
		for (guint v = 0; v < values->len; v++)
			g_string_append_printf (joined, "%s%s", v > 0 ? ", " : "",
						(const char *)g_ptr_array_index (values, v));
		item = json_object_new ();
		json_object_set_string_member (item, "label", labels[f]);
		json_object_set_string_member (item, "value", joined->str);
		json_array_add_object_element (criteria, item);
	}
	if (filters->year_from != 0 || filters->year_to != 0) {
		JsonObject *item = json_object_new ();

		if (filters->year_to == 0)
			years = g_strdup_printf (px_web_request_gettext (request, "from %d"),
						 filters->year_from);
		else if (filters->year_from == 0)
			years = g_strdup_printf (px_web_request_gettext (request, "until %d"),
						 filters->year_to);
		else
			years = g_strdup_printf ("%d–%d", filters->year_from, filters->year_to);
		json_object_set_string_member (item, "label",
					       px_web_request_gettext (request, "Years"));
		json_object_set_string_member (item, "value", years);
		json_array_add_object_element (criteria, item);
	}
	json_object_set_boolean_member (content, "every_practice",
					json_array_get_length (criteria) == 0);
	json_object_set_array_member (content, "criteria", criteria);
}

/* Returns: how often @frequency sends, in the request's language */
static const char *
px_web_subscribe_frequency_text (const PxWebRequest *request, PxSubscriptionFrequency frequency)
{
	switch (frequency) {
	case PX_SUBSCRIPTION_DAILY:
		return px_web_request_gettext (request, "Once a day, when there is something new");
	case PX_SUBSCRIPTION_WEEKLY:
		return px_web_request_gettext (request, "Once a week, when there is something new");
	case PX_SUBSCRIPTION_IMMEDIATE:
	default:
		return px_web_request_gettext (request, "As soon as a practice is published");
	}
}

/* Returns: (transfer full): the search page of @query */
static char *
px_web_subscribe_search_url (const char *query)
{
	return query[0] != '\0' ? g_strdup_printf ("/?%s", query) : g_strdup ("/");
}

/* the form's state: what was typed, and what is wrong with it */
typedef struct {
	const char *email;     /* (nullable) */
	const char *frequency; /* (nullable) */
	JsonArray *errors;     /* (element-type object): field and message each */
	JsonObject *content;
} PxWebSubscribeForm;

static void
px_web_subscribe_form_init (PxWebSubscribeForm *form, JsonObject *content, const char *email,
			    const char *frequency)
{
	form->email = email;
	form->frequency = frequency;
	form->content = content;
	form->errors = json_array_new ();
	json_object_set_array_member (content, "errors", form->errors);
}

static void
px_web_subscribe_form_fail (PxWebSubscribeForm *form, const char *field, const char *message)
{
	JsonObject *item = json_object_new ();
	g_autofree char *member = g_strdup_printf ("%s_error", field);

	json_object_set_string_member (item, "field", field);
	json_object_set_string_member (item, "message", message);
	json_array_add_object_element (form->errors, item);
	json_object_set_string_member (form->content, member, message);
	json_object_set_boolean_member (form->content, "has_errors", TRUE);
}

/* answers @status with the form for @search (with @form's values and errors) */
static void
px_web_subscribe_render_form (PxWebRequest *request, PxResponse *response, guint status,
			      const PxSearchRequest *search, PxWebSubscribeForm *form)
{
	static const PxSubscriptionFrequency frequencies[] = {
	    PX_SUBSCRIPTION_IMMEDIATE, PX_SUBSCRIPTION_DAILY, PX_SUBSCRIPTION_WEEKLY};
	JsonObject *content = form->content;
	JsonArray *choices = json_array_new ();
	g_autofree char *query = px_search_request_to_query (search);
	const char *chosen = form->frequency != NULL ? form->frequency : "daily";

	for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++) {
		JsonObject *choice = json_object_new ();
		const char *value = px_subscription_frequency_to_string (frequencies[i]);

		json_object_set_string_member (choice, "value", value);
		json_object_set_string_member (
		    choice, "label", px_web_subscribe_frequency_text (request, frequencies[i]));
		json_object_set_boolean_member (choice, "checked", g_str_equal (value, chosen));
		json_array_add_object_element (choices, choice);
	}
	json_object_set_array_member (content, "frequencies", choices);
	json_object_set_string_member (content, "search", query);
	if (form->email != NULL)
		json_object_set_string_member (content, "email", form->email);
	px_web_subscribe_add_criteria (request, content, search);
	px_web_page_render (request, response, status, "subscribe",
			    px_web_request_gettext (request, "Subscribe to a search"), content);
}

/* answers with a page saying @heading and @message, and where to go from there */
static void
px_web_subscribe_render_done (PxWebRequest *request, PxResponse *response, guint status,
			      const char *heading, const char *message,
			      const PxSubscription *subscription, gboolean unsubscribe_link)
{
	g_autoptr (JsonObject) content = json_object_new ();

	json_object_set_string_member (content, "heading", heading);
	json_object_set_string_member (content, "message", message);
	if (subscription != NULL) {
		g_autoptr (PxSearchRequest) search =
		    px_digest_parse_query (subscription->query, NULL);
		g_autofree char *search_url = px_web_subscribe_search_url (subscription->query);

		if (search != NULL) {
			json_object_set_boolean_member (content, "show_search", TRUE);
			px_web_subscribe_add_criteria (request, content, search);
		}
		json_object_set_string_member (content, "search_url", search_url);
	}
	if (subscription != NULL && unsubscribe_link) {
		g_autofree char *url =
		    g_strdup_printf ("/unsubscribe?token=%s", subscription->token);

		json_object_set_string_member (content, "unsubscribe_url", url);
	}
	px_web_page_render (request, response, status, "subscribe-done", heading, content);
}

/* Returns: (transfer full) (nullable): the search a POST names: its "search" field (a query
 * string), or else its own fields; NULL after answering 400 */
static PxSearchRequest *
px_web_subscribe_read_search (PxWebRequest *request, PxResponse *response, GPtrArray *pairs)
{
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GPtrArray) decoded = NULL;
	const char *text = px_web_request_field (request, "search");
	PxSearchRequest *search;

	if (text != NULL) {
		decoded = px_form_decode (text, NULL);
		if (decoded == NULL)
			px_field_errors_add (errors, "search", "is not a query string");
		pairs = decoded;
	}
	search = pairs != NULL ? px_search_request_parse (pairs, errors) : NULL;
	if (search == NULL) {
		g_autofree char *why = px_field_errors_to_string (errors);

		px_web_page_error (request, response, SOUP_STATUS_BAD_REQUEST, why);
	}
	return search;
}

/* GET /subscribe?SEARCH: the form */
static void
px_web_subscribe_form_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxSearchRequest) search = NULL;
	PxWebSubscribeForm form;

	if (!px_web_request_begin (request, store, response))
		return;
	search = px_web_subscribe_read_search (request, response, request->query);
	if (search == NULL)
		return;
	px_web_subscribe_form_init (&form, content, NULL, NULL);
	px_web_subscribe_render_form (request, response, SOUP_STATUS_OK, search, &form);
}

/* the reasons not to go on that the visitor can mend; Returns: FALSE after answering */
static gboolean
px_web_subscribe_check (PxWebRequest *request, PxResponse *response, const PxSearchRequest *search,
			PxWebSubscribeForm *form, PxSubscriptionFrequency *frequency)
{
	const char *website = px_web_request_field (request, "website");

	if (website != NULL && website[0] != '\0')
		px_web_subscribe_form_fail (
		    form, "email",
		    px_web_request_gettext (request, "The field that must stay empty was filled "
						     "in. Check the form and send it again."));
	else if (request->form_age < PX_WEB_SUBSCRIBE_MIN_SECONDS)
		px_web_subscribe_form_fail (
		    form, "email",
		    px_web_request_gettext (request, "That was quicker than a person types. Check "
						     "your address and send the form again."));
	else if (form->email == NULL || form->email[0] == '\0')
		px_web_subscribe_form_fail (
		    form, "email", px_web_request_gettext (request, "Enter your e-mail address."));
	else if (!px_subscribe_check_email (form->email, NULL))
		px_web_subscribe_form_fail (
		    form, "email",
		    px_web_request_gettext (request, "Enter an e-mail address such as "
						     "name@example.org."));
	if (!px_subscription_frequency_from_string (form->frequency, frequency))
		px_web_subscribe_form_fail (
		    form, "frequency",
		    px_web_request_gettext (request, "Choose how often we may write."));
	if (json_array_get_length (form->errors) == 0)
		return TRUE;
	px_web_subscribe_render_form (request, response, SOUP_STATUS_UNPROCESSABLE_ENTITY, search,
				      form);
	return FALSE;
}

static void
px_web_subscribe_refuse (PxWebRequest *request, PxResponse *response, guint status,
			 const char *title, const char *message)
{
	g_autoptr (JsonObject) content = json_object_new ();

	json_object_set_int_member (content, "status", status);
	json_object_set_string_member (content, "message", message);
	px_web_page_render (request, response, status, "error", title, content);
}

/* POST /subscribe */
static void
px_web_subscribe_add_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	PxWeb *web = request->web;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxSearchRequest) search = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *email = g_strdup (px_web_request_field (request, "email"));
	g_autofree char *sent = NULL;
	PxSubscriptionFrequency frequency = PX_SUBSCRIPTION_DAILY;
	PxSubscribeOutcome outcome;
	PxWebSubscribeForm form;

	if (!px_web_request_begin (request, store, response))
		return;
	search = px_web_subscribe_read_search (request, response, request->form);
	if (search == NULL)
		return;
	px_web_subscribe_form_init (&form, content, email != NULL ? g_strstrip (email) : NULL,
				    px_web_request_field (request, "frequency"));
	if (!px_web_subscribe_check (request, response, search, &form, &frequency))
		return;
	if (web->config->mail_smtp_url == NULL) {
		px_web_subscribe_refuse (
		    request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
		    px_web_request_gettext (request, "Subscriptions are not available"),
		    px_web_request_gettext (request, "This server sends no e-mail, so it cannot "
						     "take subscriptions. Its Atom feeds give "
						     "the same news."));
		return;
	}
	if (!px_web_limit_allows (web->subscribe_limit, request->client)) {
		px_web_subscribe_refuse (
		    request, response, PX_WEB_SUBSCRIBE_TOO_MANY_REQUESTS,
		    px_web_request_gettext (request, "Too many subscriptions"),
		    px_web_request_gettext (request, "Many subscriptions came from your address in "
						     "the last hour. Try again later."));
		return;
	}
	/* its mails speak the page's language */
	if (!px_subscribe_add (store, web->config, form.email, search, frequency, request->catalog,
			       NULL, NULL, &outcome, &error)) {
		g_warning ("subscription not added: %s", error->message);
		px_web_page_error (
		    request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
		    px_web_request_gettext (request, "The subscription could not be saved. Try "
						     "again later."));
		return;
	}
	px_web_limit_add (web->subscribe_limit, request->client);
	/* the same answer whatever the address has already: nobody learns another's
	 * subscriptions by asking */
	sent = g_strdup_printf (
	    px_web_request_gettext (request, "We are sending a message to %s. Open the link in it "
					     "to confirm the subscription: nothing else is sent "
					     "before you do. If it does not come, check the "
					     "address and your spam folder."),
	    form.email);
	px_web_subscribe_render_done (request, response, SOUP_STATUS_OK,
				      px_web_request_gettext (request, "Check your inbox"), sent,
				      NULL, FALSE);
}

/* the page of a confirmation link unknown or expired */
static void
px_web_subscribe_confirm_unknown (PxWebRequest *request, PxResponse *response)
{
	px_web_page_error (request, response, SOUP_STATUS_NOT_FOUND,
			   px_web_request_gettext (request,
						   "This confirmation link is unknown or has "
						   "expired. Subscribe again from the search "
						   "page."));
}

static void
px_web_subscribe_render_confirmed (PxWebRequest *request, PxResponse *response,
				   const PxSubscription *subscription)
{
	g_autofree char *message = g_strdup_printf (
	    px_web_request_gettext (request,
				    "New practices of this search will come to %s. How often: %s."),
	    subscription->email,
	    px_web_subscribe_frequency_text (request, subscription->frequency));

	px_web_subscribe_render_done (request, response, SOUP_STATUS_OK,
				      px_web_request_gettext (request, "You are subscribed"),
				      message, subscription, TRUE);
}

/* GET /subscriptions/confirm?token=: what would be confirmed, and the button that does it
 * (mail scanners open a mail's links: a GET changes nothing) */
static void
px_web_subscribe_confirm_ask_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *token = px_web_request_param (request, "token");
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (PxSearchRequest) search = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *escaped = NULL;
	g_autofree char *action = NULL;
	g_autofree char *to = NULL;

	if (!px_web_request_begin (request, store, response))
		return;
	subscription = px_subscribe_get (store, token, &error);
	if (g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
		px_web_subscribe_confirm_unknown (request, response);
		return;
	}
	if (subscription == NULL) {
		g_warning ("subscription not read: %s", error->message);
		px_web_page_error (
		    request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
		    px_web_request_gettext (request, "The subscription could not be confirmed. Try "
						     "the link again later."));
		return;
	}
	if (subscription->confirmed_at != NULL) {
		px_web_subscribe_render_confirmed (request, response, subscription);
		return;
	}
	search = px_digest_parse_query (subscription->query, NULL);
	if (search != NULL)
		px_web_subscribe_add_criteria (request, content, search);
	escaped = g_uri_escape_string (token, NULL, FALSE);
	action = g_strdup_printf ("/subscriptions/confirm?token=%s", escaped);
	to = g_strdup_printf (
	    px_web_request_gettext (request, "Confirm, and new practices of this search will come "
					     "to %s. How often: %s."),
	    subscription->email,
	    px_web_subscribe_frequency_text (request, subscription->frequency));
	json_object_set_string_member (content, "action", action);
	json_object_set_string_member (content, "to_text", to);
	px_web_page_render (request, response, SOUP_STATUS_OK, "subscription-confirm",
			    px_web_request_gettext (request, "Confirm your subscription"), content);
}

/* POST /subscriptions/confirm?token=: the button */
static void
px_web_subscribe_confirm_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *token = px_web_request_param (request, "token");
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin (request, store, response))
		return;
	subscription = px_subscribe_confirm (
	    store, token != NULL ? token : px_web_request_field (request, "token"), &error);
	if (g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
		px_web_subscribe_confirm_unknown (request, response);
		return;
	}
	if (subscription == NULL) {
		g_warning ("subscription not confirmed: %s", error->message);
		px_web_page_error (
		    request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
		    px_web_request_gettext (request, "The subscription could not be confirmed. Try "
						     "the link again later."));
		return;
	}
	px_web_subscribe_render_confirmed (request, response, subscription);
}

static void
px_web_subscribe_unknown (PxWebRequest *request, PxResponse *response)
{
	px_web_page_error (request, response, SOUP_STATUS_NOT_FOUND,
			   px_web_request_gettext (request, "No subscription has this link: it "
							    "may have been unsubscribed already."));
}

/* GET /unsubscribe?token=: what would end, and the button that ends it */
static void
px_web_subscribe_ask_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (PxSearchRequest) search = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *action = NULL;
	g_autofree char *to = NULL;
	g_autofree char *escaped = NULL;
	const char *token = px_web_request_param (request, "token");

	if (!px_web_request_begin (request, store, response))
		return;
	if (token != NULL && strlen (token) <= 64)
		subscription = px_subscription_get_by_token (store, token, &error);
	if (subscription == NULL) {
		px_web_subscribe_unknown (request, response);
		return;
	}
	search = px_digest_parse_query (subscription->query, NULL);
	if (search != NULL)
		px_web_subscribe_add_criteria (request, content, search);
	escaped = g_uri_escape_string (token, NULL, FALSE);
	action = g_strdup_printf ("/unsubscribe?token=%s", escaped);
	to = g_strdup_printf (
	    px_web_request_gettext (request, "The messages about this search go to %s."),
	    subscription->email);
	json_object_set_string_member (content, "action", action);
	json_object_set_string_member (content, "to_text", to);
	px_web_page_render (request, response, SOUP_STATUS_OK, "unsubscribe",
			    px_web_request_gettext (request, "Unsubscribe"), content);
}

/* POST /unsubscribe?token= with a form body: the button, or a mail reader's one-click */
static void
px_web_subscribe_remove_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (GError) error = NULL;
	const char *token = px_web_request_param (request, "token");

	if (!px_web_request_begin (request, store, response))
		return;
	subscription = px_subscribe_remove (
	    store, token != NULL ? token : px_web_request_field (request, "token"), &error);
	if (g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
		px_web_subscribe_unknown (request, response);
		return;
	}
	if (subscription == NULL) {
		g_warning ("subscription not removed: %s", error->message);
		px_web_page_error (request, response, SOUP_STATUS_SERVICE_UNAVAILABLE,
				   px_web_request_gettext (request, "Unsubscribing failed. Try "
								    "again later."));
		return;
	}
	px_web_subscribe_render_done (
	    request, response, SOUP_STATUS_OK,
	    px_web_request_gettext (request, "You are unsubscribed"),
	    px_web_request_gettext (request, "No more messages about this search will come."),
	    subscription, FALSE);
}

/* the one-click POST of a mail reader whose body is not a urlencoded form (RFC 8058 prefers
 * multipart/form-data): the body is never read, the token is in the URL; a plain answer */
static void
px_web_subscribe_one_click_work (gpointer data, PxStore *store, PxResponse *response)
{
	const char *token = data;
	g_autoptr (PxSubscription) subscription = NULL;
	g_autoptr (GError) error = NULL;

	subscription = px_subscribe_remove (store, token, &error);
	if (subscription != NULL)
		px_web_page_respond_text (response, SOUP_STATUS_OK, "You are unsubscribed.");
	else if (g_error_matches (error, PX_ERROR, PX_ERROR_NOT_FOUND))
		px_web_page_respond_text (response, SOUP_STATUS_NOT_FOUND,
					  "No subscription has this link.");
	else
		px_web_page_respond_text (response, SOUP_STATUS_SERVICE_UNAVAILABLE,
					  "Unsubscribing failed. Try again later.");
}

/* Returns: TRUE when @message's body is a urlencoded form (or a POST without one) */
static gboolean
px_web_subscribe_is_form (SoupServerMessage *message)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
	const char *type = soup_message_headers_get_content_type (headers, NULL);

	return type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0;
}

/* Returns: (transfer full) (nullable): the token of @message's query */
static char *
px_web_subscribe_query_token (SoupServerMessage *message)
{
	g_autoptr (GPtrArray) pairs =
	    px_form_decode (g_uri_get_query (soup_server_message_get_uri (message)), NULL);

	for (guint i = 0; pairs != NULL && i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (g_str_equal (pair->name, "token"))
			return g_strdup (pair->value);
	}
	return NULL;
}

static void
px_web_subscribe_unsubscribe_cb (PxServer *server, SoupServerMessage *message, gint64 id,
				 gpointer user_data)
{
	PxWeb *web = user_data;
	gboolean post = g_str_equal (soup_server_message_get_method (message), "POST");
	PxWebRequest *request;

	if (post && !px_web_subscribe_is_form (message)) {
		px_server_defer (web->server, message, TRUE, px_web_subscribe_one_click_work,
				 px_web_subscribe_query_token (message), g_free);
		return;
	}
	request = px_web_request_new (web, message, id);
	if (request == NULL)
		return;
	/* the token in the link is the proof: a mail reader's one-click POST has no form token
	 * nor session, and comes from another site */
	request->csrf_exempt = post;
	px_web_request_defer (request, message, post,
			      post ? px_web_subscribe_remove_work : px_web_subscribe_ask_work);
}

static void
px_web_subscribe_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	gboolean post;

	if (request == NULL)
		return;
	post = g_str_equal (request->method, "POST");
	px_web_request_defer (request, message, post,
			      post ? px_web_subscribe_add_work : px_web_subscribe_form_work);
}

static void
px_web_subscribe_confirm_cb (PxServer *server, SoupServerMessage *message, gint64 id,
			     gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	gboolean post;

	if (request == NULL)
		return;
	post = g_str_equal (request->method, "POST");
	/* the token in the link is the proof, as for unsubscribing: the visitor has no session,
	 * and whoever holds the link could send the POST without a browser */
	request->csrf_exempt = post;
	px_web_request_defer (request, message, post,
			      post ? px_web_subscribe_confirm_work
				   : px_web_subscribe_confirm_ask_work);
}

void
px_web_subscribe_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/subscribe", "GET, HEAD, POST", px_web_subscribe_cb, web);
	px_server_add_route (server, "/subscriptions/confirm", "GET, HEAD, POST",
			     px_web_subscribe_confirm_cb, web);
	px_server_add_route (server, "/unsubscribe", "GET, HEAD, POST",
			     px_web_subscribe_unsubscribe_cb, web);
}
