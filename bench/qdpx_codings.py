#!/usr/bin/env python3
"""qdpx_codings.py — a deterministic human codings file for the REFI-QDA benchmark.

    python3 bench/qdpx_codings.py TURNS.csv CODES N OUT.csv [--seed S]

Reads the turns of an imported store (`thema query` CSV with columns source,ordinal,
start,text) and a file of code paths (one a line), and writes N codings `source,segment,code,start,end,
coder` as `thema import codings` reads them: each a span of one to twelve words of its
turn (code points into the source text, which the turn's own offsets give), by one of
three coders, spread evenly over the turns. The same input and seed give the same file.
"""
import argparse
import csv
import random
import sys

SEED = 20181119
CODERS = ["anna", "bert", "chris"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("segments")
    ap.add_argument("codes")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()
    csv.field_size_limit(sys.maxsize)
    codes = [c.strip() for c in open(a.codes, encoding="utf-8") if c.strip()]
    with open(a.segments, encoding="utf-8", newline="") as f:
        turns = [(r["source"], int(r["ordinal"]), int(r["start"]), r["text"])
                 for r in csv.DictReader(f)]
    rng = random.Random(a.seed)
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "segment", "code", "start", "end", "coder"])
        made, t = 0, len(turns)
        for i, (source, ordinal, start, text) in enumerate(turns):
            here = (i + 1) * a.n // t - i * a.n // t
            words = [i for i, ch in enumerate(text) if ch != " " and (i == 0 or text[i - 1] == " ")]
            for _ in range(here):
                made += 1
                k = rng.randrange(len(words)) if words else 0
                b = words[k] if words else 0
                j = min(len(words), k + rng.randint(1, 12))
                e = (words[j] - 1) if j < len(words) else len(text)
                if e <= b:
                    e = len(text)
                w.writerow([source, ordinal, rng.choice(codes), start + b, start + e,
                            rng.choice(CODERS)])
    if made < a.n:
        sys.exit(f"qdpx_codings: only {made} codings fit {len(turns)} turns")


if __name__ == "__main__":
    main()
