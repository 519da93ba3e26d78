/* web-private.h: what the web front end's modules share: the PxWeb context, and each page
 * module's registration (one line in px_web_register per module). */
#pragma once

#include <sodium.h>

#include "i18n/i18n.h"
#include "web-limit.h"
#include "web-template.h"
#include "web.h"

struct _PxWeb {
	const PxConfig *config;
	PxSearchIndex *search;	/* (not owned) */
	PxPractices *practices; /* (not owned): the write path */
	PxPlugins *plugins;	/* (not owned) (nullable) */
	PxServer *server;	/* (not owned) (nullable): the server it registered into */
	PxWebTemplates *templates;
	PxI18n *i18n;
	PxWebLimit *submit_limit;    /* the practices sent per address and hour (web-submit.c) */
	PxWebLimit *subscribe_limit; /* the subscriptions asked per address and hour */
	GHashTable *static_files;    /* (nullable): name -> the file /static/NAME answers */
	/* the key of the forms' tokens (web-request.c), new at each start */
	guchar form_key[crypto_auth_KEYBYTES];
	/* web-account.c: the failed sign-ins of the last minutes per client, per address and
	 * client, and per address, and the sign-ins per address */
	PxWebLimit *login_client_failures;
	PxWebLimit *login_pair_failures;
	PxWebLimit *login_email_failures;
	PxWebLimit *login_sign_ins;
};

/* web-static.c: /static/NAME */
void px_web_static_register (PxWeb *web, PxServer *server);
/* web-search.c: / */
void px_web_search_register (PxWeb *web, PxServer *server);
/* web-submit.c: /submit, /submit/{id}, /submitted, /my */
void px_web_submit_register (PxWeb *web, PxServer *server);
/* web-admin.c: /admin, /admin/practices/{id} and its publish and reject */
void px_web_admin_register (PxWeb *web, PxServer *server);
/* web-subscribe.c: /subscribe, /subscriptions/confirm, /unsubscribe */
void px_web_subscribe_register (PxWeb *web, PxServer *server);
/* web-practice.c: /practices/{id} */
void px_web_practice_register (PxWeb *web, PxServer *server);
/* web-feed.c: /feed.atom and /sitemap.xml */
void px_web_feed_register (PxWeb *web, PxServer *server);
/* web-language.c: /language */
void px_web_language_register (PxWeb *web, PxServer *server);
/* web-account.c: the sign-ins' limits made */
void px_web_account_limits_init (PxWeb *web);
/* web-account.c: /login, /logout, /invite, /admin/users */
void px_web_account_register (PxWeb *web, PxServer *server);
