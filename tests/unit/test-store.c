/* test-store.c: migrations, the sync of the full-text index with every write, idempotent import,
 * export with tombstones, tokens. Every test ends with the FTS5 integrity check. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/jsonl.h"
#include "store/export.h"
#include "store/migration.h"
#include "store/outbox.h"
#include "store/records.h"
#include "store/session.h"
#include "store/store-private.h"
#include "store/store.h"
#include "store/subscription.h"
#include "store/token.h"
#include "test-util.h"
#include "util/error.h"
#include "util/timestamp.h"

#define PX_TEST_SCHEMA 10 /* the newest migration */

typedef struct {
	char *dir;
	char *path;
	PxStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-store-XXXXXX", &error);
	g_assert_no_error (error);
	fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->store = px_store_open (fixture->path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (px_store_check (fixture->store, &error));
	g_assert_no_error (error);
	px_store_free (fixture->store);
	px_test_remove_dir (fixture->dir);
	g_free (fixture->path);
	g_free (fixture->dir);
}

static guint
count_matches (PxStore *store, const char *expression)
{
	g_autoptr (GError) error = NULL;
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT count(*) FROM practices_fts WHERE practices_fts MATCH ?1", &error);
	guint count;

	g_assert_no_error (error);
	sqlite3_bind_text (statement, 1, expression, -1, SQLITE_STATIC);
	g_assert_cmpint (px_store_step (store, statement, &error), ==, SQLITE_ROW);
	count = (guint)sqlite3_column_int (statement, 0);
	sqlite3_reset (statement);
	return count;
}

static PxPractice *
new_practice (const char *title)
{
	PxPractice *practice = px_practice_new ();

	practice->title = g_strdup (title);
	practice->summary = g_strdup ("A summary.");
	practice->status = PX_STATUS_PUBLISHED;
	return practice;
}

static void
test_store_migrate_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxStore) again = NULL;

	g_assert_cmpint (px_migration_get_schema_version (fixture->store), ==, PX_TEST_SCHEMA);
	/* opening an up-to-date database applies nothing and keeps the level */
	again = px_store_open (fixture->path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	g_assert_cmpint (px_migration_get_schema_version (again), ==, PX_TEST_SCHEMA);
}

/* Returns: TRUE if the full-text vocabulary holds @term */
static gboolean
has_term (PxStore *store, const char *term)
{
	g_autoptr (GError) error = NULL;
	sqlite3_stmt *statement = px_store_prepare (
	    store, "SELECT count(*) FROM practices_vocab WHERE term = ?1", &error);
	gboolean found;

	g_assert_no_error (error);
	sqlite3_bind_text (statement, 1, term, -1, SQLITE_STATIC);
	g_assert_cmpint (px_store_step (store, statement, &error), ==, SQLITE_ROW);
	found = sqlite3_column_int (statement, 0) > 0;
	sqlite3_reset (statement);
	return found;
}

/* the index of tests/data/unit-practices.jsonl as schema 5 builds it: each practice with the
 * stems of its own language, tagged with it */
static void
assert_language_index (PxStore *store)
{
	/* Swedish stems for the Swedish practice, no other language's */
	g_assert_true (has_term (store, "sprakcafe"));
	g_assert_true (has_term (store, "@sv:sprakcafe"));
	g_assert_false (has_term (store, "@de:sprakcafe"));
	g_assert_false (has_term (store, "@-:sprakcafe"));
	/* a Latvian practice has no stemmer: its words tagged as such, for prefixes */
	g_assert_true (has_term (store, "@-:riga"));
	g_assert_false (has_term (store, "@sv:riga"));
	g_assert_cmpuint (count_matches (store, "språkcaféer"), ==, 1);
	g_assert_cmpuint (count_matches (store, "Integrationsprojekte"), ==, 1);
	/* the English stem "integr" of "integration" is no longer the Spanish practice's */
	g_assert_cmpuint (count_matches (store, "integration"), ==, 0);
	g_assert_cmpuint (count_matches (store, "integración"), ==, 1);
}

/* a database saved by each released schema (@data names it) still opens, migrates to the
 * newest and checks, and its index follows the newest rules */
static void
test_store_migrate_saved_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *saved =
	    g_test_build_filename (G_TEST_DIST, "..", "data", "db", (const char *)data, NULL);
	g_autofree char *copy = g_build_filename (fixture->dir, "saved.db", NULL);
	g_autofree char *contents = NULL;
	gsize length = 0;
	g_autoptr (PxStore) old = NULL;
	guint64 generation = 0;
	PxOutboxCounts counts = {1, 1, 1, 1};

	g_assert_true (g_file_get_contents (saved, &contents, &length, &error));
	g_assert_true (g_file_set_contents (copy, contents, (gssize)length, &error));
	old = px_store_open (copy, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	g_assert_cmpint (px_migration_get_schema_version (old), ==, PX_TEST_SCHEMA);
	g_assert_cmpint (px_records_count (old, &error), ==, 7);
	g_assert_true (px_store_check (old, &error));
	g_assert_cmpuint (count_matches (old, "kristianstad"), ==, 1);
	assert_language_index (old);
	g_assert_true (px_store_get_generation (old, &generation, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (generation, >, 0);
	/* migration 006: an empty outbox */
	g_assert_true (px_outbox_count (old, &counts, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (counts.pending + counts.delivered + counts.failed + counts.retried, ==,
			  0);
}

/* migration 010: a subscription made before it has no language (its mails stay English); one
 * made after keeps the language it was made in */
static void
test_store_subscription_language_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *saved =
	    g_test_build_filename (G_TEST_DIST, "..", "data", "db", "v9.db", NULL);
	g_autofree char *copy = g_build_filename (fixture->dir, "saved.db", NULL);
	g_autofree char *contents = NULL;
	gsize length = 0;
	g_autoptr (PxStore) old = NULL;
	g_autoptr (GPtrArray) subscriptions = NULL;
	g_autoptr (PxSubscription) swedish = NULL;
	const PxSubscription *before;

	g_assert_true (g_file_get_contents (saved, &contents, &length, &error));
	g_assert_true (g_file_set_contents (copy, contents, (gssize)length, &error));
	old = px_store_open (copy, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	subscriptions = px_subscription_list (old, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (subscriptions->len, ==, 1);
	before = g_ptr_array_index (subscriptions, 0);
	g_assert_cmpstr (before->email, ==, "old@example.org");
	g_assert_nonnull (before->confirmed_at);
	g_assert_null (before->language);
	swedish = px_subscription_add (old, "ny@example.org", "q=language", PX_SUBSCRIPTION_DAILY,
				       "sv", "2026-12-01T00:00:00.000000Z", NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (swedish->language, ==, "sv");
}

/* Returns: the change counter, asserting it can be read */
static guint64
generation_of (PxStore *store)
{
	g_autoptr (GError) error = NULL;
	guint64 generation = 0;

	g_assert_true (px_store_get_generation (store, &generation, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (generation, >, 0);
	return generation;
}

/* every write searches read moves the counter on, the bulk import once at its end; a write to
 * users does not */
static void
test_store_generation_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Counted");
	guint64 before = generation_of (fixture->store);
	guint64 after;

	px_test_import_data (fixture->store, "unit-practices.jsonl");
	after = generation_of (fixture->store);
	g_assert_cmpuint (after, >, before);
	g_ptr_array_add (practice->themes, g_strdup ("counting"));
	g_assert_true (px_records_add (fixture->store, practice, &error));
	g_assert_cmpuint (generation_of (fixture->store), >, after);
	after = generation_of (fixture->store);
	g_assert_true (
	    px_records_set_status (fixture->store, practice, PX_STATUS_REJECTED, &error));
	g_assert_cmpuint (generation_of (fixture->store), >, after);
	after = generation_of (fixture->store);
	g_assert_true (px_records_delete (fixture->store, practice->id, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (generation_of (fixture->store), >, after);
	after = generation_of (fixture->store);
	g_assert_true (px_user_add (fixture->store, "a@example.org", PX_ROLE_ADMIN, &error));
	g_assert_cmpuint (generation_of (fixture->store), ==, after);
}

/* the bulk import puts back every trigger it dropped: later writes are indexed and counted */
static void
test_store_bulk_triggers_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Written after the bulk load in Vilnius");
	sqlite3_stmt *statement = NULL;
	guint64 after;

	g_assert_true (px_store_begin_bulk (fixture->store, &error));
	g_assert_true (px_store_end_bulk (fixture->store, &error));
	g_assert_no_error (error);
	statement = px_store_prepare (
	    fixture->store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", &error);
	g_assert_cmpint (px_store_step (fixture->store, statement, &error), ==, SQLITE_ROW);
	g_assert_cmpint (sqlite3_column_int (statement, 0), ==, 11);
	sqlite3_reset (statement);
	after = generation_of (fixture->store);
	g_assert_true (px_records_add (fixture->store, practice, &error));
	g_assert_cmpuint (generation_of (fixture->store), >, after);
	g_assert_cmpuint (count_matches (fixture->store, "vilnius"), ==, 1);
}

/* a database a newer Praxis migrated is refused, read-write and read-only, and left alone */
static void
test_store_refuse_newer_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *path = g_build_filename (fixture->dir, "newer.db", NULL);
	g_autoptr (PxStore) newer = px_store_open (path, PX_STORE_READ_WRITE, 1000, &error);
	g_autoptr (PxStore) again = NULL;

	g_assert_no_error (error);
	g_assert_cmpint (
	    sqlite3_exec (px_store_get_db (newer), "PRAGMA user_version = 99", NULL, NULL, NULL),
	    ==, SQLITE_OK);
	g_clear_pointer (&newer, px_store_free);
	again = px_store_open (path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_null (again);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "newer Praxis"));
	g_clear_error (&error);
	again = px_store_open (path, PX_STORE_READ_ONLY, 1000, &error);
	g_assert_null (again);
	g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
}

/* Returns: (transfer full): what SQL @sql (one text column, one row) gives */
static char *
query_text (PxStore *store, const char *sql, const char *argument)
{
	g_autoptr (GError) error = NULL;
	sqlite3_stmt *statement = px_store_prepare (store, sql, &error);
	char *text;

	g_assert_no_error (error);
	sqlite3_bind_text (statement, 1, argument, -1, SQLITE_STATIC);
	g_assert_cmpint (px_store_step (store, statement, &error), ==, SQLITE_ROW);
	text = g_strdup ((const char *)sqlite3_column_text (statement, 0));
	sqlite3_reset (statement);
	return text;
}

/* a practice is indexed with its own language's stems, through every write: added, changed
 * (its language too), deleted; bulk import and rebuild give the same index */
static void
test_store_language_index_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Gesundheitslotsen in Graz");

	px_test_import_data (fixture->store, "unit-practices.jsonl");
	assert_language_index (fixture->store);
	practice->language = g_strdup ("de-AT");
	g_assert_true (px_records_add (fixture->store, practice, &error));
	g_assert_no_error (error);
	g_assert_true (has_term (fixture->store, "@de:gesundheitslots"));
	g_assert_cmpuint (count_matches (fixture->store, "Gesundheitslotse"), ==, 1);
	/* the Dutch stem of the query ("gesundheitslot") is asked for too, and finds nothing */
	g_assert_false (has_term (fixture->store, "@nl:gesundheitslot"));
	g_free (practice->language);
	practice->language = g_strdup ("lv");
	g_assert_true (px_records_update (fixture->store, practice, &error));
	g_assert_no_error (error);
	g_assert_false (has_term (fixture->store, "@de:gesundheitslots"));
	g_assert_true (has_term (fixture->store, "@-:gesundheitslotsen"));
	g_assert_cmpuint (count_matches (fixture->store, "Gesundheitslotse"), ==, 0);
	g_assert_cmpuint (count_matches (fixture->store, "\"\001-:Gesundheitslotse\"*"), ==, 1);
	g_assert_true (px_store_check (fixture->store, &error));
	g_assert_no_error (error);
	g_assert_true (px_store_rebuild (fixture->store, &error));
	g_assert_true (px_store_check (fixture->store, &error));
	g_assert_no_error (error);
	g_assert_true (has_term (fixture->store, "@-:gesundheitslotsen"));
	g_assert_true (has_term (fixture->store, "@sv:sprakcafe"));
	g_assert_true (px_records_delete (fixture->store, practice->id, &error));
	g_assert_no_error (error);
	g_assert_false (has_term (fixture->store, "@-:gesundheitslotsen"));
}

/* the language marker of the first column gives no token: not in the vocabulary, not in
 * highlight(); and a query cannot set a language with it */
static void
test_store_language_marker_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Gesundheitslotsen in Graz");
	g_autofree char *highlighted = NULL;
	g_autofree char *control = NULL;
	g_autofree char *in_lang = NULL;

	px_test_import_data (fixture->store, "unit-practices.jsonl");
	control = query_text (
	    fixture->store,
	    "SELECT count(*) FROM practices_vocab WHERE term GLOB ?1 OR term IN ('sv', 'lv', 'pl')",
	    "*[\001-\037]*");
	g_assert_cmpstr (control, ==, "0");
	/* fts5vocab's "instance" rows say which column each token is in: none in lang */
	g_assert_true (px_store_exec (fixture->store,
				      "CREATE VIRTUAL TABLE temp.practices_instances USING "
				      "fts5vocab(main, practices_fts, instance)",
				      &error));
	g_assert_no_error (error);
	in_lang = query_text (fixture->store,
			      "SELECT count(*) || '/' || (SELECT count(*) > 0 FROM "
			      "temp.practices_instances) FROM temp.practices_instances "
			      "WHERE col = ?1",
			      "lang");
	g_assert_cmpstr (in_lang, ==, "0/1");
	highlighted = query_text (fixture->store,
				  "SELECT highlight(practices_fts, 1, '[', ']') FROM practices_fts "
				  "WHERE practices_fts MATCH ?1",
				  "språkcaféer");
	g_assert_cmpstr (highlighted, ==, "[Språkcafé] i Kristianstad");
	/* a marker in query text is read as no marker: "\002de" is the word "de" */
	g_assert_cmpuint (count_matches (fixture->store, "\"\002de Gesundheitslotse\""), ==, 0);
	g_assert_cmpuint (count_matches (fixture->store, "\"\002sv\""), ==, 0);
	g_assert_cmpuint (count_matches (fixture->store, "\"\002es\""), ==, 0);
	g_assert_cmpuint (count_matches (fixture->store, "\"\002de\""), ==, 1);
	/* and it changed no state: the next practice is indexed in its own language */
	practice->language = g_strdup ("de");
	g_assert_true (px_records_add (fixture->store, practice, &error));
	g_assert_no_error (error);
	g_assert_true (has_term (fixture->store, "@de:gesundheitslots"));
	g_assert_false (has_term (fixture->store, "@sv:gesundheitslotsen"));
}

static void
test_store_index_sync_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Language café in Malmö");

	g_assert_true (px_records_add (fixture->store, practice, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (count_matches (fixture->store, "malmo"), ==, 1);

	g_free (practice->title);
	practice->title = g_strdup ("Discussion club in Riga");
	g_assert_true (px_records_update (fixture->store, practice, &error));
	g_assert_cmpuint (count_matches (fixture->store, "malmo"), ==, 0);
	g_assert_cmpuint (count_matches (fixture->store, "riga"), ==, 1);

	/* a status change does not touch the index, and the index stays consistent */
	g_assert_true (
	    px_records_set_status (fixture->store, practice, PX_STATUS_REJECTED, &error));
	g_assert_cmpuint (count_matches (fixture->store, "riga"), ==, 1);

	g_assert_true (px_records_delete (fixture->store, practice->id, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (count_matches (fixture->store, "riga"), ==, 0);
}

static void
test_store_uid_conflict_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) first = new_practice ("One");
	g_autoptr (PxPractice) second = new_practice ("Two");

	first->uid = g_strdup ("same");
	second->uid = g_strdup ("same");
	g_assert_true (px_records_add (fixture->store, first, &error));
	g_assert_false (px_records_add (fixture->store, second, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_CONFLICT);
}

static void
test_store_import_idempotent_func (Fixture *fixture, gconstpointer data)
{
	PxImportStats first = px_test_import_data (fixture->store, "unit-practices.jsonl");
	PxImportStats second = px_test_import_data (fixture->store, "unit-practices.jsonl");
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) pending = NULL;

	g_assert_cmpuint (first.added, ==, 7);
	g_assert_cmpuint (second.added, ==, 0);
	g_assert_cmpuint (second.unchanged, ==, 7);
	g_assert_cmpint (px_records_count (fixture->store, &error), ==, 7);
	pending = px_records_get_by_uid (fixture->store, "t-pending", &error);
	g_assert_no_error (error);
	g_assert_cmpint (pending->status, ==, PX_STATUS_PENDING);
	g_assert_cmpuint (count_matches (fixture->store, "kristianstad"), ==, 1);
}

static gboolean
collect_cb (const PxPractice *practice, const char *uid, const char *at, gpointer user_data,
	    GError **error)
{
	g_ptr_array_add (user_data, g_strdup (practice != NULL ? practice->uid : uid));
	return TRUE;
}

/* the whole export into @uids, two practices a page so that paging is tried too */
static gboolean
export_all (PxStore *store, const char *since, gboolean all_statuses, GPtrArray *uids,
	    GError **error)
{
	g_autoptr (PxExportCursor) cursor = px_export_cursor_new (since, all_statuses);

	while (!cursor->done) {
		if (!px_export_page (store, cursor, 2, collect_cb, uids, error))
			return FALSE;
	}
	return TRUE;
}

static void
test_store_export_since_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (PxPractice) gone = NULL;
	g_autofree char *since = NULL;

	px_test_import_data (fixture->store, "unit-practices.jsonl");
	g_assert_true (export_all (fixture->store, NULL, FALSE, all, &error));
	g_assert_cmpuint (all->len, ==, 6); /* the pending one is not public */
	since = px_timestamp_now ();
	g_usleep (2000);
	gone = px_records_get_by_uid (fixture->store, "t-de", &error);
	g_assert_true (px_records_delete (fixture->store, gone->id, &error));
	g_assert_true (export_all (fixture->store, since, FALSE, changes, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (changes->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, "t-de");
}

/* only a practice that was once public leaves a public tombstone, and no uid is ever reused */
static void
test_store_tombstones_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) published = new_practice ("Public");
	g_autoptr (PxPractice) pending = new_practice ("Never public");
	g_autoptr (PxPractice) again = new_practice ("Again");
	g_autoptr (GPtrArray) public_changes = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) all_changes = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *since = px_timestamp_now ();

	g_usleep (2000);
	published->uid = g_strdup ("was-public");
	pending->uid = g_strdup ("never-public");
	pending->status = PX_STATUS_PENDING;
	g_assert_true (px_records_add (fixture->store, published, &error));
	g_assert_true (px_records_add (fixture->store, pending, &error));
	g_assert_true (px_records_delete (fixture->store, published->id, &error));
	g_assert_true (px_records_delete (fixture->store, pending->id, &error));
	g_assert_true (export_all (fixture->store, since, FALSE, public_changes, &error));
	g_assert_true (export_all (fixture->store, since, TRUE, all_changes, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (public_changes->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (public_changes, 0), ==, "was-public");
	g_assert_cmpuint (all_changes->len, ==, 2);
	for (guint i = 0; i < 2; i++) {
		const char *uid = i == 0 ? "was-public" : "never-public";
		g_free (again->uid);
		again->uid = g_strdup (uid);
		g_assert_false (px_records_add (fixture->store, again, &error));
		g_assert_error (error, PX_ERROR, PX_ERROR_CONFLICT);
		g_assert_nonnull (strstr (error->message, "deleted"));
		g_clear_error (&error);
	}
	g_ptr_array_set_size (public_changes, 0);
	g_assert_true (export_all (fixture->store, since, FALSE, public_changes, &error));
	g_assert_cmpuint (public_changes->len, ==, 1); /* the tombstone is still there */
}

/* migration 009: a rejection's reason is kept with the practice, and a publication clears it;
 * the lists read it too */
static void
test_store_rejection_reason_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Rejected with a reason");
	g_autoptr (PxPractice) stored = NULL;
	g_autoptr (PxPractice) published = NULL;
	g_autoptr (GPtrArray) rejected = NULL;

	practice->status = PX_STATUS_PENDING;
	g_assert_true (px_records_add (fixture->store, practice, &error));
	practice->status_reason = g_strdup ("Not a practice: an advert.");
	g_assert_true (
	    px_records_set_status (fixture->store, practice, PX_STATUS_REJECTED, &error));
	stored = px_records_get (fixture->store, practice->id, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (stored->status_reason, ==, "Not a practice: an advert.");
	rejected = px_records_list_by_status (fixture->store, PX_STATUS_REJECTED, 0, 10, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (rejected->len, ==, 1);
	g_assert_cmpstr (((PxPractice *)g_ptr_array_index (rejected, 0))->status_reason, ==,
			 "Not a practice: an advert.");
	g_assert_true (px_records_set_status (fixture->store, stored, PX_STATUS_PUBLISHED, &error));
	published = px_records_get (fixture->store, practice->id, &error);
	g_assert_no_error (error);
	g_assert_null (published->status_reason);
}

static void
test_store_tokens_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL;
	g_autoptr (PxUser) user = NULL;

	g_assert_true (px_user_add (fixture->store, "admin@example.org", PX_ROLE_ADMIN, &error));
	g_assert_false (px_user_add (fixture->store, "ADMIN@example.org", PX_ROLE_PARTNER, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_CONFLICT);
	g_clear_error (&error);
	token = px_token_create (fixture->store, "admin@example.org", &error);
	g_assert_no_error (error);
	g_assert_true (g_str_has_prefix (token, "px_"));
	user = px_token_lookup (fixture->store, token, &error);
	g_assert_no_error (error);
	g_assert_cmpint (user->role, ==, PX_ROLE_ADMIN);
	g_assert_null (px_token_lookup (fixture->store, "px_wrong", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
	g_clear_error (&error);
	g_assert_null (px_token_create (fixture->store, "nobody@example.org", &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_NOT_FOUND);
}

/* a savepoint undoes what followed it alone, and the transaction around it goes on */
static void
test_store_savepoint_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) kept = new_practice ("Kept");
	g_autoptr (PxPractice) undone = new_practice ("Undone");
	g_autoptr (PxPractice) released = new_practice ("Released");

	g_assert_false (px_store_in_transaction (fixture->store));
	g_assert_true (px_store_begin (fixture->store, &error));
	g_assert_true (px_store_in_transaction (fixture->store));
	g_assert_true (px_records_add (fixture->store, kept, &error));
	g_assert_true (px_store_begin_savepoint (fixture->store, &error));
	g_assert_true (px_records_add (fixture->store, undone, &error));
	px_store_rollback_savepoint (fixture->store);
	g_assert_true (px_store_in_transaction (fixture->store));
	g_assert_true (px_store_begin_savepoint (fixture->store, &error));
	g_assert_true (px_records_add (fixture->store, released, &error));
	g_assert_true (px_store_release_savepoint (fixture->store, &error));
	g_assert_true (px_store_in_transaction (fixture->store));
	g_assert_true (px_store_commit (fixture->store, &error));
	g_assert_no_error (error);
	g_assert_false (px_store_in_transaction (fixture->store));
	g_assert_cmpint (px_records_count (fixture->store, &error), ==, 2);
	g_assert_cmpuint (count_matches (fixture->store, "undone"), ==, 0);
	g_assert_cmpuint (count_matches (fixture->store, "released"), ==, 1);
	/* a release with no savepoint is an error, not a commit */
	g_assert_false (px_store_release_savepoint (fixture->store, &error));
	g_assert_nonnull (error);
}

/* a session is found by its token only, until it is deleted, expires, or its user is disabled */
static void
test_store_sessions_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *token = NULL, *csrf = NULL, *found_csrf = NULL;
	g_autoptr (PxUser) user = NULL;
	g_autoptr (PxUser) nobody = NULL;
	gint64 id;

	g_assert_true (px_migration_apply (fixture->store, &error));
	g_assert_true (px_user_add (fixture->store, "p@example.org", PX_ROLE_PARTNER, &error));
	id = sqlite3_last_insert_rowid (fixture->store->db);
	g_assert_true (px_session_create (fixture->store, id, &token, &csrf, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (strlen (token), ==, 43);
	g_assert_cmpstr (token, !=, csrf);
	user = px_session_lookup (fixture->store, token, &found_csrf, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (user->email, ==, "p@example.org");
	g_assert_cmpstr (found_csrf, ==, csrf);
	nobody = px_session_lookup (fixture->store, "not-a-token", &found_csrf, &error);
	g_assert_null (nobody);
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
	g_clear_error (&error);
	/* expired */
	g_assert_true (px_store_exec (
	    fixture->store, "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000000Z'",
	    &error));
	g_assert_null (px_session_lookup (fixture->store, token, &found_csrf, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
	g_clear_error (&error);
	g_assert_true (px_store_exec (
	    fixture->store, "UPDATE sessions SET expires_at = '9000-01-01T00:00:00.000000Z'",
	    &error));
	/* a disabled account's sessions end */
	g_assert_true (
	    px_store_exec (fixture->store, "UPDATE users SET disabled_at = 'x'", &error));
	g_assert_null (px_session_lookup (fixture->store, token, &found_csrf, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
	g_clear_error (&error);
	g_assert_true (
	    px_store_exec (fixture->store, "UPDATE users SET disabled_at = NULL", &error));
	/* signed out */
	g_assert_true (px_session_delete (fixture->store, token, &error));
	g_assert_null (px_session_lookup (fixture->store, token, &found_csrf, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_UNAUTHORIZED);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/praxis/store/sessions", Fixture, NULL, fixture_set_up,
		    test_store_sessions_func, fixture_tear_down);
	g_test_add ("/praxis/store/migrate", Fixture, NULL, fixture_set_up, test_store_migrate_func,
		    fixture_tear_down);
	g_test_add ("/praxis/store/migrate-v1", Fixture, "v1.db", fixture_set_up,
		    test_store_migrate_saved_func, fixture_tear_down);
	g_test_add ("/praxis/store/migrate-v2", Fixture, "v2.db", fixture_set_up,
		    test_store_migrate_saved_func, fixture_tear_down);
	g_test_add ("/praxis/store/migrate-v4", Fixture, "v4.db", fixture_set_up,
		    test_store_migrate_saved_func, fixture_tear_down);
	g_test_add ("/praxis/store/migrate-v5", Fixture, "v5.db", fixture_set_up,
		    test_store_migrate_saved_func, fixture_tear_down);
	g_test_add ("/praxis/store/migrate-v8", Fixture, "v8.db", fixture_set_up,
		    test_store_migrate_saved_func, fixture_tear_down);
	g_test_add ("/praxis/store/migrate-v9", Fixture, "v9.db", fixture_set_up,
		    test_store_migrate_saved_func, fixture_tear_down);
	g_test_add ("/praxis/store/subscription-language", Fixture, NULL, fixture_set_up,
		    test_store_subscription_language_func, fixture_tear_down);
	g_test_add ("/praxis/store/rejection-reason", Fixture, NULL, fixture_set_up,
		    test_store_rejection_reason_func, fixture_tear_down);
	g_test_add ("/praxis/store/language-index", Fixture, NULL, fixture_set_up,
		    test_store_language_index_func, fixture_tear_down);
	g_test_add ("/praxis/store/language-marker", Fixture, NULL, fixture_set_up,
		    test_store_language_marker_func, fixture_tear_down);
	g_test_add ("/praxis/store/refuse-newer", Fixture, NULL, fixture_set_up,
		    test_store_refuse_newer_func, fixture_tear_down);
	g_test_add ("/praxis/store/savepoint", Fixture, NULL, fixture_set_up,
		    test_store_savepoint_func, fixture_tear_down);
	g_test_add ("/praxis/store/generation", Fixture, NULL, fixture_set_up,
		    test_store_generation_func, fixture_tear_down);
	g_test_add ("/praxis/store/bulk-triggers", Fixture, NULL, fixture_set_up,
		    test_store_bulk_triggers_func, fixture_tear_down);
	g_test_add ("/praxis/store/index-sync", Fixture, NULL, fixture_set_up,
		    test_store_index_sync_func, fixture_tear_down);
	g_test_add ("/praxis/store/uid-conflict", Fixture, NULL, fixture_set_up,
		    test_store_uid_conflict_func, fixture_tear_down);
	g_test_add ("/praxis/store/import-idempotent", Fixture, NULL, fixture_set_up,
		    test_store_import_idempotent_func, fixture_tear_down);
	g_test_add ("/praxis/store/export-since", Fixture, NULL, fixture_set_up,
		    test_store_export_since_func, fixture_tear_down);
	g_test_add ("/praxis/store/tombstones", Fixture, NULL, fixture_set_up,
		    test_store_tombstones_func, fixture_tear_down);
	g_test_add ("/praxis/store/tokens", Fixture, NULL, fixture_set_up, test_store_tokens_func,
		    fixture_tear_down);
	return g_test_run ();
}
