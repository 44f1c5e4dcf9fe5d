#!/bin/sh
# tests/e2e/spreadsheets.sh — plugins' tables for spreadsheets: --excel writes
# every CSV in the Dutch/French Excel dialect (and the report still reads
# them), --xlsx adds a workbook beside each with typed numeric cells, the
# same bytes twice.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin spreadsheets
run_study() { # OUT FLAGS...
  out=$1
  shift
  mkdir -p "$out"
  $THEMA --quiet "$@" --db "$out/thema.db" --out "$out" script scripts/speeches-example.lua \
    corpora/speeches-example >/dev/null 2>&1
}
run_study "$TMP/plain"
run_study "$TMP/excel" --excel
run_study "$TMP/xlsx" --xlsx
run_study "$TMP/xlsx2" --xlsx
F=compare/party/code_group.csv
check "--excel: a BOM and ';' between cells" "efbbbf636f6465723b" \
  "$(head -c 9 "$TMP/excel/$F" | od -An -tx1 | tr -d ' \n')"
check "--excel: CRLF line ends" 1 "$(head -1 "$TMP/excel/$F" | grep -c "$(printf '\r')" || :)"
check "--excel: the same rows as the plain CSV, in the spreadsheet's dialect" \
  "$(wc -l <"$TMP/plain/$F")" "$(wc -l <"$TMP/excel/$F")"
check "--excel: a decimal comma" 1 "$(grep -c ';0,[0-9]' "$TMP/excel/$F" | awk '{print ($1 > 0)}')"
check "--excel: the report reads the tables as before" \
  "$(grep -o 'fill="#[0-9a-f]*"' "$TMP/plain/report/report.html" | sort | uniq -c)" \
  "$(grep -o 'fill="#[0-9a-f]*"' "$TMP/excel/report/report.html" | sort | uniq -c)"
check "--xlsx: a workbook beside every CSV" "$(ls "$TMP/xlsx/compare/party/"*.csv | wc -l)" \
  "$(ls "$TMP/xlsx/compare/party/"*.xlsx | wc -l)"
same_files "--xlsx: the same workbook twice" "$TMP/xlsx/compare/party/code_group.xlsx" \
  "$TMP/xlsx2/compare/party/code_group.xlsx"
same_files "--xlsx: the CSVs unchanged" "$TMP/plain/$F" "$TMP/xlsx/$F"
if command -v unzip >/dev/null; then
  unzip -p "$TMP/xlsx/compare/party/code_group.xlsx" xl/worksheets/sheet1.xml >"$TMP/sheet.xml"
  check "--xlsx: counts and shares are numeric cells" 1 \
    "$(grep -c '<c r="F2"><v>[0-9.]*</v></c>' "$TMP/sheet.xml")"
else
  skip "--xlsx: numeric cells" "no unzip"
fi
e2e_finish
