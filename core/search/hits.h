/* hits.h: full-text matches of an FTS5 expression. */
#pragma once

#include <glib.h>

#include "facets.h"
#include "store/store.h"

/* Returns: (transfer full) (element-type PxHit): every hit of @fts in rowid order, scored when
 * @scored, or NULL with @error set (PX_ERROR_INVALID when FTS5 refuses the expression) */
GArray *px_hits_find (PxStore *reader, const char *fts, gboolean scored, GError **error);
