/* fuzz-pattern.c: libFuzzer target for the sandbox's pattern functions (core/lua/lua-pattern.c)
 * against Lua's own: a (pattern, subject, init) from the bytes through find, match, gmatch and
 * gsub in both must give the same results or the same error. A call that ran out of our budget
 * is not compared (Lua's would backtrack on and on: that is what the budget is for). */
#include <glib.h>
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "lua/lua-pattern.h"

/* bytes 0 and 1 choose init and the pattern's length; the rest is pattern, then subject */
#define PX_FUZZ_PATTERN_MAX 32
#define PX_FUZZ_SUBJECT_MAX 64

static const char driver[] =
    "local function ser(...)\n"
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
    "  for _ = 1, 200 do\n"
    "    local r = table.pack(it())\n"
    "    if r[1] == nil then break end\n"
    "    out[#out + 1] = ser(table.unpack(r, 1, r.n))\n"
    "  end\n"
    "  return table.concat(out, ';')\n"
    "end\n"
    "local t = setmetatable({}, {__index = function(_, k) return type(k) == 'string' and #k or nil "
    "end})\n"
    "local function f(...) local n = select('#', ...) if n % 2 == 0 then return nil end return n "
    "end\n"
    "return function(p, s, init)\n"
    "  return table.concat({\n"
    "    try(string.find, s, p, init), try(string.match, s, p, init), try(all, s, p, init),\n"
    "    try(string.gsub, s, p, '[%1%0]'), try(string.gsub, s, p, t, 3),\n"
    "    try(string.gsub, s, p, f),\n"
    "  }, '\\n')\n"
    "end\n";

static lua_State *
px_fuzz_state_new (gboolean ours)
{
	lua_State *L = luaL_newstate ();

	luaL_openlibs (L);
	if (ours) {
		px_lua_pattern_install (L);
	}
	if (luaL_dostring (L, driver) != LUA_OK)
		__builtin_trap ();
	return L; /* the driver's function on the stack, at 1 */
}

/* Returns: (transfer full): the driver's line for the input in @L */
static char *
px_fuzz_run (lua_State *L, const char *pattern, size_t pattern_length, const char *subject,
	     size_t subject_length, lua_Integer init)
{
	char *result;

	lua_pushvalue (L, 1);
	lua_pushlstring (L, pattern, pattern_length);
	lua_pushlstring (L, subject, subject_length);
	lua_pushinteger (L, init);
	if (lua_pcall (L, 3, 1, 0) != LUA_OK)
		__builtin_trap ();
	result = g_strdup (lua_tostring (L, -1));
	lua_settop (L, 1);
	return result;
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	static lua_State *lua = NULL; /* both states for the whole run */
	static lua_State *ours = NULL;
	const char *pattern = (const char *)data + 2;
	size_t pattern_length, subject_length;
	lua_Integer init;

	if (size < 2)
		return 0;
	init = (lua_Integer)(data[0] % 16) - 6;
	pattern_length = MIN ((size_t)data[1] % (PX_FUZZ_PATTERN_MAX + 1), size - 2);
	subject_length = MIN (size - 2 - pattern_length, PX_FUZZ_SUBJECT_MAX);
	if (lua == NULL) {
		lua = px_fuzz_state_new (FALSE);
		ours = px_fuzz_state_new (TRUE);
	}
	{
		g_autofree char *got = px_fuzz_run (ours, pattern, pattern_length,
						    pattern + pattern_length, subject_length, init);
		g_autofree char *expected = NULL;

		if (strstr (got, "pattern too costly") != NULL)
			return 0;
		expected = px_fuzz_run (lua, pattern, pattern_length, pattern + pattern_length,
					subject_length, init);
		if (strcmp (expected, got) != 0) {
			g_printerr ("Lua's:\n%s\nours:\n%s\n", expected, got);
			__builtin_trap ();
		}
	}
	lua_gc (lua, LUA_GCCOLLECT);
	lua_gc (ours, LUA_GCCOLLECT);
	return 0;
}
