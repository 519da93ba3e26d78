/* metrics.c: Prometheus counters and histogram for the HTTP server. */
#define G_LOG_DOMAIN "PxMetrics"

#include "metrics.h"
#include "practice.h"

static const double bucket_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				       0.1,   0.25,   0.5,   1.0,  2.5,	  5.0};

struct _PxMetrics {
	GMutex lock;	      /* observed on the main context, rendered by a worker */
	GHashTable *requests; /* "route\x1fmethod\x1fstatus" -> count (guint64 boxed) */
	guint64 buckets[G_N_ELEMENTS (bucket_bounds)];
	guint64 count;
	double sum;
};

PxMetrics *
px_metrics_new (void)
{
	PxMetrics *metrics = g_new0 (PxMetrics, 1);

	g_mutex_init (&metrics->lock);
	metrics->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	return metrics;
}

void
px_metrics_free (PxMetrics *metrics)
{
	if (metrics == NULL)
		return;
	g_hash_table_unref (metrics->requests);
	g_mutex_clear (&metrics->lock);
	g_free (metrics);
}

void
px_metrics_observe (PxMetrics *metrics, const char *route, const char *method, guint status,
		    double seconds)
{
	g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%u", route, method, status);
	g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&metrics->lock);
	guint64 *count = g_hash_table_lookup (metrics->requests, key);

	if (count == NULL) {
		count = g_new0 (guint64, 1);
		g_hash_table_insert (metrics->requests, g_steal_pointer (&key), count);
	}
	(*count)++;
	for (guint i = 0; i < G_N_ELEMENTS (bucket_bounds); i++) {
		if (seconds <= bucket_bounds[i])
			metrics->buckets[i]++;
	}
	metrics->count++;
	metrics->sum += seconds;
}

char *
px_metrics_render (PxMetrics *metrics, const guint practices[3])
{
	g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&metrics->lock);
	GString *out = g_string_new (NULL);
	g_autoptr (GList) keys =
	    g_list_sort (g_hash_table_get_keys (metrics->requests), (GCompareFunc)g_strcmp0);
	char number[G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append (out, "# HELP praxis_http_requests_total HTTP requests answered.\n"
			      "# TYPE praxis_http_requests_total counter\n");
	for (GList *l = keys; l != NULL; l = l->next) {
		g_auto (GStrv) parts = g_strsplit (l->data, "\x1f", 3);
		guint64 *count = g_hash_table_lookup (metrics->requests, l->data);
		g_string_append_printf (out,
					"praxis_http_requests_total{route=\"%s\",method=\"%s\","
					"status=\"%s\"} %" G_GUINT64_FORMAT "\n",
					parts[0], parts[1], parts[2], *count);
	}
	g_string_append (out, "# HELP praxis_http_request_duration_seconds Time to answer.\n"
			      "# TYPE praxis_http_request_duration_seconds histogram\n");
	for (guint i = 0; i < G_N_ELEMENTS (bucket_bounds); i++)
		g_string_append_printf (
		    out,
		    "praxis_http_request_duration_seconds_bucket{le=\"%s\"} "
		    "%" G_GUINT64_FORMAT "\n",
		    g_ascii_formatd (number, sizeof number, "%g", bucket_bounds[i]),
		    metrics->buckets[i]);
	g_string_append_printf (
	    out,
	    "praxis_http_request_duration_seconds_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT
	    "\npraxis_http_request_duration_seconds_sum %s\n"
	    "praxis_http_request_duration_seconds_count %" G_GUINT64_FORMAT "\n",
	    metrics->count, g_ascii_dtostr (number, sizeof number, metrics->sum), metrics->count);
	g_string_append (out, "# HELP praxis_practices Practices stored, by status.\n"
			      "# TYPE praxis_practices gauge\n");
	for (guint s = 0; s < 3; s++)
		g_string_append_printf (out, "praxis_practices{status=\"%s\"} %u\n",
					px_status_to_string ((PxStatus)s), practices[s]);
	return g_string_free (out, FALSE);
}
