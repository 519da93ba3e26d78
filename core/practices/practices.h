/* practices.h: PxPractices, the one write path: every change of a practice is written and
 * announced here in one transaction, a new or edited one tagged and validated first, with hooks of
 * plugins in each step. Nothing else writes practices: px_records_add/update/delete/set_status are
 * called only here, in core/store/records.c, and in tests (scripts/check-source holds them so). */
#pragma once

#include "model/practice.h"
#include "store/store.h"

/* the event of each kind of change, as every hook of the change sees it */
#define PX_PRACTICES_EVENT_SUBMITTED "practice.submitted" /* created by a partner */
#define PX_PRACTICES_EVENT_UPDATED "practice.updated"	  /* changed by a patch */
#define PX_PRACTICES_EVENT_PUBLISHED "practice.published"
#define PX_PRACTICES_EVENT_REJECTED "practice.rejected"
#define PX_PRACTICES_EVENT_DELETED "practice.deleted"
#define PX_PRACTICES_EVENT_IMPORTED "practice.imported" /* added or updated by uid by an import */

typedef struct _PxPractices PxPractices;
typedef struct _PxPracticesChange PxPracticesChange;

/*
 * A new or edited practice (create, update, import) meets the model's rules, then the tag hooks
 * add to it (what they add meets the model's rules too: px_practice_merge_additions()), then the
 * validate hooks judge it as it would be written. Moderation and deletion change no field: only
 * their changed hooks run.
 */

/**
 * PxPracticesValidateFunc:
 * @store: the connection of the change, inside its transaction
 * @practice: the practice as it would be written: it has passed the model's rules, and every tag
 *   hook has added to it
 * @errors: (element-type PxFieldError): add to it (px_field_errors_add) to refuse the change
 *
 * Returns: FALSE with @error set only when the hook itself fails; the change fails with it
 */
typedef gboolean (*PxPracticesValidateFunc) (PxStore *store, const char *event,
					     const PxPractice *practice, GPtrArray *errors,
					     gpointer user_data, GError **error);
/**
 * PxPracticesTagFunc:
 * @practice: the practice as given, which has passed the model's rules, with what earlier tag
 *   hooks added; no validate hook has seen it yet
 * @additions: an empty practice to fill with what to add: focus areas, themes, text fields, the
 *   year. Only what @practice lacks is taken, by the model's rules
 *   (px_practice_merge_additions()); what breaks them is left out with a warning
 *
 * Returns: FALSE with @error set when the hook fails; the change fails with it
 */
typedef gboolean (*PxPracticesTagFunc) (PxStore *store, const char *event,
					const PxPractice *practice, PxPractice *additions,
					gpointer user_data, GError **error);
/**
 * PxPracticesChangedFunc:
 * @store: the connection of the change, inside the transaction that wrote it (the place for
 *   rows that must be written with the change, or not at all: an outbox)
 * @practice: the practice as written; for a deletion, as it was
 *
 * Returns: FALSE with @error set to roll the whole change back
 */
typedef gboolean (*PxPracticesChangedFunc) (PxStore *store, const char *event,
					    const PxPractice *practice, gpointer user_data,
					    GError **error);

/* Returns: (transfer full): a write path with no hooks */
PxPractices *px_practices_new (void);
/* calls the destroy notify of every hook still registered */
void px_practices_free (PxPractices *practices);

/*
 * Hooks run by @priority, highest first, and in the order they were added among equals. Each
 * add returns the hook's id (never 0) for px_practices_remove_hook(); @destroy (nullable) frees
 * @user_data when the hook is removed or the write path freed. Hooks are added and removed
 * before writes start or on the thread that writes, never while a change runs: PxPractices
 * takes no lock.
 */
guint px_practices_add_validate_hook (PxPractices *practices, gint priority,
				      PxPracticesValidateFunc func, gpointer user_data,
				      GDestroyNotify destroy);
guint px_practices_add_tag_hook (PxPractices *practices, gint priority, PxPracticesTagFunc func,
				 gpointer user_data, GDestroyNotify destroy);
guint px_practices_add_changed_hook (PxPractices *practices, gint priority,
				     PxPracticesChangedFunc func, gpointer user_data,
				     GDestroyNotify destroy);
/* Returns: FALSE when no hook has @id */
gboolean px_practices_remove_hook (PxPractices *practices, guint id);

/*
 * The transaction of a change: px_practices_create() and px_practices_open_change() begin their
 * own (BEGIN IMMEDIATE) and commit it, and fail with PX_ERROR_INTERNAL when @store has one open
 * already; px_practices_import() runs in a savepoint of the transaction its caller holds (an
 * import's batch), and fails with PX_ERROR_INTERNAL when none is open. Either way a change that
 * fails or is refused leaves nothing behind, and a caller's transaction stays open.
 *
 * A change refused by validation fails with PX_ERROR_VALIDATION and its reasons in @errors.
 * @errors may come holding what parsing the input found wrong: then the change is refused at
 * once, with the model's required fields checked too, and no hook runs.
 */

/**
 * px_practices_create:
 * @practice: a new practice (id 0); on success it is the stored one (id, uid, timestamps, what
 *   tag hooks added)
 *
 * A partner's submission: tag, validate, add, then the changed hooks (practice.submitted).
 * Returns: FALSE with @error set
 */
gboolean px_practices_create (PxPractices *practices, PxStore *store, PxPractice *practice,
			      GPtrArray *errors, GError **error);

/**
 * px_practices_open_change:
 *
 * Begins the transaction of a change of the practice @id and loads it, so that what the caller
 * checks of it (who may change it) and the write that check allows see one state. Finish it with
 * px_practices_change_update(), _set_status() or _delete(); freeing a change not finished rolls
 * it back.
 * Returns: (transfer full): the change, or NULL with @error set (PX_ERROR_NOT_FOUND)
 */
PxPracticesChange *px_practices_open_change (PxPractices *practices, PxStore *store, gint64 id,
					     GError **error);
/* Returns: (transfer none): the practice as stored; an update edits it in place first */
PxPractice *px_practices_change_get_practice (PxPracticesChange *change);
/* writes the edited practice back, tagged and validated first (practice.updated). Returns: FALSE
 * with @error set */
gboolean px_practices_change_update (PxPracticesChange *change, GPtrArray *errors, GError **error);
/* publishes (practice.published) or rejects (practice.rejected), the changed hooks seeing
 * @reason (nullable) as the practice's status_reason, which is stored with a rejection and
 * cleared by a publication. Moderation changes only the status: like a
 * deletion it is neither validated nor tagged (a moderator may reject exactly what a validate
 * hook flags), and only the changed hooks run. Returns: FALSE with @error set */
gboolean px_practices_change_set_status (PxPracticesChange *change, PxStatus status,
					 const char *reason, GError **error);
/* deletes the practice, leaving its tombstone (practice.deleted); a deletion is neither
 * validated nor tagged. Returns: FALSE with @error set */
gboolean px_practices_change_delete (PxPracticesChange *change, GError **error);
void px_practices_change_free (PxPracticesChange *change);

typedef enum {
	PX_PRACTICES_ADDED,
	PX_PRACTICES_UPDATED,
	PX_PRACTICES_UNCHANGED,
} PxPracticesOutcome;

/**
 * px_practices_import:
 * @store: inside the transaction of the caller's batch (px_store_begin() or
 *   px_store_begin_bulk()), which the record is written in a savepoint of
 * @record: an imported record with its uid; on success the stored practice
 * @outcome: (out): whether @record was added, updated, or matched what is stored
 *
 * Adds @record, or updates the practice of its uid when their content differs (what a server
 * sets, the id and the timestamps, aside; the stored created_at is kept, and published_at
 * unless @record has one). Tagged and validated first, so that what tag hooks add counts in the
 * comparison; the changed hooks (practice.imported) run unless nothing changed.
 * Returns: FALSE with @error set: PX_ERROR_CONFLICT when the uid belonged to a deleted practice
 */
gboolean px_practices_import (PxPractices *practices, PxStore *store, PxPractice *record,
			      PxPracticesOutcome *outcome, GPtrArray *errors, GError **error);

/**
 * px_practices_import_delete:
 * @store: inside the transaction of the caller's batch, as for px_practices_import()
 * @deleted: (out): FALSE when no practice has @uid
 *
 * An imported tombstone: deletes the practice of @uid, leaving its tombstone
 * (practice.deleted), in a savepoint of the caller's transaction.
 * Returns: FALSE with @error set
 */
gboolean px_practices_import_delete (PxPractices *practices, PxStore *store, const char *uid,
				     gboolean *deleted, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPractices, px_practices_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPracticesChange, px_practices_change_free)
