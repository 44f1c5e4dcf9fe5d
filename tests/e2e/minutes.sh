#!/bin/sh
# tests/e2e/minutes.sh — real minutes: the README's example, run as the README
# gives it, on text in the real format (a title page and those present before
# the first turn, numbered members and the chair, agenda headings); then the
# preamble options and a pattern without a label.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin minutes
FIX=$ROOT/tests/fixtures/minutes/gemeenteraad.txt
# The command between the README's marker and the end of its code block, with
# the file name made absolute and `thema` the binary under test.
cmd=$(sed -n '/<!-- minutes-example -->/,/^  ```$/p' README.md | sed '1,2d;$d' |
  sed 's/\\$//' | tr '\n' ' ' | sed "s#gemeenteraad.txt#$FIX#; s#^ *thema #$THEMA --db $DB #")
check "the README has the example" 1 "$(echo "$cmd" | grep -c 'speaker-pattern')"
eval "$cmd" >"$TMP/out.txt"
contains "imported" "$TMP/out.txt" "imported transcript gemeenteraad: 5 turns, 3 speakers"
q() { $THEMA --db "$DB" query "$1" | tail -n +2; }
check "the preamble is a segment without a speaker" "1||" \
  "$(q "SELECT ordinal || '|' || coalesce(speaker_id, '') || '|' || coalesce(section, '') FROM segment WHERE ordinal = 1")"
check "the chair is one speaker across agenda items" 2 \
  "$(q "SELECT count(*) FROM segment g JOIN speaker p ON p.id = g.speaker_id WHERE p.label = 'De voorzitter'")"
check "a speech number is never a time" 0 "$(q "SELECT count(*) FROM segment WHERE time_start IS NOT NULL")"
check "speech numbers stay out of the label" "Els Janssens (Groen)|Jan Peeters (N-VA)" \
  "$(q "SELECT group_concat(label, '|') FROM (SELECT label FROM speaker WHERE label <> 'De voorzitter' ORDER BY label)")"
check "agenda headings are the turns' sections" "1. Goedkeuring van de notulen|2. Integratiebeleid" \
  "$(q "SELECT group_concat(section, '|') FROM (SELECT DISTINCT section FROM segment WHERE section IS NOT NULL ORDER BY section)")"
check "a turn's text runs on to the next line" 1 \
  "$(q "SELECT count(*) FROM segment WHERE text LIKE '%Gent, dat is duidelijk.' || char(10) || 'Zeker%'")"

# --preamble skip and refuse
DB2=$TMP/skip.db
$THEMA --db "$DB2" import transcript "$FIX" --preamble skip \
  --speaker-pattern '(?<num>\d\d\.\d\d) (?<label>[^:(]+?(?: \([^)]+\))?):' \
  --speaker-pattern '(?<label>De voorzitter):' >/dev/null
check "--preamble skip: no segment without a speaker" 0 \
  "$($THEMA --db "$DB2" query "SELECT count(*) FROM segment WHERE speaker_id IS NULL" | tail -1)"
set +e
$THEMA --db "$TMP/refuse.db" import transcript "$FIX" --preamble refuse >"$TMP/err.txt" 2>&1
code=$?
$THEMA --db "$TMP/nolabel.db" import transcript "$FIX" --speaker-pattern 'x' \
  --speaker-pattern '(?<num>\d+):' >"$TMP/err2.txt" 2>&1
code2=$?
set -e
check "--preamble refuse: exit 2" 2 "$code"
contains "--preamble refuse: names the line" "$TMP/err.txt" "gemeenteraad.txt:1:1: text outside a speaker turn"
check "an alternative without a label: exit 1" 1 "$code2"
contains "an alternative without a label: names it" "$TMP/err2.txt" "--speaker-pattern 1 must have a named group (?<label>...)"
e2e_finish
