#!/usr/bin/env python3
"""Every text of the web interface and of the subscription mails is translated: each msgid of
the templates ({{_ text}}), of core/web/*.c (px_web_request_gettext/ngettext, and literals
marked N_("...")) and of core/subscriptions/*.c (px_i18n_catalog_gettext/ngettext, N_) has a
non-empty msgstr in every core/i18n/po/LANG.po, and no .po holds a msgid that nothing uses; a
msgid with a printf conversion (%s, %d...) is flagged c-format, so that msgfmt --check holds
its translation to the same conversions (a translation with others would crash the printf it
goes to). Usage: check-po.py SOURCE_ROOT"""
import ast
import glob
import os
import re
import sys

C_CALL = re.compile(r'(?:px_web_request|px_i18n_catalog)_n?gettext\s*\(\s*\w+\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
# N_("text"): a literal marked in C for a later px_web_request_gettext(request, variable)
MARKED = re.compile(r'\bN_\s*\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)')
TEMPLATE = re.compile(r"\{\{_\s+(.*?)\s*\}\}", re.S)
CONVERSION = re.compile(r"%(?:%|[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcsp])")
# texts looked up by value, not by a literal: the HTTP reason phrases of error pages and the
# languages' own names
DYNAMIC = {"LANGUAGE_NAME", "Bad Request", "Forbidden", "Not Found", "Service Unavailable",
           "Too Many Requests", "Unprocessable Entity", "Internal Server Error", "Gone",
           "Conflict"}


def used(root):
    found = set(DYNAMIC)
    for path in glob.glob(os.path.join(root, "core/web/templates/*.html")):
        found.update(TEMPLATE.findall(open(path, encoding="utf-8").read()))
    # the pages' C and the subscription mails' (px_i18n_catalog_gettext/ngettext)
    for path in glob.glob(os.path.join(root, "core/web/*.c")) + glob.glob(
            os.path.join(root, "core/subscriptions/*.c")):
        source = open(path, encoding="utf-8").read()
        for literal in C_CALL.findall(source) + MARKED.findall(source):
            found.add("".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', literal)))
    return found


def conversions(text):
    return [c for c in CONVERSION.findall(text) if c != "%%"]


def catalog(path, flagged=None):
    """msgid -> msgstr (the first form for plurals); the msgids flagged c-format into @flagged."""
    entries, key, field = {}, None, None
    current = {"msgid": "", "msgstr": ""}
    flags = set()

    def finish(entry):
        entries[entry["msgid"]] = entry["msgstr"]
        if entry.get("c-format") and flagged is not None:
            flagged.add(entry["msgid"])

    for line in open(path, encoding="utf-8").read().splitlines() + [""]:
        line = line.strip()
        if line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue

        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d+\])\s+(".*")$', line)
        if match:
            field = match.group(1)
            if field == "msgid" and current.get("seen"):
                finish(current)
                current = {"msgid": "", "msgstr": ""}
            if field == "msgid":
                current["c-format"], flags = "c-format" in flags, set()
            current["seen"] = True
            name = "msgstr" if field in ("msgstr", "msgstr[0]") else field
            current[name] = ast.literal_eval(match.group(2))
            key = name
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line and current.get("seen"):
            finish(current)
            current, key = {"msgid": "", "msgstr": ""}, None
    return entries


def main():
    root = sys.argv[1]
    texts = used(root)
    failures = 0
    for path in sorted(glob.glob(os.path.join(root, "core/i18n/po/*.po"))):
        flagged = set()
        entries = catalog(path, flagged)
        for text in sorted(set(entries) - flagged):
            if conversions(text):
                print(f"{path}: {text!r} has printf conversions but no '#, c-format' flag")
                failures += 1
        for text in sorted(flagged):
            if entries.get(text) and conversions(text) != conversions(entries[text]):
                print(f"{path}: the translation of {text!r} has other conversions")
                failures += 1
        for text in sorted(texts):
            if not entries.get(text):
                print(f"{path}: no translation of {text!r}")
                failures += 1
        for text in sorted(set(entries) - texts - {""}):
            print(f"{path}: {text!r} is translated but used nowhere")
            failures += 1
    print(f"{len(texts)} texts, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
