-- glossary: a search in one language finds practices written in another. A query's words or
-- phrases found in the glossary (terms.lua) become an OR of their equivalents in the other
-- languages: "språkcafé riga" is searched as
-- språkcafé OR "language café" OR sprogcafé OR ... riga, which the query language reads as
-- (språkcafé OR "language café" OR sprogcafé ...) AND riga, since OR binds closer than the
-- AND between words. A query with quotes, prefixes, exclusions or operators of its own is
-- left alone, and so is one whose expansion would pass the query limits.
local px = ...

local glossary = require("terms")

-- the query limits of core/search/query.h
local MAX_CHARS = 1000
local MAX_TERMS = 32

local max_alternatives = px.option("max_alternatives",
	{type = "integer", default = 12, min = 1, max = MAX_TERMS - 1})

-- [plugin:glossary] skip=id;id: concepts not to expand (a search that matches many practices
-- costs what ranking and facets of those many cost)
local skip = {}
for _, id in ipairs(px.option("skip", {type = "list", default = ""})) do
	skip[id] = true
end

-- [plugin:glossary] extra_ID=term;term: more equivalents for a concept, or a new concept
local function config_terms(key)
	local raw = px.config[key]
	local terms = {}
	for term in (raw or ""):gmatch("[^;]+") do
		term = term:match("^%s*(.-)%s*$")
		if term ~= "" then
			terms[#terms + 1] = term
		end
	end
	return terms
end

local concepts = {}
local rules = {}
do
	local seen = {}
	local function add(id, terms, also)
		local all = {}
		for _, term in ipairs(terms) do
			all[#all + 1] = term
		end
		for _, term in ipairs(also) do
			all[#all + 1] = term
		end
		concepts[id] = terms
		rules[#rules + 1] = {label = id, terms = all}
		seen[id] = true
	end
	local known = {}
	for _, concept in ipairs(glossary) do
		known[concept.id] = true
	end
	for id in pairs(skip) do
		if not known[id] then
			error(string.format("glossary: skip: %q is no concept of terms.lua", id))
		end
	end
	for _, concept in ipairs(glossary) do
		local terms = {}
		for _, term in ipairs(concept.terms) do
			terms[#terms + 1] = term
		end
		for _, term in ipairs(config_terms("extra_" .. concept.id)) do
			terms[#terms + 1] = term
		end
		if not skip[concept.id] then
			add(concept.id, terms, concept.also or {})
		end
		seen[concept.id] = true
	end
	-- px.config's keys, in order (pairs works on it: its metatable has __pairs)
	local keys = {}
	for key in pairs(px.config) do
		keys[#keys + 1] = key
	end
	table.sort(keys)
	for _, key in ipairs(keys) do
		local id = type(key) == "string" and key:match("^extra_(.+)$")
		if id and not seen[id] then
			add(id, config_terms(key), {})
		end
	end
end

local matcher = px.keywords.compile(rules)

local function count_words(text)
	local folded = px.keywords.fold(text)
	if folded == "" then
		return 0
	end
	local _, spaces = folded:gsub(" ", "")
	return spaces + 1
end

-- Returns: the query as written to the query language: a prefix bare, a phrase quoted
local function quote(term)
	if term:match("^[^%s%p]+%*$") or not term:find("[%s%p]") then
		return term
	end
	return '"' .. term:gsub('"', "") .. '"'
end

-- Returns: TRUE if @query has syntax of its own that an expansion could change the sense of
local function has_syntax(query)
	if query:find('["*]') or query:find("^%s*%-") or query:find("%s%-") then
		return true
	end
	for word in query:gmatch("%w+") do
		if word == "OR" or word == "AND" or word == "NOT" then
			return true
		end
	end
	return false
end

local function rewrite(query)
	if type(query) ~= "string" or #query > 4 * MAX_CHARS then
		return nil
	end
	local length = utf8.len(query)
	if length == nil or length > MAX_CHARS or has_syntax(query) then
		return nil
	end
	local hits = matcher:find(query)
	if #hits == 0 then
		return nil
	end
	-- each hit's alternatives: the concept's terms, but the one the query wrote
	local total = count_words(query)
	for _, hit in ipairs(hits) do
		local span = query:sub(hit.first, hit.last)
		local written = px.keywords.fold(span)
		local seen = {[written] = true}
		hit.span = span
		hit.alternatives = {}
		for _, term in ipairs(concepts[hit.label]) do
			local folded = px.keywords.fold(term)
			if not seen[folded] and #hit.alternatives < max_alternatives then
				seen[folded] = true
				hit.alternatives[#hit.alternatives + 1] = quote(term)
			end
		end
		total = total - count_words(span) + 1 + #hit.alternatives
	end
	local function build()
		local parts, from = {}, 1
		for _, hit in ipairs(hits) do
			parts[#parts + 1] = query:sub(from, hit.first - 1)
			local group = {count_words(hit.span) > 1 and quote(hit.span) or hit.span}
			for _, alternative in ipairs(hit.alternatives) do
				group[#group + 1] = alternative
			end
			parts[#parts + 1] = table.concat(group, " OR ")
			from = hit.last + 1
		end
		parts[#parts + 1] = query:sub(from)
		return table.concat(parts)
	end
	-- within the limits: the longest lists of alternatives lose their last first
	local rewritten = build()
	while total > MAX_TERMS or utf8.len(rewritten) > MAX_CHARS do
		local longest = nil
		for _, hit in ipairs(hits) do
			if #hit.alternatives > 0 and (longest == nil
					or #hit.alternatives > #longest.alternatives) then
				longest = hit
			end
		end
		if longest == nil then
			return nil
		end
		table.remove(longest.alternatives)
		total = total - 1
		rewritten = build()
	end
	if rewritten == query then
		return nil
	end
	px.log("debug", "glossary: " .. query .. " -> " .. rewritten)
	return rewritten
end

px.on("search.rewrite", rewrite)
