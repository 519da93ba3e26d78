/* test-util.c: shared helpers of the unit tests. */
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "test-util.h"

PxImportStats
px_test_import_data_through (PxPractices *practices, PxStore *store, const char *name)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
	g_autoptr (GFile) file = g_file_new_for_path (path);
	g_autoptr (GFileInputStream) input = g_file_read (file, NULL, &error);
	PxImportStats stats = {0};

	g_assert_no_error (error);
	g_assert_true (px_import_jsonl (practices, store, G_INPUT_STREAM (input), &stats, NULL,
					NULL, NULL, &error));
	g_assert_no_error (error);
	return stats;
}

PxImportStats
px_test_import_data (PxStore *store, const char *name)
{
	g_autoptr (PxPractices) practices = px_practices_new ();

	return px_test_import_data_through (practices, store, name);
}

void
px_test_remove_dir (const char *dir)
{
	g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
	const char *name;

	while (listing != NULL && (name = g_dir_read_name (listing)) != NULL) {
		g_autofree char *file = g_build_filename (dir, name, NULL);
		g_unlink (file);
	}
	g_rmdir (dir);
}
