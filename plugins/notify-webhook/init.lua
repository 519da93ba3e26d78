-- notify-webhook: a signed JSON POST to a receiver for each configured event (by default each
-- practice published), put in the outbox with the change and delivered after commit.
local px = ...

local url = px.option("url")
local secret = px.option("secret")
local events = px.option("events", {type = "list", default = {"practice.published"}})

if url == nil or secret == nil or secret == "" then
  error("[plugin:notify-webhook] url and secret are required", 0)
end

for _, event in ipairs(events) do
  px.on(event, function(p)
    px.webhook {url = url, secret = secret, event = event, practice = p}
  end)
end
