#!/bin/sh
# tests/e2e/inductive.sh — end-to-end tests of the inductive plugin on the
# shipped study coded by the deductive pass: the files and their columns, the
# themes stored as codes under inductive/ with codings that match the
# reported sizes, the selection rule (no interviewer turn and no short turn
# coded), two runs giving the same bytes, a rerun replacing the earlier
# themes, both methods, and bad input refused with exit 1 or 2 and nothing
# stored.
#
#   THEMA=build/asan/thema sh tests/e2e/inductive.sh      (run from anywhere)
#
# The last line of output is "N passed, N failed"; the exit code is 1 when any
# check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin inductive

step "import the study" import_study "$DB"
step "code it deductively" th "$DB" run deductive codebook=$STUDY/codebook.csv

# induct NAME PARAM... — run the plugin with its output in $TMP/NAME/inductive/.
induct() {
  name=$1
  shift
  if th "$DB" --out "$TMP/$name" run inductive "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
    pass "run inductive $*"
  else
    fail "run inductive $*" "exit $?" "$(cat "$TMP/$name.err")"
  fi
}

induct a k=5
OUT=$TMP/a/inductive
for f in themes.csv theme_quotes.csv theme_vs_codes.csv section.md section.html \
  keyness_network.csv collocations.csv; do
  if [ -s "$OUT/$f" ]; then pass "writes $f"; else fail "writes $f"; fi
done
check "themes.csv columns" \
  "theme,code,label,segments,speakers,sources,coherence,stability,match,top_terms,stems,phrases" \
  "$(head -1 "$OUT/themes.csv")"
check "five themes" 5 "$(($(wc -l <"$OUT/themes.csv") - 1))"
check "five inductive codes under inductive/ (and the root)" 6 \
  "$(q "SELECT count(*) FROM code WHERE origin = 'inductive' AND (path = 'inductive' OR path LIKE 'inductive/%')")"
check "codes are named by number and top terms" 1 \
  "$(q "SELECT count(*) FROM code WHERE path GLOB 'inductive/01-[a-z]*'")"
check "codings per theme are the reported sizes" \
  "$(awk '$2 ~ /^inductive\// { printf "%s ", $3 }' "$TMP/a.out")" \
  "$(q "SELECT count(*) FROM coding k JOIN code c ON c.id = k.code_id WHERE c.path LIKE 'inductive/%'
        GROUP BY c.path ORDER BY c.path" | tr '\n' ' ')"
check "codings belong to the run" 0 \
  "$(q "SELECT count(*) FROM coding k JOIN code c ON c.id = k.code_id JOIN run r ON r.id = k.run_id
        WHERE c.path LIKE 'inductive/%' AND r.plugin <> 'inductive'")"
check "no interviewer turn is coded" 0 \
  "$(q "SELECT count(*) FROM coding k JOIN code c ON c.id = k.code_id JOIN segment g ON g.id = k.segment_id
        JOIN speaker sp ON sp.id = g.speaker_id WHERE c.path LIKE 'inductive/%' AND sp.label = 'I'")"
check "'Ja, zeker.' is too short to carry a theme" 0 \
  "$(q "SELECT count(*) FROM coding k JOIN code c ON c.id = k.code_id JOIN segment g ON g.id = k.segment_id
        WHERE c.path LIKE 'inductive/%' AND g.text = 'Ja, zeker.'")"
contains "the section states the rule" "$OUT/section.md" "turns with fewer than 4 content words"
contains "the section reviews the codes" "$OUT/section.md" "Codes no candidate theme supports"
check "five quotes per theme at most, with speaker and source" "" \
  "$(awk -F, 'NR > 1 && ($3 == "" || $2 > 5)' "$OUT/theme_quotes.csv")"
contains "keyness per network, each row with its kwic pattern" "$OUT/keyness_network.csv" \
  "Limburg,"
contains "collocations: lokale besturen" "$OUT/collocations.csv" "lokale,besturen,"
contains "overlap rows name deductive codes" "$OUT/theme_vs_codes.csv" "randvoorwaarden/"
if grep -qi '<script\|<style\|<link' "$OUT/section.html"; then
  fail "section.html fetches nothing"
else
  pass "section.html fetches nothing"
fi
if command -v xmllint >/dev/null; then
  if { echo "<div>"; cat "$OUT/section.html"; echo "</div>"; } | xmllint --noout - 2>"$TMP/x.err"; then
    pass "section.html is well-formed"
  else
    fail "section.html is well-formed" "$(cat "$TMP/x.err")"
  fi
fi

induct b k=5
for f in themes.csv theme_quotes.csv theme_vs_codes.csv section.md section.html; do
  same_nonempty_files "a rerun gives the same $f" "$OUT/$f" "$TMP/b/inductive/$f"
done
induct c k=4
check "a rerun with other themes replaces the codes" 5 \
  "$(q "SELECT count(*) FROM code WHERE origin = 'inductive'")"
check "and their codings" "$(awk '$2 ~ /^inductive\// { n += $3 } END { print n }' "$TMP/c.out")" \
  "$(q "SELECT count(*) FROM visible_coding k JOIN code c ON c.id = k.code_id WHERE c.path LIKE 'inductive/%'")"
check "the deductive codings stay" \
  "$(q "SELECT count(*) FROM coding k JOIN run r ON r.id = k.run_id WHERE r.plugin = 'deductive'")" \
  "$(th "$DB" query "SELECT count(*) FROM coding k JOIN run r ON r.id = k.run_id WHERE r.plugin = 'deductive'" | sed 1d)"

induct auto
contains "k chosen by stability, the candidates shown" "$TMP/auto/inductive/section.md" "chosen by stability over k = 3..12"
induct leiden method=leiden
if [ "$(wc -l <"$TMP/leiden/inductive/themes.csv")" -gt 1 ]; then
  pass "leiden finds themes"
else
  fail "leiden finds themes"
fi
induct leiden2 method=leiden
same_nonempty_files "leiden: a rerun gives the same themes" "$TMP/leiden/inductive/themes.csv" \
  "$TMP/leiden2/inductive/themes.csv"

# refused NAME EXIT NEEDLE PARAM... — the run fails with that exit code and
# message, and the store's inductive codes and codings are as they were.
before=$(q "SELECT (SELECT count(*) FROM code) || ' ' || (SELECT count(*) FROM coding)")
refused() {
  name=$1 code=$2 needle=$3
  shift 3
  set +e
  th "$DB" --out "$TMP/bad" run inductive "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"
  rc=$?
  set -e
  check "$name: exit $code" "$code" "$rc"
  contains "$name: says so" "$TMP/bad.err" "$needle"
  check "$name: nothing stored" "$before" \
    "$(q "SELECT (SELECT count(*) FROM code) || ' ' || (SELECT count(*) FROM coding)")"
}
refused "more themes than segments" 2 "500 themes asked of" k=500
refused "an empty selection" 2 "the selection is empty" sources=nope
refused "every turn too short" 2 "as shorter than 900 content words" min_words=900
refused "an unknown language" 1 "parameter language must be one of" language=klingon
refused "an unknown method" 1 "parameter method must be one of" method=lda

# The selection rule on a sitting: the chair's opening and the vote are
# procedural, "Ja." too short; the count of each is in the section.
SIT=$TMP/sitting
mkdir -p "$SIT"
{
  printf -- '---\ntitle: Gemeenteraad\nkind: meeting\n---\n\n'
  printf 'Voorzitter: Ik open de vergadering.\n\n'
  for i in 1 2 3 4 5 6; do
    printf 'Jansen: De subsidie voor het jeugdhuis en de sporthal moet omhoog, want de jeugdwerking groeit elk jaar.\n\n'
    printf 'Peeters: Het budget voor fietspaden en verkeersveiligheid aan de scholen blijft te laag voor de wijken.\n\n'
    printf 'Maes: Ja.\n\n'
  done
  printf 'Voorzitter: Wie is voor? Wie is tegen? Wie onthoudt zich?\n'
} >"$SIT/raad.txt"
SDB=$TMP/sitting.db
step "import a sitting" sh -c "$THEMA --db $SDB init && $THEMA --db $SDB import transcript $SIT/raad.txt"
if th "$SDB" --out "$TMP/sit" run inductive k=2 min_df=2 max_df=1 stability_runs=2 \
  exclude_roles=none keyness_by=none >"$TMP/sit.out" 2>"$TMP/sit.err"; then
  pass "inductive on a sitting"
else
  fail "inductive on a sitting" "$(cat "$TMP/sit.err")"
fi
contains "the chair's opening and the vote are procedural, 'Ja.' too short" \
  "$TMP/sit/inductive/section.md" "left out 0 for the speaker, 0 for the role, 2 as procedural, 6 as too short; kept 12"
check "procedural turns carry no theme" 0 \
  "$(th "$SDB" query "SELECT count(*) FROM coding k JOIN segment g ON g.id = k.segment_id
      JOIN speaker sp ON sp.id = g.speaker_id WHERE sp.label IN ('Voorzitter', 'Maes')" | sed 1d)"
if th "$SDB" --out "$TMP/sit2" run inductive k=2 min_df=2 max_df=1 stability_runs=0 \
  procedural=none keyness_by=none >/dev/null 2>&1; then
  contains "procedural=none keeps the chair's turns (if long enough)" \
    "$TMP/sit2/inductive/section.md" "0 as procedural"
else
  fail "procedural=none runs"
fi

e2e_finish
