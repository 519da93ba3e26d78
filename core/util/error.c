/* error.c: the PX_ERROR domain and the mapping of SQLite result codes onto it. */
#define G_LOG_DOMAIN "PxError"

#include <sqlite3.h>

#include "error.h"

G_DEFINE_QUARK (px - error - quark, px_error)

void
px_error_set_sqlite (GError **error, int rc, const char *message)
{
	PxError code;

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		code = PX_ERROR_CONFLICT;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = PX_ERROR_BUSY;
		break;
	case SQLITE_INTERRUPT:
		code = PX_ERROR_TIMEOUT;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		code = PX_ERROR_CORRUPT;
		break;
	default:
		code = PX_ERROR_INTERNAL;
		break;
	}
	g_set_error (error, PX_ERROR, code, "%s", message != NULL ? message : sqlite3_errstr (rc));
}
