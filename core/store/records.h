/* records.h: the practices table and its tags: reading, adding, updating, deleting (with its
 * tombstone), moderating, counting, and the scan the search facets are built from. Only the
 * write path (core/practices/) writes through it. */
#pragma once

#include "model/practice.h"
#include "store.h"

/* Returns: (transfer full): the practice, or NULL with PX_ERROR_NOT_FOUND */
PxPractice *px_records_get (PxStore *store, gint64 id, GError **error);
PxPractice *px_records_get_by_uid (PxStore *store, const char *uid, GError **error);

/* the most practices a list below gives */
#define PX_RECORDS_LIST_MAX 500

/* Returns: (transfer full) (element-type PxPractice): the practices of @status, oldest first
 * (created_at), with their tags: @limit of them (at most PX_RECORDS_LIST_MAX) after the first
 * @offset; NULL with @error set */
GPtrArray *px_records_list_by_status (PxStore *store, PxStatus status, guint offset, guint limit,
				      GError **error);
/* Returns: the number of practices of @status, or -1 with @error set */
gint64 px_records_count_by_status (PxStore *store, PxStatus status, GError **error);
/* Returns: (transfer full) (element-type PxPractice): the practices @user_id submitted, newest
 * first, with their tags, at most PX_RECORDS_LIST_MAX; NULL with @error set */
GPtrArray *px_records_list_by_submitter (PxStore *store, gint64 user_id, GError **error);

/* inserts @practice (uid and timestamps filled in when unset) and sets its id; CONFLICT when the
 * uid is taken, or belonged to a deleted practice (a uid is never reused) */
gboolean px_records_add (PxStore *store, PxPractice *practice, GError **error);
/* writes every field of a stored @practice back, with a new updated_at */
gboolean px_records_update (PxStore *store, PxPractice *practice, GError **error);
/* deletes the practice and leaves a tombstone for harvesters: a public one if it was ever
 * published, else one that only exports of every status show */
gboolean px_records_delete (PxStore *store, gint64 id, GError **error);
/* publishes or rejects; published_at is set on the first publication */
gboolean px_records_set_status (PxStore *store, PxPractice *practice, PxStatus status,
				GError **error);

/* Returns: the number of practices (all statuses), or -1 with @error set */
gint64 px_records_count (PxStore *store, GError **error);

/* one practice as the search facets see it; strings are borrowed for the call */
typedef struct {
	gint64 id;
	PxStatus status;
	const char *country, *city, *project, *language;
	gint year;
} PxFacetRecord;
typedef void (*PxFacetRecordFunc) (const PxFacetRecord *record, gpointer user_data);
typedef void (*PxFacetTagFunc) (gint64 practice_id, const char *kind, const char *tag,
				gpointer user_data);
/* every practice, newest first (published_at, else created_at); then every tag by practice */
gboolean px_records_scan_facets (PxStore *store, PxFacetRecordFunc record_func,
				 PxFacetTagFunc tag_func, gpointer user_data, GError **error);

typedef void (*PxPublishedFunc) (gint64 id, const char *updated_at, gpointer user_data);
/* calls @func with the id and updated_at of the published practices, the latest change first,
 * at most @limit of them (a sitemap's) */
gboolean px_records_scan_published (PxStore *store, guint limit, PxPublishedFunc func,
				    gpointer user_data, GError **error);
