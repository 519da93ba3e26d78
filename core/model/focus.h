/* focus.h: the focus areas of the network's integration work: interact, participation and
 * governance. The one list of them; validation, facets and search filters read it here. */
#pragma once

#include <glib.h>

#define PX_FOCUS_AREA_N 3

/* Returns: (transfer none): the name of focus area @index (0 .. PX_FOCUS_AREA_N - 1) */
const char *px_focus_area_name (guint index);
/* Returns: the index of @name (lower case), or -1 if it is no focus area */
gint px_focus_area_index (const char *name);
/* Returns: (transfer full): the names for a message: "interact, participation or governance"
 * with @conjunction "or", or every one after a comma when @conjunction is NULL */
char *px_focus_area_list (const char *conjunction);
