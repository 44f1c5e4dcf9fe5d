#!/bin/sh
# tests/e2e/misread.sh — input that was once silently misread is now read
# right or refused with file, line and what to do (exit 2), leaving the store
# as it was.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin misread
cd "$TMP"
printf 'R1: hallo daar\nI: ja\n' >a.txt
$THEMA --db "$DB" import transcript a.txt >/dev/null
dump() { sqlite3 "$DB" .dump | sha256sum; }

# refused FILE-OF-MESSAGE NEEDLE NAME CMD... — exit 2, the message, the store unchanged
refused() {
  needle=$1 name=$2
  shift 2
  before=$(dump)
  set +e
  "$@" >out.txt 2>&1
  code=$?
  set -e
  check "$name: exit 2" 2 "$code"
  contains "$name: message" out.txt "$needle"
  check "$name: store unchanged" "$before" "$(dump)"
}

printf 'gebied;aandeel\nGenk;2.775\n' >m.csv
printf 'form: wide\ncolumns: indicator\nperiod: 2017\ndecimals: .\n' >m.csv.meta
refused "m.csv.meta:4: unknown key 'decimals' (did you mean 'decimal'?)" "sidecar typo" \
  $THEMA --db "$DB" import monitor m.csv
printf 'form: wide\ncolumns: indicator\nperiod: 2017\nx-wave: 3\ntitle: t\n' >m.csv.meta
check "sidecar: x- attributes and descriptions are taken" 0 \
  "$($THEMA --db "$DB" import monitor m.csv >/dev/null 2>&1; echo $?)"

printf '1\n99999999999999999999:00:00,000 --> 99999999999999999999:00:01,000\nAnna: hoi\n' >x.srt
refused "x.srt:2:1: cannot read this cue's times, or they are out of range" "SRT time overflow" \
  $THEMA --db "$DB" import transcript x.srt
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:99.000\n<v Anna>hoi\n' >y.vtt
refused "y.vtt:3:1: cannot read this cue's times" "VTT seconds over 59" \
  $THEMA --db "$DB" import transcript y.vtt
awk 'BEGIN { print "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>"; for (i = 0; i < 100; i++) print "regel " i }' >long.vtt
$THEMA --db "$DB" import transcript long.vtt >/dev/null
check "VTT cue of 100 lines: every line kept" "regel 99" \
  "$(sqlite3 "$DB" "SELECT substr(segment.text, -8) FROM segment JOIN source s ON s.id = source_id WHERE s.name = 'long'")"

printf '[99:99:99] R1: hallo\n' >t99.txt
refused "t99.txt:1:2: cannot read timestamp '99:99:99'" "[99:99:99] as a time" \
  $THEMA --db "$DB" import transcript t99.txt

printf 'R1: een\n\357\273\277I: twee\n' >bom.txt
$THEMA --db "$DB" import transcript bom.txt >/dev/null
check "a BOM at the start of a line hides no label" 2 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM segment JOIN source s ON s.id = source_id WHERE s.name = 'bom'")"

printf 'return {{code="x"}, [3]={code="y"}}\n' >hole.lua
refused "hole.lua: entry 2 is missing, but later entries follow" "Lua codebook with a hole" \
  $THEMA --db "$DB" import codebook hole.lua
printf 'return {{code="x"}, code="oops"}\n' >strkey.lua
refused "strkey.lua: the returned table has the key 'code'" "Lua codebook with a string key" \
  $THEMA --db "$DB" import codebook strkey.lua
awk 'BEGIN { s = "return "; for (i = 0; i < 250; i++) s = s "{"; for (i = 0; i < 250; i++) s = s "}"; print s }' >deep.lua
refused "deep.lua: C stack overflow" "Lua codebook nested too deeply" \
  $THEMA --db "$DB" import codebook deep.lua

printf 'source,segment,code\na,1,x\n' >k.csv
refused "k.csv: the coder's name is empty" "--coder ''" \
  $THEMA --db "$DB" import codings k.csv --coder ''
printf 'source,segment,code\na,99999999999999999999,x\n' >k2.csv
refused "k2.csv:2:2: '99999999999999999999' is too large" "an over-long segment number" \
  $THEMA --db "$DB" import codings k2.csv --coder ann
e2e_finish
