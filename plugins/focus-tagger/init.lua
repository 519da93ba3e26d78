-- focus-tagger: adds themes and focus areas to a practice from multilingual keyword rules
-- (rules.lua), compiled once into a px.keywords matcher when the plugin loads. A label is
-- added when its terms score enough: a word of the title or summary counts twice (it is in
-- p:text() too), one of the other prose fields once. A focus area also follows from the
-- themes that belong to it by definition (language and sport-culture are interaction, work is
-- participation). Only adds: what the record brought stays.
local px = ...

local rules = require("rules")

local min_score = px.option("min_score", {type = "integer", default = 2, min = 1, max = 100})
local focus_min_score = px.option("focus_min_score",
	{type = "integer", default = 3, min = 1, max = 100})

local FOCUS_PREFIX = "focus:"
local FOCUS_ORDER = {"interact", "participation", "governance"}

-- a label as the practice record accepts it (model/practice.c: a slug of at most 40 bytes)
local function is_slug(text)
	return #text <= 40 and text:match("^[a-z0-9]+[a-z0-9-]*$") ~= nil
		and not text:find("--", 1, true) and text:sub(-1) ~= "-"
end

-- the terms of [plugin:focus-tagger] extra_LABEL=term;term*, nil when there are none
local function extra_terms(label)
	local raw = px.config["extra_" .. label]
	if raw == nil then
		return nil
	end
	local terms = {}
	for term in raw:gmatch("[^;]+") do
		term = term:match("^%s*(.-)%s*$")
		if term ~= "" then
			terms[#terms + 1] = term
		end
	end
	return terms
end

local function sorted_keys(map)
	local keys = {}
	for key in pairs(map) do
		keys[#keys + 1] = key
	end
	table.sort(keys)
	return keys
end

-- the rules with the admin's terms added: themes as they are, focus areas prefixed
local function build_rules()
	local list = {}
	local known = {}
	local function add(label, terms, name)
		local all = {}
		for _, term in ipairs(terms) do
			all[#all + 1] = term
		end
		for _, term in ipairs(extra_terms(name) or {}) do
			all[#all + 1] = term
		end
		list[#list + 1] = {label = label, terms = all}
		known[name] = true
	end
	for _, theme in ipairs(sorted_keys(rules.themes)) do
		add(theme, rules.themes[theme], theme)
	end
	for _, area in ipairs(FOCUS_ORDER) do
		add(FOCUS_PREFIX .. area, rules.focus_areas[area], area)
	end
	-- extra_NEW-THEME: a theme the rules do not have
	-- px.config's keys, in order (pairs works on it: its metatable has __pairs)
	local keys = {}
	for key in pairs(px.config) do
		keys[#keys + 1] = key
	end
	table.sort(keys)
	for _, key in ipairs(keys) do
		local theme = type(key) == "string" and key:match("^extra_(.+)$")
		if theme and not known[theme] then
			if not is_slug(theme) then
				error(string.format("focus-tagger: %s: %q is no theme name (a-z, 0-9, -)",
					key, theme))
			end
			add(theme, {}, theme)
		end
	end
	return list
end

local compiled = build_rules()
local matcher = px.keywords.compile(compiled)

-- the themes in a fixed order, so that a practice's themes are added in it
local theme_labels = {}
for _, rule in ipairs(compiled) do
	if rule.label:sub(1, #FOCUS_PREFIX) ~= FOCUS_PREFIX then
		theme_labels[#theme_labels + 1] = rule.label
	end
end

local function contains(list, value)
	for _, item in ipairs(list or {}) do
		if item == value then
			return true
		end
	end
	return false
end

-- the score of each label in p: its text once, and its title and summary once more
local function score(p)
	local text = p:text()
	local title = type(p.title) == "string" and p.title or ""
	local summary = type(p.summary) == "string" and p.summary or ""
	-- p:text() starts with the title and the summary: one pass, their words weigh double
	local head = title .. "\n" .. summary .. "\n"
	if text:sub(1, #head) == head then
		return matcher:count(text, #head, 2)
	end
	local counts = matcher:count(text)
	for _, value in ipairs({title, summary}) do
		for label, n in pairs(matcher:count(value)) do
			counts[label] = (counts[label] or 0) + n
		end
	end
	return counts
end

local function copy(list)
	local out = {}
	for i, item in ipairs(list or {}) do
		out[i] = item
	end
	return out
end

local function tag(p)
	local counts = score(p)
	local themes = copy(p.themes)
	local focus_areas = copy(p.focus_areas)
	for _, label in ipairs(theme_labels) do
		if (counts[label] or 0) >= min_score and not contains(themes, label) then
			p:add("themes", label)
			themes[#themes + 1] = label
		end
	end
	local focus = {}
	for _, area in ipairs(FOCUS_ORDER) do
		focus[area] = counts[FOCUS_PREFIX .. area] or 0
	end
	for _, theme in ipairs(themes) do
		local area = rules.implies[theme]
		if area then
			focus[area] = focus[area] + focus_min_score
		end
	end
	local added = #focus_areas
	for _, area in ipairs(FOCUS_ORDER) do
		if focus[area] >= focus_min_score and not contains(focus_areas, area) then
			p:add("focus_areas", area)
			added = added + 1
		end
	end
	-- every practice has a focus: the likeliest, when none reached the score, and governance
	-- (services, policy) when nothing speaks of any
	if added == 0 then
		local best, best_score = "governance", 0
		for _, area in ipairs(FOCUS_ORDER) do
			if focus[area] > best_score then
				best, best_score = area, focus[area]
			end
		end
		p:add("focus_areas", best)
	end
end

px.on("practice.tag", tag)
