#!/bin/sh
# bench/qdpx.sh — REFI-QDA exchange at scale: a store of about 100 MB of
# transcripts (gen_corpus.py: text shaped like the study's focus groups) with
# a million human codings of three coders, exported with `thema export qdpx`
# and imported with `thema import qdpx` into an empty store; time and peak
# memory of each, beside peers in the same run on the same data: the CSV
# export of the same codings (`thema export codings`), the import of the same
# texts and codings from their own files (`thema import transcript` +
# `thema import codings`), libxml2's streaming schema validation of the same
# project.qde (`xmllint --stream --schema`) and `unzip -p` of the archive.
#
#   sh bench/qdpx.sh                       100 MB, 1,000,000 codings
#   BENCH_QDPX_MB=5 BENCH_QDPX_CODINGS=50000 sh bench/qdpx.sh    (develop small)
#
# Prints a table (also to bench/data/qdpx/results.txt). Builds nothing.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
THEMA=${THEMA:-$ROOT/build/thema}
PYTHON=${PYTHON:-/usr/bin/python3}
MB=${BENCH_QDPX_MB:-100}
N=${BENCH_QDPX_CODINGS:-1000000}
TIME=/usr/bin/time
XSD=$ROOT/tests/fixtures/refi-qda/Project.xsd
DATA=$ROOT/bench/data
CORPUS=$DATA/${MB}mb
WORK=$DATA/qdpx
die() { echo "bench/qdpx: $*" >&2; exit 1; }
[ -x "$THEMA" ] || die "$THEMA missing; run 'make build/thema'"
[ -x "$TIME" ] || die "$TIME missing; run 'sh bench/deps.sh'"
rm -rf "$WORK"
mkdir -p "$WORK"
[ -f "$CORPUS/MANIFEST" ] || "$PYTHON" bench/gen_corpus.py "$MB" "$CORPUS" >&2

# timed NAME cmd...: one run; "NAME wall-seconds cpu-seconds peak-MB" into
# $WORK/times (CPU = user + system: on a shared machine the wall time also
# counts waiting for a core).
timed() {
  _n=$1
  shift
  "$TIME" -o "$WORK/$_n.time" -f '%e %U %S %M' "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err" ||
    { sed -n 1,5p "$WORK/$_n.err" >&2; die "$_n failed"; }
  awk -v n="$_n" '{ printf "%s %.2f %.2f %.0f\n", n, $1, $2 + $3, $4 / 1024 }' "$WORK/$_n.time" \
    >>"$WORK/times"
}

# The coded store, untimed except as a peer: texts, then the codings.
STORE=$WORK/coded.db
"$THEMA" --quiet --db "$STORE" init >/dev/null
timed peer-import-texts "$THEMA" --quiet --db "$STORE" import transcript "$CORPUS/transcripts"
"$THEMA" --db "$STORE" query "SELECT s.name AS source, g.ordinal AS ordinal, g.start AS start,
  g.text AS text FROM segment g JOIN source s ON s.id = g.source_id ORDER BY s.name, g.ordinal" \
  >"$WORK/turns.csv"
sed 1d corpora/leren-om-te-leren/codebook.csv | "$PYTHON" -c '
import csv, sys
for r in csv.reader(sys.stdin):
    print(r[0] if not r[1] else r[1] + "/" + r[0])' >"$WORK/codes.txt"
"$PYTHON" bench/qdpx_codings.py "$WORK/turns.csv" "$WORK/codes.txt" "$N" "$WORK/codings.csv"
timed peer-import-codings "$THEMA" --quiet --db "$STORE" import codings "$WORK/codings.csv"

timed export-qdpx "$THEMA" --quiet --db "$STORE" export qdpx "$WORK/project.qdpx"
timed peer-export-csv "$THEMA" --quiet --db "$STORE" export codings --format csv \
  --output "$WORK/codings-out.csv"
"$THEMA" --quiet --db "$WORK/imported.db" init >/dev/null
timed import-qdpx "$THEMA" --quiet --db "$WORK/imported.db" import qdpx "$WORK/project.qdpx"
timed peer-unzip sh -c "unzip -p '$WORK/project.qdpx' project.qde >'$WORK/project.qde'"
timed peer-xmllint-stream xmllint --noout --stream --schema "$XSD" "$WORK/project.qde"

codings=$("$THEMA" --db "$WORK/imported.db" query "SELECT count(*) FROM coding" | sed 1d)
stored=$("$THEMA" --db "$STORE" query "SELECT count(*) FROM coding" | sed 1d)
text_mb=$(du -sm "$CORPUS/transcripts" | cut -f1)
{
  echo "REFI-QDA exchange: ${text_mb} MB of generated transcripts (shaped like the study's"
  echo "focus groups), $stored codings in the store, $codings after import; $(date -u +%F)"
  printf '%-22s %10s %10s %10s\n' step "wall s" "CPU s" "peak MB"
  awk '{ printf "%-22s %10s %10s %10s\n", $1, $2, $3, $4 }' "$WORK/times"
  echo "ratios of CPU time:"
  awk '{ t[$1] = $3 } END {
    printf "export qdpx / export codings csv:             %.2f x\n", t["export-qdpx"] / t["peer-export-csv"]
    printf "import qdpx / (import texts + import codings): %.2f x\n", t["import-qdpx"] / (t["peer-import-texts"] + t["peer-import-codings"])
    printf "import qdpx / xmllint --stream validation:     %.2f x\n", t["import-qdpx"] / t["peer-xmllint-stream"]
  }' "$WORK/times"
  echo "archive: $(du -m "$WORK/project.qdpx" | cut -f1) MB zipped, project.qde $(du -m "$WORK/project.qde" | cut -f1) MB"
  echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg) (2 cores)"
} | tee "$WORK/results.txt"
