/* web-static.c: the static files (/static/NAME): the built-in ones from the binary's
 * resources, a theme's from THEME/static/ in their place or beside them, read once at start
 * and answered from memory on the main context. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "web-page.h"
#include "web-private.h"

#define PX_WEB_STATIC_RESOURCES "/org/praxis/web/static"

typedef struct {
	GBytes *bytes;
	const char *content_type;
} PxWebStaticFile;

static void
px_web_static_file_free (gpointer data)
{
	PxWebStaticFile *file = data;

	g_bytes_unref (file->bytes);
	g_free (file);
}

static const char *
px_web_static_content_type (const char *name)
{
	static const struct {
		const char *suffix, *type;
	} types[] = {
	    {".css", "text/css; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".woff2", "font/woff2"},
	};

	for (guint i = 0; i < G_N_ELEMENTS (types); i++) {
		if (g_str_has_suffix (name, types[i].suffix))
			return types[i].type;
	}
	return "application/octet-stream";
}

static void
px_web_static_cb (PxServer *server, SoupServerMessage *message, gint64 id, gpointer user_data)
{
	PxWebStaticFile *file = user_data;
	PxResponse response = {0};

	response.status = SOUP_STATUS_OK;
	response.content_type = file->content_type;
	response.body = g_bytes_ref (file->bytes);
	px_web_page_add_security_headers (&response);
	px_response_add_header (&response, "Cache-Control", "public, max-age=3600");
	px_server_respond (message, &response);
}

/* a file name fit for a route: no folders, nothing hidden */
static gboolean
px_web_static_name_is_plain (const char *name)
{
	return name[0] != '.' && strchr (name, '/') == NULL && strlen (name) < 128;
}

static void
px_web_static_add (GHashTable *files, const char *name, GBytes *bytes)
{
	PxWebStaticFile *file = g_new0 (PxWebStaticFile, 1);

	file->bytes = bytes;
	file->content_type = px_web_static_content_type (name);
	g_hash_table_replace (files, g_strdup (name), file);
}

/* Returns: the files by name: the built-in ones, then the theme's over them */
static GHashTable *
px_web_static_read (const char *theme)
{
	GHashTable *files =
	    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, px_web_static_file_free);
	g_auto (GStrv) names = g_resources_enumerate_children (PX_WEB_STATIC_RESOURCES,
							       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	g_autofree char *folder = theme != NULL ? g_build_filename (theme, "static", NULL) : NULL;
	g_autoptr (GDir) dir = folder != NULL ? g_dir_open (folder, 0, NULL) : NULL;
	const char *name;

	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		g_autofree char *path =
		    g_strdup_printf ("%s/%s", PX_WEB_STATIC_RESOURCES, names[i]);
		px_web_static_add (
		    files, names[i],
		    g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL));
	}
	while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
		g_autofree char *path = g_build_filename (folder, name, NULL);
		char *contents = NULL;
		gsize length = 0;

		if (!px_web_static_name_is_plain (name) ||
		    !g_file_get_contents (path, &contents, &length, NULL))
			continue;
		px_web_static_add (files, name, g_bytes_new_take (contents, length));
	}
	return files;
}

void
px_web_static_register (PxWeb *web, PxServer *server)
{
	GHashTableIter iter;
	gpointer name, file;

	/* the routes point into the table, which the front end keeps until it is freed */
	g_clear_pointer (&web->static_files, g_hash_table_unref);
	web->static_files = px_web_static_read (web->config->web_theme);
	g_hash_table_iter_init (&iter, web->static_files);
	while (g_hash_table_iter_next (&iter, &name, &file)) {
		g_autofree char *pattern = g_strdup_printf ("/static/%s", (const char *)name);
		px_server_add_route (server, pattern, "GET, HEAD", px_web_static_cb, file);
	}
}
