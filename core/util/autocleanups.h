/* autocleanups.h: g_autoptr cleanups for the C libraries Praxis uses (SQLite, Snowball). */
#pragma once

#include <glib.h>
#include <libstemmer.h>
#include <sqlite3.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)
typedef struct sb_stemmer PxStemmer;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxStemmer, sb_stemmer_delete)
