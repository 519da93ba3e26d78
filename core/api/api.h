/* api.h: the JSON API under /api: search, one practice, create, update, delete, moderation,
 * export. Parses and checks each request on the main context, then defers to the pools. */
#pragma once

#include <libsoup/soup.h>

typedef struct _PxServer PxServer;

/* handles every request whose path starts with /api */
void px_api_handle (PxServer *server, SoupServerMessage *message, const char *path);

/* api-status.c: GET /healthz and GET /metrics, exactly those paths */
void px_api_status_handle_healthz (PxServer *server, SoupServerMessage *message, const char *path);
void px_api_status_handle_metrics (PxServer *server, SoupServerMessage *message, const char *path);
