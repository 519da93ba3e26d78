"""Every route, status and error of the JSON API, against the real server (tests/http/harness.py).

The data set is tests/data/unit-practices.jsonl: six published practices (SE, AT, ES, DK, LV, PL)
and one pending. Tests that write create their own practices and delete them again.
"""
import json
import os
import socket
import sys
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server()


def tearDownModule():
    SERVER.stop()


def q(**params):
    return urllib.parse.urlencode(params, doseq=True)


def new_practice(**fields):
    practice = {"title": "Test practice " + uuid.uuid4().hex[:8],
                "summary": "A practice made by the HTTP tests.", "country": "FI",
                "focus_areas": ["interact"], "themes": ["testing"], "language": "en",
                "year": 2024}
    practice.update(fields)
    return practice


class Search(unittest.TestCase):
    def test_all_published(self):
        body = SERVER.search("")
        self.assertEqual(body["total"], 6)
        self.assertEqual(set(body), {"total", "page", "per_page", "results", "facets", "suggestions"})
        self.assertEqual(set(body["facets"]),
                         {"country", "city", "focus", "theme", "project", "language", "year"})
        self.assertNotIn("Pending", json.dumps(body))

    def test_multilingual(self):
        for query, uid in (("språkcaféer", "t-sv"), ("Integrationsprojekte", "t-de"),
                           ("volunteers", "t-en"), ("erika", "t-lv"), ("LODZ", "t-pl"),
                           ("Rīgā*", "t-lv")):
            body = SERVER.search(q(q=query))
            self.assertIn(uid, [r["uid"] for r in body["results"]], query)
        body = SERVER.search(q(q="integracion", language="es"))
        self.assertEqual([r["uid"] for r in body["results"]], ["t-es"])

    def test_filters_or_within_and_across(self):
        self.assertEqual(SERVER.search(q(country=["SE", "DK"]))["total"], 2)
        self.assertEqual(SERVER.search(q(country=["SE", "DK"], project="EPI"))["total"], 1)
        self.assertEqual(SERVER.search(q(focus="governance"))["total"], 1)
        self.assertEqual(SERVER.search(q(theme=["volunteering", "employment"]))["total"], 3)
        self.assertEqual(SERVER.search(q(city="Graz"))["total"], 1)
        self.assertEqual(SERVER.search(q(language="lv"))["total"], 1)
        self.assertEqual(SERVER.search(q(year_from=2020, year_to=2020))["total"], 1)
        self.assertEqual(SERVER.search(q(year_from=2020))["total"], 5)

    def test_facet_counts_exclude_own_filter(self):
        facets = SERVER.search(q(country="SE", project="EPI"))["facets"]
        # country counts apply the project filter only: EPI is in ES, DK, LV, PL
        self.assertEqual(facets["country"], {"DK": 1, "ES": 1, "LV": 1, "PL": 1})
        # project counts apply the country filter only: SE has one ELAINE 2.0 practice
        self.assertEqual(facets["project"], {"ELAINE 2.0": 1})
        facets = SERVER.search("")["facets"]
        self.assertEqual(facets["focus"], {"interact": 3, "participation": 3, "governance": 1})
        self.assertEqual(facets["year"], {"2021": 4, "2020": 1, "2019": 1})
        self.assertEqual(facets["theme"]["language-learning"], 2)

    def test_pagination_and_sort(self):
        body = SERVER.search(q(per_page=4, page=2, sort="newest"))
        self.assertEqual((body["page"], body["per_page"], len(body["results"])), (2, 4, 2))
        self.assertEqual(len(SERVER.search(q(per_page=100))["results"]), 6)
        self.assertEqual(SERVER.search(q(page=9))["results"], [])

    def test_snippets_escape_and_mark(self):
        result = SERVER.search(q(q="mentors"))["results"][0]
        self.assertIn("<mark>mentors</mark>", result["snippet"])
        self.assertIn("&lt;script&gt;", result["snippet"])
        self.assertNotIn("<script>", result["snippet"])
        result = SERVER.search(q(q="Catoira"))["results"][0]
        self.assertIn("<mark>Catoira</mark>", result["title_html"])

    def test_suggestions(self):
        body = SERVER.search(q(q="Krstianstad"))
        self.assertEqual(body["total"], 0)
        self.assertEqual(body["suggestions"], ["kristianstad"])
        self.assertEqual(SERVER.search(q(q="Kristianstad"))["suggestions"], [])

    def test_matched_full_or_partial(self):
        # every result says how it matched; without words, everything matches in full
        body = SERVER.search(q(per_page=100))
        self.assertEqual({r["matched"] for r in body["results"]}, {"full"})
        # a stop word need not match: "for" is in no English practice
        body = SERVER.search(q(q="volunteering for newcomers"))
        self.assertEqual([(r["uid"], r["matched"]) for r in body["results"]], [("t-en", "full")])
        # too few full matches: the page goes on with those lacking the last word, marked;
        # total and the facets count the full matches only
        body = SERVER.search(q(q="mentors qqqzzz"))
        self.assertEqual(body["total"], 0)
        self.assertEqual([(r["uid"], r["matched"]) for r in body["results"]],
                         [("t-en", "partial")])
        self.assertEqual(body["facets"]["country"], {})
        self.assertIn("<mark>mentors</mark>", body["results"][0]["snippet"])
        body = SERVER.search(q(q="newcomers Vejle", country="DK"))
        self.assertEqual([(r["uid"], r["matched"]) for r in body["results"]], [("t-en", "full")])
        # (the Spanish practice says "integración": the English "integration" is not its word)
        body = SERVER.search(q(q="integracion qqqzzz", language="es"))
        self.assertEqual([(r["uid"], r["matched"]) for r in body["results"]],
                         [("t-es", "partial")])
        self.assertEqual(SERVER.search(q(q="mentors qqqzzz", page=2))["results"], [])

    def test_nasty_queries_never_fail(self):
        # just under the length limit, so that it reaches the parser (1001 characters do not)
        noise = "".join("\"(*-:^)'%;" [i % 10] for i in range(1000))
        alphabet = "a\"b(c*d-e:f^g)h OR NOT x -"
        words = "".join(alphabet[i % len(alphabet)] for i in range(1000))
        for query in ('"unbalanced', "NEAR(", "title:foo", "c++", "'; DROP TABLE practices; --",
                      "*", "-", "OR", "AND AND", "a OR OR b", "\\", "\u0301", "😀 émoji",
                      "x" * 900, noise, words, "-water"):
            status, headers, body = SERVER.request("GET", "/api/practices?" + q(q=query))
            if SERVER.via_proxy and status == 414:
                continue  # nginx's header limit (16k) stops it first
            self.assertIn(status, (200, 400), query[:40])
            text = json.dumps(body).lower()
            self.assertNotIn("fts5", text)
            self.assertNotIn("syntax error", text)
            if status == 400:
                self.assertEqual(headers["content-type"], "application/problem+json")
                self.assertNotIn("too long", body["detail"], query[:40])
        status, _, body = SERVER.request("GET", "/api/practices?" + q(q=noise + "x"))
        self.assertEqual(status, 400)
        self.assertIn("too long", json.dumps(body))

    def test_bad_parameters(self):
        for query in ("page=0", "per_page=101", "per_page=abc", "year_from=x", "sort=foo",
                      "focus=unknown", "country=Sweden", "year_from=2022&year_to=2020",
                      "q=a%00b", "q=%FF"):
            status, headers, body = SERVER.request("GET", "/api/practices?" + query)
            self.assertEqual(status, 400, query)
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertEqual(body["status"], 400)
        # libsoup itself refuses a URI with a bad escape, before any handler
        self.assertEqual(SERVER.request("GET", "/api/practices?q=%zz")[0], 400)
        status, _, body = SERVER.request("GET", "/api/practices?per_page=0")
        self.assertEqual(body["errors"][0]["field"], "per_page")

    def test_unknown_parameters_ignored(self):
        self.assertEqual(SERVER.search("_=123")["total"], 6)


class Practice(unittest.TestCase):
    def test_get_published_and_not_found(self):
        results = SERVER.search(q(q="Graz"))["results"]
        status, _, body = SERVER.request("GET", f"/api/practices/{results[0]['id']}")
        self.assertEqual(status, 200)
        self.assertIn("summary", body)
        self.assertNotIn("contact", body)
        for path in ("/api/practices/999999", "/api/practices/abc", "/api/practices/0"):
            self.assertEqual(SERVER.request("GET", path)[0], 404, path)

    def test_create_validate_and_moderate(self):
        status, headers, body = SERVER.request("POST", "/api/practices",
                                               new_practice(contact="team@example.org"),
                                               token="partner")
        self.assertEqual(status, 201, body)
        self.assertEqual(body["status"], "pending")
        location = headers["location"]
        self.assertEqual(location, f"/api/practices/{body['id']}")
        title = body["title"]
        # pending: hidden from the public and other partners, visible to its partner
        self.assertEqual(SERVER.request("GET", location)[0], 404)
        self.assertEqual(SERVER.request("GET", location, token="partner2")[0], 404)
        status, _, own = SERVER.request("GET", location, token="partner")
        self.assertEqual((status, own["contact"]), (200, "team@example.org"))
        self.assertEqual(SERVER.search(q(q=title))["total"], 0)
        # partners edit their own pending practice, never moderate
        status, _, body = SERVER.request("PATCH", location, {"city": "Oulu", "region": None},
                                         token="partner")
        self.assertEqual((status, body["city"]), (200, "Oulu"))
        self.assertEqual(SERVER.request("POST", location + "/publish", token="partner")[0], 403)
        self.assertEqual(SERVER.request("POST", location + "/publish")[0], 401)
        status, _, body = SERVER.request("POST", location + "/publish", token="admin")
        self.assertEqual((status, body["status"]), (200, "published"))
        self.assertEqual(SERVER.search(q(q=title))["total"], 1)
        # published: the partner may no longer change it
        self.assertEqual(SERVER.request("PATCH", location, {"city": "X"}, token="partner")[0], 403)
        status, _, body = SERVER.request("POST", location + "/reject", token="admin")
        self.assertEqual((status, body["status"]), (200, "rejected"))
        self.assertEqual(SERVER.search(q(q=title))["total"], 0)
        self.assertEqual(SERVER.request("DELETE", location, token="admin")[0], 204)
        self.assertEqual(SERVER.request("GET", location, token="admin")[0], 404)

    def test_partner_deletes_own_pending(self):
        status, headers, _ = SERVER.request("POST", "/api/practices", new_practice(), token="partner2")
        self.assertEqual(status, 201)
        self.assertEqual(SERVER.request("DELETE", headers["location"], token="partner")[0], 404)
        self.assertEqual(SERVER.request("DELETE", headers["location"], token="partner2")[0], 204)

    def test_auth(self):
        self.assertEqual(SERVER.request("POST", "/api/practices", new_practice())[0], 401)
        status, headers, _ = SERVER.request("POST", "/api/practices", new_practice(), token="px_nope")
        self.assertEqual(status, 401)
        self.assertIn("bearer", headers["www-authenticate"].lower())

    def test_validation_errors(self):
        cases = (
            ({"summary": "no title"}, "title", "is required"),
            (new_practice(colour="red"), "colour", "unknown field"),
            (new_practice(year="2021"), "year", "must be a whole number"),
            (new_practice(focus_areas=["dancing"]), "focus_areas", None),
            (new_practice(country="Sweden"), "country", None),
            (new_practice(status="published"), "status", None),
            (new_practice(id=5), "id", "is read-only"),
            (new_practice(url="ftp://example.org"), "url", None),
        )
        for practice, field, message in cases:
            status, headers, body = SERVER.request("POST", "/api/practices", practice, token="partner")
            self.assertEqual(status, 422, practice)
            self.assertEqual(headers["content-type"], "application/problem+json")
            fields = {e["field"]: e["message"] for e in body["errors"]}
            self.assertIn(field, fields)
            if message:
                self.assertEqual(fields[field], message)
        status, _, body = SERVER.request("POST", "/api/practices", "[1, 2]", token="partner",
                                         headers={"Content-Type": "application/json"})
        self.assertEqual(status, 422)

    def test_bad_bodies(self):
        status, _, body = SERVER.request("POST", "/api/practices", "{\"title\": ", token="partner",
                                         headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        self.assertIn("malformed JSON", body["detail"])
        status, _, _ = SERVER.request("POST", "/api/practices", "[" * 100000, token="partner",
                                      headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        status, _, _ = SERVER.request("POST", "/api/practices", "title=x", token="partner",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 415)
        # the server answers 413 before reading and stops reading soon after: a client still
        # sending may see its connection reset, so this one reads the answer whatever happens
        big = json.dumps(new_practice(body="x" * (1024 * 1024 + 10))).encode()
        request = ("POST /api/practices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   f"Authorization: Bearer {SERVER.tokens['partner']}\r\n"
                   f"Content-Length: {len(big)}\r\n\r\n").encode()
        with socket.create_connection((SERVER.host, SERVER.port), timeout=10) as sock:
            reply = b""
            try:
                sock.sendall(request + big)
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                while chunk := sock.recv(4096):
                    reply += chunk
            except ConnectionResetError:
                pass
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:80])

    def test_hostile_json_bodies(self):
        """json-glib 1.6 is lenient and recurses without limit: strict JSON only, never a crash."""
        deep = "[" * 100000
        bodies = ("{\"x\":'\"',\"y\":" + deep, "{\"title\": [/*\"*/" + deep, "{'title':'x'}",
                  "{\"title\":\"x\"} {}", "{\"title\":\"x\"}//", "{\"title\":\"x\",}",
                  "{\"year\":0x10}", "{\"title\":\"x\",\"title\":\"y\"}", "\ufeff{}",
                  # json-glib would wrap it to a year it then accepts, or make it infinite
                  "{\"year\":18446744073709553616}", "{\"year\":1e400}")
        status, _, created = SERVER.request("POST", "/api/practices", new_practice(), token="partner")
        self.assertEqual(status, 201)
        for body in bodies:
            for method, path in (("POST", "/api/practices"),
                                 ("PATCH", f"/api/practices/{created['id']}")):
                status, headers, problem = SERVER.request(
                    method, path, body.encode(), token="partner",
                    headers={"Content-Type": "application/json"})
                self.assertEqual(status, 400, (method, body[:30]))
                self.assertEqual(headers["content-type"], "application/problem+json")
                self.assertIn("JSON", problem["detail"])
        self.assertEqual(SERVER.request("GET", "/healthz")[0], 200)

    def test_lone_surrogates_are_refused(self):
        for text in ("a\\ud800b", "a\\udc00", "\\ud83d\\u0041"):
            body = '{"title": "%s", "summary": "s"}' % text
            status, headers, problem = SERVER.request(
                "POST", "/api/practices", body, token="partner",
                headers={"Content-Type": "application/json"})
            self.assertEqual(status, 422, text)
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertTrue(problem["detail"].startswith("title: "), problem["detail"])
        # a real pair is text, and is stored and given back whole
        status, _, created = SERVER.request(
            "POST", "/api/practices", '{"title": "a\\ud83d\\ude00b", "summary": "s"}',
            token="partner", headers={"Content-Type": "application/json"})
        self.assertEqual(status, 201)
        self.assertEqual(created["title"], "a\U0001F600b")

    def test_patch_refuses_a_body_as_its_parser_does(self):
        """A PATCH body that is no JSON object, or holds a lone surrogate, is refused with what
        the parser found, as at f18cb9d; "the change is not valid" is only for a change the model
        or a validate hook refuses, and comes with its errors."""
        status, _, created = SERVER.request("POST", "/api/practices", new_practice(), token="partner")
        self.assertEqual(status, 201)
        path = f"/api/practices/{created['id']}"
        for body, detail in (("[1]", "JSON must be an object"),
                             ('{"title": "\\ud800"}',
                              "title: holds a lone UTF-16 surrogate (\\ud800), which is not text")):
            status, headers, problem = SERVER.request(
                "PATCH", path, body, token="partner", headers={"Content-Type": "application/json"})
            self.assertEqual(status, 422, body)
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertEqual(problem, {"type": "about:blank", "title": "Unprocessable Entity",
                                       "status": 422, "detail": detail}, body)
        status, _, problem = SERVER.request("PATCH", path, {"colour": "red"}, token="partner")
        self.assertEqual((status, problem["detail"]), (422, "the change is not valid"))
        self.assertEqual(problem["errors"], [{"field": "colour", "message": "unknown field"}])
        self.assertEqual(SERVER.request("DELETE", path, token="partner")[0], 204)

    def test_chunked_body_is_refused(self):
        request = ("POST /api/practices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   f"Authorization: Bearer {SERVER.tokens['partner']}\r\n"
                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n")
        with socket.create_connection((SERVER.host, SERVER.port), timeout=10) as sock:
            sock.sendall(request.encode())
            reply = b""
            while chunk := sock.recv(4096):
                reply += chunk
        expected = (b"HTTP/1.1 411", b"HTTP/1.1 400") if SERVER.via_proxy else (b"HTTP/1.1 411",)
        self.assertTrue(reply.startswith(expected), reply[:80])

    def test_duplicate_uid(self):
        uid = "http-" + uuid.uuid4().hex
        first = SERVER.request("POST", "/api/practices", new_practice(uid=uid), token="admin")
        second = SERVER.request("POST", "/api/practices", new_practice(uid=uid), token="admin")
        self.assertEqual((first[0], second[0]), (201, 409))
        SERVER.request("DELETE", first[1]["location"], token="admin")


class Export(unittest.TestCase):
    def test_export_and_tombstones(self):
        status, headers, text = SERVER.request("GET", "/api/export")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("application/x-ndjson"))
        lines = [json.loads(line) for line in text.splitlines()]
        self.assertEqual(len([p for p in lines if p["status"] == "published"]), len(lines))
        self.assertNotIn("t-pending", [p["uid"] for p in lines])
        self.assertNotIn("contact", text)
        since = max(p["updated_at"] for p in lines)
        status, headers, body = SERVER.request("POST", "/api/practices", new_practice(), token="admin")
        SERVER.request("POST", headers["location"] + "/publish", token="admin")
        _, _, text = SERVER.request("GET", "/api/export?" + q(since=since))
        changed = [json.loads(line) for line in text.splitlines()]
        self.assertEqual([p["uid"] for p in changed], [body["uid"]])
        SERVER.request("DELETE", headers["location"], token="admin")
        _, _, text = SERVER.request("GET", "/api/export?" + q(since=since))
        changed = [json.loads(line) for line in text.splitlines()]
        self.assertEqual(changed, [{"uid": body["uid"], "status": "deleted",
                                    "updated_at": changed[0]["updated_at"]}])
        self.assertEqual(SERVER.request("GET", "/api/export?since=yesterday")[0], 400)

    def test_tombstones_are_kept_and_only_public_ones_shown(self):
        since = "2000-01-01T00:00:00Z"
        published = SERVER.request("POST", "/api/practices", new_practice(), token="partner")[2]
        SERVER.request("POST", f"/api/practices/{published['id']}/publish", token="admin")
        pending = SERVER.request("POST", "/api/practices", new_practice(), token="partner")[2]
        for practice in (published, pending):
            status = SERVER.request("DELETE", f"/api/practices/{practice['id']}", token="admin")[0]
            self.assertEqual(status, 204)
        public = SERVER.request("GET", "/api/export?" + q(since=since))[2]
        every = SERVER.request("GET", "/api/export?" + q(since=since), token="admin")[2]
        self.assertIn(published["uid"], public)
        self.assertNotIn(pending["uid"], public)
        self.assertIn(pending["uid"], every)
        for practice in (published, pending):  # a deleted uid is never given out again
            status, _, problem = SERVER.request("POST", "/api/practices",
                                                new_practice(uid=practice["uid"]), token="partner")
            self.assertEqual(status, 409)
            self.assertIn("deleted", problem["detail"])
        again = [json.loads(line) for line in
                 SERVER.request("GET", "/api/export?" + q(since=since))[2].splitlines()]
        self.assertIn((published["uid"], "deleted"), [(p["uid"], p["status"]) for p in again])


class Service(unittest.TestCase):
    def test_healthz(self):
        status, _, body = SERVER.request("GET", "/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))

    def test_metrics(self):
        SERVER.request("GET", "/api/practices")
        status, headers, text = SERVER.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        self.assertIn('praxis_http_requests_total{route="/api/practices",method="GET",status="200"}', text)
        self.assertIn("praxis_http_request_duration_seconds_bucket{le=\"+Inf\"}", text)
        self.assertIn('praxis_practices{status="published"}', text)
        for state in ("delivered", "retried", "failed"):
            self.assertIn(f'praxis_outbox_messages_total{{state="{state}"}} 0\n', text)
        self.assertIn("# TYPE praxis_outbox_pending gauge\npraxis_outbox_pending 0\n", text)

    def test_unknown_route_and_method(self):
        status, headers, body = SERVER.request("GET", "/nope")
        self.assertEqual((status, headers["content-type"]), (404, "application/problem+json"))
        self.assertEqual(SERVER.request("GET", "/api/nope")[0], 404)
        status, headers, _ = SERVER.request("PUT", "/api/practices")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET, HEAD, POST")
        status, headers, _ = SERVER.request("GET", "/api/practices/1/publish")
        self.assertEqual((status, headers["allow"]), (405, "POST"))

    def test_connection_close(self):
        if SERVER.via_proxy:
            self.skipTest("nginx keeps client connections alive itself")
        _, headers, _ = SERVER.request("GET", "/healthz")
        # a missing header would mean keep-alive, the case libsoup 3.2.3 leaks
        self.assertIn("connection", headers)
        self.assertEqual(headers["connection"].lower(), "close")


if __name__ == "__main__":
    unittest.main(verbosity=2)
