#!/bin/sh
# bench/inductive_race.sh — the inductive pass against scikit-learn on the
# same segments: `thema run inductive` (tokenise, vectorise, themes with
# stability, codes and codings, review against the deductive codes) timed
# with GNU time, then scikit-learn's TfidfVectorizer + NMF on the segments
# the pass selected (exported by an untimed run), and gensim's NPMI of both
# theme sets. Prints ratios.
#
#   sh bench/inductive_race.sh STORE SIZE WORKDIR
#
# STORE is a store with the corpus imported and coded deductively (run.sh's
# coded store; it is copied, never changed). Knobs: INDUCTIVE_K (20),
# INDUCTIVE_MIN_DF (5), INDUCTIVE_STABILITY (refits, 3), INDUCTIVE_STEM (true).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
THEMA=${THEMA:-$ROOT/build/thema}
STORE=$1 SIZE=$2 W=$3
K=${INDUCTIVE_K:-20} MIN_DF=${INDUCTIVE_MIN_DF:-5} S=${INDUCTIVE_STABILITY:-3}
STEM=${INDUCTIVE_STEM:-true}
mkdir -p "$W"
cp "$STORE" "$W/race.db"
ARGS="k=$K min_df=$MIN_DF stem=$STEM keyness_by=none"
# shellcheck disable=SC2086
/usr/bin/time -o "$W/thema.time" -f '%e %U %S %M' "$THEMA" --quiet --db "$W/race.db" \
  --out "$W/timed" run inductive $ARGS stability_runs=$S >"$W/thema.out"
# shellcheck disable=SC2086
"$THEMA" --quiet --db "$W/race.db" --out "$W/export" run inductive $ARGS stability_runs=0 \
  export=true >/dev/null
/usr/bin/time -o "$W/sklearn.time" -f '%e %U %S %M' /usr/bin/python3 \
  "$ROOT/bench/inductive_sklearn.py" "$W/export/inductive/segments.csv" \
  "$W/timed/inductive/themes.csv" --k "$K" --min-df "$MIN_DF" >"$W/sklearn.out" 2>"$W/sklearn.err"
rm -f "$W/race.db" "$W/race.db-wal" "$W/race.db-shm"
get() { sed -n "s/^$1 //p" "$W/sklearn.out"; }
read -r t_wall t_user t_sys t_rss <"$W/thema.time"

read -r _ _ _ p_rss <"$W/sklearn.time"
awk -v size="$SIZE" -v tw="$t_wall" -v tc="$(echo "$t_user $t_sys" | awk '{ print $1 + $2 }')" \
  -v tr="$t_rss" -v pw="$(get sklearn_seconds)" -v pc="$(get sklearn_cpu)" -v pr="$p_rss" \
  -v segs="$(get segments)" \
  -v sn="$(get sklearn_npmi)" -v tn="$(get thema_npmi_gensim)" -v to="$(get thema_npmi_own)" \
  -v k="$K" -v s="$S" -v stem="$STEM" 'BEGIN {
  printf "inductive %s MB: %d segments selected, k = %d, min_df 5, %d stability refits, stems %s\n", size, segs, k, s, stem
  printf "  whole pass vs sklearn TF-IDF + NMF (timed inside, without reading its input): %.2fx faster in wall time, %.2fx in CPU time\n", pw / tw, pc / tc
  printf "  peak memory: thema %d MB, sklearn process %d MB\n", tr / 1024, pr / 1024
  printf "  mean NPMI by gensim: thema %.4f, sklearn %.4f (ratio %.3f); thema own NPMI %.4f\n", tn, sn, tn / sn, to
}'
