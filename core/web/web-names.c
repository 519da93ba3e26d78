/* web-names.c: the names of the countries of the networks (Europe's, ISO 3166-1 alpha-2) and
 * of the languages practices are written in, English in the source and translated by the
 * catalogs; a code not in these tables is shown as it is. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "web-names.h"

typedef struct {
	const char *code;
	const char *name;
} PxWebName;

static const PxWebName px_web_names_countries[] = {
    {"AD", N_ ("Andorra")},	    {"AL", N_ ("Albania")},
    {"AT", N_ ("Austria")},	    {"BA", N_ ("Bosnia and Herzegovina")},
    {"BE", N_ ("Belgium")},	    {"BG", N_ ("Bulgaria")},
    {"BY", N_ ("Belarus")},	    {"CH", N_ ("Switzerland")},
    {"CY", N_ ("Cyprus")},	    {"CZ", N_ ("Czechia")},
    {"DE", N_ ("Germany")},	    {"DK", N_ ("Denmark")},
    {"EE", N_ ("Estonia")},	    {"ES", N_ ("Spain")},
    {"FI", N_ ("Finland")},	    {"FR", N_ ("France")},
    {"GB", N_ ("United Kingdom")},  {"GR", N_ ("Greece")},
    {"HR", N_ ("Croatia")},	    {"HU", N_ ("Hungary")},
    {"IE", N_ ("Ireland")},	    {"IS", N_ ("Iceland")},
    {"IT", N_ ("Italy")},	    {"LI", N_ ("Liechtenstein")},
    {"LT", N_ ("Lithuania")},	    {"LU", N_ ("Luxembourg")},
    {"LV", N_ ("Latvia")},	    {"MC", N_ ("Monaco")},
    {"MD", N_ ("Moldova")},	    {"ME", N_ ("Montenegro")},
    {"MK", N_ ("North Macedonia")}, {"MT", N_ ("Malta")},
    {"NL", N_ ("Netherlands")},	    {"NO", N_ ("Norway")},
    {"PL", N_ ("Poland")},	    {"PT", N_ ("Portugal")},
    {"RO", N_ ("Romania")},	    {"RS", N_ ("Serbia")},
    {"SE", N_ ("Sweden")},	    {"SI", N_ ("Slovenia")},
    {"SK", N_ ("Slovakia")},	    {"SM", N_ ("San Marino")},
    {"TR", N_ ("Türkiye")},	    {"UA", N_ ("Ukraine")},
    {"VA", N_ ("Vatican City")},
};

static const PxWebName px_web_names_languages[] = {
    {"ar", N_ ("Arabic")},
    {"bg", N_ ("Bulgarian")},
    {"ca", N_ ("Catalan")},
    {"cs", N_ ("Czech")},
    {"da", N_ ("Danish")},
    {"de", N_ ("German")},
    {"el", N_ ("Greek")},
    {"en", N_ ("English")},
    {"es", N_ ("Spanish")},
    {"et", N_ ("Estonian")},
    {"eu", N_ ("Basque")},
    {"fa", N_ ("Persian")},
    {"fi", N_ ("Finnish")},
    {"fr", N_ ("French")},
    {"ga", N_ ("Irish")},
    {"hr", N_ ("Croatian")},
    {"hu", N_ ("Hungarian")},
    {"is", N_ ("Icelandic")},
    {"it", N_ ("Italian")},
    {"lt", N_ ("Lithuanian")},
    {"lv", N_ ("Latvian")},
    {"mt", N_ ("Maltese")},
    {"nb", N_ ("Norwegian Bokmål")},
    {"nl", N_ ("Dutch")},
    {"nn", N_ ("Norwegian Nynorsk")},
    {"no", N_ ("Norwegian")},
    {"pl", N_ ("Polish")},
    {"pt", N_ ("Portuguese")},
    {"ro", N_ ("Romanian")},
    {"ru", N_ ("Russian")},
    {"sk", N_ ("Slovak")},
    {"sl", N_ ("Slovenian")},
    {"so", N_ ("Somali")},
    {"sq", N_ ("Albanian")},
    {"sr", N_ ("Serbian")},
    {"sv", N_ ("Swedish")},
    {"ti", N_ ("Tigrinya")},
    {"tr", N_ ("Turkish")},
    {"uk", N_ ("Ukrainian")},
};

static const char *
px_web_names_find (const PxWebName *names, gsize n, const char *code, gsize length)
{
	for (gsize i = 0; i < n; i++) {
		if (strlen (names[i].code) == length &&
		    g_ascii_strncasecmp (names[i].code, code, length) == 0)
			return names[i].name;
	}
	return NULL;
}

const char *
px_web_names_country (const PxWebRequest *request, const char *code)
{
	const char *name = px_web_names_find (
	    px_web_names_countries, G_N_ELEMENTS (px_web_names_countries), code, strlen (code));

	return name != NULL ? px_web_request_gettext (request, name) : code;
}

const char *
px_web_names_language (const PxWebRequest *request, const char *tag)
{
	/* a region or script does not change the language's name: "pt-BR" is Portuguese */
	const char *name =
	    px_web_names_find (px_web_names_languages, G_N_ELEMENTS (px_web_names_languages), tag,
			       strcspn (tag, "-_"));

	return name != NULL ? px_web_request_gettext (request, name) : tag;
}
