/* mail.c: an outbox mail message as RFC 5322 text (CRLF, RFC 2047 subject, quoted-printable
 * body, a Message-ID from the stable id) and its sending with libcurl's SMTP in a GTask thread.
 * It never reads or writes the outbox: delivery.c records the outcome. */
#define G_LOG_DOMAIN "PxNotify"

#include <curl/curl.h>
#include <string.h>

#include "mail.h"
#include "util/error.h"

#define PX_MAIL_QP_LINE 76	 /* quoted-printable lines, soft break included */
#define PX_MAIL_SUBJECT_CHUNK 39 /* bytes of subject per encoded word: 52 base64 characters */

static gboolean
px_mail_check_address (const char *address, GError **error)
{
	const char *at = address != NULL ? strchr (address, '@') : NULL;

	if (at == NULL || at == address || at[1] == '\0') {
		g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "'%s' is not an address",
			     address != NULL ? address : "");
		return FALSE;
	}
	for (const char *c = address; *c != '\0'; c++) {
		if ((guchar)*c <= 0x20 || (guchar)*c >= 0x7f || strchr ("<>()[]\\,;:\"", *c)) {
			g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
					     "an address holds a character not allowed in one");
			return FALSE;
		}
	}
	return TRUE;
}

/* RFC 5322's date in English whatever the locale, from the message's fixed-width UTC time */
static void
px_mail_append_date (GString *out, const char *created_at)
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr (GDateTime) date =
	    created_at != NULL ? g_date_time_new_from_iso8601 (created_at, utc) : NULL;

	if (date == NULL)
		date = g_date_time_new_now_utc ();
	g_string_append_printf (out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
				days[g_date_time_get_day_of_week (date) - 1],
				g_date_time_get_day_of_month (date),
				months[g_date_time_get_month (date) - 1],
				g_date_time_get_year (date), g_date_time_get_hour (date),
				g_date_time_get_minute (date), g_date_time_get_second (date));
}

static gboolean
px_mail_is_plain (const char *text, gsize max)
{
	gsize length = strlen (text);

	if (length > max)
		return FALSE;
	for (gsize i = 0; i < length; i++) {
		if ((guchar)text[i] < 0x20 || (guchar)text[i] >= 0x7f)
			return FALSE;
	}
	return TRUE;
}

/* the subject on one logical line: short plain ASCII as it is, anything else as RFC 2047
 * encoded words of whole characters, one per folded line */
static void
px_mail_append_subject (GString *out, const char *subject)
{
	g_autofree char *clean = g_utf8_make_valid (subject != NULL ? subject : "", -1);
	const char *rest = clean;
	gsize left;

	for (char *c = clean; *c != '\0'; c++) {
		if ((guchar)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	}
	if (px_mail_is_plain (clean, 78 - strlen ("Subject: "))) {
		g_string_append_printf (out, "Subject: %s\r\n", clean);
		return;
	}
	g_string_append (out, "Subject:");
	left = strlen (rest);
	while (left > 0) {
		gsize take = MIN (left, PX_MAIL_SUBJECT_CHUNK);
		g_autofree char *encoded = NULL;

		/* back off to the start of a character */
		while (take < left && take > 1 && ((guchar)rest[take] & 0xc0) == 0x80)
			take--;
		encoded = g_base64_encode ((const guchar *)rest, take);
		g_string_append_printf (out, "%s=?UTF-8?B?%s?=", rest == clean ? " " : "\r\n ",
					encoded);
		rest += take;
		left -= take;
	}
	g_string_append (out, "\r\n");
}

/* one line of the body in quoted-printable (RFC 2045 6.7), soft breaks keeping each output line
 * within PX_MAIL_QP_LINE */
static void
px_mail_append_qp_line (GString *out, const char *line, gsize length)
{
	guint column = 0;

	for (gsize i = 0; i < length; i++) {
		guchar c = (guchar)line[i];
		gboolean last = i + 1 == length;
		char piece[4];

		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
			piece[0] = (char)c;
			piece[1] = '\0';
		} else {
			g_snprintf (piece, sizeof piece, "=%02X", c);
		}
		/* room for the soft break's '=' */
		if (column + strlen (piece) > PX_MAIL_QP_LINE - 1) {
			g_string_append (out, "=\r\n");
			column = 0;
		}
		g_string_append (out, piece);
		column += (guint)strlen (piece);
	}
	g_string_append (out, "\r\n");
}

/* Returns: TRUE when every line of @text is short printable ASCII (tabs allowed) */
static gboolean
px_mail_body_is_plain (const char *text, gsize length)
{
	gsize column = 0;

	for (gsize i = 0; i < length; i++) {
		guchar c = (guchar)text[i];

		if (c == '\n' || c == '\r') {
			column = 0;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c >= 0x7f || ++column > PX_MAIL_MAX_LINE)
			return FALSE;
	}
	return TRUE;
}

/* the body with CRLF line ends (LF, CRLF and a lone CR each end a line), plain or encoded */
static void
px_mail_append_body (GString *out, const char *text, gsize length, gboolean plain)
{
	gsize start = 0;

	while (start < length) {
		gsize end = start;
		gsize next;

		while (end < length && text[end] != '\n' && text[end] != '\r')
			end++;
		next = end;
		if (next < length && text[next] == '\r')
			next++;
		if (next < length && text[next] == '\n' && (next == end || text[end] == '\r'))
			next++;
		if (plain) {
			g_string_append_len (out, text + start, (gssize)(end - start));
			g_string_append (out, "\r\n");
		} else {
			px_mail_append_qp_line (out, text + start, end - start);
		}
		start = next;
	}
}

GBytes *
px_mail_build (const PxOutboxMessage *message, GError **error)
{
	g_autoptr (GString) out = g_string_new (NULL);
	const char *domain;
	gsize length = 0;
	const char *text = message->body != NULL ? g_bytes_get_data (message->body, &length) : NULL;
	g_autofree char *valid = NULL;
	gboolean plain;

	if (!px_mail_check_address (message->sender, error))
		return NULL;
	if (message->recipients == NULL || message->recipients[0] == NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID, "a mail needs a recipient");
		return NULL;
	}
	for (guint i = 0; message->recipients[i] != NULL; i++) {
		if (!px_mail_check_address (message->recipients[i], error))
			return NULL;
	}
	if (message->id == NULL || !px_mail_is_plain (message->id, 200) ||
	    strpbrk (message->id, "<>@ ") != NULL) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
				     "a mail needs a plain message id");
		return NULL;
	}
	domain = strchr (message->sender, '@') + 1;
	valid = g_utf8_make_valid (text != NULL ? text : "", (gssize)length);
	length = strlen (valid);
	plain = px_mail_body_is_plain (valid, length);

	px_mail_append_date (out, message->created_at);
	g_string_append_printf (out, "From: %s\r\n", message->sender);
	g_string_append_printf (out, "To: %s", message->recipients[0]);
	for (guint i = 1; message->recipients[i] != NULL; i++)
		g_string_append_printf (out, ",\r\n %s", message->recipients[i]);
	g_string_append (out, "\r\n");
	px_mail_append_subject (out, message->subject);
	g_string_append_printf (out, "Message-ID: <%s@%s>\r\n", message->id, domain);
	g_string_append_printf (out, "X-Praxis-Delivery: %s\r\n", message->id);
	for (guint i = 0; message->headers != NULL && message->headers[i] != NULL; i++) {
		if (!px_mail_is_plain (message->headers[i], PX_MAIL_MAX_LINE) ||
		    strchr (message->headers[i], ':') == NULL) {
			g_set_error_literal (error, PX_ERROR, PX_ERROR_INVALID,
					     "a mail's header is not one line of printable ASCII");
			return NULL;
		}
		g_string_append_printf (out, "%s\r\n", message->headers[i]);
	}
	g_string_append (out, "MIME-Version: 1.0\r\n"
			      "Content-Type: text/plain; charset=utf-8\r\n");
	g_string_append_printf (out, "Content-Transfer-Encoding: %s\r\n\r\n",
				plain ? "7bit" : "quoted-printable");
	px_mail_append_body (out, valid, length, plain);
	return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* what the sending thread owns: copies, so that nothing is shared with the main thread */
typedef struct {
	char *url;
	char *from;
	GStrv to;
	GBytes *text;
	gsize offset;
	guint timeout_ms;
	GCancellable *cancellable; /* (nullable) */
} PxMailSend;

static void
px_mail_send_free (gpointer data)
{
	PxMailSend *send = data;

	g_free (send->url);
	g_free (send->from);
	g_strfreev (send->to);
	g_bytes_unref (send->text);
	g_clear_object (&send->cancellable);
	g_free (send);
}

static size_t
px_mail_read_cb (char *buffer, size_t size, size_t count, void *data)
{
	PxMailSend *send = data;
	gsize length = 0;
	const char *text = g_bytes_get_data (send->text, &length);
	size_t n = MIN (size * count, length - send->offset);

	memcpy (buffer, text + send->offset, n);
	send->offset += n;
	return n;
}

/* curl calls it about once a second or more often, also while connecting */
static int
px_mail_progress_cb (void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		     curl_off_t ulnow)
{
	PxMailSend *send = data;

	return send->cancellable != NULL && g_cancellable_is_cancelled (send->cancellable);
}

static void
px_mail_global_init (void)
{
	static gsize initialized = 0;

	if (g_once_init_enter (&initialized)) {
		curl_global_init (CURL_GLOBAL_DEFAULT);
		g_once_init_leave (&initialized, 1);
	}
}

static void
px_mail_send_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	PxMailSend *send = data;
	CURL *curl = curl_easy_init ();
	struct curl_slist *recipients = NULL;
	char message[CURL_ERROR_SIZE] = "";
	g_autofree char *mail_from = g_strdup_printf ("<%s>", send->from);
	CURLcode rc;

	if (curl == NULL) {
		g_task_return_new_error (task, PX_ERROR, PX_ERROR_INTERNAL,
					 "smtp: cannot start libcurl");
		return;
	}
	for (guint i = 0; send->to[i] != NULL; i++) {
		g_autofree char *angled = g_strdup_printf ("<%s>", send->to[i]);

		recipients = curl_slist_append (recipients, angled);
	}
	curl_easy_setopt (curl, CURLOPT_URL, send->url);
	curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* smtp://: STARTTLS when the server offers it; smtps:// is TLS from the start */
	curl_easy_setopt (curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
	curl_easy_setopt (curl, CURLOPT_READFUNCTION, px_mail_read_cb);
	curl_easy_setopt (curl, CURLOPT_READDATA, send);
	curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE,
			  (curl_off_t)g_bytes_get_size (send->text));
	curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long)send->timeout_ms);
	curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long)send->timeout_ms);
	curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, px_mail_progress_cb);
	curl_easy_setopt (curl, CURLOPT_XFERINFODATA, send);
	curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, message);
	rc = curl_easy_perform (curl);
	curl_slist_free_all (recipients);
	curl_easy_cleanup (curl);
	if (rc == CURLE_OK)
		g_task_return_boolean (task, TRUE);
	else if (rc == CURLE_ABORTED_BY_CALLBACK)
		g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "smtp: cancelled");
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		g_task_return_new_error (task, PX_ERROR, PX_ERROR_TIMEOUT,
					 "smtp: no answer within %u ms", send->timeout_ms);
	else
		g_task_return_new_error (task, PX_ERROR, PX_ERROR_INTERNAL, "smtp: %s",
					 message[0] != '\0' ? message : curl_easy_strerror (rc));
}

void
px_mail_send_async (const PxOutboxMessage *message, guint timeout_ms, GCancellable *cancellable,
		    GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
	g_autoptr (GError) error = NULL;
	GBytes *text = px_mail_build (message, &error);
	PxMailSend *send;

	g_task_set_source_tag (task, px_mail_send_async);
	if (text == NULL) {
		g_task_return_error (task, g_steal_pointer (&error));
		return;
	}
	px_mail_global_init ();
	send = g_new0 (PxMailSend, 1);
	send->url = g_strdup (message->target);
	send->from = g_strdup (message->sender);
	send->to = g_strdupv (message->recipients);
	send->text = text;
	send->timeout_ms = timeout_ms;
	send->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
	g_task_set_task_data (task, send, px_mail_send_free);
	g_task_run_in_thread (task, px_mail_send_thread);
}

gboolean
px_mail_send_finish (GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean (G_TASK (result), error);
}
