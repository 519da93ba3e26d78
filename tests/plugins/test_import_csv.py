#!/usr/bin/env python3
"""import-csv through the real `praxis import --with import-csv`: columns mapped to fields,
each bad row reported with its line and reason, skip or stop as asked, upserts by uid or url."""
import json
import os
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CSV = os.path.join(ROOT, "tests", "data", "csv")
PRAXIS = os.environ["PRAXIS_BIN"]


class ImportCsv(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-csv-")
        self.db = os.path.join(self.tmp.name, "test.db")

    def tearDown(self):
        self.tmp.cleanup()

    def configure(self, section=""):
        path = tempfile.mktemp(suffix=".conf", dir=self.tmp.name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"[database]\npath={self.db}\n[plugins]\ndir={ROOT}/plugins\n"
                    f"enabled=import-csv\n[plugin:import-csv]\n{section}\n")
        return path

    def run_praxis(self, *args, config=None, stdin=None):
        command = [PRAXIS, *args, "--config", config or self.configure()]
        return subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=60)

    def export(self):
        out = self.run_praxis("export").stdout
        return {p["uid"]: p for p in map(json.loads, out.splitlines())}

    def test_rows_become_pending_practices(self):
        done = self.run_praxis("import", "--with", "import-csv", os.path.join(CSV, "practices.csv"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("added 4, updated 0, unchanged 0", done.stdout)
        practices = self.export()
        cafe = practices["epi-001"]
        self.assertEqual((cafe["title"], cafe["city"], cafe["status"]),
                         ("Language café", "Malmö", "pending"))
        self.assertEqual(cafe["themes"], ["language-learning", "volunteering"])
        self.assertIn("\n", practices["epi-002"]["summary"])  # a quoted cell over two lines
        again = self.run_praxis("import", "--with", "import-csv", os.path.join(CSV, "practices.csv"))
        self.assertIn("added 0, updated 0, unchanged 4", again.stdout)

    def test_each_bad_row_is_reported_with_its_line(self):
        done = self.run_praxis("import", "--with", "import-csv", os.path.join(CSV, "bad-rows.csv"),
                               config=self.configure("columns=summary=title"))
        self.assertEqual(done.returncode, 1)
        lines = [line for line in done.stderr.splitlines() if line.startswith("line ")]
        self.assertIn("line 3: a quote inside the unquoted column 2", lines)
        self.assertIn("line 7: invalid UTF-8 in column 2", lines)
        self.assertTrue(any(line.startswith("line 9: ") for line in lines), lines)
        self.assertNotIn("line 2:", " ".join(lines))  # a good row
        self.assertIn("ok-1", self.export())

    def test_stop_keeps_nothing(self):
        done = self.run_praxis("import", "--with", "import-csv", os.path.join(CSV, "bad-rows.csv"),
                               config=self.configure("columns=summary=title\non_error=stop"))
        self.assertEqual(done.returncode, 1)
        self.assertIn("line 3", done.stderr)
        self.assertEqual(self.export(), {})

    def test_columns_separator_and_upsert_by_url(self):
        sheet = "Name;Short;Land;Link\nCafé de idiomas;Charlas;ES;https://example.org/a\n"
        config = self.configure("separator=;\nkey=url\nlanguage=es\n"
                                "columns=title=Name;summary=Short;country=Land;url=Link")
        done = self.run_praxis("import", "--with", "import-csv", "-", config=config, stdin=sheet)
        self.assertEqual(done.returncode, 0, done.stderr)
        (uid, practice), = self.export().items()
        self.assertTrue(uid.startswith("url-"), uid)
        self.assertEqual((practice["title"], practice["language"]), ("Café de idiomas", "es"))
        changed = sheet.replace("Charlas", "Charlas semanales")
        done = self.run_praxis("import", "--with", "import-csv", "-", config=config, stdin=changed)
        self.assertIn("added 0, updated 1", done.stdout, done.stderr)
        self.assertEqual(self.export()[uid]["summary"], "Charlas semanales")

    def test_a_bad_setting_is_refused_at_load(self):
        check = self.run_praxis("plugin", "check", config=self.configure("on_error=maybe"))
        self.assertEqual(check.returncode, 1)
        self.assertIn("on_error", check.stdout)


if __name__ == "__main__":
    unittest.main()
