/* lua-modules.c: the table of the px API's modules: one row per binding (core/lua/lua-NAME.c). */
#include "lua-modules.h"

#include <stddef.h>

#include "lua-csv.h"
#include "lua-feed.h"
#include "lua-hmac.h"
#include "lua-http.h"
#include "lua-json.h"
#include "lua-keywords.h"
#include "lua-notify.h"
#include "lua-read.h"
#include "lua-storage.h"

static const PxLuaModule px_lua_modules[] = {
    {"admins", px_lua_read_open_admins},
    {"csv", px_lua_csv_open},
    {"feed", px_lua_feed_open},
    {"get", px_lua_read_open_get},
    {"hmac", px_lua_hmac_open},
    {"http", px_lua_http_open},
    {"json", px_lua_json_open},
    {"keywords", px_lua_keywords_open},
    {"mail", px_lua_notify_open_mail},
    {"search", px_lua_read_open_search},
    {"storage", px_lua_storage_open},
    {"webhook", px_lua_notify_open_webhook},
    {NULL, NULL}, /* the end (a comment here keeps clang-format from packing rows) */
};

const PxLuaModule *
px_lua_modules_list (void)
{
	return px_lua_modules;
}
