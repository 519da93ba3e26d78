/* outbox.h: the outbox table's statements: a webhook or a mail message added in the caller's
 * transaction, the due messages taken, each attempt's outcome recorded, the counts /metrics
 * shows. Sending is core/notify/'s; nothing here touches the network. */
#pragma once

#include "model/practice.h"
#include "store.h"

/* the most recipients of one mail, and the largest mail text, in bytes */
#define PX_OUTBOX_MAX_RECIPIENTS 100
#define PX_OUTBOX_MAX_TEXT (1024 * 1024)
/* the longest subject kept, in bytes (longer ones are cut at a character) */
#define PX_OUTBOX_MAX_SUBJECT 900
/* the longest extra header field of a mail, "Name: value", in bytes (RFC 5322's line) */
#define PX_OUTBOX_MAX_HEADER 998

typedef enum {
	PX_OUTBOX_WEBHOOK,
	PX_OUTBOX_MAIL,
} PxOutboxKind;

/* one pending message as the deliverer takes it */
typedef struct {
	char *id; /* the stable message id */
	PxOutboxKind kind;
	char *plugin;
	char *event;  /* (nullable) */
	char *target; /* the webhook's URL, or the mail's smtp:// or smtps:// URL */
	/* the headers to send, "Name: value" each: a webhook's, or a mail's own ones */
	GStrv headers;
	/* mail: the From address, the recipients, the subject (one line) */
	char *sender;
	GStrv recipients;
	char *subject;
	/* webhook: the exact bytes to POST; mail: the plain text (UTF-8) */
	GBytes *body;
	guint attempts;	  /* attempts made before this one */
	char *created_at; /* fixed-width UTC (util/timestamp.h): the mail's Date */
} PxOutboxMessage;

void px_outbox_message_free (PxOutboxMessage *message);

/* the messages by state, for /metrics */
typedef struct {
	guint64 delivered;
	guint64 retried; /* attempts that failed and were scheduled again, over all messages */
	guint64 failed;
	guint64 pending;
} PxOutboxCounts;

/**
 * px_outbox_add_webhook:
 * @plugin: the plugin writing it
 * @url: where to POST: an http:// or https:// URL with a host
 * @secret: the HMAC-SHA256 key; non-empty; it is not stored, only the signature
 * @event: what happened, e.g. "practice.published" (letters, digits, '.', '_', '-')
 * @practice: the practice, rendered as GET /api/practices/{id} shows it to anyone
 * @id: (out) (optional) (transfer full): the message's stable id
 *
 * Adds a webhook message to the outbox, inside the transaction open on @store (or on its own,
 * committed at once, when none is). The body is built now, exactly
 * `{"id":"ID","event":"EVENT","practice":{...}}`, with the headers `X-Praxis-Delivery: ID` and
 * `X-Praxis-Signature: sha256=HEX` (lower-case hex HMAC-SHA256 of the body keyed with @secret).
 *
 * Returns: FALSE with PX_ERROR_INVALID for a bad argument, or the store's error
 */
gboolean px_outbox_add_webhook (PxStore *store, const char *plugin, const char *url,
				const char *secret, const char *event, const PxPractice *practice,
				char **id, GError **error);

/**
 * px_outbox_add_mail:
 * @smtp_url: the server: smtp://HOST[:PORT] (STARTTLS when offered) or smtps://HOST[:PORT];
 *   credentials in it (smtp://USER:PASSWORD@HOST) are stored with the message, never logged
 * @from: the sender's address, a bare local@domain
 * @to: (array zero-terminated=1): the recipients' addresses, 1 to PX_OUTBOX_MAX_RECIPIENTS
 * @subject: one line; CR, LF and other control characters become spaces
 * @text: the plain text body (UTF-8, at most PX_OUTBOX_MAX_TEXT bytes)
 * @event: (nullable): what caused it, for the logs
 * @id: (out) (optional) (transfer full): the message's stable id (its Message-ID derives from it)
 *
 * Adds a mail message to the outbox, in the open transaction or on its own as above. The
 * RFC 5322 text is built at delivery (notify/mail.c), the same bytes at each attempt.
 *
 * Returns: FALSE with PX_ERROR_INVALID for a bad argument, or the store's error
 */
gboolean px_outbox_add_mail (PxStore *store, const char *plugin, const char *smtp_url,
			     const char *from, const char *const *to, const char *subject,
			     const char *text, const char *event, char **id, GError **error);

/**
 * px_outbox_add_mail_with_headers:
 * @headers: (array zero-terminated=1) (nullable): more header fields, "Name: value" each: a
 *   name of letters, digits and '-' that is none of those px_mail_build() writes itself, a
 *   value of printable ASCII, at most PX_OUTBOX_MAX_HEADER bytes in all
 *
 * px_outbox_add_mail() with header fields of the caller's (List-Unsubscribe, ...), sent as
 * they are after the ones the mail always has.
 *
 * Returns: FALSE with PX_ERROR_INVALID for a bad argument, or the store's error
 */
gboolean px_outbox_add_mail_with_headers (PxStore *store, const char *plugin, const char *smtp_url,
					  const char *from, const char *const *to,
					  const char *subject, const char *text,
					  const char *const *headers, const char *event, char **id,
					  GError **error);

/**
 * px_outbox_take_due:
 * @now_ms: the time, Unix milliseconds
 * @busy: (array zero-terminated=1) (nullable): ids to leave out (those in flight)
 * @limit: the most to take
 *
 * Returns: (transfer full) (element-type PxOutboxMessage): the pending messages due at @now_ms,
 * the longest due first, or NULL with @error set
 */
GPtrArray *px_outbox_take_due (PxStore *store, gint64 now_ms, const char *const *busy, guint limit,
			       GError **error);

/**
 * px_outbox_get_next_due:
 * @next_ms: (out): when the next pending message not in @busy is due (Unix ms), or 0 for none
 *
 * Returns: FALSE with @error set when it cannot be read
 */
gboolean px_outbox_get_next_due (PxStore *store, const char *const *busy, gint64 *next_ms,
				 GError **error);

/* records a successful attempt. Returns: FALSE with @error set */
gboolean px_outbox_mark_delivered (PxStore *store, const char *id, GError **error);
/* records a failed attempt and when to try again (Unix ms). Returns: FALSE with @error set */
gboolean px_outbox_mark_retry (PxStore *store, const char *id, gint64 next_ms,
			       const char *last_error, GError **error);
/* records the last failed attempt: the message is given up. Returns: FALSE with @error set */
gboolean px_outbox_mark_failed (PxStore *store, const char *id, const char *last_error,
				GError **error);

/**
 * px_outbox_get_message_state:
 * @state: (out) (transfer full): "pending", "delivered" or "failed"
 * @attempts: (out) (optional): the attempts made
 *
 * Returns: FALSE with PX_ERROR_NOT_FOUND when there is no message @id, or the store's error
 */
gboolean px_outbox_get_message_state (PxStore *store, const char *id, char **state, guint *attempts,
				      GError **error);

/* fills @counts; all zero on a database older than the outbox. Returns: FALSE with @error set */
gboolean px_outbox_count (PxStore *store, PxOutboxCounts *counts, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxOutboxMessage, px_outbox_message_free)
