"""The examples in README.md and docs/api.md, run against the demo set, must give what they say.

Setup: scripts/data/demo-practices.jsonl is imported into a temporary database, and the real
server is started on it (`praxis serve --listen 127.0.0.1:0`). Commands run in document order,
README.md first, then docs/api.md, sharing that database, the server and the shell variables
they set, so a later example may use `$TOKEN` or the practice an earlier one created. Before a
command runs, `build/core/praxis` (and a leading `praxis`) become PRAXIS_BIN,
`config/praxis.conf` the repository's, `var/praxis.db` the temporary database and
`127.0.0.1:8080` the server's address; commands run in a temporary folder. The demo set is
loaded and served with config/praxis.conf, as scripts/run does: with the shipped plugins.

The convention (a block or command that breaks it fails the test):

- Every line of a ```sh, ```shell or ```bash block is an example command (`\\` continues it on
  the next line); whole-line `# comments` are prose. A command ends in a comment that says what
  it gives, as `;`-separated items:
    finds "T1", "T2"       the results include practices with these titles (JSON or CLI text)
    finds only "T1", ...   the results are exactly these practices, in any order
    finds nothing          no practice
    prints "text", ...     stdout (curl: the body) contains each text ('text' if it has ")
    201 Created            curl: the HTTP status (the reason phrase is optional)
    Location: /api/…       curl: a response header and its value
    "member": value, ...   JSON members the answer (or, for JSON Lines, one of its lines) has
    {...}                  the whole JSON answer
  JSON is compared exactly, except that "…" stands for any value, a string with "…" in it for
  any text around the other parts, a bare … in an object for more members, a bare … at the end
  of an array for more elements, and {…} or […] for any object or array.
  A ```json block right after a block (blank lines apart) is the answer of that block's last
  command: the whole JSON answer, or one line of a JSON Lines answer. Only such a command may go
  without a comment.
- `NAME=$(...)` assignments need no comment: they must succeed and set a non-empty value.
- A ```console block holds `$ command` lines, each followed by lines its output contains.
- Every ```json block must follow an example command; every curl or praxis command must be in
  an example block.
- `<!-- not run: why -->` right before a block exempts it (scripts/run serves until stopped).
- Outside code, "`A` finds `B`" is a claim: searching for A finds a practice whose text has B.
Commands other than curl must exit 0. curl is not run: its arguments (after the shell expanded
them) are sent with http.client; it knows -X, -H, -d/--data, -s, -S, -i, and no pipes.
"""
import http.client
import json
import os
import re
import shlex
import signal
import subprocess
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DOCS = ("README.md", os.path.join("docs", "api.md"))
DEMO = os.path.join(ROOT, "scripts", "data", "demo-practices.jsonl")
# as scripts/run loads and serves the demo set: with the shipped plugins (focus-tagger, glossary)
CONFIG = os.path.join(ROOT, "config", "praxis.conf")
SHELL_FENCES = ("sh", "shell", "bash")
TIMEOUT = 60

ELLIPSIS = "\u2026"
ANY_OBJECT = ELLIPSIS + "{}"
ANY_ARRAY = ELLIPSIS + "[]"
MORE = ELLIPSIS + "more"


class Block:
    """A fenced block: where it starts, its language, its lines (indent removed)."""

    def __init__(self, doc, line, lang, skip):
        self.doc, self.line, self.lang, self.skip = doc, line, lang, skip
        self.lines = []  # (line number, text)


class Example:
    """One command with what the docs say it gives."""

    def __init__(self, doc, line, command, expect, output=None):
        self.doc, self.line, self.command, self.expect = doc, line, command, expect
        self.output = output  # the ```json block after it, or console output lines
        self.broken = False  # its comment breaks the convention: reported, not run

    def where(self):
        return f"{self.doc}:{self.line}"


class Claim:
    """Prose: "`query` finds `text`"."""

    def __init__(self, doc, line, query, text):
        self.doc, self.line, self.query, self.text = doc, line, query, text

    def where(self):
        return f"{self.doc}:{self.line}"


def split_comment(text):
    """Returns (code, comment or None): the comment is a # after a blank, outside quotes."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"':
                continue
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip(), text[i + 1:].strip()
    return text.rstrip(), None


def unquoted(text):
    """The characters of text outside single or double quotes."""
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        else:
            yield ch


def open_quote(text):
    """True if text ends inside a quoted string (the command goes on on the next line)."""
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            break
    return quote is not None


def has_shell_operator(text):
    """True if text has a pipe, redirection, ; or & outside quotes."""
    return any(ch in "|<>;&`" for ch in unquoted(text))


def split_items(text):
    """Splits an expectation at the ;s outside quotes and brackets."""
    items, depth, quote, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == "\\":
                continue
            if ch == '"' and text[i - 1] != "\\":
                quote = False
        elif ch == '"':
            quote = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif ch == ";" and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


def parse_doc_json(text):
    """JSON as the docs write it, with … elisions turned into markers (see the header)."""
    out, stack, i, in_string = [], [], 0, False
    while i < len(text):
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\":
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif ch in "{[":
            closing = "}" if ch == "{" else "]"
            if text[i + 1:i + 3] == ELLIPSIS + closing:
                out.append(json.dumps(ANY_OBJECT if ch == "{" else ANY_ARRAY))
                i += 3
                continue
            stack.append(ch)
            out.append(ch)
        elif ch in "}]":
            stack.pop()
            out.append(ch)
        elif ch == ELLIPSIS:
            if stack and stack[-1] == "{":
                out.append(json.dumps(ELLIPSIS) + ": " + json.dumps(ELLIPSIS))
            else:
                out.append(json.dumps(MORE))
        else:
            out.append(ch)
        i += 1
    return json.loads("".join(out))


def json_mismatches(expected, actual, path="$"):
    """Returns the differences between the docs' JSON and an answer, as messages."""
    if expected == ELLIPSIS:
        return []
    if expected == ANY_OBJECT:
        return [] if isinstance(actual, dict) else [f"{path}: {actual!r} is not an object"]
    if expected == ANY_ARRAY:
        return [] if isinstance(actual, list) else [f"{path}: {actual!r} is not an array"]
    if isinstance(expected, str):
        if not isinstance(actual, str):
            return [f"{path}: {actual!r} is not a string"]
        if ELLIPSIS in expected:
            pattern = ".*".join(re.escape(part) for part in expected.split(ELLIPSIS))
            ok = re.fullmatch(pattern, actual, re.DOTALL) is not None
        else:
            ok = expected == actual
        return [] if ok else [f"{path}: {actual!r}, the docs say {expected!r}"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: {actual!r} is not an object"]
        problems = []
        for key, value in expected.items():
            if key == ELLIPSIS:
                continue
            if key not in actual:
                problems.append(f"{path}: no member {key!r}")
            else:
                problems += json_mismatches(value, actual[key], f"{path}.{key}")
        if ELLIPSIS not in expected:
            extra = sorted(set(actual) - set(expected))
            if extra:
                problems.append(f"{path}: members the docs do not show: {', '.join(extra)}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: {actual!r} is not an array"]
        more = bool(expected) and expected[-1] == MORE
        items = expected[:-1] if more else expected
        if len(actual) < len(items) or (not more and len(actual) != len(items)):
            return [f"{path}: {len(actual)} elements, the docs show {len(items)}"]
        problems = []
        for index, value in enumerate(items):
            problems += json_mismatches(value, actual[index], f"{path}[{index}]")
        return problems
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: {actual!r}, the docs say {expected!r}"]
    return []


def read_blocks(doc, text):
    """Returns (blocks, prose lines as (number, text)) of one Markdown file."""
    blocks, prose, block, indent, pending_skip = [], [], None, "", None
    for number, line in enumerate(text.splitlines(), 1):
        fence = re.match(r"^(\s*)```\s*([A-Za-z]*)\s*$", line)
        if block is None and fence:
            indent = fence.group(1)
            block = Block(doc, number, fence.group(2).lower(), pending_skip)
            pending_skip = None
            continue
        if block is not None:
            if fence and fence.group(2) == "":
                blocks.append(block)
                block = None
            else:
                block.lines.append((number, line[len(indent):] if line.startswith(indent) else line))
            continue
        skip = re.match(r"^\s*<!--\s*not run:\s*(.+?)\s*-->\s*$", line)
        if skip:
            pending_skip = skip.group(1)
        elif line.strip():
            pending_skip = None
            prose.append((number, line))
    return blocks, prose


def read_examples(doc, text):
    """Returns (items in document order, problems with the convention)."""
    blocks, prose = read_blocks(doc, text)
    items, problems = [], []
    last_block_examples = None
    previous_end = None
    for block in blocks:
        follows_commands = last_block_examples and previous_end is not None and all(
            not line.strip() for line in text.splitlines()[previous_end:block.line - 1])
        if block.lang == "json":
            if not follows_commands:
                problems.append(f"{doc}:{block.line}: a json block that follows no example command")
            else:
                last_block_examples[-1].output = "\n".join(text for _, text in block.lines)
            last_block_examples = None
        elif block.lang in SHELL_FENCES + ("console",) and block.skip is None:
            examples = (read_console if block.lang == "console" else read_shell)(block, problems)
            items += examples
            last_block_examples = examples
        else:
            if block.lang in SHELL_FENCES + ("console",) and not block.skip.strip():
                problems.append(f"{doc}:{block.line}: a block not run needs a reason")
            for number, line in block.lines:
                if block.skip is None and re.match(r"^\s*(\$\s+)?(curl|praxis|build/core/praxis)\s", line):
                    problems.append(f"{doc}:{number}: a command outside an sh block is not checked")
            last_block_examples = None
        previous_end = block.line + len(block.lines) + 1
    for number, line in prose:
        if re.search(r"`curl\s", line):
            problems.append(f"{doc}:{number}: curl in prose is not checked: make it an example")
        for query, found in re.findall(r"`([^`]+)` finds `([^`]+)`", line):
            items.append(Claim(doc, number, query, found))
    items.sort(key=lambda item: item.line)
    for item in items:
        for part in split_items(item.expect or "") if isinstance(item, Example) else ():
            if not is_expectation(part):
                problems.append(f"{item.where()}: {part!r} is not an expectation (see "
                                "tests/docs/test_examples.py)")
                item.broken = True
    # a command without a comment is fine only if a json block gives its output
    for item in items:
        if isinstance(item, Example) and item.expect is None and item.output is None \
                and not is_assignment(item.command):
            problems.append(f"{item.where()}: `{item.command}` says nothing checkable it gives")
    return items, problems


EXPECTATIONS = (r"finds nothing", r"finds(\s+only)?\s+[\"'].+", r"prints\s+[\"'].+", r"\d{3}(\s+[A-Za-z][A-Za-z -]*)?",
                r"[A-Z][A-Za-z0-9-]*:\s+.+", r"[{\"].+")


def is_expectation(item):
    return any(re.fullmatch(pattern, item, re.DOTALL) for pattern in EXPECTATIONS)


def is_assignment(command):
    return re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", command) is not None


def read_shell(block, problems):
    examples, command, first = [], "", None
    for number, line in block.lines:
        if not command and (not line.strip() or line.lstrip().startswith("#")):
            continue
        first = first or number
        if line.rstrip().endswith("\\"):
            command += line.strip()[:-1].rstrip() + " "
            continue
        if open_quote(command + line.strip()):
            command += line.strip() + "\n"
            continue
        code, comment = split_comment(line.strip())
        command = (command + code).strip()
        if comment is not None and is_assignment(command):
            problems.append(f"{block.doc}:{number}: a comment on an assignment is not checked")
        examples.append(Example(block.doc, first, command, comment))
        command, first = "", None
    if command:
        problems.append(f"{block.doc}:{first}: the block ends inside a command")
    return examples


def read_console(block, problems):
    examples = []
    for number, line in block.lines:
        if line.startswith("$ "):
            code, comment = split_comment(line[2:])
            examples.append(Example(block.doc, number, code.strip(), comment, output=[]))
        elif examples:
            if line.strip():
                examples[-1].output.append(line.strip())
        elif line.strip():
            problems.append(f"{block.doc}:{number}: console output before any $ command")
    for example in examples:
        if not example.output and example.expect is None:
            example.output = None
    return examples


class Answer:
    """What a command gave: exit code or HTTP status, headers, body text, parsed JSON."""

    def __init__(self, text, status=None, headers=None, exit_code=0, stderr=""):
        self.text, self.status, self.headers = text, status, headers or {}
        self.exit_code, self.stderr = exit_code, stderr
        self.json = None
        self.lines = None  # parsed JSON Lines
        stripped = text.strip()
        kind = self.headers.get("content-type", "")
        if "ndjson" in kind or (status is None and stripped.startswith("{") and "\n{" in stripped):
            try:
                self.lines = [json.loads(line) for line in stripped.splitlines() if line.strip()]
            except ValueError:
                self.lines = None
        elif stripped.startswith(("{", "[")):
            try:
                self.json = json.loads(stripped)
            except ValueError:
                self.json = None

    def titles(self):
        if isinstance(self.json, dict) and isinstance(self.json.get("results"), list):
            return [result.get("title") for result in self.json["results"]]
        return [m.group(1).strip() for m in re.finditer(r"^\s+\d+\s\s+(.+)$", self.text, re.M)]

    def describe(self):
        head = f"HTTP {self.status}" if self.status is not None else f"exit {self.exit_code}"
        return f"{head}: {self.text[:1500]}{self.stderr[:500]}"


def parse_strings(text):
    """The texts of '"a", 'b'': JSON strings or single-quoted ones (for texts with " in them)."""
    strings, rest = [], text.strip()
    while rest:
        match = re.match(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'', rest)
        if match is None:
            raise ValueError(f"not a list of quoted texts: {text!r}")
        strings.append(json.loads(match.group(0)) if match.group(1) is not None else match.group(2))
        rest = rest[match.end():].strip()
        if rest.startswith(","):
            rest = rest[1:].strip()
        elif rest:
            raise ValueError(f"not a list of quoted texts: {text!r}")
    return strings


def check_expectation(item, answer):
    """Returns the problems of one ;-separated expectation item."""
    finds = re.match(r"^finds(\s+only)?\s+(.+)$", item)
    if item == "finds nothing":
        titles = answer.titles()
        total = answer.json.get("total") if isinstance(answer.json, dict) else None
        if titles or total not in (None, 0) or (total is None and "0 practices" not in answer.text):
            return [f"finds {titles or total}, the docs say nothing"]
        return []
    if finds:
        wanted, titles = parse_strings(finds.group(2)), answer.titles()
        missing = [title for title in wanted if title not in titles]
        if missing:
            return [f"does not find {missing}; finds {titles}"]
        if finds.group(1) and sorted(wanted) != sorted(titles):
            return [f"finds {titles}, the docs say only {wanted}"]
        return []
    prints = re.match(r"^prints\s+(.+)$", item)
    if prints:
        return [f"does not print {text!r}" for text in parse_strings(prints.group(1))
                if text not in answer.text]
    status = re.match(r"^(\d{3})(\s+[A-Za-z][A-Za-z -]*)?$", item)
    if status:
        if answer.status is None:
            return [f"{item!r}: a status, but this is not an HTTP request"]
        reason = status.group(2)
        if answer.status != int(status.group(1)) or (
                reason and http.client.responses.get(answer.status) != reason.strip()):
            return [f"status {answer.status}, the docs say {item}"]
        return []
    header = re.match(r"^([A-Z][A-Za-z0-9-]*):\s+(.+)$", item)
    if header:
        got = answer.headers.get(header.group(1).lower())
        if got is None:
            return [f"no {header.group(1)} header"]
        return [f"{header.group(1)}: {problem}" for problem in
                json_mismatches(header.group(2), got, "header")]
    if item.startswith("{") or item.startswith('"'):
        try:
            expected = parse_doc_json(item if item.startswith("{") else "{" + item + ", " + ELLIPSIS + "}")
        except (ValueError, IndexError) as error:
            return [f"{item!r} is not JSON as the docs write it: {error}"]
        return json_output_problems(expected, answer)
    return [f"{item!r}: not an expectation this test knows (see its header)"]


def json_output_problems(expected, answer):
    if answer.lines is not None:
        attempts = [json_mismatches(expected, line) for line in answer.lines]
        if any(not attempt for attempt in attempts):
            return []
        return ["no line of the answer matches the docs: " + "; ".join(min(attempts, key=len))]
    if answer.json is None:
        return ["the answer is not JSON"]
    return json_mismatches(expected, answer.json)


class DocExamples(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="praxis-docs-")
        self.db = os.path.join(self.tmp.name, "praxis.db")
        self.binary = os.path.abspath(os.environ["PRAXIS_BIN"])
        loaded = subprocess.run([self.binary, "import", "--config", CONFIG, "--db", self.db, DEMO],
                                capture_output=True, text=True, timeout=TIMEOUT, check=False)
        self.assertEqual(loaded.returncode, 0, loaded.stderr)
        self.server = subprocess.Popen(
            [self.binary, "serve", "--config", CONFIG, "--db", self.db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.server.stdout.readline()
        if not line.startswith("listening on http://"):
            self.server.kill()
            self.fail("server did not start: " + line + self.server.stderr.read())
        self.address = urllib.parse.urlsplit(line.split()[-1]).netloc
        self.env = dict(os.environ)

    def tearDown(self):
        self.server.send_signal(signal.SIGTERM)
        status = self.server.wait(timeout=30)
        stderr = self.server.stderr.read()
        self.server.stdout.close()
        self.server.stderr.close()
        self.tmp.cleanup()
        self.assertEqual(status, 0, "server exit: " + stderr)

    def rewrite(self, command):
        command = re.sub(r"(^|(?<=[\s(|]))(build/core/)?praxis(?=\s)", shlex.quote(self.binary), command)
        command = command.replace("var/praxis.db", shlex.quote(self.db))
        command = command.replace("config/praxis.conf", shlex.quote(CONFIG))
        return command.replace("127.0.0.1:8080", self.address)

    def shell(self, command):
        return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=self.tmp.name,
                              env=self.env, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False)

    def curl(self, command):
        """Sends a curl command line's request; the shell expands its words."""
        if has_shell_operator(command):
            raise AssertionError("a curl example with pipes or redirection cannot be checked")
        words = self.shell("printf '%s\\0' " + command[len("curl"):])
        if words.returncode != 0:
            raise AssertionError("the shell could not read the command: " + words.stderr)
        args = words.stdout.split("\0")[:-1]
        method, headers, body, url = None, {}, None, None
        while args:
            arg = args.pop(0)
            if arg in ("-X", "--request"):
                method = args.pop(0)
            elif arg in ("-H", "--header"):
                name, _, value = args.pop(0).partition(":")
                headers[name.strip()] = value.strip()
            elif arg in ("-d", "--data", "--data-raw"):
                body = args.pop(0)
                headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            elif re.fullmatch(r"-[sSi]+", arg):
                continue
            elif arg.startswith("-"):
                raise AssertionError(f"this test does not know curl's {arg}")
            elif url is None:
                url = arg
            else:
                raise AssertionError(f"a second URL: {arg}")
        parsed = urllib.parse.urlsplit(url or "")
        if parsed.netloc != self.address:
            raise AssertionError(f"{url} is not the documented server (127.0.0.1:8080)")
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=TIMEOUT)
        try:
            path = parsed.path + ("?" + parsed.query if parsed.query else "")
            connection.request(method or ("POST" if body is not None else "GET"), path,
                               body=body.encode() if body is not None else None, headers=headers)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
            got = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        return Answer(data, status=response.status, headers=got)

    def run_example(self, example):
        command = self.rewrite(example.command)
        if is_assignment(command):
            name = command.split("=", 1)[0]
            result = self.shell(f"{command} && printf '%s' \"${name}\"")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(result.stdout, f"{name} is empty")
            self.env[name] = result.stdout
            return
        if command.startswith("curl "):
            answer = self.curl(command)
            if example.expect is None or not any(
                    re.match(r"^\d{3}\b", item) for item in split_items(example.expect)):
                self.assertLess(answer.status, 300, answer.describe())
        else:
            result = self.shell(command)
            answer = Answer(result.stdout, exit_code=result.returncode, stderr=result.stderr)
            self.assertEqual(result.returncode, 0, answer.describe())
        problems = []
        for item in split_items(example.expect or ""):
            problems += check_expectation(item, answer)
        if isinstance(example.output, str):
            try:
                expected = parse_doc_json(example.output)
            except (ValueError, IndexError) as error:
                self.fail(f"the json block is not JSON as the docs write it: {error}")
            problems += json_output_problems(expected, answer)
        elif isinstance(example.output, list):
            problems += [f"does not print {line!r}" for line in example.output
                         if line not in answer.text]
        self.assertFalse(problems, "\n".join(problems) + "\n--- it gave " + answer.describe())

    def check_claim(self, claim):
        query = urllib.parse.urlencode({"q": claim.query, "per_page": 100})
        search = self.curl(f"curl 'http://{self.address}/api/practices?{query}'")
        self.assertEqual(search.status, 200, search.describe())
        wanted = claim.text.casefold()
        for result in search.json["results"]:
            practice = self.curl(f"curl 'http://{self.address}/api/practices/{result['id']}'").json
            if any(wanted in str(value).casefold() for value in practice.values()):
                return
        self.fail(f"searching for {claim.query!r} finds no practice with {claim.text!r}: "
                  f"{[result['title'] for result in search.json['results']]}")

    def test_examples_give_what_the_docs_say(self):
        all_problems, count = [], 0
        for doc in DOCS:
            with open(os.path.join(ROOT, doc), encoding="utf-8") as source:
                items, problems = read_examples(doc, source.read())
            all_problems += problems
            for item in items:
                count += 1
                with self.subTest(example=item.where()):
                    if isinstance(item, Claim):
                        self.check_claim(item)
                    elif not item.broken:
                        self.run_example(item)
        self.assertGreater(count, 10)
        self.assertFalse(all_problems, "\n".join(all_problems))


class Convention(unittest.TestCase):
    """The reader of the docs: what breaks the convention is reported, not skipped."""

    def test_a_command_without_expectation_is_reported(self):
        _, problems = read_examples("x.md", "```sh\npraxis search språkcaféer\n```\n")
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("says nothing checkable", problems[0])

    def test_json_blocks_and_curl_need_a_command_block(self):
        _, problems = read_examples("x.md", "text\n\n```json\n{}\n```\n\n```text\ncurl x\n```\n")
        self.assertEqual(len(problems), 2, problems)

    def test_skipped_block_and_continuation(self):
        text = ("<!-- not run: serves forever -->\n```sh\nscripts/run\n```\n\n```sh\n"
                "curl -X POST \\\n  http://127.0.0.1:8080/x   # 201 Created; \"a\": 1\n"
                "TOKEN=$(praxis token create a | tail -1)\n```\n")
        items, problems = read_examples("x.md", text)
        self.assertEqual(problems, [])
        self.assertEqual([item.command for item in items],
                         ["curl -X POST http://127.0.0.1:8080/x", "TOKEN=$(praxis token create a | tail -1)"])
        self.assertEqual(split_items(items[0].expect), ["201 Created", '"a": 1'])

    def test_console_output_and_stray_commands(self):
        text = ("```console\n$ praxis search x\n1 practices\n$ praxis db check\n```\n\n"
                "```\nbuild/core/praxis search y\n```\n")
        items, problems = read_examples("x.md", text)
        self.assertEqual(items[0].output, ["1 practices"])
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("says nothing checkable", problems[0] + problems[1])
        self.assertIn("outside an sh block", problems[0] + problems[1])

    def test_json_with_elisions(self):
        expected = parse_doc_json('{"a": "x-…", "b": {…}, "c": [1, …], …}')
        self.assertEqual(json_mismatches(expected, {"a": "x-1", "b": {}, "c": [1, 2], "d": 0}), [])
        self.assertTrue(json_mismatches(expected, {"a": "y", "b": {}, "c": [1]}))
        self.assertTrue(json_mismatches(parse_doc_json('{"a": 1}'), {"a": 1, "b": 2}))
        self.assertTrue(json_mismatches(parse_doc_json('[1, 2]'), [1, 2, 3]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
