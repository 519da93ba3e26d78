/* api-private.h: what the API's resources share: the API context, the call a request becomes on
 * its way through a pool, authentication, the parsing of bodies and queries (api.c), and each
 * resource's entry points (api-search.c, api-practices.c, api-export.c, api-status.c). */
#pragma once

#include "api.h"
#include "http/server.h"
#include "lua/plugins.h"
#include "practices/practices.h"
#include "search/search.h"
#include "store/export.h"
#include "store/token.h"

typedef struct _PxApiBinding PxApiBinding;

struct _PxApi {
	PxSearchIndex *search;
	PxPractices *practices; /* the write path; its changes run on the writer's thread */
	PxPlugins *plugins;	/* (nullable): the plugin host, which hooks into practices */
	PxServer *server;	/* (nullable): the server it registered into */
	PxApiBinding *bindings; /* (nullable): what each route's handler is given (api.c) */
};

typedef enum {
	PX_CALL_SEARCH,
	PX_CALL_GET,
	PX_CALL_CREATE,
	PX_CALL_UPDATE,
	PX_CALL_DELETE,
	PX_CALL_PUBLISH,
	PX_CALL_REJECT,
	PX_CALL_EXPORT,
	PX_CALL_LIST_PLUGINS,
	PX_CALL_RELOAD_PLUGINS,
} PxCallKind;

/* one API request on its way through a pool */
typedef struct {
	PxApi *api;
	PxCallKind kind;
	gint64 id;
	char *token;  /* (nullable) */
	GBytes *body; /* (nullable) */
	PxSearchRequest *search;
	char *since;		/* (nullable) */
	PxExportCursor *cursor; /* (nullable): an export under way */
	gboolean view_contact;
} PxApiCall;

void px_api_call_free (PxApiCall *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxApiCall, px_api_call_free)

/* Returns: (transfer full) (nullable): the caller, NULL for anonymous or with @error for a bad
 * token */
PxUser *px_api_authenticate (PxApiCall *call, PxStore *store, GError **error);
JsonObject *px_api_parse_body (PxApiCall *call, GError **error);
gboolean px_api_content_is_json (SoupServerMessage *message);
/* Returns: the query parameters in order, or NULL after answering 400 */
GPtrArray *px_api_query_pairs (SoupServerMessage *message);

/* api-plugins.c: GET /api/plugins, POST /api/plugins/reload */
void px_api_plugins_work (gpointer data, PxStore *store, PxResponse *response);

/* api-search.c: GET /api/practices */
void px_api_search_start (PxServer *server, SoupServerMessage *message, PxApiCall *owned);

/* api-practices.c: one practice, create, update, delete, publish, reject */
void px_api_practices_get_work (gpointer data, PxStore *store, PxResponse *response);
void px_api_practices_write_work (gpointer data, PxStore *store, PxResponse *response);
gboolean px_api_practices_check_write (SoupServerMessage *message, PxApiCall *call);

/* api-export.c: GET /api/export */
void px_api_export_start (PxServer *server, SoupServerMessage *message, PxApiCall *owned);

/* api-status.c: GET /healthz and /metrics */
void px_api_status_register (PxApi *api, PxServer *server);
