/* test-lua-pattern.c: the sandbox's pattern functions (core/lua/lua-pattern.c) against Lua's own:
 * every row of the table through find, plain find, match, gmatch and gsub in a plain state and in
 * one with ours, the results and the error messages compared; then the budget: a backtracking
 * pattern stops with the error, a gsub over a megabyte still runs. */
#include <glib.h>
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "lua/lua-pattern.h"

typedef struct {
	const char *pattern; /* raw bytes */
	const char *subject;
	const char *init;	 /* Lua expressions, NULL for none */
	const char *replacement; /* NULL: '<%0>' */
	const char *max;
} PxTestCase;

static const PxTestCase cases[] = {
    {"o w", "hello world", NULL, NULL, NULL},
    {"l+", "hello world", NULL, NULL, NULL},
    {"l*", "hello", NULL, NULL, NULL},
    {"l-", "hello", NULL, NULL, NULL},
    {"l?", "hello", NULL, NULL, NULL},
    {"^h", "hello", NULL, NULL, NULL},
    {"^e", "hello", NULL, NULL, NULL},
    {"o$", "hello", NULL, NULL, NULL},
    {"l$", "hello", NULL, NULL, NULL},
    {"$", "hello", NULL, NULL, NULL},
    {"^", "hello", NULL, NULL, NULL},
    {"", "hello", NULL, NULL, NULL},
    {"", "", NULL, NULL, NULL},
    {".", "", NULL, NULL, NULL},
    {".-", "abc", NULL, NULL, NULL},
    {"a.-c", "abcabc", NULL, NULL, NULL},
    {"a.*c", "abcabc", NULL, NULL, NULL},
    {"%a+", "hello, world 42", NULL, NULL, NULL},
    {"%A+", "hello, world 42", NULL, NULL, NULL},
    {"%d+", "x = 123 + 45", NULL, NULL, NULL},
    {"%D+", "x = 123 + 45", NULL, NULL, NULL},
    {"%l+", "Hello WORLD", NULL, NULL, NULL},
    {"%u+", "Hello WORLD", NULL, NULL, NULL},
    {"%L+", "Hello WORLD", NULL, NULL, NULL},
    {"%U+", "Hello WORLD", NULL, NULL, NULL},
    {"%s+", "a \011\012 b", NULL, NULL, NULL},
    {"%S+", "a \011\012 b", NULL, NULL, NULL},
    {"%p+", "a.b,c!d", NULL, NULL, NULL},
    {"%P+", "a.b,c!d", NULL, NULL, NULL},
    {"%w+", "foo_bar99 baz", NULL, NULL, NULL},
    {"%W+", "foo_bar99 baz", NULL, NULL, NULL},
    {"%x+", "0xDEADbeefg", NULL, NULL, NULL},
    {"%X+", "0xDEADbeefg", NULL, NULL, NULL},
    {"%c", "a\001b\177", NULL, NULL, NULL},
    {"%C+", "a\001b\177", NULL, NULL, NULL},
    {"%g+", "  ab c  ", NULL, NULL, NULL},
    {"%G+", "  ab c  ", NULL, NULL, NULL},
    {"[aeiou]+", "education", NULL, NULL, NULL},
    {"[^aeiou]+", "education", NULL, NULL, NULL},
    {"[a-f]+", "xyzabcdefg", NULL, NULL, NULL},
    {"[%a_][%w_]*", "  _name1 = 2", NULL, NULL, NULL},
    {"[]]", "a]b", NULL, NULL, NULL},
    {"[^]]+", "ab]c", NULL, NULL, NULL},
    {"[a-]", "b-a", NULL, NULL, NULL},
    {"[-a]", "x-", NULL, NULL, NULL},
    {"[%]]", "x]", NULL, NULL, NULL},
    {"[%-]", "a-b", NULL, NULL, NULL},
    {"[", "abc", NULL, NULL, NULL},
    {"[a", "abc", NULL, NULL, NULL},
    {"[^", "abc", NULL, NULL, NULL},
    {"x[", "abc", NULL, NULL, NULL},
    {"a[", "abc", NULL, NULL, NULL},
    {"%", "abc", NULL, NULL, NULL},
    {"a%", "abc", NULL, NULL, NULL},
    {"%.", "a.b", NULL, NULL, NULL},
    {"%%", "100%", NULL, NULL, NULL},
    {"%z", "zz", NULL, NULL, NULL},
    {"%Z", "Zz", NULL, NULL, NULL},
    {"(h)(e)", "hello", NULL, NULL, NULL},
    {"(h)(e)(l)(l)(o)", "hello", NULL, NULL, NULL},
    {"()ll()", "hello", NULL, NULL, NULL},
    {"()", "hello", NULL, NULL, NULL},
    {"(a*(.)%w(%s*))", "aaab  ", NULL, NULL, NULL},
    {"(l)%1", "hello", NULL, NULL, NULL},
    {"(.)%1", "abccdd", NULL, NULL, NULL},
    {"%1", "aa", NULL, NULL, NULL},
    {"(a)%2", "aa", NULL, NULL, NULL},
    {"(a%1)", "aa", NULL, NULL, NULL},
    {"%0", "a", NULL, NULL, NULL},
    {"()%1", "aa", NULL, NULL, NULL},
    {"(", "abc", NULL, NULL, NULL},
    {")", "abc", NULL, NULL, NULL},
    {"(()", "abc", NULL, NULL, NULL},
    {"a)", "xa", NULL, NULL, NULL},
    {"%b()", "f(a(b)c)d", NULL, NULL, NULL},
    {"%b()", "f(a(b c", NULL, NULL, NULL},
    {"%b", "x", NULL, NULL, NULL},
    {"%bx", "x", NULL, NULL, NULL},
    {"%bxx", "axxb", NULL, NULL, NULL},
    {"%b{}", "{a}{b{c}}", NULL, NULL, NULL},
    {"%f[%w]%w+", "THE (quick) fox", NULL, NULL, NULL},
    {"%f[%W]", "hello world", NULL, NULL, NULL},
    {"%f[%a]", "", NULL, NULL, NULL},
    {"%f[%l]%l+", "Hello world", NULL, NULL, NULL},
    {"%f", "abc", NULL, NULL, NULL},
    {"%fa", "abc", NULL, NULL, NULL},
    {"%f[a", "abc", NULL, NULL, NULL},
    {"%f[%s]", "end", NULL, NULL, NULL},
    {"[\303][\200-\277]", "caf\303\251 \303\261and\303\272", NULL, NULL, NULL},
    {"[\200-\377]+", "\346\227\245\346\234\254\350\252\236 text", NULL, NULL, NULL},
    {"[^\200-\377]+", "\346\227\245\346\234\254\350\252\236 text", NULL, NULL, NULL},
    {"\303\251+", "\303\251\303\251\303\251a", NULL, NULL, NULL},
    {".", "\346\227\245\346\234\254", NULL, NULL, NULL},
    {"[\344-\351][\200-\277][\200-\277]", "\346\227\245\346\234\254\350\252\236", NULL, NULL, NULL},
    {"(%w+)=(%w+)", "a=1, b=2, c=3", NULL, NULL, NULL},
    {"[%w%s]+", "ab cd!ef", NULL, NULL, NULL},
    {"[%d-z]", "a-5z", NULL, NULL, NULL},
    {"[a-c-e]", "d-", NULL, NULL, NULL},
    {"[z-a]", "m", NULL, NULL, NULL},
    {"[^%d]+", "12ab34", NULL, NULL, NULL},
    {"%[(.-)%]", "[tag] text [x]", NULL, NULL, NULL},
    {"(%S+)%s*=%s*(%S+)", "key = value", NULL, NULL, NULL},
    {"^(%s*)(.-)(%s*)$", "  trim me  ", NULL, NULL, NULL},
    {"%f[%w]%w+%f[%W]", "one two three", NULL, NULL, NULL},
    {"[%a%-]+", "well-known fact", NULL, NULL, NULL},
    {"%.%.%.", "wait...", NULL, NULL, NULL},
    {"(h)(.)", "hah heh", NULL, NULL, NULL},
    {"%d%d?%d?", "1 22 333 4444", NULL, NULL, NULL},
    {"%a-%d", "abc1", NULL, NULL, NULL},
    {".-b", "aaab", NULL, NULL, NULL},
    {"(a+)(b+)", "aaabb", NULL, NULL, NULL},
    {"((a)(b))", "ab", NULL, NULL, NULL},
    {"(%d+)%.(%d+)", "v1.25", NULL, NULL, NULL},
    {"a-b", "aaab", NULL, NULL, NULL},
    {"a|b", "a|b", NULL, NULL, NULL},
    {"%w+", "", NULL, NULL, NULL},
    {"x?", "", NULL, NULL, NULL},
    {"%bab", "aabbab", NULL, NULL, NULL},
    {"[%", "x", NULL, NULL, NULL},
    {"[%a", "x", NULL, NULL, NULL},
    {"[]", "x", NULL, NULL, NULL},
    {"[^]", "x", NULL, NULL, NULL},
    {"%f[]", "x", NULL, NULL, NULL},
    {"%b()", "", NULL, NULL, NULL},
    {"(x)(y)(z)", "xyz", NULL, NULL, NULL},
    {"[+-]?%d+", "x=-12, y=+3, z=4", NULL, NULL, NULL},
    {"%-", "a-b", NULL, NULL, NULL},
    {"-", "a-b", NULL, NULL, NULL},
    {"*", "a*b", NULL, NULL, NULL},
    {"a**", "aa*", NULL, NULL, NULL},
    {"+a", "+a", NULL, NULL, NULL},
    {"?", "?", NULL, NULL, NULL},
    {".-$", "abc", NULL, NULL, NULL},
    {"^$", "", NULL, NULL, NULL},
    {"^$", "a", NULL, NULL, NULL},
    {"$$", "a$", NULL, NULL, NULL},
    {"a$b", "a$b", NULL, NULL, NULL},
    {"a*", "baaac", NULL, NULL, NULL},
    {"%s*", "a  b", NULL, NULL, NULL},
    {"x*", "xaxx", NULL, NULL, NULL},
    {"^a*", "^aab", NULL, NULL, NULL},
    {"^a", "aaa", NULL, NULL, NULL},
    {"[%s%p]+", "Hi, there! How's it?", NULL, NULL, NULL},
    {"(%a+)%s*(%d*)", "abc 12 de f3", NULL, NULL, NULL},
    {"%f[%S].-%f[%s]", "  two words ", NULL, NULL, NULL},
    {"^(%a+)", "lua rocks", NULL, NULL, NULL},
    {"(%a)(%a)%2%1", "xabbay", NULL, NULL, NULL},
    {"(.)(.)%1", "abab aba", NULL, NULL, NULL},
    {"%b\"\"", "say \"hi\" and \"bye\"", NULL, NULL, NULL},
    {"%f[%d]%d+", "a1 22 b333", NULL, NULL, NULL},
    {"[%.%+%*]+", "a.+*b", NULL, NULL, NULL},
    {"%?", "a?b", NULL, NULL, NULL},
    {"%w+", "hello world", NULL, "'%0 %0'", NULL},
    {"%w+", "hello world", NULL, "'%1'", NULL},
    {"%w+", "hello world", NULL, "'%2'", NULL},
    {"%w+", "x", NULL, "'%'", NULL},
    {"%w+", "x", NULL, "'%a'", NULL},
    {"%w+", "x", NULL, "'100%%'", NULL},
    {"(%w+)=(%w+)", "a=1, b=2", NULL, "'%2=%1'", NULL},
    {"(%w+)", "hello world", NULL, "{hello='HI', world=false}", NULL},
    {"%w+", "hello world", NULL, "{}", NULL},
    {"(%w+)", "hello world", NULL, "function(w) return w:upper() end", NULL},
    {"%w+", "hello world", NULL, "function() return nil end", NULL},
    {"%w+", "hello world", NULL, "function() return false end", NULL},
    {"%w+", "hello world", NULL, "function(w) return #w end", NULL},
    {"%w+", "hello world", NULL, "function() return {} end", NULL},
    {"%w+", "hello world", NULL, "{hello={}}", NULL},
    {"()(%w+)()", "ab cd", NULL, "function(a, w, b) return a .. w .. b end", NULL},
    {"()", "abc", NULL, "{[1]='X', [3]='Y'}", NULL},
    {"()", "ab", NULL, "'%1'", NULL},
    {"%w+", "a b c d", NULL, "'x'", "2"},
    {"%w+", "a b c d", NULL, "'x'", "0"},
    {"%w+", "a b c d", NULL, "'x'", "-1"},
    {"%w+", "a b c d", NULL, "'x'", "'2'"},
    {"%w+", "a b c d", NULL, "'x'", "1.5"},
    {"", "abc", NULL, "'-'", NULL},
    {"x*", "abc", NULL, "'-'", NULL},
    {"x*", "xaxx", NULL, "'-'", NULL},
    {"^", "abc", NULL, "'>'", NULL},
    {"$", "abc", NULL, "'<'", NULL},
    {"(", "ab", NULL, "'x'", NULL},
    {"(", "ab", NULL, "'%1'", NULL},
    {"(()", "ab", NULL, "{}", NULL},
    {"(x)", "xx", NULL, "'%9'", NULL},
    {"%d", "a1b2", NULL, "42", NULL},
    {"%d", "a1b2", NULL, "nil", NULL},
    {"%d", "a1b2", NULL, "true", NULL},
    {"(x)(y)(z)", "xyz", NULL, "'%3%2%1'", NULL},
    {"(%w+)", "hello", NULL, "'%1%1%%'", NULL},
    {"%s+", "  lead and  trail  ", NULL, "' '", NULL},
    {"%f[%w]%w", "one two", NULL, "string.upper", NULL},
    {"l", "hello", "4", NULL, NULL},
    {"l", "hello", "-2", NULL, NULL},
    {"l", "hello", "0", NULL, NULL},
    {"l", "hello", "-100", NULL, NULL},
    {"l", "hello", "10", NULL, NULL},
    {"", "hello", "6", NULL, NULL},
    {"", "hello", "7", NULL, NULL},
    {"$", "hello", "6", NULL, NULL},
    {"%a+", "ab cd ef", "3", NULL, NULL},
    {"%a+", "ab cd ef", "-2", NULL, NULL},
    {"l", "hello", "2.0", NULL, NULL},
    {"l", "hello", "2.5", NULL, NULL},
    {"l", "hello", "'3'", NULL, NULL},
    {"l", "hello", "'x'", NULL, NULL},
    {"a*", "baaac", "2", NULL, NULL},
    {"^a", "aab", "2", NULL, NULL},
    {"()", "h\303\251llo", "3", NULL, NULL},
};

/* rows whose pattern and subject are Lua expressions: embedded zeros, long repetitions */
static const char *const expression_cases[][2] = {
    {"utf8.charpattern", "'añ€😀\\0x'"},
    {"'a\\0b'", "'xa\\0by'"},
    {"'[\\0-\\31]+'", "'a\\0\\1\\2b'"},
    {"'%f[%c]'", "'ab\\1'"},
    {"'%b\\0\\1'", "'x\\0a\\0b\\1\\1'"},
    {"('()'):rep(32)", "'x'"},
    {"('()'):rep(33)", "'x'"},
    {"('a?'):rep(150)", "('a'):rep(150)"},
    {"('a?'):rep(250)", "('a'):rep(250)"},
    {"('(a)'):rep(32)", "('a'):rep(40)"},
    {"'(a)(b)'", "('ab'):rep(100)"},
    {"'x-x-x-y'", "('x'):rep(30)"},
    {"'%z+'", "'a\\0\\0b'"},
    {"'[%z]'", "'\\0'"},
    {"'%Z+'", "'a\\0b'"},
    {"'%s*$'", "('a '):rep(200)"},
    {"'[' .. ('a'):rep(100) .. ']+'", "('ab'):rep(10)"},
};

/* the same driver in both states: each call's results (or error) as one line */
static const char driver[] = "local function ser(...)\n"
			     "  local t = {}\n"
			     "  for i = 1, select('#', ...) do\n"
			     "    local v = select(i, ...)\n"
			     "    t[#t + 1] = type(v) .. ':' .. tostring(v)\n"
			     "  end\n"
			     "  return table.concat(t, ',')\n"
			     "end\n"
			     "local function try(f, ...) return ser(pcall(f, ...)) end\n"
			     "local function all(s, p, init)\n"
			     "  local out, it = {}, string.gmatch(s, p, init)\n"
			     "  for _ = 1, 1000 do\n"
			     "    local r = table.pack(it())\n"
			     "    if r[1] == nil then break end\n"
			     "    out[#out + 1] = ser(table.unpack(r, 1, r.n))\n"
			     "  end\n"
			     "  return table.concat(out, ';')\n"
			     "end\n"
			     "function run(p, s, init, repl, max)\n"
			     "  return table.concat({\n"
			     "    'find ' .. try(string.find, s, p, init),\n"
			     "    'plain ' .. try(string.find, s, p, init, true),\n"
			     "    'match ' .. try(string.match, s, p, init),\n"
			     "    'method ' .. try(function() return s:match(p, init) end),\n"
			     "    'gmatch ' .. try(all, s, p, init),\n"
			     "    'gsub ' .. try(string.gsub, s, p, repl, max),\n"
			     "  }, '\\n')\n"
			     "end\n";

static lua_State *
px_test_state_new (gboolean ours)
{
	lua_State *L = luaL_newstate ();

	luaL_openlibs (L);
	if (ours) {
		px_lua_pattern_install (L);
	}
	g_assert_cmpint (luaL_dostring (L, driver), ==, LUA_OK);
	return L;
}

/* pushes the value of the Lua expression @code, nil for NULL */
static void
px_test_push_expression (lua_State *L, const char *code)
{
	g_autofree char *chunk = NULL;

	if (code == NULL) {
		lua_pushnil (L);
		return;
	}
	chunk = g_strconcat ("return ", code, NULL);
	if (luaL_dostring (L, chunk) != LUA_OK)
		g_assert_cmpstr (lua_tostring (L, -1), ==, code);
}

/* Returns: (transfer full): run(...) in @L; the pattern and subject are on the stack */
static char *
px_test_run (lua_State *L, const char *init, const char *replacement, const char *max)
{
	char *result;

	lua_getglobal (L, "run");
	lua_pushvalue (L, -3);
	lua_pushvalue (L, -3);
	px_test_push_expression (L, init);
	px_test_push_expression (L, replacement != NULL ? replacement : "'<%0>'");
	px_test_push_expression (L, max);
	if (lua_pcall (L, 5, 1, 0) != LUA_OK)
		g_assert_cmpstr (lua_tostring (L, -1), ==, NULL);
	result = g_strdup (lua_tostring (L, -1));
	lua_pop (L, 3);
	return result;
}

static guint
px_test_compare (lua_State *lua, lua_State *ours, const char *what, const char *init,
		 const char *replacement, const char *max)
{
	g_autofree char *expected = px_test_run (lua, init, replacement, max);
	g_autofree char *got = px_test_run (ours, init, replacement, max);

	if (g_strcmp0 (expected, got) == 0)
		return 0;
	g_test_message ("%s:\nLua's:\n%s\nours:\n%s", what, expected, got);
	return 1;
}

static void
test_differential (void)
{
	lua_State *lua = px_test_state_new (FALSE);
	lua_State *ours = px_test_state_new (TRUE);
	guint failed = 0;
	guint errors = 0;

	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		const PxTestCase *c = &cases[i];
		g_autofree char *what =
		    g_strdup_printf ("row %" G_GSIZE_FORMAT " (%s)", i, c->pattern);

		lua_pushstring (lua, c->pattern);
		lua_pushstring (lua, c->subject);
		lua_pushstring (ours, c->pattern);
		lua_pushstring (ours, c->subject);
		failed += px_test_compare (lua, ours, what, c->init, c->replacement, c->max);
		/* the table must try the errors too */
		lua_pushstring (lua, c->pattern);
		lua_pushstring (lua, c->subject);
		{
			g_autofree char *result =
			    px_test_run (lua, c->init, c->replacement, c->max);

			errors += strstr (result, "boolean:false") != NULL;
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS (expression_cases); i++) {
		const char *pattern = expression_cases[i][0];

		px_test_push_expression (lua, pattern);
		px_test_push_expression (lua, expression_cases[i][1]);
		px_test_push_expression (ours, pattern);
		px_test_push_expression (ours, expression_cases[i][1]);
		failed += px_test_compare (lua, ours, pattern, NULL, NULL, NULL);
	}
	g_assert_cmpuint (G_N_ELEMENTS (cases) + G_N_ELEMENTS (expression_cases), >=, 150);
	g_assert_cmpuint (errors, >=, 30);
	g_assert_cmpuint (failed, ==, 0);
	lua_close (lua);
	lua_close (ours);
}

/* runs @code in @L; Returns: (transfer full): what it returned, tostring'ed */
static char *
px_test_eval (lua_State *L, const char *code)
{
	char *result;

	if (luaL_dostring (L, code) != LUA_OK)
		g_assert_cmpstr (lua_tostring (L, -1), ==, code);
	result = g_strdup (luaL_tolstring (L, -1, NULL));
	lua_settop (L, 0);
	return result;
}

/* backtracking without end in Lua's: each of find, match, gmatch's step and gsub stops */
static void
test_budget (void)
{
	static const char *const calls[] = {
	    "return select(2, pcall(string.find, ('a'):rep(5000), '.-.-.-b'))",
	    "return select(2, pcall(function() return ('a'):rep(5000):match('.-.-.-b') end))",
	    "return select(2, pcall(function() for _ in ('a'):rep(5000):gmatch('.-.-.-b') do end "
	    "end))",
	    "return select(2, pcall(string.gsub, ('a'):rep(5000), '(.-)(.-)(.-)b', 'x'))",
	    "return select(2, pcall(string.find, ('a'):rep(40), ('a*'):rep(20) .. 'b'))",
	};
	lua_State *L = px_test_state_new (TRUE);

	for (gsize i = 0; i < G_N_ELEMENTS (calls); i++) {
		gint64 start = g_get_monotonic_time ();
		g_autofree char *result = px_test_eval (L, calls[i]);
		g_autofree char *expected = g_strdup_printf (
		    "pattern too costly (%d steps): simplify the pattern or the text",
		    PX_LUA_PATTERN_BUDGET + PX_LUA_PATTERN_BUDGET_PER_BYTE * (i < 4 ? 5000 : 40));

		/* after the caller's position when a Lua function called */
		if (!g_str_has_suffix (result, expected))
			g_assert_cmpstr (result, ==, expected);
		/* 10 million steps are well under a second; ASan and a busy machine allowed for */
		g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
	}
	lua_close (L);
}

/* the budget is per call, and ordinary work on a megabyte fits in it */
static void
test_large (void)
{
	static const char code[] =
	    "local text = ('words \\t  other\\n\\n'):rep(65536)\n"
	    "local out, n = text:gsub('%s+', ' ')\n"
	    "local words = 0\n"
	    "for _ in text:gmatch('%a+') do words = words + 1 end\n"
	    "return #text .. ' ' .. #out .. ' ' .. n .. ' ' .. words .. ' ' ..\n"
	    "  tostring(out == ('words other '):rep(65536)) .. ' ' ..\n"
	    "  tostring(text:find('other\\n\\n$') ~= nil)\n";
	lua_State *lua = px_test_state_new (FALSE);
	lua_State *ours = px_test_state_new (TRUE);
	g_autofree char *expected = px_test_eval (lua, code);
	g_autofree char *got = px_test_eval (ours, code);

	g_assert_cmpstr (expected, ==, "1048576 786432 131072 131072 true true");
	g_assert_cmpstr (got, ==, expected);
	lua_close (lua);
	lua_close (ours);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/praxis/lua/pattern/differential", test_differential);
	g_test_add_func ("/praxis/lua/pattern/budget", test_budget);
	g_test_add_func ("/praxis/lua/pattern/large", test_large);
	return g_test_run ();
}
