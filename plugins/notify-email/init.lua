-- notify-email: moderators hear of each new submission, a partner hears when their practice is
-- published or rejected (with the reason), and configured receivers get each published
-- practice. Mail goes into the outbox with the change and is sent over SMTP after commit.
local px = ...

local smtp_url = px.option("smtp_url")
local from = px.option("from")
-- unset or empty: every enabled admin account, read at each submission
local moderators = px.option("moderators", {type = "list"})
if moderators ~= nil and #moderators == 0 then
  moderators = nil
end
local receivers = px.option("receivers", {type = "list", default = {}})
local site = px.option("site_url", {default = "http://127.0.0.1:8080"})

if smtp_url == nil or from == nil then
  error("[plugin:notify-email] smtp_url and from are required", 0)
end
site = site:gsub("/+$", "")

local function link(p)
  return site .. "/practices/" .. tostring(p.id)
end

local function describe(p)
  local place = table.concat({p.city or "", p.country or ""}, ", "):gsub("^, ", ""):gsub(", $", "")
  return string.format("%s\n%s\n\n%s\n\n%s\n", p.title, place, p.summary or "", link(p))
end

local function send(to, subject, text, event)
  if #to == 0 then return end
  px.mail {smtp_url = smtp_url, from = from, to = to, subject = subject, text = text,
           event = event}
end

local function why(text)
  return "\n-- \nYou get this message because " .. text .. "\n"
end

px.on("practice.submitted", function(p)
  send(moderators or px.admins(), "New practice to moderate: " .. p.title,
       "A partner submitted a practice; it waits for moderation.\n\n" .. describe(p)
       .. why("you moderate practices on this Praxis server."), "practice.submitted")
end)

px.on("practice.published", function(p)
  if p.submitter then
    send({p.submitter}, "Your practice is published: " .. p.title,
         "Your practice is now public.\n\n" .. describe(p)
         .. why("you submitted this practice."), "practice.published")
  end
  send(receivers, "New practice: " .. p.title, describe(p)
       .. why("this address receives each practice published on this Praxis server."),
       "practice.published")
end)

px.on("practice.rejected", function(p)
  if p.submitter then
    local reason = p.reason and ("\nThe moderator's reason:\n" .. p.reason .. "\n") or ""
    send({p.submitter}, "Your practice was not published: " .. p.title,
         "A moderator did not publish your practice." .. reason .. "\n" .. describe(p)
         .. why("you submitted this practice."), "practice.rejected")
  end
end)
