/* web-catalog.h: PxWebCatalog, one language's translations, read from a gettext .mo file. */
#pragma once

#include <glib.h>

typedef struct _PxWebCatalog PxWebCatalog;

/**
 * px_web_catalog_from_mo:
 *
 * Reads a gettext .mo file (either byte order). Returns: (transfer full): the catalog, or NULL
 * with PX_ERROR_INVALID for anything that is not one
 */
PxWebCatalog *px_web_catalog_from_mo (const char *language, GBytes *mo, GError **error);
void px_web_catalog_free (PxWebCatalog *catalog);
/* Returns: (transfer none): the language code it was read for ("sv") */
const char *px_web_catalog_get_language (const PxWebCatalog *catalog);
/* Returns: (transfer none): the translation of @msgid, or @msgid itself; @catalog nullable */
const char *px_web_catalog_gettext (const PxWebCatalog *catalog, const char *msgid);
/* Returns: (transfer none): the form of @singular or @plural for @n (the rule n != 1) */
const char *px_web_catalog_ngettext (const PxWebCatalog *catalog, const char *singular,
				     const char *plural, gulong n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebCatalog, px_web_catalog_free)
