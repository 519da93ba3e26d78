"""Hostile plugins in a real server (issue 8, "Tests"): the server keeps serving through them.

Enabled at once: a practice.tag handler that loops forever, a search.rewrite handler that bombs
memory, a practice.validate handler that errors, a plugin that does not load, and a timer that
logs a tick with its version. Searches answer 200 during and after each; a submission that the
failing validator checks is refused with 422 and a clear message, never 500; the looping tagger
lets submissions through untagged, logged under its name; GET /api/plugins shows the failed and
the disabled with their reasons, and so does `praxis plugin list`; POST /api/plugins/reload and
SIGHUP swap in fixed files, and the old set's timer stops (its ticks are counted before and
after); `praxis plugin check` exits 1 with file:line for the broken plugin, 0 for a good one.
"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

PRAXIS = os.environ["PRAXIS_BIN"]
WAIT = 60  # seconds before a wait for the server's log gives up

PLUGINS = {
    "looper": "local px = ...\npx.on('practice.tag', function (p) while true do end end)\n",
    "bomb": "local px = ...\n"
            "px.on('search.rewrite', function (q) return ('x'):rep(1e9) end)\n",
    "refuser": "local px = ...\n"
               "px.on('practice.validate', function (p)\n"
               "  if p.title:find('REFUSE', 1, true) then error('refuser exploded') end\n"
               "  return true\n"
               "end)\n",
    "broken": "local px = ...\nlocal = 1\n",
    "ticker": "local px = ...\npx.every(1, function () px.log('info', 'tick v1') end)\n",
}
ENABLED = "looper;bomb;refuser;broken;ticker"


def practice(title):
    return {"title": title, "summary": "A practice sent by the plugins test.", "country": "SE",
            "language": "en", "themes": ["testing"], "focus_areas": ["interact"]}


class HostilePlugins(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-plugins-")
        self.dir = os.path.join(self.tmp.name, "plugins")
        os.mkdir(self.dir)
        for name, code in PLUGINS.items():
            self.write_plugin(name, code)
        self.config = (f"[plugins]\ndir = {self.dir}\nenabled = {ENABLED}\n"
                       "max_failures = 3\ninstructions = 2000000\nmemory_mb = 16\n")
        self.server = Server(config=self.config)
        self.log = []
        self.log_lock = threading.Lock()
        self.reader = threading.Thread(target=self.read_log, daemon=True)
        self.reader.start()

    def tearDown(self):
        process = self.server.process
        self.server.process = None
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=30)
        self.reader.join(timeout=10)
        process.stdout.close()
        process.stderr.close()
        self.server.stop()
        self.tmp.cleanup()
        text = self.log_text()
        self.assertEqual(status, 0, text[-3000:])
        self.assertNotIn("CRITICAL", text)

    def write_plugin(self, name, code):
        with open(os.path.join(self.dir, name + ".lua"), "w") as out:
            out.write(code)

    def read_log(self):
        """Drains the server's stderr (a full pipe would block its logging)."""
        for line in self.server.process.stderr:
            with self.log_lock:
                self.log.append(line)

    def log_text(self):
        with self.log_lock:
            return "".join(self.log)

    def count(self, text):
        with self.log_lock:
            return sum(text in line for line in self.log)

    def wait_for_log(self, text, times=1):
        deadline = time.monotonic() + WAIT
        while self.count(text) < times:
            self.assertLess(time.monotonic(), deadline,
                            f"no {times} x '{text}' in the log:\n{self.log_text()[-3000:]}")
            time.sleep(0.1)

    def search(self):
        status, _, body = self.server.request("GET", "/api/practices?q=language%20cafe")
        self.assertEqual(status, 200, body)
        return body

    def plugins(self):
        status, _, body = self.server.request("GET", "/api/plugins", token="admin")
        self.assertEqual(status, 200, body)
        return {plugin["name"]: plugin for plugin in body["plugins"]}

    def submit(self, title):
        return self.server.request("POST", "/api/practices", body=practice(title),
                                   token="partner")

    def praxis(self, *args, config=None):
        path = os.path.join(self.tmp.name, "cli.conf")
        with open(path, "w") as out:
            out.write(config or self.config)
        return subprocess.run([PRAXIS, *args, "--config", path, "--db", self.server.db],
                              capture_output=True, text=True, timeout=60, check=False)

    def test_the_server_goes_on(self):
        # searches all along, on threads of their own, while the faults happen
        stop = threading.Event()
        failures = []

        def searcher():
            while not stop.is_set():
                status, _, body = self.server.request("GET", "/api/practices?q=cafe")
                if status != 200:
                    failures.append((status, body))

        threads = [threading.Thread(target=searcher) for _ in range(2)]
        for thread in threads:
            thread.start()
        try:
            self.run_faults()
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        self.assertEqual(failures, [])

    def run_faults(self):
        # the memory bomb in search.rewrite: searches answer 200, the bomb ends disabled
        for _ in range(4):
            self.search()
        self.wait_for_log("plugin bomb: search.rewrite failed: memory limit exceeded")
        # the looping tagger: submissions go through untagged, the loop logged with its name
        for i in range(3):
            status, _, body = self.submit(f"Looping tagger {i}")
            self.assertEqual(status, 201, body)
            self.assertEqual(body["themes"], ["testing"])
        self.wait_for_log("plugin looper: practice.tag failed: instruction budget exceeded")
        # the failing validator: 422 with a clear message, never 500
        status, _, body = self.submit("REFUSE me")
        self.assertEqual(status, 422, body)
        self.assertIn("the refuser plugin failed", str(body))
        self.wait_for_log("refuser exploded")
        status, _, body = self.submit("A practice the validator lets through")
        self.assertEqual(status, 201, body)
        self.search()
        # what GET /api/plugins says of each
        plugins = self.plugins()
        self.assertEqual(plugins["broken"]["status"], "failed")
        self.assertIn("broken.lua:2:", plugins["broken"]["reason"])
        self.assertEqual(plugins["bomb"]["status"], "disabled")
        self.assertIn("failed 3 times in a row", plugins["bomb"]["reason"])
        self.assertIn("memory limit exceeded", plugins["bomb"]["reason"])
        self.assertEqual(plugins["looper"]["status"], "disabled")
        self.assertIn("instruction budget exceeded", plugins["looper"]["reason"])
        self.assertEqual(plugins["refuser"]["status"], "loaded")
        self.assertEqual(plugins["ticker"]["status"], "loaded")
        self.assertEqual(plugins["ticker"]["timers"], ["every 1 s"])
        self.assertEqual(plugins["looper"]["events"], ["practice.tag"])
        # praxis plugin list shows what the running server disabled, and each one's events
        listed = self.praxis("plugin", "list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        lines = listed.stdout.splitlines()
        self.assertTrue(any(line.startswith("looper") and "practice.tag" in line
                            for line in lines), listed.stdout)
        self.assertIn("disabled by the server", listed.stdout)
        self.assertIn("memory limit exceeded", listed.stdout)
        self.assertTrue(any(line.startswith("broken") and "failed" in line for line in lines))
        # praxis plugin check: 1 with file:line for the broken one, 0 for a good one
        checked = self.praxis("plugin", "check")
        self.assertEqual(checked.returncode, 1, checked.stdout + checked.stderr)
        self.assertIn("broken.lua:2:", checked.stdout)
        checked = self.praxis("plugin", "check", "ticker")
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn("ticker", checked.stdout)
        # the timer of the first set ticks
        self.wait_for_log("tick v1", 2)
        # fixed files, POST /api/plugins/reload: all loaded, the old timer stopped
        self.write_plugin("broken", "local px = ...\npx.on('search.rewrite', function (q) "
                          "return nil end)\n")
        self.write_plugin("bomb", "local px = ...\n"
                          "px.on('search.rewrite', function (q) return q end)\n")
        self.write_plugin("ticker", "local px = ...\n"
                          "px.every(1, function () px.log('info', 'tick v2') end)\n")
        status, _, body = self.server.request("POST", "/api/plugins/reload", token="admin")
        self.assertEqual(status, 200, body)
        self.assertEqual({p["name"]: p["status"] for p in body["plugins"]},
                         {"looper": "loaded", "bomb": "loaded", "refuser": "loaded",
                          "broken": "loaded", "ticker": "loaded"})
        checked = self.praxis("plugin", "check")
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assert_timer_replaced("tick v1", "tick v2")
        self.search()
        # SIGHUP does the same
        self.write_plugin("ticker", "local px = ...\n"
                          "px.every(1, function () px.log('info', 'tick v3') end)\n")
        self.server.process.send_signal(signal.SIGHUP)
        self.assert_timer_replaced("tick v2", "tick v3")
        self.search()
        # a reload with a plugin that does not load again: it is listed failed, the rest run
        self.write_plugin("ticker", "local px = ...\npx.every(1, function () end\n")
        status, _, body = self.server.request("POST", "/api/plugins/reload", token="admin")
        self.assertEqual(status, 200, body)
        ticker = {p["name"]: p for p in body["plugins"]}["ticker"]
        self.assertEqual(ticker["status"], "failed")
        self.assertIn("ticker.lua:3: ')' expected (to close '(' at line 2)", ticker["reason"])
        v3 = self.count("tick v3")
        self.wait_for_log("plugins reloaded", 3)
        time.sleep(2.5)  # a few periods of the timer gone: none of its ticks may come
        self.assertLessEqual(self.count("tick v3"), v3 + 1)
        self.search()

    def assert_timer_replaced(self, old, new):
        """@new ticks, and once it does @old never ticks again."""
        self.wait_for_log(new)
        before = self.count(old)
        self.wait_for_log(new, self.count(new) + 3)
        self.assertEqual(self.count(old), before, f"{old} still ticks after the reload")


if __name__ == "__main__":
    unittest.main()
