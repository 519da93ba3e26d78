/* i18n-catalog.c: PxI18nCatalog, one language's gettext .mo file (either byte order), every
 * offset checked against its size, looked up per request, so that one process speaks every
 * language at once (setlocale is process-wide). Plural forms follow the rule n != 1, which
 * English and Swedish share. */
#define G_LOG_DOMAIN "PxI18n"

#include <string.h>

#include "i18n-catalog.h"
#include "util/error.h"

#define PX_MO_MAGIC 0x950412deu

struct _PxI18nCatalog {
	char *language;
	GBytes *mo;
	GHashTable *messages; /* msgid (singular) -> msgstr, both inside @mo */
	GHashTable *plurals;  /* msgid (singular) -> msgstr's second form, when it has one */
};

void
px_i18n_catalog_free (PxI18nCatalog *catalog)
{
	if (catalog == NULL)
		return;
	g_free (catalog->language);
	g_clear_pointer (&catalog->messages, g_hash_table_unref);
	g_clear_pointer (&catalog->plurals, g_hash_table_unref);
	g_clear_pointer (&catalog->mo, g_bytes_unref);
	g_free (catalog);
}

static guint32
px_i18n_catalog_word (const guchar *data, gsize offset, gboolean swap)
{
	guint32 word;

	memcpy (&word, data + offset, sizeof word);
	return swap ? GUINT32_SWAP_LE_BE (word) : word;
}

/* Returns: the string of table entry @index at @table, or NULL when it lies outside @size or
 * is not NUL-terminated; @length (nullable) its length, the NULs between plural forms
 * included */
static const char *
px_i18n_catalog_string (const guchar *data, gsize size, guint32 table, guint32 index, gboolean swap,
			guint32 *string_length)
{
	guint64 entry = (guint64)table + (guint64)index * 8;
	guint32 length, offset;

	if (entry + 8 > size)
		return NULL;
	length = px_i18n_catalog_word (data, entry, swap);
	offset = px_i18n_catalog_word (data, entry + 4, swap);
	if ((guint64)offset + length >= size || data[offset + length] != '\0')
		return NULL;
	if (string_length != NULL)
		*string_length = length;
	return (const char *)data + offset;
}

PxI18nCatalog *
px_i18n_catalog_from_mo (const char *language, GBytes *mo, GError **error)
{
	gsize size = 0;
	const guchar *data = g_bytes_get_data (mo, &size);
	g_autoptr (PxI18nCatalog) catalog = g_new0 (PxI18nCatalog, 1);
	guint32 count, originals, translations;
	gboolean swap;

	if (size < 20 || (px_i18n_catalog_word (data, 0, FALSE) != PX_MO_MAGIC &&
			  px_i18n_catalog_word (data, 0, TRUE) != PX_MO_MAGIC)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "catalog %s: not a .mo file",
			     language);
		return NULL;
	}
	swap = px_i18n_catalog_word (data, 0, FALSE) != PX_MO_MAGIC;
	count = px_i18n_catalog_word (data, 8, swap);
	originals = px_i18n_catalog_word (data, 12, swap);
	translations = px_i18n_catalog_word (data, 16, swap);
	catalog->language = g_strdup (language);
	catalog->mo = g_bytes_ref (mo);
	catalog->messages = g_hash_table_new (g_str_hash, g_str_equal);
	catalog->plurals = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint32 i = 0; i < count; i++) {
		guint32 length = 0;
		const char *msgid = px_i18n_catalog_string (data, size, originals, i, swap, NULL);
		const char *msgstr =
		    px_i18n_catalog_string (data, size, translations, i, swap, &length);

		if (msgid == NULL || msgstr == NULL) {
			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "catalog %s: message %u lies outside the file", language, i);
			return NULL;
		}
		/* the header (msgid "") and untranslated messages are not looked up */
		if (*msgid == '\0' || *msgstr == '\0')
			continue;
		g_hash_table_insert (catalog->messages, (gpointer)msgid, (gpointer)msgstr);
		/* the forms follow one another inside @length, each ended by its NUL */
		if (strlen (msgstr) + 1 < length)
			g_hash_table_insert (catalog->plurals, (gpointer)msgid,
					     (gpointer)(msgstr + strlen (msgstr) + 1));
	}
	return g_steal_pointer (&catalog);
}

const char *
px_i18n_catalog_gettext (const PxI18nCatalog *catalog, const char *msgid)
{
	const char *msgstr =
	    catalog != NULL ? g_hash_table_lookup (catalog->messages, msgid) : NULL;

	return msgstr != NULL ? msgstr : msgid;
}

const char *
px_i18n_catalog_ngettext (const PxI18nCatalog *catalog, const char *singular, const char *plural,
			  gulong n)
{
	const char *forms =
	    catalog != NULL ? g_hash_table_lookup (catalog->messages, singular) : NULL;
	const char *second =
	    forms != NULL && n != 1 ? g_hash_table_lookup (catalog->plurals, singular) : NULL;

	if (forms == NULL)
		return n == 1 ? singular : plural;
	return second != NULL && *second != '\0' ? second : forms;
}

const char *
px_i18n_catalog_get_language (const PxI18nCatalog *catalog)
{
	return catalog->language;
}
