-- example: the shape of a Praxis plugin, one of each kind of handler. New plugins start as a
-- copy of this folder. Enable it with `enabled=example` in praxis.conf's [plugins].
local px = ...

-- typed settings from [plugin:example], checked when the plugin loads
local city = px.option("city", {default = "Riga"})
local min_summary = px.option("min_summary", {type = "integer", default = 20, min = 0, max = 1000})
local feed = px.option("feed") -- nil unless configured

-- compiled once, at load: matching a practice costs one pass over its words
local rules = px.keywords.compile {
  {label = "language-learning", terms = {"language café", "språkcafé", "sprachcafé*"}},
  {label = "sport-culture", terms = {"football", "choir", "dance*"}},
}

-- before indexing, on every path into the store: add, never remove
px.on("practice.tag", function(p)
  for _, theme in ipairs(rules:match(p:text())) do
    p:add("themes", theme)
  end
  if p.city == city and #p.focus_areas == 0 then
    p:add("focus_areas", "interact")
  end
end)

-- may refuse, with a message the submitter sees (the API answers 422)
px.on("practice.validate", function(p)
  if #(p.summary or "") < min_summary then
    return false, string.format("the summary needs at least %d characters", min_summary)
  end
end)

-- after the change is written, in its transaction
px.on("practice.published", function(p)
  local count = tonumber(px.storage.get("published") or "0") + 1
  px.storage.set("published", tostring(count))
  px.log("info", string.format("%s published (%d so far)", p.title, count))
end)

-- a search may be widened: here "cafe" also looks for "café"
px.on("search.rewrite", function(query)
  if query:lower() == "cafe" then
    return "cafe OR café"
  end
end, 10)

-- `praxis import --with example FILE`, and px.import from the timer below
px.importer("example", function(source, emit, reject)
  local text
  if type(source) == "string" then
    local answer, why = px.http.get(source)
    if not answer then return reject(source, why) end
    text = answer.body
  else
    text = source:read()
  end
  for line, row, why in px.csv.rows(text) do
    if row then
      emit({title = row.title, summary = row.summary, country = row.country}, "line " .. line)
    else
      reject("line " .. line, why)
    end
  end
end)

if feed then
  px.every(3600, function()
    local counts = px.import("example", feed)
    px.storage.set("last_harvest", os.date("!%Y-%m-%dT%H:%M:%SZ"))
    px.log("info", string.format("harvested: %d added, %d updated", counts.added, counts.updated))
  end)
end
