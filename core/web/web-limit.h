/* web-limit.h: PxWebLimit, a rate limit by key (a client's address): at most N events in a
 * sliding window, counted in memory and shared by the threads that serve pages (a mutex). */
#pragma once

#include <glib.h>

typedef struct _PxWebLimit PxWebLimit;

/* Returns: (transfer full): a limit of @max events per @window_seconds for each key */
PxWebLimit *px_web_limit_new (guint max, gint64 window_seconds);
void px_web_limit_free (PxWebLimit *limit);
/* Returns: TRUE when @key has had fewer than the limit's events in the window */
gboolean px_web_limit_allows (PxWebLimit *limit, const char *key);
/* counts an event of @key now */
void px_web_limit_add (PxWebLimit *limit, const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebLimit, px_web_limit_free)
