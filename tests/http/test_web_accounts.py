"""Signing in and out, and the accounts, in a real server (issue 9, point 3): the session cookie
and its flags, a new session at each sign-in, one answer for a wrong password, an unknown
address and a disabled account, failed sign-ins limited per address and per client, forms
refused without their CSRF token, invitations that work once, the admins' accounts page, and
`praxis user passwd` followed by a sign-in."""
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
WRONG = "The e-mail address or the password is wrong."


def csrf_of(body):
    match = re.search(r'name="csrf" value="([^"]+)"', body)
    assert match, body
    return match.group(1)


def login_csrf_of(body):
    """The sign-in form's token (a signed-in page's sign-out form has one of its own)."""
    match = re.search(r'action="/login"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"', body)
    assert match, body
    return match.group(1)


def session_of(headers):
    """The praxis_session value a Set-Cookie header sets, or None."""
    match = re.match(r"praxis_session=([^;]*);", headers.get("set-cookie", ""))
    return match.group(1) if match else None


class AccountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.clients = 0

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self):
        """A client address of its own (X-Forwarded-For from loopback, as nginx sends it), so
        that one test's failed sign-ins do not count against another's."""
        AccountsTest.clients += 1
        return f"192.0.2.{AccountsTest.clients}"

    def passwd(self, email, password):
        return subprocess.run([os.environ["PRAXIS_BIN"], "user", "passwd", "--db", self.server.db, email],
                              input=password + "\n", capture_output=True, text=True, timeout=60, check=False)

    def add_user(self, email, role="partner", password=PASSWORD):
        subprocess.run([os.environ["PRAXIS_BIN"], "user", "add", "--db", self.server.db, email, "--role", role],
                       capture_output=True, check=True, timeout=60)
        self.assertEqual(self.passwd(email, password).returncode, 0)

    def query(self, sql, *params):
        with sqlite3.connect(self.server.db) as connection:
            return connection.execute(sql, params).fetchall()

    def get(self, path, session=None, client=None, headers=None):
        headers = dict(headers or {})
        if session:
            headers["Cookie"] = "praxis_session=" + session
        if client:
            headers["X-Forwarded-For"] = client
        return self.server.request("GET", path, headers=headers)

    def post(self, path, fields, session=None, client=None, headers=None):
        headers = dict(headers or {})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        if session:
            headers["Cookie"] = "; ".join(filter(None, ["praxis_session=" + session,
                                                        headers.get("Cookie")]))
        if client:
            headers["X-Forwarded-For"] = client
        return self.server.request("POST", path, body=urllib.parse.urlencode(fields), headers=headers)

    def sign_in(self, email, password, client=None, session=None, back=None):
        client = client or self.client()
        _, got, page = self.get("/login", session=session, client=client)
        fields = {"csrf": login_csrf_of(page), "email": email, "password": password}
        if back is not None:
            fields["back"] = back
        return self.post("/login", fields, session=session, client=client,
                         headers={"Cookie": login_cookie(got)})

    def signed_in_session(self, email, password=PASSWORD):
        status, headers, body = self.sign_in(email, password)
        self.assertEqual(status, 303, body)
        return session_of(headers)

    def who(self, session):
        """The address the pages say is signed in, or None."""
        _, _, body = self.get("/", session=session)
        match = re.search(r'<span class="signed-in">([^<]*)</span>', body)
        return match.group(1) if match else None

    def test_sign_in_sets_a_session_cookie(self):
        self.add_user("cookie@example.org")
        status, headers, _ = self.sign_in("Cookie@Example.org", PASSWORD)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/")
        cookie = headers["set-cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        self.assertIn("Path=/", cookie)
        self.assertNotIn("Secure", cookie)  # plain http here; https base_url adds it
        token = session_of(headers)
        self.assertGreaterEqual(len(token), 43)
        self.assertEqual(self.who(token), "cookie@example.org")
        # only the token's hash is stored
        rows = self.query("SELECT hash FROM sessions JOIN users ON users.id = sessions.user_id "
                          "WHERE email = 'cookie@example.org'")
        self.assertEqual(len(rows), 1)
        self.assertNotEqual(rows[0][0], token.encode())
        self.assertEqual(self.who("made-up-token"), None)

    def test_sign_in_makes_a_new_session(self):
        self.add_user("rotate@example.org")
        first = self.signed_in_session("rotate@example.org")
        status, headers, _ = self.sign_in("rotate@example.org", PASSWORD, session=first)
        self.assertEqual(status, 303)
        second = session_of(headers)
        self.assertNotEqual(first, second)
        self.assertIsNone(self.who(first))
        self.assertEqual(self.who(second), "rotate@example.org")

    def test_sign_in_goes_back_only_to_this_site(self):
        self.add_user("back@example.org")
        _, headers, _ = self.sign_in("back@example.org", PASSWORD, back="/?q=language")
        self.assertEqual(headers["location"], "/?q=language")
        for back in ("//evil.example/", "https://evil.example/", "/\\evil"):
            _, headers, _ = self.sign_in("back@example.org", PASSWORD, back=back)
            self.assertEqual(headers["location"], "/", back)
        # a page for signed-in users sends a visitor here, and back afterwards
        status, headers, _ = self.get("/admin/users")
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/login?back=%2Fadmin%2Fusers")
        _, _, body = self.get(headers["location"])
        self.assertIn('name="back" value="/admin/users"', body)

    def test_wrong_password_and_unknown_address_say_the_same(self):
        self.add_user("wrong@example.org")
        client = self.client()
        bodies = []
        for email, password in (("wrong@example.org", "not the password"),
                                ("nobody@example.org", PASSWORD),
                                ("partner@example.org", PASSWORD)):  # an account without a password
            status, headers, body = self.sign_in(email, password, client=client)
            self.assertEqual(status, 400, email)
            self.assertIsNone(session_of(headers))
            self.assertIn(WRONG, body)
            # the error state: a summary that links the field, the field described by its error,
            # and the address kept
            self.assertIn('<div class="error-summary" role="alert"', body)
            self.assertIn('<a href="#email">' + WRONG, body)
            self.assertIn('aria-describedby="email-error"', body)
            self.assertIn('id="email-error"', body)
            self.assertIn(f'value="{email}"', body)
            self.assertNotIn(password, body)
            # the same page but for the address and the forms' token, which tells the time
            bodies.append(re.sub(r'name="csrf" value="[^"]*"', "", body.replace(email, "EMAIL")))
        self.assertEqual(bodies[0], bodies[1])
        status, _, body = self.sign_in("", "", client=client)
        self.assertEqual(status, 400)
        self.assertIn('<a href="#email">Enter your e-mail address.</a>', body)
        self.assertIn('<a href="#password">Enter your password.</a>', body)
        self.assertIn('aria-describedby="password-error"', body)

    def test_what_is_typed_is_shown_as_text(self):
        payload = '"><script>alert(1)</script>'
        status, _, body = self.sign_in(payload + "@example.org", "x", client=self.client())
        self.assertEqual(status, 400)
        self.assertNotIn("<script>alert(1)", body)
        self.assertIn("&quot;&gt;&lt;script&gt;", body)

    def test_failures_are_limited_per_address(self):
        self.add_user("limited@example.org")
        client = self.client()
        for _ in range(5):
            status, _, _ = self.sign_in("limited@example.org", "not the password", client=client)
            self.assertEqual(status, 400)
        # the right password from that client: paused all the same
        status, headers, body = self.sign_in("limited@example.org", PASSWORD, client=client)
        self.assertEqual(status, 429)
        self.assertIsNone(session_of(headers))
        self.assertIn("Too many failed attempts to sign in", body)
        self.assertRegex(body, r"try again in 1[45] minutes")
        self.assertTrue(800 <= int(headers["retry-after"]) <= 900, headers["retry-after"])
        # another address is not paused
        self.add_user("unlimited@example.org")
        status, _, _ = self.sign_in("unlimited@example.org", PASSWORD, client=self.client())
        self.assertEqual(status, 303)

    def test_failures_are_limited_per_client(self):
        self.add_user("client@example.org")
        client = self.client()
        for i in range(10):
            status, _, _ = self.sign_in(f"guess{i}@example.org", PASSWORD, client=client)
            self.assertEqual(status, 400)
        status, _, body = self.sign_in("client@example.org", PASSWORD, client=client)
        self.assertEqual(status, 429)
        self.assertIn("Too many failed attempts to sign in", body)
        # the same account from another client signs in
        status, _, _ = self.sign_in("client@example.org", PASSWORD, client=self.client())
        self.assertEqual(status, 303)

    def test_limit_page_speaks_swedish(self):
        client = self.client()
        headers = {"Accept-Language": "sv", "X-Forwarded-For": client}
        for i in range(11):
            _, got, page = self.server.request("GET", "/login", headers=headers)
            fields = {"csrf": csrf_of(page), "email": f"sv{i}@example.org", "password": "x"}
            status, _, body = self.server.request(
                "POST", "/login", body=urllib.parse.urlencode(fields),
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded",
                         "Cookie": login_cookie(got)})
        self.assertEqual(status, 429)
        self.assertIn("försök igen om 15 minuter", body)

    def test_forms_need_their_token(self):
        self.add_user("csrf@example.org")
        client = self.client()
        _, got, page = self.get("/login", client=client)
        for fields in ({"email": "csrf@example.org", "password": PASSWORD},
                       {"email": "csrf@example.org", "password": PASSWORD, "csrf": "1.forged"}):
            status, headers, _ = self.post("/login", fields, client=client,
                                           headers={"Cookie": login_cookie(got)})
            self.assertEqual(status, 403)
            self.assertIsNone(session_of(headers))
        # a token of this site, but sent from another one
        status, _, _ = self.post("/login", {"csrf": csrf_of(page), "email": "csrf@example.org",
                                            "password": PASSWORD}, client=client,
                                 headers={"Origin": "https://evil.example", "Cookie": login_cookie(got)})
        self.assertEqual(status, 403)
        # signing out without the token does not sign out
        session = self.signed_in_session("csrf@example.org")
        status, _, _ = self.post("/logout", {}, session=session)
        self.assertEqual(status, 403)
        self.assertEqual(self.who(session), "csrf@example.org")
        # a visitor's token is no good for a signed-in form
        status, _, _ = self.post("/logout", {"csrf": csrf_of(page)}, session=session)
        self.assertEqual(status, 403)

    def test_sign_out(self):
        self.add_user("out@example.org")
        session = self.signed_in_session("out@example.org")
        _, _, page = self.get("/", session=session)
        self.assertIn('action="/logout"', page)
        status, headers, _ = self.post("/logout", {"csrf": csrf_of(page)}, session=session)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/login?signed_out=1")
        self.assertRegex(headers["set-cookie"], r"^praxis_session=; .*Max-Age=0")
        self.assertIsNone(self.who(session))
        self.assertEqual(self.query("SELECT count(*) FROM sessions JOIN users ON users.id = user_id "
                                    "WHERE email = 'out@example.org'"), [(0,)])
        _, _, body = self.get("/login?signed_out=1")
        self.assertIn("You have signed out.", body)

    def admin_session(self):
        if not hasattr(AccountsTest, "admin"):
            self.add_user("boss@example.org", role="admin")
            AccountsTest.admin = self.signed_in_session("boss@example.org")
        return AccountsTest.admin

    def admin_post(self, fields):
        session = self.admin_session()
        _, _, page = self.get("/admin/users", session=session)
        return self.post("/admin/users", {"csrf": csrf_of(page), **fields}, session=session)

    def invite(self, email, role="partner"):
        status, _, body = self.admin_post({"do": "invite", "email": email, "role": role})
        self.assertEqual(status, 200, body)
        match = re.search(r'<code id="invite-link">http://[^/"<]+(/invite\?token=[A-Za-z0-9_-]{43})</code>', body)
        self.assertTrue(match, body)
        return match.group(1)

    def test_invite_link_works_once(self):
        link = self.invite("invited@example.org")
        status, got, body = self.get(link)
        self.assertEqual(status, 200)
        self.assertEqual(got["cache-control"], "no-store")
        # the form signs in: its token is bound to the sign-in's cookie
        cookie = {"Cookie": login_cookie(got)}
        self.assertIn('value="invited@example.org"', body)
        self.assertIn("as a partner", body)
        token = link.split("=", 1)[1]
        fields = {"csrf": csrf_of(body), "token": token}
        status, _, page = self.post("/invite", {**fields, "password": "short", "password_confirm": "short"},
                                    headers=cookie)
        self.assertEqual(status, 400)
        self.assertIn('<a href="#password">Choose a password of at least 10 characters.</a>', page)
        status, _, page = self.post("/invite", {**fields, "password": PASSWORD, "password_confirm": "other"},
                                    headers=cookie)
        self.assertEqual(status, 400)
        self.assertIn('<a href="#password_confirm">The two passwords differ.', page)
        self.assertEqual(self.query("SELECT count(*) FROM users WHERE email = 'invited@example.org'"), [(0,)])

        status, headers, _ = self.post("/invite", {**fields, "password": PASSWORD, "password_confirm": PASSWORD},
                                       headers=cookie)
        self.assertEqual(status, 303)
        session = session_of(headers)
        self.assertIn("HttpOnly", headers["set-cookie"])
        self.assertEqual(self.who(session), "invited@example.org")
        self.assertEqual(self.query("SELECT role FROM users WHERE email = 'invited@example.org'"), [("partner",)])

        # once only
        status, headers, body = self.post("/invite", {**fields, "password": "another password",
                                                      "password_confirm": "another password"}, headers=cookie)
        self.assertEqual(status, 410)
        self.assertIsNone(session_of(headers))
        self.assertIn("has been used already", body)
        status, _, _ = self.get(link)
        self.assertEqual(status, 410)
        status, _, _ = self.sign_in("invited@example.org", "another password")
        self.assertEqual(status, 400)
        self.assertEqual(self.sign_in("invited@example.org", PASSWORD)[0], 303)
        status, _, body = self.get("/invite?token=" + "x" * 43)
        self.assertEqual(status, 404)
        self.assertIn("This invitation link is not valid", body)

    def test_invite_link_expires(self):
        link = self.invite("late@example.org", role="admin")
        self.query("UPDATE invites SET expires_at = '2020-01-01T00:00:00.000000Z' WHERE email = 'late@example.org'")
        status, _, body = self.get(link)
        self.assertEqual(status, 410)
        self.assertIn("has expired", body)

    def test_cli_invite_makes_an_admin(self):
        made = subprocess.run([os.environ["PRAXIS_BIN"], "user", "invite", "--db", self.server.db,
                               "cli-admin@example.org", "--role", "admin"],
                              capture_output=True, text=True, check=True, timeout=60)
        link = made.stdout.splitlines()[-1]
        status, got, body = self.get(link)
        self.assertEqual(status, 200)
        self.assertIn("as a moderator", body)
        status, headers, _ = self.post("/invite", {"csrf": csrf_of(body), "token": link.split("=", 1)[1],
                                                   "password": PASSWORD, "password_confirm": PASSWORD},
                                       headers={"Cookie": login_cookie(got)})
        self.assertEqual(status, 303)
        status, _, _ = self.get("/admin/users", session=session_of(headers))
        self.assertEqual(status, 200)

    def test_admin_users_page(self):
        status, _, body = self.get("/admin/users", session=self.admin_session())
        self.assertEqual(status, 200)
        self.assertIn("<th scope=\"row\">partner@example.org</th>", body)
        self.assertIn("No password yet", body)
        # an invitation for an existing account is refused at the field
        status, _, body = self.admin_post({"do": "invite", "email": "partner@example.org"})
        self.assertEqual(status, 409)
        self.assertIn('<a href="#email">An account with this address exists already.</a>', body)
        status, _, body = self.admin_post({"do": "invite", "email": "not an address"})
        self.assertEqual(status, 400)
        self.assertIn('aria-describedby="email-error"', body)
        # an admin cannot lock themselves out
        status, _, body = self.admin_post({"do": "disable", "email": "boss@example.org"})
        self.assertEqual(status, 400)
        self.assertIn("You cannot disable your own account.", body)
        # partners may not see it
        self.add_user("nosy@example.org")
        status, _, _ = self.get("/admin/users", session=self.signed_in_session("nosy@example.org"))
        self.assertEqual(status, 403)

    def test_disabled_account_cannot_sign_in(self):
        self.add_user("gone@example.org")
        session = self.signed_in_session("gone@example.org")
        token = subprocess.run([os.environ["PRAXIS_BIN"], "token", "create", "--db", self.server.db,
                                "gone@example.org"], capture_output=True, text=True,
                               check=True).stdout.splitlines()[-1]
        self.assertEqual(self.server.request("GET", "/api/export", token=token)[0], 200)
        status, _, body = self.admin_post({"do": "disable", "email": "gone@example.org"})
        self.assertEqual(status, 200)
        self.assertIn("gone@example.org is disabled", body)
        self.assertIsNone(self.who(session))
        status, _, body = self.sign_in("gone@example.org", PASSWORD)
        self.assertEqual(status, 400)
        self.assertIn(WRONG, body)
        self.assertEqual(self.server.request("GET", "/api/export", token=token)[0], 401)
        status, _, _ = self.admin_post({"do": "enable", "email": "gone@example.org"})
        self.assertEqual(status, 200)
        self.assertEqual(self.sign_in("gone@example.org", PASSWORD)[0], 303)

    def test_passwd_then_sign_in(self):
        result = self.passwd("partner2@example.org", "a new password for partner2")
        self.assertEqual(result.returncode, 0, result.stderr)
        session = self.signed_in_session("partner2@example.org", "a new password for partner2")
        self.assertEqual(self.who(session), "partner2@example.org")
        # a new password signs every session out, and the old one no longer works
        self.assertEqual(self.passwd("partner2@example.org", "yet another password").returncode, 0)
        self.assertIsNone(self.who(session))
        self.assertEqual(self.sign_in("partner2@example.org", "a new password for partner2")[0], 400)
        self.assertEqual(self.sign_in("partner2@example.org", "yet another password")[0], 303)

    def test_login_page_speaks_swedish(self):
        _, got, body = self.get("/login", headers={"Accept-Language": "sv"})
        self.assertEqual(got["content-language"], "sv")
        self.assertIn('<label for="email">E-postadress</label>', body)
        self.assertIn('<label for="password">Lösenord</label>', body)
        self.assertIn('name="email"', body)
        self.assertIn('name="password"', body)


if __name__ == "__main__":
    unittest.main(verbosity=2)
