#!/bin/sh
# bench/run.sh — thema's benchmarks: throughput and peak memory of import,
# the deductive pass, a full-text query, a kwic and the agreement plugin at
# several corpus sizes, against ripgrep, a Python `re` autocoder and the
# sqlite3 shell on the same files. Prints one table (also saved to
# bench/results.txt); see bench/README.md.
#
#   make bench                      build optimised, then this (10 and 100 MB)
#   BENCH_LARGE=1 make bench        adds the 1 GB corpus (takes a while)
#   BENCH_SIZES="10" sh bench/run.sh
#
# Knobs: BENCH_SIZES (MB, default "10 100"), BENCH_LARGE=1 (adds 1000),
# BENCH_ONLY=import (import and its sqlite3 peer only; the table goes to
# bench/results-import.txt),
# BENCH_REPEAT (runs per figure, best wall time kept; default 3 up to 10 MB,
# else 1), BENCH_PY_MAX_MB (the Python peer reads at most this many MB of each
# corpus, default 10; its figures are per MB), BENCH_KEEP=1 (keep the stores
# under bench/data/work/), THEMA (the binary, default build/thema), PYTHON.
#
# Builds nothing: `make bench` builds build/thema first.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
THEMA=${THEMA:-$ROOT/build/thema}
PYTHON=${PYTHON:-python3}
CODEBOOK=$ROOT/corpora/leren-om-te-leren/codebook.csv
DATA=$ROOT/bench/data
WORK=$DATA/work
SIZES=${BENCH_SIZES:-10 100}
[ "${BENCH_LARGE:-0}" = 1 ] && SIZES="$SIZES 1000"
PY_MAX_MB=${BENCH_PY_MAX_MB:-10}
TIME=/usr/bin/time

# ---- the thema measurements after import --------------------------------
# One line each: `step NAME thema-arguments...`. Each runs (with --db and
# --out set) on a fresh copy of the store imported at that size, with the
# cases imported too; stdout goes to a file. Adding a plugin is one line here.
# `step_on coded NAME ...` runs on the coded store instead: the imported one
# after a deductive run, plus a human coder `anna` made from that run
# (prepare_coded below).
thema_steps() {
  step deductive run deductive "codebook=$CODEBOOK"
  step query query "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'overleg'"
  step kwic kwic 'samenwerk\w*'
  step_on coded agreement run agreement coders=plugin:deductive,coder:anna
  step_on coded stats stats --by network
  step_on coded compare run compare by=network coders=plugin:deductive,coder:anna
}

# ---- checks ---------------------------------------------------------------
die() { echo "bench: $*" >&2; exit 1; }
[ -x "$THEMA" ] || die "$THEMA missing; run 'make bench' (it builds first)"
[ -x "$TIME" ] || die "$TIME missing; run 'sh bench/deps.sh'"
for t in rg sqlite3 "$PYTHON"; do
  command -v "$t" >/dev/null || die "$t missing; run 'sh bench/deps.sh'"
done

rm -rf "$WORK"
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: >"$RESULTS"
"$PYTHON" bench/rg_patterns.py "$CODEBOOK" >"$WORK/rg-patterns.txt"

now_ns() { date +%s%N; }

# run_timed DIR NAME cmd...: one timed run; stdout to DIR/NAME.out, stderr to
# DIR/NAME.err; sets WALL (s) and RSS (KB); returns the command's status.
run_timed() {
  _dir=$1 _name=$2
  shift 2
  _t0=$(now_ns)
  set +e
  "$TIME" -o "$_dir/$_name.time" -f '%e %M' "$@" >"$_dir/$_name.out" 2>"$_dir/$_name.err"
  _rc=$?
  set -e
  _t1=$(now_ns)
  WALL=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
  RSS=$(awk 'END { print $NF }' "$_dir/$_name.time")
  return $_rc
}

# record SIZE MEASURE TOOL WALL RSS BYTES SEGMENTS STATUS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# measure MEASURE TOOL PREPARE cmd...: best of $REPEAT runs. PREPARE is a
# shell function run before each run (untimed) to give the run a fresh start;
# it sets RUNDIR. BYTES/SEGS are the input the tool reads (set by the caller).
measure() {
  _m=$1 _tool=$2 _prep=$3
  shift 3
  _best="" _peak=0 _status=ok _i=0
  while [ "$_i" -lt "$REPEAT" ]; do
    _i=$((_i + 1))
    "$_prep"
    if ! run_timed "$RUNDIR" "$_m-$_tool" "$@"; then
      _status=FAIL
      echo "bench: $SIZE MB $_m/$_tool failed; see $RUNDIR/$_m-$_tool.err" >&2
      sed -n '1,5p' "$RUNDIR/$_m-$_tool.err" >&2
      break
    fi
    [ -s "$RUNDIR/$_m-$_tool.err" ] &&
      echo "bench: warning: $_m/$_tool wrote to stderr; see $RUNDIR/$_m-$_tool.err" >&2
    if [ -z "$_best" ] || awk -v a="$WALL" -v b="$_best" 'BEGIN { exit !(a < b) }'; then
      _best=$WALL
    fi
    [ "$RSS" -gt "$_peak" ] && _peak=$RSS
  done
  record "$SIZE" "$_m" "$_tool" "${_best:-0}" "$_peak" "$BYTES" "$SEGS" "$_status"
  printf '  %-10s %-8s %8.3f s %7d MB peak\n' "$_m" "$_tool" "${_best:-0}" \
    $((_peak / 1024)) >&2
}

# Fresh starting points for a run.
fresh_empty() { RUNDIR=$SIZEWORK/$CUR; rm -rf "$RUNDIR"; mkdir -p "$RUNDIR"; }
fresh_store() {
  fresh_empty
  cp "$SIZEWORK/base/thema.db" "$RUNDIR/thema.db"
}
no_prepare() { RUNDIR=$SIZEWORK/$CUR; mkdir -p "$RUNDIR"; }

manifest() { sed -n "s/^$1=//p" "$CORPUS/MANIFEST"; }

fresh_coded() {
  fresh_empty
  cp "$SIZEWORK/coded/thema.db" "$RUNDIR/thema.db"
}

# A thema step: fresh copy of a store (STORE: base or coded), then
# `thema --db --out ARGS`.
step_on() {
  _store=$1 CUR=$2
  shift 2
  _fresh=fresh_store
  [ "$_store" = coded ] && _fresh=fresh_coded
  measure "$CUR" thema "$_fresh" "$THEMA" --quiet --db "$SIZEWORK/$CUR/thema.db" \
    --out "$SIZEWORK/$CUR/out" "$@"
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$SIZEWORK/$CUR/thema.db" "$SIZEWORK/$CUR/thema.db-wal" \
    "$SIZEWORK/$CUR/thema.db-shm"
}
step() { step_on base "$@"; }

# The coded store (untimed): the base store after a deductive run, plus the
# codings of a second coder, `anna`, that bench/perturb_codings.py makes from
# the run's codings with a seeded perturbation (it leaves some sources
# uncoded, drops some of the run's codes and adds others), imported with
# `thema import codings`. The same corpus gives the same file every time.
prepare_coded() {
  _c=$SIZEWORK/coded
  rm -rf "$_c"
  mkdir -p "$_c"
  cp "$SIZEWORK/base/thema.db" "$_c/thema.db"
  "$THEMA" --quiet --db "$_c/thema.db" --out "$_c/out" run deductive "codebook=$CODEBOOK" \
    >/dev/null
  "$THEMA" --db "$_c/thema.db" query "SELECT s.name AS source, g.ordinal AS segment,
    c.path AS code FROM coding k JOIN segment g ON g.id = k.segment_id
    JOIN source s ON s.id = g.source_id JOIN code c ON c.id = k.code_id
    WHERE k.run_id IS NOT NULL ORDER BY s.name, g.ordinal, k.start, k.end, c.path, k.id" \
    >"$_c/codings.csv"
  "$THEMA" --db "$_c/thema.db" query "SELECT s.name AS source, g.ordinal AS segment
    FROM segment g JOIN source s ON s.id = g.source_id ORDER BY s.name, g.ordinal" \
    >"$_c/segments.csv"
  "$THEMA" --db "$_c/thema.db" query "SELECT path AS code FROM code
    WHERE parent_id IS NOT NULL ORDER BY path" >"$_c/codes.csv"
  "$PYTHON" bench/perturb_codings.py "$_c/codings.csv" "$_c/segments.csv" "$_c/codes.csv" \
    "$_c/anna.csv" >&2
  "$THEMA" --quiet --db "$_c/thema.db" import codings "$_c/anna.csv" --coder anna >/dev/null
  rm -f "$_c/codings.csv" "$_c/segments.csv"
}

# The sqlite3 peer of import: the generator's segments CSV into a table, then
# into an FTS5 table with thema's tokenizer; the whole shell run is timed.
sqlite_script() {
  cat <<EOF
CREATE TABLE seg(source TEXT, ordinal INTEGER, speaker TEXT, text TEXT);
.import --csv --skip 1 $CORPUS/segments.csv seg
CREATE VIRTUAL TABLE f USING fts5(text, tokenize='unicode61 remove_diacritics 2');
INSERT INTO f(rowid, text) SELECT rowid, text FROM seg;
EOF
}

for SIZE in $SIZES; do
  CORPUS=$DATA/${SIZE}mb
  SIZEWORK=$WORK/${SIZE}mb
  if [ ! -f "$CORPUS/MANIFEST" ]; then
    echo "bench: generating the $SIZE MB corpus in $CORPUS" >&2
    rm -rf "$CORPUS"
    "$PYTHON" bench/gen_corpus.py "$SIZE" "$CORPUS" >&2
  fi
  mkdir -p "$SIZEWORK"
  REPEAT=${BENCH_REPEAT:-$([ "$SIZE" -le 10 ] && echo 3 || echo 1)}
  BYTES=$(manifest bytes)
  SEGS=$(manifest segments)
  echo "bench: $SIZE MB: $BYTES bytes, $(manifest files) files, $SEGS segments" >&2
  cat "$CORPUS"/transcripts/*.txt "$CORPUS/segments.csv" >/dev/null # warm the page cache

  # import: thema, then the sqlite3 shell
  CUR=import
  measure import thema fresh_empty "$THEMA" --quiet --db "$SIZEWORK/import/thema.db" \
    import transcript "$CORPUS/transcripts"
  rm -rf "$SIZEWORK/base"
  mv "$SIZEWORK/import" "$SIZEWORK/base"
  "$THEMA" --quiet --db "$SIZEWORK/base/thema.db" import cases \
    "$CORPUS/organisations.csv" "$CORPUS/cases.csv" >/dev/null
  CUR=sqlite3
  sqlite_script >"$SIZEWORK/sqlite3.sql"
  measure import sqlite3 fresh_empty sh -c 'sqlite3 "$1" <"$2"' sh \
    "$SIZEWORK/sqlite3/f.db" "$SIZEWORK/sqlite3.sql"
  rm -rf "$SIZEWORK/sqlite3"
  [ "${BENCH_ONLY:-}" = import ] && { rm -rf "$SIZEWORK/base"; continue; }

  # deductive, query, kwic, agreement and any further plugins: thema
  prepare_coded
  thema_steps
  # the inductive pass against scikit-learn + gensim on the same segments
  THEMA=$THEMA sh bench/inductive_race.sh "$SIZEWORK/coded/thema.db" "$SIZE" \
    "$SIZEWORK/inductive" | tee -a "$WORK/inductive.txt" >&2

  # deductive peers: ripgrep, one pass per pattern on both cores; Python re
  CUR=rg
  measure deductive rg no_prepare sh -c \
    'xargs -d "\n" -P 2 -I{} rg -P -c -i -u -j 1 -e {} "$1" <"$2"; [ $? -le 123 ]' sh \
    "$CORPUS/transcripts" "$WORK/rg-patterns.txt"
  CUR=python
  REPEAT_SAVED=$REPEAT
  REPEAT=1 # slow and steady: one run
  measure deductive python no_prepare "$PYTHON" bench/autocoder.py "$CODEBOOK" \
    "$CORPUS/transcripts" --max-bytes $((PY_MAX_MB * 1000000))
  REPEAT=$REPEAT_SAVED
  # the Python peer may stop early: rewrite its row with what it read
  pyout=$SIZEWORK/python/deductive-python.out
  if [ -s "$pyout" ]; then
    pb=$(sed -n '1s/.*bytes=\([0-9]*\).*/\1/p' "$pyout")
    ps=$(sed -n '1s/.*segments=\([0-9]*\).*/\1/p' "$pyout")
    awk -F '\t' -v OFS='\t' -v s="$SIZE" -v b="$pb" -v n="$ps" \
      '$1 == s && $2 == "deductive" && $3 == "python" { $6 = b; $7 = n } { print }' \
      "$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
  fi
  # freq + keyness: thema's two commands against the plain Counter peer
  # (bench/freq_keyness.py) on the same turns; one network against the rest
  CUR=freq_keyness
  fk_net=$(sed -n 's/^network: \(..*\)/\1/p' "$CORPUS"/transcripts/*.txt | sort | head -1)
  measure freq_keyness thema no_prepare sh -c \
    '"$1" --db "$2" freq --limit 0 --format csv >"$3.freq" &&
     "$1" --db "$2" keyness --by source.network --group "$4" --limit 0 --format csv >"$3.key"' \
    sh "$THEMA" "$SIZEWORK/base/thema.db" "$SIZEWORK/fk" "$fk_net"
  measure freq_keyness python no_prepare "$PYTHON" bench/freq_keyness.py "$CORPUS" "$fk_net"
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$SIZEWORK/base" "$SIZEWORK/coded"
done

# A partial run (BENCH_ONLY) does not replace the full table.
"$PYTHON" bench/report.py "$RESULTS" | tee "$ROOT/bench/results${BENCH_ONLY:+-$BENCH_ONLY}.txt"

# REFI-QDA exchange at 100 MB with a million codings (bench/qdpx.sh has its
# own table); BENCH_QDPX=0 leaves it out.
if [ "${BENCH_QDPX:-1}" = 1 ]; then
  sh bench/qdpx.sh | tee -a "$ROOT/bench/results.txt"
fi

# the inductive race prints ratios of its own (bench/inductive_race.sh)
if [ -s "$WORK/inductive.txt" ]; then
  tee -a "$ROOT/bench/results${BENCH_ONLY:+-$BENCH_ONLY}.txt" <"$WORK/inductive.txt"
fi
# import of each file format against plain text of the same words (bench/formats.sh)
THEMA=$THEMA sh bench/formats.sh
