#!/bin/sh
# tests/e2e/thesis.sh — the author's own coding of the shipped study
# (corpora/leren-om-te-leren/codings-thesis.csv) imported as coder `thesis`
# beside the deductive pass, as scripts/leren-om-te-leren.lua does: every
# coding lies on the turn of its quote, the counts per precondition are those
# of chapter 4's sections, the deductive pass finds every precondition, and
# the agreement plugin's figures per precondition, theme and transcript are
# the ones the corpus README reports. When the thesis's text is at hand
# (../shared/source/leren-om-te-leren.md beside the project), the file is
# rebuilt from it with tools/thesis_codings.py and must come out the same.
#
#   THEMA=build/asan/thema sh tests/e2e/thesis.sh      (run from anywhere)
#
# The last line of output is "N passed, N failed" (plus "(N skipped)"); the
# exit code is 1 when any check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin thesis
CODINGS=$STUDY/codings-thesis.csv
OUT=$TMP/out

if import_study "$DB" >/dev/null 2>"$TMP/import.err"; then
  pass "the study imports into a fresh store"
else
  fail "the study imports into a fresh store" "$(cat "$TMP/import.err")"
fi
step "run deductive with the study's codebook" \
  th "$DB" --out "$OUT" run deductive codebook=$STUDY/codebook.csv
step "import the author's coding" th "$DB" import codings "$CODINGS"
contains "every row is a coding" "$TMP/step.out" "85 rows, 85 codings"

# ---- the codings lie where the quotes are ----
check "all codings belong to coder thesis" "85,thesis" \
  "$(q "SELECT count(*), group_concat(DISTINCT coder) FROM coding WHERE run_id IS NULL")"
sed 1d "$CODINGS" | awk -F, '{ print $1 "," $2 "," $3 }' | sort >"$TMP/want.txt"
q "SELECT s.name, g.ordinal, sp.label FROM coding c JOIN segment g ON g.id = c.segment_id
   JOIN source s ON s.id = g.source_id JOIN speaker sp ON sp.id = g.speaker_id
   WHERE c.coder = 'thesis'" | tr -d '"' | sort >"$TMP/got.txt"
same_nonempty_files "each coding's turn has the speaker of its quote" "$TMP/want.txt" "$TMP/got.txt"
check "every coding covers its whole turn" "0" \
  "$(q "SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
        WHERE c.coder = 'thesis' AND (c.start <> g.start OR c.end <> g.end)")"
check "the interviewer's questions are not coded" "0" \
  "$(q "SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
        JOIN speaker sp ON sp.id = g.speaker_id WHERE c.coder = 'thesis' AND sp.label = 'I'")"
check "every respondent turn of the five transcripts is coded once" "85,85" \
  "$(q "SELECT count(*), count(DISTINCT segment_id) FROM coding WHERE coder = 'thesis'")"
# Chapter 4: §4.5.1 quotes 10 respondent turns (and one question), §4.5.2 11,
# §4.5.3 6, §4.5.4 3, §4.5.5 13 (R3.13's question included: not an I line).
check "turns per precondition as in §4.5.1-4.5.5" "randvoorwaarden/agenda,3
randvoorwaarden/coordinatie,6
randvoorwaarden/draagvlak,10
randvoorwaarden/maturiteit,13
randvoorwaarden/schaalgrootte,11" \
  "$(q "SELECT k.path, count(*) FROM coding c JOIN code k ON k.id = c.code_id
        WHERE c.coder = 'thesis' AND k.path LIKE 'randvoorwaarden/%' GROUP BY k.path ORDER BY 1")"
check "§4.4 is the AgII's role: 15 turns" "15" \
  "$(q "SELECT count(*) FROM coding c JOIN code k ON k.id = c.code_id
        WHERE c.coder = 'thesis' AND k.path = 'coordinerende-rol/rol-agii'")"

# ---- the deductive pass finds every precondition ----
check "the deductive pass codes turns with every precondition" "randvoorwaarden/agenda
randvoorwaarden/coordinatie
randvoorwaarden/draagvlak
randvoorwaarden/maturiteit
randvoorwaarden/schaalgrootte" \
  "$(q "SELECT DISTINCT k.path FROM coding c JOIN code k ON k.id = c.code_id
        WHERE c.run_id IS NOT NULL AND k.path LIKE 'randvoorwaarden/%' ORDER BY 1")"

# ---- agreement with the author ----
step "run agreement deductive against thesis" \
  th "$DB" --out "$OUT" run agreement coders=plugin:deductive,coder:thesis samples=200
# kappa (column 5) does not depend on the bootstrap; the corpus README reports these.
kappa() { awk -F, -v code="$1" '$1 == code { print $5 }' "$OUT/agreement/by_code.csv"; }
check "kappa per precondition (README, 'Agreement with the author')" \
  "0.7389 0.6370 0.8764 0.5510 0.7297 0.4561" \
  "$(kappa randvoorwaarden/agenda) $(kappa randvoorwaarden/coordinatie) \
$(kappa randvoorwaarden/draagvlak) $(kappa randvoorwaarden/maturiteit) \
$(kappa randvoorwaarden/schaalgrootte) $(kappa '(overall)')"
check "by_theme.csv: one row per theme" "belang
benchlearning
coordinerende-rol
leren-in-de-praktijk
randvoorwaarden" "$(sed 1d "$OUT/agreement/by_theme.csv" | cut -d, -f1)"
check "by_theme.csv: the preconditions pooled" "randvoorwaarden,5,440,2,94.7727,0.7005" \
  "$(grep '^randvoorwaarden,' "$OUT/agreement/by_theme.csv" | cut -d, -f1-6)"
check "by_source.csv: the overall row of each transcript" "fg1-leuven-hageland,136,0.5789
fg2-centrumsteden,629,0.3109
fg3-limburg,242,0.5828
interview-agii,63,0.3571
interview-vvsg,20,0.4667" \
  "$(awk -F, '$2 == "(overall)" { print $1 "," $3 "," $6 }' "$OUT/agreement/by_source.csv")"

# ---- the study's conditions tell the thesis's story (docs/preconditions-study.md) ----
# The preconditions plugin scores the study from each coding (through
# tools/conditions_table.lua, which prints its membership.csv as a table).
# cell CODER CASE COLUMN — one cell of that table
# (columns: 1 case, 2 turns, 3 draagvlak, 4 schaalgrootte, 5 coordinatie,
# 6 agenda, 7 maturiteit, 8 leren).
for coder in thesis deductive; do
  th "$DB" --out "$TMP/out-$coder" script $STUDY/tools/conditions_table.lua $coder \
    >"$TMP/table-$coder.md" \
    2>"$TMP/table.err" || fail "conditions_table.lua $coder" "$(cat "$TMP/table.err")"
done
cell() {
  awk -F' [|] ' -v c="$2" -v k="$3" '{ gsub(/^[|] /, ""); gsub(/ [|]$/, "") }
    $1 == c || $1 == "**" c "**" { print $k }' "$TMP/table-$1.md"
}
for coder in thesis deductive; do
  check "$coder: maturiteit, Limburg in and Leuven-Hageland out (§4.5.5)" \
    "in out" "$(awk -v a="$(cell $coder Limburg 7 | cut -d' ' -f1)" \
      -v b="$(cell $coder Leuven-Hageland 7 | cut -d' ' -f1)" \
      'BEGIN { print (a > 0.9 ? "in" : a) " " (b < 0.1 ? "out" : b) }')"
  check "$coder: schaalgrootte, Landen out and Leuven in (§4.5.2)" "0.11 (15816) 0.99 (100261)" \
    "$(cell $coder Landen 4) $(cell $coder Leuven 4)"
  check "$coder: draagvlak, Landen out and Leuven above the crossover (§4.5.1)" \
    "0.00 (-0.333; 0/1) 0.56 (0.062; 1/0)" "$(cell $coder Landen 3) $(cell $coder Leuven 3)"
  check "$coder: coördinatie, the centrumsteden without a trekker are out (§4.5.3)" "0.00" \
    "$(cell $coder Centrumsteden 5 | cut -d' ' -f1)"
  check "$coder: a centrumstad without LIIM data is missing, not zero" "–" "$(cell $coder Gent 4)"
done
check "the author's maturiteit evidence for Limburg: 5 supporting, 1 opposing turn of 21" \
  "0.94 (0.190; 5/1)" "$(cell thesis Limburg 7)"

# ---- a bad conditions file: file and line, exit 2, nothing stored ----
FIX=tests/lua/fixtures/conditions
ok_before=$(q "SELECT count(*) FROM run WHERE status = 'ok'")
for bad in "bad-anchors:7: condition steun: anchors out of order" \
  "bad-code:4: condition steun: unknown code 'randvoorwaarden/bestaat-niet'" \
  "bad-indicator:3: condition grootte: unknown indicator 'Aantal inwoners'"; do
  file=${bad%%:*}
  rc=0
  th "$DB" --out "$TMP/bad" run preconditions config=$FIX/$file.lua >/dev/null \
    2>"$TMP/bad.err" || rc=$?
  check "$file.lua: exit 2" "2" "$rc"
  contains "$file.lua: the error names the file and line" "$TMP/bad.err" "$FIX/$file.lua:${bad#*:}"
done
check "a refused conditions file adds no ok run (only failure records)" "$ok_before" \
  "$(q "SELECT count(*) FROM run WHERE status = 'ok'")"

# ---- the file is what the tool makes from the thesis ----
THESIS=$ROOT/../shared/source/leren-om-te-leren.md
if [ ! -r "$THESIS" ]; then
  skip "codings-thesis.csv is rebuilt from the thesis" "no thesis text at $THESIS"
elif ! command -v python3 >/dev/null 2>&1; then
  skip "codings-thesis.csv is rebuilt from the thesis" "no python3"
else
  if python3 "$STUDY/tools/thesis_codings.py" "$THESIS" "$STUDY" >"$TMP/rebuilt.csv" \
       2>"$TMP/rebuilt.err"; then
    same_nonempty_files "codings-thesis.csv is rebuilt from the thesis byte for byte" \
      "$CODINGS" "$TMP/rebuilt.csv"
  else
    fail "codings-thesis.csv is rebuilt from the thesis" "$(cat "$TMP/rebuilt.err")"
  fi
  contains "the tool matches every quote to a turn" "$TMP/rebuilt.err" \
    "88 quotes, 88 turns, 85 codings, 3 interviewer lines not coded"
fi

e2e_finish
