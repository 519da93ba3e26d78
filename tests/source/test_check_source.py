"""scripts/check-source on a small tree of its own: an #include that crosses the rooms of core/ the
wrong way, a bare include of another room's header, a room missing from the table and the
forbidden constructs are refused; includes that follow core/README.md's drawing pass."""
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "check-source")


class CheckSource(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-check-source-")
        self.root = self.tmp.name
        os.makedirs(os.path.join(self.root, "scripts"))
        shutil.copy(SCRIPT, os.path.join(self.root, "scripts", "check-source"))
        subprocess.run(["git", "init", "-q", self.root], check=True)
        self.write("core/util/error.h", "#pragma once\n")
        self.write("core/store/store.h", '#pragma once\n\n#include "util/error.h"\n')
        self.write("core/http/server.h", '#pragma once\n\n#include "store/store.h"\n')
        self.write("core/api/api.c", '#include "http/server.h"\n#include "store/store.h"\n')

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, path, text):
        full = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as out:
            out.write(text)
        subprocess.run(["git", "-C", self.root, "add", path], check=True)

    def check(self):
        return subprocess.run(["bash", os.path.join(self.root, "scripts", "check-source")],
                              capture_output=True, text=True, timeout=60, check=False)

    def test_includes_along_the_drawing_pass(self):
        result = self.check()
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_store_may_not_use_http(self):
        self.write("core/store/store.c", '#include "http/server.h"\n#include "store.h"\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("core/store/store.c: core/store/ may not include http/server.h",
                      result.stderr)

    def test_http_may_not_use_the_api(self):
        self.write("core/api/api.h", "#pragma once\n")
        self.write("core/http/server.c", '#include "api/api.h"\n#include "server.h"\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("core/http/ may not include api/api.h", result.stderr)

    def test_a_bare_include_must_be_in_the_room(self):
        self.write("core/api/api.h", '#pragma once\n\n#include "store.h"\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn('#include "store.h" is not in core/api/', result.stderr)

    def test_own_room_is_written_bare(self):
        self.write("core/store/store.c", '#include "store/store.h"\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("is in this room: write it bare", result.stderr)

    def test_an_unknown_room_is_refused(self):
        self.write("core/attic/old.c", '#include "util/error.h"\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("room core/attic/ is not in scripts/check-source's table", result.stderr)

    def test_angle_brackets_and_spaces_do_not_hide_a_room(self):
        for line in ('#include <http/server.h>', '# include "http/server.h"',
                     '  #  include "http/server.h"'):
            with self.subTest(line=line):
                self.write("core/store/store.c", line + '\n#include "store.h"\n')
                result = self.check()
                self.assertEqual(result.returncode, 1)
                self.assertIn("core/store/ may not include http/server.h", result.stderr)

    def test_system_headers_pass(self):
        self.write("core/store/store.c", '#include <glib.h>\n#include <libsoup/soup.h>\n')
        result = self.check()
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_a_relative_path_is_refused(self):
        self.write("core/store/store.c", '#include "../http/server.h"\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("climbs out of its folder", result.stderr)

    def test_practices_are_written_through_the_write_path_only(self):
        self.write("core/store/records.c", "gboolean px_records_add (void) { return 1; }\n")
        self.write("core/practices/practices.c", "int a (void) { return px_records_add (); }\n")
        self.assertEqual(self.check().returncode, 0, self.check().stderr)
        for path, text in (("core/api/api.c", "int b (void) { return px_records_add(); }\n"),
                           ("core/store/export.c",
                            "static void *f = px_records_update;\n")):
            with self.subTest(path=path):
                self.write(path, text)
                result = self.check()
                self.assertEqual(result.returncode, 1)
                self.assertIn("written through core/practices/", result.stderr)
                subprocess.run(["git", "-C", self.root, "rm", "-q", "--cached", path],
                               check=True)

    def test_a_file_name_is_the_prefix_of_its_symbols(self):
        self.write("core/store/export.c",
                   "static int\npx_helper (void)\n{\n\treturn 0;\n}\n\n"
                   "int\npx_export_page (void)\n{\n\treturn px_helper ();\n}\n")
        self.assertEqual(self.check().returncode, 0, self.check().stderr)
        self.write("core/store/export.c", "int\npx_store_export_page (void)\n{\n\treturn 0;\n}\n")
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("px_store_export_page is exported from a file whose symbols start px_export",
                      result.stderr)
        self.write("core/store/export.c", "")
        self.write("core/api/api-search.c", "void\npx_api_search_start (void)\n{\n}\n")
        self.assertEqual(self.check().returncode, 0, self.check().stderr)

    def test_forbidden_constructs(self):
        self.write("core/util/error.c", '#include "error.h"\n\nint x; // a comment\n')
        result = self.check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("forbidden construct", result.stderr)


if __name__ == "__main__":
    unittest.main()
