/* timestamp.c: the one text form of a point in time Praxis stores and exchanges: fixed-width
 * UTC ISO 8601 with microseconds, which sorts as a string. */
#define G_LOG_DOMAIN "PxTimestamp"

#include "timestamp.h"

char *
px_timestamp_now (void)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

	return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

char *
px_timestamp_normalize (const char *text)
{
	g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr (GDateTime) parsed = g_date_time_new_from_iso8601 (text, utc);
	g_autoptr (GDateTime) in_utc = NULL;

	if (parsed == NULL)
		return NULL;
	in_utc = g_date_time_to_utc (parsed);
	return g_date_time_format (in_utc, "%Y-%m-%dT%H:%M:%S.%fZ");
}
