/* web-form.h: the practice form of /submit, /submit/{id} and the moderators' edit: its fields,
 * named as the JSON fields; the values as they were typed, kept across a refusal or a preview;
 * the practice made of them by the model's rules; and the template context of the form (each
 * field's label, hint, value and message, the error summary, the Markdown preview). */
#pragma once

#include "model/practice.h"
#include "web-request.h"

/* Returns: (transfer full): what the request's form holds of a practice, as typed: every text
 * field and the year as strings, focus_areas and themes as arrays of strings */
JsonObject *px_web_form_values_from_request (const PxWebRequest *request);
/* Returns: (transfer full): the values of a stored @practice, as its edit form shows them */
JsonObject *px_web_form_values_from_practice (const PxPractice *practice);

/**
 * px_web_form_apply:
 * @values: what px_web_form_values_from_request() read
 * @mode: PX_JSON_CREATE for a new practice, PX_JSON_PATCH for an edit (every field replaced)
 * @errors: (element-type PxFieldError): receives what breaks the model's rules
 *
 * Returns: TRUE when @errors gained nothing
 */
gboolean px_web_form_apply (JsonObject *values, PxPractice *practice, PxJsonMode mode,
			    GPtrArray *errors);

/**
 * px_web_form_add_context:
 * @values: the form's values (typed or stored)
 * @errors: (nullable) (element-type PxFieldError): what to mark; the first message of a field
 *   is shown, translated where the model's rule is known; field "practice" (a plugin's
 *   refusal) and other names the form lacks go into the summary only
 * @preview: show the body rendered from its Markdown below it
 *
 * Sets @content's "groups" (fieldsets of fields), "focus", "themes", "errors" (the summary's
 * links), "has_errors" and "body_html".
 */
void px_web_form_add_context (const PxWebRequest *request, JsonObject *content, JsonObject *values,
			      const GPtrArray *errors, gboolean preview);
