#!/usr/bin/env python3
"""Check corpora/leren-om-te-leren/codebook.csv (python3, stdlib only).

Structure: exact header, lowercase ascii code names, unique names, parents that
exist and are themes (listed before their codes), themes without patterns,
codes with >=1 include pattern, >=2 match and >=1 nomatch examples, known
options.

Patterns: every include/exclude line is compiled with Python `re` as an
approximation of thema's PCRE2 (UTF + UCP) matching:
  * case-insensitive unless option `case`;
  * wrapped as (?<!\\w)(?:PATTERN)(?!\\w) unless option `partial`;
  * `A NEAR/N B`: A and B both match and at most N words apart, either order
    (distance in word tokens between the end of one match and the start of
    the other; 0 when they overlap);
  * `fold`: pattern and text are NFD-normalised and combining marks dropped;
  * `stem`: Snowball is not in the stdlib, so a pattern line (or NEAR side)
    that is a single plain word becomes `word\\w*` (prefix approximation).
Examples: each `match` line must be coded (some include matches and no
exclude matches); each `nomatch` line must not be.

Usage: check_codebook.py [codebook.csv]    exit 1 on any failure.
"""
import csv
import os
import re
import sys
import unicodedata

HEADER = ["code", "parent", "description", "include", "exclude", "options", "match", "nomatch"]
OPTIONS = {"stem", "fold", "case", "partial"}
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
NEAR_RE = re.compile(r"^(.+?)\s+NEAR/(\d+)\s+(.+)$")
PLAIN_WORD_RE = re.compile(r"^[^\W\d_]+$")
WORD_RE = re.compile(r"\w+")


def fold(text):
    """Drop accents: NFD, remove combining marks, back to NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def lines(cell):
    return [ln.strip() for ln in (cell or "").splitlines() if ln.strip()]


class Pattern:
    """One include/exclude line: a single regex or a NEAR/N pair."""

    def __init__(self, line, options):
        self.line = line
        self.options = options
        m = NEAR_RE.match(line)
        if m:
            self.near = int(m.group(2))
            self.parts = [self._compile(m.group(1)), self._compile(m.group(3))]
        else:
            self.near = None
            self.parts = [self._compile(line)]

    def _compile(self, src):
        src = src.strip()
        if "fold" in self.options:
            src = fold(src)
        if "stem" in self.options and PLAIN_WORD_RE.match(src):
            src = src + r"\w*"
        if "partial" not in self.options:
            src = r"(?<!\w)(?:" + src + r")(?!\w)"
        flags = 0 if "case" in self.options else re.IGNORECASE
        return re.compile(src, flags)

    def search(self, text):
        if self.near is None:
            return self.parts[0].search(text) is not None
        words = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
        spans_a = [word_span(words, m) for m in self.parts[0].finditer(text)]
        spans_b = [word_span(words, m) for m in self.parts[1].finditer(text)]
        for a0, a1 in spans_a:
            for b0, b1 in spans_b:
                if max(0, b0 - a1, a0 - b1) <= self.near:
                    return True
        return False


def word_span(words, m):
    """(first, last) word index covered by regex match m."""
    s, e = m.start(), max(m.end(), m.start() + 1)
    idx = [i for i, (ws, we) in enumerate(words) if we > s and ws < e]
    if not idx:  # match on non-word characters only: use the next word
        nxt = [i for i, (ws, _) in enumerate(words) if ws >= s]
        i = nxt[0] if nxt else len(words)
        return i, i
    return idx[0], idx[-1]


def prepare(text, options):
    text = unicodedata.normalize("NFC", text)
    return fold(text) if "fold" in options else text


def coded(text, includes, excludes, options):
    t = prepare(text, options)
    return any(p.search(t) for p in includes) and not any(p.search(t) for p in excludes)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    path = argv[1] if len(argv) > 1 else os.path.join(here, os.pardir, "codebook.csv")
    passed, failed = 0, 0

    def ok():
        nonlocal passed
        passed += 1

    def fail(code, what, example=None):
        nonlocal failed
        failed += 1
        msg = f"FAIL [{code}] {what}"
        if example is not None:
            msg += f": {example!r}"
        print(msg)

    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    if raw.startswith("\ufeff"):
        fail("-", "file starts with a byte-order mark")
        raw = raw[1:]
    rows = list(csv.reader(raw.splitlines(keepends=True), strict=True))
    if not rows or rows[0] != HEADER:
        fail("-", f"header is {rows[0] if rows else None}, expected {HEADER}")
        print(f"{passed} passed, {failed} failed")
        return 1
    ok()

    seen = {}     # name -> is_theme
    n_themes = n_codes = 0
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            fail(f"row {lineno}", f"has {len(row)} fields, expected {len(HEADER)}")
            continue
        rec = dict(zip(HEADER, row))
        name, parent = rec["code"].strip(), rec["parent"].strip()
        label = name or f"row {lineno}"
        errors = []
        if not NAME_RE.match(name):
            errors.append(f"bad code name {name!r} (lowercase ascii, hyphens)")
        if name in seen:
            errors.append("duplicate code name")
        if not rec["description"].strip():
            errors.append("empty description")
        opts = rec["options"].split()
        bad = [o for o in opts if o not in OPTIONS]
        if bad:
            errors.append(f"unknown options {bad}")
        includes, excludes = lines(rec["include"]), lines(rec["exclude"])
        matches, nomatches = lines(rec["match"]), lines(rec["nomatch"])
        is_theme = parent == ""
        if is_theme:
            n_themes += 1
            if includes:
                errors.append("theme row has include patterns")
        else:
            n_codes += 1
            if parent not in seen:
                errors.append(f"parent {parent!r} not defined above")
            elif not seen[parent]:
                errors.append(f"parent {parent!r} is a code, not a theme")
            if not includes:
                errors.append("no include pattern")
            if len(matches) < 2:
                errors.append(f"{len(matches)} match examples (need >= 2)")
            if len(nomatches) < 1:
                errors.append("no nomatch example")
        seen.setdefault(name, is_theme)
        for e in errors:
            fail(label, e)
        if not errors:
            ok()

        compiled = {"include": [], "exclude": []}
        for kind, pats in (("include", includes), ("exclude", excludes)):
            for line in pats:
                try:
                    compiled[kind].append(Pattern(line, set(opts)))
                except re.error as e:
                    fail(label, f"{kind} pattern does not compile ({e})", line)
        for ex in matches:
            if coded(ex, compiled["include"], compiled["exclude"], set(opts)):
                ok()
            else:
                fail(label, "match example not coded", ex)
        for ex in nomatches:
            if coded(ex, compiled["include"], compiled["exclude"], set(opts)):
                fail(label, "nomatch example coded", ex)
            else:
                ok()

    print(f"{n_themes} themes, {n_codes} codes")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
