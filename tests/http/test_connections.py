"""No descriptor or memory growth after 20,000 requests from clients that open, reuse and drop
connections (libsoup 3.2.3 leaks idle keep-alive connections that clients close; Praxis answers
every request with Connection: close). Bounded by count and by a 120 s wall clock."""
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

TOTAL = int(os.environ.get("PRAXIS_CONNECTION_REQUESTS", "20000"))
THREADS = 4
DEADLINE = 120


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def sanitized(pid):
    """AddressSanitizer keeps freed memory in quarantine: RSS says nothing about leaks there
    (LeakSanitizer checks those at exit instead)."""
    with open(f"/proc/{pid}/maps") as maps:
        return "libasan" in maps.read()


def read_all(sock):
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


class Connections(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.paths = ["/healthz", "/api/practices", "/api/practices?q=volunteers",
                      "/api/practices?country=SE&country=DK", "/api/practices/1", "/nope",
                      "/api/practices?q=%22unbalanced"]

    def tearDown(self):
        self.server.stop()

    def one(self, rng, counts):
        kind = rng.random()
        address = (self.server.host, self.server.port)
        path = rng.choice(self.paths)
        request = f"GET {path} HTTP/1.1\r\nHost: test\r\n".encode()
        with socket.create_connection(address, timeout=10) as sock:
            if kind < 0.6:  # one request, then close
                sock.sendall(request + b"Connection: close\r\n\r\n")
                reply = read_all(sock)
            elif kind < 0.8:  # asks for keep-alive and pipelines a second request
                sock.sendall(request + b"\r\n" + request + b"\r\n")
                reply = read_all(sock)
            elif kind < 0.9:  # connects and leaves without a word
                reply = b"HTTP/1.1 200 dropped"
            else:  # leaves in the middle of its request
                sock.sendall(request[:10])
                reply = b"HTTP/1.1 200 dropped"
        counts[0 if reply.startswith(b"HTTP/1.1 ") else 1] += 1

    def test_no_growth(self):
        pid = self.server.process.pid if self.server.process else None
        if pid is None:
            self.skipTest("needs its own server process")
        rng = random.Random(7)
        warm = [0, 0]
        for _ in range(500):
            self.one(rng, warm)
        time.sleep(0.5)
        fds_before, rss_before = fd_count(pid), rss_kib(pid)
        done = [0]
        lock = threading.Lock()
        start = time.monotonic()
        results = []

        def worker(seed):
            local = random.Random(seed)
            counts = [0, 0]
            while time.monotonic() - start < DEADLINE:
                with lock:
                    if done[0] >= TOTAL:
                        break
                    done[0] += 1
                self.one(local, counts)
            results.append(counts)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(1.0)
        fds_after, rss_after = fd_count(pid), rss_kib(pid)
        ok = sum(r[0] for r in results)
        bad = sum(r[1] for r in results)
        print(f"\n{done[0]} requests in {time.monotonic() - start:.1f} s, {bad} bad answers; "
              f"fds {fds_before} -> {fds_after}, RSS {rss_before} -> {rss_after} KiB")
        self.assertGreaterEqual(done[0], min(TOTAL, 2000))
        self.assertEqual(bad, 0)
        self.assertGreater(ok, 0)
        self.assertLessEqual(fds_after - fds_before, 10)
        if not sanitized(pid):
            self.assertLessEqual(rss_after - rss_before, 5 * 1024)


class Export(unittest.TestCase):
    """A large export streams in chunks; a harvester that leaves halfway costs nothing."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-export-")
        data = os.path.join(self.tmp.name, "many.jsonl")
        with open(data, "w") as out:
            for i in range(1234):
                out.write(json.dumps({"uid": f"many-{i}", "title": f"Practice {i}",
                                      "summary": "Language café " * 20, "country": "SE"}) + "\n")
        self.server = Server(data)

    def tearDown(self):
        self.server.stop()
        self.tmp.cleanup()

    def test_chunked_and_complete(self):
        status, headers, text = self.server.request("GET", "/api/export")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("transfer-encoding"), "chunked")
        uids = [json.loads(line)["uid"] for line in text.splitlines()]
        self.assertEqual(sorted(uids), sorted(f"many-{i}" for i in range(1234)))

    def test_harvester_leaves_halfway(self):
        for _ in range(20):
            with socket.create_connection((self.server.host, self.server.port), timeout=10) as sock:
                sock.sendall(b"GET /api/export HTTP/1.1\r\nHost: x\r\n\r\n")
                sock.recv(4096)
        status, _, body = self.server.request("GET", "/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
