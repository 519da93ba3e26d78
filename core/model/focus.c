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

char *
px_focus_area_list (const char *conjunction)
{
	g_autoptr (GString) list = g_string_new (focus_area_names[0]);

	for (guint i = 1; i < PX_FOCUS_AREA_N; i++) {
		if (conjunction != NULL && i == PX_FOCUS_AREA_N - 1)
			g_string_append_printf (list, " %s ", conjunction);
		else
			g_string_append (list, ", ");
		g_string_append (list, focus_area_names[i]);
	}
	return g_string_free (g_steal_pointer (&list), FALSE);
}
