#!/bin/sh
# bench/formats.sh — import throughput and peak memory of every format thema
# reads, against a plain-text import of the same words: one generated
# interview (bench/gen_formats.py: seeded words, interview-shaped turns, a
# heading every 40 turns) written as .txt, .md, .docx, .odt, windows-1252
# .html, .pdf, TEI .xml and ParlaMint text + -meta.tsv, each imported into a
# fresh store (best wall time of BENCH_REPEAT runs, peak RSS by
# /usr/bin/time). Prints a table (also bench/formats-results.txt).
#
#   sh bench/formats.sh                 (after make build/thema)
#   BENCH_FORMAT_MB=20 sh bench/formats.sh
#
# Knobs: BENCH_FORMAT_MB (MB of plain text, default 5), BENCH_REPEAT (default 3),
# THEMA (default build/thema).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
THEMA=${THEMA:-$ROOT/build/thema}
MB=${BENCH_FORMAT_MB:-5}
REPEAT=${BENCH_REPEAT:-3}
DATA=$ROOT/bench/data/formats-${MB}mb
WORK=$ROOT/bench/data/work/formats
TIME=/usr/bin/time
[ -x "$THEMA" ] || { echo "bench: $THEMA missing; run 'make build/thema'" >&2; exit 1; }
[ -x "$TIME" ] || { echo "bench: $TIME missing; run 'sh bench/deps.sh'" >&2; exit 1; }
if [ ! -f "$DATA/MANIFEST" ]; then
  echo "bench: generating the $MB MB interview in $DATA" >&2
  /usr/bin/python3 bench/gen_formats.py "$MB" "$DATA"
fi
WORDS=$(sed -n 's/^words=//p' "$DATA/MANIFEST")
rm -rf "$WORK"
mkdir -p "$WORK"
OUT=$ROOT/bench/formats-results.txt

# one LABEL KIND FILE: best wall time and peak RSS of importing FILE as KIND.
one() {
  label=$1 kind=$2 file=$3 best="" peak=0 i=0
  while [ "$i" -lt "$REPEAT" ]; do
    i=$((i + 1))
    rm -f "$WORK/t.db" "$WORK/t.db-wal" "$WORK/t.db-shm"
    "$TIME" -o "$WORK/time" -f '%e %M' "$THEMA" --quiet --db "$WORK/t.db" import "$kind" \
      "$file" >"$WORK/out" 2>"$WORK/err" || { echo "bench: $label failed:" >&2; cat "$WORK/err" >&2; exit 1; }
    read -r wall rss <"$WORK/time"
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  segs=$("$THEMA" --db "$WORK/t.db" query "SELECT count(*) FROM segment" | sed 1d)
  bytes=$(wc -c <"$file")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$kind" "$bytes" "$segs" "$best" "$peak" >>"$WORK/rows"
}

: >"$WORK/rows"
one txt transcript "$DATA/interview.txt"
one md document "$DATA/interview.md"
one docx transcript "$DATA/interview.docx"
one docx document "$DATA/interview.docx"
one odt document "$DATA/interview.odt"
one html document "$DATA/interview.html"
one pdf document "$DATA/interview.pdf"
one tei transcript "$DATA/interview.xml"
one parlamint parlamint "$DATA/parlamint.txt"

{
  echo "formats: $WORDS words of generated interview text (not real minutes), best of $REPEAT"
  printf '%-10s %-10s %10s %8s %8s %9s %8s %8s %8s\n' format kind "file MB" segments "wall s" \
    "Mwords/s" "peak MB" "x txt t" "x txt mem"
  awk -F'\t' -v words="$WORDS" '
    NR == 1 { t0 = $5; m0 = $6 }
    { printf "%-10s %-10s %10.2f %8d %8.3f %9.2f %8.1f %8.2f %8.2f\n", $1, $2, $3 / 1e6, $4, $5,
        ($5 > 0 ? words / $5 / 1e6 : 0), $6 / 1024, ($5 > 0 && t0 > 0 ? $5 / t0 : 0), $6 / m0 }' \
    "$WORK/rows"
} | tee "$OUT"
