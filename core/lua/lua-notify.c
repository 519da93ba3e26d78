/* lua-notify.c: px.webhook and px.mail for plugins: a message added to the outbox with the
 * call's connection (in a practice event, inside the change's transaction: the message exists
 * if and only if the change does), then the server's deliverer woken. Nothing is sent here. */
#define G_LOG_DOMAIN "PxLua"

#include "lua-notify.h"

#include <lauxlib.h>

#include "lua-call.h"
#include "lua-practice.h"
#include "notify/delivery.h"
#include "store/outbox.h"

/* the text member @name of the table at 1, or NULL when absent and not @required */
static const char *
px_lua_notify_field (lua_State *L, const char *what, const char *name, gboolean required)
{
	const char *value;

	lua_getfield (L, 1, name);
	if (lua_isnil (L, -1) && !required) {
		lua_pop (L, 1);
		return NULL;
	}
	if (lua_type (L, -1) != LUA_TSTRING)
		luaL_error (L, "%s: %s must be text", what, name);
	value = lua_tostring (L, -1);
	lua_pop (L, 1); /* the table keeps it alive */
	return value;
}

static PxLuaCall *
px_lua_notify_call (lua_State *L, const char *what)
{
	PxLuaCall *call = px_lua_call_get (L);

	luaL_checktype (L, 1, LUA_TTABLE);
	if (call->store == NULL)
		luaL_error (L, "%s: not available in this event (no database)", what);
	return call;
}

static int
px_lua_notify_done (lua_State *L, PxLuaCall *call, gpointer *slot, GError *error)
{
	if (error != NULL) {
		lua_pushstring (L, error->message);
		g_error_free (error);
		return lua_error (L);
	}
	if (call->delivery != NULL)
		px_delivery_wake (call->delivery);
	lua_pushstring (L, *slot);
	return 1;
}

static int
px_lua_notify_webhook_cb (lua_State *L)
{
	PxLuaCall *call = px_lua_notify_call (L, "px.webhook");
	const char *url = px_lua_notify_field (L, "px.webhook", "url", TRUE);
	const char *secret = px_lua_notify_field (L, "px.webhook", "secret", TRUE);
	const char *event = px_lua_notify_field (L, "px.webhook", "event", FALSE);
	const PxPractice *practice;
	gpointer *slot;
	GError *error = NULL;

	lua_getfield (L, 1, "practice");
	practice = px_lua_practice_get (L, -1);
	if (event == NULL)
		event = px_lua_practice_get_event (L, -1);
	slot = px_lua_call_hold (L, g_free);
	px_outbox_add_webhook (call->store, call->plugin, url, secret, event, practice,
			       (char **)slot, &error);
	return px_lua_notify_done (L, call, slot, error);
}

/* the recipients: one address or a list of them, as a NULL-terminated array in Lua memory */
static const char **
px_lua_notify_recipients (lua_State *L)
{
	const char **to;
	lua_Integer n;

	lua_getfield (L, 1, "to");
	if (lua_type (L, -1) == LUA_TSTRING) {
		to = lua_newuserdatauv (L, 2 * sizeof (char *), 0);
		to[0] = lua_tostring (L, -2);
		to[1] = NULL;
		return to;
	}
	if (lua_type (L, -1) != LUA_TTABLE)
		luaL_error (L, "px.mail: to must be an address or a list of them");
	n = (lua_Integer)lua_rawlen (L, -1);
	if (n < 1 || n > 1000)
		luaL_error (L, "px.mail: to must list 1 to 1000 addresses");
	to = lua_newuserdatauv (L, (size_t)(n + 1) * sizeof (char *), 0);
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_rawgeti (L, -2, i) != LUA_TSTRING)
			luaL_error (L, "px.mail: to must be an address or a list of them");
		to[i - 1] = lua_tostring (L, -1);
		lua_pop (L, 1); /* the list keeps it alive */
	}
	to[n] = NULL;
	return to;
}

static int
px_lua_notify_mail_cb (lua_State *L)
{
	PxLuaCall *call = px_lua_notify_call (L, "px.mail");
	const char *smtp_url = px_lua_notify_field (L, "px.mail", "smtp_url", TRUE);
	const char *from = px_lua_notify_field (L, "px.mail", "from", TRUE);
	const char *subject = px_lua_notify_field (L, "px.mail", "subject", TRUE);
	const char *text = px_lua_notify_field (L, "px.mail", "text", TRUE);
	const char *event = px_lua_notify_field (L, "px.mail", "event", FALSE);
	const char **to = px_lua_notify_recipients (L);
	gpointer *slot = px_lua_call_hold (L, g_free);
	GError *error = NULL;

	px_outbox_add_mail (call->store, call->plugin, smtp_url, from, to, subject, text, event,
			    (char **)slot, &error);
	return px_lua_notify_done (L, call, slot, error);
}

int
px_lua_notify_open_webhook (lua_State *L)
{
	lua_pushcfunction (L, px_lua_notify_webhook_cb);
	return 1;
}

int
px_lua_notify_open_mail (lua_State *L)
{
	lua_pushcfunction (L, px_lua_notify_mail_cb);
	return 1;
}
