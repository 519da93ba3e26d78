"""Back-pressure (issue 5, point 8): the worker queue is bounded ([server] max_queue) and a
request's deadline counts from its arrival. Past either, the answer is 503 problem+json with
Retry-After, at once and without doing the work; nothing hangs. Bounded by count and time."""
import concurrent.futures
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402
from test_streams import slow_data  # noqa: E402

FLOOD = 40
WALL = 30  # seconds the whole flood may take


class Overload(unittest.TestCase):
    config = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-overload-")
        data = os.path.join(cls.tmp.name, "slow.jsonl")
        slow_data(data, 1100 + 3000)
        cls.server = Server(data, config=cls.config)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def flood(self):
        """FLOOD concurrent searches of about 0.1 s, none from the cache."""
        if self.server.process is None:
            self.skipTest("needs its own server with its own configuration")

        def one(i):
            return self.server.request("GET", f"/api/practices?q=w0*+w1*&per_page={100 - i}")

        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(FLOOD) as pool:
            answers = list(pool.map(one, range(FLOOD)))
        self.assertLess(time.monotonic() - start, WALL)
        busy = [a for a in answers if a[0] == 503]
        self.assertEqual(len(busy) + sum(1 for a in answers if a[0] == 200), FLOOD,
                         [a[0] for a in answers])
        for status, headers, body in busy:
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertEqual(headers.get("retry-after"), "1")
            self.assertEqual(body["status"], 503)
        status, _, body = self.server.request("GET", "/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))
        return busy, answers


class FullQueue(Overload):
    config = "[server]\nworkers=1\nmax_queue=2\n"

    def test_full_queue_answers_503(self):
        busy, answers = self.flood()
        self.assertGreater(len(busy), 0)
        self.assertGreater(len(answers) - len(busy), 0)
        self.assertTrue(any("too busy" in body["detail"] for _, _, body in busy))


class ArrivalDeadline(Overload):
    # the queue is long enough for everyone; the deadline is not
    config = "[server]\nworkers=1\nmax_queue=1000\nrequest_timeout_ms=300\n"

    def test_deadline_counts_from_arrival(self):
        busy, _ = self.flood()
        # 40 searches of about 0.1 s on one thread cannot all start within 0.3 s of arriving
        self.assertGreater(len(busy), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
