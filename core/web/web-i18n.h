/* web-i18n.h: PxWebI18n, the interface's languages: a catalog per .mo file (compiled from
 * core/web/po/LANG.po into the binary), and the choice of a language from a cookie or the
 * browser's Accept-Language. English is the source language and has no catalog. */
#pragma once

#include <glib.h>

#include "web-catalog.h"

typedef struct _PxWebI18n PxWebI18n;

/* Returns: (transfer full): the catalogs embedded in the binary, or NULL with @error set for
 * one that is not a valid .mo file */
PxWebI18n *px_web_i18n_new (GError **error);
void px_web_i18n_free (PxWebI18n *i18n);
/* Returns: (transfer none): the language codes, "en" first, then the catalogs' in order */
const char *const *px_web_i18n_languages (const PxWebI18n *i18n);
/**
 * px_web_i18n_choose:
 * @chosen: (nullable): the language the visitor chose (the cookie), tried first
 * @accept_language: (nullable): the Accept-Language header
 *
 * Returns: (transfer none): the best language the interface speaks, "en" when none fits
 */
const char *px_web_i18n_choose (const PxWebI18n *i18n, const char *chosen,
				const char *accept_language);
/* Returns: (transfer none) (nullable): the catalog of @language, NULL for English or unknown */
const PxWebCatalog *px_web_i18n_catalog (const PxWebI18n *i18n, const char *language);
