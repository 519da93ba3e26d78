/* test-plugin-storage.c: the plugins' rows of migration 006: each plugin's key-value storage
 * (store/plugin-storage.c), apart from the others' and bounded, and each plugin's state
 * (store/plugin-state.c). */
#include <glib/gstdio.h>
#include <string.h>

#include "store/plugin-state.h"
#include "store/plugin-storage.h"
#include "store/store.h"
#include "test-util.h"
#include "util/error.h"

typedef struct {
	char *dir;
	char *path;
	PxStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-plugin-storage-XXXXXX", &error);
	g_assert_no_error (error);
	fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->store = px_store_open (fixture->path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	px_store_free (fixture->store);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->path);
	g_free (fixture->dir);
}

static char *
get_value (PxStore *store, const char *plugin, const char *key)
{
	g_autoptr (GError) error = NULL;
	char *value = NULL;

	g_assert_true (px_plugin_storage_get (store, plugin, key, &value, &error));
	g_assert_no_error (error);
	return value;
}

/* set, replace, read, delete; one plugin's keys are not another's */
static void
test_plugin_storage_roundtrip_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *missing = get_value (fixture->store, "import-feed", "last");
	g_autofree char *first = NULL;
	g_autofree char *second = NULL;
	g_autofree char *other = NULL;
	g_autofree char *deleted = NULL;
	g_autoptr (PxStore) again = NULL;

	g_assert_null (missing);
	g_assert_true (
	    px_plugin_storage_set (fixture->store, "import-feed", "last", "2026-01-01", &error));
	first = get_value (fixture->store, "import-feed", "last");
	g_assert_cmpstr (first, ==, "2026-01-01");
	g_assert_true (px_plugin_storage_set (fixture->store, "import-feed", "last", "", &error));
	second = get_value (fixture->store, "import-feed", "last");
	g_assert_cmpstr (second, ==, "");
	other = get_value (fixture->store, "import-praxis", "last");
	g_assert_null (other);
	/* kept across connections */
	again = px_store_open (fixture->path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	g_clear_pointer (&first, g_free);
	first = get_value (again, "import-feed", "last");
	g_assert_cmpstr (first, ==, "");
	g_assert_true (px_plugin_storage_delete (fixture->store, "import-feed", "last", &error));
	g_assert_true (px_plugin_storage_delete (fixture->store, "import-feed", "last", &error));
	g_assert_no_error (error);
	deleted = get_value (fixture->store, "import-feed", "last");
	g_assert_null (deleted);
}

static void
assert_refused (PxStore *store, const char *plugin, const char *key, const char *value)
{
	g_autoptr (GError) error = NULL;

	g_assert_false (px_plugin_storage_set (store, plugin, key, value, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

/* keys up to 256 bytes, values up to 64 KiB, both UTF-8 */
static void
test_plugin_storage_bounds_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *key = g_strnfill (PX_PLUGIN_STORAGE_MAX_KEY, 'k');
	g_autofree char *long_key = g_strnfill (PX_PLUGIN_STORAGE_MAX_KEY + 1, 'k');
	g_autofree char *value = g_strnfill (PX_PLUGIN_STORAGE_MAX_VALUE, 'v');
	g_autofree char *long_value = g_strnfill (PX_PLUGIN_STORAGE_MAX_VALUE + 1, 'v');
	g_autofree char *read = NULL;
	char *stored = NULL;

	g_assert_true (px_plugin_storage_set (fixture->store, "p", key, value, &error));
	g_assert_no_error (error);
	read = get_value (fixture->store, "p", key);
	g_assert_cmpuint (strlen (read), ==, PX_PLUGIN_STORAGE_MAX_VALUE);
	assert_refused (fixture->store, "p", long_key, "v");
	assert_refused (fixture->store, "p", key, long_value);
	assert_refused (fixture->store, "p", "", "v");
	assert_refused (fixture->store, "p", NULL, "v");
	assert_refused (fixture->store, "p", "k", NULL);
	assert_refused (fixture->store, "p", "k", "\xff\xfe");
	assert_refused (fixture->store, "", "k", "v");
	g_assert_false (px_plugin_storage_get (fixture->store, "p", long_key, &stored, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_null (stored);
}

/* a plugin's state replaces the one before; the list has every plugin by name */
static void
test_plugin_state_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPluginState) state = NULL;
	g_autoptr (PxPluginState) missing = NULL;
	g_autoptr (GPtrArray) states = NULL;

	g_assert_true (px_plugin_state_set (fixture->store, "glossary", "loaded", NULL, 0, &error));
	g_assert_true (
	    px_plugin_state_set (fixture->store, "focus-tagger", "loaded", NULL, 0, &error));
	g_assert_true (px_plugin_state_set (fixture->store, "glossary", "disabled",
					    "failed 5 calls in a row", 5, &error));
	g_assert_no_error (error);
	state = px_plugin_state_get (fixture->store, "glossary", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (state->name, ==, "glossary");
	g_assert_cmpstr (state->status, ==, "disabled");
	g_assert_cmpstr (state->reason, ==, "failed 5 calls in a row");
	g_assert_cmpuint (state->failures, ==, 5);
	g_assert_nonnull (state->updated_at);
	states = px_plugin_state_list (fixture->store, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (states->len, ==, 2);
	g_assert_cmpstr (((PxPluginState *)g_ptr_array_index (states, 0))->name, ==,
			 "focus-tagger");
	g_assert_null (((PxPluginState *)g_ptr_array_index (states, 0))->reason);
	missing = px_plugin_state_get (fixture->store, "nope", &error);
	g_assert_null (missing);
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
	g_clear_error (&error);
	g_assert_false (px_plugin_state_set (fixture->store, "", "loaded", NULL, 0, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/praxis/plugin-storage/roundtrip", Fixture, NULL, fixture_set_up,
		    test_plugin_storage_roundtrip_func, fixture_tear_down);
	g_test_add ("/praxis/plugin-storage/bounds", Fixture, NULL, fixture_set_up,
		    test_plugin_storage_bounds_func, fixture_tear_down);
	g_test_add ("/praxis/plugin-state/set-get", Fixture, NULL, fixture_set_up,
		    test_plugin_state_func, fixture_tear_down);
	return g_test_run ();
}
