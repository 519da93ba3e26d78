/* error.h: the one error domain of Praxis (PX_ERROR) and the folding of SQLite codes into it.
 * server.c maps these codes to HTTP statuses; nothing else interprets them. */
#pragma once

#include <glib.h>

#define PX_ERROR (px_error_quark ())

typedef enum {
	PX_ERROR_INVALID,      /* bad input: a parameter, a file, a command line */
	PX_ERROR_VALIDATION,   /* a practice that breaks the field rules */
	PX_ERROR_NOT_FOUND,    /* no such practice, user or route */
	PX_ERROR_CONFLICT,     /* a unique key (uid, email) already taken */
	PX_ERROR_UNAUTHORIZED, /* no or unknown credentials */
	PX_ERROR_FORBIDDEN,    /* credentials without the right role */
	PX_ERROR_BUSY,	       /* the database stayed locked past busy_timeout */
	PX_ERROR_TIMEOUT,      /* a query ran past its deadline */
	PX_ERROR_CORRUPT,      /* the database or its index is damaged */
	PX_ERROR_INTERNAL,     /* anything else: a bug or an I/O failure */
} PxError;

GQuark px_error_quark (void);

/**
 * px_error_set_sqlite:
 * @error: where to store the error
 * @rc: an SQLite result code
 * @message: SQLite's message (sqlite3_errmsg)
 *
 * Folds an SQLite code into PX_ERROR, keeping CONSTRAINT, BUSY, INTERRUPT and CORRUPT apart.
 */
void px_error_set_sqlite (GError **error, int rc, const char *message);
