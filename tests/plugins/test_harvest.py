#!/usr/bin/env python3
"""import-praxis and import-feed through the real host (px.http on the plugins' thread and in
`praxis import --with`), against real peers on 127.0.0.1:

- federation: a second praxis server on the test set is the source; a first one, with
  import-praxis harvesting it every second, gets its practices as pending (status=pending) or
  published (status=keep) under the same uids; a practice deleted at the source (DELETE as
  admin) goes from the copy at the next harvest; `praxis import --with import-praxis URL`;
- feeds: Atom and RSS files of tests/data/feeds/ served by Python's http.server, harvested by the
  timer (pending, uids from the entries' ids, moderation kept across harvests, a deleted copy not
  brought back) and by `praxis import --with import-feed URL`, each bad entry reported.
The servers stop cleanly (exit 0, no CRITICAL: tests/http/harness.py).
"""
import hashlib
import hmac
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
from harness import Server  # noqa: E402

PLUGINS = os.path.abspath(os.path.join(HERE, "..", "..", "plugins"))
FEEDS = os.path.abspath(os.path.join(HERE, "..", "data", "feeds"))
PRAXIS = os.environ["PRAXIS_BIN"]
WAIT = 30  # seconds a harvest may take to show (under ASan on two shared cores)


def config(enabled, section):
    return "[plugins]\ndir=%s\nenabled=%s\n%s\n" % (PLUGINS, enabled, section)


def feed_uid(entry_id):
    return "feed-" + hmac.new(b"", entry_id.encode(), hashlib.sha256).hexdigest()[:24]


def base_of(server):
    return "http://%s:%d" % (server.host, server.port)


def exported(server, token="admin"):
    """The server's export (every status for an admin) by uid."""
    status, _, body = server.request("GET", "/api/export", token=token)
    assert status == 200, (status, body)
    return {p["uid"]: p for p in map(json.loads, body.splitlines())}


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("not within %d s: %s" % (WAIT, what))


class Harvester:
    """A praxis server whose database starts empty, with @section configuring @plugin."""

    def __init__(self, test, plugin, section):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-harvest-")
        empty = os.path.join(self.tmp.name, "empty.jsonl")
        open(empty, "w").close()
        self.server = Server(data=empty, config=config(plugin, section))
        test.addCleanup(self.stop)

    def stop(self):
        if self.server is not None:
            server, self.server = self.server, None
            server.stop()
            self.tmp.cleanup()


def run_import(plugin, section, source, tmp):
    """`praxis import --with PLUGIN SOURCE` into a database of its own in @tmp."""
    conf = os.path.join(tmp, "praxis.conf")
    with open(conf, "w") as out:
        out.write("[database]\npath=%s\n" % os.path.join(tmp, "test.db"))
        out.write(config(plugin, section))
    done = subprocess.run([PRAXIS, "import", "--with", plugin, source, "--config", conf],
                          capture_output=True, text=True, timeout=60)
    export = subprocess.run([PRAXIS, "export", "--config", conf], capture_output=True, text=True,
                            timeout=60, check=True).stdout
    return done, {p["uid"]: p for p in map(json.loads, export.splitlines())}


class Federation(unittest.TestCase):
    def setUp(self):
        self.source = Server()
        self.addCleanup(self.source.stop)
        self.published = exported(self.source, token=None)  # what anyone may harvest
        self.assertGreater(len(self.published), 5)

    def harvester(self, status):
        return Harvester(self, "import-praxis",
                         "[plugin:import-praxis]\nsources=%s/\nevery=1\nstatus=%s"
                         % (base_of(self.source), status)).server

    def test_pending_copies_and_a_tombstone(self):
        harvester = self.harvester("pending")
        copies = wait_for(lambda: (lambda got: got if set(got) >= set(self.published) else None)(
            exported(harvester)), "the source's practices harvested")
        self.assertEqual(set(copies), set(self.published))
        for uid, copy in copies.items():
            self.assertEqual(copy["status"], "pending", uid)
            self.assertEqual(copy["title"], self.published[uid]["title"])
        # nothing is public until moderators publish
        self.assertEqual(exported(harvester, token=None), {})

        status, _, page = self.source.request("GET", "/api/practices?per_page=1")
        self.assertEqual(status, 200)
        gone = page["results"][0]
        status, _, _ = self.source.request("DELETE", "/api/practices/%d" % gone["id"],
                                           token="admin")
        self.assertEqual(status, 204)
        wait_for(lambda: gone["uid"] not in exported(harvester), "the tombstone harvested")
        self.assertEqual(set(exported(harvester)), set(self.published) - {gone["uid"]})

    def test_keep_takes_the_status_of_the_source(self):
        harvester = self.harvester("keep")
        public = wait_for(lambda: (lambda got: got if set(got) >= set(self.published) else None)(
            exported(harvester, token=None)), "the source's practices harvested as published")
        self.assertEqual(set(public), set(self.published))
        self.assertTrue(all(p["status"] == "published" for p in public.values()))
        uid = sorted(public)[0]
        self.assertEqual(public[uid]["summary"], self.published[uid]["summary"])

    def test_praxis_import_with_import_praxis(self):
        with tempfile.TemporaryDirectory(prefix="praxis-harvest-") as tmp:
            done, copies = run_import("import-praxis", "", base_of(self.source), tmp)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("added %d, updated 0" % len(self.published), done.stdout)
        self.assertEqual(set(copies), set(self.published))
        self.assertTrue(all(p["status"] == "pending" for p in copies.values()))

    def test_a_source_that_is_not_there(self):
        with tempfile.TemporaryDirectory(prefix="praxis-harvest-") as tmp:
            done, copies = run_import("import-praxis", "", "http://127.0.0.1:1/", tmp)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("http://127.0.0.1:1/api/export", done.stderr)
        self.assertEqual(copies, {})


class Silent:
    """A peer on 127.0.0.1 that takes connections and never answers."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = "http://127.0.0.1:%d/feed.xml" % self.listener.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.accepted:
            connection.close()


class Stopping(unittest.TestCase):
    def test_a_server_stops_while_its_harvest_waits(self):
        silent = Silent()
        self.addCleanup(silent.close)
        harvester = Harvester(self, "import-feed",
                              "[plugin:import-feed]\nfeeds=%s\nevery=1" % silent.url)
        wait_for(lambda: silent.accepted, "the harvest's request")
        time.sleep(0.5)
        started = time.monotonic()
        harvester.stop()  # exit status 0, no CRITICAL, nothing leaked (under ASan)
        self.assertLess(time.monotonic() - started, 10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=FEEDS, **kwargs)

    def log_message(self, *args):
        pass


# the good entries of the feeds served, by the id each practice's uid is derived from
ATOM_GOOD = {
    "tag:koeln.example.de,2025:sprachcafe": "Sprachcafé in der Stadtbibliothek",
    "tag:koeln.example.de,2025:health-guides": "Health guides for newcomers",
    "tag:koeln.example.de,2025:wohnen": "Wohnungssuche: ein langer Bericht",
}
ATOM_BAD = ["tag:koeln.example.de,2025:no-title", "tag:koeln.example.de,2025:no-summary"]
RSS_GOOD = {
    "leeds-esol-2024-spring": "ESOL classes open for spring",
    "https://www.leeds.example.gov.uk/migration/welcome": "Welcome & orientation days",
    "https://www.leeds.example.gov.uk/migration/befrienders": "Volunteer befrienders wanted",
}


class Feeds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
        cls.thread = threading.Thread(target=cls.httpd.serve_forever, daemon=True)
        cls.thread.start()
        cls.base = "http://127.0.0.1:%d" % cls.httpd.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def test_the_timer_harvests_pending_practices(self):
        harvester = Harvester(self, "import-feed",
                              "[plugin:import-feed]\nfeeds=%s/harvest.atom; %s/rss2.xml\nevery=1"
                              % (self.base, self.base)).server
        wanted = {feed_uid(i): title for i, title in {**ATOM_GOOD, **RSS_GOOD}.items()}
        copies = wait_for(lambda: (lambda got: got if set(got) >= set(wanted) else None)(
            exported(harvester)), "the feeds' entries harvested")
        self.assertEqual(set(copies), set(wanted))
        for uid, title in wanted.items():
            self.assertEqual((copies[uid]["title"], copies[uid]["status"]), (title, "pending"))
        cafe = copies[feed_uid("tag:koeln.example.de,2025:sprachcafe")]
        self.assertEqual(cafe["url"], "https://koeln.example.de/integration/sprachcafe")
        self.assertEqual(cafe["source"], self.base + "/harvest.atom")
        self.assertEqual((cafe["language"], cafe["year"]), ("de", 2025))
        guides = copies[feed_uid("tag:koeln.example.de,2025:health-guides")]
        self.assertEqual((guides["language"], guides["year"]), ("en", 2023))
        self.assertEqual(guides["summary"],
                         "Trained health guides explain the health system in twelve languages.")
        long = copies[feed_uid("tag:koeln.example.de,2025:wohnen")]["summary"]
        self.assertTrue(len(long) <= 1000 and long.endswith("…"), len(long))
        self.assertEqual(copies[feed_uid(next(iter(RSS_GOOD)))]["language"], "en-gb")
        for entry_id in ATOM_BAD:
            self.assertNotIn(feed_uid(entry_id), copies)

        # moderation survives the next harvests: one published, one deleted
        published = feed_uid("tag:koeln.example.de,2025:sprachcafe")
        deleted = feed_uid("leeds-esol-2024-spring")
        ids = self.ids_of(harvester)
        status, _, _ = harvester.request("POST", "/api/practices/%d/publish" % ids[published],
                                         token="admin")
        self.assertEqual(status, 200)
        status, _, _ = harvester.request("DELETE", "/api/practices/%d" % ids[deleted],
                                         token="admin")
        self.assertEqual(status, 204)
        time.sleep(3.5)  # three harvests more
        after = exported(harvester)
        self.assertEqual(after[published]["status"], "published")
        self.assertNotIn(deleted, after)
        self.assertEqual(set(after), set(wanted) - {deleted})

    @staticmethod
    def ids_of(server):
        """uid -> id of every practice, through the admin's view of each id in turn."""
        ids = {}
        for practice_id in range(1, 30):
            status, _, body = server.request("GET", "/api/practices/%d" % practice_id,
                                             token="admin")
            if status == 200:
                ids[body["uid"]] = practice_id
        return ids

    def test_praxis_import_with_import_feed_reports_bad_entries(self):
        with tempfile.TemporaryDirectory(prefix="praxis-feed-") as tmp:
            done, copies = run_import("import-feed", "", self.base + "/harvest.atom", tmp)
            self.assertEqual(done.returncode, 1, done.stderr)  # rejections
            self.assertIn("added 3, updated 0, unchanged 0, deleted 0, rejected 2", done.stdout)
            self.assertIn("entry 3: title: is required (the entry has none)", done.stderr)
            self.assertIn("entry 4 (Ein Eintrag ohne Zusammenfassung): summary: is required",
                          done.stderr)
            self.assertEqual(set(copies), {feed_uid(i) for i in ATOM_GOOD})

            # the RSS feed into the same database, then the Atom feed again: unchanged
            done, copies = run_import("import-feed", "", self.base + "/rss2.xml", tmp)
            self.assertIn("added 3, updated 0, unchanged 0, deleted 0, rejected 1", done.stdout)
            self.assertIn("entry 4 (Item with a bad date): summary: is required", done.stderr)
            done, copies = run_import("import-feed", "", self.base + "/harvest.atom", tmp)
            self.assertIn("added 0, updated 0, unchanged 3", done.stdout)
            self.assertEqual(len(copies), 6)
            self.assertTrue(all(p["status"] == "pending" for p in copies.values()))

    def test_a_file_and_broken_feeds(self):
        with tempfile.TemporaryDirectory(prefix="praxis-feed-") as tmp:
            done, copies = run_import("import-feed", "", os.path.join(FEEDS, "atom.xml"), tmp)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("added 3,", done.stdout)
            # a file's practices name the feed's own link as their source
            self.assertEqual({p["source"] for p in copies.values()},
                             {"https://malmo.example.se/nyheter/index.html"})
            done, _ = run_import("import-feed", "", self.base + "/missing.xml", tmp)
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("missing.xml: HTTP 404", done.stderr)
            done, _ = run_import("import-feed", "", self.base + "/malformed.xml", tmp)
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("malformed XML", done.stderr)
            done, _ = run_import("import-feed", "", self.base + "/xxe.xml", tmp)
            self.assertNotEqual(done.returncode, 0)


if __name__ == "__main__":
    unittest.main()
