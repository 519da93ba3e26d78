/* facets.h: PxFacets, an in-memory snapshot of every practice's filterable values (country, city,
 * focus areas, themes, project, language, year, status), and the filtering, facet counting and
 * ordering of search hits over it. Read-only once built, shared by the search threads. */
#pragma once

#include <glib.h>

#include "query.h"
#include "store/records.h"
#include "store/store.h"

typedef enum {
	PX_FACET_COUNTRY,
	PX_FACET_CITY,
	PX_FACET_FOCUS,
	PX_FACET_THEME,
	PX_FACET_PROJECT,
	PX_FACET_LANGUAGE,
	PX_FACET_YEAR,
	PX_FACET_N,
} PxFacet;

/* the filters of one search: values OR within a facet, AND across facets */
typedef struct {
	GPtrArray *values[PX_FACET_N]; /* (element-type utf8): unused for PX_FACET_YEAR */
	gint year_from, year_to;       /* 0: open */
} PxFilters;

typedef struct _PxFacets PxFacets;

/* one search hit: the practice's id and its bm25 score (lower is better) */
typedef struct {
	gint64 id;
	double score;
} PxHit;

/* one value of a facet and the practices that have it */
typedef struct {
	const char *value; /* borrowed from the facet snapshot */
	guint count;
} PxFacetCount;

typedef struct {
	guint total;
	GArray *page; /* (element-type gint64): the ids of the requested page */
	guint *counts[PX_FACET_N];
	PxFacets *facets;
} PxSelection;

/* Returns: the parameter name of @facet ("country", "focus", ...) */
const char *px_facets_get_name (PxFacet facet);

PxFacets *px_facets_load (PxStore *store, GError **error);
PxFacets *px_facets_ref (PxFacets *facets);
void px_facets_unref (PxFacets *facets);
guint px_facets_count (PxFacets *facets, PxStatus status);
/* Returns: the languages of the published practices (query.h), only those of the language
 * filter's values when @filters (nullable) has some: what a search there need look in */
PxQueryLanguages px_facets_get_languages (PxFacets *facets, const PxFilters *filters);
/* Returns: TRUE if @id is a published practice in this snapshot */
gboolean px_facets_is_published (PxFacets *facets, gint64 id);

/**
 * px_facets_select:
 * @hits: (nullable): the full-text hits, or NULL to take every practice
 * @by_score: order by score (else newest first)
 *
 * Applies @filters to the published hits, counts each facet with every filter but its own, and
 * keeps the ids of the page [@offset, @offset + @limit).
 * Returns: (transfer full): the selection
 */
PxSelection *px_facets_select (PxFacets *facets, const PxFilters *filters, GArray *hits,
			       gboolean by_score, guint offset, guint limit);
void px_facets_selection_free (PxSelection *selection);
/**
 * px_facets_selection_get_counts:
 *
 * Returns: (transfer full) (element-type PxFacetCount): the values of @facet that the selection
 * counts, most frequent first (equal counts in the order of strcmp), at most 100; the values
 * live as long as the selection's facet snapshot
 */
GArray *px_facets_selection_get_counts (PxSelection *selection, PxFacet facet);

void px_facets_filters_clear (PxFilters *filters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxFacets, px_facets_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSelection, px_facets_selection_free)
