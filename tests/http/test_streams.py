"""Streams that end, and requests that go away with their clients (issue 5, point 2).

An export over a run of more than 500 rows the caller may not see (a burst of pending
submissions) must end promptly with exactly the published rows; clients that leave an export or
a slow search while it waits or runs must not leave descriptors behind. Bounded by count and time.
"""
import concurrent.futures
import datetime
import json
import os
import socket
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402
from test_connections import fd_count  # noqa: E402

HIDDEN = 1000  # pending submissions in a row: two whole export pages of 500 hold none
ABORTED = 200
SETTLE = 5  # seconds the descriptors may take to come back


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def export_uids(text):
    return [json.loads(line)["uid"] for line in text.splitlines() if line.strip()]


def new_practice(i):
    return {"title": f"Pending practice {i}", "summary": "Waits for moderation.",
            "country": "FI", "focus_areas": ["interact"], "themes": ["testing"],
            "language": "en", "year": 2024}


class HiddenRun(unittest.TestCase):
    """1,000 pending practices from a partner, then three published ones."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        if cls.server.via_proxy:
            return
        status, _, text = cls.server.request("GET", "/api/export")
        assert status == 200, (status, text)
        cls.before = set(export_uids(text))
        cls.since = utc_now()

        def create(i):
            status, _, body = cls.server.request("POST", "/api/practices", new_practice(i),
                                                 token="partner")
            assert status == 201, (status, body)
            return body["id"]

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(create, range(HIDDEN)))
        cls.published = set()
        for i in range(3):
            status, _, body = cls.server.request("POST", "/api/practices",
                                                 new_practice(f"late-{i}"), token="partner")
            assert status == 201, (status, body)
            status, _, _ = cls.server.request("POST", f"/api/practices/{body['id']}/publish",
                                              token="admin")
            assert status == 200, status
            cls.published.add(body["uid"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        if self.server.via_proxy:
            self.skipTest("writes 1,000 practices: needs its own server")

    def export(self, path, token=None):
        start = time.monotonic()
        status, headers, text = self.server.request("GET", path, token=token)
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - start, 5)
        return export_uids(text)

    def test_anonymous_export_ends(self):
        uids = self.export("/api/export")
        self.assertEqual(len(uids), len(set(uids)))
        self.assertEqual(set(uids), self.before | self.published)

    def test_since_export_ends(self):
        uids = self.export("/api/export?since=" + self.since)
        self.assertEqual(sorted(uids), sorted(self.published))

    def test_partner_sees_only_published(self):
        self.assertEqual(set(self.export("/api/export", token="partner")),
                         self.before | self.published)

    def test_admin_sees_all(self):
        self.assertEqual(len(self.export("/api/export", token="admin")),
                         len(self.before) + 1 + HIDDEN + 3)

    def test_head_export_ends(self):
        status, _, _ = self.server.request("HEAD", "/api/export")
        self.assertEqual(status, 200)


def slow_data(path, count, hidden_from=0):
    """Practices with long texts, so that a search over two prefixes takes about 0.1 s; 1,100
    from @hidden_from on are pending, so two whole export pages hold nothing public."""
    words = [f"w{n:04d}x" for n in range(2000)]
    with open(path, "w") as out:
        for i in range(count):
            text = " ".join(words[(i * 7 + k) % len(words)] for k in range(120))
            out.write(json.dumps({"uid": f"slow-{i}", "title": f"Practice {i}", "summary": text,
                                  "body": text, "country": "SE",
                                  "status": "pending" if 0 <= i - hidden_from < HIDDEN + 100
                                  else "published"}) + "\n")


class ClientsLeave(unittest.TestCase):
    """Aborted exports and aborted slow searches give their descriptors back."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-streams-")
        data = os.path.join(cls.tmp.name, "slow.jsonl")
        slow_data(data, HIDDEN + 100 + 3000)
        # one search thread: aborted searches queue up behind each other
        cls.server = Server(data, config="[server]\nworkers=1\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def setUp(self):
        if self.server.process is None:
            self.skipTest("counts the descriptors of its own server process")
        self.pid = self.server.process.pid
        status, _, _ = self.server.request("GET", "/healthz")
        self.assertEqual(status, 200)
        time.sleep(0.3)
        self.baseline = fd_count(self.pid)

    def abort(self, path):
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())

    def settle(self):
        # answered on the main loop after the connections before it were accepted and read
        status, _, _ = self.server.request("GET", "/no-such-page")
        self.assertEqual(status, 404)
        time.sleep(0.2)
        deadline = time.monotonic() + SETTLE
        while time.monotonic() < deadline:
            now = fd_count(self.pid)
            if now <= self.baseline + 2:
                return now
            time.sleep(0.1)
        return fd_count(self.pid)

    def assert_alive(self):
        # a server still busy with the work of clients that left would not answer in time
        status, _, body = self.server.request("GET", "/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))

    def test_aborted_exports(self):
        for i in range(ABORTED):
            self.abort("/api/export" if i % 2 else "/api/export?since=2000-01-01T00:00:00Z")
        after = self.settle()
        print(f"\n{ABORTED} aborted exports: fds {self.baseline} -> {after}")
        self.assertLessEqual(after, self.baseline + 5)
        self.assert_alive()

    def test_aborted_slow_searches(self):
        # about 0.1 s each; every request differs, so none is answered from the cache
        for i in range(ABORTED):
            self.abort(f"/api/practices?q=w0*+w1*&per_page={100 - i % 50}&page={1 + i // 50}")
        after = self.settle()
        print(f"\n{ABORTED} aborted searches: fds {self.baseline} -> {after}")
        self.assertLessEqual(after, self.baseline + 5)
        self.assert_alive()


class Shutdown(unittest.TestCase):
    """SIGTERM with exports under way and searches queued: a clean exit, no CRITICAL; an export
    that sent nothing yet gets 503, one under way ends without its last chunk, so that a
    harvester can tell it is incomplete."""

    def test_stop_during_streams(self):
        tmp = tempfile.TemporaryDirectory(prefix="praxis-stop-")
        self.addCleanup(tmp.cleanup)
        data = os.path.join(tmp.name, "slow.jsonl")
        # a first page to send, then two pages of nothing to send: both kinds of stop
        slow_data(data, HIDDEN + 100 + 3000, hidden_from=600)
        server = Server(data, config="[server]\nworkers=1\n")
        if server.process is None:
            server.stop()
            self.skipTest("stops its own server")
        address = (server.host, server.port)
        readers, waiting = [], []
        for _ in range(3):
            sock = socket.create_connection(address, timeout=10)
            sock.sendall(b"GET /api/export HTTP/1.1\r\nHost: test\r\n\r\n")
            readers.append(sock)
        # one search thread: the exports' next pages queue behind these
        for i in range(20):
            sock = socket.create_connection(address, timeout=10)
            sock.sendall(f"GET /api/practices?q=w0*+w1*&per_page={50 + i} HTTP/1.1\r\n"
                         "Host: test\r\n\r\n".encode())
            waiting.append(sock)
        time.sleep(0.3)
        start = time.monotonic()
        server.stop()  # raises on a non-zero exit or a CRITICAL in the log
        self.assertLess(time.monotonic() - start, 10)
        kinds = []
        for sock in readers:
            rest = b""
            while chunk := sock.recv(65536):
                rest += chunk
            kinds.append(rest[9:12].decode() if rest else "nothing")
            if rest.startswith(b"HTTP/1.1 503"):
                self.assertIn(b"Retry-After: 1", rest)
                continue
            self.assertTrue(rest.startswith(b"HTTP/1.1 200"), rest[:80])
            self.assertFalse(rest.endswith(b"\r\n0\r\n\r\n"), "a cut stream looks complete")
            sock.close()
        print(f"\nexports at the stop: {kinds}")
        for sock in waiting:
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
            self.assertTrue(reply == b"" or reply.startswith(b"HTTP/1.1 "), reply[:80])
            sock.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
