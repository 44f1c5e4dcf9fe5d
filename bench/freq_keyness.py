#!/usr/bin/env python3
"""freq_keyness.py — the plain-Python peer of `thema freq` + `thema keyness`.

    python3 bench/freq_keyness.py CORPUS_DIR GROUP

Reads CORPUS_DIR/segments.csv (the turns exactly as thema stores them) and the
front matter `network:` of each CORPUS_DIR/transcripts/*.txt, then does what
the two thema commands of bench/run.sh do, the straightforward way: a regular
expression for words (letters, digits, an apostrophe or hyphen inside),
lower(), the Snowball Dutch stop words and thema's Dutch fillers left out
(read from core/text/wordlists/), numbers left out, collections.Counter
overall and per network; then G2 with its sign, log-ratio and p of every term
in GROUP against the rest (min 3 occurrences), sorted like thema. Prints the
number of distinct terms, the top term and the top keyness term, so a run
can be checked against thema's output.
"""
import collections
import csv
import math
import os
import re
import sys

WORD = re.compile(r"[^\W\d_][\w]*(?:['\u2019-][\w]+)*|\d[\w]*(?:[.,-]\d[\w]*)*")


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return {w.strip() for w in f if w.strip() and not w.startswith("#")}


def g2(a, b, n1, n2):
    cells = [(a, n1, a + b), (b, n2, a + b), (n1 - a, n1, n1 + n2 - a - b),
             (n2 - b, n2, n1 + n2 - a - b)]
    n = n1 + n2
    s = 0.0
    for o, row, col in cells:
        if o > 0:
            s += o * math.log(o / (row * col / n))
    return 2 * s


def main():
    corpus, group = sys.argv[1], sys.argv[2]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    lists = os.path.join(root, "core", "text", "wordlists")
    leave = read_list(os.path.join(lists, "stop_dutch.txt")) | read_list(
        os.path.join(lists, "fillers_dutch.txt"))
    network = {}
    tdir = os.path.join(corpus, "transcripts")
    for name in os.listdir(tdir):
        with open(os.path.join(tdir, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("network:"):
                    network[name[:-4]] = line.split(":", 1)[1].strip()
                    break
    total = collections.Counter()
    by = collections.defaultdict(collections.Counter)
    csv.field_size_limit(1 << 30)
    with open(os.path.join(corpus, "segments.csv"), encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for source, _ordinal, _speaker, text in rows:
            words = [w for w in WORD.findall(text.lower().replace("\u2019", "'"))
                     if w not in leave and not w[0].isdigit()]
            total.update(words)
            by[network.get(source)].update(words)
    freq = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    target = by[group]
    n1 = sum(target.values())
    n2 = sum(total.values()) - n1
    keyness = []
    for term, count in total.items():
        if count < 3:
            continue
        a = target.get(term, 0)
        b = count - a
        g = g2(a, b, n1, n2)
        if a * n2 < b * n1:
            g = -g
        lr = math.log2((max(a, 0.5) / n1) / (max(b, 0.5) / n2))
        p = math.erfc(math.sqrt(abs(g) / 2))
        keyness.append((-g, term, a, b, lr, p))
    keyness.sort()
    print("terms=%d top=%s:%d key=%s:%.3f" % (len(freq), freq[0][0], freq[0][1],
                                              keyness[0][1], -keyness[0][0]))


if __name__ == "__main__":
    main()
