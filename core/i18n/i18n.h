/* i18n.h: PxI18n, the languages Praxis speaks, on its pages and in its mails: a catalog per
 * .mo file (compiled from core/i18n/po/LANG.po into the binary), and the choice of a language
 * from a cookie or the browser's Accept-Language. English is the source language and has no
 * catalog. */
#pragma once

#include <glib.h>

#include "i18n-catalog.h"

typedef struct _PxI18n PxI18n;

/* Returns: (transfer full): the catalogs embedded in the binary, or NULL with @error set for
 * one that is not a valid .mo file */
PxI18n *px_i18n_new (GError **error);
void px_i18n_free (PxI18n *i18n);
/* Returns: (transfer none): the language codes, "en" first, then the catalogs' in order */
const char *const *px_i18n_languages (const PxI18n *i18n);
/**
 * px_i18n_choose:
 * @chosen: (nullable): the language the visitor chose (the cookie), tried first
 * @accept_language: (nullable): the Accept-Language header
 *
 * Returns: (transfer none): the best language the interface speaks, "en" when none fits
 */
const char *px_i18n_choose (const PxI18n *i18n, const char *chosen, const char *accept_language);
/* Returns: (transfer none) (nullable): the catalog of @language, NULL for English or unknown */
const PxI18nCatalog *px_i18n_get_catalog (const PxI18n *i18n, const char *language);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxI18n, px_i18n_free)
