/* test-practices.c: the one write path: tag hooks add (on the import path too, bulk included),
 * then validate hooks refuse; moderation runs only the changed hooks, which run inside the write
 * transaction and roll it back when they fail; a change begins its own transaction, an import
 * writes in its batch's; hooks run by priority and stop once removed. Ends with the FTS5 check. */
#include <gio/gio.h>
#include <string.h>

#include "practices/import.h"
#include "practices/practices.h"
#include "store/records.h"
#include "store/store.h"
#include "store/user.h"
#include "test-util.h"
#include "util/error.h"

typedef struct {
	char *dir;
	PxStore *store;
	PxPractices *practices;
	GPtrArray *seen; /* what the hooks noted, one string each */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *path = NULL;

	fixture->dir = g_dir_make_tmp ("praxis-practices-XXXXXX", &error);
	g_assert_no_error (error);
	path = g_build_filename (fixture->dir, "test.db", NULL);
	fixture->store = px_store_open (path, PX_STORE_READ_WRITE, 1000, &error);
	g_assert_no_error (error);
	fixture->practices = px_practices_new ();
	fixture->seen = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (px_store_check (fixture->store, &error));
	g_assert_no_error (error);
	px_practices_free (fixture->practices);
	px_store_free (fixture->store);
	px_test_remove_dir (fixture->dir);
	g_ptr_array_unref (fixture->seen);
	g_free (fixture->dir);
}

static PxPractice *
new_practice (const char *title)
{
	PxPractice *practice = px_practice_new ();

	practice->title = g_strdup (title);
	practice->summary = g_strdup ("A summary.");
	practice->status = PX_STATUS_PENDING;
	return practice;
}

static gint64
count_practices (Fixture *fixture)
{
	g_autoptr (GError) error = NULL;
	gint64 count = px_records_count (fixture->store, &error);

	g_assert_no_error (error);
	return count;
}

static guint64
generation_of (Fixture *fixture)
{
	g_autoptr (GError) error = NULL;
	guint64 generation = 0;

	g_assert_true (px_store_get_generation (fixture->store, &generation, &error));
	g_assert_no_error (error);
	return generation;
}

/* Returns: the id of a new practice created through the write path */
static gint64
create_practice (Fixture *fixture, const char *title)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice (title);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();

	g_assert_true (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_no_error (error);
	return practice->id;
}

static gboolean
has_string (GPtrArray *array, const char *value)
{
	for (guint i = 0; i < array->len; i++) {
		if (g_str_equal (g_ptr_array_index (array, i), value))
			return TRUE;
	}
	return FALSE;
}

/* refuses any practice whose title says so */
static gboolean
refuse_cb (PxStore *store, const char *event, const PxPractice *practice, GPtrArray *errors,
	   gpointer user_data, GError **error)
{
	if (strstr (practice->title, "refuse") != NULL)
		px_field_errors_add (errors, "title", "is refused by a plugin");
	return TRUE;
}

static void
test_practices_validate_refuses_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Please refuse me");
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxPracticesChange) change = NULL;
	g_autoptr (PxPractice) stored = NULL;
	const PxFieldError *field_error;
	guint64 before;
	gint64 id;

	px_practices_add_validate_hook (fixture->practices, 0, refuse_cb, NULL, NULL);
	before = generation_of (fixture);
	g_assert_false (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_VALIDATION);
	g_assert_cmpuint (errors->len, ==, 1);
	field_error = g_ptr_array_index (errors, 0);
	g_assert_cmpstr (field_error->field, ==, "title");
	g_assert_cmpstr (field_error->message, ==, "is refused by a plugin");
	g_assert_cmpint (count_practices (fixture), ==, 0);
	g_assert_cmpuint (generation_of (fixture), ==, before);
	g_assert_false (px_store_in_transaction (fixture->store));

	/* an update the hook refuses leaves the stored practice as it was */
	id = create_practice (fixture, "Fine");
	g_clear_error (&error);
	g_ptr_array_set_size (errors, 0);
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_assert_no_error (error);
	g_free (px_practices_change_get_practice (change)->title);
	px_practices_change_get_practice (change)->title = g_strdup ("Now refuse it");
	g_assert_false (px_practices_change_update (change, errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_VALIDATION);
	g_assert_cmpuint (errors->len, ==, 1);
	g_clear_pointer (&change, px_practices_change_free);
	g_clear_error (&error);
	stored = px_records_get (fixture->store, id, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (stored->title, ==, "Fine");
}

/* offers a theme, a focus area and a language; and a theme the practice has, and a bad one */
static gboolean
tag_cb (PxStore *store, const char *event, const PxPractice *practice, PxPractice *additions,
	gpointer user_data, GError **error)
{
	g_ptr_array_add (additions->themes, g_strdup ("tagged"));
	g_ptr_array_add (additions->themes, g_strdup ("language-learning"));
	g_ptr_array_add (additions->focus_areas, g_strdup ("governance"));
	additions->language = g_strdup ("en");
	return TRUE;
}

static gboolean
tag_bad_cb (PxStore *store, const char *event, const PxPractice *practice, PxPractice *additions,
	    gpointer user_data, GError **error)
{
	g_ptr_array_add (additions->themes, g_strdup ("Not a slug!"));
	return TRUE;
}

static void
assert_tagged (Fixture *fixture, const char *uid, const char *language)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) stored = px_records_get_by_uid (fixture->store, uid, &error);

	g_assert_no_error (error);
	g_assert_true (has_string (stored->themes, "tagged"));
	g_assert_true (has_string (stored->focus_areas, "governance"));
	g_assert_cmpstr (stored->language, ==, language);
}

static void
test_practices_tag_adds_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("To tag");
	g_autoptr (PxPractice) stored = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();

	px_practices_add_tag_hook (fixture->practices, 0, tag_cb, NULL, NULL);
	px_practices_add_tag_hook (fixture->practices, 0, tag_bad_cb, NULL, NULL);
	practice->language = g_strdup ("sv");
	g_ptr_array_add (practice->themes, g_strdup ("language-learning"));
	g_test_expect_message ("PxPractices", G_LOG_LEVEL_WARNING, "*themes left out*slugs*");
	g_assert_true (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_no_error (error);
	g_test_assert_expected_messages ();
	stored = px_records_get (fixture->store, practice->id, &error);
	g_assert_no_error (error);
	/* added, but nothing the practice had is replaced or doubled */
	g_assert_cmpuint (stored->themes->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (stored->themes, 0), ==, "language-learning");
	g_assert_cmpstr (g_ptr_array_index (stored->themes, 1), ==, "tagged");
	g_assert_true (has_string (stored->focus_areas, "governance"));
	g_assert_cmpstr (stored->language, ==, "sv");
}

/* refuses a practice with the theme "tagged" */
static gboolean
refuse_tagged_cb (PxStore *store, const char *event, const PxPractice *practice, GPtrArray *errors,
		  gpointer user_data, GError **error)
{
	if (has_string (practice->themes, "tagged"))
		px_field_errors_add (errors, "themes", "may not hold tagged");
	return TRUE;
}

/* the tag hooks run first: the validate hooks see the practice as it would be written, with what
 * the tag hooks added, whatever their priorities */
static void
test_practices_tag_then_validate_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Tagged, then refused");
	g_autoptr (GPtrArray) errors = px_field_errors_new ();

	px_practices_add_validate_hook (fixture->practices, 10, refuse_tagged_cb, NULL, NULL);
	px_practices_add_tag_hook (fixture->practices, -10, tag_cb, NULL, NULL);
	g_assert_false (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_VALIDATION);
	g_assert_cmpuint (errors->len, ==, 1);
	g_assert_cmpstr (((PxFieldError *)g_ptr_array_index (errors, 0))->field, ==, "themes");
	g_assert_cmpint (count_practices (fixture), ==, 0);
}

/* the import path: into an empty database (bulk), then again (unchanged: the additions count in
 * the comparison), then into one that is not empty (one transaction a batch) */
static void
test_practices_tag_import_func (Fixture *fixture, gconstpointer data)
{
	PxImportStats stats;

	px_practices_add_tag_hook (fixture->practices, 0, tag_cb, NULL, NULL);
	stats = px_test_import_data_through (fixture->practices, fixture->store,
					     "unit-practices.jsonl");
	g_assert_cmpuint (stats.added, ==, 7);
	assert_tagged (fixture, "t-sv", "sv");
	stats = px_test_import_data_through (fixture->practices, fixture->store,
					     "unit-practices.jsonl");
	g_assert_cmpuint (stats.unchanged, ==, 7);
}

static void
test_practices_tag_import_batch_func (Fixture *fixture, gconstpointer data)
{
	PxImportStats stats;

	create_practice (fixture, "Already here");
	px_practices_add_tag_hook (fixture->practices, 0, tag_cb, NULL, NULL);
	stats = px_test_import_data_through (fixture->practices, fixture->store,
					     "unit-practices.jsonl");
	g_assert_cmpuint (stats.added, ==, 7);
	assert_tagged (fixture, "t-sv", "sv");
	assert_tagged (fixture, "t-de", "de");
}

/* notes "event in-transaction" for each change */
static gboolean
note_changed_cb (PxStore *store, const char *event, const PxPractice *practice, gpointer user_data,
		 GError **error)
{
	Fixture *fixture = user_data;
	gboolean in_transaction = px_store_in_transaction (store);

	g_ptr_array_add (fixture->seen, g_strdup_printf ("%s %s %s", event, practice->title,
							 in_transaction ? "inside" : "outside"));
	return TRUE;
}

static void
import_line (Fixture *fixture, const char *line)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GInputStream) input = g_memory_input_stream_new_from_data (line, -1, NULL);
	PxImportStats stats = {0};

	g_assert_true (px_import_jsonl (fixture->practices, fixture->store, input, &stats, NULL,
					NULL, NULL, &error));
	g_assert_no_error (error);
}

static void
test_practices_changed_events_func (Fixture *fixture, gconstpointer data)
{
	const char *expected[] = {
	    "practice.submitted One inside",
	    "practice.updated Two inside",
	    "practice.published Two inside",
	    "practice.rejected Two inside",
	    "practice.deleted Two inside",
	    "practice.imported Imported inside",
	    "practice.imported Imported again inside",
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	PxPracticesChange *change;
	gint64 id;

	px_practices_add_changed_hook (fixture->practices, 0, note_changed_cb, fixture, NULL);
	id = create_practice (fixture, "One");
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_free (px_practices_change_get_practice (change)->title);
	px_practices_change_get_practice (change)->title = g_strdup ("Two");
	g_assert_true (px_practices_change_update (change, errors, &error));
	px_practices_change_free (change);
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_assert_true (px_practices_change_set_status (change, PX_STATUS_PUBLISHED, NULL, &error));
	px_practices_change_free (change);
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_assert_true (
	    px_practices_change_set_status (change, PX_STATUS_REJECTED, "not a practice", &error));
	px_practices_change_free (change);
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_assert_true (px_practices_change_delete (change, &error));
	px_practices_change_free (change);
	g_assert_no_error (error);
	/* an import adds, updates, and announces nothing for a record that did not change */
	import_line (fixture, "{\"uid\":\"i\",\"title\":\"Imported\",\"summary\":\"S.\"}\n");
	import_line (fixture, "{\"uid\":\"i\",\"title\":\"Imported again\",\"summary\":\"S.\"}\n");
	import_line (fixture, "{\"uid\":\"i\",\"title\":\"Imported again\",\"summary\":\"S.\"}\n");
	g_assert_cmpuint (fixture->seen->len, ==, G_N_ELEMENTS (expected));
	for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
		g_assert_cmpstr (g_ptr_array_index (fixture->seen, i), ==, expected[i]);
	g_assert_false (px_store_in_transaction (fixture->store));
}

static gboolean
fail_changed_cb (PxStore *store, const char *event, const PxPractice *practice, gpointer user_data,
		 GError **error)
{
	if (strstr (practice->title, "fail") == NULL)
		return TRUE;
	g_set_error_literal (error, PX_ERROR, PX_ERROR_INTERNAL, "the outbox is full");
	return FALSE;
}

static void
test_practices_changed_fails_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("This will fail");
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxPracticesChange) change = NULL;
	g_autoptr (GInputStream) input = NULL;
	PxImportStats stats = {0};
	guint64 before;
	gint64 id;

	px_practices_add_changed_hook (fixture->practices, 0, fail_changed_cb, NULL, NULL);
	before = generation_of (fixture);
	g_assert_false (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_assert_cmpuint (errors->len, ==, 0);
	g_assert_cmpint (count_practices (fixture), ==, 0);
	g_assert_cmpuint (generation_of (fixture), ==, before);
	g_assert_false (px_store_in_transaction (fixture->store));

	/* a deletion rolled back keeps the practice */
	id = create_practice (fixture, "Stays");
	before = generation_of (fixture);
	g_clear_error (&error);
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_free (px_practices_change_get_practice (change)->title);
	px_practices_change_get_practice (change)->title = g_strdup ("fail on delete");
	g_assert_false (px_practices_change_delete (change, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_clear_pointer (&change, px_practices_change_free);
	g_assert_cmpint (count_practices (fixture), ==, 1);
	g_assert_cmpuint (generation_of (fixture), ==, before);

	/* inside an import's batch: the import fails whole */
	g_clear_error (&error);
	input = g_memory_input_stream_new_from_data (
	    "{\"uid\":\"a\",\"title\":\"Fine\",\"summary\":\"S.\"}\n"
	    "{\"uid\":\"b\",\"title\":\"Will fail\",\"summary\":\"S.\"}\n",
	    -1, NULL);
	g_assert_false (px_import_jsonl (fixture->practices, fixture->store, input, &stats, NULL,
					 NULL, NULL, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_assert_cmpint (count_practices (fixture), ==, 1);
	g_assert_cmpuint (generation_of (fixture), ==, before);
}

/* the API's changes begin their own transaction: one left open on the connection is a bug they
 * fail on (PX_ERROR_INTERNAL), never a savepoint inside it that nothing would commit */
static void
test_practices_own_transaction_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) practice = new_practice ("Not written");
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxPracticesChange) change = NULL;
	gint64 id = create_practice (fixture, "Stored");

	g_assert_true (px_store_begin (fixture->store, &error));
	g_assert_false (
	    px_practices_create (fixture->practices, fixture->store, practice, errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_clear_error (&error);
	change = px_practices_open_change (fixture->practices, fixture->store, id, &error);
	g_assert_null (change);
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_clear_error (&error);
	/* the transaction found open is left as it was */
	g_assert_true (px_store_in_transaction (fixture->store));
	px_store_rollback (fixture->store);
	g_assert_cmpint (count_practices (fixture), ==, 1);
	g_assert_cmpuint (errors->len, ==, 0);
}

/* an import writes inside its caller's batch, each record in a savepoint: one that fails is
 * undone alone; with no batch open it fails (PX_ERROR_INTERNAL) and writes nothing */
static void
test_practices_import_savepoint_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) kept = new_practice ("Kept");
	g_autoptr (PxPractice) failing = new_practice ("This will fail");
	g_autoptr (PxPractice) alone = new_practice ("No batch");
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	PxPracticesOutcome outcome;

	kept->uid = g_strdup ("kept");
	failing->uid = g_strdup ("failing");
	alone->uid = g_strdup ("alone");
	g_assert_false (px_practices_import (fixture->practices, fixture->store, alone, &outcome,
					     errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_clear_error (&error);
	g_assert_false (px_store_in_transaction (fixture->store));
	g_assert_cmpint (count_practices (fixture), ==, 0);

	px_practices_add_changed_hook (fixture->practices, 0, fail_changed_cb, NULL, NULL);
	g_assert_true (px_store_begin (fixture->store, &error));
	g_assert_true (px_practices_import (fixture->practices, fixture->store, kept, &outcome,
					    errors, &error));
	g_assert_no_error (error);
	g_assert_cmpint (outcome, ==, PX_PRACTICES_ADDED);
	g_assert_false (px_practices_import (fixture->practices, fixture->store, failing, &outcome,
					     errors, &error));
	g_assert_error (error, PX_ERROR, PX_ERROR_INTERNAL);
	g_clear_error (&error);
	g_assert_true (px_store_in_transaction (fixture->store));
	g_assert_true (px_store_commit (fixture->store, &error));
	g_assert_no_error (error);
	g_assert_cmpint (count_practices (fixture), ==, 1);
}

/* a validate hook's refusal on the import path rejects the record, and the import goes on */
static void
reject_cb (guint line, const char *why, gpointer user_data)
{
	Fixture *fixture = user_data;

	g_ptr_array_add (fixture->seen, g_strdup_printf ("%u: %s", line, why));
}

static void
test_practices_validate_import_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GInputStream) input = g_memory_input_stream_new_from_data (
	    "{\"uid\":\"a\",\"title\":\"Fine\",\"summary\":\"S.\"}\n"
	    "{\"uid\":\"b\",\"title\":\"Do refuse\",\"summary\":\"S.\"}\n",
	    -1, NULL);
	PxImportStats stats = {0};

	px_practices_add_validate_hook (fixture->practices, 0, refuse_cb, NULL, NULL);
	g_assert_true (px_import_jsonl (fixture->practices, fixture->store, input, &stats, NULL,
					reject_cb, fixture, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (stats.added, ==, 1);
	g_assert_cmpuint (stats.rejected, ==, 1);
	g_assert_cmpuint (fixture->seen->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==,
			 "2: title is refused by a plugin");
	g_assert_cmpint (count_practices (fixture), ==, 1);
}

/* refuses any practice whose title says "spam" */
static gboolean
refuse_spam_cb (PxStore *store, const char *event, const PxPractice *practice, GPtrArray *errors,
		gpointer user_data, GError **error)
{
	if (strstr (practice->title, "spam") != NULL)
		px_field_errors_add (errors, "title", "looks like spam");
	return TRUE;
}

/* notes the event it is called for, and offers a theme */
static gboolean
note_tag_cb (PxStore *store, const char *event, const PxPractice *practice, PxPractice *additions,
	     gpointer user_data, GError **error)
{
	Fixture *fixture = user_data;

	g_ptr_array_add (fixture->seen, g_strdup_printf ("tag %s", event));
	g_ptr_array_add (additions->themes, g_strdup ("tagged"));
	return TRUE;
}

static void
moderate (Fixture *fixture, gint64 id, PxStatus status)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPracticesChange) change =
	    px_practices_open_change (fixture->practices, fixture->store, id, &error);

	g_assert_no_error (error);
	g_assert_true (px_practices_change_set_status (change, status, NULL, &error));
	g_assert_no_error (error);
}

/* moderation changes only the status: a moderator rejects exactly what a plugin flags, and no tag
 * hook edits a practice as it is published or rejected; the changed hooks still run */
static void
test_practices_moderation_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) stored = NULL;
	gint64 spam = create_practice (fixture, "A spam offer");
	gint64 fine = create_practice (fixture, "Fine");

	px_practices_add_validate_hook (fixture->practices, 0, refuse_spam_cb, NULL, NULL);
	px_practices_add_tag_hook (fixture->practices, 0, note_tag_cb, fixture, NULL);
	px_practices_add_changed_hook (fixture->practices, 0, note_changed_cb, fixture, NULL);
	moderate (fixture, spam, PX_STATUS_REJECTED);
	moderate (fixture, fine, PX_STATUS_PUBLISHED);
	moderate (fixture, fine, PX_STATUS_REJECTED);
	g_assert_cmpuint (fixture->seen->len, ==, 3);
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==,
			 "practice.rejected A spam offer inside");
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 1), ==,
			 "practice.published Fine inside");
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 2), ==, "practice.rejected Fine inside");
	stored = px_records_get (fixture->store, spam, &error);
	g_assert_no_error (error);
	g_assert_cmpint (stored->status, ==, PX_STATUS_REJECTED);
	g_assert_cmpuint (stored->themes->len, ==, 0);
	g_clear_pointer (&stored, px_practice_free);
	stored = px_records_get (fixture->store, fine, &error);
	g_assert_no_error (error);
	g_assert_cmpint (stored->status, ==, PX_STATUS_REJECTED);
	g_assert_cmpuint (stored->themes->len, ==, 0);
}

/* Returns: what importing @record in a batch of its own did */
static PxPracticesOutcome
import_record (Fixture *fixture, PxPractice *record)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	PxPracticesOutcome outcome;

	g_assert_true (px_store_begin (fixture->store, &error));
	g_assert_true (px_practices_import (fixture->practices, fixture->store, record, &outcome,
					    errors, &error));
	g_assert_no_error (error);
	g_assert_true (px_store_commit (fixture->store, &error));
	g_assert_no_error (error);
	return outcome;
}

/* a re-import of a practice a partner submitted and a moderator rejected changes its text and
 * keeps what the record cannot say: its partner (their /my lists it) and the reason */
static void
test_practices_import_keeps_server_fields_func (Fixture *fixture, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPractice) submitted = new_practice ("Submitted");
	g_autoptr (PxPractice) record = new_practice ("Submitted, then edited elsewhere");
	g_autoptr (PxPractice) stored = NULL;
	g_autoptr (PxPracticesChange) change = NULL;
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxUser) partner = NULL;

	g_assert_true (
	    px_user_add (fixture->store, "partner@example.org", PX_ROLE_PARTNER, &error));
	g_assert_no_error (error);
	partner = px_user_find (fixture->store, "partner@example.org", &error);
	g_assert_no_error (error);
	submitted->uid = g_strdup ("submitted");
	submitted->submitted_by = partner->id;
	g_assert_true (
	    px_practices_create (fixture->practices, fixture->store, submitted, errors, &error));
	g_assert_no_error (error);
	change =
	    px_practices_open_change (fixture->practices, fixture->store, submitted->id, &error);
	g_assert_no_error (error);
	g_assert_true (
	    px_practices_change_set_status (change, PX_STATUS_REJECTED, "Not in Europe", &error));
	g_assert_no_error (error);

	record->uid = g_strdup ("submitted");
	record->status = PX_STATUS_REJECTED;
	g_assert_cmpint (import_record (fixture, record), ==, PX_PRACTICES_UPDATED);
	stored = px_records_get (fixture->store, submitted->id, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (stored->title, ==, "Submitted, then edited elsewhere");
	g_assert_cmpint (stored->submitted_by, ==, partner->id);
	g_assert_cmpstr (stored->status_reason, ==, "Not in Europe");
	g_clear_pointer (&stored, px_practice_free);

	/* a record that makes it pending again drops the reason of the rejection it leaves */
	g_clear_pointer (&record->title, g_free);
	record->title = g_strdup ("Sent again for moderation");
	record->status = PX_STATUS_PENDING;
	g_clear_pointer (&record->status_reason, g_free);
	record->submitted_by = 0;
	g_assert_cmpint (import_record (fixture, record), ==, PX_PRACTICES_UPDATED);
	stored = px_records_get (fixture->store, submitted->id, &error);
	g_assert_no_error (error);
	g_assert_cmpint (stored->status, ==, PX_STATUS_PENDING);
	g_assert_null (stored->status_reason);
	g_assert_cmpint (stored->submitted_by, ==, partner->id);
}

typedef struct {
	Fixture *fixture;
	const char *name;
} Noter;

static gboolean
note_validate_cb (PxStore *store, const char *event, const PxPractice *practice, GPtrArray *errors,
		  gpointer user_data, GError **error)
{
	Noter *noter = user_data;

	g_ptr_array_add (noter->fixture->seen, g_strdup (noter->name));
	return TRUE;
}

static void
note_destroyed_cb (gpointer user_data)
{
	Noter *noter = user_data;

	g_ptr_array_add (noter->fixture->seen, g_strdup_printf ("~%s", noter->name));
}

static void
test_practices_priority_func (Fixture *fixture, gconstpointer data)
{
	const char *expected[] = {"high", "first", "second", "low"};
	Noter low = {fixture, "low"}, first = {fixture, "first"}, second = {fixture, "second"},
	      high = {fixture, "high"};

	px_practices_add_validate_hook (fixture->practices, -5, note_validate_cb, &low, NULL);
	px_practices_add_validate_hook (fixture->practices, 0, note_validate_cb, &first, NULL);
	px_practices_add_validate_hook (fixture->practices, 0, note_validate_cb, &second, NULL);
	px_practices_add_validate_hook (fixture->practices, 10, note_validate_cb, &high, NULL);
	create_practice (fixture, "Ordered");
	g_assert_cmpuint (fixture->seen->len, ==, G_N_ELEMENTS (expected));
	for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
		g_assert_cmpstr (g_ptr_array_index (fixture->seen, i), ==, expected[i]);
}

static void
test_practices_remove_func (Fixture *fixture, gconstpointer data)
{
	Noter kept = {fixture, "kept"}, removed = {fixture, "removed"};
	guint id;

	px_practices_add_validate_hook (fixture->practices, 0, note_validate_cb, &kept,
					note_destroyed_cb);
	id = px_practices_add_validate_hook (fixture->practices, 0, note_validate_cb, &removed,
					     note_destroyed_cb);
	g_assert_cmpuint (id, !=, 0);
	create_practice (fixture, "Both");
	g_assert_true (px_practices_remove_hook (fixture->practices, id));
	g_assert_false (px_practices_remove_hook (fixture->practices, id));
	create_practice (fixture, "One");
	g_assert_cmpuint (fixture->seen->len, ==, 4);
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 0), ==, "kept");
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 1), ==, "removed");
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 2), ==, "~removed");
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 3), ==, "kept");
	/* freeing the write path frees what is still registered */
	g_clear_pointer (&fixture->practices, px_practices_free);
	g_assert_cmpstr (g_ptr_array_index (fixture->seen, 4), ==, "~kept");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/praxis/practices/validate-refuses", Fixture, NULL, fixture_set_up,
		    test_practices_validate_refuses_func, fixture_tear_down);
	g_test_add ("/praxis/practices/validate-import", Fixture, NULL, fixture_set_up,
		    test_practices_validate_import_func, fixture_tear_down);
	g_test_add ("/praxis/practices/tag-adds", Fixture, NULL, fixture_set_up,
		    test_practices_tag_adds_func, fixture_tear_down);
	g_test_add ("/praxis/practices/tag-then-validate", Fixture, NULL, fixture_set_up,
		    test_practices_tag_then_validate_func, fixture_tear_down);
	g_test_add ("/praxis/practices/tag-import-bulk", Fixture, NULL, fixture_set_up,
		    test_practices_tag_import_func, fixture_tear_down);
	g_test_add ("/praxis/practices/tag-import-batch", Fixture, NULL, fixture_set_up,
		    test_practices_tag_import_batch_func, fixture_tear_down);
	g_test_add ("/praxis/practices/changed-events", Fixture, NULL, fixture_set_up,
		    test_practices_changed_events_func, fixture_tear_down);
	g_test_add ("/praxis/practices/changed-fails", Fixture, NULL, fixture_set_up,
		    test_practices_changed_fails_func, fixture_tear_down);
	g_test_add ("/praxis/practices/own-transaction", Fixture, NULL, fixture_set_up,
		    test_practices_own_transaction_func, fixture_tear_down);
	g_test_add ("/praxis/practices/import-savepoint", Fixture, NULL, fixture_set_up,
		    test_practices_import_savepoint_func, fixture_tear_down);
	g_test_add ("/praxis/practices/moderation", Fixture, NULL, fixture_set_up,
		    test_practices_moderation_func, fixture_tear_down);
	g_test_add ("/praxis/practices/import-keeps-server-fields", Fixture, NULL, fixture_set_up,
		    test_practices_import_keeps_server_fields_func, fixture_tear_down);
	g_test_add ("/praxis/practices/priority", Fixture, NULL, fixture_set_up,
		    test_practices_priority_func, fixture_tear_down);
	g_test_add ("/praxis/practices/remove", Fixture, NULL, fixture_set_up,
		    test_practices_remove_func, fixture_tear_down);
	return g_test_run ();
}
