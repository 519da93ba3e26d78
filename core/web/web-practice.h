/* web-practice.h: the practice page, as the moderators' preview shares it: one practice shown
 * exactly as the public sees it once it is published, whatever its status. */
#pragma once

#include "web-request.h"

/**
 * px_web_practice_build:
 * @store: the worker's connection (the related practices are searched on it, outside any
 *   transaction)
 *
 * Returns: (transfer full): the context of template "practice-article" for @practice: every
 * public field (the contact only for a signed-in @request), the body rendered from Markdown,
 * the focus areas and themes as links to their searches, the related practices, and the
 * members the layout puts in the head (canonical_url, jsonld_html)
 */
JsonObject *px_web_practice_build (PxWebRequest *request, PxStore *store,
				   const PxPractice *practice);

/**
 * px_web_practice_render_preview:
 *
 * Answers 200 with @practice's page as the public will see it, under a notice that says it is
 * a preview and, unless it is published, that the public cannot see it yet. For the moderation
 * queue (the caller checks that @request may see @practice).
 */
void px_web_practice_render_preview (PxWebRequest *request, PxStore *store, PxResponse *response,
				     const PxPractice *practice);
