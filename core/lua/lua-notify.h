/* lua-notify.h: px.webhook and px.mail, notifications put in the outbox (store/outbox.c) with
 * the change that causes them, and delivered by the server after commit (notify/delivery.c). */
#pragma once

#include <lua.h>

/* pushes px.webhook{url =, secret =, practice = p [, event =]} → the message's id */
int px_lua_notify_open_webhook (lua_State *L);
/* pushes px.mail{smtp_url =, from =, to = address or list, subject =, text = [, event =]} →
 * the message's id */
int px_lua_notify_open_mail (lua_State *L);
