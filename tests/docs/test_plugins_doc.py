#!/usr/bin/env python3
"""docs/plugins.md against the code: its complete example is plugins/example/init.lua and
runs; every module of the px API (core/lua/lua-modules.c), every event (core/lua/plugin.c) and
every [plugins] limit (core/lua/plugins.c) is documented."""
import os
import re
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def read(*path):
    with open(os.path.join(ROOT, *path), encoding="utf-8") as f:
        return f.read()


DOC = read("docs", "plugins.md")


class PluginsDoc(unittest.TestCase):
    def test_the_example_is_the_shipped_file(self):
        section = DOC.split("## A complete example", 1)[1]
        block = re.search(r"```lua\n(.*?)```", section, re.S).group(1)
        self.assertEqual(block, read("plugins", "example", "init.lua"))

    def test_every_module_is_documented(self):
        modules = re.findall(r'\{"(\w+)", px_lua_\w+\}', read("core", "lua", "lua-modules.c"))
        self.assertGreater(len(modules), 10)
        for name in modules:
            self.assertIn(f"px.{name}", DOC, name)
        for name in ("on", "importer", "every", "import", "log", "config", "option", "name"):
            self.assertIn(f"px.{name}", DOC, name)

    def test_every_event_and_limit_is_documented(self):
        plugin = read("core", "lua", "plugin.c")
        events = re.search(r"px_plugin_events\[\] = \{(.*?)\};", plugin, re.S).group(1)
        header = read("core", "lua", "plugin.h")
        names = re.findall(r'"([a-z.]+)"', events)
        names += re.findall(r'#define PX_PLUGIN_EVENT_\w+ "([a-z.]+)"', header)
        self.assertGreater(len(names), 8)
        for name in names:
            self.assertIn(f"| `{name}` |", DOC, name)
        for key in re.findall(r'px_plugins_read_uint \(keyfile, "(\w+)"', read("core", "lua",
                                                                             "plugins.c")):
            self.assertIn(f"| `{key}` |", DOC, key)

    def test_the_example_runs_as_documented(self):
        with tempfile.TemporaryDirectory(prefix="praxis-doc-") as tmp:
            config = os.path.join(tmp, "praxis.conf")
            with open(config, "w", encoding="utf-8") as f:
                f.write(f"[database]\npath={tmp}/try.db\n[plugins]\ndir={ROOT}/plugins\n"
                        "enabled=example\n[plugin:example]\ncity=Vejle\nmin_summary=40\n")
            praxis = os.environ["PRAXIS_BIN"]
            check = subprocess.run([praxis, "plugin", "check", "example", "--config", config],
                                   capture_output=True, text=True, timeout=60)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            sheet = ("title,summary,country\nLanguage café,Neighbours and newcomers talk "
                     "weekly over coffee,DK\nToo short,Hi,DK\n")
            done = subprocess.run([praxis, "import", "--with", "example", "-", "--config",
                                   config], input=sheet, capture_output=True, text=True,
                                  timeout=60)
            self.assertIn("added 1,", done.stdout, done.stderr)
            self.assertIn("line 3: practice the summary needs at least 40 characters",
                          done.stderr)
            exported = subprocess.run([praxis, "export", "--config", config],
                                      capture_output=True, text=True, timeout=60).stdout
            self.assertIn('"themes":["language-learning"]', exported)


if __name__ == "__main__":
    unittest.main()
