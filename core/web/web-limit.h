/* web-limit.h: PxWebLimit, a rate limit by key (a client's address, an e-mail address): at most
 * N events in a sliding window, counted in memory and shared by the threads that serve pages (a
 * mutex); bounded in keys: when full of live ones it forgets the keys under their limit seen
 * least recently, and refuses new keys only when every key it holds is at its limit. */
#pragma once

#include <glib.h>

typedef struct _PxWebLimit PxWebLimit;

/* Returns: (transfer full): a limit of @max events per @window_seconds for each key */
PxWebLimit *px_web_limit_new (guint max, gint64 window_seconds);
/* Returns: (transfer full): the same, holding at most @max_keys keys (65536 for _new) */
PxWebLimit *px_web_limit_new_bounded (guint max, gint64 window_seconds, guint max_keys);
void px_web_limit_free (PxWebLimit *limit);
/* Returns: TRUE when @key has had fewer than the limit's events in the window (FALSE for a key
 * the limit does not hold while it is full of keys at their limit) */
gboolean px_web_limit_allows (PxWebLimit *limit, const char *key);
/* Returns: the seconds until px_web_limit_allows @key (rounded up), 0 when it does now; the
 * whole window while a table full of keys at their limit refuses @key */
gint64 px_web_limit_wait (PxWebLimit *limit, const char *key);
/* counts an event of @key now (none while a table full of keys at their limit refuses @key) */
void px_web_limit_add (PxWebLimit *limit, const char *key);
/* forgets @key's events (a sign-in that succeeded ends its failures' count) */
void px_web_limit_forget (PxWebLimit *limit, const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebLimit, px_web_limit_free)
