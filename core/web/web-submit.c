/* web-submit.c: the partners' pages: /submit (the form, its Markdown preview, the submission
 * through the write path as a pending practice), /submitted (the confirmation), /my (their
 * submissions and each one's status) and /submit/{id} (the edit of their own while it is
 * pending). Spam is held off by a honeypot field, a minimum fill time and a limit of
 * submissions per address; what was typed is kept on every refusal. */
#define G_LOG_DOMAIN "PxWeb"

#include "store/records.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "web-form.h"
#include "web-limit.h"
#include "web-page.h"
#include "web-private.h"
#include "web-request.h"
#include "web-vocabulary.h"

/* the least time a person takes to fill the form in, in seconds */
#define PX_WEB_SUBMIT_MIN_SECONDS 3
/* Too Many Requests (RFC 6585), which libsoup 3.2 has no name for */
#define PX_WEB_SUBMIT_TOO_MANY 429

static const char *
px_web_submit_heading (const PxWebRequest *request)
{
	return request->id != 0 ? px_web_request_gettext (request, "Edit your submission")
				: px_web_request_gettext (request, "Submit a practice");
}

/* the form page: @values as typed or stored, @errors (nullable) marked */
static void
px_web_submit_render (PxWebRequest *request, PxResponse *response, guint status, JsonObject *values,
		      const GPtrArray *errors, gboolean preview)
{
	g_autoptr (JsonObject) content = json_object_new ();
	const char *heading = px_web_submit_heading (request);
	g_autofree char *action = request->id != 0
				      ? g_strdup_printf ("/submit/%" G_GINT64_FORMAT, request->id)
				      : g_strdup ("/submit");
	g_autofree char *title =
	    errors != NULL && errors->len > 0
		? g_strconcat (px_web_request_gettext (request, "Error:"), " ", heading, NULL)
		: g_strdup (heading);

	json_object_set_string_member (content, "heading", heading);
	json_object_set_string_member (content, "form_action", action);
	json_object_set_boolean_member (content, "editing", request->id != 0);
	json_object_set_string_member (
	    content, "submit_label",
	    request->id != 0 ? px_web_request_gettext (request, "Save changes")
			     : px_web_request_gettext (request, "Send for moderation"));
	px_web_form_add_context (request, content, values, errors, preview);
	px_web_page_render (request, response, status, "submit", title, content);
}

/* answers a refusal of the page's own (spam checks, the limit): the form kept, @message on
 * top */
static void
px_web_submit_refuse (PxWebRequest *request, PxResponse *response, guint status, JsonObject *values,
		      const char *message)
{
	g_autoptr (GPtrArray) errors = px_field_errors_new ();

	px_field_errors_add (errors, "practice", "%s", message);
	px_web_submit_render (request, response, status, values, errors, FALSE);
}

/* Returns: FALSE after answering, when the POST looks automatic or its address has sent too
 * many; what was refused as automatic counts towards the limit too */
static gboolean
px_web_submit_check_spam (PxWebRequest *request, PxResponse *response, JsonObject *values)
{
	PxWebLimit *limit = request->web->submit_limit;
	const char *honeypot = px_web_request_field (request, "website");

	if (!px_web_limit_allows (limit, request->client)) {
		px_web_submit_refuse (
		    request, response, PX_WEB_SUBMIT_TOO_MANY, values,
		    px_web_request_gettext (request,
					    "Many practices were sent from your address in the "
					    "last hour. Keep this page and send it again later."));
		px_response_add_header (response, "Retry-After", "3600");
		return FALSE;
	}
	if (honeypot != NULL && honeypot[0] != '\0') {
		px_web_limit_add (limit, request->client);
		px_web_submit_refuse (
		    request, response, SOUP_STATUS_UNPROCESSABLE_ENTITY, values,
		    px_web_request_gettext (request,
					    "The field that must stay empty was filled in. Check "
					    "the form and send it again."));
		return FALSE;
	}
	if (request->form_age < PX_WEB_SUBMIT_MIN_SECONDS) {
		px_web_limit_add (limit, request->client);
		px_web_submit_refuse (
		    request, response, SOUP_STATUS_UNPROCESSABLE_ENTITY, values,
		    px_web_request_gettext (request,
					    "The form was sent very quickly after it was opened. "
					    "Check what you typed and send it again."));
		return FALSE;
	}
	return TRUE;
}

/* a write that failed: the refusal of validation marks the form, anything else is an error
 * page */
static void
px_web_submit_failed (PxWebRequest *request, PxResponse *response, JsonObject *values,
		      const GPtrArray *errors, const GError *error)
{
	if (g_error_matches (error, PX_ERROR, PX_ERROR_VALIDATION))
		px_web_submit_render (request, response, SOUP_STATUS_UNPROCESSABLE_ENTITY, values,
				      errors, FALSE);
	else
		px_web_page_error_from (request, response, error);
}

static void
px_web_submit_create (PxWebRequest *request, PxStore *store, PxResponse *response,
		      JsonObject *values)
{
	g_autoptr (PxPractice) practice = px_practice_new ();
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GError) error = NULL;

	if (!px_web_submit_check_spam (request, response, values))
		return;
	practice->status = PX_STATUS_PENDING;
	practice->submitted_by = request->user->id;
	practice->source = g_strdup ("web");
	px_web_form_apply (values, practice, PX_JSON_CREATE, errors);
	if (!px_practices_create (request->web->practices, store, practice, errors, &error)) {
		px_web_submit_failed (request, response, values, errors, error);
		return;
	}
	px_web_limit_add (request->web->submit_limit, request->client);
	px_web_page_redirect (response, "/submitted?id=%" G_GINT64_FORMAT, practice->id);
}

/* the change of a partner's own pending practice; anything else is not theirs to change */
static gboolean
px_web_submit_check_own (PxWebRequest *request, PxResponse *response, const PxPractice *practice)
{
	if (practice->submitted_by != request->user->id) {
		px_web_page_error (request, response, SOUP_STATUS_NOT_FOUND,
				   px_web_request_gettext (request, "There is no such practice."));
		return FALSE;
	}
	if (practice->status != PX_STATUS_PENDING) {
		px_web_page_error (
		    request, response, SOUP_STATUS_FORBIDDEN,
		    px_web_request_gettext (request, "A practice can be changed only while it "
						     "waits for moderation."));
		return FALSE;
	}
	return TRUE;
}

static void
px_web_submit_update (PxWebRequest *request, PxStore *store, PxResponse *response,
		      JsonObject *values)
{
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GError) error = NULL;
	/* one transaction: the check of whose it is and the write it allows */
	g_autoptr (PxPracticesChange) change =
	    px_practices_open_change (request->web->practices, store, request->id, &error);
	PxPractice *practice;

	if (change == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	practice = px_practices_change_get_practice (change);
	if (!px_web_submit_check_own (request, response, practice))
		return;
	px_web_form_apply (values, practice, PX_JSON_PATCH, errors);
	if (!px_practices_change_update (change, errors, &error)) {
		px_web_submit_failed (request, response, values, errors, error);
		return;
	}
	px_web_page_redirect (response, "/my?saved=%" G_GINT64_FORMAT, request->id);
}

static void
px_web_submit_post_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) values = NULL;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_PARTNER))
		return;
	values = px_web_form_values_from_request (request);
	if (px_web_request_field (request, "preview") != NULL)
		px_web_submit_render (request, response, SOUP_STATUS_OK, values, NULL, TRUE);
	else if (request->id != 0)
		px_web_submit_update (request, store, response, values);
	else
		px_web_submit_create (request, store, response, values);
}

static void
px_web_submit_get_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) values = NULL;
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_PARTNER))
		return;
	if (request->id == 0) {
		values = json_object_new ();
		px_web_submit_render (request, response, SOUP_STATUS_OK, values, NULL, FALSE);
		return;
	}
	practice = px_records_get (store, request->id, &error);
	if (practice == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	if (!px_web_submit_check_own (request, response, practice))
		return;
	values = px_web_form_values_from_practice (practice);
	px_web_submit_render (request, response, SOUP_STATUS_OK, values, NULL, FALSE);
}

static void
px_web_submit_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	gboolean post;

	if (request == NULL)
		return;
	post = g_str_equal (request->method, "POST");
	/* a preview writes nothing: a reader renders it */
	px_web_request_defer (request, message,
			      post && px_web_request_field (request, "preview") == NULL,
			      post ? px_web_submit_post_work : px_web_submit_get_work);
}

/* GET /submitted?id=N: the confirmation, naming the practice when it is the visitor's */
static void
px_web_submit_done_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	const char *id_text = px_web_request_param (request, "id");
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (PxPractice) practice = NULL;
	guint64 id = 0;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_PARTNER))
		return;
	if (id_text != NULL && g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL))
		practice = px_records_get (store, (gint64)id, NULL);
	if (practice != NULL && practice->submitted_by == request->user->id)
		json_object_set_string_member (content, "practice_title", practice->title);
	px_web_page_render (request, response, SOUP_STATUS_OK, "submitted",
			    px_web_request_gettext (request, "Thank you"), content);
}

static JsonNode *
px_web_submit_list (const PxWebRequest *request, const GPtrArray *practices)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	json_builder_begin_array (builder);
	for (guint i = 0; i < practices->len; i++) {
		const PxPractice *practice = g_ptr_array_index (practices, i);
		g_autofree char *sent = g_strndup (practice->created_at, 10);

		json_builder_begin_object (builder);
		json_builder_set_member_name (builder, "practice_id");
		json_builder_add_int_value (builder, practice->id);
		json_builder_set_member_name (builder, "title");
		json_builder_add_string_value (builder, practice->title);
		json_builder_set_member_name (builder, "status");
		json_builder_add_string_value (builder, px_status_to_string (practice->status));
		json_builder_set_member_name (builder, "status_label");
		json_builder_add_string_value (
		    builder, px_web_vocabulary_status_label (request, practice->status));
		json_builder_set_member_name (builder, "sent");
		json_builder_add_string_value (builder, sent);
		json_builder_set_member_name (builder, "is_published");
		json_builder_add_boolean_value (builder, practice->status == PX_STATUS_PUBLISHED);
		if (practice->status == PX_STATUS_REJECTED && practice->status_reason != NULL) {
			json_builder_set_member_name (builder, "reason");
			json_builder_add_string_value (builder, practice->status_reason);
		}
		json_builder_set_member_name (builder, "editable");
		json_builder_add_boolean_value (builder, practice->status == PX_STATUS_PENDING);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

/* GET /my: the partner's submissions, newest first */
static void
px_web_submit_mine_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (GPtrArray) practices = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_PARTNER))
		return;
	practices = px_records_list_by_submitter (store, request->user->id, &error);
	if (practices == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	if (px_web_request_param (request, "saved") != NULL)
		json_object_set_string_member (
		    content, "notice",
		    px_web_request_gettext (request, "Your changes are saved. The practice still "
						     "waits for moderation."));
	json_object_set_boolean_member (content, "has_practices", practices->len > 0);
	json_object_set_member (content, "practices", px_web_submit_list (request, practices));
	px_web_page_render (request, response, SOUP_STATUS_OK, "my",
			    px_web_request_gettext (request, "My submissions"), content);
}

static void
px_web_submit_read_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);

	if (request == NULL)
		return;
	px_web_request_defer (request, message, FALSE,
			      g_str_equal (request->path, "/my") ? px_web_submit_mine_work
								 : px_web_submit_done_work);
}

void
px_web_submit_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/submit", "GET, HEAD, POST", px_web_submit_cb, web);
	px_server_add_route (server, "/submit/{id}", "GET, HEAD, POST", px_web_submit_cb, web);
	px_server_add_route (server, "/submitted", "GET, HEAD", px_web_submit_read_cb, web);
	px_server_add_route (server, "/my", "GET, HEAD", px_web_submit_read_cb, web);
}
