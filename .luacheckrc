-- luacheck settings for Praxis plugins (plugins/, tests/data/plugins/): the globals of the
-- sandbox each plugin runs in (core/lua/sandbox.c) and the px handle (docs/plugins.md).
-- A plugin gets px as `local px = ...`; its helper modules get it the same way.
std = "praxis"
max_line_length = 100

local function fields(names)
  local t = {}
  for _, name in ipairs(names) do t[name] = {} end
  return {fields = t}
end

stds.praxis = {
  read_globals = {
    -- the base library, without dofile, loadfile, collectgarbage; load takes text only
    "assert", "error", "getmetatable", "ipairs", "load", "next", "pairs", "pcall", "print",
    "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring",
    "type", "warn", "xpcall", "_G", "_VERSION",
    -- the plugin's own modules (plugins/NAME/MOD.lua), run with px
    "require",
    math = {other_fields = false, fields = {
      "abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max", "maxinteger",
      "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin", "sqrt", "tan",
      "tointeger", "type", "ult", "acos", "asin", "atan"}},
    string = {other_fields = false, fields = {
      "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
      "packsize", "rep", "reverse", "sub", "unpack", "upper"}},
    table = {other_fields = false, fields = {
      "concat", "insert", "move", "pack", "remove", "sort", "unpack"}},
    utf8 = {other_fields = false, fields = {
      "char", "charpattern", "codepoint", "codes", "len", "offset"}},
    os = {other_fields = false, fields = {"clock", "date", "difftime", "time"}},
    -- not a global in a plugin (it is `local px = ...`): here so that luacheck knows its API
    px = {other_fields = false, fields = {
      "on", "importer", "every", "log", "option", "import", "name",
      config = {other_fields = true},
      get = {}, search = {},
      storage = fields {"get", "set", "delete"},
      csv = fields {"rows"},
      feed = fields {"parse"},
      json = fields {"encode", "decode", "null", "array"},
      hmac = fields {"sha256"},
      keywords = fields {"compile"},
      http = fields {"get", "post"},
      webhook = {}, mail = {},
    }},
  },
}
