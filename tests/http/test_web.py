"""The web front end's common parts in a real server (issue 9): every page sends the strict
Content-Security-Policy and the other security headers, what a visitor types is shown as text,
the language follows Accept-Language and the language links (a cookie), and a link back goes
only to a page of this site; the static files are served from the binary."""
import os
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")


class WebTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def page(self, path, headers=None):
        status, got, body = self.server.request("GET", path, headers=headers)
        return status, got, body

    def test_security_headers(self):
        status, got, body = self.page("/")
        self.assertEqual(status, 200)
        self.assertTrue(got["content-type"].startswith("text/html; charset=utf-8"))
        self.assertEqual(got["content-security-policy"], PAGE_CSP)
        self.assertEqual(got["x-content-type-options"], "nosniff")
        self.assertEqual(got["x-frame-options"], "DENY")
        self.assertEqual(got["referrer-policy"], "same-origin")
        self.assertIn('<input type="search" id="q" name="q"', body)
        self.assertIn('method="get"', body)
        # what is not a page loads nothing at all
        _, api, _ = self.server.request("GET", "/api/practices")
        self.assertEqual(api["content-security-policy"], "default-src 'none'; frame-ancestors 'none'")

    def test_query_is_text(self):
        payload = '"><script>alert(1)</script>'
        status, _, body = self.page("/?q=" + urllib.parse.quote(payload))
        self.assertEqual(status, 200)
        self.assertNotIn("<script>alert(1)", body)
        self.assertIn("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;", body)

    def test_language_negotiated(self):
        _, got, body = self.page("/", headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"})
        self.assertEqual(got["content-language"], "sv")
        self.assertIn('<html lang="sv">', body)
        self.assertIn(">Sök</button>", body)
        _, got, body = self.page("/", headers={"Accept-Language": "de-DE, fr;q=0.8"})
        self.assertEqual(got["content-language"], "en")
        self.assertIn(">Search</button>", body)

    def test_language_link(self):
        status, got, _ = self.page("/language?set=sv&back=" + urllib.parse.quote("/?q=x"))
        self.assertEqual(status, 303)
        self.assertEqual(got["location"], "/?q=x")
        cookie = got["set-cookie"]
        self.assertTrue(cookie.startswith("praxis_lang=sv;"), cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        _, got, body = self.page("/", headers={"Cookie": "praxis_lang=sv",
                                               "Accept-Language": "en"})
        self.assertEqual(got["content-language"], "sv")
        # the current language is marked, the other one is a link back here
        self.assertIn('<span aria-current="true" lang="sv">Svenska</span>', body)
        self.assertIn('href="/language?set=en&amp;back=%2F"', body)

    def test_language_back_stays_on_site(self):
        for back in ("//evil.example/", "https://evil.example/", "/\\evil", "javascript:x"):
            status, got, _ = self.page("/language?set=en&back=" + urllib.parse.quote(back))
            self.assertEqual(status, 303, back)
            self.assertEqual(got["location"], "/", back)
        status, _, body = self.page("/language?set=xx")
        self.assertEqual(status, 400)
        self.assertIn("This language is not available.", body)

    def test_static(self):
        status, got, body = self.page("/static/praxis.css")
        self.assertEqual(status, 200)
        self.assertEqual(got["content-type"], "text/css; charset=utf-8")
        self.assertIn(":focus-visible", body)
        status, _, _ = self.page("/static/nothing.css")
        self.assertEqual(status, 404)

    def test_not_found(self):
        # a browser gets a page, a program the problem+json the API documents
        status, got, body = self.page("/no/such/page", headers={"Accept": "text/html,*/*;q=0.8"})
        self.assertEqual(status, 404)
        self.assertTrue(got["content-type"].startswith("text/html"))
        self.assertIn("There is no page at this address.", body)
        self.assertEqual(got["content-security-policy"], PAGE_CSP)
        status, got, _ = self.page("/no/such/page")
        self.assertEqual(status, 404)
        self.assertEqual(got["content-type"], "application/problem+json")

    def test_bad_query_is_a_page(self):
        status, got, body = self.page("/?q=%FF")
        self.assertEqual(status, 400)
        self.assertTrue(got["content-type"].startswith("text/html"))
        self.assertEqual(got["content-security-policy"], PAGE_CSP)
        status, _, body = self.page("/?per_page=100000")
        self.assertEqual(status, 400)
        self.assertIn("per_page", body)


class ThemeTest(unittest.TestCase):
    """[web] theme: the folder's templates and static files replace the built-in ones of their
    name, and add to them; the rest stay built in."""

    @classmethod
    def setUpClass(cls):
        cls.theme = tempfile.TemporaryDirectory(prefix="praxis-theme-")
        os.makedirs(os.path.join(cls.theme.name, "templates"))
        os.makedirs(os.path.join(cls.theme.name, "static"))
        with open(os.path.join(cls.theme.name, "templates", "error.html"), "w") as out:
            out.write('<h1 class="themed">{{_ Something went wrong}}</h1><p>{{message}}</p>\n')
        with open(os.path.join(cls.theme.name, "static", "praxis.css"), "w") as out:
            out.write("body { color: #123456; }\n")
        with open(os.path.join(cls.theme.name, "static", "logo.svg"), "w") as out:
            out.write('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
        cls.server = Server(config=f"[web]\ntheme={cls.theme.name}\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.theme.cleanup()

    def test_theme_replaces_and_adds(self):
        status, _, body = self.server.request("GET", "/language?set=xx")
        self.assertEqual(status, 400)
        self.assertIn('<h1 class="themed">', body)
        # the layout around it is still the built-in one
        self.assertIn('<a class="skip-link" href="#main">', body)
        _, _, css = self.server.request("GET", "/static/praxis.css")
        self.assertEqual(css, "body { color: #123456; }\n")
        status, got, _ = self.server.request("GET", "/static/logo.svg")
        self.assertEqual(status, 200)
        self.assertEqual(got["content-type"], "image/svg+xml")


if __name__ == "__main__":
    unittest.main()
