/* api.c: the /api resources. The main context checks method, route, headers and parameters and
 * answers cache hits; everything touching the database runs in a pool (server.c). */
#define G_LOG_DOMAIN "PxApi"

#include <string.h>

#include "api.h"
#include "http/server.h"
#include "model/jsonl.h"
#include "util/error.h"
#include "util/form.h"
#include "util/json.h"
#include "util/timestamp.h"

#define PX_API_EXPORT_PAGE 500 /* practices a chunk of /api/export */

typedef enum {
	PX_CALL_SEARCH,
	PX_CALL_GET,
	PX_CALL_CREATE,
	PX_CALL_UPDATE,
	PX_CALL_DELETE,
	PX_CALL_PUBLISH,
	PX_CALL_REJECT,
	PX_CALL_EXPORT,
} PxCallKind;

/* one API request on its way through a pool */
typedef struct {
	PxServer *server;
	PxCallKind kind;
	gint64 id;
	char *token;  /* (nullable) */
	GBytes *body; /* (nullable) */
	PxSearchRequest *search;
	char *since;		/* (nullable) */
	PxExportCursor *cursor; /* (nullable): an export under way */
	gboolean view_contact;
} PxApiCall;

static void
px_api_call_free (PxApiCall *call)
{
	g_free (call->token);
	g_clear_pointer (&call->body, g_bytes_unref);
	px_search_request_free (call->search);
	g_free (call->since);
	px_export_cursor_free (call->cursor);
	g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxApiCall, px_api_call_free)

static void
px_api_set_errors (PxResponse *response, const char *detail, GPtrArray *errors)
{
	px_response_set_problem (response, SOUP_STATUS_UNPROCESSABLE_ENTITY, detail, errors);
}

/* Returns: (transfer full) (nullable): the caller, NULL for anonymous or with @error for a bad
 * token */
static PxUser *
px_api_authenticate (PxApiCall *call, PxStore *store, GError **error)
{
	if (call->token == NULL)
		return NULL;
	return px_store_lookup_token (store, call->token, error);
}

static gboolean
px_api_can_see (const PxUser *user, const PxPractice *practice)
{
	if (practice->status == PX_STATUS_PUBLISHED)
		return TRUE;
	return user != NULL && (user->role == PX_ROLE_ADMIN || practice->submitted_by == user->id);
}

static void
px_api_set_practice (PxResponse *response, guint status, const PxPractice *practice,
		     const PxUser *user)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	px_practice_to_json (practice, builder,
			     PX_VIEW_FULL | (user != NULL ? PX_VIEW_CONTACT : 0));
	json_builder_end_object (builder);
	px_response_set_json (response, status, builder);
}

/* loads the practice the caller may see; anything else is "not found" */
static PxPractice *
px_api_load_visible (PxStore *store, gint64 id, const PxUser *user, GError **error)
{
	g_autoptr (PxPractice) practice = px_store_get_practice (store, id, error);

	if (practice == NULL)
		return NULL;
	if (!px_api_can_see (user, practice)) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND,
			     "no practice with id %" G_GINT64_FORMAT, id);
		return NULL;
	}
	return g_steal_pointer (&practice);
}

/* a partner may change only its own practice while it waits for moderation */
static gboolean
px_api_check_may_edit (const PxUser *user, const PxPractice *practice, GError **error)
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

static JsonObject *
px_api_parse_body (PxApiCall *call, GError **error)
{
	gsize length = 0;
	const char *data = g_bytes_get_data (call->body, &length);

	if (length == 0) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID, "the request has no body");
		return NULL;
	}
	return px_json_parse_object (data, length, error);
}

static void
px_api_search_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	GBytes *bytes =
	    px_search_run (px_server_get_search (call->server), store, call->search, &error);

	if (bytes == NULL) {
		px_response_set_error (response, error);
		return;
	}
	response->status = SOUP_STATUS_OK;
	response->content_type = "application/json";
	response->body = bytes;
}

static void
px_api_get_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);
	g_autoptr (PxPractice) practice = NULL;

	if (error == NULL)
		practice = px_api_load_visible (store, call->id, user, &error);
	if (practice == NULL) {
		px_response_set_error (response, error);
		return;
	}
	px_api_set_practice (response, SOUP_STATUS_OK, practice, user);
}

static gboolean
px_api_create (PxApiCall *call, PxStore *store, const PxUser *user, PxResponse *response,
	       GError **error)
{
	g_autoptr (JsonObject) object = px_api_parse_body (call, error);
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();

	if (object == NULL)
		return FALSE;
	practice = px_practice_new ();
	practice->status = PX_STATUS_PENDING;
	practice->submitted_by = user->id;
	practice->source = g_strdup ("api");
	px_practice_apply_json (practice, object, PX_JSON_CREATE, errors);
	px_practice_check_required (practice, errors);
	if (errors->len > 0) {
		px_api_set_errors (response, "the practice is not valid", errors);
		return TRUE;
	}
	if (!px_store_begin (store, error))
		return FALSE;
	if (!px_store_add_practice (store, practice, error) || !px_store_commit (store, error)) {
		px_store_rollback (store);
		return FALSE;
	}
	px_api_set_practice (response, SOUP_STATUS_CREATED, practice, user);
	response->location = g_strdup_printf ("/api/practices/%" G_GINT64_FORMAT, practice->id);
	return TRUE;
}

static gboolean
px_api_change (PxApiCall *call, PxStore *store, const PxUser *user, PxResponse *response,
	       GError **error)
{
	g_autoptr (PxPractice) practice = px_api_load_visible (store, call->id, user, error);
	g_autoptr (JsonObject) object = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	gboolean ok;

	if (practice == NULL)
		return FALSE;
	if (call->kind == PX_CALL_PUBLISH || call->kind == PX_CALL_REJECT) {
		ok = px_store_set_status (store, practice,
					  call->kind == PX_CALL_PUBLISH ? PX_STATUS_PUBLISHED
									: PX_STATUS_REJECTED,
					  error);
	} else if (!px_api_check_may_edit (user, practice, error)) {
		return FALSE;
	} else if (call->kind == PX_CALL_DELETE) {
		ok = px_store_delete_practice (store, practice->id, error);
	} else {
		object = px_api_parse_body (call, error);
		if (object == NULL)
			return FALSE;
		px_practice_apply_json (practice, object, PX_JSON_PATCH, errors);
		if (errors->len > 0) {
			px_api_set_errors (response, "the change is not valid", errors);
			return TRUE;
		}
		ok = px_store_update_practice (store, practice, error);
	}
	if (!ok)
		return FALSE;
	if (call->kind == PX_CALL_DELETE)
		response->status = SOUP_STATUS_NO_CONTENT;
	else
		px_api_set_practice (response, SOUP_STATUS_OK, practice, user);
	return TRUE;
}

static gboolean
px_api_check_role (PxApiCall *call, const PxUser *user, GError **error)
{
	gboolean admin_only = call->kind == PX_CALL_PUBLISH || call->kind == PX_CALL_REJECT;

	if (admin_only && user->role != PX_ROLE_ADMIN) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_FORBIDDEN, "only admins moderate");
		return FALSE;
	}
	return TRUE;
}

static void
px_api_write_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);
	gboolean ok = user != NULL && px_api_check_role (call, user, &error);

	if (ok && call->kind == PX_CALL_CREATE) {
		ok = px_api_create (call, store, user, response, &error);
	} else if (ok) {
		/* one transaction: the read that checks permission and the write it allows */
		ok = px_store_begin (store, &error) &&
		     px_api_change (call, store, user, response, &error) &&
		     px_store_commit (store, &error);
		if (!ok || response->status >= 400)
			px_store_rollback (store);
	}
	if (!ok)
		px_response_set_error (response, error);
}

typedef struct {
	GString *out;
	PxView view;
} PxExportBuffer;

static gboolean
px_api_export_cb (const PxPractice *practice, const char *tombstone_uid, const char *tombstone_at,
		  gpointer user_data, GError **error)
{
	PxExportBuffer *buffer = user_data;
	g_autofree char *line =
	    px_jsonl_format_change (practice, tombstone_uid, tombstone_at, buffer->view);

	g_string_append (buffer->out, line);
	return TRUE;
}

/* one page of the export a call; the server runs it again while response->more is set */
static void
px_api_export_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	PxExportBuffer buffer = {NULL, PX_VIEW_FULL | PX_VIEW_NO_ID};
	gsize length;

	if (call->cursor == NULL) {
		g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);
		gboolean admin = user != NULL && user->role == PX_ROLE_ADMIN;

		if (error != NULL) {
			px_response_set_error (response, error);
			return;
		}
		call->cursor = px_export_cursor_new (call->since, admin);
		call->view_contact = admin;
	}
	buffer.out = g_string_new (NULL);
	if (call->view_contact)
		buffer.view |= PX_VIEW_CONTACT;
	if (!px_store_export_page (store, call->cursor, PX_API_EXPORT_PAGE, px_api_export_cb,
				   &buffer, &error)) {
		g_string_free (buffer.out, TRUE);
		px_response_set_error (response, error);
		return;
	}
	response->status = SOUP_STATUS_OK;
	response->content_type = "application/x-ndjson";
	response->more = !call->cursor->done;
	length = buffer.out->len;
	response->body = g_bytes_new_take (g_string_free (buffer.out, FALSE), length);
}

/* Returns: (transfer full) (nullable): the bearer token of the request */
static char *
px_api_bearer (SoupServerMessage *message)
{
	const char *value = soup_message_headers_get_one (
	    soup_server_message_get_request_headers (message), "Authorization");

	if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
		return NULL;
	return g_strstrip (g_strdup (value + 7));
}

static gboolean
px_api_content_is_json (SoupServerMessage *message)
{
	g_autoptr (GHashTable) params = NULL;
	const char *type = soup_message_headers_get_content_type (
	    soup_server_message_get_request_headers (message), &params);

	return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

/* Returns: the query parameters in order, or NULL after answering 400 */
static GPtrArray *
px_api_query_pairs (SoupServerMessage *message)
{
	g_autoptr (GError) error = NULL;
	GPtrArray *pairs =
	    px_form_decode (g_uri_get_query (soup_server_message_get_uri (message)), &error);

	if (pairs == NULL)
		px_server_respond_problem (message, SOUP_STATUS_BAD_REQUEST, error->message);
	return pairs;
}

static void
px_api_start_search (PxServer *server, SoupServerMessage *message, PxApiCall *owned)
{
	g_autoptr (PxApiCall) call = owned;
	g_autoptr (GPtrArray) pairs = px_api_query_pairs (message);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autofree char *key = NULL;
	g_autoptr (GBytes) cached = NULL;
	PxResponse response = {0};

	if (pairs == NULL)
		return;
	call->search = px_search_request_parse (pairs, errors);
	if (call->search == NULL) {
		px_response_set_problem (&response, SOUP_STATUS_BAD_REQUEST,
					 "invalid search parameters", errors);
		px_server_respond (message, &response);
		return;
	}
	key = px_search_request_to_key (call->search);
	cached = px_search_index_lookup (px_server_get_search (server), key);
	if (cached != NULL) {
		response.status = SOUP_STATUS_OK;
		response.content_type = "application/json";
		response.body = g_steal_pointer (&cached);
		px_server_respond (message, &response);
		return;
	}
	px_server_defer (server, message, FALSE, px_api_search_work, g_steal_pointer (&call),
			 (GDestroyNotify)px_api_call_free);
}

static void
px_api_start_export (PxServer *server, SoupServerMessage *message, PxApiCall *owned)
{
	g_autoptr (PxApiCall) call = owned;
	g_autoptr (GPtrArray) pairs = px_api_query_pairs (message);

	if (pairs == NULL)
		return;
	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);

		if (!g_str_equal (pair->name, "since"))
			continue;
		g_free (call->since);
		call->since = px_timestamp_normalize (pair->value);
		if (call->since == NULL) {
			px_server_respond_problem (message, SOUP_STATUS_BAD_REQUEST,
						   "since must be an RFC 3339 timestamp such as "
						   "2026-01-31T12:00:00Z");
			return;
		}
	}
	px_server_defer (server, message, FALSE, px_api_export_work, g_steal_pointer (&call),
			 (GDestroyNotify)px_api_call_free);
}

/* Returns: the id in "/api/practices/ID[/action]", 0 if none; @action receives the rest */
static gint64
px_api_parse_practice_path (const char *path, const char **action)
{
	const char *rest = path + strlen ("/api/practices/");
	const char *slash = strchr (rest, '/');
	g_autofree char *digits =
	    g_strndup (rest, slash != NULL ? (gsize)(slash - rest) : strlen (rest));
	guint64 id = 0;

	*action = slash != NULL ? slash + 1 : NULL;
	if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &id, NULL))
		return 0;
	return (gint64)id;
}

typedef struct {
	const char *method;
	PxCallKind kind;
} PxMethodRoute;

static const PxMethodRoute collection_methods[] = {
    {"GET", PX_CALL_SEARCH},
    {"HEAD", PX_CALL_SEARCH},
    {"POST", PX_CALL_CREATE},
    {NULL, 0},
};
static const PxMethodRoute item_methods[] = {
    {"GET", PX_CALL_GET},
    {"HEAD", PX_CALL_GET},
    {"PATCH", PX_CALL_UPDATE},
    {"DELETE", PX_CALL_DELETE},
    {NULL, 0},
};
static const PxMethodRoute publish_methods[] = {{"POST", PX_CALL_PUBLISH}, {NULL, 0}};
static const PxMethodRoute reject_methods[] = {{"POST", PX_CALL_REJECT}, {NULL, 0}};
static const PxMethodRoute export_methods[] = {
    {"GET", PX_CALL_EXPORT},
    {"HEAD", PX_CALL_EXPORT},
    {NULL, 0},
};

/* Returns: the methods of @path and its metrics label, or NULL for an unknown path */
static const PxMethodRoute *
px_api_route (const char *path, gint64 *id, const char **label, const char **allow)
{
	const char *action = NULL;

	*id = 0;
	if (g_str_equal (path, "/api/practices")) {
		*label = "/api/practices";
		*allow = "GET, HEAD, POST";
		return collection_methods;
	}
	if (g_str_equal (path, "/api/export")) {
		*label = "/api/export";
		*allow = "GET, HEAD";
		return export_methods;
	}
	if (!g_str_has_prefix (path, "/api/practices/"))
		return NULL;
	*id = px_api_parse_practice_path (path, &action);
	if (*id == 0)
		return NULL;
	if (action == NULL) {
		*label = "/api/practices/{id}";
		*allow = "GET, HEAD, PATCH, DELETE";
		return item_methods;
	}
	*allow = "POST";
	if (g_str_equal (action, "publish")) {
		*label = "/api/practices/{id}/publish";
		return publish_methods;
	}
	if (g_str_equal (action, "reject")) {
		*label = "/api/practices/{id}/reject";
		return reject_methods;
	}
	return NULL;
}

static gboolean
px_api_check_write (SoupServerMessage *message, PxApiCall *call)
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
	if (has_body)
		call->body =
		    soup_message_body_flatten (soup_server_message_get_request_body (message));
	return TRUE;
}

void
px_api_handle (PxServer *server, SoupServerMessage *message, const char *path)
{
	const char *method = soup_server_message_get_method (message);
	const char *label = "other", *allow = NULL;
	g_autoptr (PxApiCall) call = g_new0 (PxApiCall, 1);
	const PxMethodRoute *methods = px_api_route (path, &call->id, &label, &allow);
	guint m = 0;

	px_server_set_route (message, label);
	if (methods == NULL) {
		px_server_respond_problem (message, SOUP_STATUS_NOT_FOUND, "no such resource");
		return;
	}
	while (methods[m].method != NULL && !g_str_equal (methods[m].method, method))
		m++;
	if (methods[m].method == NULL) {
		PxResponse response = {0};
		px_response_set_problem (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
					 "this method is not allowed here", NULL);
		response.allow = allow;
		px_server_respond (message, &response);
		return;
	}
	call->server = server;
	call->kind = methods[m].kind;
	call->token = px_api_bearer (message);
	switch (call->kind) {
	case PX_CALL_SEARCH:
		px_api_start_search (server, message, g_steal_pointer (&call));
		return;
	case PX_CALL_EXPORT:
		px_api_start_export (server, message, g_steal_pointer (&call));
		return;
	case PX_CALL_GET:
		px_server_defer (server, message, FALSE, px_api_get_work, g_steal_pointer (&call),
				 (GDestroyNotify)px_api_call_free);
		return;
	default:
		if (px_api_check_write (message, call))
			px_server_defer (server, message, TRUE, px_api_write_work,
					 g_steal_pointer (&call), (GDestroyNotify)px_api_call_free);
		return;
	}
}
