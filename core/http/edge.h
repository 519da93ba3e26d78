/* edge.h: requests refused at the edge of the HTTP server, before any body is read or where
 * libsoup 3.2.3 answers by itself: framing checks, answers on a stolen connection, and the
 * problem+json body of libsoup's own refusals. */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

/**
 * px_edge_check_framing:
 * @max_body_bytes: the largest body accepted
 * @detail: (out): why, when refused (static)
 *
 * Checks how the request says its body is framed: one Content-Length at most, not together
 * with Transfer-Encoding (400), no chunked body (411), not larger than @max_body_bytes (413).
 *
 * Returns: 0 when acceptable, else the HTTP status to refuse with
 */
guint px_edge_check_framing (SoupMessageHeaders *headers, goffset max_body_bytes,
			     const char **detail);

/**
 * px_edge_refuse:
 *
 * Answers @message at once with a problem+json @status and closes its connection without
 * reading the body: the connection is taken from libsoup (which would read the whole body
 * first), the answer written, the sending side shut, and what the client still sends is
 * discarded for a short, bounded time so that the answer is not lost to a reset. libsoup
 * emits no request-finished for @message afterwards. Closes still lingering when @soup is
 * finalized end then (iterate the main context afterwards to free them). Main context only.
 */
void px_edge_refuse (SoupServer *soup, SoupServerMessage *message, guint status,
		     const char *detail);

/**
 * px_edge_prepare:
 *
 * Call from request-started. libsoup 3.2.3 answers some requests itself with an empty body
 * (a malformed request line, URI or header, an unknown Transfer-Encoding, Expect or HTTP
 * version) and Praxis sees none of them before the answer is written. This puts a generic
 * problem+json answer in place for those; once the headers are parsed it is replaced by the
 * problem for the status libsoup set, or removed if the request goes on to the handlers.
 */
void px_edge_prepare (SoupServerMessage *message);
