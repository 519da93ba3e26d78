/* practices.c: PxPractices, the one write path: for each change of a practice the model's rules,
 * the tag hooks and the validate hooks (for a new or edited practice), the write
 * (store/records.c) and the changed hooks, in one transaction or savepoint (store.c's). It holds
 * no SQL of its own. */
#define G_LOG_DOMAIN "PxPractices"

#include "practices.h"
#include "model/jsonl.h"
#include "store/records.h"
#include "util/error.h"

typedef enum {
	PX_PRACTICES_HOOK_VALIDATE,
	PX_PRACTICES_HOOK_TAG,
	PX_PRACTICES_HOOK_CHANGED,
	PX_PRACTICES_N_HOOK_KINDS,
} PxPracticesHookKind;

typedef struct {
	guint id;
	gint priority;
	union {
		PxPracticesValidateFunc validate;
		PxPracticesTagFunc tag;
		PxPracticesChangedFunc changed;
	} func;
	gpointer user_data;
	GDestroyNotify destroy; /* (nullable) */
} PxPracticesHook;

struct _PxPractices {
	/* PxPracticesHook of each kind, highest priority first, then in the order added */
	GPtrArray *hooks[PX_PRACTICES_N_HOOK_KINDS];
	guint last_id;
};

/* whose transaction a change runs in; each caller of the write path says which */
typedef enum {
	PX_PRACTICES_SCOPE_OWN,	  /* its own: the API's changes */
	PX_PRACTICES_SCOPE_BATCH, /* a savepoint in the one its caller holds: an import's batch */
} PxPracticesScopeKind;

/* the transaction of one change */
typedef struct {
	PxStore *store;
	gboolean own;
	gboolean open;
} PxPracticesScope;

struct _PxPracticesChange {
	PxPractices *practices;
	PxPracticesScope scope;
	PxPractice *practice;
};

static void
px_practices_hook_free (PxPracticesHook *hook)
{
	if (hook->destroy != NULL)
		hook->destroy (hook->user_data);
	g_free (hook);
}

PxPractices *
px_practices_new (void)
{
	PxPractices *practices = g_new0 (PxPractices, 1);

	for (guint kind = 0; kind < PX_PRACTICES_N_HOOK_KINDS; kind++)
		practices->hooks[kind] =
		    g_ptr_array_new_with_free_func ((GDestroyNotify)px_practices_hook_free);
	return practices;
}

void
px_practices_free (PxPractices *practices)
{
	if (practices == NULL)
		return;
	for (guint kind = 0; kind < PX_PRACTICES_N_HOOK_KINDS; kind++)
		g_ptr_array_unref (practices->hooks[kind]);
	g_free (practices);
}

static guint
px_practices_add_hook (PxPractices *practices, PxPracticesHookKind kind, PxPracticesHook *hook)
{
	GPtrArray *hooks = practices->hooks[kind];
	guint index = 0;

	hook->id = ++practices->last_id;
	/* after every hook of the same or a higher priority */
	while (index < hooks->len &&
	       ((PxPracticesHook *)g_ptr_array_index (hooks, index))->priority >= hook->priority)
		index++;
	g_ptr_array_insert (hooks, (gint)index, hook);
	return hook->id;
}

static PxPracticesHook *
px_practices_hook_new (gint priority, gpointer user_data, GDestroyNotify destroy)
{
	PxPracticesHook *hook = g_new0 (PxPracticesHook, 1);

	hook->priority = priority;
	hook->user_data = user_data;
	hook->destroy = destroy;
	return hook;
}

guint
px_practices_add_validate_hook (PxPractices *practices, gint priority, PxPracticesValidateFunc func,
				gpointer user_data, GDestroyNotify destroy)
{
	PxPracticesHook *hook;

	g_return_val_if_fail (func != NULL, 0);
	hook = px_practices_hook_new (priority, user_data, destroy);
	hook->func.validate = func;
	return px_practices_add_hook (practices, PX_PRACTICES_HOOK_VALIDATE, hook);
}

guint
px_practices_add_tag_hook (PxPractices *practices, gint priority, PxPracticesTagFunc func,
			   gpointer user_data, GDestroyNotify destroy)
{
	PxPracticesHook *hook;

	g_return_val_if_fail (func != NULL, 0);
	hook = px_practices_hook_new (priority, user_data, destroy);
	hook->func.tag = func;
	return px_practices_add_hook (practices, PX_PRACTICES_HOOK_TAG, hook);
}

guint
px_practices_add_changed_hook (PxPractices *practices, gint priority, PxPracticesChangedFunc func,
			       gpointer user_data, GDestroyNotify destroy)
{
	PxPracticesHook *hook;

	g_return_val_if_fail (func != NULL, 0);
	hook = px_practices_hook_new (priority, user_data, destroy);
	hook->func.changed = func;
	return px_practices_add_hook (practices, PX_PRACTICES_HOOK_CHANGED, hook);
}

gboolean
px_practices_remove_hook (PxPractices *practices, guint id)
{
	for (guint kind = 0; kind < PX_PRACTICES_N_HOOK_KINDS; kind++) {
		GPtrArray *hooks = practices->hooks[kind];

		for (guint i = 0; i < hooks->len; i++) {
			if (((PxPracticesHook *)g_ptr_array_index (hooks, i))->id != id)
				continue;
			g_ptr_array_remove_index (hooks, i);
			return TRUE;
		}
	}
	return FALSE;
}

/* a transaction open where the caller said none is, or none where it said it holds one, is a
 * bug: the change fails rather than guess (a leftover transaction would swallow every later
 * write of the API into a savepoint never committed) */
static gboolean
px_practices_scope_begin (PxPracticesScope *scope, PxStore *store, PxPracticesScopeKind kind,
			  GError **error)
{
	gboolean own = kind == PX_PRACTICES_SCOPE_OWN;

	scope->store = store;
	scope->own = own;
	if (own && px_store_in_transaction (store)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INTERNAL,
				     "a transaction is open already: a change begins its own");
		return FALSE;
	}
	if (!own && !px_store_in_transaction (store)) {
		g_set_error_literal (error, PX_ERROR, PX_ERROR_INTERNAL,
				     "no transaction is open: an import writes inside its batch's");
		return FALSE;
	}
	if (own)
		scope->open = px_store_begin (store, error);
	else
		scope->open = px_store_begin_savepoint (store, error);
	return scope->open;
}

static gboolean
px_practices_scope_commit (PxPracticesScope *scope, GError **error)
{
	gboolean ok = scope->own ? px_store_commit (scope->store, error)
				 : px_store_release_savepoint (scope->store, error);

	scope->open = !ok;
	return ok;
}

static void
px_practices_scope_rollback (PxPracticesScope *scope)
{
	if (!scope->open)
		return;
	scope->open = FALSE;
	if (scope->own)
		px_store_rollback (scope->store);
	else
		px_store_rollback_savepoint (scope->store);
}

static gboolean
px_practices_refuse (GError **error)
{
	g_set_error_literal (error, PX_ERROR, PX_ERROR_VALIDATION, "the practice is not valid");
	return FALSE;
}

/* the model's rules: what parsing found, and the required fields */
static gboolean
px_practices_check_model (const PxPractice *practice, GPtrArray *errors, GError **error)
{
	px_practice_check_required (practice, errors);
	if (errors->len > 0)
		return px_practices_refuse (error);
	return TRUE;
}

static gboolean
px_practices_validate (PxPractices *practices, PxStore *store, const char *event,
		       const PxPractice *practice, GPtrArray *errors, GError **error)
{
	GPtrArray *hooks = practices->hooks[PX_PRACTICES_HOOK_VALIDATE];

	for (guint i = 0; i < hooks->len; i++) {
		PxPracticesHook *hook = g_ptr_array_index (hooks, i);

		if (!hook->func.validate (store, event, practice, errors, hook->user_data, error))
			return FALSE;
	}
	if (errors->len > 0)
		return px_practices_refuse (error);
	return TRUE;
}

static gboolean
px_practices_tag (PxPractices *practices, PxStore *store, const char *event, PxPractice *practice,
		  GError **error)
{
	GPtrArray *hooks = practices->hooks[PX_PRACTICES_HOOK_TAG];

	for (guint i = 0; i < hooks->len; i++) {
		PxPracticesHook *hook = g_ptr_array_index (hooks, i);
		g_autoptr (PxPractice) additions = px_practice_new ();
		g_autoptr (GPtrArray) skipped = px_field_errors_new ();

		if (!hook->func.tag (store, event, practice, additions, hook->user_data, error))
			return FALSE;
		px_practice_merge_additions (practice, additions, skipped);
		for (guint j = 0; j < skipped->len; j++) {
			const PxFieldError *left_out = g_ptr_array_index (skipped, j);
			g_warning ("%s: a tag hook's %s left out: %s", event, left_out->field,
				   left_out->message);
		}
	}
	return TRUE;
}

static gboolean
px_practices_announce (PxPractices *practices, PxStore *store, const char *event,
		       const PxPractice *practice, GError **error)
{
	GPtrArray *hooks = practices->hooks[PX_PRACTICES_HOOK_CHANGED];

	for (guint i = 0; i < hooks->len; i++) {
		PxPracticesHook *hook = g_ptr_array_index (hooks, i);

		if (!hook->func.changed (store, event, practice, hook->user_data, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
px_practices_create (PxPractices *practices, PxStore *store, PxPractice *practice,
		     GPtrArray *errors, GError **error)
{
	const char *event = PX_PRACTICES_EVENT_SUBMITTED;
	PxPracticesScope scope = {0};

	if (!px_practices_check_model (practice, errors, error) ||
	    !px_practices_scope_begin (&scope, store, PX_PRACTICES_SCOPE_OWN, error))
		return FALSE;
	if (!px_practices_tag (practices, store, event, practice, error) ||
	    !px_practices_validate (practices, store, event, practice, errors, error) ||
	    !px_records_add (store, practice, error) ||
	    !px_practices_announce (practices, store, event, practice, error) ||
	    !px_practices_scope_commit (&scope, error)) {
		px_practices_scope_rollback (&scope);
		return FALSE;
	}
	return TRUE;
}

PxPracticesChange *
px_practices_open_change (PxPractices *practices, PxStore *store, gint64 id, GError **error)
{
	g_autoptr (PxPracticesChange) change = g_new0 (PxPracticesChange, 1);

	change->practices = practices;
	if (!px_practices_scope_begin (&change->scope, store, PX_PRACTICES_SCOPE_OWN, error))
		return NULL;
	change->practice = px_records_get (store, id, error);
	if (change->practice == NULL)
		return NULL;
	return g_steal_pointer (&change);
}

PxPractice *
px_practices_change_get_practice (PxPracticesChange *change)
{
	return change->practice;
}

/* Returns: @ok, having committed the change when it is TRUE and rolled it back otherwise */
static gboolean
px_practices_change_finish (PxPracticesChange *change, gboolean ok, GError **error)
{
	if (ok && px_practices_scope_commit (&change->scope, error))
		return TRUE;
	px_practices_scope_rollback (&change->scope);
	return FALSE;
}

static gboolean
px_practices_change_check_open (PxPracticesChange *change, GError **error)
{
	if (change->scope.open)
		return TRUE;
	g_set_error_literal (error, PX_ERROR, PX_ERROR_INTERNAL, "the change is finished already");
	return FALSE;
}

gboolean
px_practices_change_update (PxPracticesChange *change, GPtrArray *errors, GError **error)
{
	const char *event = PX_PRACTICES_EVENT_UPDATED;
	PxStore *store = change->scope.store;
	gboolean ok;

	if (!px_practices_change_check_open (change, error))
		return FALSE;
	ok = px_practices_check_model (change->practice, errors, error) &&
	     px_practices_tag (change->practices, store, event, change->practice, error) &&
	     px_practices_validate (change->practices, store, event, change->practice, errors,
				    error) &&
	     px_records_update (store, change->practice, error) &&
	     px_practices_announce (change->practices, store, event, change->practice, error);
	return px_practices_change_finish (change, ok, error);
}

gboolean
px_practices_change_set_status (PxPracticesChange *change, PxStatus status, const char *reason,
				GError **error)
{
	const char *event = status == PX_STATUS_PUBLISHED ? PX_PRACTICES_EVENT_PUBLISHED
							  : PX_PRACTICES_EVENT_REJECTED;
	PxStore *store = change->scope.store;
	gboolean ok;

	g_return_val_if_fail (status == PX_STATUS_PUBLISHED || status == PX_STATUS_REJECTED, FALSE);
	if (!px_practices_change_check_open (change, error))
		return FALSE;
	g_free (change->practice->status_reason);
	change->practice->status_reason = g_strdup (reason);
	/* moderation changes only the status: neither validated nor tagged, as a deletion */
	ok = px_records_set_status (store, change->practice, status, error) &&
	     px_practices_announce (change->practices, store, event, change->practice, error);
	return px_practices_change_finish (change, ok, error);
}

gboolean
px_practices_change_delete (PxPracticesChange *change, GError **error)
{
	const char *event = PX_PRACTICES_EVENT_DELETED;
	PxStore *store = change->scope.store;
	gboolean ok;

	if (!px_practices_change_check_open (change, error))
		return FALSE;
	ok = px_records_delete (store, change->practice->id, error) &&
	     px_practices_announce (change->practices, store, event, change->practice, error);
	return px_practices_change_finish (change, ok, error);
}

void
px_practices_change_free (PxPracticesChange *change)
{
	if (change == NULL)
		return;
	px_practices_scope_rollback (&change->scope);
	px_practice_free (change->practice);
	g_free (change);
}

/* the content of a practice without what a server sets, to tell a real change from a re-import */
static char *
px_practices_content_key (PxPractice *practice)
{
	g_autoptr (PxPractice) copy = px_practice_copy (practice);

	copy->id = 0;
	g_clear_pointer (&copy->created_at, g_free);
	g_clear_pointer (&copy->updated_at, g_free);
	g_clear_pointer (&copy->published_at, g_free);
	return px_jsonl_format_practice (copy, PX_VIEW_FULL | PX_VIEW_CONTACT | PX_VIEW_NO_ID);
}

/* what an import's record cannot carry (the JSON form has neither) and must not lose: the
 * partner who submitted the practice, and the reason of its rejection while it stays rejected */
static void
px_practices_keep_server_fields (PxPractice *record, const PxPractice *existing)
{
	if (record->submitted_by == 0)
		record->submitted_by = existing->submitted_by;
	if (record->status_reason == NULL && record->status == existing->status)
		record->status_reason = g_strdup (existing->status_reason);
}

static gboolean
px_practices_write_record (PxStore *store, PxPractice *record, PxPracticesOutcome *outcome,
			   GError **error)
{
	g_autoptr (GError) lookup_error = NULL;
	g_autoptr (PxPractice) existing = px_records_get_by_uid (store, record->uid, &lookup_error);
	g_autofree char *old_key = NULL;
	g_autofree char *new_key = NULL;

	if (existing == NULL) {
		if (!g_error_matches (lookup_error, PX_ERROR, PX_ERROR_NOT_FOUND)) {
			g_propagate_error (error, g_steal_pointer (&lookup_error));
			return FALSE;
		}
		*outcome = PX_PRACTICES_ADDED;
		return px_records_add (store, record, error);
	}
	old_key = px_practices_content_key (existing);
	new_key = px_practices_content_key (record);
	if (g_str_equal (old_key, new_key)) {
		*outcome = PX_PRACTICES_UNCHANGED;
		return TRUE;
	}
	record->id = existing->id;
	g_free (record->created_at);
	record->created_at = g_strdup (existing->created_at);
	if (record->published_at == NULL)
		record->published_at = g_strdup (existing->published_at);
	px_practices_keep_server_fields (record, existing);
	*outcome = PX_PRACTICES_UPDATED;
	return px_records_update (store, record, error);
}

gboolean
px_practices_import (PxPractices *practices, PxStore *store, PxPractice *record,
		     PxPracticesOutcome *outcome, GPtrArray *errors, GError **error)
{
	const char *event = PX_PRACTICES_EVENT_IMPORTED;
	PxPracticesScope scope = {0};

	*outcome = PX_PRACTICES_UNCHANGED;
	if (!px_practices_check_model (record, errors, error) ||
	    !px_practices_scope_begin (&scope, store, PX_PRACTICES_SCOPE_BATCH, error))
		return FALSE;
	if (!px_practices_tag (practices, store, event, record, error) ||
	    !px_practices_validate (practices, store, event, record, errors, error) ||
	    !px_practices_write_record (store, record, outcome, error) ||
	    (*outcome != PX_PRACTICES_UNCHANGED &&
	     !px_practices_announce (practices, store, event, record, error)) ||
	    !px_practices_scope_commit (&scope, error)) {
		px_practices_scope_rollback (&scope);
		return FALSE;
	}
	return TRUE;
}

gboolean
px_practices_import_delete (PxPractices *practices, PxStore *store, const char *uid,
			    gboolean *deleted, GError **error)
{
	const char *event = PX_PRACTICES_EVENT_DELETED;
	PxPracticesScope scope = {0};
	g_autoptr (PxPractice) practice = NULL;
	g_autoptr (GError) local_error = NULL;

	*deleted = FALSE;
	if (!px_practices_scope_begin (&scope, store, PX_PRACTICES_SCOPE_BATCH, error))
		return FALSE;
	practice = px_records_get_by_uid (store, uid, &local_error);
	if (practice == NULL) {
		px_practices_scope_rollback (&scope);
		if (g_error_matches (local_error, PX_ERROR, PX_ERROR_NOT_FOUND))
			return TRUE;
		g_propagate_error (error, g_steal_pointer (&local_error));
		return FALSE;
	}
	if (!px_records_delete (store, practice->id, error) ||
	    !px_practices_announce (practices, store, event, practice, error) ||
	    !px_practices_scope_commit (&scope, error)) {
		px_practices_scope_rollback (&scope);
		return FALSE;
	}
	*deleted = TRUE;
	return TRUE;
}
