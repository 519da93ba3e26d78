"""docs/openapi.yaml must describe the server as it answers: the real server, the demo set.

Setup: scripts/data/demo-practices.jsonl in a temporary database, an admin and two partners
with tokens, and `praxis serve` on a free loopback port (tests/http/harness.py), with a short
busy timeout so that a write lock held by this test makes the writes answer 503.

What is checked:
- the routes: the paths and methods of core/'s routes (px_server_add_route calls, api.c's table) are the
  document's paths and operations, and a method a path does not list answers 405 with the
  path's methods in Allow; paths that are no route answer 404;
- every answer of every request sent: its status is one the document lists for the
  operation, its Content-Type one the status lists, its required headers are there, and its
  body validates against the schema (JSON, each line of JSON Lines, none for HEAD and 204):
  no member the schema does not name, at any depth, every required one present, types,
  bounds, patterns and enums. A problem's `status` is the HTTP status. Each answer is held
  to the document twice: here, and by Ajv (tests/docs/check-answers.mjs, on the answers the
  harness records, when the server stops);
- the refusals made before the route is looked at (x-before-routing: 400, 411, 413, 417,
  501, 505) are listed by every operation and answered to every operation, to a method a
  path does not list and to a path that is no route;
- every status the document lists for an operation is answered by some request, except those
  in UNPROVOKED (with why), and every member a response schema names is in some answer;
- the bounds the document states are the server's: for every member of a submission and
  every search parameter, values at and past each bound (and null, and a wrong type) get the
  verdict the schema gives them (201 or 422 naming the member, 200 or 400 naming the
  parameter); members marked x-private show only to authenticated callers.

The schemas are checked by SchemaValidator below, which knows the subset of JSON Schema 2020-12
the document uses (OpenAPI 3.1) and refuses any other keyword, so the document cannot say what
the test does not check.
"""
import http.client
import json
import os
import re
import socket
import sqlite3
import sys
import tempfile
import unittest
import urllib.parse

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
from harness import Server  # noqa: E402

DOC = os.path.join(ROOT, "docs", "openapi.yaml")
DEMO = os.path.join(ROOT, "scripts", "data", "demo-practices.jsonl")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
TIMEOUT = 30
MAX_BODY_BYTES = 1024 * 1024  # [server] max_body_bytes, the default

# documented statuses no request of this test provokes: (path, method or "*", status) -> why
READS = ("GET", "HEAD")
UNPROVOKED = {
    ("*", "*", "500"): "only a corrupt database or a bug answers 500",
    **{(path, method, "503"): "a full queue or a passed deadline: tests/http/test_overload.py"
       for path in ("/api/practices", "/api/practices/{id}", "/api/export", "/healthz",
                    "/metrics")
       for method in READS},
    ("/api/plugins", "GET", "503"): "a full queue or a passed deadline",
    ("/api/plugins/reload", "POST", "503"): "a full queue or a passed deadline",
}

SERVER = None
DOCUMENT = None
ANSWERS = None  # where the answers are recorded when PX_OPENAPI_RECORD does not say


def setUpModule():
    global SERVER, DOCUMENT, ANSWERS
    with open(DOC, encoding="utf-8") as f:
        DOCUMENT = yaml.safe_load(f)
    # always a server of its own: the 503 checks lock its database
    os.environ.pop("PRAXIS_BASE_URL", None)
    record = os.environ.get("PX_OPENAPI_RECORD")
    if record is None:
        ANSWERS = tempfile.TemporaryDirectory(prefix="praxis-openapi-")
        record = os.path.join(ANSWERS.name, "answers.jsonl")
    SERVER = Server(DEMO, config="[database]\nbusy_timeout_ms=100\n", record=record)


def tearDownModule():
    try:
        SERVER.stop()  # and the answers held to the document by Ajv
    finally:
        if ANSWERS is not None:
            ANSWERS.cleanup()


class SchemaError(Exception):
    pass


class SchemaValidator:
    """The subset of JSON Schema 2020-12 (OpenAPI 3.1 Schema Objects) the document uses.
    validate() returns the list of what is wrong, empty when the value is valid."""

    KEYWORDS = {"$ref", "type", "enum", "properties", "required",
                "additionalProperties", "items", "oneOf", "allOf", "minLength", "maxLength",
                "pattern", "minimum", "maximum", "minItems", "maxItems", "uniqueItems"}
    ANNOTATIONS = {"description", "readOnly", "writeOnly", "examples", "default"}
    TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
             "array": list, "object": dict, "null": type(None)}

    def __init__(self, document):
        self.document = document
        self.seen = set()  # (id of an object schema, member name): members some answer had

    def resolve(self, schema):
        """Follows $ref (a local JSON pointer) until a schema without one."""
        seen = set()
        while "$ref" in schema:
            ref = schema["$ref"]
            if len(schema) != 1:
                raise SchemaError(f"$ref {ref} has siblings, which this validator does not take")
            if not ref.startswith("#/") or ref in seen:
                raise SchemaError(f"bad $ref {ref}")
            seen.add(ref)
            node = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or part not in node:
                    raise SchemaError(f"$ref {ref} points nowhere")
                node = node[part]
            schema = node
        return schema

    def check_keywords(self, schema):
        for key in schema:
            known = key in self.KEYWORDS or key in self.ANNOTATIONS or key.startswith("x-")
            if not known:
                raise SchemaError(f"the validator does not know the keyword {key!r}")

    def is_type(self, value, name):
        if name not in self.TYPES:
            raise SchemaError(f"unknown type {name!r}")
        if isinstance(value, bool) and name != "boolean":
            return False
        return isinstance(value, self.TYPES[name])

    @staticmethod
    def types(schema):
        """The types a schema's `type` names (one, or a list such as ["string", "null"])."""
        kind = schema.get("type", [])
        return kind if isinstance(kind, list) else [kind]

    @classmethod
    def base_type(cls, schema):
        """The type of a schema's values other than null."""
        kinds = [kind for kind in cls.types(schema) if kind != "null"]
        return kinds[0] if len(kinds) == 1 else None

    def validate(self, schema, value, where="$", seen=None):
        seen = self.seen if seen is None else seen
        schema = self.resolve(schema)
        self.check_keywords(schema)
        errors = []
        for sub in schema.get("allOf", []):
            errors += self.validate(sub, value, where, seen)
        if "oneOf" in schema:
            branches = [set() for _ in schema["oneOf"]]
            verdicts = [self.validate(sub, value, where, branch)
                        for sub, branch in zip(schema["oneOf"], branches)]
            matches = verdicts.count([])
            if matches == 1:
                seen |= branches[verdicts.index([])]
            else:
                why = "; ".join(min(verdicts, key=len)) if matches == 0 else ""
                errors.append(f"{where}: matches {matches} of oneOf, not 1 {why}".rstrip())
        if "type" in schema and not any(self.is_type(value, k) for k in self.types(schema)):
            return errors + [f"{where}: {json.dumps(value)[:60]} is not of type {schema['type']}"]
        if "enum" in schema and not any(value == e and type(value) is type(e)
                                        for e in schema["enum"]):
            errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
        if isinstance(value, str):
            errors += self.validate_string(schema, value, where)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append(f"{where}: {value} is below {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                errors.append(f"{where}: {value} is above {schema['maximum']}")
        if isinstance(value, list):
            errors += self.validate_array(schema, value, where, seen)
        if isinstance(value, dict):
            errors += self.validate_object(schema, value, where, seen)
        return errors

    def validate_string(self, schema, value, where):
        errors = []
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{where}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value[:60]!r} does not match {schema['pattern']}")
        return errors

    def validate_array(self, schema, value, where, seen):
        errors = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: more than {schema['maxItems']} items")
        distinct = {json.dumps(v, sort_keys=True) for v in value}
        if schema.get("uniqueItems") and len(distinct) != len(value):
            errors.append(f"{where}: items repeat")
        if "items" in schema:
            for i, item in enumerate(value):
                errors += self.validate(schema["items"], item, f"{where}[{i}]", seen)
        return errors

    def validate_object(self, schema, value, where, seen):
        errors = []
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: the required member {name!r} is missing")
        extra = schema.get("additionalProperties", True)
        for name, member in value.items():
            if name in properties:
                seen.add((id(schema), name))
                errors += self.validate(properties[name], member, f"{where}.{name}", seen)
            elif extra is False:
                errors.append(f"{where}: the member {name!r} is not documented")
            elif isinstance(extra, dict):
                errors += self.validate(extra, member, f"{where}.{name}", seen)
        return errors

    def object_schemas(self, schema, seen=None):
        """Yields every object schema reachable from @schema (for the strictness lint)."""
        seen = set() if seen is None else seen
        schema = self.resolve(schema)
        if id(schema) in seen:
            return
        seen.add(id(schema))
        if "object" in self.types(schema):
            yield schema
        for sub in schema.get("allOf", []) + schema.get("oneOf", []):
            yield from self.object_schemas(sub, seen)
        for sub in schema.get("properties", {}).values():
            yield from self.object_schemas(sub, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                yield from self.object_schemas(schema[key], seen)


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def send(method, path, body=None, token=None, headers=None):
    """One request; Returns: an Answer with the raw body."""
    if method == "HEAD":
        # http.client reads no body after HEAD: read what the server sends until it closes
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = "Bearer " + SERVER.tokens.get(token, token)
        lines = "".join(f"{name}: {value}\r\n" for name, value in all_headers.items())
        return send_raw(f"HEAD {path} HTTP/1.1\r\nHost: x\r\n{lines}\r\n".encode(), "HEAD")
    return Answer(*SERVER.request_bytes(method, path, body, token, headers))


def send_raw(head, method="GET"):
    """Sends @head (request line and headers, maybe a body) and reads the answer: for HEAD,
    and for the refusals made before a body is read."""
    with socket.create_connection((SERVER.host, SERVER.port), timeout=TIMEOUT) as sock:
        sock.sendall(head)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        # every answer closes its connection: after HEAD, all that follows the headers
        data = response.fp.read() if method == "HEAD" else response.read()
        got = {k.lower(): v for k, v in response.getheaders()}
    target = head.split(b" ", 2)[1].decode("ascii", "replace")
    SERVER.record_answer(method, target, response.status, got, data)
    return Answer(response.status, got, data)


def concrete(template, id_value):
    return template.replace("{id}", str(id_value))


class OpenApi(unittest.TestCase):
    """Holds what the requests of all tests answered; the coverage test runs last."""

    observed = {}  # (path, method) -> set of statuses

    @classmethod
    def setUpClass(cls):
        cls.validator = SchemaValidator(DOCUMENT)

    # -- the document --------------------------------------------------------------------

    def operation(self, path, method):
        item = DOCUMENT["paths"].get(path)
        self.assertIsNotNone(item, f"{path} is not in the document")
        operation = item.get(method.lower())
        self.assertIsNotNone(operation, f"{method} {path} is not in the document")
        return operation

    def documented_methods(self, path):
        return {m.upper() for m in DOCUMENT["paths"][path] if m.upper() in METHODS}

    def response_object(self, response):
        if "$ref" in response:
            return self.validator.resolve(response)
        return response

    # -- one answer against the document -------------------------------------------------

    def check_answer(self, path, method, answer, response=None):
        """@response: the response object to hold @answer to (405 and 404 have their own);
        by default the operation's for the answer's status."""
        label = f"{method} {path} -> {answer.status}"
        if response is None:
            responses = self.operation(path, method)["responses"]
            self.assertIn(str(answer.status), responses,
                          f"{label}: the status is not documented: {answer.body[:300]!r}")
            response = responses[str(answer.status)]
            self.observed.setdefault((path, method), set()).add(str(answer.status))
        response = self.response_object(response)
        self.assertEqual(answer.headers.get("connection", "").lower(), "close", label)
        for name, header in response.get("headers", {}).items():
            value = answer.headers.get(name.lower())
            if header.get("required"):
                self.assertIsNotNone(value, f"{label}: no {name} header")
            if value is not None:
                errors = self.validator.validate(header["schema"], value, name)
                self.assertEqual(errors, [], label)
        content = response.get("content")
        # a HEAD has no body, but for the refusals libsoup makes before it takes the method
        if answer.body == b"" and (method == "HEAD" or content is None):
            return
        self.assertIsNotNone(content, f"{label}: a body where none is documented")
        kind = answer.headers.get("content-type")
        self.assertIn(kind, content, f"{label}: Content-Type {kind} is not documented")
        schema = content[kind]["schema"]
        text = answer.body.decode("utf-8")
        if kind == "application/x-ndjson":
            self.assertTrue(text == "" or text.endswith("\n"), f"{label}: a line is cut")
            values = [json.loads(line) for line in text.splitlines()]
        elif "json" in kind:
            values = [json.loads(text)]
        else:
            values = [text]
        for value in values:
            errors = self.validator.validate(schema, value)
            self.assertEqual(errors, [], f"{label}: {json.dumps(value)[:300]}")
        if kind == "application/problem+json":
            # libsoup's refusals (UnreadRequest) have no status
            self.assertEqual(values[0].get("status", answer.status), answer.status, label)
        return values

    def call(self, method, path, id=None, query="", body=None, token=None, headers=None):
        """Sends one request for the operation (@path is the document's template) and holds
        the answer to the document. Returns: the Answer."""
        url = concrete(path, id) + (("?" + query) if query else "")
        answer = send(method, url, body=body, token=token, headers=headers)
        self.check_answer(path, method, answer)
        return answer

    def create(self, token="partner", **fields):
        practice = {"title": "OpenAPI practice", "summary": "Made by tests/docs/test_openapi.py.",
                    "country": "FI", "focus_areas": ["interact"], "themes": ["testing"]}
        practice.update(fields)
        answer = self.call("POST", "/api/practices", body=practice, token=token)
        self.assertEqual(answer.status, 201, answer.body)
        return answer.json()

    # -- the routes ----------------------------------------------------------------------

    def test_routes_are_the_documents_paths(self):
        """The routes of core/api/, the room of the /api resources, /healthz and /metrics, and
        any route under /api elsewhere (px_server_add_route calls with a literal pattern, and
        the rows of api.c's route table), name the document's paths and methods; the pages'
        routes are not the API's."""
        registered = {}
        call = re.compile(r'px_server_add_route\s*\(\s*\w+\s*,\s*"([^"]*)"\s*,\s*(NULL|"[^"]*")')
        row = re.compile(r'\{"(/[^"]*)",\s*\{((?:\{"[A-Z]+",\s*\w+\},?\s*)+)\}\}')
        api_room = os.path.join(ROOT, "core", "api")
        for folder, _, files in os.walk(os.path.join(ROOT, "core")):
            for name in files:
                if not name.endswith(".c"):
                    continue
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    source = f.read()
                found = call.findall(source)
                found += [(pattern, ", ".join(re.findall(r'"([A-Z]+)"', methods)))
                          for pattern, methods in row.findall(source)]
                for pattern, methods in found:
                    if folder == api_room or pattern == "/api" or pattern.startswith("/api/"):
                        registered[pattern] = methods
        self.assertEqual(set(registered), set(DOCUMENT["paths"]))
        for pattern, methods in registered.items():
            if methods != "NULL":
                self.assertEqual(set(methods.strip('"').split(", ")),
                                 self.documented_methods(pattern), pattern)

    def test_other_methods_answer_405_with_allow(self):
        response = DOCUMENT["components"]["responses"]["MethodNotAllowed"]
        for path in DOCUMENT["paths"]:
            documented = self.documented_methods(path)
            for method in METHODS:
                if method in documented:
                    continue
                answer = send(method, concrete(path, 1), token="admin")
                self.assertEqual(answer.status, 405, f"{method} {path}")
                self.check_answer(path, method, answer, response)
                self.assertEqual(set(answer.headers["allow"].split(", ")), documented, path)

    def test_other_paths_answer_404(self):
        response = DOCUMENT["components"]["responses"]["NoRoute"]
        id_schema = DOCUMENT["components"]["parameters"]["id"]["schema"]
        # an id at its bounds, with leading zeros, is a route (and there is no such practice)
        for id in (id_schema["maximum"], "0001"):
            self.assertEqual(self.call("GET", "/api/practices/{id}", id=id).status,
                             404 if id != "0001" else 200, id)
        paths = ("/api", "/api/nope", "/api/practices/", "/api/practices/0", "/api/practices/x",
                 "/api/practices/-1", "/api/practices/1/nope", "/api/practices/1/publish/x",
                 "/api/export/", "/healthz/", "/metricsx")
        for path in paths + ("/api/practices/%d" % (id_schema["maximum"] + 1),
                             "/api/practices/%d" % (id_schema["minimum"] - 1)):
            answer = send("GET", path)
            self.assertEqual(answer.status, 404, path)
            self.check_answer(path, "GET", answer, response)
        # a browser gets the web's page (2^63 is left out: to check-answers.mjs, whose numbers
        # are doubles, it is 2^63-1, the largest id)
        for path in paths:
            answer = send("GET", path, headers={"Accept": "text/html,*/*;q=0.8"})
            self.assertEqual(answer.status, 404, path)
            self.assertTrue(answer.headers["content-type"].startswith("text/html"), path)
            self.check_answer(path, "GET", answer, response)

    def response_schemas(self):
        """Yields each object schema an answer may carry, once."""
        seen = set()
        for item in DOCUMENT["paths"].values():
            for method, operation in item.items():
                if method.upper() not in METHODS:
                    continue
                for response in operation["responses"].values():
                    response = self.response_object(response)
                    for media in response.get("content", {}).values():
                        yield from self.validator.object_schemas(media["schema"], seen)

    def test_document_lint(self):
        """Every object an answer carries is closed (additionalProperties given), and every
        schema keyword is one the validator checks."""
        for schema in self.response_schemas():
            self.validator.check_keywords(schema)
            self.assertIn("additionalProperties", schema, f"an open object: {schema}")

    def test_security(self):
        """An operation whose security needs bearerAuth refuses anonymous callers (401); one
        that takes bearerAuth refuses an unknown token (401); the others ignore tokens."""
        for path, item in DOCUMENT["paths"].items():
            for method, operation in item.items():
                method = method.upper()
                if method not in METHODS:
                    continue
                security = operation.get("security", DOCUMENT.get("security", []))
                needed = security != [] and {} not in security
                taken = any("bearerAuth" in requirement for requirement in security)
                body = {} if "requestBody" in operation else None
                anonymous = self.call(method, path, id=1, body=body)
                self.assertEqual(anonymous.status == 401, needed, (method, path))
                unknown = self.call(method, path, id=1, body=body, token="unknown-token")
                self.assertEqual(unknown.status == 401, taken, (method, path))

    # -- search --------------------------------------------------------------------------

    def test_search(self):
        path = "/api/practices"
        for query in ("", "q=language+learning&country=SE&country=DK&focus=interact",
                      "q=discussion+clubs+for+women", "q=Kristinstad", "per_page=100",
                      "sort=newest&page=2&per_page=5", "year_from=2016&year_to=2021",
                      "_=unknown-parameters-are-ignored"):
            for method in READS:
                answer = self.call(method, path, query=query)
                self.assertEqual(answer.status, 200, query)
        partial = self.call("GET", path, query="q=discussion+clubs+for+women").json()
        self.assertIn("partial", {r["matched"] for r in partial["results"]})
        self.assertIn("title_html", partial["results"][0])
        for query in ("per_page=0", "q=-only", "q=a%00b", "year_from=2022&year_to=2020"):
            for method in READS:
                self.assertEqual(self.call(method, path, query=query).status, 400, query)
        # of a repeated scalar parameter the last counts
        answer = self.call("GET", path, query="per_page=5&per_page=7&page=3&page=1").json()
        self.assertEqual((answer["per_page"], answer["page"]), (7, 1))

    def probes(self, schema, valid_item=None):
        """Values at and past each bound of @schema, with null and a wrong type."""
        schema = self.validator.resolve(schema)
        kind = self.validator.base_type(schema)
        if kind == "string":
            values = [None, 1]
            if "minLength" in schema and schema["minLength"] > 0:
                values += ["a" * (schema["minLength"] - 1), "a" * schema["minLength"]]
            if "maxLength" in schema:
                values += ["a" * schema["maxLength"], "a" * (schema["maxLength"] + 1)]
            values += list(schema.get("enum", [])) + (["zzz"] if "enum" in schema else [])
            return values
        if kind == "integer":
            values = [None, "1", 1.5]
            for key, step in (("minimum", -1), ("maximum", 1)):
                if key in schema:
                    values += [schema[key], schema[key] + step]
            return values
        if kind == "array":
            values = [None, "x", []]
            item = valid_item if valid_item is not None else self.valid_value(schema["items"])
            if "maxItems" in schema:
                values += [[item] * schema["maxItems"], [item] * (schema["maxItems"] + 1)]
            values += [[v] for v in self.probes(schema["items"]) if v is not None]
            return values
        raise AssertionError(f"no probes for {schema}")

    def valid_value(self, schema):
        schema = self.validator.resolve(schema)
        if "enum" in schema:
            return schema["enum"][0]
        return {"string": "testing",
                "integer": schema.get("minimum", 1)}[self.validator.base_type(schema)]

    def test_search_parameters_hold_their_bounds(self):
        """Each documented bound of each parameter is the server's: a value the parameter's
        schema refuses is a 400 naming it, one it accepts a 200."""
        path = "/api/practices"
        facets = self.call("GET", path).json()["facets"]
        parameters = [self.validator.resolve(p) for p in self.operation(path, "GET")["parameters"]]
        names = {p["name"] for p in parameters}
        self.assertEqual(names, {"q", "country", "city", "focus", "theme", "project", "language",
                                 "year_from", "year_to", "sort", "page", "per_page"})
        for parameter in parameters:
            name, schema = parameter["name"], parameter["schema"]
            known = next(iter(facets.get(name, {})), None)
            for value in self.probes(schema, known):
                if value is None:
                    continue  # a query has no null
                values = value if isinstance(value, list) else [value]
                if not values:
                    continue
                query = urllib.parse.urlencode([(name, str(v)) for v in values])
                typed = self.query_value(schema, value)
                expected = not self.validator.validate(schema, typed)
                answer = self.call("GET", path, query=query)
                self.assertEqual(answer.status, 200 if expected else 400, (name, query[:80]))
                if not expected and "errors" in answer.json():
                    self.assertIn(name, [e["field"] for e in answer.json()["errors"]], query[:80])

    def query_value(self, schema, value):
        """@value as the parameter's schema types it: a query holds text."""
        schema = self.validator.resolve(schema)
        kind = self.validator.base_type(schema)
        if kind == "array":
            # form style, exploded: a parameter given once is a list of one
            values = value if isinstance(value, list) else [value]
            return [self.query_value(schema["items"], v) for v in values]
        text = str(value)
        if kind == "integer":
            return int(text) if re.fullmatch(r"[0-9]+", text) else text
        return text

    # -- practices -----------------------------------------------------------------------

    def test_submission_members_hold_their_bounds(self):
        """Each documented bound, type and enum of each member of a submission is the
        server's: a body the schema refuses is a 422 naming the member, one it accepts 201."""
        schema = self.operation("/api/practices", "POST")["requestBody"]["content"][
            "application/json"]["schema"]
        base = {"title": "Bounds", "summary": "A practice at the bounds of its members."}
        members = self.validator.resolve(
            DOCUMENT["components"]["schemas"]["PracticeInput"])["properties"]
        for name, member in members.items():
            for value in self.probes(member):
                body = dict(base, **{name: value})
                if name == "uid" and isinstance(value, str):
                    body[name] = value.replace("a", "u")  # uids are unique
                expected = not self.validator.validate(schema, body)
                answer = self.call("POST", "/api/practices", body=body, token="admin")
                label = (name, json.dumps(value)[:60])
                self.assertEqual(answer.status, 201 if expected else 422, label)
                if not expected:
                    self.assertIn(name, [e["field"] for e in answer.json()["errors"]], label)
        for name in ("id", "source", "created_at", "colour"):
            answer = self.call("POST", "/api/practices", body=dict(base, **{name: "x"}),
                               token="admin")
            self.assertEqual(answer.status, 422, name)

    def test_a_full_practice(self):
        """The examples of the submission's members make a practice with every field; each
        view shows what the document says of it, and members marked x-private show only to
        authenticated callers (in the export, to admins)."""
        members = DOCUMENT["components"]["schemas"]["PracticeInput"]["properties"]
        body = {name: member["examples"][0] for name, member in members.items()}
        private = [name for name, member in
                   DOCUMENT["components"]["schemas"]["Practice"]["properties"].items()
                   if member.get("x-private")]
        self.assertEqual(private, ["contact"])
        practice = self.create(**body)
        id = practice["id"]
        self.assertEqual(set(practice) | {"published_at"},
                         set(DOCUMENT["components"]["schemas"]["Practice"]["properties"]))
        self.assertEqual(self.call("POST", "/api/practices/{id}/publish", id=id,
                                   token="admin").status, 200)
        anonymous = self.call("GET", "/api/practices/{id}", id=id).json()
        self.assertEqual(set(practice) - set(anonymous), set(private))
        for token in ("partner", "partner2", "admin"):
            seen = self.call("GET", "/api/practices/{id}", id=id, token=token).json()
            self.assertEqual(set(seen) - set(anonymous), set(private), token)
        query = urllib.parse.urlencode({"q": body["title"]})
        results = self.call("GET", "/api/practices", query=query).json()["results"]
        self.assertIn(practice["uid"], [r["uid"] for r in results])
        for token, shown in ((None, False), ("partner", False), ("admin", True)):
            lines = self.call("GET", "/api/export", token=token).body.decode()
            mine = [json.loads(line) for line in lines.splitlines() if practice["uid"] in line]
            self.assertEqual([set(private) <= set(p) for p in mine], [shown], token)

    def test_input_and_output_agree(self):
        """A member's bounds are the same where a client sends it and where it is answered."""
        schemas = DOCUMENT["components"]["schemas"]
        output = schemas["Practice"]["properties"]
        for name, member in schemas["PracticeInput"]["properties"].items():
            answered = self.validator.resolve(output[name])
            self.assertEqual(self.validator.base_type(member), self.validator.base_type(answered),
                             name)
            for key in ("maxLength", "minimum", "maximum", "maxItems", "enum"):
                self.assertEqual(member.get(key), answered.get(key), (name, key))
            if name != "country":  # sent in either case, answered in upper case
                self.assertEqual(member.get("pattern"), answered.get("pattern"), name)
            if "items" in member:
                items = self.validator.resolve(answered["items"])
                for key in ("maxLength", "pattern", "enum"):
                    self.assertEqual(member["items"].get(key), items.get(key), (name, key))
        for name in ("id", "source", "created_at", "updated_at", "published_at"):
            self.assertTrue(output[name].get("readOnly"), name)
            self.assertNotIn(name, schemas["PracticeInput"]["properties"])

    def test_practice_operations(self):
        item, collection = "/api/practices/{id}", "/api/practices"
        json_type = {"Content-Type": "application/json"}
        # POST: 201, 400, 401, 409, 415, 422 (411, 413: test_refused_before_the_body)
        practice = self.create()
        id = practice["id"]
        self.assertEqual(practice["status"], "pending")
        self.assertEqual(self.call("POST", collection, body="", token="partner",
                                   headers=json_type).status, 400)
        self.assertEqual(self.call("POST", collection, body="{\"title\": ", token="partner",
                                   headers=json_type).status, 400)
        self.assertEqual(self.call("POST", collection, body={"title": "x", "summary": "y"}
                                   ).status, 401)
        self.assertEqual(self.call("POST", collection, body={"title": "x", "summary": "y"},
                                   token="nobody").status, 401)
        self.assertEqual(self.call("POST", collection, token="partner",
                                   body={"title": "x", "summary": "y",
                                         "uid": "demo-riga-latvian-course"}).status, 409)
        self.assertEqual(self.call("POST", collection, body="title=x", token="partner",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}
                                   ).status, 415)
        self.assertEqual(self.call("POST", collection, body={"summary": "y", "colour": "red"},
                                   token="partner").status, 422)
        self.assertEqual(self.call("POST", collection, body="[1]", token="partner",
                                   headers=json_type).status, 422)
        # GET and HEAD one practice: 200, 401, 404
        for method in READS:
            self.assertEqual(self.call(method, item, id=1).status, 200)
            self.assertEqual(self.call(method, item, id=id, token="partner").status, 200)
            self.assertEqual(self.call(method, item, id=id, token="admin").status, 200)
            self.assertEqual(self.call(method, item, id=id).status, 404)
            self.assertEqual(self.call(method, item, id=id, token="partner2").status, 404)
            self.assertEqual(self.call(method, item, id=999999).status, 404)
            self.assertEqual(self.call(method, item, id=1, token="nobody").status, 401)
        # PATCH: 200, 400, 401, 403, 404, 415, 422
        changed = self.call("PATCH", item, id=id, body={"city": "Oulu", "year": 2024,
                                                        "region": None}, token="partner")
        self.assertEqual((changed.status, changed.json()["city"]), (200, "Oulu"))
        self.assertEqual(self.call("PATCH", item, id=id, body="{,}", token="partner",
                                   headers=json_type).status, 400)
        self.assertEqual(self.call("PATCH", item, id=id, body={"city": "x"}).status, 401)
        self.assertEqual(self.call("PATCH", item, id=1, body={"city": "x"},
                                   token="partner").status, 403)
        self.assertEqual(self.call("PATCH", item, id=id, body={"city": "x"},
                                   token="partner2").status, 404)
        self.assertEqual(self.call("PATCH", item, id=999999, body={"city": "x"},
                                   token="admin").status, 404)
        self.assertEqual(self.call("PATCH", item, id=id, body="city=x", token="partner",
                                   headers={"Content-Type": "text/plain"}).status, 415)
        for body in ({"uid": "other"}, {"status": "published"}, {"title": None}, {"year": 1}):
            self.assertEqual(self.call("PATCH", item, id=id, body=body,
                                       token="partner").status, 422, body)
        # reject's body: 400, 415, 422; other members are ignored
        reject = "/api/practices/{id}/reject"
        for body, status in (("{", 400), ({"reason": 5}, 400), ({"reason": None}, 400),
                             ({"reason": "x" * 2001}, 400), ([1], 422),
                             ({"colour": "red"}, 200), ({"reason": "x" * 2000}, 200)):
            answer = self.call("POST", reject, id=1, body=body, token="admin",
                               headers={"Content-Type": "application/json"})
            self.assertEqual(answer.status, status, body)
        self.assertEqual(self.call("POST", reject, id=1, body="reason=x", token="admin",
                                   headers={"Content-Type": "text/plain"}).status, 415)
        self.assertEqual(self.call("POST", "/api/practices/{id}/publish", id=1,
                                   token="admin").status, 200)
        # publish and reject: 200, 401, 403, 404
        for action in ("publish", "reject"):
            moderation = "/api/practices/{id}/" + action
            self.assertEqual(self.call("POST", moderation, id=id).status, 401)
            self.assertEqual(self.call("POST", moderation, id=id, token="nobody").status, 401)
            self.assertEqual(self.call("POST", moderation, id=id, token="partner").status, 403)
            self.assertEqual(self.call("POST", moderation, id=999999, token="admin").status, 404)
            answer = self.call("POST", moderation, id=id, token="admin")
            self.assertEqual(answer.status, 200)
            self.assertEqual(answer.json()["status"],
                             {"publish": "published", "reject": "rejected"}[action])
        # DELETE: 204, 401, 403, 404
        self.assertEqual(self.call("DELETE", item, id=id).status, 401)
        self.assertEqual(self.call("DELETE", item, id=id, token="partner").status, 403)
        self.assertEqual(self.call("DELETE", item, id=999999, token="admin").status, 404)
        own = self.create()
        self.assertEqual(self.call("DELETE", item, id=own["id"], token="partner2").status, 404)
        self.assertEqual(self.call("DELETE", item, id=own["id"], token="partner").status, 204)
        self.assertEqual(self.call("DELETE", item, id=id, token="admin").status, 204)

    def refusals(self, method, target):
        """The requests refused before the route is looked at, and the status of each."""
        token = f"Authorization: Bearer {SERVER.tokens['admin']}\r\n"
        head = f"{method} {target} HTTP/1.1\r\nHost: x\r\n{token}"
        return (
            (f"{method} {target}?q=%zz HTTP/1.1\r\nHost: x\r\n{token}\r\n", 400),
            (head + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            (head + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             "2\r\n{}\r\n0\r\n\r\n", 411),
            (head + f"Content-Type: application/json\r\nContent-Length: {MAX_BODY_BYTES + 1}"
             "\r\n\r\n", 413),
            (head + "Expect: coffee\r\n\r\n", 417),
            (head + "Transfer-Encoding: gzip\r\n\r\n", 501),
            (head.replace("HTTP/1.1", "HTTP/1.2") + "\r\n", 505),
        )

    def test_refused_before_the_route(self):
        """Every operation lists the refusals of x-before-routing, and answers them as the
        document says, before any body is read; so do a method a path does not list and a path
        that is no route, with the responses of x-before-routing."""
        early = DOCUMENT["x-before-routing"]
        for path in DOCUMENT["paths"]:
            documented = self.documented_methods(path)
            for method in sorted(documented):
                self.assertEqual(set(early) - set(self.operation(path, method)["responses"]),
                                 set(), f"{method} {path} does not list them")
                for request, status in self.refusals(method, concrete(path, 1)):
                    answer = send_raw(request.encode(), method)
                    self.assertEqual(answer.status, status, request)
                    self.check_answer(path, method, answer)
            other = next(m for m in METHODS if m not in documented)
            for request, status in self.refusals(other, concrete(path, 1)):
                answer = send_raw(request.encode(), other)
                self.assertEqual(answer.status, status, request)
                self.check_answer(path, other, answer, early[str(status)])
        for request, status in self.refusals("GET", "/api/nope"):
            answer = send_raw(request.encode())
            self.assertEqual(answer.status, status, request)
            self.check_answer("/api/nope", "GET", answer, early[str(status)])

    def test_writes_answer_503_when_the_database_stays_busy(self):
        """The server's busy timeout is 100 ms: a write lock held here outlasts it."""
        practice = self.create()
        database = sqlite3.connect(SERVER.db, isolation_level=None)
        try:
            database.execute("BEGIN IMMEDIATE")
            requests = (("POST", "/api/practices", {"title": "x", "summary": "y"}),
                        ("PATCH", "/api/practices/{id}", {"city": "x"}),
                        ("DELETE", "/api/practices/{id}", None),
                        ("POST", "/api/practices/{id}/publish", None),
                        ("POST", "/api/practices/{id}/reject", None))
            for method, path, body in requests:
                answer = self.call(method, path, id=practice["id"], body=body, token="admin")
                self.assertEqual(answer.status, 503, (method, path))
        finally:
            database.execute("ROLLBACK")
            database.close()

    # -- harvest and service -------------------------------------------------------------

    def test_export(self):
        path = "/api/export"
        for method in READS:
            self.assertEqual(self.call(method, path).status, 200)
            self.assertEqual(self.call(method, path, token="admin").status, 200)
            self.assertEqual(self.call(method, path, query="since=yesterday").status, 400)
            self.assertEqual(self.call(method, path, token="nobody").status, 401)
        since = max(json.loads(line)["updated_at"]
                    for line in self.call("GET", path, token="admin").body.decode().splitlines())
        gone = self.create(token="admin")
        self.assertEqual(self.call("POST", "/api/practices/{id}/publish", id=gone["id"],
                                   token="admin").status, 200)
        self.assertEqual(self.call("DELETE", "/api/practices/{id}", id=gone["id"],
                                   token="admin").status, 204)
        for token in (None, "admin"):
            answer = self.call("GET", path, query=urllib.parse.urlencode({"since": since}),
                               token=token)
            lines = [json.loads(line) for line in answer.body.decode().splitlines()]
            self.assertIn({"uid": gone["uid"], "status": "deleted"},
                          [{k: v for k, v in line.items() if k != "updated_at"}
                           for line in lines], token)
        future = self.call("GET", path, query="since=2100-01-01T00:00:00Z")
        self.assertEqual((future.status, future.body), (200, b""))

    def test_plugins(self):
        for path, method in (("/api/plugins", "GET"), ("/api/plugins/reload", "POST")):
            answer = self.call(method, path, token="admin")
            self.assertEqual(answer.status, 200, path)
            self.assertEqual(answer.json(), {"plugins": []})
            self.assertEqual(self.call(method, path).status, 401, path)
            self.assertEqual(self.call(method, path, token="partner").status, 403, path)
        with open(SERVER.config_path, encoding="utf-8") as f:
            config = f.read()
        plugins = os.path.join(ROOT, "tests", "data", "plugins")
        try:
            with open(SERVER.config_path, "a", encoding="utf-8") as f:
                f.write(f"[plugins]\ndir={plugins}\nenabled=sample;absent\n")
            answer = self.call("POST", "/api/plugins/reload", token="admin")
            self.assertEqual(answer.status, 200)
            self.assertEqual([(p["name"], p["status"]) for p in answer.json()["plugins"]],
                             [("sample", "loaded"), ("absent", "failed")])
            self.assertEqual(self.call("GET", "/api/plugins", token="admin").json(),
                             answer.json())
            with open(SERVER.config_path, "a", encoding="utf-8") as f:
                f.write("memory_mb=0\n")
            answer = self.call("POST", "/api/plugins/reload", token="admin")
            self.assertEqual(answer.status, 400)
            self.assertIn("memory_mb", answer.json()["detail"])
        finally:
            with open(SERVER.config_path, "w", encoding="utf-8") as f:
                f.write(config)
            self.assertEqual(self.call("POST", "/api/plugins/reload", token="admin").json(),
                             {"plugins": []})

    def test_service(self):
        for method in READS:
            self.assertEqual(self.call(method, "/healthz").status, 200)
            self.assertEqual(self.call(method, "/metrics").status, 200)
        text = self.call("GET", "/metrics").body.decode()
        self.assertIn('praxis_practices{status="published"}', text)
        # the document's version is the database schema's
        schema = self.call("GET", "/healthz").json()["schema"]
        self.assertEqual(DOCUMENT["info"]["version"], str(schema))

    # -- coverage: last (unittest runs the tests of a class in name order) -----------------

    def test_zz_every_documented_status_and_member_was_answered(self):
        missing = []
        for path, item in DOCUMENT["paths"].items():
            for method, operation in item.items():
                method = method.upper()
                if method not in METHODS:
                    continue
                for status in operation["responses"]:
                    if status in self.observed.get((path, method), set()):
                        continue
                    if any(key in UNPROVOKED for key in ((path, method, status),
                                                         ("*", "*", status))):
                        continue
                    missing.append(f"{method} {path} {status}")
        self.assertEqual(missing, [], "documented, never answered (fix the document, or "
                         "provoke it here, or say in UNPROVOKED why not)")
        names = {id(schema): name for name, schema in DOCUMENT["components"]["schemas"].items()}
        unseen = set()
        for schema in self.response_schemas():
            for name in schema.get("properties", {}):
                if (id(schema), name) not in self.validator.seen:
                    unseen.add(f"{names.get(id(schema), '?')}.{name}")
        self.assertEqual(sorted(unseen), [], "documented members no answer had")
        for key in UNPROVOKED:
            path, method, status = key
            if path != "*":
                self.assertIn(status, self.operation(path, method)["responses"], key)
                self.assertNotIn(status, self.observed.get((path, method), set()),
                                 f"{key} is answered after all: drop it from UNPROVOKED")


if __name__ == "__main__":
    unittest.main(verbosity=2)
