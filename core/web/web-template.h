/* web-template.h: PxWebTemplates, the page templates: a mustache subset rendered over a
 * JsonObject, HTML-escaped by default. Read from the binary's resources
 * (core/web/templates/NAME.html) or, when [web] theme is set, from THEME/templates/NAME.html.
 *
 * Syntax: {{name}} and {{a.b}} escaped; {{{name_html}}} raw, allowed only for names that end in
 * "_html" (HTML the server made: Markdown rendered, snippets); {{#name}}...{{/name}} once per
 * array item, or once with an object pushed, or once for any other true value (true, a
 * non-empty string, a non-zero number); {{^name}}...{{/name}} when name is false, empty or
 * missing; {{.}} the current item; {{>name}} another template; {{_ text}} the text translated
 * (escaped); {{! comment}}. Names are looked up from the innermost context outwards. */
#pragma once

#include <json-glib/json-glib.h>

#include "i18n/i18n.h"

typedef struct _PxWebTemplates PxWebTemplates;

/**
 * px_web_templates_new:
 * @theme: (nullable): a folder whose templates/NAME.html replace the built-in ones
 *
 * Reads and parses every template. Returns: (transfer full): the templates, or NULL with
 * @error set naming the template and line of a syntax error
 */
PxWebTemplates *px_web_templates_new (const char *theme, GError **error);
void px_web_templates_free (PxWebTemplates *templates);
/**
 * px_web_templates_parse:
 * @name: what error messages call it
 *
 * Adds (or replaces) the template @name made of @text. Returns: FALSE with @error set
 */
gboolean px_web_templates_parse (PxWebTemplates *templates, const char *name, const char *text,
				 GError **error);
/**
 * px_web_templates_render:
 * @catalog: (nullable): the language of {{_ text}}, NULL for English
 *
 * Returns: (transfer full): the text of template @name over @context, or NULL with
 * PX_ERROR_INTERNAL for an unknown template or partials nested too deep
 */
char *px_web_templates_render (const PxWebTemplates *templates, const char *name,
			       JsonObject *context, const PxI18nCatalog *catalog, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxWebTemplates, px_web_templates_free)
