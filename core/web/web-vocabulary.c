/* web-vocabulary.c: the labels of the focus areas and of the known themes. The themes are
 * [web] themes, or else the labels of plugins/focus-tagger/rules.lua, the vocabulary the
 * network's practices are tagged with; the model takes any slug, and a theme without a label
 * here is shown by its slug. */
#define G_LOG_DOMAIN "PxWeb"

#include <string.h>

#include "model/focus.h"
#include "web-vocabulary.h"

typedef struct {
	const char *name;
	const char *label;
	const char *hint;
} PxWebVocabularyWord;

static const PxWebVocabularyWord focus_words[] = {
    {"interact", N_ ("Interaction"),
     N_ ("Contact between newcomers and residents: language, culture, sport, meeting places.")},
    {"participation", N_ ("Participation"),
     N_ ("Newcomers taking part in civic life, work, volunteering and decisions.")},
    {"governance", N_ ("Governance"),
     N_ ("Strategies, coordination, networks, policy, funding and data.")},
};

static const PxWebVocabularyWord theme_words[] = {
    {"language-learning", N_ ("Language learning"), NULL},
    {"employment", N_ ("Employment"), NULL},
    {"education", N_ ("Education"), NULL},
    {"health", N_ ("Health"), NULL},
    {"housing", N_ ("Housing"), NULL},
    {"orientation", N_ ("Civic orientation"), NULL},
    {"volunteering", N_ ("Volunteering"), NULL},
    {"sport-culture", N_ ("Sport and culture"), NULL},
    {"youth", N_ ("Children and young people"), NULL},
    {"unaccompanied-minors", N_ ("Unaccompanied minors"), NULL},
    {"gender", N_ ("Gender"), NULL},
    {"anti-discrimination", N_ ("Anti-discrimination"), NULL},
    {"rural", N_ ("Rural areas"), NULL},
};

static const char *const theme_slugs[] = {
    "language-learning",
    "employment",
    "education",
    "health",
    "housing",
    "orientation",
    "volunteering",
    "sport-culture",
    "youth",
    "unaccompanied-minors",
    "gender",
    "anti-discrimination",
    "rural",
    NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (focus_words) == PX_FOCUS_AREA_N);
G_STATIC_ASSERT (G_N_ELEMENTS (theme_slugs) == G_N_ELEMENTS (theme_words) + 1);

static const PxWebVocabularyWord *
px_web_vocabulary_find (const PxWebVocabularyWord *words, gsize n, const char *name)
{
	for (gsize i = 0; i < n; i++) {
		if (strcmp (words[i].name, name) == 0)
			return &words[i];
	}
	return NULL;
}

const char *const *
px_web_vocabulary_themes (const PxWebRequest *request)
{
	const PxConfig *config = request->web->config;

	return config->web_themes != NULL ? (const char *const *)config->web_themes : theme_slugs;
}

const char *
px_web_vocabulary_theme_label (const PxWebRequest *request, const char *slug)
{
	const PxWebVocabularyWord *word =
	    px_web_vocabulary_find (theme_words, G_N_ELEMENTS (theme_words), slug);

	return word != NULL ? px_web_request_gettext (request, word->label) : slug;
}

const char *
px_web_vocabulary_focus_label (const PxWebRequest *request, const char *name)
{
	const PxWebVocabularyWord *word =
	    px_web_vocabulary_find (focus_words, G_N_ELEMENTS (focus_words), name);

	return word != NULL ? px_web_request_gettext (request, word->label) : name;
}

const char *
px_web_vocabulary_focus_hint (const PxWebRequest *request, const char *name)
{
	const PxWebVocabularyWord *word =
	    px_web_vocabulary_find (focus_words, G_N_ELEMENTS (focus_words), name);

	return word != NULL ? px_web_request_gettext (request, word->hint) : NULL;
}

const char *
px_web_vocabulary_status_label (const PxWebRequest *request, PxStatus status)
{
	switch (status) {
	case PX_STATUS_PUBLISHED:
		return px_web_request_gettext (request, "Published");
	case PX_STATUS_REJECTED:
		return px_web_request_gettext (request, "Rejected");
	case PX_STATUS_PENDING:
	default:
		return px_web_request_gettext (request, "Waiting for moderation");
	}
}
