#!/usr/bin/env python3
"""gen_corpus.py — a deterministic synthetic transcript corpus for the benchmarks.

    python3 bench/gen_corpus.py MB OUTDIR [--study DIR] [--seed N]

Writes into OUTDIR:
  transcripts/bench-NNNNN.txt  focus-group transcripts of about 200 KB each, with
                               front matter and 'R3.5: text' / 'I: text' turns,
                               MB * 1,000,000 bytes in all (within one turn)
  cases.csv                    source,speaker,person,organisation,role for every speaker
  organisations.csv            the shipped study's organisation,network table
  segments.csv                 source,ordinal,speaker,text: the turns exactly as thema
                               stores them (for the sqlite3 .import peer)
  MANIFEST                     bytes, files, segments, seed (read by run.sh)

The text comes from a word-bigram model trained on the shipped study's
transcripts, and turn lengths (in words) are drawn from the study's own turns,
so pattern hit rates and segment sizes resemble real material. The same seed
and MB give byte-identical output (no hash-ordered containers are iterated).
"""
import argparse
import csv
import os
import random
import re
import sys

SEED = 20181119
FILE_BYTES = 200_000
LABEL = re.compile(r"^([A-Z][\w.]*(?: \([^()\n]{1,40}\))?):[ \t]+(.*)$")
ROLES = ["integratieambtenaar", "diensthoofd", "beleidsmedewerker", "consulent",
         "stafmedewerker", "coordinator"]
INTERVIEWER_SHARE = 0.08  # share of turns by the interviewer (I:)


def read_study(study):
    """Turns of the shipped transcripts: (label, text) in file order."""
    tdir = os.path.join(study, "transcripts")
    turns = []
    for name in sorted(os.listdir(tdir)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(tdir, name), encoding="utf-8") as f:
            text = f.read().replace("\r\n", "\n")
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            text = text[end + 5:] if end >= 0 else text
        cur = None
        for line in text.split("\n"):
            m = LABEL.match(line)
            if m:
                cur = [m.group(1), m.group(2).strip()]
                turns.append(cur)
            elif line.strip() and cur:
                cur[1] += " " + line.strip()
    return turns


def read_networks(study):
    """network -> its organisations, in file order."""
    nets = {}
    with open(os.path.join(study, "organisations.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            nets.setdefault(row["network"], [])
            if row["organisation"] not in nets[row["network"]]:
                nets[row["network"]].append(row["organisation"])
    return nets


class Bigram:
    """Word-bigram model over whitespace tokens (punctuation stays on its word)."""

    def __init__(self, texts):
        self.succ = {}
        self.starts = []
        for t in texts:
            toks = t.split()
            if not toks:
                continue
            self.starts.append(toks[0])
            for a, b in zip(toks, toks[1:]):
                self.succ.setdefault(a, []).append(b)
        # A token seen only at the end of a turn restarts the chain.
        self.all = [tok for t in texts for tok in t.split()]

    def words(self, rng, n):
        out = [rng.choice(self.starts)]
        while len(out) < n:
            nxt = self.succ.get(out[-1])
            out.append(rng.choice(nxt) if nxt else rng.choice(self.starts))
        last = out[-1]
        if last[-1] not in ".?!…":
            out[-1] = last.rstrip(",;:") + "."
        return " ".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mb", type=float, help="corpus size in MB (10^6 bytes)")
    ap.add_argument("outdir")
    ap.add_argument("--study", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "corpora", "leren-om-te-leren"))
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()

    turns = read_study(a.study)
    if not turns:
        sys.exit("gen_corpus: no turns in %s/transcripts" % a.study)
    resp = [t for l, t in turns if l != "I"]
    intv = [t for l, t in turns if l == "I"] or resp
    model = Bigram([t for _, t in turns])
    resp_len = [len(t.split()) for t in resp]
    intv_len = [len(t.split()) for t in intv]
    nets = read_networks(a.study)
    net_names = list(nets)

    rng = random.Random(a.seed)
    target = int(a.mb * 1_000_000)
    tdir = os.path.join(a.outdir, "transcripts")
    os.makedirs(tdir, exist_ok=True)
    total = files = segments = 0
    with open(os.path.join(a.outdir, "cases.csv"), "w", encoding="utf-8", newline="") as cf, \
         open(os.path.join(a.outdir, "segments.csv"), "w", encoding="utf-8", newline="") as sf:
        cases = csv.writer(cf, lineterminator="\n")
        segs = csv.writer(sf, lineterminator="\n")
        cases.writerow(["source", "speaker", "person", "organisation", "role"])
        segs.writerow(["source", "ordinal", "speaker", "text"])
        while total < target:
            files += 1
            name = "bench-%05d" % files
            net = net_names[(files - 1) % len(net_names)]
            orgs = nets[net]
            nspk = rng.randint(3, 13)
            labels = ["R%d.%d" % (files, k) for k in range(1, nspk + 1)]
            parts = ["---\ntitle: Focusgroep %s %d\nkind: focusgroup\nnetwork: %s\n---\n"
                     % (net, files, net)]
            size = len(parts[0].encode("utf-8"))
            ordinal = 0
            used = []
            while size < FILE_BYTES and total + size < target:
                if ordinal and rng.random() < INTERVIEWER_SHARE:
                    label, text = "I", model.words(rng, rng.choice(intv_len))
                else:
                    label = rng.choice(labels)
                    text = model.words(rng, max(1, rng.choice(resp_len)))
                if label not in used:
                    used.append(label)
                ordinal += 1
                turn = "\n%s: %s\n" % (label, text)
                parts.append(turn)
                size += len(turn.encode("utf-8"))
                segs.writerow([name, ordinal, label, text])
            with open(os.path.join(tdir, name + ".txt"), "w", encoding="utf-8", newline="") as f:
                f.write("".join(parts))
            for label in sorted(used):
                if label == "I":
                    cases.writerow([name, "I", "BENCH-I", "", "interviewer"])
                else:
                    k = int(label.split(".")[1])
                    cases.writerow([name, label, "BENCH-%d-%d" % (files, k),
                                    orgs[(files + k) % len(orgs)], ROLES[k % len(ROLES)]])
            total += size
            segments += ordinal
    with open(os.path.join(a.study, "organisations.csv"), encoding="utf-8") as src, \
         open(os.path.join(a.outdir, "organisations.csv"), "w", encoding="utf-8") as dst:
        dst.write(src.read())
    with open(os.path.join(a.outdir, "MANIFEST"), "w") as f:
        f.write("bytes=%d\nfiles=%d\nsegments=%d\nseed=%d\n" % (total, files, segments, a.seed))
    print("gen_corpus: %s: %d bytes, %d files, %d segments" % (a.outdir, total, files, segments))


if __name__ == "__main__":
    main()
