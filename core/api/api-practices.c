/* api-practices.c: one practice and its changes: get, create, update, delete, publish and
 * reject, with who may see and change what. Runs in the pools; the write checks before the body
 * (a bearer token, JSON) run on the main context. */
#define G_LOG_DOMAIN "PxApi"

#include "api-private.h"
#include "store/records.h"
#include "util/error.h"
#include "util/field-errors.h"

/* the longest reason a rejection may give, in characters */
#define PX_API_PRACTICES_REASON_MAX 2000

static void
px_api_practices_set_errors (PxResponse *response, const char *detail, GPtrArray *errors)
{
	px_response_set_problem (response, SOUP_STATUS_UNPROCESSABLE_ENTITY, detail, errors);
}

static gboolean
px_api_practices_can_see (const PxUser *user, const PxPractice *practice)
{
	if (practice->status == PX_STATUS_PUBLISHED)
		return TRUE;
	return user != NULL && (user->role == PX_ROLE_ADMIN || practice->submitted_by == user->id);
}

static void
px_api_practices_set_practice (PxResponse *response, guint status, const PxPractice *practice,
			       const PxUser *user)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	px_practice_to_json (practice, builder,
			     PX_VIEW_FULL | (user != NULL ? PX_VIEW_CONTACT : 0));
	json_builder_end_object (builder);
	px_response_set_json (response, status, builder);
}

/* a practice the caller may not see is "not found" */
static gboolean
px_api_practices_check_visible (const PxUser *user, const PxPractice *practice, gint64 id,
				GError **error)
{
	if (!px_api_practices_can_see (user, practice)) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
			     "no practice with id %" G_GINT64_FORMAT, id);
		return FALSE;
	}
	return TRUE;
}

/* loads the practice the caller may see */
static PxPractice *
px_api_practices_load_visible (PxStore *store, gint64 id, const PxUser *user, GError **error)
{
	g_autoptr (PxPractice) practice = px_records_get (store, id, error);

	if (practice == NULL || !px_api_practices_check_visible (user, practice, id, error))
		return NULL;
	return g_steal_pointer (&practice);
}

/* a partner may change only its own practice while it waits for moderation */
static gboolean
px_api_practices_check_may_edit (const PxUser *user, const PxPractice *practice, GError **error)
{
	if (user->role == PX_ROLE_ADMIN)
		return TRUE;
	if (practice->submitted_by != user->id || practice->status != PX_STATUS_PENDING) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_FORBIDDEN,
				     "partners may change only their own practices while pending");
		return FALSE;
	}
	return TRUE;
}

void
px_api_practices_get_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);
	g_autoptr (PxPractice) practice = NULL;

	if (error == NULL)
		practice = px_api_practices_load_visible (store, call->id, user, &error);
	if (practice == NULL) {
		px_response_set_error (response, error);
		return;
	}
	px_api_practices_set_practice (response, SOUP_STATUS_OK, practice, user);
}

/* answers 422 with @errors when @local_error is a refusal by validation; Returns: FALSE with
 * @error set for any other failure */
static gboolean
px_api_practices_check_refused (GError **local_error, GPtrArray *errors, const char *detail,
				PxResponse *response, GError **error)
{
	if (g_error_matches (*local_error, PX_ERROR, PX_ERROR_VALIDATION)) {
		px_api_practices_set_errors (response, detail, errors);
		return TRUE;
	}
	g_propagate_error (error, g_steal_pointer (local_error));
	return FALSE;
}

static gboolean
px_api_practices_create (PxApiCall *call, PxStore *store, const PxUser *user, PxResponse *response,
			 GError **error)
{
	g_autoptr (JsonObject) object = px_api_parse_body (call, error);
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GError) local_error = NULL;

	if (object == NULL)
		return FALSE;
	practice = px_practice_new ();
	practice->status = PX_STATUS_PENDING;
	practice->submitted_by = user->id;
	practice->source = g_strdup ("api");
	px_practice_apply_json (practice, object, PX_JSON_CREATE, errors);
	if (!px_practices_create (call->api->practices, store, practice, errors, &local_error))
		return px_api_practices_check_refused (
		    &local_error, errors, "the practice is not valid", response, error);
	px_api_practices_set_practice (response, SOUP_STATUS_CREATED, practice, user);
	response->location = g_strdup_printf ("/api/practices/%" G_GINT64_FORMAT, practice->id);
	return TRUE;
}

/* the write of a change the caller may make, with the body of an update parsed; Returns: FALSE
 * with @error set, with PX_ERROR_VALIDATION and @errors filled for a refusal */
static gboolean
px_api_practices_write_change (PxApiCall *call, PxPracticesChange *change, JsonObject *object,
			       GPtrArray *errors, GError **error)
{
	switch (call->kind) {
	case PX_CALL_PUBLISH:
		return px_practices_change_set_status (change, PX_STATUS_PUBLISHED, NULL, error);
	case PX_CALL_REJECT:
		return px_practices_change_set_status (
		    change, PX_STATUS_REJECTED,
		    object != NULL
			? json_object_get_string_member_with_default (object, "reason", NULL)
			: NULL,
		    error);
	case PX_CALL_DELETE:
		return px_practices_change_delete (change, error);
	default:
		px_practice_apply_json (px_practices_change_get_practice (change), object,
					PX_JSON_PATCH, errors);
		return px_practices_change_update (change, errors, error);
	}
}

/* a rejection's optional body, {"reason": "..."}, which the partner is told */
static gboolean
px_api_practices_parse_reason (PxApiCall *call, JsonObject **object, GError **error)
{
	JsonNode *reason;

	if (call->body == NULL || g_bytes_get_size (call->body) == 0)
		return TRUE;
	*object = px_api_parse_body (call, error);
	if (*object == NULL)
		return FALSE;
	reason = json_object_get_member (*object, "reason");
	if (reason == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE (reason) || json_node_get_value_type (reason) != G_TYPE_STRING ||
	    g_utf8_strlen (json_node_get_string (reason), -1) > PX_API_PRACTICES_REASON_MAX) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "reason must be a string of at most %d characters",
			     PX_API_PRACTICES_REASON_MAX);
		return FALSE;
	}
	return TRUE;
}

static gboolean
px_api_practices_change (PxApiCall *call, PxStore *store, const PxUser *user, PxResponse *response,
			 GError **error)
{
	/* one transaction: the read that checks permission and the write it allows */
	g_autoptr (PxPracticesChange) change =
	    px_practices_open_change (call->api->practices, store, call->id, error);
	gboolean moderation = call->kind == PX_CALL_PUBLISH || call->kind == PX_CALL_REJECT;
	g_autoptr (JsonObject) object = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (GError) local_error = NULL;

	if (change == NULL || !px_api_practices_check_visible (
				  user, px_practices_change_get_practice (change), call->id, error))
		return FALSE;
	if (!moderation && !px_api_practices_check_may_edit (
			       user, px_practices_change_get_practice (change), error))
		return FALSE;
	/* what the parser refuses (no object, a lone surrogate) is answered as it says, never as
	 * a refusal of the change */
	if (call->kind == PX_CALL_UPDATE) {
		object = px_api_parse_body (call, error);
		if (object == NULL)
			return FALSE;
	}
	if (call->kind == PX_CALL_REJECT && !px_api_practices_parse_reason (call, &object, error))
		return FALSE;
	if (!px_api_practices_write_change (call, change, object, errors, &local_error))
		return px_api_practices_check_refused (&local_error, errors,
						       "the change is not valid", response, error);
	if (call->kind == PX_CALL_DELETE)
		response->status = SOUP_STATUS_NO_CONTENT;
	else
		px_api_practices_set_practice (response, SOUP_STATUS_OK,
					       px_practices_change_get_practice (change), user);
	return TRUE;
}

static gboolean
px_api_practices_check_role (PxApiCall *call, const PxUser *user, GError **error)
{
	gboolean admin_only = call->kind == PX_CALL_PUBLISH || call->kind == PX_CALL_REJECT;

	if (admin_only && user->role != PX_ROLE_ADMIN) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_FORBIDDEN, "only admins moderate");
		return FALSE;
	}
	return TRUE;
}

void
px_api_practices_write_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);
	gboolean ok = user != NULL && px_api_practices_check_role (call, user, &error);

	if (ok && call->kind == PX_CALL_CREATE)
		ok = px_api_practices_create (call, store, user, response, &error);
	else if (ok)
		ok = px_api_practices_change (call, store, user, response, &error);
	if (!ok)
		px_response_set_error (response, error);
}

gboolean
px_api_practices_check_write (SoupServerMessage *message, PxApiCall *call)
{
	gboolean has_body = call->kind == PX_CALL_CREATE || call->kind == PX_CALL_UPDATE;

	if (call->token == NULL) {
		PxResponse response = {0};
		px_response_set_problem (&response, SOUP_STATUS_UNAUTHORIZED,
					 "send a bearer token: Authorization: Bearer TOKEN", NULL);
		px_server_respond (message, &response);
		return FALSE;
	}
	if (has_body && !px_api_content_is_json (message)) {
		px_server_respond_problem (message, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
					   "send the practice as application/json");
		return FALSE;
	}
	/* a rejection may say why: {"reason": "..."} */
	if (call->kind == PX_CALL_REJECT &&
	    soup_server_message_get_request_body (message)->length > 0 &&
	    !px_api_content_is_json (message)) {
		px_server_respond_problem (message, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
					   "send the reason as application/json");
		return FALSE;
	}
	if (has_body || call->kind == PX_CALL_REJECT)
		call->body =
		    soup_message_body_flatten (soup_server_message_get_request_body (message));
	return TRUE;
}
