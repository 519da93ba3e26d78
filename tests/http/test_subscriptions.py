#!/usr/bin/env python3
"""E-mail subscriptions through the real server and a real SMTP sink on 127.0.0.1 (aiosmtpd,
tests/notify/smtp_sink.py): a practice an admin publishes reaches the subscriber whose search
finds it, with the RFC 8058 headers, newest first; a practice no search finds, or one published
before the subscription, sends nothing; `praxis subscription add` without --confirmed sends
only the confirmation."""
import mailbox
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
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


class Subscriptions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-subscriptions-")
        self.maildir = os.path.join(self.tmp.name, "mail")
        self.sink = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "tests", "notify",
                                                                      "smtp_sink.py"),
                                      self.maildir], stdout=subprocess.PIPE, text=True)
        port = int(self.sink.stdout.readline())
        self.server = Server(config=(
            f"[mail]\nsmtp_url=smtp://127.0.0.1:{port}\nfrom=praxis@example.org\n"
            f"[web]\nbase_url={BASE}/\n"
            "[subscriptions]\ninterval_s=1\n"
            "[notify]\nretry_base_ms=100\n"))

    def tearDown(self):
        self.server.stop()
        self.sink.kill()
        self.sink.wait()
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


if __name__ == "__main__":
    unittest.main()
