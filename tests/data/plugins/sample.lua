-- sample: a plugin of every kind of registration, for the tests of the host
local px = ...
px.on("practice.tag", function(p)
  if p:text():lower():find("language caf", 1, true) then p:add("themes", "language-learning") end
end, 10)
px.importer("sample", function(source, emit) emit({title = source.name, summary = "s"}) end)
px.every(3600, function() end)
