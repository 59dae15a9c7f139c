#!/usr/bin/env python3
"""Finds words the workstation shows that can never be translated: string literals in gui/views
that reach a control without _() (or wxPLURAL), and messages in gui/model (wx-free) that the views
show but that are not marked N_() for the catalogue. translations_complete only sees marked
strings; this finds the unmarked ones (issue 12: Dutch screens with English words).

A literal is taken for words a person reads when it has a space or starts with a capital and a
small letter ("Cancel", "choose a reason"). Not reported: literals inside _(), N_(), wxPLURAL(),
wxTRANSLATE(); text for the console or the log (std::cerr, fprintf, the watchdog); and lines
whose statement says `// untranslated: <why>` (product and code-system names, developer messages)."""
import os
import re
import sys

MARKERS = {"_", "N_", "wxPLURAL", "wxTRANSLATE", "wxGetTranslation"}
CONSOLE = re.compile(r"std::cerr|std::cout|fprintf|printf\(|std::clog|BOOST_")


def literals(text):
    """(start, end, value) of each string literal, skipping comments and char literals."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i) + 2
        elif c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif c == '"':
            if i > 0 and text[i - 1] == "R":  # raw strings: not used for words shown
                i = text.find(')"', i) + 2
                continue
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield i, j + 1, text[i + 1 : j]
            i = j + 1
        else:
            i += 1


def enclosing_call(text, pos, spans):
    """The name of the innermost call whose parentheses hold `pos` ('' when none)."""
    depth = 0
    i = pos - 1
    starts = {s: e for s, e in spans}
    ends = {e: s for s, e in spans}
    while i >= 0:
        if i + 1 in ends:  # jump over another literal
            i = ends[i + 1] - 1
            continue
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                m = re.search(r"([A-Za-z_][A-Za-z_0-9:]*)\s*$", text[:i])
                return m.group(1) if m else ""
            depth -= 1
        elif c in ";{}" and depth == 0:
            return ""
        i -= 1
    return ""


def words(value):
    value = re.sub(r"%[-+ 0-9.]*l{0,2}[a-zA-Z]", "", value).replace("\\n", " ")  # printf conversions are not words
    return re.search(r"[A-Za-z]{2,}", value) and (" " in value.strip() or re.match(r"^[A-Z][a-z]", value))


def masked(text, found):
    """The text with every literal's contents blanked: code only, for finding statement bounds."""
    chars = list(text)
    for start, end, _ in found:
        for i in range(start + 1, end - 1):
            if chars[i] != "\n":
                chars[i] = "x"
    return "".join(chars)


def scan(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    found = list(literals(text))
    spans = [(s, e) for s, e, _ in found]
    code = masked(text, found)
    out = []
    for start, end, value in found:
        if not words(value):
            continue
        line_no = text.count("\n", 0, start)
        line = lines[line_no]
        if line.lstrip().startswith("#"):
            continue
        # The statement the literal is in: console output is not shown in the window, and an
        # `// untranslated: why` anywhere in it (or on the literal's line) exempts it.
        stmt_start = max(code.rfind(";", 0, start), code.rfind("{", 0, start), code.rfind("}", 0, start))
        line_end = text.find("\n", start)
        if "untranslated:" in text[stmt_start : line_end if line_end >= 0 else len(text)]:
            continue
        if CONSOLE.search(code[stmt_start:start]):
            continue
        if re.search(r"(==|!=)\s*$", code[:start]) or re.match(r"\s*(==|!=)", code[end:]):  # compared, not shown
            continue
        call = enclosing_call(text, start, spans).split("::")[-1]
        if call in MARKERS:
            continue
        out.append(f"{path}:{line_no + 1}: {value!r} (not marked for translation)")
    return out


KNOWN = "tests/gui/unmarked_strings_known.txt"


def main(root):
    os.chdir(root)
    problems = []
    for folder in ("gui/views", "gui/model"):
        for name in sorted(os.listdir(folder)):
            if name.endswith((".cpp", ".h")):
                problems += scan(os.path.join(folder, name))
    # Strings known to be unmarked (composed messages of the model still to be turned into
    # translatable formats): listed by file and text, not line. The list may only shrink: an
    # entry no longer found must be removed, so a fixed string cannot come back unnoticed.
    known = set()
    for line in open(KNOWN, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            known.add(line.rstrip("\n"))
    key = lambda p: re.sub(r":\d+: ", ": ", p.split(" (not marked")[0])
    seen = {key(p) for p in problems}
    problems = [p for p in problems if key(p) not in known]
    stale = sorted(known - seen)
    for k in stale:
        print(f"{KNOWN}: '{k}' is marked now or gone: remove it from the list")
    for p in problems:
        print(p)
    print(f"{len(known) - len(stale)} known unmarked strings left in {KNOWN}")
    if stale:
        return 1
    if problems:
        print(f"FAILED: {len(problems)} strings the workstation shows are not marked for translation: wrap them in _() "
              "(gui/views) or N_() (gui/model, shown with wxGetTranslation), or say why not with // untranslated:")
        return 1
    print("no unmarked string the workstation shows beyond the known ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
