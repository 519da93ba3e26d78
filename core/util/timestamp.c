/* timestamp.c: the one text form of a point in time Praxis stores and exchanges: fixed-width
 * UTC ISO 8601 with microseconds, which sorts as a string. */
#define G_LOG_DOMAIN "PxTimestamp"

#include <string.h>

#include "timestamp.h"

/* GLib's %Y does not pad years before 1000 */
char *
px_timestamp_format (GDateTime *moment)
{
	g_autoptr (GDateTime) utc = g_date_time_to_utc (moment);

	if (utc == NULL)
		return NULL; /* past year 9999 or before year 1 in UTC */
	return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", g_date_time_get_year (utc),
				g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
				g_date_time_get_hour (utc), g_date_time_get_minute (utc),
				g_date_time_get_second (utc), g_date_time_get_microsecond (utc));
}

char *
px_timestamp_now (void)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

	return px_timestamp_format (now);
}

char *
px_timestamp_from_date_time (GDateTime *moment)
{
	return px_timestamp_format (moment);
}

char *
px_timestamp_normalize (const char *text)
{
	g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr (GDateTime) parsed = g_date_time_new_from_iso8601 (text, utc);

	if (parsed == NULL)
		return NULL;
	return px_timestamp_format (parsed);
}

/* Returns: the zone at @text in seconds east of UTC, or G_MININT when it is not one */
static gint
px_timestamp_rfc822_zone (const char *text)
{
	static const struct {
		const char *name;
		gint hours;
	} names[] = {
	    {"UT", 0},	 {"UTC", 0},  {"GMT", 0},  {"Z", 0},	{"EST", -5}, {"EDT", -4},
	    {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
	};
	gint sign = text[0] == '-' ? -1 : 1;

	if (text[0] == '\0')
		return 0;
	if (text[0] == '+' || text[0] == '-') {
		/* +HHMM, or +HH:MM as some feeds write it */
		const char *given = text + 1;
		char d[5] = {0};
		gint hours, minutes;

		if (strlen (given) == 5 && given[2] == ':')
			memcpy (d, (char[]){given[0], given[1], given[3], given[4]}, 4);
		else if (strlen (given) == 4)
			memcpy (d, given, 4);
		if (strspn (d, "0123456789") != 4)
			return G_MININT;
		hours = (d[0] - '0') * 10 + (d[1] - '0');
		minutes = (d[2] - '0') * 10 + (d[3] - '0');
		if (hours > 23 || minutes > 59)
			return G_MININT;
		return sign * (hours * 3600 + minutes * 60);
	}
	for (guint i = 0; i < G_N_ELEMENTS (names); i++)
		if (g_ascii_strcasecmp (text, names[i].name) == 0)
			return names[i].hours * 3600;
	/* the military letters: RFC 5322 says to read them as +0000 */
	if (g_ascii_isalpha (text[0]) && text[1] == '\0' && g_ascii_toupper (text[0]) != 'J')
		return 0;
	return G_MININT;
}

/* "H:MM", "HH:MM" or "HH:MM:SS" */
static gboolean
px_timestamp_rfc822_time (const char *text, gint *hour, gint *minute, gint *second)
{
	const char *at = text;
	gint parts[3] = {0, 0, 0};
	guint n = 0;

	while (n < 3) {
		const char *start = at;
		/* three digits are enough to refuse a part: more would overflow */
		while (g_ascii_isdigit (*at) && at - start < 3)
			parts[n] = parts[n] * 10 + (*at++ - '0');
		if (at - start < (n == 0 ? 1 : 2) || at - start > 2)
			return FALSE;
		n++;
		if (*at == '\0')
			break;
		if (*at++ != ':')
			return FALSE;
	}
	if (n < 2 || *at != '\0')
		return FALSE;
	*hour = parts[0];
	*minute = parts[1];
	*second = parts[2];
	return TRUE;
}

char *
px_timestamp_from_rfc822 (const char *text)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	g_auto (GStrv) words = NULL;
	g_autoptr (GTimeZone) zone = NULL;
	g_autoptr (GDateTime) parsed = NULL;
	guint at = 0, n_words;
	gint day, month = 0, year, hour, minute, second = 0, offset;
	char *end;

	if (text == NULL)
		return NULL;
	words = g_strsplit_set (text, " \t\r\n,", -1);
	/* the words without the empty ones between runs of spaces */
	n_words = 0;
	for (guint i = 0; words[i] != NULL; i++) {
		if (words[i][0] == '\0') {
			g_free (words[i]);
			continue;
		}
		words[n_words++] = words[i];
	}
	words[n_words] = NULL;
	/* the weekday ("Tue," or "Tuesday,"), not checked against the date */
	if (n_words > 0 && g_ascii_isalpha (words[0][0]))
		at++;
	if (n_words - at < 4)
		return NULL;
	day = (gint)g_ascii_strtoll (words[at], &end, 10);
	if (end == words[at] || *end != '\0' || day < 1 || day > 31)
		return NULL;
	at++;
	if (strlen (words[at]) < 3)
		return NULL;
	for (guint i = 0; i < 12; i++)
		if (g_ascii_strncasecmp (words[at], months + 3 * i, 3) == 0)
			month = (gint)i + 1;
	if (month == 0)
		return NULL;
	at++;
	year = (gint)g_ascii_strtoll (words[at], &end, 10);
	if (end == words[at] || *end != '\0' || !g_ascii_isdigit (words[at][0]))
		return NULL;
	if (end - words[at] == 2)
		year += year < 50 ? 2000 : 1900;
	else if (end - words[at] == 3)
		year += 1900;
	else if (end - words[at] != 4)
		return NULL;
	at++;
	if (!px_timestamp_rfc822_time (words[at], &hour, &minute, &second))
		return NULL;
	at++;
	offset = px_timestamp_rfc822_zone (at < n_words ? words[at] : "");
	/* after the zone, only a comment: "+0000 (UTC)" */
	if (offset == G_MININT || (at + 1 < n_words && words[at + 1][0] != '('))
		return NULL;
	zone = g_time_zone_new_offset (offset);
	parsed = g_date_time_new (zone, year, month, day, hour, minute, second);
	if (parsed == NULL)
		return NULL;
	return px_timestamp_format (parsed);
}
