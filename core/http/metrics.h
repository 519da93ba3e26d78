/* metrics.h: PxMetrics, request counters and a latency histogram in Prometheus text format.
 * Thread-safe: observed on the main context, rendered by workers. */
#pragma once

#include <glib.h>

typedef struct _PxMetrics PxMetrics;

PxMetrics *px_metrics_new (void);
void px_metrics_free (PxMetrics *metrics);
/**
 * px_metrics_observe:
 * @route: a template such as "/api/practices/{id}", never text from the request
 * @method: (nullable): the request's method as sent; unknown ones are counted as "other"
 *
 * Counts one answered request.
 */
void px_metrics_observe (PxMetrics *metrics, const char *route, const char *method, guint status,
			 double seconds);
/* the label for @method: itself if it is a known method, else "other" (static) */
const char *px_metrics_method_label (const char *method);
/* appends @value escaped for a Prometheus label: backslash, double quote and newline */
void px_metrics_append_label_value (GString *out, const char *value);
/**
 * px_metrics_render:
 *
 * Renders the request counters and the latency histogram; a resource may append its own
 * metrics after them.
 *
 * Returns: (transfer full): the exposition text
 */
char *px_metrics_render (PxMetrics *metrics);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxMetrics, px_metrics_free)
