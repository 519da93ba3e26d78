/* focus.c: the list of focus areas, in the order facets show them. */
#define G_LOG_DOMAIN "PxFocus"

#include "focus.h"

static const char *const focus_area_names[PX_FOCUS_AREA_N] = {"interact", "participation",
							      "governance"};

const char *
px_focus_area_name (guint index)
{
	g_return_val_if_fail (index < PX_FOCUS_AREA_N, NULL);
	return focus_area_names[index];
}

gint
px_focus_area_index (const char *name)
{
	for (guint i = 0; i < PX_FOCUS_AREA_N; i++) {
		if (g_str_equal (name, focus_area_names[i]))
			return (gint)i;
	}
	return -1;
}
