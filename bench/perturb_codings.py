#!/usr/bin/env python3
"""perturb_codings.py — a second coder for the agreement benchmark, made from a run's codings.

    python3 bench/perturb_codings.py CODINGS.csv SEGMENTS.csv CODES.csv OUT.csv [--seed N]

Inputs are CSV files as `thema query` prints them (a header row, then rows):
  CODINGS.csv   source,segment,code    the run's codings, one row per coding
  SEGMENTS.csv  source,segment         every segment of the store
  CODES.csv     code                   the code paths the coder may choose from
Writes OUT.csv with the columns source,segment,code, ready for
`thema import codings OUT.csv --coder NAME`.

The perturbation is seeded (default 20261201) and reads its inputs in the order given,
so the same inputs give a byte-identical file. The coder:
  - leaves a share of the sources uncoded (SKIP_SOURCE), so they are missing data for it;
  - in the other sources keeps each (segment, code) decision of the run with probability
    1 - DROP, and adds, to a share ADD of the segments, one code drawn uniformly from
    CODES.csv.
Each kept or added (segment, code) becomes one coding of the whole segment.
"""
import argparse
import csv
import random
import sys

SEED = 20261201
SKIP_SOURCE = 0.10  # share of sources the second coder never codes
DROP = 0.10         # share of the run's (segment, code) decisions it does not repeat
ADD = 0.05          # share of segments it gives a code the run may not have given


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("codings")
    ap.add_argument("segments")
    ap.add_argument("codes")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()

    codes = [r["code"] for r in rows(a.codes)]
    if not codes:
        sys.exit("perturb_codings: %s lists no codes" % a.codes)
    by_segment = {}  # (source, ordinal) -> codes of the run, in file order, once each
    for r in rows(a.codings):
        key = (r["source"], int(r["segment"]))
        seen = by_segment.setdefault(key, [])
        if r["code"] not in seen:
            seen.append(r["code"])

    rng = random.Random(a.seed)
    skipped = {}  # source -> True when the coder leaves it out
    n = 0
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["source", "segment", "code"])
        for r in rows(a.segments):
            source, ordinal = r["source"], int(r["segment"])
            if source not in skipped:
                skipped[source] = rng.random() < SKIP_SOURCE
            if skipped[source]:
                continue
            given = [c for c in by_segment.get((source, ordinal), []) if rng.random() >= DROP]
            if rng.random() < ADD:
                extra = codes[rng.randrange(len(codes))]
                if extra not in given:
                    given.append(extra)
            for code in given:
                out.writerow([source, ordinal, code])
                n += 1
    print("perturb_codings: %s: %d codings in %d of %d sources" % (
        a.out, n, sum(not s for s in skipped.values()), len(skipped)))


if __name__ == "__main__":
    main()
