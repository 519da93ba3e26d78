"""The praxis command line: the lossless export/import round trip, idempotent imports, users and
tokens, database upkeep, and clear errors with a non-zero exit for bad usage."""
import json
import os
import sqlite3
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "unit-practices.jsonl")


def run(*args, stdin=None):
    return subprocess.run([os.environ["PRAXIS_BIN"], *args], capture_output=True, text=True,
                          input=stdin, timeout=60, check=False)


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-cli-")
        self.db = os.path.join(self.tmp.name, "a.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_round_trip_is_lossless(self):
        self.assertEqual(run("import", "--db", self.db, DATA).returncode, 0)
        first = run("export", "--db", self.db).stdout
        other = os.path.join(self.tmp.name, "b.db")
        self.assertEqual(run("import", "--db", other, "-", stdin=first).returncode, 0)
        second = run("export", "--db", other).stdout
        self.assertEqual(first, second)
        self.assertEqual(len(first.splitlines()), 7)
        self.assertIn('"status":"pending"', first)

    def test_import_twice_updates_never_duplicates(self):
        run("import", "--db", self.db, DATA)
        again = run("import", "--db", self.db, DATA)
        self.assertEqual(again.stdout.strip(), "added 0, updated 0, unchanged 7, rejected 0")
        changed = os.path.join(self.tmp.name, "changed.jsonl")
        with open(DATA) as source, open(changed, "w") as target:
            for line in source:
                record = json.loads(line)
                if record["uid"] == "t-de":
                    record["city"] = "Leoben"
                target.write(json.dumps(record, ensure_ascii=False) + "\n")
        result = run("import", "--db", self.db, changed)
        self.assertEqual(result.stdout.strip(), "added 0, updated 1, unchanged 6, rejected 0")
        self.assertIn("Leoben", run("search", "--db", self.db, "Leoben").stdout)

    def test_bad_records_are_reported_and_skipped(self):
        bad = os.path.join(self.tmp.name, "bad.jsonl")
        with open(bad, "w") as target:
            target.write('{"title": "Fine", "summary": "A good one."}\n{"title": 5}\nnot json\n')
        result = run("import", "--db", self.db, bad)
        self.assertEqual(result.returncode, 1)
        self.assertIn("line 2: title must be a string", result.stderr)
        self.assertIn("line 3: malformed JSON", result.stderr)
        self.assertIn("added 1", result.stdout)

    def test_hostile_lines_are_refused_not_fatal(self):
        bad = os.path.join(self.tmp.name, "hostile.jsonl")
        deep = "[" * 100000
        with open(bad, "w") as target:
            target.write('{"x":\'"\',"y":' + deep + "\n")
            target.write('{"title": [/*"*/' + deep + "\n")
            target.write('{"title": "a\\ud800b", "summary": "s"}\n')
            target.write('{"title": "Fine", "summary": "A good one."} {}\n')
            target.write('{"title": "Fine", "summary": "A good one."}\n')
        result = run("import", "--db", self.db, bad)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("line 1: malformed JSON", result.stderr)
        self.assertIn("line 2: malformed JSON", result.stderr)
        self.assertIn("line 3: title: holds a lone UTF-16 surrogate", result.stderr)
        self.assertIn("line 4: malformed JSON", result.stderr)
        self.assertIn("added 1, updated 0, unchanged 0, rejected 4", result.stdout)
        self.assertEqual(run("db", "check", "--db", self.db).returncode, 0)

    def test_users_tokens_and_db(self):
        self.assertEqual(run("user", "add", "--db", self.db, "a@example.org", "--role", "admin").returncode, 0)
        duplicate = run("user", "add", "--db", self.db, "A@example.org", "--role", "partner")
        self.assertEqual(duplicate.returncode, 1)
        self.assertIn("exists already", duplicate.stderr)
        token = run("token", "create", "--db", self.db, "a@example.org").stdout.splitlines()[-1]
        self.assertTrue(token.startswith("px_") and len(token) > 40)
        self.assertEqual(run("token", "create", "--db", self.db, "nobody@example.org").returncode, 1)
        for action in ("migrate", "check", "rebuild", "optimize"):
            result = run("db", action, "--db", self.db)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("ok (schema 10)", result.stdout)

    def query(self, sql, *params):
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, params).fetchall()

    def test_user_passwd(self):
        run("user", "add", "--db", self.db, "p@example.org", "--role", "partner")
        self.assertEqual(self.query("SELECT password_hash FROM users"), [(None,)])
        result = run("user", "passwd", "--db", self.db, "P@example.org", stdin="correct horse battery\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("password set for p@example.org", result.stdout)
        [(first,)] = self.query("SELECT password_hash FROM users")
        self.assertTrue(first.startswith("$argon2id$v=19$m=65536,t=2,p=1$"), first)
        self.assertNotIn("correct horse", first)
        # the line without its end: the same password again verifies (a new salt, a new hash)
        self.assertEqual(run("user", "passwd", "--db", self.db, "p@example.org",
                             stdin="another one, long enough").returncode, 0)
        [(second,)] = self.query("SELECT password_hash FROM users")
        self.assertNotEqual(first, second)

        unknown = run("user", "passwd", "--db", self.db, "nobody@example.org", stdin="long enough password\n")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("no user nobody@example.org", unknown.stderr)
        for password, why in (("short\n", "too short: at least 10 characters"),
                              ("\n", "no password"), ("", "no password"),
                              ("åäöåäöåäö\n", "too short"),
                              ("x" * 1025 + "\n", "too long: at most 1024 bytes"),
                              ("abcdefghij\0klm\n", "zero byte")):
            refused = run("user", "passwd", "--db", self.db, "p@example.org", stdin=password)
            self.assertEqual(refused.returncode, 1, password)
            self.assertIn(why, refused.stderr)
        # nothing refused changed the hash; 1024 bytes and ten two-byte letters do
        self.assertEqual(self.query("SELECT password_hash FROM users"), [(second,)])
        for password in ("x" * 1024 + "\n", "åäöåäöåäöå\r\n"):
            self.assertEqual(run("user", "passwd", "--db", self.db, "p@example.org",
                                 stdin=password).returncode, 0)
        self.assertNotEqual(self.query("SELECT password_hash FROM users"), [(second,)])

    def test_user_disable_list_invite(self):
        run("user", "add", "--db", self.db, "b@example.org", "--role", "admin")
        run("user", "add", "--db", self.db, "a@example.org", "--role", "partner")
        run("user", "passwd", "--db", self.db, "a@example.org", stdin="correct horse battery\n")
        listed = run("user", "list", "--db", self.db).stdout.splitlines()
        self.assertEqual([line.split()[:3] for line in listed],
                         [["a@example.org", "partner", "active"], ["b@example.org", "admin", "no"]])
        self.assertIn("disabled a@example.org", run("user", "disable", "--db", self.db, "a@example.org").stdout)
        self.assertIn("disabled since", run("user", "list", "--db", self.db).stdout.splitlines()[0])
        self.assertIsNotNone(self.query("SELECT disabled_at FROM users WHERE email = 'a@example.org'")[0][0])
        self.assertEqual(run("user", "enable", "--db", self.db, "a@example.org").returncode, 0)
        self.assertEqual(self.query("SELECT disabled_at FROM users WHERE email = 'a@example.org'"), [(None,)])
        self.assertEqual(run("user", "disable", "--db", self.db, "nobody@example.org").returncode, 1)

        invite = run("user", "invite", "--db", self.db, "new@example.org")
        self.assertEqual(invite.returncode, 0, invite.stderr)
        link = invite.stdout.splitlines()[-1]
        self.assertRegex(link, r"^/invite\?token=[A-Za-z0-9_-]{43}$")
        self.assertEqual(self.query("SELECT email, role, used_at FROM invites"),
                         [("new@example.org", "partner", None)])
        self.assertEqual(self.query("SELECT count(*) FROM invites WHERE hash = ?", link.split("=")[1]),
                         [(0,)])
        config = os.path.join(self.tmp.name, "praxis.conf")
        with open(config, "w") as target:
            target.write("[web]\nbase_url = https://praxis.example.org/\n")
        admin = run("user", "invite", "--config", config, "--db", self.db, "boss@example.org", "--role", "admin")
        self.assertRegex(admin.stdout.splitlines()[-1],
                         r"^https://praxis\.example\.org/invite\?token=[A-Za-z0-9_-]{43}$")
        existing = run("user", "invite", "--db", self.db, "A@example.org")
        self.assertEqual(existing.returncode, 1)
        self.assertIn("exists already", existing.stderr)

    def test_search_json_and_filters(self):
        run("import", "--db", self.db, DATA)
        result = json.loads(run("search", "--db", self.db, "--json", "--country", "AT", "--country", "ES").stdout)
        self.assertEqual(result["total"], 2)
        self.assertIn("Graz", run("search", "--db", self.db, "Integrationsprojekte").stdout)

    def test_search_partial_matches(self):
        run("import", "--db", self.db, DATA)
        # no practice has both words: the list goes on with those that have the first, marked
        out = run("search", "--db", self.db, "mentors qqqzzz").stdout
        self.assertEqual(out.splitlines()[0], "0 practices")
        self.assertIn("Volunteering with newcomers in Vejle  (partial)", out)
        self.assertNotIn("(partial)", run("search", "--db", self.db, "mentors").stdout)
        result = json.loads(run("search", "--db", self.db, "--json", "mentors qqqzzz").stdout)
        self.assertEqual([(r["uid"], r["matched"]) for r in result["results"]],
                         [("t-en", "partial")])

    def test_usage_errors(self):
        for args in (("frobnicate",), ("user", "add", "x@example.org", "--role", "king"),
                     ("user", "add", "not-an-email", "--role", "admin"), ("token",),
                     ("db", "vacuum"), ("import",), ("search", "--per-page", "500", "x"),
                     ("serve", "--listen", "nowhere"), ("export", "--since", "soon"),
                     ("user", "passwd"), ("user", "list", "x@example.org"), ("user", "frobnicate", "x@example.org"),
                     ("user", "invite", "x@example.org", "--role", "king"), ("user", "disable", "not-an-email")):
            result = run(*args, "--db", self.db) if args[0] != "frobnicate" else run(*args)
            self.assertNotEqual(result.returncode, 0, args)
            self.assertTrue(result.stderr.startswith("praxis"), (args, result.stderr))
        missing = run("import", "--db", self.db, os.path.join(self.tmp.name, "missing.jsonl"))
        self.assertEqual(missing.returncode, 1)
        self.assertIn("No such file", missing.stderr)

    def test_help(self):
        self.assertEqual(run("--help").returncode, 0)
        for command in ("serve", "import", "export", "search", "user", "token", "db"):
            result = run(command, "--help")
            self.assertEqual(result.returncode, 0, command)
            self.assertIn("--db", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
