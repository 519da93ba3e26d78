"""Starts the real praxis server for HTTP tests, or points at one already running.

Own server (default): a temporary database loaded with tests/data/unit-practices.jsonl, an admin
and two partners with tokens, and `praxis serve --listen 127.0.0.1:0`; stopped with SIGTERM.
External (PRAXIS_BASE_URL set, e.g. nginx in front of a server that scripts/test-nginx started):
the database and tokens come from PRAXIS_DB, PRAXIS_ADMIN_TOKEN, PRAXIS_PARTNER_TOKEN and
PRAXIS_PARTNER2_TOKEN.
"""
import http.client
import json
import os
import signal
import subprocess
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "unit-practices.jsonl")
TIMEOUT = 10


def praxis(*args, db):
    """Runs a praxis subcommand and returns its stdout; fails loudly."""
    binary = os.environ["PRAXIS_BIN"]
    result = subprocess.run([binary, *args, "--db", db], capture_output=True, text=True,
                            timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"praxis {' '.join(args)}: {result.stderr}")
    return result.stdout


class Server:
    """One praxis server and the credentials to talk to it."""

    def __init__(self, data=DATA, config=None):
        """@config: the text of a praxis.conf for this server (own server only)."""
        self.process = None
        self.tmp = None
        self.config_path = None
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
        return response.status, got, data

    def search(self, query):
        status, _, body = self.request("GET", "/api/practices?" + query)
        assert status == 200, (query, status, body)
        return body
