#!/bin/sh
# tests/e2e/speakers.sh — speakers at scale: a cases row with source '*' maps
# a label in every source to one person (a member of parliament across the
# sittings), with its organisation, role and attributes; a label that no
# source has is refused with its line; attribute filters find the turns.
# Dated rows (from, to) are affiliations: a member who changes party
# mid-corpus speaks for the party of each sitting's date, in the segments,
# the codings, the groupings and the group members; overlapping periods and
# bad dates are refused naming the lines. Segment attributes of an importer
# in Lua filter segments and codings.
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

# dated affiliations: Jan Peeters leaves N-VA for a party of his own after
# the second sitting; An Claes's party is renamed (Groen, then Groen!).
printf 'organisation,network\nN-VA,Kamer\nGroen,Kamer\nGroen!,Kamer\nVrije Lijst,Kamer\n' >orgs.csv
cat >dated.csv <<'CSV'
source,speaker,person,organisation,role,from,to,party
*,Jan Peeters,,N-VA,volksvertegenwoordiger,,2020-02-15,N-VA
*,Jan Peeters,,Vrije Lijst,volksvertegenwoordiger,2020-02-16,,N-VA
*,An Claes,An Claes,Groen,volksvertegenwoordiger,,,Groen
*,An Claes,An Claes,Groen!,volksvertegenwoordiger,2020-03-01,,Groen
CSV
$THEMA --db "$DB" import cases orgs.csv dated.csv >/dev/null
check "three affiliations, not an error" 3 "$(q "SELECT count(*) FROM affiliation")"
check "each turn speaks for the party of its sitting's date" \
  "zitting-1|Jan Peeters|N-VA;zitting-1|An Claes|Groen;zitting-2|Jan Peeters|N-VA;zitting-2|An Claes|Groen;zitting-3|Jan Peeters|Vrije Lijst;zitting-3|An Claes|Groen!" \
  "$(printf 'local t = {}\nfor g in thema.store.segments{} do t[#t + 1] = g.source .. "|" .. g.speaker .. "|" .. g.organisation end\nprint(table.concat(t, ";"))\n' >s.lua; $THEMA --db "$DB" script s.lua)"
check "the person keeps the latest party, or the undated one" "An Claes|Groen;Jan Peeters|Vrije Lijst" \
  "$(q "SELECT group_concat(x, ';') FROM (SELECT p.name || '|' || o.name AS x FROM person p JOIN organisation o ON o.id = p.organisation_id ORDER BY p.name)")"
printf 'print(thema.store.count_segments{ organisation = "Vrije Lijst" }, thema.store.count_segments{ organisation = "N-VA" }, thema.store.count_segments{ member_of = "Kamer" })\n' >c.lua
check "the organisation filter follows the dates" "1	2	6" "$($THEMA --db "$DB" script c.lua)"
cat >g.lua <<'LUA'
local n = {}
for r in thema.store.get_segments_by("organisation") do n[r.group or "-"] = (n[r.group or "-"] or 0) + 1 end
local k = {}
for g, c in pairs(n) do k[#k + 1] = g .. "=" .. c end
table.sort(k)
print(table.concat(k, " "))
k = {}
for _, g in ipairs(thema.store.get_groups("organisation")) do
  local p = {}
  for _, m in ipairs(g.persons) do p[#p + 1] = m.name end
  k[#k + 1] = g.name .. ":" .. g.organisations[1].turns .. ":" .. table.concat(p, "+")
end
print(table.concat(k, " "))
local kamer = 0
for r in thema.store.get_segments_by("network", { group = "Kamer" }) do kamer = kamer + 1 end
print(kamer)
LUA
check "grouping by organisation and network follows the dates" \
  "Groen!=1 Groen=2 N-VA=2 Vrije Lijst=1
Groen:2:An Claes Groen!:1:An Claes N-VA:2:Jan Peeters Vrije Lijst:1:Jan Peeters
6" "$($THEMA --db "$DB" script g.lua 2>&1)"
$THEMA --db "$DB" import cases dated.csv >/dev/null
check "importing the file again restates the periods" 3 "$(q "SELECT count(*) FROM affiliation")"

refused() { # name file message
  before=$(q .dump | sha256sum)
  set +e
  $THEMA --db "$DB" import cases "$2" >out.txt 2>&1
  code=$?
  set -e
  check "$1: exit 2" 2 "$code"
  contains "$1: the message" out.txt "$3"
  check "$1: nothing stored" "$before" "$(q .dump | sha256sum)"
}
printf 'source,speaker,organisation,from,to\n*,Jan Peeters,N-VA,2019-01-01,2020-03-01\n*,Jan Peeters,Vrije Lijst,2020-02-16,\n' >overlap.csv
refused "overlapping periods" overlap.csv \
  "overlap.csv:3: person 'Jan Peeters' is with 'Vrije Lijst' from 2020-02-16 to the end here, which overlaps line 2 ('N-VA' from 2019-01-01 to 2020-03-01)"
printf 'source,speaker,organisation,from\n*,Jan Peeters,N-VA,15/02/2020\n' >baddate.csv
refused "a date that is not ISO" baddate.csv "baddate.csv:2:4: '15/02/2020' is not a date; write from as YYYY-MM-DD"
printf 'source,speaker,organisation,from,to\n*,Jan Peeters,N-VA,2020-03-01,2020-01-01\n' >swapped.csv
refused "a period ending before it begins" swapped.csv "swapped.csv:2:5: the period ends (2020-01-01) before it begins (2020-03-01)"
printf 'source,speaker,organisation,from\n*,Jan Peeters,,2020-03-01\n' >noorg.csv
refused "a dated row without organisation" noorg.csv "noorg.csv:2: a row with from or to gives the organisation of that period"
printf 'source,speaker,person,organisation,from\n*,Jan Peeters,Jan,N-VA,2020-01-01\n*,Jan Peeters,Johan,N-VA,2021-01-01\n' >twoperson.csv
refused "one label, two persons" twoperson.csv "twoperson.csv:3: dated speaker 'Jan Peeters' is given as 'Johan' here but as 'Jan' on line 2"

# segment attributes from an importer in Lua: the filter of segments and codings
cat >imp.lua <<'LUA'
thema.add_source{ name = "plenaire", kind = "transcript", meta = { date = "2020-04-01" },
  segments = { { text = "Merci.", speaker = "An Claes", attributes = { lang = "fr" } },
               { text = "Dank u.", speaker = "Jan Peeters", attributes = { lang = "nl" } } } }
LUA
$THEMA --db "$DB" script imp.lua >/dev/null
$THEMA --db "$DB" import cases dated.csv >/dev/null # maps the new sitting's speakers
printf 'source,segment,start,end,code,coder\nplenaire,1,0,6,taal/frans,anna\nplenaire,2,8,15,taal/frans,anna\n' >cod.csv
$THEMA --db "$DB" import codings cod.csv >/dev/null
printf 'print(thema.store.count_segments{ attribute = { lang = "fr" } }, thema.store.count_codings{ attribute = { lang = "fr" } }, thema.store.count_codings{ attribute = { lang = "nl" } })\n' >sa.lua
check "segment attributes filter segments and codings" "1	1	1" "$($THEMA --db "$DB" script sa.lua)"
check "their organisation at that date" "Groen!" \
  "$(printf 'for g in thema.store.segments{ attribute = { lang = "fr" } } do print(g.organisation) end\n' >o.lua; $THEMA --db "$DB" script o.lua)"
printf 'thema.add_source{ name = "plenaire", kind = "transcript", replace = true, segments = { { text = "Merci bien.", speaker = "An Claes" } } }\n' >rep.lua
$THEMA --db "$DB" script rep.lua >/dev/null
check "a replaced source's segment attributes go with its segments" 0 \
  "$(q "SELECT count(*) FROM attribute WHERE entity = 'segment'")"
e2e_finish
