/* test-glossary.c: the glossary plugin's search.rewrite in a plain Lua state, with a px of
 * px.keywords and stubs for the rest: what each query becomes, what is left alone, and that
 * every rewrite is a query the query language takes (px_query_translate) within its limits. */
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "lua/lua-keywords.h"
#include "search/query.h"
#include "util/error.h"

/* loads plugins/glossary with a stub px; the handler is left in the global "rewrite" */
static const char loader[] =
    "local keywords, dir = ...\n"
    "local config = config or {extra_mentoring = 'mentorprogramm'}\n"
    "local px = {keywords = keywords, config = config, log = function() end,\n"
    "  option = function(key, spec)\n"
    "    local value = config[key] or spec.default\n"
    "    if spec.type ~= 'list' then return tonumber(value) or value end\n"
    "    local list = {}\n"
    "    for item in value:gmatch('[^;]+') do list[#list + 1] = item:match('^%s*(.-)%s*$') end\n"
    "    return list\n"
    "  end,\n"
    "  on = function(event, handler) assert(event == 'search.rewrite'); rewrite = handler end}\n"
    "local env = setmetatable({}, {__index = _G})\n"
    "env.require = function(name)\n"
    "  return assert(loadfile(dir .. '/' .. name .. '.lua', 't', env))()\n"
    "end\n"
    "assert(loadfile(dir .. '/init.lua', 't', env))(px)\n";

/* @config: (nullable): a Lua table constructor, the plugin's px.config */
static lua_State *
test_state_new_with (const char *config)
{
	lua_State *L = luaL_newstate ();
	g_autofree char *dir =
	    g_test_build_filename (G_TEST_DIST, "..", "..", "plugins", "glossary", NULL);

	luaL_openlibs (L);
	if (config != NULL) {
		g_autofree char *chunk = g_strdup_printf ("config = %s", config);
		g_assert_cmpint (luaL_dostring (L, chunk), ==, LUA_OK);
	}
	g_assert_cmpint (luaL_loadstring (L, loader), ==, LUA_OK);
	px_lua_keywords_open (L);
	lua_pushstring (L, dir);
	if (lua_pcall (L, 2, 0, 0) != LUA_OK)
		g_assert_cmpstr (lua_tostring (L, -1), ==, "");
	return L;
}

static lua_State *
test_state_new (void)
{
	return test_state_new_with (NULL);
}

static void
test_close (lua_State *L)
{
	lua_close (L);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (lua_State, test_close)

/* Returns: (transfer full) (nullable): what the plugin makes of @query, NULL: left alone */
static char *
test_rewrite (lua_State *L, const char *query)
{
	char *result = NULL;

	lua_getglobal (L, "rewrite");
	lua_pushstring (L, query);
	if (lua_pcall (L, 1, 1, 0) != LUA_OK)
		g_assert_cmpstr (lua_tostring (L, -1), ==, "");
	if (lua_isstring (L, -1))
		result = g_strdup (lua_tostring (L, -1));
	lua_pop (L, 1);
	return result;
}

typedef enum {
	TEST_ROOM,	/* one more term fits */
	TEST_FULL,	/* one more term is too many */
	TEST_UNCHECKED, /* (past the characters' limit) */
} TestRoom;

/* asserts that the query language takes @query, and whether one more term fits */
static void
test_assert_query (const char *query, TestRoom room)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (PxQuery) translated = px_query_translate (query, &error);
	g_autofree char *longer = g_strconcat (query, " more", NULL);
	g_autoptr (PxQuery) longer_translated = NULL;

	g_assert_no_error (error);
	g_assert_nonnull (translated);
	if (room == TEST_UNCHECKED)
		return;
	longer_translated = px_query_translate (longer, &error);
	if (room == TEST_FULL)
		g_assert_error (error, PX_ERROR, PX_ERROR_INVALID);
	else
		g_assert_no_error (error);
}

#define LANGUAGE_CAFE                                                                                 \
	"\"language café\" OR sprogcafé OR Sprachcafé OR \"café de idiomas\" OR taalcafé OR "    \
	"\"kawiarenka językowa\" OR \"valodu kafejnīca\" OR \"caffè linguistico\" OR \"café des " \
	"langues\" OR kielikahvila OR \"café de línguas\""

static void
test_glossary_rewrite_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	const struct {
		const char *query;
		const char *rewritten; /* NULL: left alone */
	} cases[] = {
	    {"språkcafé", "språkcafé OR " LANGUAGE_CAFE},
	    {"Språkcafé", "Språkcafé OR " LANGUAGE_CAFE},
	    /* the rest of the query is ANDed with the group: OR binds closer */
	    {"språkcafé riga", "språkcafé OR " LANGUAGE_CAFE " riga"},
	    {"riga, språkcafé!", "riga, språkcafé OR " LANGUAGE_CAFE "!"},
	    /* a phrase of the glossary is quoted, the form written kept and not repeated */
	    {"LANGUAGE CAFE in Riga",
	     "\"LANGUAGE CAFE\" OR språkcafé OR sprogcafé OR Sprachcafé OR \"café de idiomas\" OR "
	     "taalcafé OR \"kawiarenka językowa\" OR \"valodu kafejnīca\" OR \"caffè "
	     "linguistico\" OR \"café des langues\" OR kielikahvila OR \"café de línguas\" in "
	     "Riga"},
	    /* an inflected Polish form found, the others added */
	    {"kawiarenki językowe Lublin",
	     "\"kawiarenki językowe\" OR \"language café\" OR språkcafé OR sprogcafé OR Sprachcafé "
	     "OR \"café de idiomas\" OR taalcafé OR \"kawiarenka językowa\" OR \"valodu "
	     "kafejnīca\" OR \"caffè linguistico\" OR \"café des langues\" OR kielikahvila OR "
	     "\"café de "
	     "línguas\" Lublin"},
	    /* a Latvian prefix stays a prefix */
	    {"welcome guide",
	     "\"welcome guide\" OR \"newcomer guide\" OR välkomstguide OR velkomstguide OR "
	     "Wegweiser "
	     "OR \"guía de acogida\" OR welkomstgids OR \"przewodnik dla cudzoziemców\" OR ceļved* "
	     "OR \"guida di benvenuto\" OR \"guide d'accueil\" OR \"guia de acolhimento\""},
	    /* the admin's extra term */
	    {"mentorprogramm", NULL},
	    /* what the glossary cannot rewrite safely, or has nothing for */
	    {"\"språkcafé\" riga", NULL},
	    {"språkcafé OR riga", NULL},
	    {"riga NOT språkcafé", NULL},
	    {"riga -språkcafé", NULL},
	    {"-språkcafé riga", NULL},
	    {"språk* riga", NULL},
	    {"refugees in riga", NULL},
	    {"", NULL},
	    {"café", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *got = test_rewrite (L, cases[i].query);

		g_test_message ("%s -> %s", cases[i].query, got);
		if (g_str_equal (cases[i].query, "mentorprogramm")) {
			g_assert_nonnull (got);
			g_assert_nonnull (strstr (got, "mentorat"));
			continue;
		}
		g_assert_cmpstr (got, ==, cases[i].rewritten);
		if (got != NULL)
			test_assert_query (got, TEST_ROOM);
	}
}

/* several concepts, or a long query: alternatives dropped to stay within the query's limits */
static void
test_glossary_limits_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	g_autofree char *three = test_rewrite (L, "språkcafé mentoring läxhjälp värdfamilj riga");
	g_autoptr (GString) long_query = g_string_new (NULL);
	g_autofree char *rewritten_long = NULL;
	g_autoptr (GString) many = g_string_new (NULL);
	g_autofree char *rewritten_many = NULL;

	g_test_message ("%s", three);
	g_assert_nonnull (three);
	test_assert_query (three, TEST_FULL);
	g_assert_nonnull (strstr (three, "Sprachcafé"));
	g_assert_nonnull (strstr (three, "mentorat"));

	/* 950 characters in 21 words: room for a few alternatives only */
	for (guint i = 0; i < 20; i++)
		g_string_append (long_query, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs ");
	g_string_append (long_query, "språkcafé");
	rewritten_long = test_rewrite (L, long_query->str);
	g_assert_nonnull (rewritten_long);
	g_assert_cmpint (g_utf8_strlen (rewritten_long, -1), <=, PX_QUERY_MAX_CHARS);
	g_assert_cmpint (g_utf8_strlen (rewritten_long, -1), >, 960);
	test_assert_query (rewritten_long, TEST_UNCHECKED);

	/* 32 terms already: nothing to add */
	for (guint i = 0; i < 31; i++)
		g_string_append_printf (many, "word%u ", i);
	g_string_append (many, "språkcafé");
	rewritten_many = test_rewrite (L, many->str);
	g_assert_null (rewritten_many);
}

/* skip=ID;ID: those concepts are not expanded; an unknown one fails the load */
static void
test_glossary_skip_func (void)
{
	g_autoptr (lua_State) L = test_state_new_with ("{skip = 'volunteering; language-cafe', "
						       "max_alternatives = '3'}");
	g_autofree char *cafe = test_rewrite (L, "språkcafé");
	g_autofree char *mentoring = test_rewrite (L, "mentoring");
	lua_State *bad = luaL_newstate ();
	g_autofree char *dir =
	    g_test_build_filename (G_TEST_DIST, "..", "..", "plugins", "glossary", NULL);

	g_assert_null (cafe);
	g_assert_cmpstr (mentoring, ==, "mentoring OR mentorskap OR mentorordning OR mentoría");
	luaL_openlibs (bad);
	g_assert_cmpint (luaL_dostring (bad, "config = {skip = 'language-cafes'}"), ==, LUA_OK);
	g_assert_cmpint (luaL_loadstring (bad, loader), ==, LUA_OK);
	px_lua_keywords_open (bad);
	lua_pushstring (bad, dir);
	g_assert_cmpint (lua_pcall (bad, 2, 0, 0), !=, LUA_OK);
	g_assert_nonnull (strstr (lua_tostring (bad, -1), "\"language-cafes\" is no concept"));
	lua_close (bad);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/glossary/rewrite", test_glossary_rewrite_func);
	g_test_add_func ("/praxis/glossary/limits", test_glossary_limits_func);
	g_test_add_func ("/praxis/glossary/skip", test_glossary_skip_func);
	return g_test_run ();
}
