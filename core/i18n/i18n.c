/* i18n.c: the languages of the pages and the mails: a catalog per .mo file in the binary's
 * resources, and the negotiation of a language (RFC 9110's Accept-Language with q-values, primary
 * subtags compared). */
#define G_LOG_DOMAIN "PxI18n"

#include <gio/gio.h>
#include <string.h>

#include "i18n-catalog.h"
#include "i18n.h"
#include "util/error.h"

#define PX_I18N_LOCALE_RESOURCES "/org/praxis/i18n/locale"

struct _PxI18n {
	GPtrArray *catalogs;  /* (element-type PxI18nCatalog) */
	GPtrArray *languages; /* "en", then each catalog's, NULL-terminated */
};

void
px_i18n_free (PxI18n *i18n)
{
	if (i18n == NULL)
		return;
	g_clear_pointer (&i18n->catalogs, g_ptr_array_unref);
	g_clear_pointer (&i18n->languages, g_ptr_array_unref);
	g_free (i18n);
}

/* strcmp for qsort of a GStrv */
static int
px_i18n_compare_names (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(char *const *)a, *(char *const *)b);
}

PxI18n *
px_i18n_new (GError **error)
{
	g_autoptr (PxI18n) i18n = g_new0 (PxI18n, 1);
	g_auto (GStrv) names = g_resources_enumerate_children (PX_I18N_LOCALE_RESOURCES,
							       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

	i18n->catalogs = g_ptr_array_new_with_free_func ((GDestroyNotify)px_i18n_catalog_free);
	i18n->languages = g_ptr_array_new ();
	g_ptr_array_add (i18n->languages, (gpointer) "en");
	if (names != NULL)
		qsort (names, g_strv_length (names), sizeof (char *), px_i18n_compare_names);
	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		g_autofree char *path =
		    g_strdup_printf ("%s/%s", PX_I18N_LOCALE_RESOURCES, names[i]);
		g_autofree char *language = g_strndup (names[i], strcspn (names[i], "."));
		g_autoptr (GBytes) mo =
		    g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
		PxI18nCatalog *catalog;

		if (mo == NULL)
			return NULL;
		catalog = px_i18n_catalog_from_mo (language, mo, error);
		if (catalog == NULL)
			return NULL;
		g_ptr_array_add (i18n->catalogs, catalog);
		g_ptr_array_add (i18n->languages, (gpointer)px_i18n_catalog_get_language (catalog));
	}
	g_ptr_array_add (i18n->languages, NULL);
	return g_steal_pointer (&i18n);
}

const char *const *
px_i18n_languages (const PxI18n *i18n)
{
	return (const char *const *)i18n->languages->pdata;
}

/* Returns: (transfer none) (nullable): the language of @tag ("sv-SE", "SV") it speaks */
static const char *
px_i18n_find (const PxI18n *i18n, const char *tag, gsize length)
{
	gsize primary = 0;

	while (primary < length && g_ascii_isalpha (tag[primary]))
		primary++;
	if (primary == 0 || (primary < length && tag[primary] != '-'))
		return NULL;
	for (guint i = 0; i + 1 < i18n->languages->len; i++) {
		const char *language = g_ptr_array_index (i18n->languages, i);

		if (strlen (language) == primary &&
		    g_ascii_strncasecmp (language, tag, primary) == 0)
			return language;
	}
	return NULL;
}

/* Returns: the q-value of one Accept-Language range's parameters (";q=0.5"), 1 without one */
static double
px_i18n_quality (const char *parameters)
{
	const char *q = strstr (parameters, "q=");
	char *end = NULL;
	double value;

	if (q == NULL)
		return 1.0;
	value = g_ascii_strtod (q + 2, &end);
	return end == q + 2 || value < 0 || value > 1 ? 0 : value;
}

const char *
px_i18n_choose (const PxI18n *i18n, const char *chosen, const char *accept_language)
{
	const char *best = NULL;
	double best_quality = 0;
	g_auto (GStrv) ranges = NULL;

	if (chosen != NULL && (best = px_i18n_find (i18n, chosen, strlen (chosen))) != NULL)
		return best;
	if (accept_language == NULL || strlen (accept_language) > 4096)
		return "en";
	ranges = g_strsplit (accept_language, ",", 64);
	for (guint i = 0; ranges[i] != NULL; i++) {
		char *range = g_strstrip (ranges[i]);
		gsize length = strcspn (range, "; ");
		double quality = px_i18n_quality (range + length);
		const char *language = px_i18n_find (i18n, range, length);

		if (language != NULL && quality > best_quality) {
			best = language;
			best_quality = quality;
		}
	}
	return best != NULL ? best : "en";
}

const PxI18nCatalog *
px_i18n_get_catalog (const PxI18n *i18n, const char *language)
{
	for (guint i = 0; i < i18n->catalogs->len; i++) {
		const PxI18nCatalog *catalog = g_ptr_array_index (i18n->catalogs, i);

		if (g_strcmp0 (px_i18n_catalog_get_language (catalog), language) == 0)
			return catalog;
	}
	return NULL;
}
