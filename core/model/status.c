/* status.c: the moderation states of a practice (pending, published, rejected) and their names
 * in JSON, the database and URLs. */
#define G_LOG_DOMAIN "PxStatus"

#include "status.h"

static const char *const status_names[PX_STATUS_N + 1] = {"pending", "published", "rejected", NULL};

const char *
px_status_to_string (PxStatus status)
{
	return status_names[status];
}

gboolean
px_status_from_string (const char *text, PxStatus *status)
{
	for (guint i = 0; status_names[i] != NULL; i++) {
		if (g_strcmp0 (text, status_names[i]) == 0) {
			*status = (PxStatus)i;
			return TRUE;
		}
	}
	return FALSE;
}
