/* status.h: the moderation states of a practice and their names. */
#pragma once

#include <glib.h>

typedef enum {
	PX_STATUS_PENDING,
	PX_STATUS_PUBLISHED,
	PX_STATUS_REJECTED,
} PxStatus;

/* the number of states, for arrays indexed by PxStatus */
#define PX_STATUS_N 3

const char *px_status_to_string (PxStatus status);
gboolean px_status_from_string (const char *text, PxStatus *status);
