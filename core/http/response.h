/* response.h: PxResponse, an HTTP answer built anywhere (worker threads included) and sent on
 * the main context; and the one table from PX_ERROR codes to HTTP statuses and problem+json. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef struct {
	guint status;
	const char *content_type;
	GBytes *body;
	char *location;		     /* (nullable): a Location header */
	const char *allow;	     /* (nullable): an Allow header, for 405 */
	gboolean more;		     /* @body is one chunk of a longer answer: run the work again */
	SoupMessageHeaders *headers; /* (nullable): more headers (px_response_add_header) */
} PxResponse;

void px_response_clear (PxResponse *response);
/* appends the header @name: @value to the answer (any thread) */
void px_response_add_header (PxResponse *response, const char *name, const char *value);
/* answers with @text (taken) of @content_type, a static string */
void px_response_take_text (PxResponse *response, guint status, const char *content_type,
			    char *text, gsize length);
/* answers with the builder's JSON document */
void px_response_set_json (PxResponse *response, guint status, JsonBuilder *builder);
/**
 * px_response_set_problem:
 * @errors: (nullable) (element-type PxFieldError): the fields at fault
 *
 * Answers with application/problem+json (RFC 9457).
 */
void px_response_set_problem (PxResponse *response, guint status, const char *detail,
			      GPtrArray *errors);
/* answers with the problem @error describes; its code chooses the status */
void px_response_set_error (PxResponse *response, const GError *error);
/* sets status, headers and body on @message (main context only) */
void px_response_send (PxResponse *response, SoupServerMessage *message);
