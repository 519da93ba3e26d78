"""The edge of the HTTP server, against the real binary on raw sockets: made-up methods cannot
grow /metrics or break its text format, what libsoup refuses by itself still answers
problem+json, and bodies that will be refused are refused before they are read (413, 411, 400
for duplicate or conflicting lengths), without leaking the connection. Every socket has a
timeout; every loop is bounded in count."""
import json
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

MADE_UP_METHODS = 2000
# one sample line of the Prometheus text format (0.0.4): name, optional labels, value
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*"'
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{' + LABEL + r'(?:,' + LABEL + r')*,?\})?'
                    r' (?:[-+]?(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN)(?: -?[0-9]+)?$')
COMMENT = re.compile(r'^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* '
                     r'(?:counter|gauge|histogram|summary|untyped))$')


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def exchange(address, data, timeout=5, shut=False):
    """Sends @data, reads until the server closes; returns (reply, seconds)."""
    started = time.monotonic()
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(data)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return reply, time.monotonic() - started


def split_reply(reply):
    """(status, lower-case headers, body) of a raw HTTP/1.x reply."""
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


class Edge(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        if cls.server.process is None:
            cls.server.stop()
            raise unittest.SkipTest("needs its own server (raw requests, its fds)")
        cls.address = (cls.server.host, cls.server.port)
        cls.pid = cls.server.process.pid

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def problem(self, reply, status):
        """@reply is @status as application/problem+json; returns the document."""
        got, headers, body = split_reply(reply)
        self.assertEqual(got, status, reply[:300])
        self.assertEqual(headers.get("content-type"), "application/problem+json", reply[:300])
        self.assertEqual(int(headers["content-length"]), len(body))
        document = json.loads(body)
        self.assertEqual(document["type"], "about:blank")
        self.assertIn("detail", document)
        if "status" in document:
            self.assertEqual(document["status"], status)
        return document

    def metrics(self):
        status, _, text = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        return text

    def assert_valid_exposition(self, text):
        for number, line in enumerate(text.split("\n")[:-1], 1):
            if line.startswith("#"):
                self.assertRegex(line, COMMENT, f"line {number}")
            else:
                self.assertRegex(line, SAMPLE, f"line {number}")
        self.assertTrue(text.endswith("\n"))

    def test_metrics_ignore_made_up_methods(self):
        hostile = [b'G"ET', b'X\\"}\\n', b"A\\nB", b"M\xff\xfe", b"M\x0bN", b"{}", b'"']
        methods = hostile + [f"FAKE{i}".encode() for i in range(MADE_UP_METHODS)]
        deadline = time.monotonic() + 120
        for method in methods:
            self.assertLess(time.monotonic(), deadline, "the server is too slow")
            reply, _ = exchange(self.address, method + b" /api/practices HTTP/1.1\r\nHost: t\r\n\r\n")
            self.assertTrue(reply.startswith(b"HTTP/1.1 "), reply[:80])
        text = self.metrics()
        self.assert_valid_exposition(text)
        series = [line for line in text.splitlines()
                  if line.startswith("praxis_http_requests_total{")]
        # a few routes x known methods x statuses, never one per method sent
        self.assertLess(len(series), 40, "\n".join(series[:50]))
        self.assertLess(len(text), 16 * 1024)
        self.assertNotIn("FAKE", text)
        self.assertIn('{route="/api/practices",method="other",status="405"}', text)

    def test_label_values_are_escaped(self):
        self.server.request("GET", "/api/practices")
        text = self.metrics()
        self.assert_valid_exposition(text)
        self.assertIn('praxis_http_requests_total{route="/api/practices",method="GET",'
                      'status="200"}', text)

    def test_libsoup_refusals_answer_problem_json(self):
        cases = (
            (b"GET /api/practices/%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400),
            (b"GET /api/practices?q=abc% HTTP/1.1\r\nHost: t\r\n\r\n", 400),
            (b"GET /api/practices?q=%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400),
            (b"GET /api/%00 HTTP/1.1\r\nHost: t\r\n\r\n", 400),
            (b"GET /healthz HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
            (b"GET /healthz HTTP/1.1\r\n\r\n", 400),
            (b"not a request line\r\n\r\n", 400),
            (b"POST /api/practices HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n", 400),
            (b"GET /healthz HTTP/1.1\r\nHost: t\r\nExpect: something\r\n\r\n", 417),
            (b"POST /api/practices HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            (b"GET /healthz HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        )
        for request, status in cases:
            with self.subTest(request=request[:40]):
                reply, _ = exchange(self.address, request)
                self.problem(reply, status)

    def test_huge_content_length_refused_before_the_body(self):
        for expect in (b"", b"Expect: 100-continue\r\n"):
            request = (b"POST /api/practices HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 99999999999\r\n" + expect + b"\r\n")
            # the body is never sent: the answer must come anyway, and the connection close
            reply, seconds = exchange(self.address, request, timeout=5)
            self.problem(reply, 413)
            self.assertLess(seconds, 2)

    def test_chunked_refused_before_the_body(self):
        request = (b"POST /api/practices HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   b"Transfer-Encoding: chunked\r\n\r\n")
        reply, seconds = exchange(self.address, request, timeout=5)
        self.problem(reply, 411)
        self.assertLess(seconds, 2)

    def test_duplicate_and_conflicting_lengths(self):
        body = b'{"title": "x"}'
        for lengths in ((b"Content-Length: %d\r\n" % len(body)) * 2,
                        b"Content-Length: %d\r\nContent-Length: 3\r\n" % len(body),
                        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(body)):
            with self.subTest(lengths=lengths):
                request = (b"POST /api/practices HTTP/1.1\r\nHost: t\r\n"
                           b"Content-Type: application/json\r\n" + lengths + b"\r\n" + body)
                reply, _ = exchange(self.address, request)
                self.problem(reply, 400)

    def test_a_client_still_sending_gets_its_answer(self):
        request = (b"POST /api/practices HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   b"Content-Length: 50000000\r\n\r\n")
        with socket.create_connection(self.address, timeout=5) as sock:
            sock.sendall(request)
            sent = 0
            try:
                while sent < 50000000:  # the server stops reading after a bounded amount
                    sent += sock.send(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                pass
            reply = b""
            try:
                while chunk := sock.recv(65536):
                    reply += chunk
            except ConnectionResetError:
                pass
        self.assertLess(sent, 50000000)
        self.problem(reply, 413)

    def test_refusals_leak_no_connections(self):
        kinds = (
            b"POST /api/practices HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999\r\n\r\n",
            b"POST /api/practices HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"POST /api/practices HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
            b"GET /api/practices/%zz HTTP/1.1\r\nHost: t\r\n\r\n",
            b"GET /healthz HTTP/2.0\r\nHost: t\r\n\r\n",
        )
        for request in kinds:  # warm up
            exchange(self.address, request)
        before = fd_count(self.pid)
        for _ in range(40):
            for request in kinds:
                exchange(self.address, request)
                # and one that leaves without reading its answer
                with socket.create_connection(self.address, timeout=5) as sock:
                    sock.sendall(request)
        after = fd_count(self.pid)
        for _ in range(50):  # refused connections linger at most 2 s
            if after <= before + 2:
                break
            time.sleep(0.1)
            after = fd_count(self.pid)
        self.assertLessEqual(after, before + 2, f"fds {before} -> {after}")
        status, _, _ = self.server.request("GET", "/healthz")
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
