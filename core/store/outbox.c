/* outbox.c: the outbox table's statements: webhook and mail messages added in the caller's
 * transaction (the webhook's body and signature fixed then, so no secret is stored), the due
 * messages read, each attempt's outcome, the counts of /metrics. Never sends anything. */
#define G_LOG_DOMAIN "PxStore"

#include <string.h>

#include "outbox.h"
#include "store-private.h"
#include "util/error.h"
#include "util/json.h"
#include "util/timestamp.h"

#define PX_OUTBOX_SCHEMA 6 /* the migration that adds the outbox */
#define PX_OUTBOX_MAX_URL 2048
#define PX_OUTBOX_MAX_NAME 64 /* a plugin's or an event's name */

void
px_outbox_message_free (PxOutboxMessage *message)
{
	if (message == NULL)
		return;
	g_free (message->id);
	g_free (message->plugin);
	g_free (message->event);
	g_free (message->target);
	g_strfreev (message->headers);
	g_free (message->sender);
	g_strfreev (message->recipients);
	g_free (message->subject);
	g_clear_pointer (&message->body, g_bytes_unref);
	g_free (message->created_at);
	g_free (message);
}

static gint64
px_outbox_now_ms (void)
{
	return g_get_real_time () / 1000;
}

static gboolean
px_outbox_has_control (const char *text)
{
	for (const char *c = text; *c != '\0'; c++) {
		if ((guchar)*c < 0x20 || *c == 0x7f)
			return TRUE;
	}
	return FALSE;
}

/* a plugin's or an event's name: letters, digits, '.', '_', '-' */
static gboolean
px_outbox_check_name (const char *what, const char *name, GError **error)
{
	gsize length = name != NULL ? strlen (name) : 0;

	if (length == 0 || length > PX_OUTBOX_MAX_NAME) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s must be 1 to %d characters",
			     what, PX_OUTBOX_MAX_NAME);
		return FALSE;
	}
	for (gsize i = 0; i < length; i++) {
		if (!g_ascii_isalnum (name[i]) && strchr ("._-", name[i]) == NULL) {
			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "%s '%s' may hold only letters, digits, '.', '_' and '-'",
				     what, name);
			return FALSE;
		}
	}
	return TRUE;
}

/* @url parses as a URL of one of @schemes (NULL-terminated) with a host */
static gboolean
px_outbox_check_url (const char *what, const char *url, const char *const *schemes, GError **error)
{
	g_autoptr (GUri) uri = NULL;
	g_autoptr (GError) local = NULL;
	const char *host;

	if (url == NULL || url[0] == '\0' || strlen (url) > PX_OUTBOX_MAX_URL ||
	    px_outbox_has_control (url) || strchr (url, ' ') != NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "%s must be a URL of at most %d characters without spaces", what,
			     PX_OUTBOX_MAX_URL);
		return FALSE;
	}
	uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local);
	if (uri == NULL) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s '%s' is not a URL: %s", what,
			     url, local->message);
		return FALSE;
	}
	if (!g_strv_contains (schemes, g_uri_get_scheme (uri))) {
		g_autofree char *names = g_strjoinv ("://, ", (char **)schemes);

		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s '%s' must start with %s://",
			     what, url, names);
		return FALSE;
	}
	host = g_uri_get_host (uri);
	if (host == NULL || host[0] == '\0') {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "%s '%s' names no host", what, url);
		return FALSE;
	}
	return TRUE;
}

/* a bare address, local@domain, with nothing that could end or fold a header or an SMTP
 * command: printable ASCII, no spaces, quotes, brackets, commas or semicolons */
static gboolean
px_outbox_check_address (const char *what, const char *address, GError **error)
{
	const char *at = address != NULL ? strchr (address, '@') : NULL;
	gsize length = address != NULL ? strlen (address) : 0;

	if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
	    length > 254) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "%s '%s' is not an address of the form local@domain", what,
			     address != NULL ? address : "");
		return FALSE;
	}
	for (const char *c = address; *c != '\0'; c++) {
		if ((guchar)*c <= 0x20 || (guchar)*c >= 0x7f || strchr ("<>()[]\\,;:\"", *c)) {
			g_autofree char *shown = g_strescape (address, NULL);

			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "%s '%s' holds a character not allowed in an address", what,
				     shown);
			return FALSE;
		}
	}
	return TRUE;
}

/* Returns: (transfer full): @subject on one line, control characters as spaces, valid UTF-8,
 * cut at a character to PX_OUTBOX_MAX_SUBJECT bytes */
static char *
px_outbox_clean_subject (const char *subject)
{
	g_autofree char *valid = g_utf8_make_valid (subject != NULL ? subject : "", -1);
	const char *end;

	for (char *c = valid; *c != '\0'; c++) {
		if ((guchar)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	}
	g_strstrip (valid);
	if (strlen (valid) <= PX_OUTBOX_MAX_SUBJECT)
		return g_steal_pointer (&valid);
	end = g_utf8_find_prev_char (valid, valid + PX_OUTBOX_MAX_SUBJECT + 1);
	return g_strndup (valid, end - valid);
}

/* runs the one INSERT both kinds share; the transaction is the caller's, if any */
static gboolean
px_outbox_insert (PxStore *store, const char *id, const char *kind, const char *plugin,
		  const char *event, const char *target, const char *headers, const char *sender,
		  const char *recipients, const char *subject, const char *body, gsize body_length,
		  GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "INSERT INTO outbox (id, kind, plugin, event, target, headers, sender, recipients, "
	    "subject, body, next_attempt_at, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	    error);
	g_autofree char *now = px_timestamp_now ();

	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, id);
	px_store_bind_text (statement, 2, kind);
	px_store_bind_text (statement, 3, plugin);
	px_store_bind_text (statement, 4, event);
	px_store_bind_text (statement, 5, target);
	px_store_bind_text (statement, 6, headers);
	px_store_bind_text (statement, 7, sender);
	px_store_bind_text (statement, 8, recipients);
	px_store_bind_text (statement, 9, subject);
	sqlite3_bind_blob64 (statement, 10, body, body_length, SQLITE_STATIC);
	sqlite3_bind_int64 (statement, 11, px_outbox_now_ms ());
	px_store_bind_text (statement, 12, now);
	if (px_store_step (store, statement, error) != SQLITE_DONE) {
		g_prefix_error (error, "cannot add to the outbox: ");
		return FALSE;
	}
	return TRUE;
}

gboolean
px_outbox_add_webhook (PxStore *store, const char *plugin, const char *url, const char *secret,
		       const char *event, const PxPractice *practice, char **id, GError **error)
{
	const char *const schemes[] = {"http", "https", NULL};
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autofree char *message_id = g_uuid_string_random ();
	g_autofree char *body = NULL;
	g_autofree char *signature = NULL;
	g_autofree char *headers = NULL;
	gsize length = 0;

	g_return_val_if_fail (practice != NULL, FALSE);
	if (!px_outbox_check_name ("the plugin", plugin, error) ||
	    !px_outbox_check_name ("the event", event, error) ||
	    !px_outbox_check_url ("the webhook url", url, schemes, error))
		return FALSE;
	if (secret == NULL || secret[0] == '\0') {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "a webhook needs a secret to sign with");
		return FALSE;
	}
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "id");
	json_builder_add_string_value (builder, message_id);
	json_builder_set_member_name (builder, "event");
	json_builder_add_string_value (builder, event);
	json_builder_set_member_name (builder, "practice");
	/* the view GET /api/practices/{id} shows anyone (api-practices.c) */
	px_practice_to_json (practice, builder, PX_VIEW_FULL);
	json_builder_end_object (builder);
	json_builder_end_object (builder);
	body = px_json_builder_to_string (builder, &length);
	signature = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *)secret,
					     strlen (secret), (const guchar *)body, length);
	headers = g_strdup_printf ("X-Praxis-Delivery: %s\nX-Praxis-Signature: sha256=%s\n",
				   message_id, signature);
	if (!px_outbox_insert (store, message_id, "webhook", plugin, event, url, headers, NULL,
			       NULL, NULL, body, length, error))
		return FALSE;
	if (id != NULL)
		*id = g_steal_pointer (&message_id);
	return TRUE;
}

/* the header fields px_mail_build() writes itself, which a caller may not add */
static const char *const px_outbox_mail_own_headers[] = {
    "date",
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "x-praxis-delivery",
    NULL,
};

/* a header field "Name: value" a mail may carry; Returns: FALSE with PX_ERROR_INVALID */
static gboolean
px_outbox_check_header (const char *header, GError **error)
{
	const char *colon = strchr (header, ':');
	g_autofree char *name = NULL;

	if (colon == NULL || colon == header || colon[1] != ' ' ||
	    strlen (header) > PX_OUTBOX_MAX_HEADER) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a mail's header must be 'Name: value' of at most %d bytes",
			     PX_OUTBOX_MAX_HEADER);
		return FALSE;
	}
	name = g_ascii_strdown (header, colon - header);
	for (const char *c = name; *c != '\0'; c++) {
		if (!g_ascii_isalnum (*c) && *c != '-') {
			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "a mail's header name '%s' may hold only letters, digits and "
				     "'-'",
				     name);
			return FALSE;
		}
	}
	if (g_strv_contains (px_outbox_mail_own_headers, name)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a mail's %s header is written by Praxis itself", name);
		return FALSE;
	}
	for (const char *c = colon + 1; *c != '\0'; c++) {
		if ((guchar)*c < 0x20 || (guchar)*c >= 0x7f) {
			g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
				     "a mail's %s header holds a character other than printable "
				     "ASCII",
				     name);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
px_outbox_add_mail (PxStore *store, const char *plugin, const char *smtp_url, const char *from,
		    const char *const *to, const char *subject, const char *text, const char *event,
		    char **id, GError **error)
{
	return px_outbox_add_mail_with_headers (store, plugin, smtp_url, from, to, subject, text,
						NULL, event, id, error);
}

gboolean
px_outbox_add_mail_with_headers (PxStore *store, const char *plugin, const char *smtp_url,
				 const char *from, const char *const *to, const char *subject,
				 const char *text, const char *const *headers, const char *event,
				 char **id, GError **error)
{
	const char *const schemes[] = {"smtp", "smtps", NULL};
	g_autofree char *message_id = g_uuid_string_random ();
	g_autofree char *clean_subject = NULL;
	g_autoptr (GString) recipients = g_string_new (NULL);
	g_autoptr (GString) lines = g_string_new (NULL);
	guint count = to != NULL ? g_strv_length ((char **)to) : 0;

	if (!px_outbox_check_name ("the plugin", plugin, error) ||
	    (event != NULL && !px_outbox_check_name ("the event", event, error)) ||
	    !px_outbox_check_url ("the smtp_url", smtp_url, schemes, error) ||
	    !px_outbox_check_address ("the sender", from, error))
		return FALSE;
	if (count == 0 || count > PX_OUTBOX_MAX_RECIPIENTS) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a mail needs 1 to %d recipients, not %u", PX_OUTBOX_MAX_RECIPIENTS,
			     count);
		return FALSE;
	}
	for (guint i = 0; i < count; i++) {
		if (!px_outbox_check_address ("the recipient", to[i], error))
			return FALSE;
		g_string_append_printf (recipients, "%s\n", to[i]);
	}
	if (text == NULL || strlen (text) > PX_OUTBOX_MAX_TEXT ||
	    !g_utf8_validate (text, -1, NULL)) {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID,
			     "a mail's text must be UTF-8 of at most %d bytes", PX_OUTBOX_MAX_TEXT);
		return FALSE;
	}
	for (guint i = 0; headers != NULL && headers[i] != NULL; i++) {
		if (!px_outbox_check_header (headers[i], error))
			return FALSE;
		g_string_append_printf (lines, "%s\n", headers[i]);
	}
	clean_subject = px_outbox_clean_subject (subject);
	if (!px_outbox_insert (store, message_id, "mail", plugin, event, smtp_url,
			       lines->len > 0 ? lines->str : NULL, from, recipients->str,
			       clean_subject, text, strlen (text), error))
		return FALSE;
	if (id != NULL)
		*id = g_steal_pointer (&message_id);
	return TRUE;
}

/* Returns: (transfer full): the lines of @text ended by \n, empty ones dropped */
static GStrv
px_outbox_split_lines (const char *text)
{
	g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
	g_auto (GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0')
			g_strv_builder_add (builder, lines[i]);
	}
	return g_strv_builder_end (builder);
}

static char *
px_outbox_column_dup (sqlite3_stmt *statement, int column)
{
	return g_strdup ((const char *)sqlite3_column_text (statement, column));
}

/* Returns: (transfer full): @busy as a JSON array of strings, for json_each() */
static char *
px_outbox_busy_to_json (const char *const *busy)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();

	json_builder_begin_array (builder);
	for (guint i = 0; busy != NULL && busy[i] != NULL; i++)
		json_builder_add_string_value (builder, busy[i]);
	json_builder_end_array (builder);
	return px_json_builder_to_string (builder, NULL);
}

GPtrArray *
px_outbox_take_due (PxStore *store, gint64 now_ms, const char *const *busy, guint limit,
		    GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "SELECT id, kind, plugin, event, target, headers, sender, recipients, subject, body, "
	    "attempts, created_at FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1 "
	    "AND id NOT IN (SELECT value FROM json_each(?2)) ORDER BY next_attempt_at LIMIT ?3",
	    error);
	g_autoptr (GPtrArray) messages =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_outbox_message_free);
	g_autofree char *busy_json = px_outbox_busy_to_json (busy);
	int rc;

	if (statement == NULL)
		return NULL;
	sqlite3_bind_int64 (statement, 1, now_ms);
	px_store_bind_text (statement, 2, busy_json);
	sqlite3_bind_int64 (statement, 3, limit);
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		PxOutboxMessage *message = g_new0 (PxOutboxMessage, 1);
		const char *kind = (const char *)sqlite3_column_text (statement, 1);

		message->id = px_outbox_column_dup (statement, 0);
		message->kind = g_strcmp0 (kind, "mail") == 0 ? PX_OUTBOX_MAIL : PX_OUTBOX_WEBHOOK;
		message->plugin = px_outbox_column_dup (statement, 2);
		message->event = px_outbox_column_dup (statement, 3);
		message->target = px_outbox_column_dup (statement, 4);
		message->headers =
		    px_outbox_split_lines ((const char *)sqlite3_column_text (statement, 5));
		message->sender = px_outbox_column_dup (statement, 6);
		message->recipients =
		    px_outbox_split_lines ((const char *)sqlite3_column_text (statement, 7));
		message->subject = px_outbox_column_dup (statement, 8);
		message->body = g_bytes_new (sqlite3_column_blob (statement, 9),
					     (gsize)sqlite3_column_bytes (statement, 9));
		message->attempts = (guint)sqlite3_column_int (statement, 10);
		message->created_at = px_outbox_column_dup (statement, 11);
		g_ptr_array_add (messages, message);
	}
	if (rc != SQLITE_DONE)
		return NULL;
	return g_steal_pointer (&messages);
}

gboolean
px_outbox_get_next_due (PxStore *store, const char *const *busy, gint64 *next_ms, GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store,
			      "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' "
			      "AND id NOT IN (SELECT value FROM json_each(?1))",
			      error);
	g_autofree char *busy_json = px_outbox_busy_to_json (busy);

	*next_ms = 0;
	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, busy_json);
	if (px_store_step (store, statement, error) != SQLITE_ROW)
		return FALSE;
	*next_ms = sqlite3_column_int64 (statement, 0);
	sqlite3_reset (statement);
	return TRUE;
}

/* records one attempt's outcome on a pending message */
static gboolean
px_outbox_mark (PxStore *store, const char *id, const char *state, gint64 next_ms,
		const char *last_error, GError **error)
{
	sqlite3_stmt *statement = px_store_prepare (
	    store,
	    "UPDATE outbox SET state = ?2, attempts = attempts + 1, next_attempt_at = ?3, "
	    "last_error = ?4, delivered_at = CASE WHEN ?2 = 'delivered' THEN ?5 END "
	    "WHERE id = ?1 AND state = 'pending'",
	    error);
	g_autofree char *now = px_timestamp_now ();

	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, id);
	px_store_bind_text (statement, 2, state);
	sqlite3_bind_int64 (statement, 3, next_ms);
	px_store_bind_text (statement, 4, last_error);
	px_store_bind_text (statement, 5, now);
	if (px_store_step (store, statement, error) != SQLITE_DONE) {
		g_prefix_error (error, "cannot record the attempt of message %s: ", id);
		return FALSE;
	}
	return TRUE;
}

gboolean
px_outbox_mark_delivered (PxStore *store, const char *id, GError **error)
{
	return px_outbox_mark (store, id, "delivered", px_outbox_now_ms (), NULL, error);
}

gboolean
px_outbox_mark_retry (PxStore *store, const char *id, gint64 next_ms, const char *last_error,
		      GError **error)
{
	return px_outbox_mark (store, id, "pending", next_ms, last_error, error);
}

gboolean
px_outbox_mark_failed (PxStore *store, const char *id, const char *last_error, GError **error)
{
	return px_outbox_mark (store, id, "failed", px_outbox_now_ms (), last_error, error);
}

gboolean
px_outbox_get_message_state (PxStore *store, const char *id, char **state, guint *attempts,
			     GError **error)
{
	sqlite3_stmt *statement =
	    px_store_prepare (store, "SELECT state, attempts FROM outbox WHERE id = ?1", error);
	int rc;

	if (statement == NULL)
		return FALSE;
	px_store_bind_text (statement, 1, id);
	rc = px_store_step (store, statement, error);
	if (rc < 0)
		return FALSE;
	if (rc == SQLITE_DONE) {
		g_set_error (error, PX_ERROR, PX_ERROR_NOT_FOUND, "no message %s in the outbox",
			     id);
		return FALSE;
	}
	*state = px_outbox_column_dup (statement, 0);
	if (attempts != NULL)
		*attempts = (guint)sqlite3_column_int (statement, 1);
	sqlite3_reset (statement);
	return TRUE;
}

gboolean
px_outbox_count (PxStore *store, PxOutboxCounts *counts, GError **error)
{
	sqlite3_stmt *statement;
	int rc;

	memset (counts, 0, sizeof *counts);
	/* COMPAT: a database older than the outbox, opened read-only and so not migrated */
	if (store->schema < PX_OUTBOX_SCHEMA)
		return TRUE;
	/* a pending message's attempts all failed and were scheduled again; a delivered or failed
	 * one's last attempt was not retried */
	statement = px_store_prepare (
	    store,
	    "SELECT state, count(*), total(CASE WHEN state = 'pending' THEN attempts "
	    "ELSE max(attempts - 1, 0) END) FROM outbox GROUP BY state",
	    error);
	if (statement == NULL)
		return FALSE;
	while ((rc = px_store_step (store, statement, error)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text (statement, 0);
		guint64 count = (guint64)sqlite3_column_int64 (statement, 1);

		counts->retried += (guint64)sqlite3_column_int64 (statement, 2);
		if (g_strcmp0 (state, "delivered") == 0)
			counts->delivered = count;
		else if (g_strcmp0 (state, "failed") == 0)
			counts->failed = count;
		else
			counts->pending = count;
	}
	return rc == SQLITE_DONE;
}
