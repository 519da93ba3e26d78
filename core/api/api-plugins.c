/* api-plugins.c: the plugins resource, for admins: GET /api/plugins (each enabled plugin, its
 * status and what it handles) and POST /api/plugins/reload (praxis.conf read again, the
 * plugins replaced as one set, as on SIGHUP). Runs in the pools. */
#define G_LOG_DOMAIN "PxApi"

#include "api-private.h"
#include "store/user.h"
#include "util/error.h"

static void
px_api_plugins_add_strv (JsonBuilder *builder, const char *name, GStrv values)
{
	json_builder_set_member_name (builder, name);
	json_builder_begin_array (builder);
	for (char **value = values; *value != NULL; value++)
		json_builder_add_string_value (builder, *value);
	json_builder_end_array (builder);
}

static void
px_api_plugins_render (PxApi *api, PxResponse *response)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autoptr (GPtrArray) infos =
	    api->plugins != NULL ? px_plugins_list (api->plugins) : g_ptr_array_new ();

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "plugins");
	json_builder_begin_array (builder);
	for (guint i = 0; i < infos->len; i++) {
		PxPluginsInfo *info = g_ptr_array_index (infos, i);

		json_builder_begin_object (builder);
		json_builder_set_member_name (builder, "name");
		json_builder_add_string_value (builder, info->name);
		json_builder_set_member_name (builder, "status");
		json_builder_add_string_value (builder, px_plugins_status_to_string (info->status));
		json_builder_set_member_name (builder, "reason");
		if (info->reason != NULL)
			json_builder_add_string_value (builder, info->reason);
		else
			json_builder_add_null_value (builder);
		px_api_plugins_add_strv (builder, "events", info->events);
		px_api_plugins_add_strv (builder, "importers", info->importers);
		px_api_plugins_add_strv (builder, "timers", info->timers);
		json_builder_set_member_name (builder, "memory_bytes");
		json_builder_add_int_value (builder, (gint64)info->memory);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	px_response_set_json (response, SOUP_STATUS_OK, builder);
}

static gboolean
px_api_plugins_check_admin (const PxUser *user, GError **error)
{
	if (user == NULL || user->role != PX_ROLE_ADMIN) {
		g_set_error_literal (error, PX_ERROR,
				     user == NULL ? PX_ERROR_UNAUTHORIZED : PX_ERROR_FORBIDDEN,
				     "only admins see and reload the plugins");
		return FALSE;
	}
	return TRUE;
}

void
px_api_plugins_work (gpointer data, PxStore *store, PxResponse *response)
{
	PxApiCall *call = data;
	g_autoptr (GError) error = NULL;
	g_autoptr (PxUser) user = px_api_authenticate (call, store, &error);

	if (error == NULL && px_api_plugins_check_admin (user, &error) &&
	    call->kind == PX_CALL_RELOAD_PLUGINS && call->api->plugins != NULL)
		px_plugins_reload (call->api->plugins, &error);
	if (error != NULL) {
		px_response_set_error (response, error);
		return;
	}
	px_api_plugins_render (call->api, response);
}
