#!/usr/bin/env python3
"""rg_patterns.py — the codebook's include patterns for the ripgrep peer, one a line.

    python3 bench/rg_patterns.py CODEBOOK.csv > patterns.txt

Each include line becomes one pattern (both sides of an `A NEAR/N B` line
become two), wrapped as a whole word `(?<!\\w)(?:P)(?!\\w)` like thema does
(unless the code's options say `partial`), accent-stripped for `fold` codes,
and prefixed with `(?-i)` for `case` codes (rg runs with -i).
"""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from autocoder import NEAR, strip_accents  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().split("\n\n")[1].strip())
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            opts = [o for o in re.split(r"[ ,]+", row.get("options") or "") if o]
            for line in (row.get("include") or "").splitlines():
                line = line.strip()
                if not line:
                    continue
                m = NEAR.search(line)
                for p in [line[:m.start()].strip(), line[m.end():].strip()] if m else [line]:
                    if "fold" in opts:
                        p = strip_accents(p)
                    if "partial" not in opts:
                        p = r"(?<!\w)(?:%s)(?!\w)" % p
                    if "case" in opts:
                        p = "(?-i)" + p
                    print(p)


if __name__ == "__main__":
    main()
