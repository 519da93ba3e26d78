/* metrics.h: PxMetrics, request counters and a latency histogram in Prometheus text format.
 * Thread-safe: observed on the main context, rendered by workers. */
#pragma once

#include <glib.h>

typedef struct _PxMetrics PxMetrics;

PxMetrics *px_metrics_new (void);
void px_metrics_free (PxMetrics *metrics);
/* counts one answered request; @route is a template such as "/api/practices/{id}" */
void px_metrics_observe (PxMetrics *metrics, const char *route, const char *method, guint status,
			 double seconds);
/**
 * px_metrics_render:
 * @practices: counts of practices by status: pending, published, rejected
 *
 * Returns: (transfer full): the exposition text
 */
char *px_metrics_render (PxMetrics *metrics, const guint practices[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxMetrics, px_metrics_free)
