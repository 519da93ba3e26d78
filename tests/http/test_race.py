"""Searches while moderation writes (issue 5, point 3): every search reads one snapshot.

Search threads run a bounded number of searches while a writer thread creates, publishes,
rejects and deletes practices. No search may fail (a deleted page row gave 404, a stale row 5xx),
and no public result may be anything but published: not a rejected practice's title, not a
practice that was never published.
"""
import json
import os
import sys
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

SEARCHES = 300
SEARCH_THREADS = 3
TIME_LIMIT = 30  # seconds for the whole test
QUERIES = ("per_page=100&sort=newest", "q=racetrack&per_page=100", "q=racetrack&sort=newest",
           "q=racetrack%20OR%20kristianstad&per_page=50", "per_page=100&country=FI")


def practice(title):
    return {"title": title, "summary": "A racetrack practice made by the race test.",
            "body": "Racetrack volunteers meet weekly. " * 20, "country": "FI",
            "focus_areas": ["interact"], "themes": ["testing"], "language": "en",
            "year": 2024}


class Race(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.stop = threading.Event()
        self.failures = []
        self.lock = threading.Lock()
        self.done = 0
        self.cycles = 0

    def tearDown(self):
        self.server.stop()

    def fail_with(self, text):
        with self.lock:
            self.failures.append(text)

    def write(self, method, path, body=None, token="admin", expect=(200, 201, 204)):
        status, _, answer = self.server.request(method, path, body=body, token=token)
        if status not in expect:
            self.fail_with(f"writer: {method} {path}: {status} {answer}")
            self.stop.set()
        return answer

    def writer(self):
        while not self.stop.is_set():
            tag = uuid.uuid4().hex[:8]
            # one practice that is never published: pending, then rejected, then deleted
            hidden = self.write("POST", "/api/practices", practice(f"NEVERPUB racetrack {tag}"),
                                token="partner")
            # one that is published, then rejected, published again and deleted
            shown = self.write("POST", "/api/practices", practice(f"Racetrack shown {tag}"),
                               token="partner")
            if self.stop.is_set():
                return
            self.write("POST", f"/api/practices/{shown['id']}/publish")
            self.write("POST", f"/api/practices/{hidden['id']}/reject")
            self.write("POST", f"/api/practices/{shown['id']}/reject")
            self.write("POST", f"/api/practices/{shown['id']}/publish")
            self.write("DELETE", f"/api/practices/{shown['id']}")
            self.write("DELETE", f"/api/practices/{hidden['id']}")
            with self.lock:
                self.cycles += 1

    def searcher(self, number):
        while not self.stop.is_set():
            with self.lock:
                if self.done >= SEARCHES:
                    return
                self.done += 1
                query = QUERIES[(self.done + number) % len(QUERIES)]
            status, _, body = self.server.request("GET", "/api/practices?" + query)
            if status != 200:
                self.fail_with(f"search {query}: {status} {body}")
                continue
            for result in body["results"]:
                if result.get("status") != "published" or "NEVERPUB" in json.dumps(result):
                    self.fail_with(f"search {query}: unpublished result {result['uid']} "
                                   f"({result.get('status')}, {result['title']})")

    def test_search_while_moderating(self):
        deadline = time.monotonic() + TIME_LIMIT
        writer = threading.Thread(target=self.writer)
        searchers = [threading.Thread(target=self.searcher, args=(n,))
                     for n in range(SEARCH_THREADS)]
        writer.start()
        for thread in searchers:
            thread.start()
        for thread in searchers:
            thread.join(max(0.1, deadline - time.monotonic()))
        self.stop.set()
        writer.join(10)
        print(f"{self.done} searches, {self.cycles} moderation cycles, "
              f"{len(self.failures)} failures", file=sys.stderr)
        self.assertEqual(self.failures[:10], [], f"{len(self.failures)} failures")
        self.assertGreater(self.cycles, 0)
        self.assertGreaterEqual(self.done, SEARCHES)


if __name__ == "__main__":
    unittest.main(verbosity=2)
