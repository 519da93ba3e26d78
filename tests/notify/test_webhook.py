"""A webhook of the outbox delivered by the real server (`praxis serve`) to a receiver on
127.0.0.1 started here: a message queued while no server runs is delivered when one starts; a
server killed (SIGKILL) while its attempt is in flight loses nothing, and the next start sends
the same bytes again, with the same id and a valid signature; the practice in the body is the
one GET /api/practices/{id} shows; /metrics counts it. PRAXIS_BIN names the server,
PX_TEST_WEBHOOK the helper that queues the message (as a plugin would)."""
import hashlib
import hmac
import http.client
import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "unit-practices.jsonl")
SECRET = "a shared secret"


class Receiver:
    """Records each POST; holds the first ones (answers nothing) while self.hold is set."""

    def __init__(self):
        self.requests = []
        self.hold = threading.Event()
        self.release = threading.Event()
        self.changed = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.changed:
                    receiver.requests.append((self.path, dict(self.headers.items()), body))
                    receiver.changed.notify_all()
                if receiver.hold.is_set():
                    receiver.release.wait(30)
                    self.close_connection = True
                    return
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/praxis"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, seconds=15):
        deadline = time.monotonic() + seconds
        with self.changed:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.requests)} requests, not {count}")
                self.changed.wait(left)
            return self.requests[count - 1]

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class Praxis:
    def __init__(self, db):
        self.process = subprocess.Popen(
            [os.environ["PRAXIS_BIN"], "serve", "--db", db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on http://"):
            raise RuntimeError("server did not start: " + line + self.process.stderr.read())
        self.port = int(line.split(":")[-1].strip("/\n"))

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def kill(self):
        self.process.kill()
        self.process.communicate(timeout=30)

    def stop(self):
        """SIGTERM; Returns: the log"""
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=30)
        if self.process.returncode != 0:
            raise AssertionError(f"exit {self.process.returncode}: {stderr}")
        return stderr


class Webhook(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-webhook-")
        self.db = os.path.join(self.tmp.name, "praxis.db")
        subprocess.run([os.environ["PRAXIS_BIN"], "import", DATA, "--db", self.db],
                       check=True, capture_output=True, timeout=60)
        with sqlite3.connect(self.db) as connection:
            self.practice_id = connection.execute(
                "SELECT id FROM practices WHERE status = 'published' ORDER BY id LIMIT 1"
            ).fetchone()[0]
        self.receiver = Receiver()
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            if server.process.poll() is None:
                server.kill()
        self.receiver.stop()
        self.tmp.cleanup()

    def queue(self):
        result = subprocess.run(
            [os.environ["PX_TEST_WEBHOOK"], "--db", self.db, "--url", self.receiver.url,
             "--secret", SECRET, "--practice-id", str(self.practice_id)],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.split()[1]

    def start(self):
        server = Praxis(self.db)
        self.servers.append(server)
        return server

    def assert_signed(self, request, message_id):
        path, headers, body = request
        self.assertEqual(path, "/hooks/praxis")
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(headers["X-Praxis-Delivery"], message_id)
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        self.assertTrue(hmac.compare_digest(headers["X-Praxis-Signature"], expected))
        self.assertTrue(headers["User-Agent"].startswith("praxis/"))
        document = json.loads(body)
        self.assertEqual(list(document), ["id", "event", "practice"])
        self.assertEqual(document["id"], message_id)
        self.assertEqual(document["event"], "practice.published")
        return document

    def test_killed_in_flight_then_delivered_after_restart(self):
        message_id = self.queue()
        self.receiver.hold.set()
        first = self.start()
        held = self.receiver.wait_for(1)
        first.kill()
        self.receiver.hold.clear()
        self.receiver.release.set()

        second = self.start()
        again = self.receiver.wait_for(2)
        # the same bytes, id and signature at each attempt
        self.assertEqual(again[2], held[2])
        document = self.assert_signed(again, message_id)
        status, shown = second.get(f"/api/practices/{self.practice_id}")
        self.assertEqual(status, 200)
        self.assertEqual(document["practice"], json.loads(shown))
        deadline = time.monotonic() + 15
        while True:
            status, metrics = second.get("/metrics")
            text = metrics.decode()
            if 'praxis_outbox_messages_total{state="delivered"} 1\n' in text:
                break
            self.assertLess(time.monotonic(), deadline, text)
            time.sleep(0.05)
        self.assertIn("praxis_outbox_pending 0\n", text)
        log = second.stop()
        self.assertIn(f"delivered {message_id} ", log)
        # delivered once, never again
        time.sleep(0.3)
        self.assertEqual(len(self.receiver.requests), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2, argv=[sys.argv[0]])
