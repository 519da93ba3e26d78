/* web-admin.c: the moderators' pages: /admin (the queue of pending practices, oldest first,
 * each with Publish and Reject; the plugins' state), /admin/practices/{id} (the practice as the
 * public will see it, its public page's article; Publish, Reject with a reason the partner is
 * told, and the edit form, saved through the write path), and the POSTs of publish and reject.
 * Admins only. */
#define G_LOG_DOMAIN "PxWeb"

#include "store/plugin-state.h"
#include "store/records.h"
#include "store/user.h"
#include "util/error.h"
#include "util/field-errors.h"
#include "web-form.h"
#include "web-page.h"
#include "web-practice.h"
#include "web-private.h"
#include "web-request.h"
#include "web-vocabulary.h"

/* the longest reason a rejection may give, in characters, as the API's */
#define PX_WEB_ADMIN_REASON_MAX 2000
/* the characters of a summary the queue shows */
#define PX_WEB_ADMIN_SUMMARY_CHARS 280
/* the practices a page of the queue lists */
#define PX_WEB_ADMIN_QUEUE_PAGE 50
/* the highest page number the queue takes */
#define PX_WEB_ADMIN_PAGE_MAX (G_MAXUINT / PX_WEB_ADMIN_QUEUE_PAGE)

typedef enum {
	PX_WEB_ADMIN_EDIT,
	PX_WEB_ADMIN_PUBLISH,
	PX_WEB_ADMIN_REJECT,
} PxWebAdminAction;

static void
px_web_admin_set_string (JsonBuilder *builder, const char *name, const char *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name (builder, name);
	json_builder_add_string_value (builder, value);
}

/* Returns: (transfer full): "organisation · city, country · sent DATE · EMAIL" */
static char *
px_web_admin_meta (const PxWebRequest *request, PxStore *store, const PxPractice *practice)
{
	g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (PxUser) submitter =
	    practice->submitted_by != 0 ? px_user_get (store, practice->submitted_by, NULL) : NULL;
	g_autofree char *sent = g_strndup (practice->created_at, 10);

	if (practice->organisation != NULL)
		g_ptr_array_add (parts, g_strdup (practice->organisation));
	if (practice->city != NULL || practice->country != NULL)
		g_ptr_array_add (
		    parts,
		    g_strjoin (practice->city != NULL && practice->country != NULL ? ", " : "",
			       practice->city != NULL ? practice->city : "",
			       practice->country != NULL ? practice->country : "", NULL));
	g_ptr_array_add (parts,
			 g_strdup_printf (px_web_request_gettext (request, "sent %s"), sent));
	if (submitter != NULL)
		g_ptr_array_add (parts, g_strdup (submitter->email));
	g_ptr_array_add (parts, NULL);
	return g_strjoinv (" · ", (char **)parts->pdata);
}

/* Returns: (transfer full): @text cut after @chars characters, with an ellipsis */
static char *
px_web_admin_shorten (const char *text, glong chars)
{
	g_autofree char *start = NULL;

	if (g_utf8_strlen (text, -1) <= chars)
		return g_strdup (text);
	start = g_utf8_substring (text, 0, chars);
	return g_strconcat (start, "…", NULL);
}

static JsonNode *
px_web_admin_queue (const PxWebRequest *request, PxStore *store, const GPtrArray *practices)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	json_builder_begin_array (builder);
	for (guint i = 0; i < practices->len; i++) {
		const PxPractice *practice = g_ptr_array_index (practices, i);
		g_autofree char *meta = px_web_admin_meta (request, store, practice);
		g_autofree char *summary =
		    px_web_admin_shorten (practice->summary, PX_WEB_ADMIN_SUMMARY_CHARS);

		json_builder_begin_object (builder);
		json_builder_set_member_name (builder, "practice_id");
		json_builder_add_int_value (builder, practice->id);
		px_web_admin_set_string (builder, "title", practice->title);
		px_web_admin_set_string (builder, "summary", summary);
		px_web_admin_set_string (builder, "meta", meta);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

static const char *
px_web_admin_plugin_state (const PxWebRequest *request, PxPluginsStatus status)
{
	switch (status) {
	case PX_PLUGINS_STATUS_FAILED:
		return px_web_request_gettext (request, "Failed to load");
	case PX_PLUGINS_STATUS_DISABLED:
		return px_web_request_gettext (request, "Disabled after failures");
	case PX_PLUGINS_STATUS_LOADED:
	default:
		return px_web_request_gettext (request, "Running");
	}
}

/* the enabled plugins, with their failures in a row as the host last recorded them */
static JsonNode *
px_web_admin_plugins (const PxWebRequest *request, PxStore *store)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autoptr (GPtrArray) plugins =
	    request->web->plugins != NULL ? px_plugins_list (request->web->plugins) : NULL;

	json_builder_begin_array (builder);
	for (guint i = 0; plugins != NULL && i < plugins->len; i++) {
		const PxPluginsInfo *info = g_ptr_array_index (plugins, i);
		g_autoptr (PxPluginState) state = px_plugin_state_get (store, info->name, NULL);

		json_builder_begin_object (builder);
		px_web_admin_set_string (builder, "plugin_name", info->name);
		px_web_admin_set_string (builder, "plugin_status",
					 px_plugins_status_to_string (info->status));
		px_web_admin_set_string (builder, "plugin_state",
					 px_web_admin_plugin_state (request, info->status));
		px_web_admin_set_string (builder, "plugin_reason", info->reason);
		json_builder_set_member_name (builder, "plugin_failures");
		json_builder_add_int_value (builder, state != NULL ? state->failures : 0);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	return json_builder_get_root (builder);
}

/* the moderation that sent the moderator back here (?published=ID, ?rejected=ID): its name
 * ("published" or "rejected") and the practice's @id; NULL when there is none */
static const char *
px_web_admin_read_notice (const PxWebRequest *request, guint64 *id)
{
	const char *published = px_web_request_param (request, "published");
	const char *rejected = px_web_request_param (request, "rejected");
	const char *id_text = published != NULL ? published : rejected;

	if (id_text == NULL || !g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, id, NULL))
		return NULL;
	return published != NULL ? "published" : "rejected";
}

/* to page @page of the queue with the notice of the moderation @done (nullable) of @id */
static void
px_web_admin_redirect_queue (PxResponse *response, guint64 page, const char *done, gint64 id)
{
	g_autofree char *at_page =
	    page > 1 ? g_strdup_printf ("page=%" G_GUINT64_FORMAT, page) : g_strdup ("");

	if (done == NULL)
		px_web_page_redirect (response, "/admin%s%s", page > 1 ? "?" : "", at_page);
	else
		px_web_page_redirect (response, "/admin?%s%s%s=%" G_GINT64_FORMAT, at_page,
				      page > 1 ? "&" : "", done, id);
}

/* the notice of the action that sent the moderator back here */
static void
px_web_admin_add_notice (const PxWebRequest *request, PxStore *store, JsonObject *content)
{
	g_autoptr (PxPractice) practice = NULL;
	g_autofree char *notice = NULL;
	guint64 id;
	const char *done = px_web_admin_read_notice (request, &id);

	if (done == NULL)
		return;
	practice = px_records_get (store, (gint64)id, NULL);
	if (practice == NULL)
		return;
	if (g_str_equal (done, "published"))
		notice = g_strdup_printf (
		    px_web_request_gettext (request, "“%s” is published: the public finds it now."),
		    practice->title);
	else
		notice = g_strdup_printf (
		    px_web_request_gettext (request, "“%s” is rejected. It is not published."),
		    practice->title);
	json_object_set_string_member (content, "notice", notice);
}

/* the queue's page asked for (?page=N, 1 by default) into @page; FALSE, answered 400, when it
 * is not a number of a page that can exist */
static gboolean
px_web_admin_read_page (PxWebRequest *request, PxResponse *response, guint64 *page)
{
	const char *text = px_web_request_param (request, "page");

	*page = 1;
	if (text == NULL ||
	    g_ascii_string_to_unsigned (text, 10, 1, PX_WEB_ADMIN_PAGE_MAX, page, NULL))
		return TRUE;
	px_web_page_error (request, response, SOUP_STATUS_BAD_REQUEST,
			   px_web_request_gettext (request, "There is no such page of the queue."));
	return FALSE;
}

/* the queue's links to the page before and after @page of @pages, when there are such pages */
static void
px_web_admin_add_pages (PxWebRequest *request, JsonObject *content, guint64 page, guint64 pages)
{
	g_autofree char *label = NULL;

	if (pages <= 1)
		return;
	label = g_strdup_printf (px_web_request_gettext (request, "page %d of %d"), (int)page,
				 (int)pages);
	json_object_set_string_member (content, "page_label", label);
	if (page > 1)
		json_object_set_int_member (content, "previous_page", page - 1);
	if (page < pages)
		json_object_set_int_member (content, "next_page", page + 1);
}

/* GET /admin: the queue, a page of it at a time, and the plugins */
static void
px_web_admin_queue_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (JsonObject) content = json_object_new ();
	g_autoptr (GPtrArray) pending = NULL;
	g_autoptr (GError) error = NULL;
	guint64 page;
	guint64 notice_id = 0;
	gint64 total;
	gint64 pages;
	JsonNode *plugins;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_ADMIN) ||
	    !px_web_admin_read_page (request, response, &page))
		return;
	/* the count and the page from one snapshot, so that they agree */
	total = px_store_begin_read (store, &error)
		    ? px_records_count_by_status (store, PX_STATUS_PENDING, &error)
		    : -1;
	if (total >= 0)
		pending = px_records_list_by_status (store, PX_STATUS_PENDING,
						     (page - 1) * PX_WEB_ADMIN_QUEUE_PAGE,
						     PX_WEB_ADMIN_QUEUE_PAGE, &error);
	if (px_store_in_transaction (store))
		px_store_rollback (store);
	if (pending == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	pages = (total + PX_WEB_ADMIN_QUEUE_PAGE - 1) / PX_WEB_ADMIN_QUEUE_PAGE;
	/* past the end (its last practices were just moderated): the last page */
	if (pending->len == 0 && page > 1) {
		const char *done = px_web_admin_read_notice (request, &notice_id);

		px_web_admin_redirect_queue (response, MAX (pages, 1), done, notice_id);
		return;
	}
	px_web_admin_add_notice (request, store, content);
	json_object_set_int_member (content, "pending_count", total);
	if (page > 1)
		json_object_set_int_member (content, "form_page", page);
	json_object_set_boolean_member (content, "has_pending", pending->len > 0);
	px_web_admin_add_pages (request, content, page, pages);
	json_object_set_member (content, "pending", px_web_admin_queue (request, store, pending));
	plugins = px_web_admin_plugins (request, store);
	json_object_set_boolean_member (content, "has_plugins",
					json_array_get_length (json_node_get_array (plugins)) > 0);
	json_object_set_member (content, "plugins", plugins);
	px_web_page_render (request, response, SOUP_STATUS_OK, "admin",
			    px_web_request_gettext (request, "Moderation"), content);
}

/* Returns: (transfer full) (nullable): @practice's article exactly as its public page has it
 * (web-practice.c), rendered apart so that no name of this page's context reaches into it;
 * NULL (logged) when the template fails */
static char *
px_web_admin_preview (PxWebRequest *request, PxStore *store, const PxPractice *practice)
{
	g_autoptr (JsonObject) article = px_web_practice_build (request, store, practice);
	g_autoptr (GError) error = NULL;
	char *html = NULL;

	/* the page's own members: the article renders as its template does inside the layout */
	json_object_set_string_member (article, "csrf", request->csrf);
	json_object_set_string_member (article, "lang", request->language);
	html = px_web_templates_render (request->web->templates, "practice-article", article,
					request->catalog, &error);
	if (html == NULL)
		g_warning ("preview of practice %" G_GINT64_FORMAT " not rendered: %s",
			   practice->id, error->message);
	return html;
}

/* the page of one practice: its preview, the moderation, the edit form with @values (the
 * stored ones, or those typed) and @errors (nullable) */
static void
px_web_admin_render_practice (PxWebRequest *request, PxStore *store, PxResponse *response,
			      guint status, const PxPractice *practice, JsonObject *values,
			      const GPtrArray *errors, gboolean preview)
{
	g_autoptr (JsonObject) content = json_object_new ();
	g_autofree char *article = px_web_admin_preview (request, store, practice);
	g_autofree char *action =
	    g_strdup_printf ("/admin/practices/%" G_GINT64_FORMAT, practice->id);
	g_autofree char *title =
	    g_strdup_printf (px_web_request_gettext (request, "Moderation: %s"), practice->title);

	json_object_set_int_member (content, "practice_id", practice->id);
	json_object_set_string_member (content, "practice_status",
				       px_status_to_string (practice->status));
	json_object_set_string_member (content, "status_label",
				       px_web_vocabulary_status_label (request, practice->status));
	json_object_set_boolean_member (content, "is_published",
					practice->status == PX_STATUS_PUBLISHED);
	if (article == NULL) {
		px_web_page_respond_text (response, SOUP_STATUS_INTERNAL_SERVER_ERROR,
					  "internal error, see the server log");
		return;
	}
	json_object_set_string_member (content, "article_html", article);
	if (px_web_request_param (request, "saved") != NULL)
		json_object_set_string_member (
		    content, "notice", px_web_request_gettext (request, "Your changes are saved."));
	json_object_set_string_member (content, "form_action", action);
	json_object_set_string_member (content, "submit_label",
				       px_web_request_gettext (request, "Save changes"));
	px_web_form_add_context (request, content, values, errors, preview);
	px_web_page_render (request, response, status, "admin-practice", title, content);
}

/* GET /admin/practices/{id} */
static void
px_web_admin_practice_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (JsonObject) values = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_ADMIN))
		return;
	practice = px_records_get (store, request->id, &error);
	if (practice == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	values = px_web_form_values_from_practice (practice);
	px_web_admin_render_practice (request, store, response, SOUP_STATUS_OK, practice, values,
				      NULL, FALSE);
}

/* Returns: (transfer full) (nullable): the reason typed, trimmed, NULL when blank; FALSE after
 * answering when it is too long */
static gboolean
px_web_admin_read_reason (PxWebRequest *request, PxResponse *response, char **reason)
{
	const char *typed = px_web_request_field (request, "reason");
	g_autofree char *trimmed = typed != NULL ? g_strstrip (g_strdup (typed)) : NULL;

	if (trimmed != NULL && g_utf8_strlen (trimmed, -1) > PX_WEB_ADMIN_REASON_MAX) {
		px_web_page_error (request, response, SOUP_STATUS_UNPROCESSABLE_ENTITY,
				   px_web_request_gettext (request,
							   "A reason may have at most 2,000 "
							   "characters. Go back and shorten it."));
		return FALSE;
	}
	*reason = trimmed != NULL && trimmed[0] != '\0' ? g_steal_pointer (&trimmed) : NULL;
	return TRUE;
}

/* the page of the queue a moderation was sent from (its form's page field), 1 when it has none
 * or a wrong one: where the moderator goes back to */
static guint64
px_web_admin_form_page (PxWebRequest *request)
{
	const char *text = px_web_request_field (request, "page");
	guint64 page = 1;

	if (text == NULL ||
	    !g_ascii_string_to_unsigned (text, 10, 1, PX_WEB_ADMIN_PAGE_MAX, &page, NULL))
		return 1;
	return page;
}

static void
px_web_admin_moderate (PxWebRequest *request, PxResponse *response, PxPracticesChange *change,
		       PxWebAdminAction action)
{
	g_autofree char *reason = NULL;
	g_autoptr (GError) error = NULL;
	PxStatus status = action == PX_WEB_ADMIN_PUBLISH ? PX_STATUS_PUBLISHED : PX_STATUS_REJECTED;

	if (action == PX_WEB_ADMIN_REJECT && !px_web_admin_read_reason (request, response, &reason))
		return;
	if (!px_practices_change_set_status (change, status, reason, &error)) {
		px_web_page_error_from (request, response, error);
		return;
	}
	px_web_admin_redirect_queue (response, px_web_admin_form_page (request),
				     action == PX_WEB_ADMIN_PUBLISH ? "published" : "rejected",
				     request->id);
}

/* @change is finished here (written, or rolled back before the page of the refusal is made:
 * the preview reads outside any transaction) */
static void
px_web_admin_edit (PxWebRequest *request, PxStore *store, PxResponse *response,
		   PxPracticesChange **change)
{
	PxPractice *practice = px_practices_change_get_practice (*change);
	g_autoptr (PxPractice) stored = px_practice_copy (practice);
	g_autoptr (JsonObject) values = px_web_form_values_from_request (request);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GError) error = NULL;

	px_web_form_apply (values, practice, PX_JSON_PATCH, errors);
	if (px_practices_change_update (*change, errors, &error)) {
		px_web_page_redirect (response, "/admin/practices/%" G_GINT64_FORMAT "?saved=1",
				      request->id);
		return;
	}
	g_clear_pointer (change, px_practices_change_free);
	if (g_error_matches (error, PX_ERROR, PX_ERROR_VALIDATION))
		px_web_admin_render_practice (request, store, response,
					      SOUP_STATUS_UNPROCESSABLE_ENTITY, stored, values,
					      errors, FALSE);
	else
		px_web_page_error_from (request, response, error);
}

static PxWebAdminAction
px_web_admin_action_of (const PxWebRequest *request)
{
	if (g_str_has_suffix (request->path, "/publish"))
		return PX_WEB_ADMIN_PUBLISH;
	if (g_str_has_suffix (request->path, "/reject"))
		return PX_WEB_ADMIN_REJECT;
	return PX_WEB_ADMIN_EDIT;
}

/* POST /admin/practices/{id}[/publish|/reject]: one transaction from the read to the write */
static void
px_web_admin_post_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (PxPracticesChange) change = NULL;
	g_autoptr (GError) error = NULL;
	PxWebAdminAction action = px_web_admin_action_of (request);

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_ADMIN))
		return;
	change = px_practices_open_change (request->web->practices, store, request->id, &error);
	if (change == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	if (action == PX_WEB_ADMIN_EDIT)
		px_web_admin_edit (request, store, response, &change);
	else
		px_web_admin_moderate (request, response, change, action);
}

/* POST /admin/practices/{id} with preview: the edit form again, the body rendered; a reader */
static void
px_web_admin_preview_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxWebRequest *request = data;
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (JsonObject) values = NULL;
	g_autoptr (GError) error = NULL;

	if (!px_web_request_begin_signed_in (request, store, response, PX_ROLE_ADMIN))
		return;
	practice = px_records_get (store, request->id, &error);
	if (practice == NULL) {
		px_web_page_error_from (request, response, error);
		return;
	}
	values = px_web_form_values_from_request (request);
	px_web_admin_render_practice (request, store, response, SOUP_STATUS_OK, practice, values,
				      NULL, TRUE);
}

static void
px_web_admin_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebRequest *request = px_web_request_new (user_data, message, id);
	PxServerWorkFunc work;

	if (request == NULL)
		return;
	/* a moderation's buttons are on the practice's page (and the queue's) */
	if (id != 0 && px_web_admin_action_of (request) != PX_WEB_ADMIN_EDIT)
		request->form_page = g_strdup_printf ("/admin/practices/%" G_GINT64_FORMAT, id);
	if (id == 0)
		work = px_web_admin_queue_work;
	else if (!g_str_equal (request->method, "POST"))
		work = px_web_admin_practice_work;
	else if (px_web_admin_action_of (request) == PX_WEB_ADMIN_EDIT &&
		 px_web_request_field (request, "preview") != NULL)
		work = px_web_admin_preview_work;
	else
		work = px_web_admin_post_work;
	px_web_request_defer (request, message, work == px_web_admin_post_work, work);
}

void
px_web_admin_register (PxWeb *web, PxServer *server)
{
	px_server_add_route (server, "/admin", "GET, HEAD", px_web_admin_cb, web);
	px_server_add_route (server, "/admin/practices/{id}", "GET, HEAD, POST", px_web_admin_cb,
			     web);
	px_server_add_route (server, "/admin/practices/{id}/publish", "POST", px_web_admin_cb, web);
	px_server_add_route (server, "/admin/practices/{id}/reject", "POST", px_web_admin_cb, web);
}
