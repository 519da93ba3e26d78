/* lua-http.h: px.http, HTTP requests for plugins (libsoup 3, asynchronous: the calling task
 * waits, the thread that runs it goes on). */
#pragma once

#include <lua.h>

/* the most of an answer's body read when a call names no max_bytes, and the most it may name */
#define PX_LUA_HTTP_MAX_BYTES_DEFAULT (16 * 1024 * 1024)
#define PX_LUA_HTTP_MAX_BYTES_CAP (64 * 1024 * 1024)
/* a whole request's deadline in seconds when a call names no timeout, and the most it may name */
#define PX_LUA_HTTP_TIMEOUT_DEFAULT 30
#define PX_LUA_HTTP_TIMEOUT_MAX 3600
/* redirects followed at most (301, 302, 303, 307, 308 to http or https) */
#define PX_LUA_HTTP_MAX_REDIRECTS 5

/**
 * px_lua_http_open:
 *
 * Pushes the table px.http: get(url [, opts]) and post(url, body [, opts]), with opts
 * {headers = {name = value, ...}, timeout = seconds, max_bytes = n, content_type = "..."
 * (post)}. Each gives {status = n, headers = {lowercase name = value, ...}, body = "..."}, or
 * nil and the reason on a transport error, a timeout or a body past max_bytes. They wait, so
 * they run only in a task (a timer or an importer): elsewhere they raise an error.
 *
 * Returns: 1
 */
int px_lua_http_open (lua_State *L);
