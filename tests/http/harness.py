"""Starts the real praxis server for HTTP tests, or points at one already running.

Own server (default): a temporary database loaded with tests/data/unit-practices.jsonl, an admin
and two partners with tokens, and `praxis serve --listen 127.0.0.1:0`; stopped with SIGTERM.
External (PRAXIS_BASE_URL set, e.g. nginx in front of a server that scripts/test-nginx started):
the database and tokens come from PRAXIS_DB, PRAXIS_ADMIN_TOKEN, PRAXIS_PARTNER_TOKEN and
PRAXIS_PARTNER2_TOKEN.

Answers held to docs/openapi.yaml (PX_OPENAPI_RECORD=FILE, as meson sets it for the tests of
tests/http, tests/plugins and tests/docs/test_openapi.py, or Server(record=FILE)): every answer of request_bytes (and those a test hands to record_answer) is
appended to FILE, and stop() runs tests/docs/check-answers.mjs on it, failing when an answer of
/api, /healthz or /metrics is not what the document says.
"""
import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "unit-practices.jsonl")
DOCUMENT = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "openapi.yaml"))
CHECKER = os.path.normpath(os.path.join(HERE, "..", "docs", "check-answers.mjs"))
TIMEOUT = 10


def praxis(*args, db):
    """Runs a praxis subcommand and returns its stdout; fails loudly."""
    binary = os.environ["PRAXIS_BIN"]
    result = subprocess.run([binary, *args, "--db", db], capture_output=True, text=True,
                            timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"praxis {' '.join(args)}: {result.stderr}")
    return result.stdout


def login_cookie(headers):
    """The Cookie header's pair for the praxis_login cookie a sign-in page set in @headers (the
    sign-in form's token is bound to it), "" without one."""
    match = re.match(r"praxis_login=([^;]*);", headers.get("set-cookie", ""))
    return "praxis_login=" + match.group(1) if match else ""


class AnswerRecorder:
    """The answers of a process's requests as JSON Lines in one file, each distinct answer
    once, for tests/docs/check-answers.mjs; shared by the process's servers and threads."""

    _by_path = {}
    _lock = threading.Lock()

    @classmethod
    def open(cls, path):
        """Returns: the process's recorder of @path, emptying the file the first time."""
        path = os.path.abspath(path)
        with cls._lock:
            if path not in cls._by_path:
                cls._by_path[path] = cls(path)
            return cls._by_path[path]

    def __init__(self, path):
        self.path = path
        self.seen = set()
        self.lock = threading.Lock()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").close()

    def add(self, method, path, status, headers, body):
        # without Date, so that the same answer a second later is recorded once
        answer = {"method": method, "path": urllib.parse.urlsplit(path).path, "status": status,
                  "headers": {k: v for k, v in headers.items() if k != "date"}}
        try:
            answer["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            answer["body_base64"] = base64.b64encode(body).decode("ascii")
        line = json.dumps(answer, ensure_ascii=False, sort_keys=True) + "\n"
        digest = hashlib.sha256(line.encode("utf-8")).digest()
        with self.lock:
            if digest in self.seen:
                return
            self.seen.add(digest)
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(line)

    def check(self):
        """Runs the checker on what was recorded; raises RuntimeError with its report when an
        answer is not what docs/openapi.yaml says."""
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("no node to check the answers against docs/openapi.yaml: "
                               "scripts/setup --test")
        with self.lock:
            result = subprocess.run([node, CHECKER, DOCUMENT, self.path], capture_output=True,
                                    text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError("the answers held to docs/openapi.yaml (tests/docs/"
                               "check-answers.mjs):\n" + result.stderr + result.stdout)


class Server:
    """One praxis server and the credentials to talk to it."""

    def __init__(self, data=DATA, config=None, record=None):
        """@config: the text of a praxis.conf for this server (own server only). @record: the
        file the answers are recorded to for the check against docs/openapi.yaml (by default
        PX_OPENAPI_RECORD's; none without either)."""
        self.process = None
        self.tmp = None
        self.config_path = None
        record = record or os.environ.get("PX_OPENAPI_RECORD")
        self.recorder = AnswerRecorder.open(record) if record else None
        base = os.environ.get("PRAXIS_BASE_URL")
        if base:
            self.via_proxy = True
            self.db = os.environ["PRAXIS_DB"]
            self.tokens = {name: os.environ[f"PRAXIS_{name.upper()}_TOKEN"]
                           for name in ("admin", "partner", "partner2")}
        else:
            self.via_proxy = False
            self.tmp = tempfile.TemporaryDirectory(prefix="praxis-http-")
            self.db = os.path.join(self.tmp.name, "test.db")
            praxis("import", data, db=self.db)
            self.tokens = {}
            for name, email, role in (("admin", "admin@example.org", "admin"),
                                      ("partner", "partner@example.org", "partner"),
                                      ("partner2", "partner2@example.org", "partner")):
                praxis("user", "add", email, "--role", role, db=self.db)
                self.tokens[name] = praxis("token", "create", email, db=self.db).strip().splitlines()[-1]
            command = [os.environ["PRAXIS_BIN"], "serve", "--db", self.db, "--listen", "127.0.0.1:0"]
            if config is not None:
                self.config_path = os.path.join(self.tmp.name, "praxis.conf")
                with open(self.config_path, "w") as out:
                    out.write(config)
                command += ["--config", self.config_path]
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = self.process.stdout.readline()
            if not line.startswith("listening on http://"):
                raise RuntimeError("server did not start: " + line + self.process.stderr.read())
            base = line.split()[-1]
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port

    def stop(self):
        """SIGTERM, then the exit status must be 0 and the log free of CRITICALs (libsoup's
        unpause of a message whose connection is gone, for one)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            _, stderr = self.process.communicate(timeout=30)
            status = self.process.returncode
            self.process = None
            if status != 0:
                raise RuntimeError(f"server exited with {status}: {stderr}")
            if "CRITICAL" in stderr:
                raise RuntimeError(f"the server logged a CRITICAL: {stderr}")
        if self.tmp is not None:
            self.tmp.cleanup()
        if self.recorder is not None:
            self.recorder.check()

    def record_answer(self, method, path, status, headers, body):
        """Records an answer the test read itself (a raw socket) for the check of stop()."""
        if self.recorder is not None:
            self.recorder.add(method, path, status, headers, body)

    def request(self, method, path, body=None, token=None, headers=None):
        """Returns (status, headers as a lower-case dict, parsed JSON or text)."""
        status, got, data = self.request_bytes(method, path, body, token, headers)
        kind = got.get("content-type", "")
        if "json" in kind and "ndjson" not in kind and data:
            return status, got, json.loads(data)
        return status, got, data.decode("utf-8", "replace")

    def request_bytes(self, method, path, body=None, token=None, headers=None):
        """Returns (status, headers as a lower-case dict, the body as bytes)."""
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = "Bearer " + self.tokens.get(token, token)
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            all_headers.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
            got = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        self.record_answer(method, path, response.status, got, data)
        return response.status, got, data

    def search(self, query):
        status, _, body = self.request("GET", "/api/practices?" + query)
        assert status == 200, (query, status, body)
        return body
