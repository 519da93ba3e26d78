"""focus-tagger and glossary through the real host: `praxis import` and `praxis serve` with a
praxis.conf that enables them (tests/http/harness.py starts the server).

- import: practices in several languages come out of `praxis export` with the themes and focus
  areas a reader would give, what a record brought is kept, and the tagger's config keys
  (extra_LABEL, min_score) change what it adds;
- the API: a practice created through POST /api/practices is tagged before it is stored;
- search: "språkcafé" finds an English practice about a language café only with the glossary
  on; a query the glossary cannot rewrite safely runs as typed.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
from harness import Server  # noqa: E402

PLUGINS = os.path.abspath(os.path.join(HERE, "..", "..", "plugins"))
DATA = os.path.join(HERE, "..", "data", "plugins-practices.jsonl")


def config(enabled, section=""):
    return "[plugins]\ndir=%s\nenabled=%s\n%s" % (PLUGINS, enabled, section)


def praxis(*args):
    result = subprocess.run([os.environ["PRAXIS_BIN"], *args], capture_output=True, text=True,
                            timeout=60, check=False)
    if result.returncode != 0:
        raise AssertionError("praxis %s: %s" % (" ".join(args), result.stderr))
    return result.stdout


def import_and_export(records, section=""):
    """Imports @records with focus-tagger on and returns the export by uid."""
    with tempfile.TemporaryDirectory(prefix="praxis-tagger-") as tmp:
        conf = os.path.join(tmp, "praxis.conf")
        with open(conf, "w") as out:
            out.write(config("focus-tagger", section))
        data = os.path.join(tmp, "in.jsonl")
        with open(data, "w") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        db = os.path.join(tmp, "test.db")
        praxis("import", data, "--config", conf, "--db", db)
        exported = praxis("export", "--config", conf, "--db", db)
    return {p["uid"]: p for p in map(json.loads, exported.splitlines())}


def practice(uid, language, title, summary, body="", **fields):
    record = {"uid": uid, "language": language, "title": title, "summary": summary,
              "body": body, "country": "SE", "year": 2023}
    record.update(fields)
    return record


class Import(unittest.TestCase):
    def test_tags_in_several_languages(self):
        records = [
            practice("t-sv", "sv", "Språkcafé på biblioteket",
                     "Nyanlända och frivilliga träffas varje vecka och pratar svenska."),
            practice("t-pl", "pl", "Doradztwo zawodowe dla migrantów",
                     "Doradcy pomagają w szukaniu pracy i przygotowaniu CV.", country="PL"),
            practice("t-lv", "lv", "Psiholoģiskais atbalsts bēgļiem",
                     "Psihologi sniedz bezmaksas palīdzību; pieteikšanās pie ģimenes ārsta.",
                     country="LV"),
            practice("t-de", "de", "Wohnungen für Geflüchtete im ländlichen Raum",
                     "Der Landkreis vermittelt leerstehende Wohnungen in Dörfern.", country="DE"),
            practice("t-es", "es", "Fútbol y cultura en el barrio",
                     "Un club de fútbol reúne a vecinos y personas recién llegadas.",
                     country="ES"),
        ]
        got = import_and_export(records)
        self.assertEqual(set(got["t-sv"]["themes"]), {"language-learning", "volunteering"})
        self.assertEqual(got["t-sv"]["focus_areas"], ["interact"])
        self.assertEqual(got["t-pl"]["themes"], ["employment"])
        self.assertEqual(got["t-pl"]["focus_areas"], ["participation"])
        self.assertEqual(got["t-lv"]["themes"], ["health"])
        self.assertEqual(set(got["t-de"]["themes"]), {"housing", "rural"})
        self.assertEqual(got["t-es"]["themes"], ["sport-culture"])
        self.assertIn("interact", got["t-es"]["focus_areas"])

    def test_keeps_what_the_record_brought(self):
        got = import_and_export([practice(
            "t-own", "en", "Language café in the library", "Newcomers practise English.",
            themes=["our-own-theme"], focus_areas=["governance"])])
        self.assertEqual(got["t-own"]["themes"], ["our-own-theme", "language-learning"])
        self.assertEqual(got["t-own"]["focus_areas"], ["governance", "interact"])

    def test_config_keys(self):
        record = practice("t-conf", "en", "Repair café for newcomers",
                          "Residents fix bicycles with newcomers; a bike repair workshop.")
        self.assertNotIn("repair", import_and_export([record])["t-conf"].get("themes", []))
        got = import_and_export([record], "[plugin:focus-tagger]\nextra_repair=repair café*;bike*\n"
                                "extra_sport-culture=bicycl*\n")["t-conf"]
        self.assertEqual(set(got["themes"]), {"repair", "sport-culture"})
        # one mention in the body is below the default score, at the score with min_score=1
        body_only = practice("t-min", "en", "A place for newcomers", "Open every week.",
                             "Volunteers run it.")
        self.assertEqual(import_and_export([body_only])["t-min"].get("themes", []), [])
        got = import_and_export([body_only], "[plugin:focus-tagger]\nmin_score=1\n")["t-min"]
        self.assertEqual(got["themes"], ["volunteering"])

    def test_bad_config_fails_the_load(self):
        with tempfile.TemporaryDirectory(prefix="praxis-tagger-") as tmp:
            conf = os.path.join(tmp, "praxis.conf")
            with open(conf, "w") as out:
                out.write(config("focus-tagger", "[plugin:focus-tagger]\nextra_health=ab*\n"))
            result = subprocess.run([os.environ["PRAXIS_BIN"], "plugin", "check", "focus-tagger",
                                     "--config", conf, "--db", os.path.join(tmp, "x.db")],
                                    capture_output=True, text=True, timeout=60)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("a prefix needs at least 3 letters", result.stdout + result.stderr)


class Server_(unittest.TestCase):
    """One server with both plugins, one with none, on the same practices."""

    @classmethod
    def setUpClass(cls):
        cls.with_plugins = Server(data=DATA, config=config("focus-tagger;glossary"))
        cls.without = Server(data=DATA)

    @classmethod
    def tearDownClass(cls):
        cls.with_plugins.stop()
        cls.without.stop()

    def uids(self, server, query):
        """the practices that match all of @query (not the partial matches after them)"""
        body = server.search(urllib.parse.urlencode({"q": query}))
        return [r["uid"] for r in body["results"] if r["matched"] == "full"]

    def test_glossary_finds_other_languages(self):
        self.assertNotIn("p-en-cafe", self.uids(self.without, "språkcafé"))
        found = self.uids(self.with_plugins, "språkcafé")
        self.assertIn("p-en-cafe", found)
        self.assertIn("p-pl-kawiarenka", found)
        self.assertIn("p-sv-cafe", found)
        # the rest of the query still has to match
        self.assertEqual(self.uids(self.with_plugins, "språkcafé Lublin"), ["p-pl-kawiarenka"])
        self.assertIn("p-de-mentoring", self.uids(self.with_plugins, "mentorskap"))
        # quotes: left as typed
        self.assertEqual(self.uids(self.with_plugins, '"språkcafé"'), ["p-sv-cafe"])

    def test_api_create_is_tagged(self):
        status, _, body = self.with_plugins.request("POST", "/api/practices", {
            "title": "Sprachcafé im Stadtteilzentrum",
            "summary": "Ehrenamtliche treffen Geflüchtete zum Deutsch üben.",
            "country": "DE", "language": "de", "year": 2024, "focus_areas": [],
            "themes": []}, token="partner")
        self.assertEqual(status, 201, body)
        self.assertEqual(set(body["themes"]), {"language-learning", "volunteering"})
        self.assertEqual(body["focus_areas"], ["interact"])


if __name__ == "__main__":
    unittest.main()
