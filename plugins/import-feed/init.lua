-- import-feed: the entries of RSS and Atom feeds (city and network news pages) as pending
-- practices for moderation: harvested on a timer from the feeds configured, or once with
-- `praxis import --with import-feed URL-or-FILE`. Each bad entry is reported with its reason.
local px = ...

local feeds = px.option("feeds", {type = "list", default = {}})
local every = px.option("every", {type = "integer", default = 3600, min = 1, max = 7 * 86400})

-- the model's limits (core/model/practice.c): title and summary are required
local MAX_TITLE, MAX_SUMMARY, MAX_URL, MAX_SOURCE = 200, 1000, 2000, 200

local function trim(text)
  if type(text) ~= "string" then return nil end
  text = text:gsub("^%s+", ""):gsub("%s+$", "")
  if text == "" then return nil end
  return text
end

-- @text cut to @max characters (UTF-8), with an ellipsis when cut
local function clip(text, max)
  local length = utf8.len(text)
  if length == nil or length <= max then return text end
  local cut = utf8.offset(text, max) -- the byte where the max-th character starts
  return (text:sub(1, cut - 1):gsub("%s+$", "")) .. "…"
end

-- a BCP 47 tag's shape as the model takes it; anything else is dropped, not refused
local function language_of(tag)
  tag = trim(tag)
  if tag == nil or #tag > 35 then return nil end
  if tag:match("^%a%a%a?$") or tag:match("^%a%a%a?%-[%w%-]*%w$") then return tag end
  return nil
end

local function year_of(timestamp)
  local year = type(timestamp) == "string" and tonumber(timestamp:match("^(%d%d%d%d)%-")) or nil
  if year ~= nil and year >= 1900 and year <= 2100 then return math.tointeger(year) end
  return nil
end

-- a stable uid of the entry's id (or link): the same entry is the same practice on every harvest
local function uid_of(key)
  return "feed-" .. px.hmac.sha256("", key):sub(1, 24)
end

local function is_url(text)
  return type(text) == "string" and (text:match("^[Hh][Tt][Tt][Pp][Ss]?://") ~= nil)
end

-- what px.storage keeps of a feed, under a key of bounded length
local function state_key(url)
  return "feed:" .. px.hmac.sha256("", url):sub(1, 32)
end

local function load_state(url)
  local text = px.storage.get(state_key(url))
  local state = text and px.json.decode(text)
  return type(state) == "table" and state or {}
end

-- Returns: the record of @entry, or nil and why it cannot be one
local function record_of(entry, feed, origin)
  local key = trim(entry.id) or trim(entry.link)
  local title, summary = trim(entry.title), trim(entry.summary)
  local missing = {}
  if title == nil then missing[#missing + 1] = "title: is required (the entry has none)" end
  if summary == nil then missing[#missing + 1] = "summary: is required (the entry has none)" end
  if key == nil then missing[#missing + 1] = "the entry has no id nor link to know it by" end
  if #missing > 0 then return nil, table.concat(missing, "; ") end
  local record = {
    uid = uid_of(key),
    title = clip(title, MAX_TITLE),
    summary = clip(summary, MAX_SUMMARY),
    status = "pending",
    language = language_of(entry.language) or language_of(feed.language),
    year = year_of(entry.published) or year_of(entry.updated),
  }
  local link = trim(entry.link)
  if is_url(link) and #link <= MAX_URL then record.url = link end
  if origin ~= nil and #origin <= MAX_SOURCE then record.source = origin end
  return record
end

-- the feed's text: fetched (a URL, conditionally when @state knows its validators) or read
-- Returns: the text or nil when unchanged since the last harvest, and the answer's headers
local function fetch(source, state)
  if not is_url(source.name) then return source:read(), nil end
  local headers = {
    ["Accept"] = "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5",
  }
  if state ~= nil then
    headers["If-None-Match"] = state.etag
    headers["If-Modified-Since"] = state.modified
  end
  local answer, why = px.http.get(source.name, {headers = headers, timeout = 60})
  if answer == nil then error(source.name .. ": " .. why, 0) end
  if answer.status == 304 and state ~= nil then return nil, answer.headers end
  if answer.status < 200 or answer.status > 299 then
    error(source.name .. ": HTTP " .. answer.status, 0)
  end
  return answer.body, answer.headers
end

-- source: {name = a URL or a file, read = function} (praxis import), or what the timer passes:
-- {name = URL, timer = true} (conditional GET, entries older than the last harvest skipped)
px.importer("feed", function(source, emit, reject)
  if type(source) ~= "table" then source = {name = tostring(source)} end
  local state = source.timer and load_state(source.name) or nil
  local started = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local text, headers = fetch(source, state)
  if text == nil then
    px.log("debug", source.name .. ": not modified")
    return
  end
  local base = is_url(source.name) and source.name or nil
  local feed, why = px.feed.parse(text, base)
  if feed == nil then error(source.name .. ": " .. why, 0) end
  local origin = base or trim(feed.link)
  for index, entry in ipairs(feed.entries) do
    local where = "entry " .. index
    if trim(entry.title) then where = where .. " (" .. clip(trim(entry.title), 60) .. ")" end
    local record, refusal = record_of(entry, feed, origin)
    local changed = entry.updated or entry.published
    if record == nil then
      reject(where, refusal)
    elseif state ~= nil and state.harvested ~= nil and changed ~= nil and
        changed:sub(1, 19) < state.harvested:sub(1, 19) then
      -- unchanged since the last harvest: a copy moderators deleted stays deleted
      px.log("debug", where .. ": unchanged since " .. state.harvested)
    else
      local stored = px.get(record.uid)
      if stored ~= nil and stored.status ~= "pending" then
        -- moderated here: the copy is the moderators' now
        px.log("debug", where .. ": already " .. stored.status)
      else
        emit(record, where)
      end
    end
  end
  if source.timer then
    px.storage.set(state_key(source.name), px.json.encode({
      harvested = started,
      etag = headers and headers["etag"] or nil,
      modified = headers and headers["last-modified"] or nil,
    }))
  end
end)

if #feeds > 0 then
  px.every(every, function()
    for _, url in ipairs(feeds) do
      local ok, result = pcall(px.import, "feed", {name = url, timer = true})
      if not ok then px.log("warning", "harvest of " .. url .. " failed: " .. tostring(result)) end
    end
  end)
end
