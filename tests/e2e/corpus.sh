#!/bin/sh
# tests/e2e/corpus.sh — end-to-end tests of `thema freq`, `keyness` and
# `collocations`: a two-source corpus written below, whose counts and
# keyness figures are worked out by hand; the shipped study (the phrases a
# reader finds, Limburg against the other networks, byte-identical reruns);
# then bad input: an empty selection, an unknown grouping, group or
# language, bad options, with their exit codes.
#
#   THEMA=build/asan/thema sh tests/e2e/corpus.sh      (run from anywhere)
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin corpus

# --- a corpus small enough to count by hand ---------------------------------
mkdir -p "$TMP/mini"
printf 'A: De raad van bestuur vergadert. Samenwerking en samenwerken.\nB: Euh, allez, de raad van bestuur beslist.\n' >"$TMP/mini/a.txt"
printf 'C: Het budget. Het budget is klein.\n' >"$TMP/mini/b.txt"
MINI=$TMP/mini.db
th "$MINI" init >/dev/null
th "$MINI" import transcript "$TMP/mini/a.txt" "$TMP/mini/b.txt" >/dev/null

# Counted: a has raad bestuur vergadert samenwerking samenwerken raad bestuur
# beslist (8; de, van, en stop words; euh, allez fillers); b has budget budget
# klein (3; het, is stop words).
step "freq on the small corpus" th "$MINI" freq --format csv
check "freq: most frequent first, ties by term" \
  "term,n,count,per_1000,segments
bestuur,1,2,181.818,2
budget,1,2,181.818,1
raad,1,2,181.818,2" "$(head -4 "$TMP/step.out")"
check "freq: fillers and stop words left out" "" "$(grep -E '^(euh|allez|de|van|het),' "$TMP/step.out" || true)"

step "freq --no-fillers --no-stopwords" th "$MINI" freq --no-fillers --no-stopwords --format csv
contains "fillers kept when asked" "$TMP/step.out" "euh,1,1,"
contains "stop words kept when asked" "$TMP/step.out" "de,1,2,"

step "freq --stem" th "$MINI" freq --stem --format csv
contains "a stem shown by its most frequent form (a tie: the smallest)" "$TMP/step.out" \
  "samenwerken,1,2,181.818,1,samenwerk"

step "freq --ngram 3" th "$MINI" freq --ngram 3 --format csv
check "a trigram may hold a stop word inside" "term,n,count,per_1000,segments
raad van bestuur,3,2,500.000,2
budget is klein,3,1,250.000,1
samenwerking en samenwerken,3,1,250.000,1" "$(cat "$TMP/step.out")"

# raad: a = 2 of n1 = 8, b = 0 of n2 = 3. Expected 16/11 and 6/11 in the first
# row; G2 = 2 (2 ln(2 / (16/11)) + 6 ln(6 / (72/11)) + 3 ln(3 / (27/11)))
# = 1.434; p = erfc(sqrt(1.434 / 2)) = 0.231; log-ratio log2((2/8) / (0.5/3))
# = 0.585. budget: a = 0, b = 2: G2 -6.612, log-ratio log2((0.5/8) / (2/3)).
step "keyness of a against the rest" th "$MINI" keyness --by source --group a --min 1 --format csv
check "keyness header" "term,n,target,reference,target_per_1000,reference_per_1000,g2,log_ratio,p,kwic" \
  "$(head -1 "$TMP/step.out")"
contains "keyness of raad, by hand" "$TMP/step.out" \
  'raad,1,2,0,250.000,0.000,1.434,0.585,0.231,(?<!\w)raad(?!\w)'
check "the term a says least comes last, with G2 < 0" \
  'budget,1,0,2,0.000,666.667,-6.612,-3.415,0.0101,(?<!\w)budget(?!\w)' "$(tail -1 "$TMP/step.out")"
step "keyness against a named group" th "$MINI" keyness --by source --group b --against a --min 1 --format csv
contains "the same table from b's side" "$TMP/step.out" "budget,1,2,0,666.667,0.000,6.612,3.415,0.0101"

step "collocations on the small corpus" th "$MINI" collocations --min 1 --format csv
check "adjacent counted words only" "first,second,count,first_count,second_count,pmi,npmi,g2
bestuur,beslist,1,2,1,0.000,0.000,0.000
bestuur,vergadert,1,2,1,0.000,0.000,0.000" "$(cat "$TMP/step.out")"

printf '# ours\nbestuur\n' >"$TMP/mine.txt"
step "a study's own list" th "$MINI" freq --stopwords "$TMP/mine.txt" --format csv
check "its words are left out" "" "$(grep '^bestuur,' "$TMP/step.out" || true)"

# --- the shipped study ---------------------------------------------------------
import_study "$DB" >/dev/null
step "collocations on the study" th "$DB" collocations --format csv
check "the strongest collocation of the study" "lokale,besturen" \
  "$(sed -n 2p "$TMP/step.out" | cut -d, -f1,2)"
step "keyness: Limburg against the other networks" \
  th "$DB" keyness --by network --group Limburg --stem --format csv --limit 0
cp "$TMP/step.out" "$TMP/keyness1.csv"
contains "Limburg speaks of its services" "$TMP/keyness1.csv" 'diensten,1,7,2,'
step "keyness again" th "$DB" keyness --by network --group Limburg --stem --format csv --limit 0
same_nonempty_files "keyness: same bytes on a rerun" "$TMP/keyness1.csv" "$TMP/step.out"
kwic=$(sed -n '/^diensten,/p' "$TMP/keyness1.csv" | sed 's/.*,//')
step "a keyness row followed into kwic" th "$DB" kwic "$kwic"
check "kwic finds every occurrence counted (7 + 2)" "9" "$(wc -l <"$TMP/step.out" | tr -d ' ')"
step "freq by network" th "$DB" freq --by network --limit 3 --format csv
check "three rows per network, networks in order" "Centrumsteden
Centrumsteden
Centrumsteden
Leuven-Hageland
Leuven-Hageland
Leuven-Hageland
Limburg
Limburg
Limburg" "$(sed 1d "$TMP/step.out" | cut -d, -f1)"
step "freq of the respondents only" th "$DB" freq --except role=interviewer --where kind=transcript --limit 1 --format csv
check "selection by segment filters" "wel" "$(sed -n 2p "$TMP/step.out" | cut -d, -f1)"

# --- bad input -----------------------------------------------------------------
# fails NAME CODE NEEDLE ARGS... — thema ARGS exits CODE with NEEDLE on stderr.
fails() {
  name=$1 code=$2 needle=$3
  shift 3
  if th "$DB" "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"; then rc=0; else rc=$?; fi
  check "$name: exit $code" "$code" "$rc"
  contains "$name: says why" "$TMP/bad.err" "$needle"
}
fails "an empty selection" 2 "no segments match" freq --where source=nope
fails "an unknown grouping" 2 "unknown grouping 'klingon'" freq --by klingon
fails "an unknown language" 2 "unknown language 'klingon'" keyness --by network --group Limburg --lang klingon
fails "no stop word list" 2 "no stop word list for 'es'" freq --lang es
fails "an unknown group" 2 "no group 'Mars'" keyness --by network --group Mars
fails "a group against itself" 2 "against itself" keyness --by network --group Limburg --against Limburg
fails "keyness without a group" 1 "usage: thema keyness" keyness --by network
fails "an unknown filter" 1 "unknown filter 'bogus'" freq --where bogus=1
fails "a bad n-gram size" 1 "--ngram 7" freq --ngram 7
fails "an unknown option" 1 "unknown option '--frobnicate'" collocations --frobnicate
fails "a missing list file" 2 "cannot open" freq --fillers "$TMP/none.txt"
printf 'twee woorden\n' >"$TMP/bad.txt"
fails "a bad list file" 2 "bad.txt:1" freq --fillers "$TMP/bad.txt"
check "nothing on stdout after an error" "" "$(cat "$TMP/bad.out")"

e2e_finish
