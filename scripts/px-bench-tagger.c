/* px-bench-tagger.c: what one practice.tag call of a plugin costs, in-process, as the write path
 * makes it (the practice copied, the handler run in its sandbox on the copy, the additions
 * kept), with no database: the handler's share of what scripts/bench --plugins measures.
 * Usage: px-bench-tagger PLUGINS_DIR PRACTICES.jsonl [ROUNDS [NAME]] (NAME: focus-tagger).
 * Prints the practices, the mean µs a call and the labels added. */
#include <stdio.h>
#include <stdlib.h>

#include "lua/plugin.h"
#include "model/jsonl.h"

int
main (int argc, char **argv)
{
	PxPluginLimits limits = {
	    {PX_SANDBOX_MEMORY_DEFAULT, PX_SANDBOX_INSTRUCTIONS_DEFAULT,
	     PX_SANDBOX_TIMEOUT_DEFAULT},
	    {PX_SANDBOX_MEMORY_DEFAULT, 1000 * PX_SANDBOX_INSTRUCTIONS_DEFAULT, 600000},
	    1000000,
	};
	g_autoptr (GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr (GPtrArray) practices =
	    g_ptr_array_new_with_free_func ((GDestroyNotify)px_practice_free);
	g_autoptr (GError) error = NULL;
	g_autoptr (PxPlugin) plugin = NULL;
	g_autofree char *text = NULL;
	g_auto (GStrv) lines = NULL;
	const PxPluginHandler *handler = NULL;
	int rounds = argc > 3 ? atoi (argv[3]) : 3;
	const char *name = argc > 4 ? argv[4] : "focus-tagger";
	guint64 labels = 0;
	gint64 start;
	double elapsed;

	if (argc < 3 || rounds < 1) {
		g_printerr ("usage: px-bench-tagger PLUGINS_DIR PRACTICES.jsonl [ROUNDS [NAME]]\n");
		return 2;
	}
	plugin = px_plugin_load (name, argv[1], options, &limits, &error);
	if (plugin == NULL) {
		g_printerr ("px-bench-tagger: %s\n", error->message);
		return 1;
	}
	for (guint i = 0; i < px_plugin_get_handlers (plugin)->len && handler == NULL; i++) {
		const PxPluginHandler *candidate =
		    g_ptr_array_index (px_plugin_get_handlers (plugin), i);

		if (g_str_equal (candidate->event, PX_PLUGIN_EVENT_TAG))
			handler = candidate;
	}
	if (handler == NULL) {
		g_printerr ("px-bench-tagger: %s handles no practice.tag\n", name);
		return 1;
	}
	if (!g_file_get_contents (argv[2], &text, NULL, &error)) {
		g_printerr ("px-bench-tagger: %s\n", error->message);
		return 1;
	}
	lines = g_strsplit (text, "\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		g_autofree char *why = NULL;
		PxPractice *practice =
		    **line != '\0' ? px_jsonl_parse_practice (*line, strlen (*line), &why) : NULL;

		if (practice != NULL)
			g_ptr_array_add (practices, practice);
	}
	if (practices->len == 0) {
		g_printerr ("px-bench-tagger: no practices in %s\n", argv[2]);
		return 1;
	}
	start = g_get_monotonic_time ();
	for (int round = 0; round < rounds; round++) {
		for (guint i = 0; i < practices->len; i++) {
			g_autoptr (PxPractice) work =
			    px_practice_copy (g_ptr_array_index (practices, i));
			g_autoptr (PxPractice) additions = px_practice_new ();
			PxLuaPracticeView view = {work, additions, NULL, PX_PLUGIN_EVENT_TAG};
			PxLuaCall call = {0};
			g_autoptr (GError) call_error = NULL;

			if (!px_plugin_call_tag (plugin, handler, &call, &view, &call_error)) {
				g_printerr ("px-bench-tagger: %s\n", call_error->message);
				return 1;
			}
			labels += additions->themes->len + additions->focus_areas->len;
		}
	}
	elapsed = (double)(g_get_monotonic_time () - start);
	printf ("tag handler of %s: %u practices x %d, %.1f µs a call, %.1f labels added a "
		"practice\n",
		name, practices->len, rounds, elapsed / practices->len / rounds,
		(double)labels / practices->len / rounds);
	return 0;
}
