#!/bin/sh
# tests/e2e/codebook_export.sh — export codebook --format csv|lua writes the
# store's codebook as a file thema reads again: its examples still pass, and
# importing it and exporting again gives the same bytes.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin codebook-export
$THEMA --db "$DB" import codebook "$STUDY/codebook.csv" >/dev/null
for f in csv lua; do
  $THEMA --db "$DB" export codebook --format $f --output "$TMP/cb.$f"
  want=$($THEMA codebook test "$STUDY/codebook.csv" | tail -1)
  check "$f: the examples pass as in the study's codebook" "$want" "$($THEMA codebook test "$TMP/cb.$f" | tail -1)"
  $THEMA --db "$TMP/again-$f.db" import codebook "$TMP/cb.$f" >/dev/null
  $THEMA --db "$TMP/again-$f.db" export codebook --format $f --output "$TMP/cb2.$f"
  same_files "$f: import and export again gives the same bytes" "$TMP/cb.$f" "$TMP/cb2.$f"
  check "$f: every code, themes too" "$(sqlite3 "$DB" "SELECT count(*) FROM code")" \
    "$(sqlite3 "$TMP/again-$f.db" "SELECT count(*) FROM code")"
done
set +e
$THEMA --db "$DB" export codebook --format yaml >"$TMP/e.txt" 2>&1
code=$?
set -e
check "an unknown format: exit 1" 1 "$code"
contains "an unknown format: names the formats" "$TMP/e.txt" "--format is csv, lua or qdc"
e2e_finish
