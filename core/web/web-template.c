/* web-template.c: the templates' parser (text into a tree of nodes, checked once at start) and
 * renderer (the tree over a stack of JSON contexts). Values are escaped unless the name says
 * they are HTML already; nothing else writes HTML from user text. */
#define G_LOG_DOMAIN "PxWeb"

#include <gio/gio.h>
#include <string.h>

#include "util/error.h"
#include "util/html.h"
#include "web-template.h"

#define PX_WEB_TEMPLATE_RESOURCES "/org/praxis/web/templates"
#define PX_WEB_TEMPLATE_DEPTH 16

typedef enum {
	PX_NODE_TEXT,
	PX_NODE_VALUE,
	PX_NODE_RAW,
	PX_NODE_SECTION,
	PX_NODE_INVERTED,
	PX_NODE_PARTIAL,
	PX_NODE_TRANSLATE,
} PxNodeKind;

typedef struct {
	PxNodeKind kind;
	char *text;	     /* the text, the name, or the msgid */
	char **path;	     /* the name split at '.': NULL for "." */
	GPtrArray *children; /* (nullable): a section's nodes */
} PxNode;

struct _PxWebTemplates {
	GHashTable *trees; /* name -> GPtrArray of PxNode */
};

static void
px_node_free (PxNode *node)
{
	g_free (node->text);
	g_strfreev (node->path);
	g_clear_pointer (&node->children, g_ptr_array_unref);
	g_free (node);
}

static GPtrArray *
px_nodes_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify)px_node_free);
}

/* the parse of one template: where it is, and the sections open */
typedef struct {
	const char *name;
	const char *text;
	const char *at;
	GPtrArray *stack; /* (element-type PxNode): open sections, innermost last */
} PxParse;

static guint
px_parse_line (const PxParse *parse, const char *at)
{
	guint line = 1;

	for (const char *p = parse->text; p < at; p++)
		line += *p == '\n';
	return line;
}

static gboolean
px_parse_name_is_valid (const char *name)
{
	if (strcmp (name, ".") == 0)
		return TRUE;
	if (*name == '\0' || *name == '.')
		return FALSE;
	for (const char *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
			return FALSE;
		if (*p == '.' && (p[1] == '.' || p[1] == '\0'))
			return FALSE;
	}
	return TRUE;
}

static PxNode *
px_parse_node (PxNodeKind kind, const char *text)
{
	PxNode *node = g_new0 (PxNode, 1);

	node->kind = kind;
	node->text = g_strdup (text);
	if (kind != PX_NODE_TEXT && kind != PX_NODE_TRANSLATE && kind != PX_NODE_PARTIAL &&
	    strcmp (text, ".") != 0)
		node->path = g_strsplit (text, ".", -1);
	if (kind == PX_NODE_SECTION || kind == PX_NODE_INVERTED)
		node->children = px_nodes_new ();
	return node;
}

/* Returns: (transfer none): the nodes the next node joins: the innermost open section's */
static GPtrArray *
px_parse_current (PxParse *parse, GPtrArray *root)
{
	if (parse->stack->len == 0)
		return root;
	return ((PxNode *)g_ptr_array_index (parse->stack, parse->stack->len - 1))->children;
}

static gboolean
px_parse_fail (PxParse *parse, const char *at, GError **error, const char *why, const char *what)
{
	g_set_error (error, PX_ERROR, PX_ERROR_INVALID, "template %s, line %u: %s %s", parse->name,
		     px_parse_line (parse, at), why, what);
	return FALSE;
}

/* one tag, its text between the braces stripped: adds its node or closes its section */
static gboolean
px_parse_tag (PxParse *parse, GPtrArray *root, char sigil, const char *tag, gboolean triple,
	      const char *at, GError **error)
{
	GPtrArray *current = px_parse_current (parse, root);
	PxNode *open;

	if (sigil == '!')
		return TRUE;
	if (sigil == '_') {
		if (*tag == '\0')
			return px_parse_fail (parse, at, error, "empty translation", "{{_ }}");
		g_ptr_array_add (current, px_parse_node (PX_NODE_TRANSLATE, tag));
		return TRUE;
	}
	if (!px_parse_name_is_valid (tag))
		return px_parse_fail (parse, at, error, "bad name", tag);
	switch (sigil) {
	case '#':
	case '^': {
		PxNode *node =
		    px_parse_node (sigil == '#' ? PX_NODE_SECTION : PX_NODE_INVERTED, tag);

		g_ptr_array_add (current, node);
		g_ptr_array_add (parse->stack, node);
		return TRUE;
	}
	case '/':
		if (parse->stack->len == 0)
			return px_parse_fail (parse, at, error, "nothing open to close with", tag);
		open = g_ptr_array_index (parse->stack, parse->stack->len - 1);
		if (strcmp (open->text, tag) != 0)
			return px_parse_fail (parse, at, error,
					      "a section closed by another name:", tag);
		g_ptr_array_remove_index (parse->stack, parse->stack->len - 1);
		return TRUE;
	case '>':
		g_ptr_array_add (current, px_parse_node (PX_NODE_PARTIAL, tag));
		return TRUE;
	default:
		if (triple && !g_str_has_suffix (tag, "_html"))
			return px_parse_fail (parse, at, error,
					      "raw output is only for names ending in _html:", tag);
		g_ptr_array_add (current,
				 px_parse_node (triple ? PX_NODE_RAW : PX_NODE_VALUE, tag));
		return TRUE;
	}
}

/* Returns: (transfer full): the nodes of @text, or NULL with @error set */
static GPtrArray *
px_parse (const char *name, const char *text, GError **error)
{
	g_autoptr (GPtrArray) root = px_nodes_new ();
	g_autoptr (GPtrArray) stack = g_ptr_array_new ();
	PxParse parse = {name, text, text, stack};

	while (*parse.at != '\0') {
		const char *open = strstr (parse.at, "{{");
		gboolean triple;
		const char *close;
		char sigil = '\0';
		g_autofree char *tag = NULL;

		if (open == NULL) {
			g_ptr_array_add (px_parse_current (&parse, root),
					 px_parse_node (PX_NODE_TEXT, parse.at));
			break;
		}
		if (open > parse.at) {
			g_autofree char *chunk = g_strndup (parse.at, open - parse.at);
			g_ptr_array_add (px_parse_current (&parse, root),
					 px_parse_node (PX_NODE_TEXT, chunk));
		}
		triple = open[2] == '{';
		close = strstr (open + (triple ? 3 : 2), triple ? "}}}" : "}}");
		if (close == NULL) {
			px_parse_fail (&parse, open, error, "unclosed tag", "{{");
			return NULL;
		}
		tag = g_strndup (open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
		g_strstrip (tag);
		if (!triple && strchr ("#^/>!_", tag[0]) != NULL && tag[0] != '\0') {
			sigil = tag[0];
			memmove (tag, tag + 1, strlen (tag));
			g_strstrip (tag);
		}
		if (!px_parse_tag (&parse, root, sigil, tag, triple, open, error))
			return NULL;
		parse.at = close + (triple ? 3 : 2);
	}
	if (stack->len > 0) {
		PxNode *node = g_ptr_array_index (stack, stack->len - 1);
		px_parse_fail (&parse, parse.at, error, "unclosed section", node->text);
		return NULL;
	}
	return g_steal_pointer (&root);
}

gboolean
px_web_templates_parse (PxWebTemplates *templates, const char *name, const char *text,
			GError **error)
{
	GPtrArray *tree = px_parse (name, text, error);

	if (tree == NULL)
		return FALSE;
	g_hash_table_replace (templates->trees, g_strdup (name), tree);
	return TRUE;
}

void
px_web_templates_free (PxWebTemplates *templates)
{
	if (templates == NULL)
		return;
	g_clear_pointer (&templates->trees, g_hash_table_unref);
	g_free (templates);
}

/* reads THEME/templates/NAME.html over the built-in one when it exists */
static gboolean
px_web_templates_load (PxWebTemplates *templates, const char *theme, const char *file,
		       GError **error)
{
	g_autofree char *name = g_strndup (file, strlen (file) - strlen (".html"));
	g_autofree char *themed =
	    theme != NULL ? g_build_filename (theme, "templates", file, NULL) : NULL;
	g_autofree char *path = g_strdup_printf ("%s/%s", PX_WEB_TEMPLATE_RESOURCES, file);
	g_autofree char *contents = NULL;
	g_autoptr (GBytes) bytes = NULL;

	if (themed != NULL && g_file_test (themed, G_FILE_TEST_EXISTS)) {
		if (!g_file_get_contents (themed, &contents, NULL, error))
			return FALSE;
		return px_web_templates_parse (templates, name, contents, error);
	}
	bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (bytes == NULL)
		return FALSE;
	contents = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
	return px_web_templates_parse (templates, name, contents, error);
}

PxWebTemplates *
px_web_templates_new (const char *theme, GError **error)
{
	g_autoptr (PxWebTemplates) templates = g_new0 (PxWebTemplates, 1);
	g_auto (GStrv) files = g_resources_enumerate_children (PX_WEB_TEMPLATE_RESOURCES,
							       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

	templates->trees = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						  (GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; files != NULL && files[i] != NULL; i++) {
		if (g_str_has_suffix (files[i], ".html") &&
		    !px_web_templates_load (templates, theme, files[i], error))
			return NULL;
	}
	return g_steal_pointer (&templates);
}

/* the rendering: the templates, the output, the contexts innermost last */
typedef struct {
	const PxWebTemplates *templates;
	const PxI18nCatalog *catalog;
	GString *out;
	GPtrArray *contexts; /* (element-type JsonNode) */
	guint depth;
} PxRender;

/* Returns: (transfer none) (nullable): the value of @path, looked up from the innermost
 * context outwards for its first name, then inside that for the rest */
static JsonNode *
px_render_lookup (PxRender *render, char **path)
{
	JsonNode *node = NULL;

	if (path == NULL)
		return g_ptr_array_index (render->contexts, render->contexts->len - 1);
	for (guint i = render->contexts->len; i > 0 && node == NULL; i--) {
		JsonNode *context = g_ptr_array_index (render->contexts, i - 1);

		if (JSON_NODE_HOLDS_OBJECT (context))
			node = json_object_get_member (json_node_get_object (context), path[0]);
	}
	for (guint i = 1; node != NULL && path[i] != NULL; i++) {
		if (!JSON_NODE_HOLDS_OBJECT (node))
			return NULL;
		node = json_object_get_member (json_node_get_object (node), path[i]);
	}
	return node;
}

static gboolean
px_render_is_true (JsonNode *node)
{
	if (node == NULL || JSON_NODE_HOLDS_NULL (node))
		return FALSE;
	if (JSON_NODE_HOLDS_ARRAY (node))
		return json_array_get_length (json_node_get_array (node)) > 0;
	if (JSON_NODE_HOLDS_OBJECT (node))
		return TRUE;
	switch (json_node_get_value_type (node)) {
	case G_TYPE_BOOLEAN:
		return json_node_get_boolean (node);
	case G_TYPE_STRING:
		return *json_node_get_string (node) != '\0';
	case G_TYPE_INT64:
		return json_node_get_int (node) != 0;
	case G_TYPE_DOUBLE:
		return json_node_get_double (node) != 0;
	default:
		return FALSE;
	}
}

/* Returns: (transfer full) (nullable): a scalar's text; NULL for null, arrays and objects */
static char *
px_render_scalar (JsonNode *node)
{
	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
		return NULL;
	switch (json_node_get_value_type (node)) {
	case G_TYPE_STRING:
		return g_strdup (json_node_get_string (node));
	case G_TYPE_INT64:
		return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
	case G_TYPE_DOUBLE: {
		char buffer[G_ASCII_DTOSTR_BUF_SIZE];
		return g_strdup (
		    g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
	}
	case G_TYPE_BOOLEAN:
		return g_strdup (json_node_get_boolean (node) ? "true" : "false");
	default:
		return NULL;
	}
}

static gboolean px_render_nodes (PxRender *render, GPtrArray *nodes, GError **error);

static gboolean
px_render_pushed (PxRender *render, JsonNode *context, GPtrArray *nodes, GError **error)
{
	gboolean ok;

	g_ptr_array_add (render->contexts, context);
	ok = px_render_nodes (render, nodes, error);
	g_ptr_array_remove_index (render->contexts, render->contexts->len - 1);
	return ok;
}

static gboolean
px_render_section (PxRender *render, PxNode *node, GError **error)
{
	JsonNode *value = px_render_lookup (render, node->path);
	JsonArray *items;

	if (node->kind == PX_NODE_INVERTED)
		return px_render_is_true (value) ? TRUE
						 : px_render_nodes (render, node->children, error);
	if (!px_render_is_true (value))
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY (value))
		return px_render_pushed (render, value, node->children, error);
	items = json_node_get_array (value);
	for (guint i = 0; i < json_array_get_length (items); i++) {
		if (!px_render_pushed (render, json_array_get_element (items, i), node->children,
				       error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
px_render_partial (PxRender *render, const char *name, GError **error)
{
	GPtrArray *tree = g_hash_table_lookup (render->templates->trees, name);
	gboolean ok;

	if (tree == NULL || render->depth >= PX_WEB_TEMPLATE_DEPTH) {
		g_set_error (error, PX_ERROR, PX_ERROR_INTERNAL,
			     tree == NULL ? "no template %s" : "templates nested too deep at %s",
			     name);
		return FALSE;
	}
	render->depth++;
	ok = px_render_nodes (render, tree, error);
	render->depth--;
	return ok;
}

static gboolean
px_render_nodes (PxRender *render, GPtrArray *nodes, GError **error)
{
	for (guint i = 0; i < nodes->len; i++) {
		PxNode *node = g_ptr_array_index (nodes, i);
		g_autofree char *text = NULL;

		switch (node->kind) {
		case PX_NODE_TEXT:
			g_string_append (render->out, node->text);
			break;
		case PX_NODE_VALUE:
		case PX_NODE_RAW:
			text = px_render_scalar (px_render_lookup (render, node->path));
			if (text != NULL && node->kind == PX_NODE_RAW)
				g_string_append (render->out, text);
			else if (text != NULL)
				px_html_append_escaped (render->out, text);
			break;
		case PX_NODE_TRANSLATE:
			px_html_append_escaped (
			    render->out, px_i18n_catalog_gettext (render->catalog, node->text));
			break;
		case PX_NODE_PARTIAL:
			if (!px_render_partial (render, node->text, error))
				return FALSE;
			break;
		case PX_NODE_SECTION:
		case PX_NODE_INVERTED:
			if (!px_render_section (render, node, error))
				return FALSE;
			break;
		}
	}
	return TRUE;
}

char *
px_web_templates_render (const PxWebTemplates *templates, const char *name, JsonObject *context,
			 const PxI18nCatalog *catalog, GError **error)
{
	g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), context);
	g_autoptr (GPtrArray) contexts = g_ptr_array_new ();
	g_autoptr (GString) out = g_string_sized_new (8192);
	PxRender render = {templates, catalog, out, contexts, 0};

	g_ptr_array_add (contexts, root);
	if (!px_render_partial (&render, name, error))
		return NULL;
	return g_string_free (g_steal_pointer (&out), FALSE);
}
