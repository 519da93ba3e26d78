/* mail.h: a mail message of the outbox as RFC 5322 text, and its sending over SMTP with
 * libcurl in a thread of its own. */
#pragma once

#include <gio/gio.h>

#include "store/outbox.h"

/* the longest line of the built text, CRLF excluded (RFC 5322 allows 998) */
#define PX_MAIL_MAX_LINE 998

/**
 * px_mail_build:
 * @message: a mail message of the outbox
 *
 * Builds the message's RFC 5322 text: CRLF line ends; Date (the message's created_at, so each
 * attempt sends the same bytes), From, To, Subject (RFC 2047 encoded when not short plain
 * ASCII), Message-ID `<ID@DOMAIN-OF-FROM>`, X-Praxis-Delivery, the message's own header
 * fields (List-Unsubscribe...: one line of printable ASCII each), MIME-Version, Content-Type
 * text/plain; charset=utf-8, Content-Transfer-Encoding 7bit for short ASCII lines, quoted-printable
 * otherwise. Line breaks and control characters in the subject become spaces; addresses that
 * could fold or end a header are refused. SMTP's dot-stuffing is left to libcurl.
 *
 * Returns: (transfer full): the text, or NULL with PX_ERROR_INVALID
 */
GBytes *px_mail_build (const PxOutboxMessage *message, GError **error);

/**
 * px_mail_send_async:
 * @timeout_ms: the most the whole exchange may take
 * @cancellable: (nullable): stops the exchange (within about a second)
 *
 * Sends @message (built with px_mail_build()) to its smtp:// URL (STARTTLS when the server
 * offers it) or smtps:// URL (TLS from the start), in a thread; @callback runs in the
 * thread-default context of the caller.
 */
void px_mail_send_async (const PxOutboxMessage *message, guint timeout_ms,
			 GCancellable *cancellable, GAsyncReadyCallback callback,
			 gpointer user_data);

/* Returns: FALSE with @error set (PX_ERROR_INVALID, PX_ERROR_TIMEOUT, G_IO_ERROR_CANCELLED or
 * PX_ERROR_INTERNAL with curl's message) when the server did not take the message */
gboolean px_mail_send_finish (GAsyncResult *result, GError **error);
