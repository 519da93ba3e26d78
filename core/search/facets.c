/* facets.c: filtering and facet counting in memory. Counting over the matched rows here costs a
 * few array reads per hit, where SQL GROUP BY per facet re-joins every hit six times. */
#define G_LOG_DOMAIN "PxFacets"

#include <stdlib.h>
#include <string.h>

#include "facets.h"
#include "model/focus.h"
#include "query.h"

#define PX_YEAR_MIN PX_PRACTICE_YEAR_MIN
#define PX_YEAR_SPAN (PX_PRACTICE_YEAR_MAX - PX_PRACTICE_YEAR_MIN + 1)
#define PX_FACET_MAX_VALUES 100
#define PX_N_DICTS 5	     /* country, city, project, language, theme */
#define PX_DENSE_SLACK 65536 /* ids below this (or 4 per practice) take the dense array */

static const char *const facet_names[PX_FACET_N] = {
    "country", "city", "focus", "theme", "project", "language", "year",
};

/* interned strings of one facet; index 0 means "none" */
typedef struct {
	GHashTable *index; /* name -> GUINT_TO_POINTER (i) */
	GPtrArray *names;  /* i -> name; names[0] is NULL */
} PxDict;

typedef struct {
	gint64 id;
	guint32 country, city, project, language; /* PxDict indexes */
	guint32 theme_start;
	guint16 theme_count;
	guint8 focus_mask;
	guint8 status;
	guint16 year; /* 0: unknown */
} PxFacetRow;

struct _PxFacets {
	gatomicrefcount ref;
	GArray *rows;	   /* PxFacetRow, newest first */
	GArray *row_of_id; /* (nullable): gint32 per id, -1 for none, when the ids are dense */
	GHashTable *row_of_sparse_id; /* (nullable): gint64 * -> row + 1, when they are not */
	gint64 min_id, max_id;
	GArray *themes; /* guint32 theme indexes, runs per row */
	PxDict dicts[PX_N_DICTS];
	guint status_counts[PX_STATUS_N];
	PxQueryLanguages languages;	  /* of the published practices */
	char year_names[PX_YEAR_SPAN][8]; /* "1900" ...: the values of the year facet */
};

/* the dictionary of a facet, or -1 for focus and year, which need none */
static int
px_facet_dict (PxFacet facet)
{
	switch (facet) {
	case PX_FACET_COUNTRY:
		return 0;
	case PX_FACET_CITY:
		return 1;
	case PX_FACET_PROJECT:
		return 2;
	case PX_FACET_LANGUAGE:
		return 3;
	case PX_FACET_THEME:
		return 4;
	default:
		return -1;
	}
}

const char *
px_facets_get_name (PxFacet facet)
{
	return facet_names[facet];
}

static guint32
px_dict_intern (PxDict *dict, const char *name)
{
	gpointer found;
	char *copy;

	if (name == NULL)
		return 0;
	found = g_hash_table_lookup (dict->index, name);
	if (found != NULL)
		return GPOINTER_TO_UINT (found);
	copy = g_strdup (name);
	g_ptr_array_add (dict->names, copy);
	g_hash_table_insert (dict->index, copy, GUINT_TO_POINTER (dict->names->len - 1));
	return dict->names->len - 1;
}

static guint32
px_dict_find (const PxDict *dict, const char *name)
{
	return GPOINTER_TO_UINT (g_hash_table_lookup (dict->index, name));
}

static void
px_facets_add_record (const PxFacetRecord *record, gpointer user_data)
{
	PxFacets *facets = user_data;
	PxFacetRow row = {
	    .id = record->id,
	    .country = px_dict_intern (&facets->dicts[0], record->country),
	    .city = px_dict_intern (&facets->dicts[1], record->city),
	    .project = px_dict_intern (&facets->dicts[2], record->project),
	    .language = px_dict_intern (&facets->dicts[3], record->language),
	    .status = (guint8)record->status,
	    .year = record->year >= PX_YEAR_MIN && record->year < PX_YEAR_MIN + PX_YEAR_SPAN
			? (guint16)record->year
			: 0,
	};

	g_array_append_val (facets->rows, row);
	facets->status_counts[record->status]++;
	if (record->status == PX_STATUS_PUBLISHED)
		facets->languages = px_query_languages_add (facets->languages, record->language);
	facets->min_id = facets->rows->len == 1 ? record->id : MIN (facets->min_id, record->id);
	facets->max_id = facets->rows->len == 1 ? record->id : MAX (facets->max_id, record->id);
}

/* maps ids to rows once every row is in: an array when the ids are dense (AUTOINCREMENT makes
 * them so), else a hash table, so an id of any size costs no more than one entry */
static void
px_facets_index_ids (PxFacets *facets)
{
	guint n = facets->rows->len;

	if (facets->row_of_id != NULL || facets->row_of_sparse_id != NULL)
		return;
	if (n == 0 ||
	    (facets->min_id >= 0 && (guint64)facets->max_id < PX_DENSE_SLACK + 4 * (guint64)n)) {
		guint size = n == 0 ? 0 : (guint)facets->max_id + 1;

		facets->row_of_id = g_array_sized_new (FALSE, FALSE, sizeof (gint32), size);
		g_array_set_size (facets->row_of_id, size);
		memset (facets->row_of_id->data, 0xff, (gsize)size * sizeof (gint32));
		for (guint r = 0; r < n; r++) {
			gint64 id = g_array_index (facets->rows, PxFacetRow, r).id;
			g_array_index (facets->row_of_id, gint32, id) = (gint32)r;
		}
		return;
	}
	/* the keys point into rows, which no longer grows */
	facets->row_of_sparse_id = g_hash_table_new (g_int64_hash, g_int64_equal);
	for (guint r = 0; r < n; r++) {
		PxFacetRow *row = &g_array_index (facets->rows, PxFacetRow, r);
		g_hash_table_insert (facets->row_of_sparse_id, &row->id, GUINT_TO_POINTER (r + 1));
	}
}

/* Returns: the row index of @id, or -1 when the snapshot has no such practice */
static inline gint32
px_facets_row_index (PxFacets *facets, gint64 id)
{
	if (G_LIKELY (facets->row_of_id != NULL))
		return id >= 0 && (guint64)id < facets->row_of_id->len
			   ? g_array_index (facets->row_of_id, gint32, id)
			   : -1;
	return (gint32)GPOINTER_TO_UINT (g_hash_table_lookup (facets->row_of_sparse_id, &id)) - 1;
}

static PxFacetRow *
px_facets_row_of_id (PxFacets *facets, gint64 id)
{
	gint32 row = px_facets_row_index (facets, id);

	return row < 0 ? NULL : &g_array_index (facets->rows, PxFacetRow, row);
}

static void
px_facets_add_tag (gint64 practice_id, const char *kind, const char *tag, gpointer user_data)
{
	PxFacets *facets = user_data;
	PxFacetRow *row;

	px_facets_index_ids (facets);
	row = px_facets_row_of_id (facets, practice_id);
	if (row == NULL)
		return;
	if (g_str_equal (kind, "focus")) {
		gint area = px_focus_area_index (tag);

		if (area >= 0)
			row->focus_mask |= 1u << area;
		return;
	}
	if (row->theme_count == 0)
		row->theme_start = facets->themes->len;
	else if (row->theme_start + row->theme_count != facets->themes->len)
		return; /* tags arrive grouped by practice; anything else is ignored */
	{
		guint32 theme = px_dict_intern (&facets->dicts[4], tag);
		g_array_append_val (facets->themes, theme);
		row->theme_count++;
	}
}

PxFacets *
px_facets_load (PxStore *store, GError **error)
{
	g_autoptr (PxFacets) facets = g_new0 (PxFacets, 1);

	g_atomic_ref_count_init (&facets->ref);
	facets->rows = g_array_new (FALSE, FALSE, sizeof (PxFacetRow));
	facets->themes = g_array_new (FALSE, FALSE, sizeof (guint32));
	for (guint i = 0; i < PX_N_DICTS; i++) {
		facets->dicts[i].index = g_hash_table_new (g_str_hash, g_str_equal);
		facets->dicts[i].names = g_ptr_array_new_with_free_func (g_free);
		g_ptr_array_add (facets->dicts[i].names, NULL);
	}
	for (guint i = 0; i < PX_YEAR_SPAN; i++)
		g_snprintf (facets->year_names[i], sizeof (facets->year_names[i]), "%u",
			    i + PX_YEAR_MIN);
	if (!px_records_scan_facets (store, px_facets_add_record, px_facets_add_tag, facets, error))
		return NULL;
	px_facets_index_ids (facets);
	return g_steal_pointer (&facets);
}

PxFacets *
px_facets_ref (PxFacets *facets)
{
	g_atomic_ref_count_inc (&facets->ref);
	return facets;
}

void
px_facets_unref (PxFacets *facets)
{
	if (facets == NULL || !g_atomic_ref_count_dec (&facets->ref))
		return;
	g_array_unref (facets->rows);
	if (facets->row_of_id != NULL)
		g_array_unref (facets->row_of_id);
	if (facets->row_of_sparse_id != NULL)
		g_hash_table_unref (facets->row_of_sparse_id);
	g_array_unref (facets->themes);
	for (guint i = 0; i < PX_N_DICTS; i++) {
		g_hash_table_unref (facets->dicts[i].index);
		g_ptr_array_unref (facets->dicts[i].names);
	}
	g_free (facets);
}

guint
px_facets_count (PxFacets *facets, PxStatus status)
{
	return facets->status_counts[status];
}

PxQueryLanguages
px_facets_get_languages (PxFacets *facets, const PxFilters *filters)
{
	GPtrArray *values = filters != NULL ? filters->values[PX_FACET_LANGUAGE] : NULL;
	PxQueryLanguages filtered = 0;

	if (values == NULL || values->len == 0)
		return facets->languages;
	for (guint i = 0; i < values->len; i++)
		filtered = px_query_languages_add (filtered, g_ptr_array_index (values, i));
	return facets->languages & filtered;
}

gboolean
px_facets_is_published (PxFacets *facets, gint64 id)
{
	const PxFacetRow *row = px_facets_row_of_id (facets, id);

	return row != NULL && row->status == PX_STATUS_PUBLISHED;
}

/* a filter compiled against the dictionaries: accepted[index] for each facet in use */
typedef struct {
	gboolean active[PX_FACET_N];
	guint8 *accepted[PX_FACET_N];
	guint8 focus_mask;
	guint16 year_from, year_to;
} PxCompiled;

static void
px_compiled_clear (PxCompiled *compiled)
{
	for (guint f = 0; f < PX_FACET_N; f++)
		g_free (compiled->accepted[f]);
}

static void
px_facets_compile (PxFacets *facets, const PxFilters *filters, PxCompiled *compiled)
{
	memset (compiled, 0, sizeof *compiled);
	for (guint f = 0; f < PX_FACET_N; f++) {
		GPtrArray *values = filters->values[f];
		int dict = px_facet_dict ((PxFacet)f);

		if (values == NULL || values->len == 0)
			continue;
		compiled->active[f] = TRUE;
		if (f == PX_FACET_FOCUS) {
			for (guint v = 0; v < values->len; v++) {
				gint area = px_focus_area_index (g_ptr_array_index (values, v));

				if (area >= 0)
					compiled->focus_mask |= 1u << area;
			}
			continue;
		}
		if (dict < 0)
			continue;
		compiled->accepted[f] = g_new0 (guint8, facets->dicts[dict].names->len);
		for (guint v = 0; v < values->len; v++) {
			guint32 index =
			    px_dict_find (&facets->dicts[dict], g_ptr_array_index (values, v));
			if (index != 0)
				compiled->accepted[f][index] = 1;
		}
	}
	if (filters->year_from != 0 || filters->year_to != 0) {
		compiled->active[PX_FACET_YEAR] = TRUE;
		compiled->year_from = (guint16)MAX (filters->year_from, PX_YEAR_MIN);
		compiled->year_to =
		    (guint16)(filters->year_to != 0 ? filters->year_to
						    : PX_YEAR_MIN + PX_YEAR_SPAN - 1);
	}
}

static gboolean
px_row_has_theme (PxFacets *facets, const PxFacetRow *row, const guint8 *accepted)
{
	for (guint i = 0; i < row->theme_count; i++) {
		if (accepted[g_array_index (facets->themes, guint32, row->theme_start + i)])
			return TRUE;
	}
	return FALSE;
}

/* Returns: a bit per facet whose filter @row fails */
static guint
px_row_failures (PxFacets *facets, const PxCompiled *compiled, const PxFacetRow *row)
{
	guint failed = 0;

	if (compiled->active[PX_FACET_COUNTRY] &&
	    !compiled->accepted[PX_FACET_COUNTRY][row->country])
		failed |= 1u << PX_FACET_COUNTRY;
	if (compiled->active[PX_FACET_CITY] && !compiled->accepted[PX_FACET_CITY][row->city])
		failed |= 1u << PX_FACET_CITY;
	if (compiled->active[PX_FACET_PROJECT] &&
	    !compiled->accepted[PX_FACET_PROJECT][row->project])
		failed |= 1u << PX_FACET_PROJECT;
	if (compiled->active[PX_FACET_LANGUAGE] &&
	    !compiled->accepted[PX_FACET_LANGUAGE][row->language])
		failed |= 1u << PX_FACET_LANGUAGE;
	if (compiled->active[PX_FACET_FOCUS] && (row->focus_mask & compiled->focus_mask) == 0)
		failed |= 1u << PX_FACET_FOCUS;
	if (compiled->active[PX_FACET_THEME] &&
	    !px_row_has_theme (facets, row, compiled->accepted[PX_FACET_THEME]))
		failed |= 1u << PX_FACET_THEME;
	if (compiled->active[PX_FACET_YEAR] &&
	    (row->year < compiled->year_from || row->year > compiled->year_to))
		failed |= 1u << PX_FACET_YEAR;
	return failed;
}

static void
px_selection_count (PxSelection *selection, PxFacets *facets, const PxFacetRow *row, guint only)
{
	guint **counts = selection->counts;
	gboolean all = only == PX_FACET_N;

	if (all || only == PX_FACET_COUNTRY)
		counts[PX_FACET_COUNTRY][row->country]++;
	if (all || only == PX_FACET_CITY)
		counts[PX_FACET_CITY][row->city]++;
	if (all || only == PX_FACET_PROJECT)
		counts[PX_FACET_PROJECT][row->project]++;
	if (all || only == PX_FACET_LANGUAGE)
		counts[PX_FACET_LANGUAGE][row->language]++;
	if (all || only == PX_FACET_YEAR)
		counts[PX_FACET_YEAR][row->year != 0 ? row->year - PX_YEAR_MIN + 1 : 0]++;
	if (all || only == PX_FACET_FOCUS) {
		for (guint i = 0; i < PX_FOCUS_AREA_N; i++) {
			if (row->focus_mask & (1u << i))
				counts[PX_FACET_FOCUS][i + 1]++;
		}
	}
	if (all || only == PX_FACET_THEME) {
		for (guint i = 0; i < row->theme_count; i++)
			counts[PX_FACET_THEME]
			      [g_array_index (facets->themes, guint32, row->theme_start + i)]++;
	}
}

static guint
px_facets_size (PxFacets *facets, PxFacet facet)
{
	int dict = px_facet_dict (facet);

	if (facet == PX_FACET_YEAR)
		return PX_YEAR_SPAN + 1;
	if (facet == PX_FACET_FOCUS)
		return PX_FOCUS_AREA_N + 1;
	return facets->dicts[dict].names->len;
}

/* hits to keep for ordering: a row index, and the score when ordering by score */
typedef struct {
	guint row;
	double score;
} PxKept;

static int
px_kept_compare_score (gconstpointer a, gconstpointer b)
{
	const PxKept *left = a, *right = b;

	if (left->score != right->score)
		return left->score < right->score ? -1 : 1;
	return left->row < right->row ? -1 : left->row > right->row;
}

static int
px_kept_compare_row (gconstpointer a, gconstpointer b)
{
	const PxKept *left = a, *right = b;

	return left->row < right->row ? -1 : left->row > right->row;
}

/* orders the first @top entries of @kept (the rest stay unordered): a heap when the page is
 * a small part of the hits, which it nearly always is */
static void
px_kept_sort_top (GArray *kept, guint top, GCompareFunc compare)
{
	g_autoptr (GArray) heap = NULL;

	if (top >= kept->len / 4) {
		g_array_sort (kept, compare);
		return;
	}
	/* a max-heap of the best @top so far: its root is the worst of them */
	heap = g_array_sized_new (FALSE, FALSE, sizeof (PxKept), top + 1);
	for (guint i = 0; i < kept->len && top > 0; i++) {
		PxKept *entry = &g_array_index (kept, PxKept, i);
		PxKept *data;
		guint n = heap->len, at;

		if (n == top && compare (entry, &g_array_index (heap, PxKept, 0)) >= 0)
			continue;
		if (n < top) {
			g_array_append_val (heap, *entry);
			data = (PxKept *)heap->data;
			for (at = n; at > 0 && compare (&data[(at - 1) / 2], &data[at]) < 0;
			     at = (at - 1) / 2) {
				PxKept swap = data[at];
				data[at] = data[(at - 1) / 2];
				data[(at - 1) / 2] = swap;
			}
			continue;
		}
		data = (PxKept *)heap->data;
		data[0] = *entry;
		for (at = 0;;) {
			guint child = 2 * at + 1;
			PxKept swap;

			if (child >= n)
				break;
			if (child + 1 < n && compare (&data[child + 1], &data[child]) > 0)
				child++;
			if (compare (&data[child], &data[at]) <= 0)
				break;
			swap = data[at];
			data[at] = data[child];
			data[child] = swap;
			at = child;
		}
	}
	g_array_sort (heap, compare);
	g_array_set_size (kept, heap->len);
	memcpy (kept->data, heap->data, heap->len * sizeof (PxKept));
}

static void
px_selection_consider (PxSelection *selection, PxFacets *facets, const PxCompiled *compiled,
		       guint row_index, double score, GArray *kept)
{
	const PxFacetRow *row = &g_array_index (facets->rows, PxFacetRow, row_index);
	guint failed;

	if (row->status != PX_STATUS_PUBLISHED)
		return;
	failed = px_row_failures (facets, compiled, row);
	if (failed == 0) {
		PxKept entry = {row_index, score};
		px_selection_count (selection, facets, row, PX_FACET_N);
		g_array_append_val (kept, entry);
		selection->total++;
	} else if ((failed & (failed - 1)) == 0) {
		px_selection_count (selection, facets, row, (guint)g_bit_nth_lsf (failed, -1));
	}
}

PxSelection *
px_facets_select (PxFacets *facets, const PxFilters *filters, GArray *hits, gboolean by_score,
		  guint offset, guint limit)
{
	g_autoptr (PxSelection) selection = g_new0 (PxSelection, 1);
	g_autoptr (GArray) kept = g_array_new (FALSE, FALSE, sizeof (PxKept));
	PxCompiled compiled;

	selection->facets = px_facets_ref (facets);
	selection->page = g_array_new (FALSE, FALSE, sizeof (gint64));
	for (guint f = 0; f < PX_FACET_N; f++)
		selection->counts[f] = g_new0 (guint, px_facets_size (facets, (PxFacet)f));
	px_facets_compile (facets, filters, &compiled);
	if (hits == NULL) {
		for (guint r = 0; r < facets->rows->len; r++)
			px_selection_consider (selection, facets, &compiled, r, 0, kept);
	} else {
		for (guint h = 0; h < hits->len; h++) {
			const PxHit *hit = &g_array_index (hits, PxHit, h);
			gint32 row = px_facets_row_index (facets, hit->id);
			if (row >= 0)
				px_selection_consider (selection, facets, &compiled, (guint)row,
						       hit->score, kept);
		}
		px_kept_sort_top (kept, offset + limit,
				  by_score ? px_kept_compare_score : px_kept_compare_row);
	}
	px_compiled_clear (&compiled);
	for (guint k = offset; k < kept->len && k < offset + limit; k++) {
		guint row = g_array_index (kept, PxKept, k).row;
		g_array_append_val (selection->page,
				    g_array_index (facets->rows, PxFacetRow, row).id);
	}
	return g_steal_pointer (&selection);
}

void
px_facets_selection_free (PxSelection *selection)
{
	if (selection == NULL)
		return;
	for (guint f = 0; f < PX_FACET_N; f++)
		g_free (selection->counts[f]);
	if (selection->page != NULL)
		g_array_unref (selection->page);
	px_facets_unref (selection->facets);
	g_free (selection);
}

static int
px_facet_count_compare (gconstpointer a, gconstpointer b)
{
	const PxFacetCount *left = a, *right = b;

	if (left->count != right->count)
		return left->count > right->count ? -1 : 1;
	return strcmp (left->value, right->value);
}

GArray *
px_facets_selection_get_counts (PxSelection *selection, PxFacet facet)
{
	PxFacets *facets = selection->facets;
	guint size = px_facets_size (facets, facet);
	int dict = px_facet_dict (facet);
	GArray *counts = g_array_new (FALSE, FALSE, sizeof (PxFacetCount));

	for (guint i = 1; i < size; i++) {
		PxFacetCount count = {NULL, selection->counts[facet][i]};

		if (count.count == 0)
			continue;
		if (facet == PX_FACET_YEAR)
			count.value = facets->year_names[i - 1];
		else if (facet == PX_FACET_FOCUS)
			count.value = px_focus_area_name (i - 1);
		else
			count.value = g_ptr_array_index (facets->dicts[dict].names, i);
		g_array_append_val (counts, count);
	}
	g_array_sort (counts, px_facet_count_compare);
	if (counts->len > PX_FACET_MAX_VALUES)
		g_array_set_size (counts, PX_FACET_MAX_VALUES);
	return counts;
}

void
px_facets_filters_clear (PxFilters *filters)
{
	for (guint f = 0; f < PX_FACET_N; f++)
		g_clear_pointer (&filters->values[f], g_ptr_array_unref);
}
