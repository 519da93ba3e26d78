-- import-csv: practices from a spreadsheet saved as CSV. Columns map to the fields of a
-- practice (by default a column named as the field); each bad row is reported with its line
-- and reason, then skipped or the whole import stopped; records are upserted by uid or by url.
local px = ...

local FIELDS = {
  "uid", "title", "summary", "body", "city", "region", "country", "organisation", "project",
  "language", "url", "contact", "target_groups", "goals", "results", "evaluation", "funding",
  "started", "ended", "source", "year", "status", "themes", "focus_areas",
}
local LISTS = {themes = true, focus_areas = true}

local separator = px.option("separator", {default = ",", choices = {",", ";", "tab"}})
local on_error = px.option("on_error", {default = "skip", choices = {"skip", "stop"}})
local key = px.option("key", {default = "uid", choices = {"uid", "url"}})
local status = px.option("status",
  {default = "pending", choices = {"pending", "published", "keep"}})
local language = px.option("language")
local columns = px.option("columns", {type = "list", default = {}})

-- field -> the header's name for it, lower-cased
local column_of = {}
for _, field in ipairs(FIELDS) do column_of[field] = field end
for _, pair in ipairs(columns) do
  local field, column = pair:match("^%s*([%w_]+)%s*=%s*(.-)%s*$")
  if not field or not column_of[field] or column == "" then
    error("[plugin:import-csv] columns: '" .. pair .. "' is not FIELD=Column of a known field")
  end
  column_of[field] = column
end
for field, column in pairs(column_of) do column_of[field] = column:lower() end

local function trim(text)
  return (text:gsub("^%s+", ""):gsub("%s+$", ""))
end

local function split_list(text)
  local list = {}
  for item in text:gmatch("[^;,|]+") do
    item = trim(item)
    if item ~= "" then list[#list + 1] = item end
  end
  return list
end

-- a stable uid from a url (FNV-1a, 64 bits), so that importing a sheet again updates
local function uid_of_url(url)
  local hash = -3750763034362895579 -- 14695981039346656037 as a signed 64-bit integer
  for i = 1, #url do
    hash = (hash ~ url:byte(i)) * 1099511628211
  end
  return string.format("url-%016x", hash)
end

-- the row's cells by lower-cased header name
local function by_column(row)
  local cells = {}
  for name, value in pairs(row) do
    if type(name) == "string" then cells[trim(name):lower()] = value end
  end
  return cells
end

local function record_of(row)
  local cells = by_column(row)
  local record = {}
  for _, field in ipairs(FIELDS) do
    local value = cells[column_of[field]]
    if value ~= nil then value = trim(value) end
    if value ~= nil and value ~= "" then
      if LISTS[field] then
        record[field] = split_list(value)
      elseif field == "year" then
        record[field] = math.tointeger(tonumber(value)) or value
      else
        record[field] = value
      end
    end
  end
  if record.language == nil and language ~= nil then record.language = language end
  if status ~= "keep" then record.status = status end
  if record.status == nil then record.status = "pending" end
  if key == "url" and record.uid == nil and record.url ~= nil then
    record.uid = uid_of_url(record.url)
  end
  return record
end

px.importer("csv", function(source, emit, reject)
  local text = source:read()
  local options = {separator = separator == "tab" and "\t" or separator, header = true}
  for line, row, why in px.csv.rows(text, options) do
    local where = "line " .. line
    if row == nil then
      if on_error == "stop" then error(where .. ": " .. why, 0) end
      reject(where, why)
    else
      local done, refusal = emit(record_of(row), where)
      if done == nil and on_error == "stop" then error(where .. ": " .. refusal, 0) end
    end
  end
end)
