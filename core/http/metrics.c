/* metrics.c: Prometheus counters and histogram for the HTTP server. Label values come from
 * fixed sets (route templates, known methods, statuses), so clients cannot grow the series,
 * and every value is escaped as the text format requires. */
#define G_LOG_DOMAIN "PxMetrics"

#include "metrics.h"

static const double bucket_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				       0.1,   0.25,   0.5,   1.0,  2.5,	  5.0};

/* the methods counted by name; any other is counted as "other" */
static const char *const known_methods[] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
};

typedef struct {
	char *route;
	const char *method; /* one of known_methods, or "other" */
	guint status;
	guint64 count;
} PxMetricsSeries;

struct _PxMetrics {
	GMutex lock;	      /* observed on the main context, rendered by a worker */
	GHashTable *requests; /* "route method status" -> PxMetricsSeries */
	guint64 buckets[G_N_ELEMENTS (bucket_bounds)];
	guint64 count;
	double sum;
};

static void
px_metrics_series_free (PxMetricsSeries *series)
{
	g_free (series->route);
	g_free (series);
}

PxMetrics *
px_metrics_new (void)
{
	PxMetrics *metrics = g_new0 (PxMetrics, 1);

	g_mutex_init (&metrics->lock);
	metrics->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						   (GDestroyNotify)px_metrics_series_free);
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

const char *
px_metrics_method_label (const char *method)
{
	for (guint i = 0; method != NULL && i < G_N_ELEMENTS (known_methods); i++) {
		if (g_str_equal (method, known_methods[i]))
			return known_methods[i];
	}
	return "other";
}

void
px_metrics_append_label_value (GString *out, const char *value)
{
	g_autofree char *valid = g_utf8_make_valid (value, -1);

	for (const char *c = valid; *c != '\0'; c++) {
		if (*c == '\\')
			g_string_append (out, "\\\\");
		else if (*c == '"')
			g_string_append (out, "\\\"");
		else if (*c == '\n')
			g_string_append (out, "\\n");
		else
			g_string_append_c (out, *c);
	}
}

void
px_metrics_observe (PxMetrics *metrics, const char *route, const char *method, guint status,
		    double seconds)
{
	const char *method_label = px_metrics_method_label (method);
	/* statuses come from Praxis and libsoup, but keep a stray one from making new series */
	guint status_label = status >= 100 && status <= 599 ? status : 0;
	g_autofree char *key = g_strdup_printf ("%s %s %u", route, method_label, status_label);
	g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&metrics->lock);
	PxMetricsSeries *series = g_hash_table_lookup (metrics->requests, key);

	if (series == NULL) {
		series = g_new0 (PxMetricsSeries, 1);
		series->route = g_strdup (route);
		series->method = method_label;
		series->status = status_label;
		g_hash_table_insert (metrics->requests, g_steal_pointer (&key), series);
	}
	series->count++;
	for (guint i = 0; i < G_N_ELEMENTS (bucket_bounds); i++) {
		if (seconds <= bucket_bounds[i])
			metrics->buckets[i]++;
	}
	metrics->count++;
	metrics->sum += seconds;
}

char *
px_metrics_render (PxMetrics *metrics)
{
	g_autoptr (GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&metrics->lock);
	GString *out = g_string_new (NULL);
	g_autoptr (GList) keys =
	    g_list_sort (g_hash_table_get_keys (metrics->requests), (GCompareFunc)g_strcmp0);
	char number[G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append (out, "# HELP praxis_http_requests_total HTTP requests answered.\n"
			      "# TYPE praxis_http_requests_total counter\n");
	for (GList *l = keys; l != NULL; l = l->next) {
		const PxMetricsSeries *series = g_hash_table_lookup (metrics->requests, l->data);

		g_string_append (out, "praxis_http_requests_total{route=\"");
		px_metrics_append_label_value (out, series->route);
		g_string_append (out, "\",method=\"");
		px_metrics_append_label_value (out, series->method);
		if (series->status != 0)
			g_string_append_printf (out, "\",status=\"%u", series->status);
		else
			g_string_append (out, "\",status=\"other");
		g_string_append_printf (out, "\"} %" G_GUINT64_FORMAT "\n", series->count);
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
	return g_string_free (out, FALSE);
}
