/* test-lua-keywords.c: px.keywords in a plain Lua state: terms compiled once and matched as the
 * index folds words (case, diacritics, ø æ ß ł), phrases and prefixes, each label once, counts,
 * spans for a rewrite, the compile errors, the folding of one character against px_words_fold,
 * and the speed the import's budget asks. */
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "lua/lua-keywords.h"
#include "text/words.h"

/* the rules of most tests: a small tagger */
static const char rules[] =
    "px_keywords = ...\n"
    "matcher = px_keywords.compile({\n"
    "  {label = 'language-learning', terms = {'language café', 'språkcafé', 'sprach*',\n"
    "    'kawiarenka językowa', 'valod*', 'learn* the language'}},\n"
    "  {label = 'employment', terms = {'job coaching', 'jobcoach*', 'Arbeitsmarkt*', 'praca',\n"
    "    'pracy', 'employment'}},\n"
    "  {label = 'health', terms = {'health', 'sundhed', 'gesundheit*', 'ŁÓDŹ health'}},\n"
    "  {label = 'greek', terms = {'γλώσσα', 'μαθήματα'}},\n"
    "  {label = 'employment', terms = {'work placement*'}},\n"
    "})\n";

static lua_State *
test_state_new (void)
{
	lua_State *L = luaL_newstate ();

	luaL_openlibs (L);
	g_assert_cmpint (luaL_loadstring (L, rules), ==, LUA_OK);
	g_assert_cmpint (px_lua_keywords_open (L), ==, 1);
	if (lua_pcall (L, 1, 0, 0) != LUA_OK)
		g_assert_cmpstr (lua_tostring (L, -1), ==, "");
	return L;
}

/* Returns: (transfer full): what @chunk returns (a string) in @L, or its error */
static char *
test_run (lua_State *L, const char *chunk)
{
	char *result;

	if (luaL_dostring (L, chunk) != LUA_OK) {
		result = g_strdup_printf ("error: %s", lua_tostring (L, -1));
		lua_pop (L, 1);
		return result;
	}
	result = g_strdup (lua_tostring (L, -1));
	lua_settop (L, 0);
	return result;
}

static void
test_close (lua_State *L)
{
	lua_close (L);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (lua_State, test_close)

/* each text and the labels matcher:match() gives, joined by ',' */
static void
test_lua_keywords_match_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	const struct {
		const char *text;
		const char *labels;
	} cases[] = {
	    {"A LANGUAGE CAFÉ in Riga", "language-learning"},
	    {"a language cafe, in Riga", "language-learning"},
	    {"language\n\ncafé", "language-learning"},
	    {"Language-Café", "language-learning"},
	    {"the language of the café", ""},
	    {"Sprakcafe och läxhjälp", "language-learning"},
	    {"Sprachkurse und Sprachcafés", "language-learning"},
	    {"sprach", "language-learning"},
	    {"versprachen", ""},
	    {"Latviešu VALODAS kursi", "language-learning"},
	    {"kawiarenki językowe", ""},
	    {"Kawiarenka Językowa w Lublinie", "language-learning"},
	    {"kawiarenka jezykowa", "language-learning"},
	    {"newcomers learning the language", "language-learning"},
	    {"learn the", ""},
	    {"Job-coaching: health and Gesundheitslotsen", "employment,health"},
	    {"jobcoaches", "employment"},
	    {"the job", ""},
	    {"Arbeitsmarktintegration, praca i pracy", "employment"},
	    {"sundhed", "health"},
	    {"SUNDHED", "health"},
	    {"lodz health", "health"},
	    {"Łódź Health", "health"},
	    {"healthy", ""},
	    {"ΓΛΏΣΣΑ και ΜΑΘΉΜΑΤΑ", "greek"},
	    {"η γλώσσα", "greek"},
	    {"work placements, health, language café", "language-learning,employment,health"},
	    {"", ""},
	    {"   ", ""},
	    {"invalid \xff\xfe utf-8 health", "health"},
	    {"health\xcc\x81", "health"},
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *got = NULL;

		lua_pushstring (L, cases[i].text);
		lua_setglobal (L, "text");
		got = test_run (L, "return table.concat(matcher:match(text), ',')");
		g_test_message ("%s -> %s", cases[i].text, got);
		g_assert_cmpstr (got, ==, cases[i].labels);
	}
}

/* counts: the words where a label's terms start, each word once per label */
static void
test_lua_keywords_count_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	g_autofree char *got = test_run (
	    L, "local c = matcher:count('Sprachcafé, sprachkurs and a language café; health')\n"
	       "return string.format('%d %d %s', c['language-learning'], c.health,\n"
	       "  tostring(c.employment))");

	g_assert_cmpstr (got, ==, "3 1 nil");
	g_clear_pointer (&got, g_free);
	/* "language café" and "language*" at the same word count once */
	got =
	    test_run (L, "local m = px_keywords.compile({{label = 'l', terms = {'language café',\n"
			 "  'langu*', 'language'}}})\n"
			 "return tostring(m:count('language café language').l)");
	g_assert_cmpstr (got, ==, "2");
	g_clear_pointer (&got, g_free);
	/* the first bytes weigh more: a title */
	got = test_run (L, "local text = 'Health first\\nhealth, sundhed and a language café'\n"
			   "local c = matcher:count(text, #'Health first\\n', 3)\n"
			   "local d = matcher:count(text, 1)\n"
			   "return string.format('%d %d %d %d', c.health, c['language-learning'],\n"
			   "  d.health, d['language-learning'])");
	g_assert_cmpstr (got, ==, "5 1 4 1");
	g_clear_pointer (&got, g_free);
	got = test_run (L, "return matcher:count('x', -1)");
	g_assert_nonnull (strstr (got, "bad argument #2 to 'count' (must not be negative)"));
}

/* find: the longest terms left to right, none overlapping, with their bytes in the text */
static void
test_lua_keywords_find_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	g_autofree char *got =
	    test_run (L, "local text = 'Ett Språkcafé i Riga: work placements -- Łódź health!'\n"
			 "local out = {}\n"
			 "for _, hit in ipairs(matcher:find(text)) do\n"
			 "  out[#out + 1] = hit.label .. '=' .. text:sub(hit.first, hit.last)\n"
			 "end\n"
			 "return table.concat(out, '|')");

	g_assert_cmpstr (
	    got, ==, "language-learning=Språkcafé|employment=work placements|health=Łódź health");
}

/* fold: the words as the matcher (and the index) reads them */
static void
test_lua_keywords_fold_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	g_autofree char *got =
	    test_run (L, "return px_keywords.fold(' Språkcafé, Straße; ŁÓDŹ  Ærø--Σοφός ')");

	g_assert_cmpstr (got, ==, "sprakcafe strasse lodz aero σοφοσ");
}

/* one character folded as px_words_fold folds a word of it, over the scripts of the seed
 * networks' languages */
static void
test_lua_keywords_fold_unichar_func (void)
{
	const gunichar ranges[][2] = {
	    {0x41, 0x7a}, {0xc0, 0x24f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x1e00, 0x1eff}};

	for (guint r = 0; r < G_N_ELEMENTS (ranges); r++) {
		for (gunichar ch = ranges[r][0]; ch <= ranges[r][1]; ch++) {
			char utf8[8] = "";
			char out[PX_WORDS_FOLD_UNICHAR_MAX + 1];
			g_autofree char *expected = NULL;

			if (!px_words_is_word_char (ch) || ch == 0x3a3)
				continue;
			utf8[g_unichar_to_utf8 (ch, utf8)] = '\0';
			expected = px_words_fold (utf8);
			px_words_fold_unichar (ch, out);
			if (g_strcmp0 (out, expected) != 0)
				g_test_message ("U+%04X %s: %s, px_words_fold %s", ch, utf8, out,
						expected);
			g_assert_cmpstr (out, ==, expected);
		}
	}
}

/* what compile refuses, with the rule and term named */
static void
test_lua_keywords_errors_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	const struct {
		const char *rules;
		const char *error;
	} cases[] = {
	    {"nil", "bad argument #1 to 'compile' (table expected, got nil)"},
	    {"{'x'}", "rule 1 is not a table"},
	    {"{{terms = {'a'}}}", "rule 1 needs a label"},
	    {"{{label = '', terms = {'a'}}}", "rule 1 needs a label"},
	    {"{{label = 'a'}}", "rule 1 needs terms"},
	    {"{{label = 'a', terms = {'ok', 3}}}", "rule 1, term 2 is not a string"},
	    {"{{label = 'a', terms = {'ok'}}, {label = 'b', terms = {' -- '}}}",
	     "rule 2, term 1 has no words"},
	    {"{{label = 'a', terms = {'ab*'}}}", "rule 1, term 1: a prefix needs at least 3"},
	    {"{{label = 'a', terms = {string.rep('w ', 17)}}}", "more than 16 words"},
	    {"{{label = 'a', terms = {string.rep('w', 1001)}}}", "at most 1000 bytes"},
	    {"{{label = string.rep('l', 101), terms = {'a'}}}", "rule 1 needs a label"},
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *chunk =
		    g_strdup_printf ("return px_keywords.compile(%s)", cases[i].rules);
		g_autofree char *got = test_run (L, chunk);

		g_test_message ("%s -> %s", cases[i].rules, got);
		g_assert_nonnull (strstr (got, cases[i].error));
	}
	/* a matcher is used as one */
	g_autofree char *got = test_run (L, "return matcher.match('x', 'y')");
	g_assert_nonnull (strstr (got, "px.keywords.matcher expected"));
	g_clear_pointer (&got, g_free);
	got = test_run (L, "return tostring(matcher)");
	g_assert_cmpstr (got, ==, "px.keywords.matcher (4 labels, 19 terms)");
	g_clear_pointer (&got, g_free);
	got = test_run (L, "return tostring(getmetatable(matcher))");
	g_assert_cmpstr (got, ==, "px.keywords.matcher");
}

/* a tagger's rules (1,000 terms, a third of them prefixes) over a practice of 300 words: well
 * under the 100 µs per practice that the import's 5,000 practices/s leave */
static void
test_lua_keywords_speed_func (void)
{
	g_autoptr (lua_State) L = test_state_new ();
	g_autofree char *got = test_run (
	    L, "local rules = {}\n"
	       "for l = 1, 20 do\n"
	       "  local terms = {}\n"
	       "  for t = 1, 50 do\n"
	       "    local word = 'wörd' .. l .. 'x' .. t\n"
	       "    terms[#terms + 1] = t % 3 == 0 and word .. '*' or\n"
	       "      (t % 3 == 1 and word or word .. ' föllows')\n"
	       "  end\n"
	       "  rules[#rules + 1] = {label = 'label' .. l, terms = terms}\n"
	       "end\n"
	       "local m = px_keywords.compile(rules)\n"
	       "local words = {}\n"
	       "for i = 1, 300 do\n"
	       "  words[i] = i % 50 == 0 and 'wörd3x7 föllows' or\n"
	       "    ({'integration', 'Språkcafé', 'newcomers', 'Łódź', 'the'})[i % 5 + 1]\n"
	       "end\n"
	       "local text = table.concat(words, ' ')\n"
	       "local labels = m:match(text)\n"
	       "assert(#labels == 1 and labels[1] == 'label3', table.concat(labels, ','))\n"
	       "local n = 2000\n"
	       "local start = os.clock()\n"
	       "for _ = 1, n do m:match(text) end\n"
	       "return string.format('%.1f', (os.clock() - start) / n * 1e6)");
	double microseconds = g_ascii_strtod (got, NULL);

	g_test_message ("%s µs per practice of 300 words", got);
	g_assert_cmpfloat (microseconds, >, 0);
	/* sanitizers and a loaded machine are slow: the bound is loose, the message exact */
	g_assert_cmpfloat (microseconds, <, 1000);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/lua-keywords/match", test_lua_keywords_match_func);
	g_test_add_func ("/praxis/lua-keywords/count", test_lua_keywords_count_func);
	g_test_add_func ("/praxis/lua-keywords/find", test_lua_keywords_find_func);
	g_test_add_func ("/praxis/lua-keywords/fold", test_lua_keywords_fold_func);
	g_test_add_func ("/praxis/lua-keywords/fold-unichar", test_lua_keywords_fold_unichar_func);
	g_test_add_func ("/praxis/lua-keywords/errors", test_lua_keywords_errors_func);
	g_test_add_func ("/praxis/lua-keywords/speed", test_lua_keywords_speed_func);
	return g_test_run ();
}
