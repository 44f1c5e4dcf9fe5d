#!/usr/bin/env python3
"""autocoder.py — the Python `re` peer of `thema run deductive`.

    python3 bench/autocoder.py CODEBOOK.csv DIR|FILE... [--max-bytes N] [--spans FILE]

Does what QualCoder-style auto-coding tools do: parse each transcript into
turns, then apply every pattern of the codebook to every turn's text with
Python's `re`, recording each coded span (code, source, turn, start, end in
code points within the turn). It follows thema's matching rules (docs/plugins.md)
so that its counts can be compared with thema's: each pattern wrapped as a
whole word `(?<!\\w)(?:P)(?!\\w)` (unless `partial`), case-insensitive (unless
`case`), `fold` matching accent-stripped text, `A NEAR/N B` with at most N words
between A and B, an exclude match vetoing the code for that turn, overlapping
spans of a code merged, and the interviewer (I) not coded. `stem` rules are
approximated by the word as a prefix (Python has no Dutch Snowball stemmer).
There is no prefilter: every pattern is tried on every turn.

--max-bytes N stops after the first file that reaches N bytes of input (the
harness uses it to keep the run short at large sizes); the bytes and turns
actually read are printed on stdout as 'bytes=.. segments=.. codings=..'.
"""
import argparse
import bisect
import csv
import os
import re
import sys
import unicodedata

LABEL = re.compile(
    r"(?:\[\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?\]|#\d{1,2}:\d{2}:\d{2}(?:[.,-]\d+)?#)?[ \t]*"
    r"([^\W\d_][\w.'\u2019-]*(?:[ \t]+(?:[^\W\d_][\w.'\u2019-]*|\([^()\n]{1,40}\))){0,4})"
    r"[ \t]*:(?=\s|$)")
WORD = re.compile(r"[^\W_](?:[^\W_]|['\u2019](?=[^\W_]))*")
NEAR = re.compile(r" NEAR/(\d+) ")


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


class Term:
    def __init__(self, pattern, options):
        self.fold = "fold" in options
        p = strip_accents(pattern) if self.fold else pattern
        if "stem" in options and re.fullmatch(r"[^\W\d_]+", p):
            p = p + r"\w*"
        if "partial" not in options:
            p = r"(?<!\w)(?:%s)(?!\w)" % p
        self.rx = re.compile(p, 0 if "case" in options else re.IGNORECASE)

    def spans(self, turn):
        if self.fold:
            text, cmap = turn.stripped()
            return [(cmap[m.start()], cmap[m.end()]) for m in self.rx.finditer(text)]
        return [m.span() for m in self.rx.finditer(turn.text)]


class Rule:
    def __init__(self, line, options):
        m = NEAR.search(line)
        self.near = None
        if m:
            self.a = Term(line[:m.start()].strip(), options)
            self.b = Term(line[m.end():].strip(), options)
            self.near = int(m.group(1))
        else:
            self.a = Term(line, options)

    def spans(self, turn):
        a = self.a.spans(turn)
        if self.near is None or not a:
            return a
        b = self.b.spans(turn)
        out = []
        if not b:
            return out
        starts = turn.word_starts()
        ends = turn.word_ends()
        for x in a:
            for y in b:
                first, second = (x, y) if x[0] <= y[0] else (y, x)
                if second[0] < first[1]:
                    continue
                # words entirely within [first.end, second.start]
                lo = bisect.bisect_left(starts, first[1])
                hi = bisect.bisect_right(ends, second[0])
                if max(0, hi - lo) <= self.near:
                    out.append((first[0], max(first[1], second[1])))
        return out


class Turn:
    __slots__ = ("text", "_stripped", "_words")

    def __init__(self, text):
        self.text = text
        self._stripped = None
        self._words = None

    def stripped(self):
        if self._stripped is None:
            chars, cmap = [], []
            for i, c in enumerate(self.text):
                for d in unicodedata.normalize("NFD", c):
                    if not unicodedata.combining(d):
                        chars.append(d)
                        cmap.append(i)
            cmap.append(len(self.text))
            self._stripped = ("".join(chars), cmap)
        return self._stripped

    def _scan(self):
        if self._words is None:
            ws = [m.span() for m in WORD.finditer(self.text)]
            self._words = ([s for s, _ in ws], [e for _, e in ws])
        return self._words

    def word_starts(self):
        return self._scan()[0]

    def word_ends(self):
        return self._scan()[1]


def load_codebook(path):
    codes = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            options = [o for o in re.split(r"[ ,]+", row.get("options") or "") if o]
            inc = [Rule(l.strip(), options) for l in (row.get("include") or "").splitlines() if l.strip()]
            exc = [Rule(l.strip(), options) for l in (row.get("exclude") or "").splitlines() if l.strip()]
            if inc:
                path_ = row["code"] if not row.get("parent") else row["parent"] + "/" + row["code"]
                codes.append((path_, inc, exc))
    return codes


def turns_of(path):
    """(label, text) per turn, as thema's plain-transcript importer reads them."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read().replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            text = text[end + 5:]
    label, parts = None, []
    for line in text.split("\n"):
        m = LABEL.match(line)
        if m and line.strip():
            if label is not None:
                yield label, " ".join(parts) if len(parts) > 1 else (parts[0] if parts else "")
            label, parts = m.group(1).strip(), [line[m.end():].strip()]
        elif line.strip() and label is not None:
            parts.append(line.strip())
    if label is not None:
        yield label, " ".join(parts) if len(parts) > 1 else (parts[0] if parts else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("codebook")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--max-bytes", type=int, default=0)
    ap.add_argument("--spans", help="write the coded spans as CSV to this file")
    ap.add_argument("--exclude-speaker", action="append", default=None)
    a = ap.parse_args()
    skip = set(a.exclude_speaker if a.exclude_speaker is not None else ["I"])
    codes = load_codebook(a.codebook)
    files = []
    for p in a.inputs:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, n) for n in os.listdir(p) if n.endswith(".txt"))
        else:
            files.append(p)
    spans_out = csv.writer(open(a.spans, "w", newline="", encoding="utf-8")) if a.spans else None
    nbytes = nseg = ncod = 0
    per_code = {c[0]: 0 for c in codes}
    for path in files:
        if a.max_bytes and nbytes >= a.max_bytes:
            break
        nbytes += os.path.getsize(path)
        source = os.path.splitext(os.path.basename(path))[0]
        for ordinal, (label, text) in enumerate(turns_of(path), 1):
            nseg += 1
            if label in skip:
                continue
            turn = Turn(text)
            for code, inc, exc in codes:
                if any(r.spans(turn) for r in exc):
                    continue
                spans = sorted(s for r in inc for s in r.spans(turn))
                merged = []
                for s in spans:
                    if merged and s[0] < merged[-1][1]:
                        if s[1] > merged[-1][1]:
                            merged[-1] = (merged[-1][0], s[1])
                    else:
                        merged.append(s)
                ncod += len(merged)
                per_code[code] += len(merged)
                if spans_out:
                    for b, e in merged:
                        spans_out.writerow([source, ordinal, code, b, e])
    print("bytes=%d segments=%d codings=%d" % (nbytes, nseg, ncod))
    for code in sorted(per_code):
        print("  %-48s %5d" % (code, per_code[code]))


if __name__ == "__main__":
    main()
