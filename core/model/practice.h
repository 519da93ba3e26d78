/* practice.h: PxPractice, the good-practice record: its fields, validation and JSON form.
 * Knows nothing of storage or HTTP; the store, the write path and the API call in here. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "status.h"
#include "util/field-errors.h"

/* the years a practice may name (year, started, ended) */
#define PX_PRACTICE_YEAR_MIN 1900
#define PX_PRACTICE_YEAR_MAX 2100
/* the most focus areas, and the most themes, a practice may have */
#define PX_PRACTICE_TAGS_MAX 20

typedef struct {
	gint64 id; /* 0 until stored */
	PxStatus status;
	gint year;	     /* 0: unknown */
	gint64 submitted_by; /* user id, 0: none (imported) */
	GPtrArray
	    *focus_areas;  /* (element-type utf8): subset of interact, participation, governance */
	GPtrArray *themes; /* (element-type utf8): slugs */
	/* text fields, NULL when unset; px_practice_text_fields() lists them */
	char *uid, *title, *summary, *body, *city, *region, *country, *organisation, *project;
	char *language, *url, *contact, *target_groups, *goals, *results, *evaluation, *funding;
	char *started, *ended, *source, *created_at, *updated_at, *published_at;
	/* (nullable): why a moderator rejected it, as the changed hooks of the rejection see it;
	 * stored with the rejection (migration 009) and cleared by a publication, shown to its
	 * partner on the web pages; not a field of the JSON form */
	char *status_reason;
} PxPractice;

/* one text field: its JSON/column name and where it lives in PxPractice */
typedef struct {
	const char *name;
	gsize offset;
	guint max_chars;
	guint flags;
} PxTextField;

enum {
	PX_FIELD_REQUIRED = 1 << 0,  /* must be present and non-empty */
	PX_FIELD_MULTILINE = 1 << 1, /* may hold newlines and tabs */
	PX_FIELD_READONLY = 1 << 2,  /* set by the server; only an import may carry it */
	PX_FIELD_PRIVATE = 1 << 3,   /* shown to authenticated callers only */
	PX_FIELD_LONG = 1 << 4,	     /* left out of search result lists */
};

typedef enum {
	PX_JSON_CREATE, /* a partner's submission: no status other than pending, no server fields */
	PX_JSON_PATCH,	/* a partial update: present fields replace, null clears */
	PX_JSON_IMPORT, /* the native export format: every field, status kept */
} PxJsonMode;

typedef enum {
	PX_VIEW_LIST = 0,	  /* a search result: no body nor long fields */
	PX_VIEW_FULL = 1 << 0,	  /* every public field */
	PX_VIEW_CONTACT = 1 << 1, /* add the members-only fields */
	PX_VIEW_NO_ID = 1 << 2,	  /* leave out the local id (export) */
} PxView;

PxPractice *px_practice_new (void);
void px_practice_free (PxPractice *practice);
PxPractice *px_practice_copy (const PxPractice *practice);

/* Returns: (transfer none): the table of text fields, terminated by a NULL name */
const PxTextField *px_practice_text_fields (void);
char **px_practice_text_slot (PxPractice *practice, const PxTextField *field);

/**
 * px_practice_apply_json:
 * @errors: (element-type PxFieldError): receives one entry per bad field
 *
 * Copies the members of @object into @practice as @mode allows, normalising them (trimmed, country
 * in upper case, tags deduplicated). Unknown members, wrong types and values that break a field's
 * rule are appended to @errors. Returns: TRUE when @errors gained nothing.
 */
gboolean px_practice_apply_json (PxPractice *practice, JsonObject *object, PxJsonMode mode,
				 GPtrArray *errors);

/**
 * px_practice_check_required:
 *
 * Appends an error for each required field that is missing. Returns: TRUE when none is.
 */
gboolean px_practice_check_required (const PxPractice *practice, GPtrArray *errors);

/**
 * px_practice_merge_additions:
 * @additions: what a tagger offers: focus areas, themes, text fields, a year (nothing else of it
 *   is read)
 * @skipped: (element-type PxFieldError): receives one entry per offer left out because it breaks
 *   its field's rule or is not a patch's to set (the uid, the server's source and timestamps)
 *
 * Adds to @practice only what it lacks: focus areas and themes it does not have yet, up to
 * PX_PRACTICE_TAGS_MAX each, and a text field or the year where it has none. Nothing it has is
 * changed or removed. Each offer meets the rules px_practice_apply_json() holds a patch to
 * (PX_JSON_PATCH), with the same messages; the same functions check both.
 */
void px_practice_merge_additions (PxPractice *practice, const PxPractice *additions,
				  GPtrArray *skipped);

/* Returns: a stable uid derived from the country, city and title (for records without one) */
char *px_practice_derive_uid (const PxPractice *practice);

/* opens a JSON object in @builder with the fields @view allows; the caller may add members
 * (a snippet) and closes it with json_builder_end_object() */
void px_practice_to_json (const PxPractice *practice, JsonBuilder *builder, PxView view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPractice, px_practice_free)
