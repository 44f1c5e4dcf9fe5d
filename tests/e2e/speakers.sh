#!/bin/sh
# tests/e2e/speakers.sh — speakers at scale: a cases row with source '*' maps
# a label in every source to one person (a member of parliament across the
# sittings), with its organisation, role and attributes; a label that no
# source has is refused with its line; attribute filters find the turns.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin speakers
cd "$TMP"
for d in 1 2 3; do
  printf -- '---\ntitle: Zitting %s\ndate: 2020-0%s-01\n---\n\nJan Peeters: Dank u, voorzitter.\n\nAn Claes: Ik heb een vraag.\n' "$d" "$d" >"zitting-$d.txt"
done
$THEMA --db "$DB" import transcript zitting-1.txt zitting-2.txt zitting-3.txt >/dev/null
printf 'source,speaker,person,organisation,role,party\n*,Jan Peeters,,N-VA,volksvertegenwoordiger,N-VA\n*,An Claes,An Claes,Groen,volksvertegenwoordiger,Groen\n' >sp.csv
$THEMA --db "$DB" import cases sp.csv >/dev/null
q() { sqlite3 "$DB" "$1"; }
check "one person per member, whatever the sittings" "An Claes|3;Jan Peeters|3" \
  "$(q "SELECT group_concat(x, ';') FROM (SELECT p.name || '|' || count(*) AS x FROM speaker s JOIN person p ON p.id = s.person_id GROUP BY p.name ORDER BY p.name)")"
check "two persons in all" 2 "$(q "SELECT count(*) FROM person")"
check "with their party as an attribute" "Groen" \
  "$(q "SELECT a.value FROM attribute a JOIN person p ON a.entity = 'person' AND a.entity_id = p.id WHERE p.name = 'An Claes' AND a.key = 'party'")"
printf 'local n = thema.store.count_segments{ attribute = { party = "N-VA" } }\nprint(n)\n' >f.lua
check "the attribute filter finds the member's turns in every sitting" 3 "$($THEMA --db "$DB" script f.lua)"
printf 'source,speaker\n*,Jan Peters\n' >typo.csv
before=$(q .dump | sha256sum)
set +e
$THEMA --db "$DB" import cases typo.csv >out.txt 2>&1
code=$?
set -e
check "a label no source has: exit 2" 2 "$code"
contains "a label no source has: file, line and what to do" out.txt \
  "typo.csv:2: no source has a speaker 'Jan Peters'; import the sources first, or fix the label"
check "a label no source has: nothing stored" "$before" "$(q .dump | sha256sum)"
e2e_finish
