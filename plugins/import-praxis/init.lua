-- import-praxis: federation: the practices of other Praxis servers harvested from their
-- GET /api/export (JSON Lines: practices, then tombstones), on a timer from the sources
-- configured, or once with `praxis import --with import-praxis URL`. The upstream uid is kept,
-- so a practice is the same one on every server; a tombstone deletes the harvested copy.
local px = ...

local sources = px.option("sources", {type = "list", default = {}})
local every = px.option("every", {type = "integer", default = 3600, min = 1, max = 7 * 86400})
local status = px.option("status", {default = "pending", choices = {"pending", "keep"}})

-- an export of 100,000 practices is about 60 MiB
local MAX_EXPORT = 64 * 1024 * 1024
local MAX_SOURCE = 200

local function is_url(text)
  return type(text) == "string" and (text:match("^[Hh][Tt][Tt][Pp][Ss]?://") ~= nil)
end

-- a server's base URL without its trailing slashes
local function base_of(url)
  return (url:gsub("/+$", ""))
end

local function state_key(base)
  return "since:" .. px.hmac.sha256("", base):sub(1, 32)
end

-- %-encodes what a query's value may not hold as it is
local function query_escape(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- the export's text: from the server at @base (since @since, when given) or from a file
local function fetch(source, since)
  if not is_url(source.name) then return source:read() end
  local url = base_of(source.name)
  if not url:find("/api/export", 1, true) then url = url .. "/api/export" end
  if since ~= nil then url = url .. "?since=" .. query_escape(since) end
  local answer, why = px.http.get(url, {
    headers = {["Accept"] = "application/x-ndjson"}, timeout = 300, max_bytes = MAX_EXPORT,
  })
  if answer == nil then error(url .. ": " .. why, 0) end
  if answer.status ~= 200 then error(url .. ": HTTP " .. answer.status, 0) end
  return answer.body
end

-- source: {name = a base URL or a file, read = function} (praxis import), or what the timer
-- passes: {name = base URL, timer = true} (only what changed since the last harvest)
px.importer("praxis", function(source, emit, reject)
  if type(source) ~= "table" then source = {name = tostring(source)} end
  local remote = is_url(source.name)
  local base = remote and base_of(source.name) or nil
  local since = source.timer and base and px.storage.get(state_key(base)) or nil
  local text = fetch(source, since)
  local newest = since
  local number = 0
  for line in text:gmatch("[^\n]+") do
    number = number + 1
    local where = "line " .. number
    local record, why = px.json.decode(line)
    if record == nil then
      reject(where, why)
    elseif type(record) ~= "table" or type(record.uid) ~= "string" then
      reject(where, "not a practice or a tombstone with its uid")
    else
      if type(record.updated_at) == "string" and (newest == nil or record.updated_at > newest) then
        newest = record.updated_at
      end
      for field, value in pairs(record) do
        if value == px.json.null then record[field] = nil end
      end
      if record.status == "deleted" then
        emit({uid = record.uid, status = "deleted"}, where .. " (" .. record.uid .. ")")
      else
        if status ~= "keep" then record.status = "pending" end
        if record.source == nil and base ~= nil and #base <= MAX_SOURCE then
          record.source = base
        end
        emit(record, where .. " (" .. record.uid .. ")")
      end
    end
  end
  if base ~= nil and newest ~= nil and newest ~= since then
    px.storage.set(state_key(base), newest)
  end
end)

if #sources > 0 then
  px.every(every, function()
    for _, url in ipairs(sources) do
      local ok, result = pcall(px.import, "praxis", {name = url, timer = true})
      if not ok then px.log("warning", "harvest of " .. url .. " failed: " .. tostring(result)) end
    end
  end)
end
