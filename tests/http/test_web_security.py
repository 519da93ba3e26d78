"""The web front end attacked from outside, in a real server (issue 9's review): "back"
addresses that a browser reads as another site, a sign-out after the session ended, and the
failed sign-ins of one IPv6 network counted together, the failures of others not locking an
account out, the sign-ins of one account limited, a
sign-in while another writer holds the
database, a session that could not be looked up kept."""
import os
import re
import sqlite3
import subprocess
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, login_cookie  # noqa: E402

PASSWORD = "correct horse battery"


def csrf_of(body):
    match = re.search(r'name="csrf" value="([^"]+)"', body)
    assert match, body
    return match.group(1)


# a browser drops tabs and line ends inside a URL, so each of these is //evil.example (other
# control characters are refused with the query or form that holds them)
OTHER_SITES = ("/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/", "/\t\\evil.example",
               "/\\evil.example")


def add_user(server, email):
    subprocess.run([os.environ["PRAXIS_BIN"], "user", "add", "--db", server.db, email, "--role", "partner"],
                   capture_output=True, check=True, timeout=60)
    subprocess.run([os.environ["PRAXIS_BIN"], "user", "passwd", "--db", server.db, email],
                   input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=True)


class SecurityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.clients = 0

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self):
        SecurityTest.clients += 1
        return f"198.51.100.{SecurityTest.clients}"

    def request(self, method, path, fields=None, session=None, client=None, cookie=None):
        headers = {"X-Forwarded-For": client or self.client()}
        cookies = [pair for pair in (session and "praxis_session=" + session, cookie) if pair]
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        if fields is None:
            return self.server.request(method, path, headers=headers)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.server.request(method, path, body=urllib.parse.urlencode(fields), headers=headers)

    def sign_in(self, email, back=None, client=None):
        client = client or self.client()
        _, got, page = self.request("GET", "/login", client=client)
        fields = {"csrf": csrf_of(page), "email": email, "password": PASSWORD}
        if back is not None:
            fields["back"] = back
        return self.request("POST", "/login", fields, client=client, cookie=login_cookie(got))

    def test_language_goes_back_only_to_this_site(self):
        for back in OTHER_SITES:
            query = urllib.parse.urlencode({"set": "sv", "back": back})
            status, headers, _ = self.request("GET", "/language?" + query)
            self.assertEqual(status, 303, repr(back))
            self.assertEqual(headers["location"], "/", repr(back))
        status, headers, _ = self.request("GET", "/language?set=sv&back=%2F%3Fq%3Dwater")
        self.assertEqual(headers["location"], "/?q=water")

    def test_sign_in_goes_back_only_to_this_site(self):
        add_user(self.server, "tab@example.org")
        for back in OTHER_SITES:
            status, headers, body = self.sign_in("tab@example.org", back=back)
            self.assertEqual(status, 303, body)
            self.assertEqual(headers["location"], "/", repr(back))
        # nor is such an address kept in the form
        status, _, body = self.request("GET", "/login?back=%2F%09%2Fevil.example")
        self.assertEqual(status, 200)
        self.assertNotIn('name="back"', body)

    def test_sign_out_after_the_session_ended(self):
        add_user(self.server, "late@example.org")
        status, headers, _ = self.sign_in("late@example.org")
        self.assertEqual(status, 303)
        session = re.match(r"praxis_session=([^;]*);", headers["set-cookie"]).group(1)
        _, _, page = self.request("GET", "/", session=session)
        csrf = csrf_of(page)
        with sqlite3.connect(self.server.db) as connection:
            connection.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'")
        # the form's token was made for the session that is gone: no matter, the cookie goes
        for fields in ({"csrf": csrf}, {}):
            status, headers, body = self.request("POST", "/logout", fields, session=session)
            self.assertEqual(status, 303, body)
            self.assertEqual(headers["location"], "/")
            self.assertRegex(headers["set-cookie"], r"^praxis_session=; .*Max-Age=0")
        status, headers, _ = self.request("POST", "/logout", {})
        self.assertEqual((status, headers["location"]), (303, "/"))
        # a live session still needs its form's token to end
        status, headers, _ = self.sign_in("late@example.org")
        session = re.match(r"praxis_session=([^;]*);", headers["set-cookie"]).group(1)
        status, _, _ = self.request("POST", "/logout", {"csrf": csrf}, session=session)
        self.assertEqual(status, 403)
        _, _, page = self.request("GET", "/", session=session)
        status, headers, _ = self.request("POST", "/logout", {"csrf": csrf_of(page)}, session=session)
        self.assertEqual((status, headers["location"]), (303, "/login?signed_out=1"))

    def test_sign_ins_of_one_account_are_limited(self):
        """Each sign-in costs the one writer a password hash (80 ms, 64 MiB): whoever knows
        a password may not keep it hashing, whatever the addresses they come from."""
        add_user(self.server, "often@example.org")
        add_user(self.server, "other@example.org")
        for _ in range(10):
            status, _, body = self.sign_in("often@example.org")
            self.assertEqual(status, 303, body)
        status, headers, body = self.sign_in("often@example.org")
        self.assertEqual(status, 429, body)
        self.assertGreater(int(headers["retry-after"]), 800)
        self.assertIn("Too many sign-ins to this account in a short time.", body)
        self.assertNotIn("set-cookie", headers)
        status, _, _ = self.sign_in("other@example.org")
        self.assertEqual(status, 303)

    def test_failures_of_others_do_not_lock_an_account_out(self):
        """Whoever knows an account's address cannot lock its owner out with five wrong
        passwords: the hard limit counts the address's failures per client; guesses spread
        over many clients are still stopped, at 50 failures of the address."""
        add_user(self.server, "target@example.org")
        attacker = self.client()
        for _ in range(5):
            status, _, body = self.sign_in_with("target@example.org", "wrong password", attacker)
            self.assertEqual(status, 400, body)
        status, _, body = self.sign_in_with("target@example.org", PASSWORD, attacker)
        self.assertEqual(status, 429, body)
        # the owner, from a client with no failures of its own, signs in
        status, headers, body = self.sign_in("target@example.org")
        self.assertEqual(status, 303, body)
        self.assertIn("praxis_session=", headers["set-cookie"])
        # a guesser with many clients: slowed for the address at 50 failures, whatever client
        add_user(self.server, "spread@example.org")
        for _ in range(50):
            status, _, body = self.sign_in_with("spread@example.org", "wrong password", self.client())
            self.assertEqual(status, 400, body)
        status, headers, body = self.sign_in("spread@example.org")
        self.assertEqual(status, 429, body)
        self.assertIn("Too many failed attempts to sign in", body)
        self.assertNotIn("set-cookie", headers)

    def sign_in_with(self, email, password, client):
        _, got, page = self.request("GET", "/login", client=client)
        return self.request("POST", "/login", {"csrf": csrf_of(page), "email": email, "password": password},
                            client=client, cookie=login_cookie(got))

    def test_login_csrf_without_origin(self):
        """A browser that sends neither Origin nor Sec-Fetch-Site cannot be made by another site
        to sign in to the other site's account: the sign-in form's token is bound to a cookie of
        its own (there is no session yet), which the other site cannot read nor make."""
        add_user(self.server, "victim@example.org")
        client = self.client()
        status, got, page = self.request("GET", "/login", client=client)
        self.assertEqual(status, 200)
        self.assertRegex(got["set-cookie"], r"^praxis_login=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; "
                                            r"SameSite=Lax; Max-Age=43200$")
        self.assertEqual(got["cache-control"], "no-store")
        token, cookie = csrf_of(page), login_cookie(got)
        # the same cookie keeps its value, the form a token for it
        _, again, page2 = self.request("GET", "/login", client=client, cookie=cookie)
        self.assertEqual(login_cookie(again), cookie)
        fields = {"email": "victim@example.org", "password": PASSWORD}
        # the other site's own token and cookie, sent by the victim's browser without the cookie
        status, headers, body = self.request("POST", "/login", dict(fields, csrf=token), client=client)
        self.assertEqual(status, 403, body)
        self.assertIn("Signing in needs a cookie of this site", body)
        self.assertNotIn("praxis_session", headers.get("set-cookie", ""))
        # ...or with a cookie of its own, not the one the token was made for
        _, other, _ = self.request("GET", "/login", client=client)
        self.assertNotEqual(login_cookie(other), cookie)
        status, headers, body = self.request("POST", "/login", dict(fields, csrf=token), client=client,
                                             cookie=login_cookie(other))
        self.assertEqual(status, 403, body)
        self.assertIn("This form has expired or did not come from this site.", body)
        self.assertNotIn("praxis_session", headers.get("set-cookie", ""))
        # a visitor's token of another form is no sign-in token
        _, _, search = self.request("GET", "/subscribe?q=water", client=client)
        status, _, _ = self.request("POST", "/login", dict(fields, csrf=csrf_of(search)), client=client,
                                    cookie=cookie)
        self.assertEqual(status, 403)
        # the form with its cookie signs in, with either token made for it
        for form_token in (csrf_of(page2), token):
            status, headers, body = self.request("POST", "/login", dict(fields, csrf=form_token),
                                                 client=client, cookie=cookie)
            self.assertEqual(status, 303, body)
            self.assertRegex(headers["set-cookie"], r"^praxis_session=")

    def test_login_csrf_through_an_invitation(self):
        """An invitation's form signs the account it makes in: like the sign-in form, its token
        is bound to the praxis_login cookie, so that another site cannot sign a browser that
        sends no Origin in to an account of the other site's own through an invitation."""
        made = subprocess.run([os.environ["PRAXIS_BIN"], "user", "invite", "--db", self.server.db,
                               "csrf-invite@example.org"], capture_output=True, text=True, check=True, timeout=60)
        link = made.stdout.splitlines()[-1]
        invite_path = link[link.index("/invite?"):]
        token = invite_path.split("=", 1)[1]
        _, got, page = self.request("GET", invite_path)
        cookie = login_cookie(got)
        self.assertTrue(cookie)
        fields = {"csrf": csrf_of(page), "token": token, "password": PASSWORD, "password_confirm": PASSWORD}
        # a visitor's token, as the form had before, made on another page of the site
        _, _, visitor = self.request("GET", "/subscribe")
        for form, with_cookie in (({**fields, "csrf": csrf_of(visitor)}, cookie), (fields, None),
                                  (fields, "praxis_login=" + "A" * 43)):
            status, headers, body = self.request("POST", "/invite", form, cookie=with_cookie)
            self.assertEqual(status, 403, body)
            self.assertNotIn("praxis_session=", headers.get("set-cookie", ""))
        with sqlite3.connect(self.server.db) as connection:
            self.assertEqual(connection.execute("SELECT count(*) FROM users WHERE email = 'csrf-invite@example.org'")
                             .fetchall(), [(0,)])
        status, headers, body = self.request("POST", "/invite", fields, cookie=cookie)
        self.assertEqual(status, 303, body)
        self.assertIn("praxis_session=", headers["set-cookie"])

    def test_a_form_sent_after_the_session_ended_goes_to_sign_in(self):
        """A signed-in page's form sent after its session ended is no expired form (403) but a
        sign-in (303) that comes back to the form's page and says what was not saved."""
        add_user(self.server, "ended@example.org")
        subprocess.run([os.environ["PRAXIS_BIN"], "user", "add", "--db", self.server.db, "mod-ended@example.org",
                        "--role", "admin"], capture_output=True, check=True, timeout=60)
        subprocess.run([os.environ["PRAXIS_BIN"], "user", "passwd", "--db", self.server.db, "mod-ended@example.org"],
                       input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=True)
        sessions = {}
        for email in ("ended@example.org", "mod-ended@example.org"):
            _, headers, _ = self.sign_in(email)
            sessions[email] = re.match(r"praxis_session=([^;]*);", headers["set-cookie"]).group(1)
        _, _, form = self.request("GET", "/submit", session=sessions["ended@example.org"])
        partner_csrf = csrf_of(form)
        _, _, queue = self.request("GET", "/admin", session=sessions["mod-ended@example.org"])
        admin_csrf = csrf_of(queue)
        with sqlite3.connect(self.server.db) as connection:
            connection.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'")
        cases = (("/submit", partner_csrf, "ended@example.org", "/submit"),
                 ("/submit/1", partner_csrf, "ended@example.org", "/submit/1"),
                 ("/admin/practices/1/publish", admin_csrf, "mod-ended@example.org", "/admin/practices/1"),
                 ("/admin/practices/1/reject", admin_csrf, "mod-ended@example.org", "/admin/practices/1"),
                 ("/admin/users", admin_csrf, "mod-ended@example.org", "/admin/users"))
        for path, csrf, email, page in cases:
            status, headers, body = self.request("POST", path, {"csrf": csrf, "title": "Typed"},
                                                 session=sessions[email])
            self.assertEqual(status, 303, (path, body))
            self.assertEqual(headers["location"],
                             "/login?back=" + urllib.parse.quote(page, safe="") + "&session_ended=1")
            self.assertRegex(headers["set-cookie"], r"^praxis_session=; .*Max-Age=0")
        # without a session cookie at all (the browser dropped it), and without the form's token
        status, headers, _ = self.request("POST", "/submit", {"title": "Typed"})
        self.assertEqual((status, headers["location"]), (303, "/login?back=%2Fsubmit&session_ended=1"))
        self.assertNotIn("set-cookie", headers)
        status, _, body = self.request("GET", headers["location"])
        self.assertIn("Your session had ended, so what you sent was not saved.", body)
        self.assertIn('name="back" value="/submit"', body)
        # the sign-in goes back to the form's page
        status, headers, _ = self.sign_in("ended@example.org", back="/submit")
        self.assertEqual((status, headers["location"]), (303, "/submit"))
        # a live session still needs its form's token
        session = re.match(r"praxis_session=([^;]*);", headers["set-cookie"]).group(1)
        status, _, body = self.request("POST", "/submit", {"csrf": partner_csrf, "title": "Typed"},
                                       session=session)
        self.assertEqual(status, 403, body)
        self.assertIn("This form has expired", body)

    def test_a_form_sent_to_no_page_is_not_found(self):
        """A browser's POST to a path no route has is the 404 page, whatever its form holds:
        there is no form to have expired."""
        for fields in ({}, {"csrf": "1.forged", "a": "b"}):
            status, headers, body = self.server.request(
                "POST", "/no/such/page", body=urllib.parse.urlencode(fields),
                headers={"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(status, 404, body)
            self.assertIn("There is no page at this address.", body)

    def test_one_ipv6_network_is_one_client(self):
        """Each address of a /64 is one machine's to choose: the 10 failures a client may have
        count for the whole network."""
        for i in range(10):
            client = f"2001:db8:5:6::{i + 1:x}"
            _, got, page = self.request("GET", "/login", client=client)
            status, _, _ = self.request("POST", "/login", {"csrf": csrf_of(page), "email": f"v6-{i}@example.org",
                                                           "password": "wrong password"}, client=client,
                                        cookie=login_cookie(got))
            self.assertEqual(status, 400)
        _, got, page = self.request("GET", "/login", client="2001:db8:5:6:ffff::1")
        status, headers, _ = self.request("POST", "/login", {"csrf": csrf_of(page), "email": "v6-x@example.org",
                                                             "password": "wrong password"},
                                          client="2001:db8:5:6:ffff::1", cookie=login_cookie(got))
        self.assertEqual(status, 429)
        # another network is another client
        _, got, page = self.request("GET", "/login", client="2001:db8:5:7::1")
        status, _, _ = self.request("POST", "/login", {"csrf": csrf_of(page), "email": "v6-y@example.org",
                                                       "password": "wrong password"}, client="2001:db8:5:7::1",
                                    cookie=login_cookie(got))
        self.assertEqual(status, 400)


class BaseUrlTest(unittest.TestCase):
    """Behind TLS only [web] base_url tells Praxis the site is https (README, Deployment): its
    cookies are Secure then, and X-Forwarded-Proto, which any client may send, changes nothing."""

    def test_only_an_https_base_url_makes_cookies_secure(self):
        for config, secure in (("[web]\nbase_url=https://praxis.example.org\n", True), (None, False)):
            server = Server(config=config)
            try:
                forwarded = {"X-Forwarded-Proto": "https", "Host": "praxis.example.org"}
                _, headers, _ = server.request("GET", "/login", headers=forwarded)
                self.assertEqual("; Secure" in headers["set-cookie"], secure, headers["set-cookie"])
                _, _, feed = server.request("GET", "/feed.atom", headers=forwarded)
                self.assertIn(("https" if secure else "http") + "://praxis.example.org/", feed)
            finally:
                server.stop()

    def test_an_https_site_names_its_cookies_host_only(self):
        """On an https site every cookie is __Host-NAME (Secure, Path=/, no Domain: only the
        site itself can set it), and a cookie without the prefix, which a sibling subdomain or
        a plain-HTTP answer could have planted, is not read."""
        server = Server(config="[web]\nbase_url=https://praxis.example.org\n")
        try:
            add_user(server, "secure@example.org")
            _, got, page = server.request("GET", "/login")
            login = re.match(r"(__Host-praxis_login=[^;]*); Path=/;", got["set-cookie"])
            self.assertTrue(login, got["set-cookie"])
            self.assertIn("; Secure", got["set-cookie"])
            self.assertNotIn("Domain=", got["set-cookie"])
            fields = urllib.parse.urlencode({"csrf": csrf_of(page), "email": "secure@example.org",
                                             "password": PASSWORD})
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            planted = login.group(1).replace("__Host-", "")
            status, _, _ = server.request("POST", "/login", body=fields,
                                          headers=dict(form, Cookie=planted))
            self.assertEqual(status, 403, "the sign-in form's cookie without its prefix")
            status, got, _ = server.request("POST", "/login", body=fields,
                                            headers=dict(form, Cookie=login.group(1)))
            self.assertEqual(status, 303)
            session = re.match(r"__Host-praxis_session=([^;]+); Path=/;.*; Secure", got["set-cookie"])
            self.assertTrue(session, got["set-cookie"])
            status, _, _ = server.request("GET", "/my",
                                          headers={"Cookie": "__Host-praxis_session=" + session.group(1)})
            self.assertEqual(status, 200)
            crowded = "; ".join(f"sibling{n}=1" for n in range(200))
            status, _, _ = server.request("GET", "/my", headers={
                "Cookie": crowded + "; __Host-praxis_session=" + session.group(1)})
            self.assertEqual(status, 200, "200 cookies of a sibling domain first")
            status, got, _ = server.request("GET", "/my",
                                            headers={"Cookie": "praxis_session=" + session.group(1)})
            self.assertEqual(status, 303, "a session cookie without the prefix is not read")
            self.assertTrue(got["location"].startswith("/login?back="), got["location"])
        finally:
            server.stop()


class BusyTest(unittest.TestCase):
    """Another writer (a `praxis import`) holds the database past busy_timeout_ms: a sign-in
    is a 503 to retry, as the API's writes are, not a 500."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(config="[database]\nbusy_timeout_ms=200\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_sign_in_while_the_database_is_locked(self):
        add_user(self.server, "busy@example.org")
        _, got, page = self.server.request("GET", "/login")
        fields = urllib.parse.urlencode({"csrf": csrf_of(page), "email": "busy@example.org",
                                         "password": PASSWORD})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": login_cookie(got)}
        connection = sqlite3.connect(self.server.db, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            status, got, body = self.server.request("POST", "/login", body=fields, headers=headers)
            self.assertEqual(status, 503, body)
            self.assertEqual(got["retry-after"], "1")
            self.assertNotIn("set-cookie", got)
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        status, got, _ = self.server.request("POST", "/login", body=fields, headers=headers)
        self.assertEqual(status, 303)

    def test_a_session_not_looked_up_is_not_ended(self):
        """A session that the store could not look up (here its table is away for a moment)
        may well be alive: a page for signed-in users is the error page, 503, and neither is
        the cookie removed nor a sign-in asked, nor does a sign-out only drop the cookie."""
        add_user(self.server, "kept@example.org")
        _, got, page = self.server.request("GET", "/login")
        fields = urllib.parse.urlencode({"csrf": csrf_of(page), "email": "kept@example.org",
                                         "password": PASSWORD})
        _, got, _ = self.server.request("POST", "/login", body=fields, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": login_cookie(got)})
        cookie = re.match(r"(praxis_session=[^;]*);", got["set-cookie"]).group(1)
        connection = sqlite3.connect(self.server.db, isolation_level=None)
        try:
            connection.execute("PRAGMA legacy_alter_table=ON")
            connection.execute("ALTER TABLE sessions RENAME TO sessions_away")
            for method, path in (("GET", "/my"), ("POST", "/logout")):
                headers = {"Cookie": cookie}
                if method == "POST":
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                status, got, body = self.server.request(method, path, body="" if method == "POST" else None,
                                                        headers=headers)
                self.assertEqual(status, 503, (path, body))
                self.assertNotIn("set-cookie", got)
                self.assertNotIn("location", got)
        finally:
            connection.execute("ALTER TABLE sessions_away RENAME TO sessions")
            connection.close()
        status, got, _ = self.server.request("GET", "/my", headers={"Cookie": cookie})
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
