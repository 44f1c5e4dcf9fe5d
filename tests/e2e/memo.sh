#!/bin/sh
# tests/e2e/memo.sh — thema memo add|list on every kind of target, the
# spreadsheet dialect and xlsx of the list, and bad targets refused.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin memo
$THEMA --db "$DB" import transcript "$STUDY/transcripts/fg1-leuven-hageland.txt" >/dev/null
$THEMA --db "$DB" import codebook "$STUDY/codebook.csv" >/dev/null
$THEMA --db "$DB" import cases "$STUDY/organisations.csv" >/dev/null
$THEMA --db "$DB" memo add --source fg1-leuven-hageland --author ann "Een focusgroep van vijf" >/dev/null
$THEMA --db "$DB" memo add --source fg1-leuven-hageland --segment 3 --author ann "Leuven als trekker" >/dev/null
$THEMA --db "$DB" memo add --code randvoorwaarden/draagvlak --author bob "=SUM(A1) is geen formule" >/dev/null
$THEMA --db "$DB" memo add --organisation Leuven --author bob "Centrumstad" >/dev/null
$THEMA --db "$DB" memo add --project --author ann "Tweede lezing" >/dev/null
q() { sqlite3 "$DB" "$1"; }
check "five memos on five kinds of target" "code|organisation|project|segment|source" \
  "$(q "SELECT group_concat(target, '|') FROM (SELECT DISTINCT target FROM memo ORDER BY target)")"
check "a segment memo is on that segment" "Leuven als trekker" \
  "$(q "SELECT m.text FROM memo m JOIN segment g ON g.id = m.target_id WHERE m.target = 'segment' AND g.ordinal = 3")"
$THEMA --db "$DB" memo list --target code >"$TMP/list.csv"
check "list: header and one row" 2 "$(wc -l <"$TMP/list.csv")"
contains "list: the text" "$TMP/list.csv" "=SUM(A1) is geen formule"
$THEMA --db "$DB" --excel memo list --target code >"$TMP/excel.csv"
check "--excel: a BOM, ';' and CRLF" "efbbbf69643b" "$(head -c 6 "$TMP/excel.csv" | od -An -tx1 | tr -d ' \n')"
contains "--excel: a formula is guarded" "$TMP/excel.csv" ";'=SUM(A1) is geen formule;"
$THEMA --db "$DB" memo list --format xlsx --output "$TMP/memos.xlsx"
check "xlsx: a zip" "504b0304" "$(head -c 4 "$TMP/memos.xlsx" | od -An -tx1 | tr -d ' \n')"
set +e
$THEMA --db "$DB" memo add --code nosuch "x" >"$TMP/e1.txt" 2>&1; c1=$?
$THEMA --db "$DB" memo add --source fg1-leuven-hageland --segment 999 "x" >"$TMP/e2.txt" 2>&1; c2=$?
$THEMA --db "$DB" memo add --code a --project "x" >"$TMP/e3.txt" 2>&1; c3=$?
$THEMA --db "$DB" memo list --format xlsx >"$TMP/e4.txt" 2>&1; c4=$?
set -e
check "an unknown code: exit 2" 2 "$c1"
contains "an unknown code: named" "$TMP/e1.txt" "no code 'nosuch'"
check "an unknown segment: exit 2" 2 "$c2"
contains "an unknown segment: named" "$TMP/e2.txt" "has no segment 999"
check "two targets: exit 1" 1 "$c3"
check "xlsx without a file: exit 1" 1 "$c4"
contains "xlsx without a file: says so" "$TMP/e4.txt" "give --output FILE.xlsx"
check "nothing stored by the failures" 5 "$(q "SELECT count(*) FROM memo")"
e2e_finish
