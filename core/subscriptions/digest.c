/* digest.c: a subscription's mails as plain text: the digest (why it was sent, the new practices
 * newest first, how many more, the unsubscribe link and RFC 8058's one-click headers) and the
 * confirmation of double opt-in. Text from practices is put on one line, control characters
 * as spaces, so that no title can forge a line of its own (a link, say). Their words are in the
 * subscription's language, through its catalog (core/i18n/po: every msgid here has a
 * translation there, tests/web/check-po.py checks it). */
#define G_LOG_DOMAIN "PxSubscriptions"

#include <string.h>

#include "digest.h"
#include "i18n/i18n-catalog.h"
#include "util/error.h"
#include "util/form.h"

/* the most characters of the search's description in a subject */
#define PX_DIGEST_SUBJECT_SEARCH 60

/* the words for the facets of px_facets_get_name(), in PxFacet's order, translated */
static const char *const px_digest_facet_words[] = {
    N_ ("country"), N_ ("city"), N_ ("focus"), N_ ("theme"), N_ ("project"), N_ ("language"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (px_digest_facet_words) == PX_FACET_YEAR);

void
px_digest_mail_free (PxDigestMail *mail)
{
	if (mail == NULL)
		return;
	g_free (mail->subject);
	g_free (mail->text);
	g_strfreev (mail->headers);
	g_free (mail);
}

PxSearchRequest *
px_digest_parse_query (const char *query, GError **error)
{
	g_autoptr (GPtrArray) pairs = px_form_decode (query, error);
	g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
	PxSearchRequest *request;

	if (pairs == NULL) {
		g_prefix_error (error, "the subscription's search '%s': ", query);
		return NULL;
	}
	request = px_search_request_parse (pairs, errors);
	if (request == NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "the subscription's search '%s' is not a search any more", query);
		return NULL;
	}
	return request;
}

/* appends @text on one line: control characters (a line break too) as spaces */
static void
px_digest_append_line_text (GString *out, const char *text)
{
	g_autofree char *valid = g_utf8_make_valid (text, -1);

	for (char *c = valid; *c != '\0'; c++) {
		if ((guchar)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	}
	g_string_append (out, g_strstrip (valid));
}

static const char *
px_digest_describe_frequency (const PxI18nCatalog *catalog, PxSubscriptionFrequency frequency)
{
	switch (frequency) {
	case PX_SUBSCRIPTION_DAILY:
		return px_i18n_catalog_gettext (catalog, "in a daily digest");
	case PX_SUBSCRIPTION_WEEKLY:
		return px_i18n_catalog_gettext (catalog, "in a weekly digest");
	case PX_SUBSCRIPTION_IMMEDIATE:
	default:
		return px_i18n_catalog_gettext (catalog, "as soon as they are published");
	}
}

/* Returns: (transfer full): @request in words of @catalog's language, "" for the empty search */
static char *
px_digest_describe (const PxI18nCatalog *catalog, const PxSearchRequest *request)
{
	g_autoptr (GString) out = g_string_new (NULL);
	const PxFilters *filters = &request->filters;

	if (request->q != NULL) {
		g_string_append_c (out, '"');
		px_digest_append_line_text (out, request->q);
		g_string_append_c (out, '"');
	}
	for (guint f = 0; f < PX_FACET_YEAR; f++) {
		GPtrArray *values = filters->values[f];

		if (values == NULL || values->len == 0)
			continue;
		g_string_append_printf (
		    out, "%s%s ", out->len > 0 ? ", " : "",
		    px_i18n_catalog_gettext (catalog, px_digest_facet_words[f]));
		for (guint v = 0; v < values->len; v++) {
			if (v > 0)
				g_string_append_printf (out, " %s ",
							px_i18n_catalog_gettext (catalog, "or"));
			px_digest_append_line_text (out, g_ptr_array_index (values, v));
		}
	}
	if (out->len > 0 && (filters->year_from != 0 || filters->year_to != 0))
		g_string_append (out, ", ");
	if (filters->year_from != 0 && filters->year_to != 0)
		g_string_append_printf (out, px_i18n_catalog_gettext (catalog, "years %d to %d"),
					filters->year_from, filters->year_to);
	else if (filters->year_from != 0)
		g_string_append_printf (out, px_i18n_catalog_gettext (catalog, "from %d"),
					filters->year_from);
	else if (filters->year_to != 0)
		g_string_append_printf (out, px_i18n_catalog_gettext (catalog, "till %d"),
					filters->year_to);
	return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
px_digest_describe_search (const PxSearchRequest *request)
{
	g_autofree char *description = px_digest_describe (NULL, request);

	return description[0] != '\0' ? g_steal_pointer (&description)
				      : g_strdup ("every practice");
}

/* Returns: (transfer full): what the subscription is to, "new practices of the search ..." */
static char *
px_digest_describe_subject (const PxI18nCatalog *catalog, const char *description,
			    PxSubscriptionFrequency frequency)
{
	const char *when = px_digest_describe_frequency (catalog, frequency);

	if (description[0] == '\0')
		return g_strdup_printf (px_i18n_catalog_gettext (catalog, "every new practice %s"),
					when);
	return g_strdup_printf (
	    px_i18n_catalog_gettext (catalog, "new practices of the search %s %s"), description,
	    when);
}

/* Returns: (transfer full): the search page of @subscription's search, newest first */
static char *
px_digest_get_search_url (const char *base_url, const PxSubscription *subscription)
{
	return g_strdup_printf ("%s/?%s%ssort=newest", base_url, subscription->query,
				subscription->query[0] != '\0' ? "&" : "");
}

char *
px_digest_get_unsubscribe_url (const char *base_url, const PxSubscription *subscription)
{
	return g_strdup_printf ("%s/unsubscribe?token=%s", base_url, subscription->token);
}

/* Returns: (transfer full): the description cut to about PX_DIGEST_SUBJECT_SEARCH characters */
static char *
px_digest_describe_short (const char *description)
{
	g_autofree char *cut = NULL;

	if (g_utf8_strlen (description, -1) <= PX_DIGEST_SUBJECT_SEARCH)
		return g_strdup (description);
	cut = g_utf8_substring (description, 0, PX_DIGEST_SUBJECT_SEARCH - 1);
	return g_strconcat (cut, "…", NULL);
}

/* the practice's entry: its title, where, and its page */
static void
px_digest_append_hit (GString *out, const char *base_url, const PxSearchHit *hit)
{
	const PxPractice *practice = hit->practice;
	const char *parts[] = {practice->city, practice->region, practice->country};
	gboolean placed = FALSE;

	g_string_append (out, "* ");
	px_digest_append_line_text (out, practice->title);
	g_string_append (out, "\n");
	for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
		if (parts[i] == NULL || parts[i][0] == '\0')
			continue;
		g_string_append (out, placed ? ", " : "  ");
		px_digest_append_line_text (out, parts[i]);
		placed = TRUE;
	}
	if (placed)
		g_string_append (out, "\n");
	g_string_append_printf (out, "  %s/practices/%" G_GINT64_FORMAT "\n\n", base_url,
				practice->id);
}

PxDigestMail *
px_digest_compose (const char *base_url, const PxI18nCatalog *catalog,
		   const PxSubscription *subscription, const PxSearchRequest *request,
		   GPtrArray *hits, guint total)
{
	g_autoptr (PxDigestMail) mail = g_new0 (PxDigestMail, 1);
	g_autoptr (GString) text = g_string_new (NULL);
	g_autoptr (GStrvBuilder) headers = g_strv_builder_new ();
	g_autofree char *description = px_digest_describe (catalog, request);
	g_autofree char *shown = px_digest_describe_short (description);
	g_autofree char *what =
	    px_digest_describe_subject (catalog, description, subscription->frequency);
	g_autofree char *search_url = px_digest_get_search_url (base_url, subscription);
	g_autofree char *unsubscribe_url = px_digest_get_unsubscribe_url (base_url, subscription);
	g_autofree char *list_unsubscribe = NULL;
	guint listed = MIN (hits->len, PX_DIGEST_MAX_LISTED);

	g_return_val_if_fail (hits->len > 0 && total >= hits->len, NULL);
	if (shown[0] != '\0')
		mail->subject = g_strdup_printf (
		    px_i18n_catalog_ngettext (catalog, "Praxis: %u new practice for %s",
					      "Praxis: %u new practices for %s", total),
		    total, shown);
	else
		mail->subject =
		    g_strdup_printf (px_i18n_catalog_ngettext (catalog, "Praxis: %u new practice",
							       "Praxis: %u new practices", total),
				     total);
	g_string_append_printf (
	    text,
	    px_i18n_catalog_gettext (
		catalog, "You receive this message because you subscribed on Praxis to %s."),
	    what);
	g_string_append (text, "\n\n");
	g_string_append_printf (text,
				px_i18n_catalog_ngettext (catalog, "%u new practice, newest first:",
							  "%u new practices, newest first:", total),
				total);
	g_string_append (text, "\n\n");
	for (guint i = 0; i < listed; i++)
		px_digest_append_hit (text, base_url, g_ptr_array_index (hits, i));
	if (total > listed)
		g_string_append_printf (text, px_i18n_catalog_gettext (catalog, "And %u more: %s"),
					total - listed, search_url);
	else
		g_string_append_printf (
		    text, px_i18n_catalog_gettext (catalog, "The whole search: %s"), search_url);
	g_string_append (text, "\n\n");
	g_string_append_printf (
	    text,
	    px_i18n_catalog_gettext (
		catalog, "To stop these messages, unsubscribe (one click, no sign-in): %s"),
	    unsubscribe_url);
	g_string_append (text, "\n");
	mail->text = g_string_free (g_steal_pointer (&text), FALSE);
	list_unsubscribe = g_strdup_printf ("List-Unsubscribe: <%s>", unsubscribe_url);
	g_strv_builder_add (headers, list_unsubscribe);
	g_strv_builder_add (headers, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	g_strv_builder_add (headers, "Auto-Submitted: auto-generated");
	mail->headers = g_strv_builder_end (headers);
	return g_steal_pointer (&mail);
}

PxDigestMail *
px_digest_compose_confirmation (const char *base_url, const PxI18nCatalog *catalog,
				const PxSubscription *subscription, const PxSearchRequest *request,
				guint expire_days)
{
	g_autoptr (PxDigestMail) mail = g_new0 (PxDigestMail, 1);
	g_autoptr (GString) text = g_string_new (NULL);
	g_autofree char *description = px_digest_describe (catalog, request);
	g_autofree char *what =
	    px_digest_describe_subject (catalog, description, subscription->frequency);

	mail->subject = g_strdup (
	    px_i18n_catalog_gettext (catalog, "Praxis: please confirm your subscription"));
	g_string_append_printf (
	    text,
	    px_i18n_catalog_gettext (catalog,
				     "Someone, we hope you, asked Praxis to send this address %s."),
	    what);
	g_string_append_printf (text, "\n\n%s\n%s/subscriptions/confirm?token=%s\n\n",
				px_i18n_catalog_gettext (catalog, "To confirm, open this link:"),
				base_url, subscription->token);
	g_string_append_printf (
	    text,
	    px_i18n_catalog_ngettext (
		catalog,
		"Nothing more is sent unless you confirm. If you did not ask for this, ignore "
		"this message: the request expires in %u day.",
		"Nothing more is sent unless you confirm. If you did not ask for this, ignore "
		"this message: the request expires in %u days.",
		expire_days),
	    expire_days);
	g_string_append (text, "\n");
	mail->text = g_string_free (g_steal_pointer (&text), FALSE);
	mail->headers = g_new0 (char *, 2);
	mail->headers[0] = g_strdup ("Auto-Submitted: auto-generated");
	return g_steal_pointer (&mail);
}
