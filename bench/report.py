#!/usr/bin/env python3
"""report.py — turn bench/run.sh's results.tsv into the one table it prints.

    python3 bench/report.py bench/data/work/results.tsv

Input rows: size, measure, tool, wall seconds (best run), peak RSS KB, bytes
read, segments read, status. See bench/README.md for what each column means.
"""
import os
import platform
import subprocess
import sys

# Targets: (measure, peer tool, largest allowed thema-cost/peer-cost, label).
RATIO_TARGETS = [
    ("deductive", "rg", 1.0, "<=1.00"),           # at least as fast as rg per pattern
    ("deductive", "python", 1 / 20, "<=0.05"),    # at least 20x the Python autocoder
    ("import", "sqlite3", 1 / 0.7, "<=1.43"),     # at least 0.7x the sqlite3 shell
    ("freq_keyness", "python", 1 / 5, "<=0.20"),  # at least 5x a collections.Counter peer
]
MEMORY_TARGET_MB = 200
MEMORY_MEASURES = ("import", "deductive")
# Measures that work on the deductive pass's result: their rows show the deductive
# pass's wall time at the same size beside their own, and the ratio.
BESIDE_DEDUCTIVE = ("agreement",)


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout
        return out.split("\n")[0].strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def fmt(x, spec):
    return "" if x is None else format(x, spec)


def main():
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            size, measure, tool, wall, rss, nbytes, segs, status = line.rstrip("\n").split("\t")
            rows.append(dict(size=int(size), measure=measure, tool=tool, wall=float(wall),
                             peak=int(rss) / 1024, bytes=int(nbytes), segs=int(segs),
                             ok=status == "ok"))
    sizes = sorted({r["size"] for r in rows})
    # size, then measures in the order first run, thema before its peers
    order = []
    for r in rows:
        if r["measure"] not in order:
            order.append(r["measure"])
    rows.sort(key=lambda r: (r["size"], order.index(r["measure"]), r["tool"] != "thema"))
    by = {(r["size"], r["measure"], r["tool"]): r for r in rows}
    for r in rows:
        r["cost"] = r["wall"] / (r["bytes"] / 1e6) if r["ok"] and r["bytes"] else None

    passed = missed = 0
    out = []
    head = ("size", "measure", "tool", "wall_s", "deductive_s", "x_deductive", "MB/s",
            "seg/s", "peak_MB", "cost/MB_x", "peak_x", "thema/peer", "target")
    for r in rows:
        i = sizes.index(r["size"])
        prev = by.get((sizes[i - 1], r["measure"], r["tool"])) if i else None
        growth = peak_x = ratio = None
        if prev and prev.get("cost") and r["cost"]:
            growth = r["cost"] / prev["cost"]
            peak_x = r["peak"] / prev["peak"] if prev["peak"] else None
        target = ""
        if r["tool"] != "thema":
            th = by.get((r["size"], r["measure"], "thema"))
            if th and th["cost"] and r["cost"]:
                ratio = th["cost"] / r["cost"]
            for m, tool, limit, label in RATIO_TARGETS:
                if (m, tool) == (r["measure"], r["tool"]):
                    ok = ratio is not None and ratio <= limit
                    target = "%s %s" % (label, "PASS" if ok else "MISS")
                    passed += ok
                    missed += not ok
        elif r["measure"] in MEMORY_MEASURES:
            ok = r["ok"] and r["peak"] < MEMORY_TARGET_MB
            target = "<%dMB %s" % (MEMORY_TARGET_MB, "PASS" if ok else "MISS")
            passed += ok
            missed += not ok
        ok = r["ok"]
        ded = ded_x = None
        if r["tool"] == "thema" and r["measure"] in BESIDE_DEDUCTIVE and ok:
            d = by.get((r["size"], "deductive", "thema"))
            if d and d["ok"] and d["wall"]:
                ded, ded_x = d["wall"], r["wall"] / d["wall"]
        label = r["tool"]
        th = by.get((r["size"], r["measure"], "thema"))
        if th and r["bytes"] < th["bytes"]:  # a peer that read only part of the corpus
            label += "[%.0fMB]" % (r["bytes"] / 1e6)
        out.append((
            "%dMB" % r["size"], r["measure"], label + ("" if ok else " FAILED"),
            fmt(r["wall"] if ok else None, ".3f"), fmt(ded, ".3f"), fmt(ded_x, ".2f"),
            fmt(r["bytes"] / 1e6 / r["wall"] if ok and r["wall"] else None, ".1f"),
            fmt(r["segs"] / r["wall"] if ok and r["wall"] else None, ".0f"),
            fmt(r["peak"], ".1f"), fmt(growth, ".2f"), fmt(peak_x, ".2f"),
            fmt(ratio, ".3f"), target))

    widths = [max(len(head[c]), *(len(o[c]) for o in out)) for c in range(len(head))]
    left = {0, 1, 2, 12}

    def line(cells):
        return "  ".join(c.ljust(w) if k in left else c.rjust(w)
                         for k, (c, w) in enumerate(zip(cells, widths))).rstrip()

    thema = os.environ.get("THEMA", "build/thema")
    print("thema bench  %s  %s, %d cores  %s  %s  python %s" % (
        version([thema, "--version"]), platform.machine(), os.cpu_count() or 0,
        "sqlite3 " + version(["sqlite3", "--version"]).split(" ")[0],
        version(["rg", "--version"]), platform.python_version()))
    print(line(head))
    print(line(["-" * w for w in widths]))
    prev_size = None
    for o in out:
        if prev_size is not None and o[0] != prev_size:
            print()
        prev_size = o[0]
        print(line(o))
    print("targets: %d PASS, %d MISS  (thema/peer = thema's time per MB over the peer's;"
          " cost/MB_x, peak_x = this size over the previous; see bench/README.md)"
          % (passed, missed))


if __name__ == "__main__":
    main()
