/* test-web-template.c: the templates escape by default, raw output only for *_html names,
 * sections, inverted sections, partials, translations, the errors of a broken template; the
 * .mo catalogs and the choice of a language. */
#include <glib/gstdio.h>
#include <string.h>

#include "i18n/i18n.h"
#include "util/error.h"
#include "util/json.h"
#include "web/web-template.h"

static PxWebTemplates *
parse_one (const char *name, const char *text)
{
	g_autoptr (PxWebTemplates) templates = px_web_templates_new (NULL, NULL);
	g_autoptr (GError) error = NULL;

	g_assert_nonnull (templates);
	g_assert_true (px_web_templates_parse (templates, name, text, &error));
	g_assert_no_error (error);
	return g_steal_pointer (&templates);
}

static char *
render (const char *text, const char *json)
{
	g_autoptr (PxWebTemplates) templates = parse_one ("t", text);
	g_autoptr (JsonObject) context = px_json_parse_object (json, strlen (json), NULL);
	g_autoptr (GError) error = NULL;
	char *out = px_web_templates_render (templates, "t", context, NULL, &error);

	g_assert_no_error (error);
	return out;
}

static void
test_web_template_escape_func (void)
{
	g_autofree char *out = render ("<p title=\"{{t}}\">{{t}}</p>{{{t_html}}}",
				       "{\"t\": \"<script>'x'&\\\"\", \"t_html\": \"<b>ok</b>\"}");

	g_assert_cmpstr (out, ==,
			 "<p title=\"&lt;script&gt;&#39;x&#39;&amp;&quot;\">"
			 "&lt;script&gt;&#39;x&#39;&amp;&quot;</p><b>ok</b>");
}

static void
test_web_template_sections_func (void)
{
	g_autofree char *list =
	    render ("{{#items}}[{{name}}:{{top}}]{{/items}}{{^items}}none{{/items}}",
		    "{\"top\": 1, \"items\": [{\"name\": \"a\"}, {\"name\": \"b\", \"top\": 2}]}");
	g_autofree char *empty =
	    render ("{{#items}}x{{/items}}{{^items}}none{{/items}}", "{\"items\": []}");
	g_autofree char *scalars =
	    render ("{{#tags}}<{{.}}>{{/tags}}{{#yes}}Y{{/yes}}"
		    "{{#no}}N{{/no}}{{#zero}}Z{{/zero}}{{#o}}{{o.k}}{{k}}{{/o}}"
		    "{{missing}}{{a.b.c}}",
		    "{\"tags\": [\"x<\", 3], \"yes\": true, \"no\": false, "
		    "\"zero\": 0, \"o\": {\"k\": \"v\"}, \"a\": {\"b\": 1}}");

	g_assert_cmpstr (list, ==, "[a:1][b:2]");
	g_assert_cmpstr (empty, ==, "none");
	g_assert_cmpstr (scalars, ==, "<x&lt;><3>Yvv");
}

static void
test_web_template_partial_func (void)
{
	g_autoptr (PxWebTemplates) templates = parse_one ("outer", "({{>inner}})");
	g_autoptr (JsonObject) context = json_object_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *out = NULL;

	g_assert_true (px_web_templates_parse (templates, "inner", "{{x}}", NULL));
	json_object_set_string_member (context, "x", "&");
	out = px_web_templates_render (templates, "outer", context, NULL, &error);
	g_assert_cmpstr (out, ==, "(&amp;)");
	/* a template that includes itself ends in an error, not a crash */
	g_assert_true (px_web_templates_parse (templates, "loop", "{{>loop}}", NULL));
	g_assert_null (px_web_templates_render (templates, "loop", context, NULL, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
}

static void
test_web_template_broken_func (void)
{
	const char *const broken[] = {
	    "{{{title}}}",  /* raw output of a name that does not say it is HTML */
	    "{{#a}}x",	    /* unclosed section */
	    "{{#a}}{{/b}}", /* closed by another name */
	    "{{/a}}",	    /* nothing open */
	    "x\n{{name",    /* unclosed tag */
	    "{{bad name}}", /* not a name */
	    "{{a..b}}",	    /* an empty step */
	    "{{_ }}",	    /* nothing to translate */
	    NULL,
	};
	g_autoptr (PxWebTemplates) templates = px_web_templates_new (NULL, NULL);

	for (guint i = 0; broken[i] != NULL; i++) {
		g_autoptr (GError) error = NULL;

		g_assert_false (px_web_templates_parse (templates, "broken", broken[i], &error));
		g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
		g_assert_nonnull (strstr (error->message, "template broken, line"));
	}
}

static void
test_web_template_builtin_func (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxWebTemplates) templates = px_web_templates_new (NULL, &error);
	g_autofree char *dir = g_dir_make_tmp ("px-theme-XXXXXX", NULL);
	g_autofree char *folder = g_build_filename (dir, "templates", NULL);
	g_autofree char *file = g_build_filename (folder, "error.html", NULL);
	g_autoptr (PxWebTemplates) themed = NULL;
	g_autoptr (JsonObject) context = json_object_new ();
	g_autofree char *out = NULL;

	/* every built-in template parses */
	g_assert_no_error (error);
	g_assert_nonnull (templates);
	/* a theme's template replaces the built-in one of its name */
	g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
	g_assert_true (g_file_set_contents (file, "themed {{message}}", -1, NULL));
	themed = px_web_templates_new (dir, &error);
	g_assert_no_error (error);
	json_object_set_string_member (context, "message", "<m>");
	out = px_web_templates_render (themed, "error", context, NULL, &error);
	g_assert_cmpstr (out, ==, "themed &lt;m&gt;");
	g_assert_cmpint (g_remove (file), ==, 0);
	g_assert_cmpint (g_rmdir (folder), ==, 0);
	g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_web_i18n_choose_func (void)
{
	g_autoptr (GError) error = NULL;
	PxI18n *i18n = px_i18n_new (&error);
	const PxI18nCatalog *sv;
	g_autoptr (PxWebTemplates) templates = parse_one ("t", "{{_ Search}}|{{_ no such text}}");
	g_autoptr (JsonObject) context = json_object_new ();
	g_autofree char *out = NULL;

	g_assert_no_error (error);
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, NULL), ==, "en");
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, "sv-SE,sv;q=0.9,en;q=0.8"), ==, "sv");
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, "en;q=0.9, sv;q=0.5"), ==, "en");
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, "de, fr;q=0.8"), ==, "en");
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, "de, sv;q=0.1"), ==, "sv");
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, "sv;q=0"), ==, "en");
	g_assert_cmpstr (px_i18n_choose (i18n, "en", "sv"), ==, "en");
	g_assert_cmpstr (px_i18n_choose (i18n, "xx", "SV"), ==, "sv");
	g_assert_cmpstr (px_i18n_choose (i18n, NULL, "svx, ;;;,,q=,"), ==, "en");
	sv = px_i18n_get_catalog (i18n, "sv");
	g_assert_nonnull (sv);
	g_assert_null (px_i18n_get_catalog (i18n, "en"));
	g_assert_cmpstr (px_i18n_catalog_gettext (sv, "Search"), ==, "Sök");
	g_assert_cmpstr (px_i18n_catalog_gettext (NULL, "Search"), ==, "Search");
	out = px_web_templates_render (templates, "t", context, sv, &error);
	g_assert_cmpstr (out, ==, "Sök|no such text");
	px_i18n_free (i18n);
}

static void
test_web_i18n_bad_mo_func (void)
{
	const guchar truncated[] = {0xde, 0x12, 0x04, 0x95, 0,	0, 0, 0, 1,  0, 0, 0,
				    28,	  0,	0,    0,    36, 0, 0, 0, 99, 0, 0, 0};
	g_autoptr (GBytes) short_one = g_bytes_new_static ("abc", 3);
	g_autoptr (GBytes) outside = g_bytes_new_static (truncated, sizeof truncated);
	g_autoptr (GError) error = NULL;

	g_assert_null (px_i18n_catalog_from_mo ("xx", short_one, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (px_i18n_catalog_from_mo ("xx", outside, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

/* a catalog whose messages have one form each, looked up for a plural: the translation's one
 * form, never the bytes after it (the next string, or past the end of the file) */
static void
test_web_i18n_one_form_func (void)
{
	/* 2 messages; the originals' table at 28, the translations' at 44, the strings at 60:
	 * "one", "two", "ett", "tvaa" (the last one ends the file) */
	const guchar file[] = {0xde, 0x12, 0x04, 0x95, 0,   0,	 0,  0,	  2,   0,   0,	 0, 28,
			       0,    0,	   0,	 44,   0,   0,	 0,  0,	  0,   0,   0,	 0, 0,
			       0,    0,	   3,	 0,    0,   0,	 60, 0,	  0,   0,   3,	 0, 0,
			       0,    64,   0,	 0,    0,   3,	 0,  0,	  0,   68,  0,	 0, 0,
			       4,    0,	   0,	 0,    72,  0,	 0,  0,	  'o', 'n', 'e', 0, 't',
			       'w',  'o',  0,	 'e',  't', 't', 0,  't', 'v', 'a', 'a', 0};
	g_autoptr (GBytes) mo = g_bytes_new (file, sizeof file);
	g_autoptr (GError) error = NULL;
	PxI18nCatalog *catalog = px_i18n_catalog_from_mo ("xx", mo, &error);

	g_assert_no_error (error);
	g_assert_cmpstr (px_i18n_catalog_gettext (catalog, "one"), ==, "ett");
	g_assert_cmpstr (px_i18n_catalog_ngettext (catalog, "one", "ones", 1), ==, "ett");
	g_assert_cmpstr (px_i18n_catalog_ngettext (catalog, "one", "ones", 2), ==, "ett");
	g_assert_cmpstr (px_i18n_catalog_ngettext (catalog, "two", "twos", 2), ==, "tvaa");
	px_i18n_catalog_free (catalog);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/web/template/escape", test_web_template_escape_func);
	g_test_add_func ("/praxis/web/template/sections", test_web_template_sections_func);
	g_test_add_func ("/praxis/web/template/partial", test_web_template_partial_func);
	g_test_add_func ("/praxis/web/template/broken", test_web_template_broken_func);
	g_test_add_func ("/praxis/web/template/builtin", test_web_template_builtin_func);
	g_test_add_func ("/praxis/web/i18n/choose", test_web_i18n_choose_func);
	g_test_add_func ("/praxis/web/i18n/bad-mo", test_web_i18n_bad_mo_func);
	g_test_add_func ("/praxis/web/i18n/one-form", test_web_i18n_one_form_func);
	return g_test_run ();
}
