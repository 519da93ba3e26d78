#!/usr/bin/env python3
"""notify-webhook and notify-email through the real server and real peers on 127.0.0.1: a
webhook receiver (http.server) and an SMTP sink (aiosmtpd). The message shape and signature, the
retries, the counts in /metrics, and a server killed between commit and delivery that delivers
the message after its restart."""
import hashlib
import hmac
import http.server
import json
import mailbox
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from email.header import decode_header, make_header

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
from harness import Server  # noqa: E402

DEMO = os.path.join(ROOT, "scripts", "data", "demo-practices.jsonl")
SECRET = "s3cret-\u00e5"  # non-ASCII: the key is the secret's UTF-8 bytes
DEADLINE = 30


class Receiver:
    """A webhook receiver: records each POST; answers the statuses of @answers in turn, then 200."""

    def __init__(self, port=0, answers=()):
        self.posts = []
        self.answers = list(answers)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def config(plugins):
    return (f"[plugins]\ndir={ROOT}/plugins\nenabled={plugins}\n"
            "[notify]\nretry_base_ms=100\nmax_attempts=5\n")


def submit(server, title="A language café in Oulu"):
    status, _, practice = server.request("POST", "/api/practices", token="partner", body={
        "title": title, "summary": "Newcomers and neighbours meet weekly.", "country": "FI",
        "city": "Oulu", "language": "en"})
    assert status == 201, practice
    return practice


class Webhook(unittest.TestCase):
    def test_signed_messages_with_retries(self):
        receiver = Receiver(answers=[500, 503])
        server = Server(DEMO, config=config("notify-webhook") + (
            f"[plugin:notify-webhook]\nurl=http://127.0.0.1:{receiver.port}/hook\n"
            f"secret={SECRET}\nevents=practice.submitted;practice.published\n"))
        try:
            practice = submit(server)
            status, _, _ = server.request("POST", f"/api/practices/{practice['id']}/publish",
                                          token="admin")
            self.assertEqual(status, 200)
            wait_for(lambda: len(receiver.posts) >= 4, "two messages, one retried twice")
            delivered = {}
            for headers, body in receiver.posts:
                message = json.loads(body)
                self.assertEqual(list(message), ["id", "event", "practice"])
                self.assertEqual(headers["Content-Type"], "application/json")
                self.assertEqual(headers["X-Praxis-Delivery"], message["id"])
                signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                self.assertEqual(headers["X-Praxis-Signature"], "sha256=" + signature)
                self.assertEqual(message["practice"]["uid"], practice["uid"])
                self.assertNotIn("contact", message["practice"])
                delivered.setdefault(message["event"], set()).add(message["id"])
            self.assertEqual(sorted(delivered), ["practice.published", "practice.submitted"])
            # the one retried kept its id: one id per event
            self.assertEqual([len(ids) for ids in delivered.values()], [1, 1])
            metrics = wait_for(lambda: (lambda m: 'praxis_outbox_messages_total{state="delivered"} 2'
                                        in m and m)(server.request("GET", "/metrics")[2]),
                               "the counts")
            self.assertIn('praxis_outbox_messages_total{state="retried"} 2', metrics)
            self.assertIn("praxis_outbox_pending 0", metrics)
        finally:
            server.stop()
            receiver.stop()

    def test_a_crash_between_commit_and_delivery_loses_nothing(self):
        port = free_port()  # nobody listens there yet: the delivery fails and waits
        server = Server(DEMO, config=config("notify-webhook") + (
            f"[plugin:notify-webhook]\nurl=http://127.0.0.1:{port}/hook\nsecret={SECRET}\n"))
        receiver = None
        try:
            practice = submit(server)
            status, _, _ = server.request("POST", f"/api/practices/{practice['id']}/publish",
                                          token="admin")
            self.assertEqual(status, 200)
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
            server.process = None
            receiver = Receiver(port=port)
            command = [os.environ["PRAXIS_BIN"], "serve", "--db", server.db, "--listen",
                       "127.0.0.1:0", "--config", server.config_path]
            server.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True)
            self.assertTrue(server.process.stdout.readline().startswith("listening on"))
            wait_for(lambda: receiver.posts, "the message after the restart")
            message = json.loads(receiver.posts[0][1])
            self.assertEqual((message["event"], message["practice"]["uid"]),
                             ("practice.published", practice["uid"]))
        finally:
            server.stop()
            if receiver:
                receiver.stop()


class Email(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-mail-")
        self.maildir = os.path.join(self.tmp.name, "mail")
        self.sink = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "tests", "notify",
                                                                      "smtp_sink.py"),
                                      self.maildir], stdout=subprocess.PIPE, text=True)
        self.port = int(self.sink.stdout.readline())

    def tearDown(self):
        self.sink.kill()
        self.sink.wait()
        self.tmp.cleanup()

    def messages(self):
        if not os.path.isdir(os.path.join(self.maildir, "new")):
            return []
        return [(str(make_header(decode_header(m["Subject"]))), " ".join(m["To"].split()),
                 m.get_payload(decode=True).decode()) for m in mailbox.Maildir(self.maildir)]

    def test_moderators_and_the_partner_are_told(self):
        server = Server(DEMO, config=config("notify-email") + (
            f"[plugin:notify-email]\nsmtp_url=smtp://127.0.0.1:{self.port}\n"
            "from=praxis@example.org\nmoderators=mod1@example.org;mod2@example.org\n"
            "site_url=https://praxis.example.org/\n"))
        try:
            published = submit(server, "Café de idiomas en Bilbao")
            rejected = submit(server, "Not quite a practice")
            wait_for(lambda: len(self.messages()) >= 2, "the moderators' mail")
            status, _, answer = server.request("POST", f"/api/practices/{published['id']}/publish",
                                               token="admin")
            self.assertEqual(status, 200, answer)
            status, _, answer = server.request("POST", f"/api/practices/{rejected['id']}/reject",
                                               token="admin",
                                               body={"reason": "It is an event, not a practice."})
            self.assertEqual(status, 200, answer)
            mail = wait_for(lambda: (lambda m: len(m) >= 4 and m)(self.messages()),
                            "the partner's mail")
            subjects = {subject: (to, text) for subject, to, text in mail}
            to, text = subjects["New practice to moderate: Café de idiomas en Bilbao"]
            self.assertEqual(to, "mod1@example.org, mod2@example.org")
            self.assertIn(f"https://praxis.example.org/practices/{published['id']}", text)
            self.assertIn("because you moderate", text)
            to, text = subjects["Your practice is published: Café de idiomas en Bilbao"]
            self.assertEqual(to, "partner@example.org")
            to, text = subjects["Your practice was not published: Not quite a practice"]
            self.assertEqual(to, "partner@example.org")
            self.assertIn("It is an event, not a practice.", text)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
