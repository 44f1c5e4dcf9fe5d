#!/bin/sh
# tests/e2e/qdpx.sh — REFI-QDA exchange end to end: the shipped study coded by
# the deductive pass, exported as .qdpx and .qdc (valid against the
# standard's schemas, checked with xmllint; the same bytes twice), imported
# into a fresh store and exported again (the same bytes); the imported
# codings compared by `agreement` with the deductive pass run again on the
# imported texts, and with the pass itself after importing the export back
# into the study's store (kappa 1 both: every coding came back on its span); the samples
# of other tools on the command line; and bad input (exit 2, nothing stored).
#
#   THEMA=build/asan/thema sh tests/e2e/qdpx.sh      (run from anywhere)
#
# The last line of output is "N passed, N failed".
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin qdpx
XSD=$ROOT/tests/fixtures/refi-qda
SAMPLES=$ROOT/tests/fixtures/refi-qda/samples

step "import the study" import_study "$DB"
step "import its codebook" th "$DB" import codebook $STUDY/codebook.csv
step "run deductive" th "$DB" --out "$TMP/out" run deductive codebook=$STUDY/codebook.csv
mkdir -p "$TMP/a" "$TMP/b" "$TMP/c"
step "export qdpx" th "$DB" export qdpx "$TMP/a/study.qdpx"
step "export qdpx again" th "$DB" export qdpx "$TMP/b/study.qdpx"
same_nonempty_files "the same store gives the same .qdpx" "$TMP/a/study.qdpx" "$TMP/b/study.qdpx"
step "export qdc" th "$DB" export qdc "$TMP/a/study.qdc"
step "export codebook --format qdc" th "$DB" export codebook --format qdc --output "$TMP/b/study.qdc"
same_nonempty_files "both ways of writing the .qdc agree" "$TMP/a/study.qdc" "$TMP/b/study.qdc"

unzip -p "$TMP/a/study.qdpx" project.qde >"$TMP/project.qde"
if xmllint --noout --schema "$XSD/Project.xsd" "$TMP/project.qde" 2>"$TMP/xmllint.err"; then
  pass "project.qde validates against Project.xsd"
else
  fail "project.qde validates against Project.xsd" "$(head -3 "$TMP/xmllint.err")"
fi
if xmllint --noout --schema "$XSD/Codebook.xsd" "$TMP/a/study.qdc" 2>"$TMP/xmllint.err"; then
  pass "study.qdc validates against Codebook.xsd"
else
  fail "study.qdc validates against Codebook.xsd" "$(head -3 "$TMP/xmllint.err")"
fi
codings=$(q "SELECT count(*) FROM visible_coding")
check "every coding is a <Coding>" "$codings" "$(grep -c '<Coding ' "$TMP/project.qde")"
check "sources/ holds the 11 text sources" 11 "$(unzip -Z1 "$TMP/a/study.qdpx" | grep -c '^sources/.*\.txt$')"

# Into a fresh store and out again.
FRESH=$TMP/fresh.db
step "import qdpx into a fresh store" th "$FRESH" import qdpx "$TMP/a/study.qdpx"
contains "the import reports what it stored" "$TMP/step.out" "11 sources"
check "no warnings on thema's own export" "" "$(cat "$TMP/step.err")"
step "export the fresh store" th "$FRESH" export qdpx "$TMP/c/study.qdpx"
same_nonempty_files "export, import, export gives the same .qdpx" "$TMP/a/study.qdpx" "$TMP/c/study.qdpx"
check "the imported codings are the deductive user's" "$codings" \
  "$(th "$FRESH" query "SELECT count(*) FROM coding WHERE coder = 'deductive'" | sed 1d)"
same_text() {
  th "$1" query --format tsv "SELECT s.name, g.ordinal, g.start, g.end, g.text FROM segment g
    JOIN source s ON s.id = g.source_id WHERE s.kind <> 'monitor' ORDER BY 1, 2" | md5sum
}
check "the same segments" "$(same_text "$DB")" "$(same_text "$FRESH")"

# The deductive pass again, on the imported texts, against the imported codings.
step "import the codebook into the fresh store" th "$FRESH" import codebook $STUDY/codebook.csv
step "run deductive on the imported texts" th "$FRESH" --out "$TMP/fresh" run deductive codebook=$STUDY/codebook.csv
mkdir -p "$TMP/fresh/agreement"
step "run agreement" th "$FRESH" --out "$TMP/fresh" run agreement coders=coder:deductive,plugin:deductive
kappa=$(awk -F, '$1 == "(overall)" { print $5 }' "$TMP/fresh/agreement/by_code.csv")
check "imported codings against the pass: kappa 1" "1.0000" "$kappa"
check "no disagreement" 1 "$(wc -l <"$TMP/fresh/agreement/disagreements.csv" | tr -d ' ')"

# Back into the store it came from (as a project coded elsewhere comes back):
# the sources are kept with their segments, the codings are the user
# 'deductive's, and agreement with the pass itself is kappa 1.
step "import qdpx into the store it came from" th "$DB" import qdpx "$TMP/a/study.qdpx"
check "no source is changed" 11 "$(q "SELECT count(*) FROM source WHERE kind <> 'monitor'")"
check "the run's codings are kept" "$codings" \
  "$(q "SELECT count(*) FROM coding WHERE run_id IS NOT NULL")"
mkdir -p "$TMP/self/agreement"
step "run agreement on the study against itself" \
  th "$DB" --out "$TMP/self" run agreement coders=coder:deductive,plugin:deductive
check "the study against itself: kappa 1" "1.0000" \
  "$(awk -F, '$1 == "(overall)" { print $5 }' "$TMP/self/agreement/by_code.csv")"

# The samples of other tools, on the command line.
for f in "$SAMPLES"/*.qdpx "$SAMPLES"/*.qdc; do
  kind=${f##*.}
  step "import $kind $(basename "$f")" th "$TMP/sample-$(basename "$f").db" import "$kind" "$f"
done
step "taguette's codebook warns of its empty Sets" \
  th "$TMP/tag.db" import qdc "$SAMPLES/taguette-1.5.2_codebook.qdc"
contains "the warning names the file and element" "$TMP/step.err" "taguette-1.5.2_codebook.qdc:2: empty <Sets/>"

# Bad input: exit 2, nothing stored.
printf 'PK\003\004 no zip at all' >"$TMP/corrupt.qdpx"
BAD=$TMP/bad.db
th "$BAD" init >/dev/null
if th "$BAD" import qdpx "$TMP/corrupt.qdpx" >"$TMP/bad.out" 2>"$TMP/bad.err"; then status=0; else status=$?; fi
check "a corrupt zip exits 2" 2 "$status"
contains "and says so" "$TMP/bad.err" "corrupt.qdpx: not a readable zip archive"
mkdir -p "$TMP/broken"
( cd "$TMP/broken" && unzip -q "$TMP/a/study.qdpx" && rm sources/$(ls sources | head -1) && zip -q -r ../missing.qdpx . )
if th "$BAD" import qdpx "$TMP/missing.qdpx" >"$TMP/bad.out" 2>"$TMP/bad.err"; then status=0; else status=$?; fi
check "a source file missing from the archive exits 2" 2 "$status"
contains "naming the .qde and its line" "$TMP/bad.err" "missing.qdpx:project.qde:"
contains "and the file" "$TMP/bad.err" "is missing from the archive"
check "nothing stored" "0|0|0" "$(th "$BAD" query --format tsv "SELECT (SELECT count(*) FROM source),
  (SELECT count(*) FROM code), (SELECT count(*) FROM coding)" | sed 1d | tr '\t' '|')"

e2e_finish
