/* i18n-catalog.h: PxI18nCatalog, one language's translations, read from a gettext .mo file. */
#pragma once

#include <glib.h>

typedef struct _PxI18nCatalog PxI18nCatalog;

/* marks a literal for the catalogs (tests/web/check-po.py collects it), looked up later */
#ifndef N_
#define N_(text) (text)
#endif

/**
 * px_i18n_catalog_from_mo:
 *
 * Reads a gettext .mo file (either byte order). Returns: (transfer full): the catalog, or NULL
 * with PX_ERROR_INVALID for anything that is not one
 */
PxI18nCatalog *px_i18n_catalog_from_mo (const char *language, GBytes *mo, GError **error);
void px_i18n_catalog_free (PxI18nCatalog *catalog);
/* Returns: (transfer none): the language code it was read for ("sv") */
const char *px_i18n_catalog_get_language (const PxI18nCatalog *catalog);
/* Returns: (transfer none): the translation of @msgid, or @msgid itself; @catalog nullable (a
 * format's translation is checked as the format: msgfmt --check holds them alike) */
const char *px_i18n_catalog_gettext (const PxI18nCatalog *catalog, const char *msgid)
    G_GNUC_FORMAT (2);
/* Returns: (transfer none): the form of @singular or @plural for @n (the rule n != 1) */
const char *px_i18n_catalog_ngettext (const PxI18nCatalog *catalog, const char *singular,
				      const char *plural, gulong n) G_GNUC_FORMAT (2)
    G_GNUC_FORMAT (3);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxI18nCatalog, px_i18n_catalog_free)
