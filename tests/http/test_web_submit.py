"""The partners' submission pages and the moderation queue in a real server (issue 9, pages 4
and 5): /submit refuses a practice with mistakes with a summary linking to each field and keeps
what was typed, takes it once fixed (pending, on /my, editable while pending by its partner
only), holds off spam (honeypot, minimum fill time, a limit per address) and forms from
elsewhere; /admin lists the pending practices oldest first, previews, edits, publishes and
rejects them (with a reason), and shows the plugins. With plugins: a validator's refusal is on
top of the form, notify-email's mail to the moderators and the partner's of a rejection (with
the reason) are in the outbox."""
import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, login_cookie  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PASSWORD = "correct horse battery"


def form_token(body):
    match = CSRF.search(body)
    assert match, body[:2000]
    return html.unescape(match.group(1))


def sign_in(server, email):
    """Sets a password with praxis user passwd and signs in at /login; the session cookie."""
    subprocess.run([os.environ["PRAXIS_BIN"], "user", "passwd", "--db", server.db, email],
                   input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=True)
    headers = {"X-Forwarded-For": "192.0.2.99"}
    _, got, page = server.request("GET", "/login", headers=headers)
    body = urllib.parse.urlencode({"csrf": form_token(page), "email": email, "password": PASSWORD})
    status, got, page = server.request(
        "POST", "/login", body=body,
        headers=dict(headers, **{"Content-Type": "application/x-www-form-urlencoded",
                                 "Cookie": login_cookie(got)}))
    assert status == 303, (status, page[:500])
    return re.match(r"praxis_session=([^;]+);", got["set-cookie"]).group(1)


class Browser:
    """One signed-in visitor: its session cookie, and the address it comes from."""

    def __init__(self, server, cookie=None, address="192.0.2.1"):
        self.server = server
        self.cookie = cookie
        self.address = address

    def headers(self, extra=None):
        headers = {"X-Forwarded-For": self.address}
        if self.cookie:
            headers["Cookie"] = "praxis_session=" + self.cookie
        headers.update(extra or {})
        return headers

    def get(self, path):
        return self.server.request("GET", path, headers=self.headers())

    def post(self, path, fields, extra=None):
        body = urllib.parse.urlencode(fields, doseq=True)
        return self.server.request(
            "POST", path, body=body,
            headers=self.headers(dict({"Content-Type": "application/x-www-form-urlencoded"},
                                      **(extra or {}))))

    def token(self, path="/submit"):
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:500])
        return form_token(body)


def good_practice(**changes):
    fields = {"title": "Språkcafé i Lund", "summary": "Weekly conversations in Swedish.",
              "body": "Every **Tuesday** in the library.\n\n- coffee\n- talk",
              "country": "se", "city": "Lund", "region": "Skåne", "organisation": "Lunds kommun",
              "project": "ELAINE", "language": "sv", "year": "2024", "url": "https://lund.example.org",
              "contact": "sprak@lund.example.org", "target_groups": "Newcomers", "goals": "Talk",
              "results": "", "evaluation": "", "funding": "", "started": "2023-09", "ended": "",
              "focus_areas": ["interact"], "themes": ["language-learning", "volunteering"],
              "website": ""}
    fields.update(changes)
    return fields


class WebSubmitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.db = cls.server.db
        cls.partner = Browser(cls.server, sign_in(cls.server, "partner@example.org"), "192.0.2.10")
        cls.partner2 = Browser(cls.server, sign_in(cls.server, "partner2@example.org"), "192.0.2.11")
        cls.admin = Browser(cls.server, sign_in(cls.server, "admin@example.org"), "192.0.2.12")
        cls.visitor = Browser(cls.server, None, "192.0.2.13")
        # a form made now is too young to send for 3 seconds: one wait for every test's forms
        cls.tokens = {name: who.token() for name, who in
                      (("partner", cls.partner), ("partner2", cls.partner2),
                       ("admin", cls.admin))}
        time.sleep(3.2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def row(self, sql, *args):
        connection = sqlite3.connect(self.db)
        try:
            return connection.execute(sql, args).fetchone()
        finally:
            connection.close()

    def submit(self, who, fields, path="/submit"):
        name = {id(self.partner): "partner", id(self.partner2): "partner2",
                id(self.admin): "admin"}[id(who)]
        return who.post(path, dict(fields, csrf=self.tokens[name]))

    def created_id(self, got):
        self.assertRegex(got["location"], r"^/submitted\?id=\d+$")
        return int(got["location"].split("=")[1])

    def test_form_has_every_field(self):
        status, _, body = self.partner.get("/submit")
        self.assertEqual(status, 200)
        for name in ("title", "summary", "body", "country", "city", "region", "organisation",
                     "project", "language", "year", "url", "contact", "target_groups", "goals",
                     "results", "evaluation", "funding", "started", "ended"):
            self.assertRegex(body, rf'<(input|textarea)[^>]* id="{name}" name="{name}"[^>]*'
                                   rf'aria-describedby="{name}-hint"', name)
            self.assertIn(f'<label for="{name}">', body)
            self.assertIn(f'id="{name}-hint"', body)
        for area in ("interact", "participation", "governance"):
            self.assertRegex(body, rf'<input type="checkbox" id="[^"]+" name="focus_areas" value="{area}"')
        self.assertRegex(body, r'<input type="checkbox" id="themes" name="themes" value="language-learning"')
        self.assertIn('name="preview"', body)
        self.assertRegex(body, r'<div class="honeypot" aria-hidden="true">')
        self.assertRegex(body, r'<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">')
        self.assertIn('name="csrf"', body)

    def test_mistakes_are_summarised_and_kept(self):
        typed = good_practice(title="", year="20x4", url="ftp://nowhere", city='<b>"Lund"</b>')
        status, _, body = self.submit(self.partner, typed)
        self.assertEqual(status, 422)
        self.assertIn('<div class="error-summary" role="alert" tabindex="-1"', body)
        summary = body[body.index("error-summary"):body.index("</div>", body.index("error-summary"))]
        for field in ("title", "year", "url"):
            self.assertIn(f'href="#{field}"', summary)
            self.assertRegex(body, rf'id="{field}" name="{field}"[^>]*aria-describedby="{field}-hint {field}-error"[^>]*aria-invalid="true"')
            self.assertIn(f'id="{field}-error"', body)
        self.assertIn("Enter a title.", body)
        self.assertIn("Enter the year as a number between 1900 and 2100.", body)
        self.assertIn("Enter a web address that starts with https:// or http://.", body)
        # everything typed is back, as text
        self.assertIn('value="20x4"', body)
        self.assertIn('value="ftp://nowhere"', body)
        self.assertIn('value="&lt;b&gt;&quot;Lund&quot;&lt;/b&gt;"', body)
        self.assertIn(">\nEvery **Tuesday** in the library.\n\n- coffee\n- talk</textarea>", body)
        self.assertRegex(body, r'name="themes" value="volunteering" checked')
        self.assertRegex(body, r'name="focus_areas" value="interact" checked')
        self.assertNotRegex(body, r'name="focus_areas" value="governance" checked')
        self.assertIn("<title>Error: Submit a practice", body)

    def test_swedish_messages(self):
        fields = dict(good_practice(title=""), csrf=self.tokens["partner"])
        status, _, body = self.partner.post("/submit", fields, {"Accept-Language": "sv"})
        self.assertEqual(status, 422)
        self.assertIn("Något behöver rättas", body)
        self.assertIn("Skriv en titel.", body)

    def test_fixed_submission_is_pending_and_listed(self):
        status, got, _ = self.submit(self.partner, good_practice(title="Språkcafé i Lund, fixed"))
        self.assertEqual(status, 303)
        practice_id = self.created_id(got)
        status, _, body = self.partner.get(got["location"])
        self.assertEqual(status, 200)
        self.assertIn("pending moderation", body)
        self.assertIn("Språkcafé i Lund, fixed", body)
        row = self.row("SELECT status, source, country, year, submitted_by FROM practices WHERE id = ?",
                       practice_id)
        partner_id = self.row("SELECT id FROM users WHERE email = 'partner@example.org'")[0]
        self.assertEqual(row, ("pending", "web", "SE", 2024, partner_id))
        tags = self.row("SELECT group_concat(tag) FROM (SELECT tag FROM practice_tags "
                        "WHERE practice_id = ? ORDER BY kind, position)", practice_id)[0]
        self.assertIn("language-learning", tags)
        status, _, body = self.partner.get("/my")
        self.assertEqual(status, 200)
        self.assertIn("Språkcafé i Lund, fixed", body)
        self.assertIn(f'href="/submit/{practice_id}"', body)
        self.assertIn("Waiting for moderation", body)
        # the public does not see it yet
        status, _, _ = self.server.request("GET", f"/api/practices/{practice_id}")
        self.assertEqual(status, 404)

    def test_preview_renders_markdown(self):
        fields = good_practice(body="Some *emphasis* and <script>alert(1)</script>\n\n[x](javascript:alert(1))",
                               preview="1")
        status, _, body = self.submit(self.partner, fields)
        self.assertEqual(status, 200)
        self.assertIn('<section class="preview" id="preview"', body)
        self.assertIn("<em>emphasis</em>", body)
        self.assertNotIn("<script>alert(1)", body)
        self.assertNotIn('href="javascript:', body)
        # a preview writes nothing
        self.assertIsNone(self.row("SELECT id FROM practices WHERE body LIKE 'Some *emphasis*%'"))

    def test_edit_while_pending(self):
        status, got, _ = self.submit(self.partner, good_practice(title="To be edited"))
        practice_id = self.created_id(got)
        status, _, body = self.partner.get(f"/submit/{practice_id}")
        self.assertEqual(status, 200)
        self.assertIn('value="To be edited"', body)
        self.assertIn(f'action="/submit/{practice_id}"', body)
        self.assertRegex(body, r'name="themes" value="volunteering" checked')
        status, _, body = self.submit(self.partner, good_practice(title="Edited", year="1800"),
                                      f"/submit/{practice_id}")
        self.assertEqual(status, 422)
        self.assertIn('value="1800"', body)
        status, got, _ = self.submit(self.partner, good_practice(title="Edited", themes=[]),
                                     f"/submit/{practice_id}")
        self.assertEqual(status, 303)
        self.assertEqual(got["location"], f"/my?saved={practice_id}")
        self.assertEqual(self.row("SELECT title, status FROM practices WHERE id = ?", practice_id),
                         ("Edited", "pending"))
        # others' and published practices are not the partner's to change
        status, _, _ = self.partner2.get(f"/submit/{practice_id}")
        self.assertEqual(status, 404)
        status, _, _ = self.submit(self.partner2, good_practice(title="Taken over"),
                                   f"/submit/{practice_id}")
        self.assertEqual(status, 404)
        self.assertEqual(self.row("SELECT title FROM practices WHERE id = ?", practice_id)[0], "Edited")
        status, _, _ = self.partner.get("/submit/999999")
        self.assertEqual(status, 404)
        status, _, _ = self.server.request("POST", f"/api/practices/{practice_id}/publish",
                                           token="admin")
        self.assertEqual(status, 200)
        status, _, _ = self.partner.get(f"/submit/{practice_id}")
        self.assertEqual(status, 403)
        status, _, _ = self.submit(self.partner, good_practice(title="After publication"),
                                   f"/submit/{practice_id}")
        self.assertEqual(status, 403)
        self.assertEqual(self.row("SELECT title FROM practices WHERE id = ?", practice_id)[0], "Edited")

    def test_honeypot_refused(self):
        status, _, body = self.submit(self.partner, good_practice(title="Honey", website="http://spam.example"))
        self.assertEqual(status, 422)
        self.assertIn("must stay empty", body)
        self.assertIn('value="Honey"', body)
        self.assertIsNone(self.row("SELECT id FROM practices WHERE title = 'Honey'"))

    def test_too_fast_refused(self):
        token = self.partner.token()
        status, _, body = self.partner.post("/submit", dict(good_practice(title="Quick"), csrf=token))
        self.assertEqual(status, 422)
        self.assertIn("very quickly", body)
        self.assertIn('value="Quick"', body)
        self.assertIsNone(self.row("SELECT id FROM practices WHERE title = 'Quick'"))

    def test_csrf_missing_or_foreign(self):
        status, _, _ = self.partner.post("/submit", good_practice(title="No token"))
        self.assertEqual(status, 403)
        # a token of another session
        status, _, _ = self.partner.post("/submit", dict(good_practice(title="Foreign token"),
                                                         csrf=self.tokens["partner2"]))
        self.assertEqual(status, 403)
        status, _, _ = self.partner.post("/submit", dict(good_practice(title="Cross site"),
                                                         csrf=self.tokens["partner"]),
                                         {"Origin": "https://evil.example"})
        self.assertEqual(status, 403)
        self.assertIsNone(self.row("SELECT id FROM practices WHERE title IN "
                                   "('No token', 'Foreign token', 'Cross site')"))

    def test_rate_limit(self):
        who = Browser(self.server, self.partner.cookie, "198.51.100.7")
        for i in range(10):
            status, _, _ = who.post("/submit", dict(good_practice(title=f"Many {i}"),
                                                    csrf=self.tokens["partner"]))
            self.assertEqual(status, 303, i)
        status, got, body = who.post("/submit", dict(good_practice(title="One too many"),
                                                     csrf=self.tokens["partner"]))
        self.assertEqual(status, 429)
        self.assertEqual(got["retry-after"], "3600")
        self.assertIn('value="One too many"', body)
        self.assertIsNone(self.row("SELECT id FROM practices WHERE title = 'One too many'"))
        # another address is not held back
        status, _, _ = self.submit(self.partner, good_practice(title="From elsewhere"))
        self.assertEqual(status, 303)

    def test_rate_limit_counts_an_ipv6_network_as_one(self):
        """Every address of a /64 is one machine's (or home's) to choose: the limit counts the
        network, and an IPv4 address mapped into IPv6 as that IPv4 address."""
        for i in range(10):
            who = Browser(self.server, self.partner.cookie, f"2001:db8:77:1::{i + 1:x}")
            status, _, _ = who.post("/submit", dict(good_practice(title=f"Six {i}"),
                                                    csrf=self.tokens["partner"]))
            self.assertEqual(status, 303, i)
        who = Browser(self.server, self.partner.cookie, "2001:db8:77:1:ffff:ffff:ffff:fffe")
        status, _, _ = who.post("/submit", dict(good_practice(title="Six too many"),
                                                csrf=self.tokens["partner"]))
        self.assertEqual(status, 429)
        who = Browser(self.server, self.partner.cookie, "2001:db8:77:2::1")
        status, _, _ = who.post("/submit", dict(good_practice(title="Next network"),
                                                csrf=self.tokens["partner"]))
        self.assertEqual(status, 303)
        for i in range(9):
            who = Browser(self.server, self.partner.cookie, "::ffff:198.51.100.77")
            status, _, _ = who.post("/submit", dict(good_practice(title=f"Mapped {i}"),
                                                    csrf=self.tokens["partner"]))
            self.assertEqual(status, 303, i)
        who = Browser(self.server, self.partner.cookie, "198.51.100.77")
        status, _, _ = who.post("/submit", dict(good_practice(title="Mapped 9"),
                                                csrf=self.tokens["partner"]))
        self.assertEqual(status, 303)
        status, _, _ = who.post("/submit", dict(good_practice(title="Mapped too many"),
                                                csrf=self.tokens["partner"]))
        self.assertEqual(status, 429)

    def test_plugin_free_validation_of_fields(self):
        status, _, body = self.submit(self.partner, good_practice(country="Sweden", language="Swedish!",
                                                                  started="sometime", themes=["Not a slug"]))
        self.assertEqual(status, 422)
        for field in ("country", "language", "started", "themes"):
            self.assertIn(f'href="#{field}"', body, field)

    def test_admin_publishes_from_the_queue(self):
        status, got, _ = self.submit(self.partner2, good_practice(title="Queued for publishing"))
        practice_id = self.created_id(got)
        status, _, body = self.admin.get("/admin")
        self.assertEqual(status, 200)
        self.assertIn(f'href="/admin/practices/{practice_id}"', body)
        row = body[body.index(f'id="practice-{practice_id}-title"'):]
        row = row[:row.index("</li>")]
        self.assertRegex(row, rf'<form method="post" action="/admin/practices/{practice_id}/publish">\s*'
                              r'<input type="hidden" name="csrf" value="[^"]+">\s*<button[^>]*>Publish</button>')
        self.assertRegex(row, rf'action="/admin/practices/{practice_id}/reject"')
        self.assertRegex(row, r'<button type="submit" class="danger"[^>]*>Reject</button>')
        # the oldest first
        ids = [int(i) for i in re.findall(r'id="practice-(\d+)-title"', body)]
        self.assertEqual(ids, sorted(ids))
        status, got, _ = self.admin.post(f"/admin/practices/{practice_id}/publish",
                                         {"csrf": self.tokens["admin"]})
        self.assertEqual(status, 303)
        self.assertEqual(got["location"], f"/admin?published={practice_id}")
        status, _, body = self.admin.get(got["location"])
        self.assertIn("“Queued for publishing” is published", body)
        self.assertNotIn(f'id="practice-{practice_id}-title"', body)
        status, _, found = self.server.request("GET", f"/api/practices/{practice_id}")
        self.assertEqual(status, 200)
        self.assertEqual(found["status"], "published")
        found = self.server.search("q=" + urllib.parse.quote('"Queued for publishing"'))
        self.assertIn(practice_id, [hit["id"] for hit in found["results"]])
        # the preview is the public page's article, byte for byte
        article = re.compile(r'<article class="practice".*?</article>', re.S)
        _, _, preview = self.admin.get(f"/admin/practices/{practice_id}")
        _, _, public = self.admin.get(f"/practices/{practice_id}")
        self.assertEqual(article.search(preview).group(0), article.search(public).group(0))
        status, _, body = self.partner2.get("/my")
        self.assertIn(f'<a href="/practices/{practice_id}">Queued for publishing</a>', body)
        self.assertNotIn(f'href="/submit/{practice_id}"', body)

    def test_admin_rejects_with_a_reason(self):
        status, got, _ = self.submit(self.partner2, good_practice(title="Queued for rejection"))
        practice_id = self.created_id(got)
        status, _, body = self.admin.get(f"/admin/practices/{practice_id}")
        self.assertEqual(status, 200)
        self.assertIn('<h1 id="practice-title">Queued for rejection</h1>', body)
        self.assertIn("<strong>Tuesday</strong>", body)
        self.assertRegex(body, r'<button type="submit">Publish</button>')
        self.assertRegex(body, r'<textarea id="reason" name="reason"')
        self.assertRegex(body, r'<button type="submit" class="danger">Reject</button>')
        self.assertIn('value="Queued for rejection"', body)
        status, got, _ = self.admin.post(f"/admin/practices/{practice_id}/reject",
                                         {"csrf": self.tokens["admin"], "reason": "  Not a practice: an advert.  "})
        self.assertEqual(status, 303)
        self.assertEqual(got["location"], f"/admin?rejected={practice_id}")
        self.assertEqual(self.row("SELECT status FROM practices WHERE id = ?", practice_id)[0], "rejected")
        status, _, _ = self.server.request("GET", f"/api/practices/{practice_id}")
        self.assertEqual(status, 404)
        status, _, body = self.partner2.get("/my")
        self.assertIn("Rejected", body)
        # the reason, trimmed, beside the status
        self.assertIn("The moderator&#39;s reason:</span> <span class=\"long-text\">Not a practice: an advert.</span>", body)
        status, _, _ = self.admin.post(f"/admin/practices/{practice_id}/reject",
                                       {"csrf": self.tokens["admin"], "reason": "x" * 2001})
        self.assertEqual(status, 422)

    def test_admin_edits_through_the_write_path(self):
        status, got, _ = self.submit(self.partner2, good_practice(title="Queued for an edit"))
        practice_id = self.created_id(got)
        status, _, body = self.admin.post(f"/admin/practices/{practice_id}",
                                          dict(good_practice(title="Edited by a moderator", url="nope"),
                                               csrf=self.tokens["admin"]))
        self.assertEqual(status, 422)
        self.assertIn('href="#url"', body)
        self.assertIn('value="Edited by a moderator"', body)
        self.assertEqual(self.row("SELECT title FROM practices WHERE id = ?", practice_id)[0],
                         "Queued for an edit")
        status, _, body = self.admin.post(f"/admin/practices/{practice_id}",
                                          dict(good_practice(body="# Heading\n\ntext"), preview="1",
                                               csrf=self.tokens["admin"]))
        self.assertEqual(status, 200)
        self.assertIn("<h3>Heading</h3>", body)
        status, got, _ = self.admin.post(f"/admin/practices/{practice_id}",
                                         dict(good_practice(title="Edited by a moderator"),
                                              csrf=self.tokens["admin"]))
        self.assertEqual(status, 303)
        self.assertEqual(got["location"], f"/admin/practices/{practice_id}?saved=1")
        self.assertEqual(self.row("SELECT title, status FROM practices WHERE id = ?", practice_id),
                         ("Edited by a moderator", "pending"))

    def test_admin_sees_plugins_and_swedish_buttons(self):
        status, _, body = self.admin.get("/admin")
        self.assertIn('id="plugins-heading"', body)
        status, got, _ = self.submit(self.partner2, good_practice(title="Queued in Swedish"))
        practice_id = self.created_id(got)
        status, _, body = self.server.request(
            "GET", "/admin", headers=self.admin.headers({"Accept-Language": "sv"}))
        self.assertRegex(body, r'<button[^>]*>Publicera</button>')
        self.assertRegex(body, r'<button type="submit" class="danger"[^>]*>Avvisa</button>')

    def test_signed_out_and_roles(self):
        status, got, _ = self.visitor.get("/submit")
        self.assertEqual(status, 303)
        self.assertTrue(got["location"].startswith("/login?back="), got["location"])
        status, got, _ = self.visitor.get("/my")
        self.assertEqual(status, 303)
        for path in ("/admin", "/admin/practices/1"):
            status, got, _ = self.visitor.get(path)
            self.assertEqual(status, 303, path)
            self.assertTrue(got["location"].startswith("/login?back="), got["location"])
            status, _, _ = self.partner.get(path)
            self.assertEqual(status, 403, path)
        status, _, _ = self.partner.post("/admin/practices/1/publish", {"csrf": self.tokens["partner"]})
        self.assertEqual(status, 403)
        status, _, _ = self.admin.post("/admin/practices/1/publish", {})
        self.assertEqual(status, 403)
        status, _, _ = self.admin.get("/admin/practices/999999")
        self.assertEqual(status, 404)


GATEKEEPER = """local px = ...
px.on('practice.validate', function (p)
  if p.title:find('advert', 1, true) then return false, 'adverts are not practices' end
  return true
end)
"""


class WebSubmitPluginsTest(unittest.TestCase):
    """With plugins: a validator's refusal is shown at the top of the form, the moderators'
    mail of notify-email goes into the outbox with the submission, and the partner's mail of a
    rejection carries the moderator's reason."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-web-plugins-")
        plugins = os.path.join(cls.tmp.name, "plugins")
        os.mkdir(plugins)
        os.symlink(os.path.join(ROOT, "plugins", "notify-email"), os.path.join(plugins, "notify-email"))
        with open(os.path.join(plugins, "gatekeeper.lua"), "w") as out:
            out.write(GATEKEEPER)
        # port 9 (discard) on loopback: nothing listens, the mail stays in the outbox
        cls.server = Server(config=(
            f"[plugins]\ndir = {plugins}\nenabled = gatekeeper;notify-email\n"
            "[plugin:notify-email]\nsmtp_url = smtp://127.0.0.1:9\nfrom = praxis@example.org\n"
            "moderators = moderator@example.org\n[web]\nthemes = housing;city-farms\n"))
        cls.db = cls.server.db
        cls.partner = Browser(cls.server, sign_in(cls.server, "partner@example.org"),
                              "192.0.2.20")
        cls.admin = Browser(cls.server, sign_in(cls.server, "admin@example.org"),
                            "192.0.2.21")
        cls.tokens = {"partner": cls.partner.token(), "admin": cls.admin.token()}
        time.sleep(3.2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def mails(self, event):
        connection = sqlite3.connect(self.db)
        try:
            return connection.execute("SELECT recipients, subject, CAST(body AS TEXT) FROM outbox "
                                      "WHERE kind = 'mail' AND event = ? ORDER BY created_at",
                                      (event,)).fetchall()
        finally:
            connection.close()

    def test_configured_themes(self):
        _, _, body = self.partner.get("/submit")
        self.assertEqual(re.findall(r'name="themes" value="([^"]+)"', body), ["housing", "city-farms"])
        self.assertIn('<label for="themes">Housing', body)
        self.assertIn('<label for="themes-city-farms">city-farms', body)

    def test_validator_refusal_is_summarised(self):
        status, _, body = self.partner.post("/submit", dict(good_practice(title="An advert for soap"),
                                                            csrf=self.tokens["partner"]))
        self.assertEqual(status, 422)
        summary = body[body.index('class="error-summary"'):]
        summary = summary[:summary.index("</div>")]
        self.assertIn("adverts are not practices", summary)
        self.assertIn('value="An advert for soap"', body)

    def test_moderators_hear_of_a_submission_and_the_partner_of_a_rejection(self):
        status, got, _ = self.partner.post("/submit", dict(good_practice(title="Mail me"),
                                                           csrf=self.tokens["partner"]))
        self.assertEqual(status, 303)
        practice_id = int(got["location"].split("=")[1])
        self.assertIn(("moderator@example.org\n", "New practice to moderate: Mail me"),
                      [mail[:2] for mail in self.mails("practice.submitted")])
        status, _, _ = self.admin.post(f"/admin/practices/{practice_id}/reject",
                                       {"csrf": self.tokens["admin"], "reason": "Please add the results."})
        self.assertEqual(status, 303)
        rejected = [mail for mail in self.mails("practice.rejected") if "Mail me" in mail[1]]
        self.assertEqual(len(rejected), 1)
        self.assertEqual(rejected[0][0], "partner@example.org\n")
        self.assertIn("Please add the results.", rejected[0][2])


class WebQueuePagesTest(unittest.TestCase):
    """A queue longer than a page: /admin counts every pending practice and lists 50 a page,
    oldest first, with links to the pages before and after; a page past the end goes to the
    last one, and a page that cannot exist is a 400 page."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-web-queue-")
        data = os.path.join(cls.tmp.name, "pending.jsonl")
        with open(data, "w") as out:
            for n in range(1, 121):
                out.write(json.dumps({"uid": f"queued-{n:03}", "title": f"Queued practice {n:03}",
                                      "summary": "Waits.", "status": "pending"}) + "\n")
        cls.server = Server(data=data)
        cls.admin = Browser(cls.server, sign_in(cls.server, "admin@example.org"), "192.0.2.30")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def titles(self, body):
        return re.findall(r'<a href="/admin/practices/\d+">(Queued practice \d+)</a>', body)

    def test_pages_of_the_queue(self):
        status, _, first = self.admin.get("/admin")
        self.assertEqual(status, 200)
        self.assertIn('<span class="count">(120) · page 1 of 3</span>', first)
        self.assertEqual(self.titles(first), [f"Queued practice {n:03}" for n in range(1, 51)])
        self.assertIn('href="/admin?page=2" rel="next"', first)
        self.assertNotIn('rel="prev"', first)
        status, _, last = self.admin.get("/admin?page=3")
        self.assertEqual(status, 200)
        self.assertEqual(self.titles(last), [f"Queued practice {n:03}" for n in range(101, 121)])
        self.assertIn('href="/admin?page=2" rel="prev"', last)
        self.assertNotIn('rel="next"', last)
        status, got, _ = self.admin.get("/admin?page=9")
        self.assertEqual((status, got["location"]), (303, "/admin?page=3"))
        for wrong in ("0", "-1", "two", "99999999999999999999", str(2**32 // 50 + 1)):
            status, _, body = self.admin.get("/admin?page=" + wrong)
            self.assertEqual(status, 400, wrong)
            self.assertIn("There is no such page of the queue.", body)
        status, _, _ = self.admin.get(f"/admin?page={2**32 // 50}")
        self.assertEqual(status, 303, "the highest page there may be goes to the last")
        self.assertNotIn('name="page"', first, "page 1's forms go back to /admin")

        # moderating from a page goes back to it
        _, _, body = self.admin.get("/admin?page=2")
        token = form_token(body)
        first = re.search(r'action="/admin/practices/(\d+)/reject"', body).group(1)
        self.assertIn('<input type="hidden" name="page" value="2">', body)
        status, got, _ = self.admin.post(f"/admin/practices/{first}/reject",
                                         {"csrf": token, "page": "2", "reason": ""})
        self.assertEqual((status, got["location"]), (303, f"/admin?page=2&rejected={first}"))
        status, _, body = self.admin.get(got["location"])
        self.assertIn("is rejected", body)
        status, got, _ = self.admin.post(f"/admin/practices/{first}/publish",
                                         {"csrf": token, "page": "x"})
        self.assertEqual((status, got["location"]), (303, f"/admin?published={first}"))
        status, got, _ = self.admin.get(f"/admin?page=7&published={first}")
        self.assertEqual((status, got["location"]), (303, f"/admin?page=3&published={first}"))


class WebModeratorsDefaultTest(unittest.TestCase):
    """notify-email with an empty `moderators` (as unset): a submission's mail goes to every
    enabled admin account, as the accounts are at the time of the submission (px.admins())."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-web-moderators-")
        cls.server = Server(config=(
            f"[plugins]\ndir = {os.path.join(ROOT, 'plugins')}\nenabled = notify-email\n"
            "[plugin:notify-email]\nsmtp_url = smtp://127.0.0.1:9\nfrom = praxis@example.org\n"
            "moderators =\n"))
        cls.db = cls.server.db
        for email, role in (("second-admin@example.org", "admin"),
                            ("gone-admin@example.org", "admin")):
            subprocess.run([os.environ["PRAXIS_BIN"], "user", "add", "--db", cls.db, email,
                            "--role", role], capture_output=True, timeout=60, check=True)
        subprocess.run([os.environ["PRAXIS_BIN"], "user", "disable", "--db", cls.db,
                        "gone-admin@example.org"], capture_output=True, timeout=60, check=True)
        cls.partner = Browser(cls.server, sign_in(cls.server, "partner@example.org"),
                              "192.0.2.40")
        cls.token = cls.partner.token()
        time.sleep(3.2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def test_admins_hear_of_a_submission(self):
        status, _, _ = self.partner.post("/submit", dict(good_practice(title="Tell the admins"),
                                                         csrf=self.token))
        self.assertEqual(status, 303)
        connection = sqlite3.connect(self.db)
        try:
            mails = connection.execute("SELECT recipients, subject FROM outbox WHERE kind = 'mail' "
                                       "AND event = 'practice.submitted'").fetchall()
        finally:
            connection.close()
        self.assertEqual(mails, [("admin@example.org\nsecond-admin@example.org\n",
                                  "New practice to moderate: Tell the admins")])


if __name__ == "__main__":
    unittest.main()
