#!/usr/bin/env python3
"""E-mail subscriptions through the real server and a real SMTP sink on 127.0.0.1 (aiosmtpd,
tests/notify/smtp_sink.py): a practice an admin publishes reaches the subscriber whose search
finds it, with the RFC 8058 headers, newest first; a practice no search finds, or one published
before the subscription, sends nothing; `praxis subscription add` without --confirmed sends
only the confirmation (in --language). The mails speak the language of the page they were
asked from (Accept-Language or the language link's cookie). The pages: /subscribe (the form, its refusals: honeypot, fill time,
address, form token, the limit per client), the confirmation link, /unsubscribe's button and
RFC 8058's one-click POST (urlencoded or multipart, from another site, without token or
session), in English and Swedish, and a server without [mail]."""
import mailbox
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid
from email.header import decode_header, make_header

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from harness import Server, praxis  # noqa: E402

BASE = "https://praxis.example.org"
DEADLINE = 30


def wait_for(predicate, what):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def start_sink(maildir):
    sink = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "tests", "notify",
                                                             "smtp_sink.py"), maildir],
                            stdout=subprocess.PIPE, text=True)
    return sink, int(sink.stdout.readline())


def mail_config(port):
    return (f"[mail]\nsmtp_url=smtp://127.0.0.1:{port}\nfrom=praxis@example.org\n"
            f"[web]\nbase_url={BASE}/\n"
            "[subscriptions]\ninterval_s=1\n"
            "[notify]\nretry_base_ms=100\n")


def csrf_of(body):
    match = re.search(r'name="csrf" value="([^"]+)"', body)
    assert match, body
    return match.group(1)


class Subscriptions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-subscriptions-")
        self.maildir = os.path.join(self.tmp.name, "mail")
        self.sink, port = start_sink(self.maildir)
        self.server = Server(config=mail_config(port))

    def tearDown(self):
        try:
            self.server.stop()
        finally:
            self.sink.kill()
            self.sink.wait()
            self.sink.stdout.close()
            self.tmp.cleanup()

    def mails(self):
        if not os.path.isdir(os.path.join(self.maildir, "new")):
            return []
        return list(mailbox.Maildir(self.maildir))

    def subscribe(self, email, search, *options):
        return praxis("subscription", "add", email, "--search", search, *options,
                      "--config", self.server.config_path, db=self.server.db)

    def tokens(self):
        """{email: token} of `praxis subscription list`"""
        listing = praxis("subscription", "list", db=self.server.db)
        return {line.split("\t")[1]: line.split("\t")[0] for line in listing.splitlines()}

    def submit_and_publish(self, title, country="FI", city="Oulu"):
        status, _, practice = self.server.request("POST", "/api/practices", token="partner", body={
            "title": title, "summary": "Newcomers and neighbours meet weekly.",
            "country": country, "city": city, "language": "en"})
        self.assertEqual(status, 201, practice)
        status, _, answer = self.server.request(
            "POST", f"/api/practices/{practice['id']}/publish", token="admin")
        self.assertEqual(status, 200, answer)
        return practice["id"]

    def test_a_published_practice_reaches_the_subscriber_whose_search_finds_it(self):
        out = self.subscribe("ana@example.org", "q=language café&country=FI", "--confirmed")
        self.assertEqual(out, 'subscribed ana@example.org to "language café", country FI '
                              "(immediate)\n")
        self.subscribe("bo@example.org", "q=zebra crossing", "--confirmed")
        tokens = self.tokens()
        health = self.submit_and_publish("Health guides in Tampere", city="Tampere")
        older = self.submit_and_publish("A language café in Oulu")
        newer = self.submit_and_publish("Language café for parents", city="Turku")
        mail = wait_for(self.mails, "the digest")[0]
        # the three were published within a run or two: wait for any further digest
        time.sleep(3)
        mails = self.mails()
        self.assertTrue(all(m["To"] == "ana@example.org" for m in mails), [m["To"] for m in mails])
        text = "".join(m.get_payload(decode=True).decode() for m in mails)
        self.assertEqual(text.count(f"{BASE}/practices/{older}\n"), 1, text)
        self.assertEqual(text.count(f"{BASE}/practices/{newer}\n"), 1, text)
        self.assertNotIn(f"/practices/{health}\n", text)
        self.assertNotIn("Tampere", text)

        body = mail.get_payload(decode=True).decode()
        self.assertEqual(mail["From"], "praxis@example.org")
        self.assertEqual(mail["List-Unsubscribe"],
                         f"<{BASE}/unsubscribe?token={tokens['ana@example.org']}>")
        self.assertEqual(mail["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertEqual(mail["Auto-Submitted"], "auto-generated")
        self.assertIn("You receive this message because you subscribed on Praxis to new practices "
                      'of the search "language café", country FI as soon as they are published.',
                      body)
        self.assertIn(f"unsubscribe (one click, no sign-in): {BASE}/unsubscribe?token="
                      f"{tokens['ana@example.org']}\n", body)
        subject = str(make_header(decode_header(mail["Subject"])))
        self.assertRegex(subject, r'^Praxis: [12] new practices? for "language café", country FI$')
        if len(mails) == 1:
            self.assertTrue(body.index(f"/practices/{newer}\n") < body.index(f"/practices/{older}\n"))
        # what the test data held before the subscription is never sent
        sent = {int(id) for id in re.findall(r"/practices/(\d+)\n", text)}
        self.assertEqual(sent, {older, newer})

    def test_an_unconfirmed_subscription_gets_only_its_confirmation(self):
        out = self.subscribe("cy@example.org", "q=language", "--frequency", "daily")
        self.assertEqual(out, 'confirmation sent to cy@example.org to "language" (daily)\n')
        token = self.tokens()["cy@example.org"]
        mail = wait_for(self.mails, "the confirmation")[0]
        self.assertEqual(mail["To"], "cy@example.org")
        self.assertEqual(str(make_header(decode_header(mail["Subject"]))),
                         "Praxis: please confirm your subscription")
        self.assertIn(f"{BASE}/subscriptions/confirm?token={token}\n",
                      mail.get_payload(decode=True).decode())
        self.assertIsNone(mail["List-Unsubscribe"])
        self.submit_and_publish("A language café in Oulu")
        time.sleep(3)
        self.assertEqual(len(self.mails()), 1)
        # asking again at once sends no second confirmation
        out = self.subscribe("cy@example.org", "q=language")
        self.assertEqual(out, 'confirmation not sent again to cy@example.org to "language" '
                              "(immediate)\n")
        self.assertEqual(praxis("subscription", "remove", token, db=self.server.db),
                         "removed the subscription of cy@example.org\n")
        self.assertEqual(praxis("subscription", "list", db=self.server.db), "")
        binary = os.environ["PRAXIS_BIN"]
        for args, status, why in ((["remove", token], 1, "no subscription"),
                                  (["add", "cy@example.org", "--frequency", "hourly"], 2,
                                   "--frequency must be immediate, daily or weekly"),
                                  (["add", "not an address", "--confirmed"], 1,
                                   "must be an e-mail address"),
                                  (["add", "cy@example.org", "--search", "country=Finland"], 1,
                                   "is not a search"),
                                  (["add", "cy@example.org", "--language", "xx"], 2,
                                   "--language must be one of en, sv"),
                                  (["frobnicate"], 2, "use: praxis subscription")):
            result = subprocess.run([binary, "subscription", *args, "--db", self.server.db],
                                    capture_output=True, text=True, timeout=60, check=False)
            self.assertEqual(result.returncode, status, (args, result.stderr))
            self.assertIn(why, result.stderr)
        # --language: the mails in one of the pages' languages
        self.subscribe("dy@example.org", "q=language", "--language", "sv")
        mail = wait_for(lambda: [m for m in self.mails() if m["To"] == "dy@example.org"],
                        "the Swedish confirmation")[0]
        self.assertEqual(str(make_header(decode_header(mail["Subject"]))),
                         "Praxis: bekräfta din prenumeration")
        self.assertIn('sökningen "language" så snart de publiceras',
                      mail.get_payload(decode=True).decode())


class Pages(unittest.TestCase):
    """The visitor's pages, on one server and sink; a form token made at the start and older
    than the minimum fill time serves every test's posts."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-subscribe-")
        cls.maildir = os.path.join(cls.tmp.name, "mail")
        cls.sink, port = start_sink(cls.maildir)
        cls.server = Server(config=mail_config(port))
        status, _, body = cls.server.request("GET", "/subscribe?q=language&country=FI")
        assert status == 200, body
        cls.token = csrf_of(body)
        time.sleep(3.2)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.sink.kill()
            cls.sink.wait()
            cls.sink.stdout.close()
            cls.tmp.cleanup()

    def client(self):
        return "10.9.%d.%d" % divmod(uuid.uuid4().int % 65536, 256)

    def get(self, path, headers=None):
        return self.server.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None, client=None):
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        headers["X-Forwarded-For"] = client or self.client()
        body = fields if isinstance(fields, str) else urllib.parse.urlencode(fields)
        return self.server.request("POST", path, body=body, headers=headers)

    def subscribe(self, email, search="q=language&country=FI", frequency="immediate", **extra):
        fields = {"csrf": self.token, "search": search, "email": email, "frequency": frequency,
                  "website": ""}
        fields.update(extra)
        return self.post("/subscribe", fields)

    def mails_to(self, address):
        if not os.path.isdir(os.path.join(self.maildir, "new")):
            return []
        return [m for m in mailbox.Maildir(self.maildir) if m["To"] == address]

    def token_of(self, address):
        """the token of the confirmation mail that @address receives"""
        mail = wait_for(lambda: [m for m in self.mails_to(address) if "confirm" in m["Subject"]],
                        "the confirmation to " + address)[0]
        match = re.search(re.escape(BASE) + r"/subscriptions/confirm\?token=([A-Za-z0-9_-]{43})\n",
                          mail.get_payload(decode=True).decode())
        self.assertIsNotNone(match, mail.get_payload(decode=True).decode())
        return match.group(1)

    def publish(self, title):
        status, _, practice = self.server.request("POST", "/api/practices", token="partner", body={
            "title": title, "summary": "Neighbours meet weekly.", "country": "FI",
            "city": "Oulu", "language": "en"})
        self.assertEqual(status, 201, practice)
        status, _, answer = self.server.request(
            "POST", f"/api/practices/{practice['id']}/publish", token="admin")
        self.assertEqual(status, 200, answer)
        return practice["id"]

    def test_the_form_names_the_search(self):
        status, headers, body = self.get("/subscribe?country=FI&q=language+caf%C3%A9&page=2")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/html"))
        self.assertIn("Content-Security-Policy", {k.title(): v for k, v in headers.items()})
        self.assertIn('<form method="post" action="/subscribe" novalidate>', body)
        self.assertIn('<input type="hidden" name="search" value="q=language%20caf%C3%A9&amp;'
                      'country=FI">', body)
        self.assertIn('<input type="email" id="email" name="email"', body)
        self.assertRegex(body, r'<input type="radio" name="frequency" value="daily" checked>')
        self.assertIn('name="website"', body)
        self.assertIn("<dt>Words</dt><dd>language café</dd>", body)
        self.assertIn("<dt>Country</dt><dd>FI</dd>", body)
        status, _, body = self.get("/subscribe")
        self.assertIn("Every new practice, whatever it is about.", body)
        status, _, body = self.get("/subscribe?country=Finland")
        self.assertEqual(status, 400)
        self.assertIn("ISO 3166-1", body)
        status, _, body = self.get("/subscribe?q=language", headers={"Accept-Language": "sv"})
        self.assertIn("Prenumerera på en sökning", body)
        self.assertIn("<dt>Ord</dt><dd>language</dd>", body)

    def test_the_mails_speak_the_language_of_the_page(self):
        def confirmation_to(address):
            mail = wait_for(lambda: self.mails_to(address), "the confirmation to " + address)[0]
            text = mail.get_payload(decode=True).decode()
            token = re.search(re.escape(BASE) + r"/subscriptions/confirm\?token=([A-Za-z0-9_-]{43})\n",
                              text)
            self.assertIsNotNone(token, text)
            return str(make_header(decode_header(mail["Subject"]))), text, token.group(1)

        def swedish(address, headers):
            fields = {"csrf": self.token, "search": "q=language&country=FI", "email": address,
                      "frequency": "immediate", "website": ""}
            status, _, body = self.post("/subscribe", fields, headers=headers)
            self.assertEqual(status, 200, body)
            subject, text, token = confirmation_to(address)
            self.assertEqual(subject, "Praxis: bekräfta din prenumeration")
            self.assertIn("Någon, förhoppningsvis du, har bett Praxis att skicka den här adressen "
                          'nya exempel från sökningen "language", land FI så snart de publiceras.',
                          text)
            self.assertIn("Öppna den här länken för att bekräfta:\n", text)
            self.assertNotIn("confirm,", text.lower())
            return token

        # the browser's Accept-Language, then the language link's cookie (over the header)
        token = swedish("sv-header@example.org", {"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"})
        status, headers, _ = self.get("/language?set=sv&back=/")
        self.assertEqual(status, 303)
        cookie = headers["set-cookie"].split(";")[0]
        swedish("sv-cookie@example.org", {"Cookie": cookie, "Accept-Language": "en"})
        # English otherwise
        self.assertEqual(self.subscribe("en@example.org")[0], 200)
        subject, text, _ = confirmation_to("en@example.org")
        self.assertEqual(subject, "Praxis: please confirm your subscription")
        self.assertIn('asked Praxis to send this address new practices of the search "language", '
                      "country FI as soon as they are published.", text)

        # confirmed, its digest is Swedish too (the headers as ever)
        status, _, page = self.get(f"/subscriptions/confirm?token={token}")
        status, _, body = self.post(f"/subscriptions/confirm?token={token}", {"csrf": csrf_of(page)})
        self.assertEqual(status, 200, body)
        self.publish("Language café in Oulu")
        digest = wait_for(lambda: [m for m in self.mails_to("sv-header@example.org")
                                   if "exempel för" in str(make_header(decode_header(m["Subject"])))],
                          "the Swedish digest")[0]
        self.assertEqual(str(make_header(decode_header(digest["Subject"]))),
                         'Praxis: 1 nytt exempel för "language", land FI')
        text = digest.get_payload(decode=True).decode()
        self.assertTrue(text.startswith("Du får det här meddelandet eftersom du prenumererar på "
                                        "Praxis på nya exempel från sökningen"), text)
        self.assertIn("* Language café in Oulu\n", text)
        self.assertEqual(digest["List-Unsubscribe"], f"<{BASE}/unsubscribe?token={token}>")
        self.assertEqual(digest["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

    def test_subscribe_confirm_and_unsubscribe_in_one_click(self):
        status, _, body = self.subscribe("ana@example.org")
        self.assertEqual(status, 200, body)
        self.assertIn("Check your inbox", body)
        self.assertIn("We are sending a message to ana@example.org.", body)
        token = self.token_of("ana@example.org")
        # nothing but the confirmation before it is confirmed
        self.publish("Language café before confirming")
        time.sleep(2.5)
        self.assertEqual(len(self.mails_to("ana@example.org")), 1)

        # the mail's link only asks (a mail scanner that opens it confirms nothing)
        for _ in range(2):
            status, headers, page = self.get(f"/subscriptions/confirm?token={token}")
            self.assertEqual(status, 200, page)
            self.assertIn("Confirm your subscription", page)
            self.assertIn("Confirm, and new practices of this search will come to ana@example.org. "
                          "How often: As soon as a practice is published.", page)
            self.assertIn("<dt>Country</dt><dd>FI</dd>", page)
            self.assertIn(f'<form method="post" action="/subscriptions/confirm?token={token}">', page)
            self.assertIn("ana@example.org\timmediate\tunconfirmed",
                          praxis("subscription", "list", db=self.server.db))
        status, _, body = self.get(f"/subscriptions/confirm?token={token}", headers={"Accept-Language": "sv"})
        self.assertIn("Bekräfta din prenumeration", body)
        # the button: the link's token is its proof (the visitor has no session)
        status, _, body = self.post(f"/subscriptions/confirm?token={token}", {"csrf": csrf_of(page)})
        self.assertEqual(status, 200, body)
        self.assertIn("You are subscribed", body)
        self.assertIn("New practices of this search will come to ana@example.org. How often: "
                      "As soon as a practice is published.", body)
        self.assertIn(f'href="/unsubscribe?token={token}"', body)
        self.assertIn('href="/?q=language&amp;country=FI"', body)
        self.assertNotIn("ana@example.org\timmediate\tunconfirmed",
                         praxis("subscription", "list", db=self.server.db))
        status, _, body = self.post(f"/subscriptions/confirm?token={token}", {})
        self.assertEqual(status, 200, "a second press is no error")
        # a confirmed subscription's link says so
        status, _, body = self.get(f"/subscriptions/confirm?token={token}")
        self.assertEqual(status, 200, body)
        self.assertIn("You are subscribed", body)

        practice = self.publish("Language café after confirming")
        digest = wait_for(lambda: [m for m in self.mails_to("ana@example.org")
                                   if m["List-Unsubscribe"]], "the digest")[0]
        text = digest.get_payload(decode=True).decode()
        self.assertIn(f"{BASE}/practices/{practice}\n", text)
        self.assertNotIn("before confirming", text)
        link = digest["List-Unsubscribe"]
        self.assertEqual(link, f"<{BASE}/unsubscribe?token={token}>")
        self.assertEqual(digest["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        path = link[1:-1][len(BASE):]

        status, _, body = self.get(path)
        self.assertEqual(status, 200)
        self.assertIn("The messages about this search go to ana@example.org.", body)
        self.assertIn(f'<form method="post" action="/unsubscribe?token={token}">', body)
        # RFC 8058: a mail reader's POST, from its own site, with no form token and no cookie
        status, _, body = self.post(path, "List-Unsubscribe=One-Click",
                                    headers={"Origin": "https://mail.example.net",
                                             "Sec-Fetch-Site": "cross-site"})
        self.assertEqual(status, 200, body)
        self.assertIn("You are unsubscribed", body)
        self.assertNotIn("ana@example.org", praxis("subscription", "list", db=self.server.db))
        status, _, body = self.post(path, "List-Unsubscribe=One-Click")
        self.assertEqual(status, 404)
        self.assertIn("No subscription has this link", body)
        self.publish("Language café after unsubscribing")
        time.sleep(2.5)
        self.assertEqual(len(self.mails_to("ana@example.org")), 2)

    def test_one_click_as_multipart_and_the_button(self):
        for address in ("bo@example.org", "cy@example.org"):
            self.assertEqual(self.subscribe(address, search="q=multipart")[0], 200)
        bo, cy = self.token_of("bo@example.org"), self.token_of("cy@example.org")
        body = ("--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
                "One-Click\r\n--XyZ--\r\n")
        status, _, answer = self.post(f"/unsubscribe?token={bo}", body, headers={
            "Content-Type": "multipart/form-data; boundary=XyZ"})
        self.assertEqual(status, 200, answer)
        self.assertIn("You are unsubscribed.", answer)
        # the page's button: a form post of the page's own
        status, _, page = self.get(f"/unsubscribe?token={cy}")
        status, _, answer = self.post(f"/unsubscribe?token={cy}", {"csrf": csrf_of(page)})
        self.assertEqual(status, 200, answer)
        self.assertIn("No more messages about this search will come.", answer)
        listing = praxis("subscription", "list", db=self.server.db)
        self.assertNotIn("bo@example.org", listing)
        self.assertNotIn("cy@example.org", listing)
        for path in ("/unsubscribe?token=nope", "/unsubscribe", f"/unsubscribe?token={bo}",
                     "/subscriptions/confirm?token=" + "x" * 43, "/subscriptions/confirm"):
            status, _, answer = self.get(path)
            self.assertEqual(status, 404, path)
        for path in ("/subscriptions/confirm?token=" + "x" * 43, "/subscriptions/confirm"):
            status, _, answer = self.post(path, {})
            self.assertEqual(status, 404, path)
            self.assertIn("This confirmation link is unknown or has expired.", answer)
        # a confirmation's week over, its page is that of an unknown link
        self.assertEqual(self.subscribe("dy@example.org", search="q=expired")[0], 200)
        dy = self.token_of("dy@example.org")
        with sqlite3.connect(self.server.db) as connection:
            connection.execute("UPDATE subscriptions SET created_at = '2000-01-01T00:00:00Z' "
                               "WHERE email = 'dy@example.org'")
        for method in ("GET", "POST"):
            status, _, answer = (self.get if method == "GET" else
                                 lambda path: self.post(path, {}))(f"/subscriptions/confirm?token={dy}")
            self.assertEqual(status, 404, method)
            self.assertIn("This confirmation link is unknown or has expired.", answer)

    def test_refusals_keep_what_was_typed(self):
        cases = (
            ({"email": "not an address"}, "Enter an e-mail address such as name@example.org."),
            ({"email": ""}, "Enter your e-mail address."),
            ({"frequency": "hourly"}, "Choose how often we may write."),
            ({"website": "http://spam.example"}, "The field that must stay empty was filled in."),
        )
        for fields, message in cases:
            email = fields.pop("email", "dee@example.org")
            status, _, body = self.subscribe(email, **fields)
            self.assertEqual(status, 422, (fields, body))
            self.assertIn('<div class="error-summary" role="alert"', body)
            self.assertIn(message, body)
            if email:
                self.assertIn(f'value="{email}"', body)
        status, _, body = self.subscribe('"><script>alert(1)</script>@example.org')
        self.assertEqual(status, 422)
        self.assertNotIn("<script>alert", body)
        self.assertIn("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.org", body)
        self.assertIn('aria-invalid="true"', body)
        self.assertIn('<a href="#email">', body)
        # a form sent at once is a robot's; one without its token is refused
        status, _, page = self.get("/subscribe?q=x")
        status, _, body = self.post("/subscribe", {"csrf": csrf_of(page), "search": "q=x",
                                                   "email": "quick@example.org",
                                                   "frequency": "daily"})
        self.assertEqual(status, 422)
        self.assertIn("That was quicker than a person types.", body)
        status, _, body = self.post("/subscribe", {"search": "q=x", "email": "e@example.org",
                                                   "frequency": "daily"})
        self.assertEqual(status, 403)
        status, _, body = self.subscribe("e@example.org", search="country=Finland")
        self.assertEqual(status, 400)
        time.sleep(1.5)
        for address in ("dee@example.org", "quick@example.org", "e@example.org"):
            self.assertEqual(self.mails_to(address), [])

    def test_the_search_may_come_as_its_own_fields(self):
        status, _, body = self.post("/subscribe", {"csrf": self.token, "q": "garden",
                                                   "theme": "health", "email": "fy@example.org",
                                                   "frequency": "weekly"})
        self.assertEqual(status, 200, body)
        self.token_of("fy@example.org")
        listing = praxis("subscription", "list", db=self.server.db)
        self.assertIn("fy@example.org\tweekly\tunconfirmed\tq=garden&theme=health", listing)

    def test_ten_an_hour_per_client(self):
        client = self.client()
        for i in range(10):
            status, _, body = self.post("/subscribe", {
                "csrf": self.token, "search": "q=limit", "email": f"limit{i}@example.org",
                "frequency": "daily"}, client=client)
            self.assertEqual(status, 200, body)
        status, _, body = self.post("/subscribe", {
            "csrf": self.token, "search": "q=limit", "email": "limit10@example.org",
            "frequency": "daily"}, client=client)
        self.assertEqual(status, 429)
        self.assertIn("Many subscriptions came from your address in the last hour.", body)
        status, _, body = self.post("/subscribe", {
            "csrf": self.token, "search": "q=limit", "email": "limit10@example.org",
            "frequency": "daily"}, headers={"Accept-Language": "sv"}, client=self.client())
        self.assertEqual(status, 200)
        self.assertIn("Titta i din inkorg", body)


class WithoutMail(unittest.TestCase):
    def test_no_subscriptions_without_mail(self):
        server = Server()
        try:
            status, _, page = server.request("GET", "/subscribe?q=x")
            self.assertEqual(status, 200)
            time.sleep(3.1)
            status, _, body = server.request("POST", "/subscribe", body=urllib.parse.urlencode({
                "csrf": csrf_of(page), "search": "q=x", "email": "a@example.org",
                "frequency": "daily"}), headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(status, 503)
            self.assertIn("This server sends no e-mail", body)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
