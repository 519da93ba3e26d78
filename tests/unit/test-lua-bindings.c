/* test-lua-bindings.c: the px API's parsers as a plugin sees them (px.csv, px.feed, px.json,
 * px.hmac), each opened
 * into a plain Lua state's global px table and run from Lua snippets that assert their results, bad
 * input and misuse included. */
#include <glib.h>
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "lua/lua-csv.h"
#include "lua/lua-feed.h"
#include "lua/lua-hmac.h"
#include "lua/lua-json.h"

typedef struct {
	lua_State *L;
} PxLuaFixture;

static void
px_lua_fixture_set_up (PxLuaFixture *fixture, gconstpointer data)
{
	fixture->L = luaL_newstate ();
	luaL_openlibs (fixture->L);
	lua_newtable (fixture->L);
	px_lua_csv_open (fixture->L);
	lua_setfield (fixture->L, -2, "csv");
	px_lua_feed_open (fixture->L);
	lua_setfield (fixture->L, -2, "feed");
	px_lua_json_open (fixture->L);
	lua_setfield (fixture->L, -2, "json");
	px_lua_hmac_open (fixture->L);
	lua_setfield (fixture->L, -2, "hmac");
	lua_setglobal (fixture->L, "px");
}

static void
px_lua_fixture_tear_down (PxLuaFixture *fixture, gconstpointer data)
{
	lua_close (fixture->L);
}

/* runs @code and asserts that it ran without error */
static void
px_test_lua_run (lua_State *L, const char *code)
{
	int rc = luaL_dostring (L, code);

	if (rc != LUA_OK)
		g_test_message ("%s", code);
	g_assert_cmpstr (rc == LUA_OK ? NULL : lua_tostring (L, -1), ==, NULL);
	lua_settop (L, 0);
}

/* runs @code and asserts that it raised an error whose message holds @message */
static void
px_test_lua_fails (lua_State *L, const char *code, const char *message)
{
	const char *got;

	g_assert_cmpint (luaL_dostring (L, code), !=, LUA_OK);
	got = lua_tostring (L, -1);
	g_test_message ("%s -> %s", code, got);
	g_assert_nonnull (strstr (got, message));
	lua_settop (L, 0);
}

/* sets the global @name to the contents of tests/data/@dir/@file */
static void
px_test_lua_set_file (lua_State *L, const char *name, const char *dir, const char *file)
{
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", dir, file, NULL);
	g_autoptr (GError) error = NULL;
	g_autofree char *text = NULL;
	gsize length = 0;

	g_file_get_contents (path, &text, &length, &error);
	g_assert_no_error (error);
	lua_pushlstring (L, text, length);
	lua_setglobal (L, name);
}

static void
test_lua_csv_header_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_set_file (fixture->L, "text", "csv", "practices.csv");
	px_test_lua_run (fixture->L,
			 "local lines, titles = {}, {}\n"
			 "for line, row, err in px.csv.rows(text) do\n"
			 "  assert(err == nil, err)\n"
			 "  lines[#lines + 1] = line\n"
			 "  titles[#titles + 1] = row.title\n"
			 "  assert(row.uid and row.url and row[1] == nil)\n"
			 "end\n"
			 "assert(table.concat(lines, ',') == '2,3,6,7', table.concat(lines, ','))\n"
			 "assert(titles[2] == 'Mentoring \"Buddy\" programme')\n"
			 "assert(titles[4] == 'Kawiarenka językowa')\n");
	/* header = false: lists, the header row among them */
	px_test_lua_run (fixture->L,
			 "local rows = {}\n"
			 "for line, row in px.csv.rows(text, {header = false}) do\n"
			 "  rows[#rows + 1] = row\n"
			 "end\n"
			 "assert(#rows == 5 and rows[1][2] == 'title' and #rows[1] == 8)\n"
			 "assert(rows[3][3] == 'Pairs a newcomer with a local mentor.\\n"
			 "Runs for six months, meets twice a month.')\n"
			 "assert(rows[5][8] == '')\n");
	px_test_lua_set_file (fixture->L, "semi", "csv", "semicolon.csv");
	px_test_lua_run (fixture->L,
			 "local got = {}\n"
			 "for line, row in px.csv.rows(semi, {separator = ';'}) do\n"
			 "  got[#got + 1] = line .. '=' .. row.uid .. '/' .. row.title\n"
			 "end\n"
			 "assert(table.concat(got, ' ') == "
			 "'2=elaine-01/Café de idiomas 3=elaine-02/Job coaching; first steps',"
			 " table.concat(got, ' '))\n");
	px_test_lua_set_file (fixture->L, "tabs", "csv", "tabs.tsv");
	px_test_lua_run (fixture->L, "local n = 0\n"
				     "for line, row in px.csv.rows(tabs, {separator = '\\t'}) do\n"
				     "  n = n + 1\n"
				     "  assert(row.country == 'LV')\n"
				     "end\n"
				     "assert(n == 2)\n");
}

/* every bad row with its line and reason, the good ones between them */
static void
test_lua_csv_bad_rows_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_set_file (fixture->L, "text", "csv", "bad-rows.csv");
	px_test_lua_run (
	    fixture->L,
	    "local got = {}\n"
	    "for line, row, err in px.csv.rows(text) do\n"
	    "  if row then\n"
	    "    assert(err == nil)\n"
	    "    got[#got + 1] = line .. ' ok ' .. row.uid\n"
	    "  else\n"
	    "    got[#got + 1] = line .. ' ' .. err\n"
	    "  end\n"
	    "end\n"
	    "local want = {\n"
	    "  '2 ok ok-1',\n"
	    "  '3 a quote inside the unquoted column 2',\n"
	    "  '4 text after the closing quote of column 2',\n"
	    "  '5 ok ok-4',\n"
	    "  '7 invalid UTF-8 in column 2',\n"
	    "  '8 a NUL byte in column 2',\n"
	    "  '9 the row has 4 fields, the header 3',\n"
	    "  '10 the row has 2 fields, the header 3',\n"
	    "  '12 ok ok-9',\n"
	    "  '13 the quoted column 2 is not closed',\n"
	    "}\n"
	    "assert(#got == #want, table.concat(got, '\\n'))\n"
	    "for i = 1, #want do assert(got[i] == want[i], got[i] .. ' ~= ' .. want[i]) end\n");
}

static void
test_lua_csv_header_faults_func (PxLuaFixture *fixture, gconstpointer data)
{
	/* a name twice: one error, then the end */
	px_test_lua_run (
	    fixture->L, "local got = {}\n"
			"for line, row, err in px.csv.rows('a,b,a\\n1,2,3\\n') do\n"
			"  got[#got + 1] = {line, row, err}\n"
			"end\n"
			"assert(#got == 1 and got[1][1] == 1 and got[1][2] == nil)\n"
			"assert(got[1][3] == 'the header row: column 3 repeats the name \"a\"')\n");
	/* a bad header row */
	px_test_lua_run (fixture->L,
			 "local got = {}\n"
			 "for line, row, err in px.csv.rows('\\n\\na\"b,c\\n1,2\\n') do\n"
			 "  got[#got + 1] = line .. ' ' .. tostring(err)\n"
			 "end\n"
			 "assert(#got == 1 and got[1] == "
			 "'3 the header row: a quote inside the unquoted column 1', got[1])\n");
	/* a column without a name is left out; a header alone gives no rows */
	px_test_lua_run (fixture->L, "local n = 0\n"
				     "for line, row in px.csv.rows('a,,c\\n1,2,3\\n') do\n"
				     "  n = n + 1\n"
				     "  assert(row.a == '1' and row.c == '3' and row[''] == nil)\n"
				     "  assert(next(row, next(row, next(row))) == nil)\n"
				     "end\n"
				     "assert(n == 1)\n"
				     "for line in px.csv.rows('a,b\\n') do error('a row') end\n"
				     "for line in px.csv.rows('') do error('a row') end\n");
	/* leaving the loop early closes the reader; the iterator then ends */
	px_test_lua_run (fixture->L, "local f, s, c, closing = px.csv.rows('a\\n1\\n2\\n')\n"
				     "assert(select(1, f()) == 2)\n"
				     "for line in f, s, c, closing do break end\n"
				     "assert(f() == nil)\n");
}

static void
test_lua_csv_misuse_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_fails (fixture->L, "px.csv.rows()", "bad argument #1 to 'rows'");
	px_test_lua_fails (fixture->L, "px.csv.rows({})", "bad argument #1 to 'rows'");
	px_test_lua_fails (fixture->L, "px.csv.rows('a', 5)", "bad argument #2 to 'rows'");
	px_test_lua_fails (fixture->L, "px.csv.rows('a', {separator = '|'})",
			   "px.csv.rows: the separator is");
	px_test_lua_fails (fixture->L, "px.csv.rows('a', {separator = ',,'})",
			   "px.csv.rows: the separator is");
	px_test_lua_fails (fixture->L, "px.csv.rows('a', {header = 'yes'})",
			   "px.csv.rows: header is true or false");
	px_test_lua_fails (fixture->L, "px.csv.rows('a', {sep = ';'})",
			   "px.csv.rows: the options are separator and header");
	px_test_lua_fails (fixture->L, "px.csv.rows('a', {';'})",
			   "px.csv.rows: the options are separator and header");
	/* the reader's metatable is not the plugin's to take */
	px_test_lua_run (fixture->L, "local _, _, _, closing = px.csv.rows('a')\n"
				     "assert(getmetatable(closing) == false)\n");
}

static void
test_lua_feed_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_set_file (fixture->L, "atom", "feeds", "atom.xml");
	px_test_lua_set_file (fixture->L, "rss", "feeds", "rss2.xml");
	px_test_lua_run (
	    fixture->L,
	    "local feed = assert(px.feed.parse(atom))\n"
	    "assert(feed.format == 'atom' and feed.language == 'sv')\n"
	    "assert(feed.title == 'Malmö stad – integration')\n"
	    "assert(feed.link == 'https://malmo.example.se/nyheter/index.html')\n"
	    "assert(#feed.entries == 3)\n"
	    "local e = feed.entries[1]\n"
	    "assert(e.id == 'tag:malmo.example.se,2024:sprakcafe')\n"
	    "assert(e.published == '2024-03-01T07:00:00.000000Z')\n"
	    "assert(e.updated == '2024-03-04T17:45:30.250000Z')\n"
	    "assert(e.author == 'Anna Lind, Omar Haddad')\n"
	    "assert(e.summary:find('^Varje tisdag träffas'))\n"
	    "assert(#e.categories == 2 and e.categories[2] == 'volunteering')\n"
	    "local last = feed.entries[3]\n"
	    "assert(last.link == nil and last.updated == nil and #last.categories == 0)\n"
	    "assert(feed.entries[2].language == 'en')\n");
	/* relative links against the URL given */
	px_test_lua_run (fixture->L,
			 "local feed = assert(px.feed.parse("
			 "'<rss><channel><item><link>a/b</link></item></channel></rss>', "
			 "'https://city.example/news/rss'))\n"
			 "assert(feed.format == 'rss2' and feed.title == nil)\n"
			 "assert(feed.entries[1].link == 'https://city.example/news/a/b')\n"
			 "assert(feed.entries[1].id == 'https://city.example/news/a/b')\n");
	px_test_lua_run (fixture->L,
			 "local feed = assert(px.feed.parse(rss))\n"
			 "assert(#feed.entries == 4 and feed.language == 'en-gb')\n"
			 "assert(feed.entries[1].summary == 'Free English classes (ESOL) for "
			 "adults. Sign up at any library branch. Childcare available.')\n"
			 "assert(feed.entries[4].id == nil)\n");
}

static void
test_lua_feed_refused_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_set_file (fixture->L, "broken", "feeds", "malformed.xml");
	px_test_lua_set_file (fixture->L, "xxe", "feeds", "xxe.xml");
	px_test_lua_set_file (fixture->L, "lol", "feeds", "billion-laughs.xml");
	px_test_lua_run (fixture->L,
			 "local feed, err = px.feed.parse(broken)\n"
			 "assert(feed == nil and err:find('^malformed XML: .* %(line 5%)$'), err)\n"
			 "feed, err = px.feed.parse(xxe)\n"
			 "assert(feed == nil and err == 'the feed declares the entity \"xxe\" "
			 "(line 3): entities are refused', err)\n"
			 "feed, err = px.feed.parse(lol)\n"
			 "assert(feed == nil and err:find('\"lol\"'), err)\n"
			 "feed, err = px.feed.parse('<html/>')\n"
			 "assert(feed == nil and err:find('not an RSS or Atom feed'), err)\n"
			 "feed, err = px.feed.parse('')\n"
			 "assert(feed == nil and err:find('malformed XML'), err)\n");
	px_test_lua_fails (fixture->L, "px.feed.parse()", "bad argument #1 to 'parse'");
	px_test_lua_fails (fixture->L, "px.feed.parse({})", "bad argument #1 to 'parse'");
	px_test_lua_fails (fixture->L, "px.feed.parse('<rss/>', {})", "bad argument #2 to 'parse'");
	px_test_lua_fails (fixture->L, "px.feed.parse('<rss/>', 'http://a\\0b')",
			   "bad argument #2 to 'parse'");
}

static void
test_lua_json_encode_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_run (
	    fixture->L,
	    "local e = px.json.encode\n"
	    "local function is(got, want) assert(got == want, tostring(got) .. ' ~= ' .. want) "
	    "end\n"
	    "is(e(nil), 'null')\n"
	    "is(e(px.json.null), 'null')\n"
	    "is(e(true), 'true')\n"
	    "is(e(42), '42')\n"
	    "is(e(math.mininteger), '-9223372036854775808')\n"
	    "is(e(-0.5), '-0.5')\n"
	    "is(e(0.1), '0.1')\n"
	    "is(e(1/3), '0.3333333333333333')\n"
	    "is(e(1e300), '1e+300')\n"
	    "is(e(3.0), '3')\n"
	    "is(e('a\"b\\\\\\n\\1\\127språk'), [[\"a\\\"b\\\\\\n\\u0001]] .. '\\127språk\"')\n"
	    "is(e({}), '{}')\n"
	    "is(e(px.json.array()), '[]')\n"
	    "is(e(px.json.array({})), '[]')\n"
	    "is(e({1, 2, 3}), '[1,2,3]')\n"
	    "is(e({b = 1, a = {true, false}, c = px.json.null, ['d e'] = 'x'}), "
	    "'{\"a\":[true,false],\"b\":1,\"c\":null,\"d e\":\"x\"}')\n"
	    "local shared = {1}\n"
	    "is(e({shared, shared}), '[[1],[1]]')\n"
	    "local deep = {}\n"
	    "for i = 1, 31 do deep = {deep} end\n"
	    "assert(#e(deep) == 64)\n");
	px_test_lua_fails (fixture->L, "local t = {} t.t = t px.json.encode(t)",
			   "px.json.encode: a table contains itself");
	px_test_lua_fails (fixture->L, "px.json.encode({{0/0}})",
			   "px.json.encode: NaN is not a JSON number");
	px_test_lua_fails (fixture->L, "px.json.encode(-math.huge)", "an infinity");
	px_test_lua_fails (fixture->L, "px.json.encode({1, 2, [4] = 4})",
			   "keys must be all strings (an object) or 1..n (an array)");
	px_test_lua_fails (fixture->L, "px.json.encode({1, x = 2})", "keys must be all strings");
	px_test_lua_fails (fixture->L, "px.json.encode({[true] = 1})", "keys must be all strings");
	px_test_lua_fails (fixture->L, "px.json.encode({[1.5] = 1})", "keys must be all strings");
	px_test_lua_fails (fixture->L, "px.json.encode({f = print})",
			   "px.json.encode: a function has no JSON form");
	px_test_lua_fails (fixture->L, "px.json.encode(io.stdout)", "a userdata has no JSON form");
	px_test_lua_fails (fixture->L,
			   "local d = {} for i = 1, 32 do d = {d} end px.json.encode(d)",
			   "px.json.encode: tables nest deeper than 32");
	px_test_lua_fails (fixture->L, "px.json.encode('\\xff')", "a string is not UTF-8 text");
	px_test_lua_fails (fixture->L, "px.json.encode('a\\0b')", "a string is not UTF-8 text");
	px_test_lua_fails (fixture->L, "px.json.encode({['\\xff'] = 1})", "a key is not UTF-8");
	px_test_lua_fails (fixture->L, "px.json.encode(px.json.array({x = 1}))",
			   "marked by px.json.array has keys other than 1..n");
	px_test_lua_fails (fixture->L, "px.json.array(setmetatable({}, {}))",
			   "bad argument #1 to 'array'");
	px_test_lua_fails (fixture->L, "px.json.array(1)", "bad argument #1 to 'array'");
	px_test_lua_fails (fixture->L, "px.json.encode()", "bad argument #1 to 'encode'");
}

static void
test_lua_json_decode_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_run (
	    fixture->L,
	    "local d, e = px.json.decode, px.json.encode\n"
	    "local v = assert(d('{\"a\":[1,2.5,\"x\",true,null,{}],\"b\":{},\"c\":[]}'))\n"
	    "assert(#v.a == 6 and math.type(v.a[1]) == 'integer' and v.a[2] == 2.5)\n"
	    "assert(v.a[3] == 'x' and v.a[4] == true and v.a[5] == px.json.null)\n"
	    "assert(next(v.a[6]) == nil and next(v.b) == nil and #v.c == 0)\n"
	    "assert(getmetatable(v.c) == false and getmetatable(v.b) == nil)\n"
	    "assert(e(v) == '{\"a\":[1,2.5,\"x\",true,null,{}],\"b\":{},\"c\":[]}', e(v))\n"
	    "assert(d('\"språk\\\\u00e9\"') == 'språké')\n"
	    "assert(d(' 12 ') == 12 and d('-1.5e3') == -1500.0 and d('false') == false)\n"
	    "assert(d('null') == px.json.null)\n"
	    "local deep = string.rep('[', 32) .. string.rep(']', 32)\n"
	    "assert(d(deep))\n"
	    "assert(d(e(d(deep))))\n");
	px_test_lua_run (
	    fixture->L,
	    "local function refused(text, why)\n"
	    "  local v, err = px.json.decode(text)\n"
	    "  assert(v == nil and type(err) == 'string', text)\n"
	    "  assert(err:find(why, 1, true), text .. ': ' .. err)\n"
	    "end\n"
	    "refused('{\"a\":1,}', 'malformed JSON at byte')\n"
	    "refused(\"{'a':1}\", 'malformed JSON at byte 1')\n"
	    "refused('{\"a\":1} {}', 'more after')\n"
	    "refused('{\"a\":1,\"a\":2}', 'appears twice')\n"
	    "refused('[/* c */1]', 'malformed JSON')\n"
	    "refused('[NaN]', 'malformed JSON')\n"
	    "refused('\"\\\\u0000\"', 'NUL')\n"
	    "refused('[\"\\\\ud800\"]', 'surrogate')\n"
	    "refused('\\xff', 'UTF-8')\n"
	    "refused('', 'value is due')\n"
	    "refused('[1, 12345678901234567890]', 'at byte 4: a number is out of range')\n"
	    "refused('{\"a\":-9223372036854775809}', 'at byte 5: a number is out of range')\n"
	    "refused('[1e400]', 'out of range')\n"
	    "assert(px.json.decode('[-9223372036854775808, 1e300, \"1e400 \\\\\" "
	    "99999999999999999999\"]'))\n"
	    "refused(string.rep('[', 33) .. string.rep(']', 33), 'nests deeper than 32')\n");
	px_test_lua_fails (fixture->L, "px.json.decode()", "bad argument #1 to 'decode'");
	px_test_lua_fails (fixture->L, "px.json.decode({})", "bad argument #1 to 'decode'");
}

/* RFC 4231's test cases 1 and 2, and the empty key and message */
static void
test_lua_hmac_func (PxLuaFixture *fixture, gconstpointer data)
{
	px_test_lua_run (
	    fixture->L,
	    "local h = px.hmac.sha256\n"
	    "assert(h(string.rep('\\x0b', 20), 'Hi There') == "
	    "'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7')\n"
	    "assert(h('Jefe', 'what do ya want for nothing?') == "
	    "'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')\n"
	    "assert(h('', '') == "
	    "'b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad')\n"
	    "local body = px.json.encode({event = 'practice.published', id = 'm1'})\n"
	    "assert(#h('secret', body) == 64 and h('secret', body) == h('secret', body))\n"
	    "assert(h('secret', body) ~= h('secret2', body))\n");
	px_test_lua_fails (fixture->L, "px.hmac.sha256('k')", "bad argument #2 to 'sha256'");
	px_test_lua_fails (fixture->L, "px.hmac.sha256({}, 'm')", "bad argument #1 to 'sha256'");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/praxis/lua-bindings/csv-header", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_csv_header_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/csv-bad-rows", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_csv_bad_rows_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/csv-header-faults", PxLuaFixture, NULL,
		    px_lua_fixture_set_up, test_lua_csv_header_faults_func,
		    px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/csv-misuse", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_csv_misuse_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/feed", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_feed_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/feed-refused", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_feed_refused_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/json-encode", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_json_encode_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/json-decode", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_json_decode_func, px_lua_fixture_tear_down);
	g_test_add ("/praxis/lua-bindings/hmac", PxLuaFixture, NULL, px_lua_fixture_set_up,
		    test_lua_hmac_func, px_lua_fixture_tear_down);
	return g_test_run ();
}
