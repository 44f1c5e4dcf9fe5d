#!/bin/sh
# tests/e2e/compare.sh — end-to-end tests of the compare plugin on the shipped
# study coded by the deductive pass: a sample of its figures recomputed with
# SQL through `thema query` (turns per group through membership, coded
# segments per code and group, the keyness table's margins, a person's turns,
# coverage, the strongest co-occurring pair), two runs giving the same bytes,
# other groupings, two coders side by side with their agreement, and bad
# input refused with a message saying what exists.
#
#   THEMA=build/asan/thema sh tests/e2e/compare.sh      (run from anywhere)
#
# The last line of output is "N passed, N failed"; the exit code is 1 when any
# check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin compare

step "import the study" import_study "$DB"
step "code it deductively" th "$DB" run deductive codebook=$STUDY/codebook.csv
RUN=$(q "SELECT max(id) FROM run WHERE plugin = 'deductive' AND status = 'ok'")

# compare NAME PARAM... — run the plugin with its output in $TMP/NAME/compare/.
compare() {
  name=$1
  shift
  if th "$DB" --out "$TMP/$name" run compare "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
    pass "run compare $*"
  else
    fail "run compare $*" "exit $?" "$(cat "$TMP/$name.err")"
  fi
}

# col FILE GROUP-COLUMN GROUP VALUE-COLUMN — the value column of the rows whose
# group column equals GROUP (plain CSV fields, no quoted commas).
col() {
  awk -F, -v gc="$2" -v g="$3" -v vc="$4" 'NR > 1 && $gc == g { print $vc }' "$1"
}

compare net by=network
OUT=$TMP/net/compare
for f in composition participation organisations roles context context_summary code_group \
         keyness cooccurrence coverage saturation quotes; do
  if [ -s "$OUT/$f.csv" ]; then pass "$f.csv written"; else fail "$f.csv written"; fi
done
contains "section.md has the keyness heading" "$OUT/section.md" \
  "### Codes a group uses more or less than the rest"
contains "section.html is a fragment of tables" "$OUT/section.html" '<section class="thema-section">'
if grep -qi '<script\|<style\|<link\|src=' "$OUT/section.html"; then
  fail "section.html fetches nothing" "$(grep -i '<script\|<style\|<link\|src=' "$OUT/section.html")"
else
  pass "section.html fetches nothing"
fi
if command -v xmllint >/dev/null 2>&1; then
  if xmllint --noout "$OUT/section.html" 2>"$TMP/xmllint.err"; then
    pass "section.html is well-formed"
  else
    fail "section.html is well-formed" "$(head -5 "$TMP/xmllint.err")"
  fi
else
  skip "section.html is well-formed" "xmllint is not installed"
fi

# ---- figures against SQL ----
MEMBER_SEGMENTS="FROM segment g JOIN source s ON s.id = g.source_id
  JOIN speaker sp ON sp.id = g.speaker_id JOIN person p ON p.id = sp.person_id
  JOIN membership m ON m.organisation_id = p.organisation_id JOIN network n ON n.id = m.network_id
  WHERE s.kind = 'transcript'"
for net in Centrumsteden Leuven-Hageland Limburg; do
  check "turns of $net through membership" \
    "$(q "SELECT count(DISTINCT g.id) $MEMBER_SEGMENTS AND n.name = '$net'")" \
    "$(col "$OUT/composition.csv" 1 "$net" 9)"
done
# the same per-code counts, read from code_group.csv
for net in Limburg Centrumsteden; do
  check "code_group.csv segments in $net" \
    "$(q "SELECT c.path || ':' || count(DISTINCT g.id) FROM visible_coding k
          JOIN code c ON c.id = k.code_id JOIN segment g ON g.id = k.segment_id
          JOIN source s ON s.id = g.source_id JOIN speaker sp ON sp.id = g.speaker_id
          JOIN person p ON p.id = sp.person_id JOIN membership m ON m.organisation_id = p.organisation_id
          JOIN network n ON n.id = m.network_id
          WHERE s.kind = 'transcript' AND n.name = '$net' AND k.run_id = $RUN
          GROUP BY c.path ORDER BY c.path")" \
    "$(awk -F, -v g="$net" 'NR > 1 && $3 == g && $4 > 0 { print $2 ":" $4 }' "$OUT/code_group.csv")"
done
check "ungrouped turns: the interviewer and the non-members" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
        LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id
        WHERE s.kind = 'transcript' AND (p.organisation_id IS NULL OR p.organisation_id NOT IN
        (SELECT organisation_id FROM membership))")" \
  "$(col "$OUT/composition.csv" 1 "(none)" 9)"
CODE=randvoorwaarden/coordinatie
check "keyness margins of $CODE in Leuven-Hageland: with the code, all segments" \
  "$(q "SELECT count(DISTINCT k.segment_id) FROM visible_coding k JOIN code c ON c.id = k.code_id
        JOIN segment g ON g.id = k.segment_id JOIN source s ON s.id = g.source_id
        WHERE c.path = '$CODE' AND k.run_id = $RUN AND s.kind = 'transcript'"),$(q "SELECT count(*)
        FROM segment g JOIN source s ON s.id = g.source_id WHERE s.kind = 'transcript'")" \
  "$(awk -F, -v c="$CODE" 'NR > 1 && $2 == c && $3 == "Leuven-Hageland" { print $4 + $5 "," $4 + $5 + $6 + $7 }' \
      "$OUT/keyness.csv")"
check "participation: FG3-R5's turns in Limburg" \
  "$(q "SELECT count(*) FROM segment g JOIN speaker sp ON sp.id = g.speaker_id
        JOIN person p ON p.id = sp.person_id JOIN source s ON s.id = g.source_id
        WHERE p.name = 'FG3-R5' AND s.kind = 'transcript'")" \
  "$(awk -F, '$1 == "Limburg" && $2 == "FG3-R5" { print $7 }' "$OUT/participation.csv")"
check "organisations: Aarschot belongs to Leuven-Hageland and sat at no table" \
  "Leuven-Hageland,Aarschot,1,absent,,0,0,0.0000" \
  "$(grep '^Leuven-Hageland,Aarschot,' "$OUT/organisations.csv")"
check "coverage: coded transcript turns overall" \
  "$(q "SELECT count(DISTINCT k.segment_id) FROM visible_coding k JOIN segment g
        ON g.id = k.segment_id JOIN source s ON s.id = g.source_id
        WHERE k.run_id = $RUN AND s.kind = 'transcript'")" \
  "$(awk -F, '$2 == "(all)" && $3 == "(all)" { print $5 }' "$OUT/coverage.csv")"
PAIR=$(awk -F, 'NR > 1 && $4 > 0 { print $4 " " $2 " " $3 }' "$OUT/cooccurrence.csv" | sort -k1,1nr -k2 | head -1)
A=$(echo "$PAIR" | cut -d' ' -f2)
B=$(echo "$PAIR" | cut -d' ' -f3)
check "cooccurrence: segments with both $A and $B" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
        WHERE s.kind = 'transcript'
        AND g.id IN (SELECT k.segment_id FROM visible_coding k JOIN code c ON c.id = k.code_id
                     WHERE c.path = '$A' AND k.run_id = $RUN)
        AND g.id IN (SELECT k.segment_id FROM visible_coding k JOIN code c ON c.id = k.code_id
                     WHERE c.path = '$B' AND k.run_id = $RUN)")" \
  "$(echo "$PAIR" | cut -d' ' -f1)"
contains "section: the members' monitor figures, median per group" "$OUT/section.md" \
  "| Aantal nieuwkomers | 2017 | aantal | 439 (3) | 94 (5) | 166.5 (14) |"
check "monitor context: Lanaken's share of foreign nationals (bijlage 6)" \
  "Limburg,Lanaken,% t.o.v. totaal aantal inwoners,2017,30.3" \
  "$(grep '^Limburg,Lanaken,% t.o.v.' "$OUT/context.csv" | cut -d, -f1-5)"

# ---- the same bytes twice ----
compare again by=network
if diff -r "$TMP/net/compare" "$TMP/again/compare" >"$TMP/diff.out"; then
  pass "two runs write identical files"
else
  fail "two runs write identical files" "$(head -5 "$TMP/diff.out")"
fi

# ---- other groupings ----
compare src by=source.network
check "by source.network: the three meetings and the interviews" \
  "Centrumsteden Leuven-Hageland Limburg (none)" \
  "$(awk -F, 'NR > 1 { printf "%s%s", (NR > 2 ? " " : ""), $1 }' "$TMP/src/compare/composition.csv")"
compare cs by=organisation.centrumstad
check "by organisation.centrumstad: turns of the centrumsteden" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
        JOIN speaker sp ON sp.id = g.speaker_id JOIN person p ON p.id = sp.person_id
        JOIN attribute a ON a.entity = 'organisation' AND a.entity_id = p.organisation_id
        AND a.key = 'centrumstad' WHERE a.value = 'ja' AND s.kind = 'transcript'")" \
  "$(col "$TMP/cs/compare/composition.csv" 1 ja 9)"
compare role by=role
contains "by role: the trainees, members who never spoke" "$TMP/role/compare/participation.csv" \
  "stagiair,FG1-R4,Diest,stagiair,1,fg1-leuven-hageland,0,0"

compare prov by=organisation.province folder=province
if [ -s "$TMP/prov/compare/province/code_group.csv" ]; then pass "folder=: files in compare/province/"
else fail "folder=: files in compare/province/"; fi
contains "folder=: section ids carry the folder" "$TMP/prov/compare/province/section.html" \
  '<h2 id="compare-province">'
contains "by=network: section ids carry the grouping" "$OUT/section.html" '<h3 id="compare-network-keyness">'

# ---- two coders ----
printf 'source,segment,code\nfg3-limburg,2,randvoorwaarden/coordinatie\nfg3-limburg,3,randvoorwaarden/draagvlak\nfg1-leuven-hageland,1,randvoorwaarden/coordinatie\n' \
  >"$TMP/anna.csv"
step "import a human coder" th "$DB" import codings "$TMP/anna.csv" --coder anna
compare two by=network coders=plugin:deductive,coder:anna samples=200
contains "agreement.csv has the pooled row" "$TMP/two/compare/agreement.csv" "(overall),"
check "code_group.csv has both coders" "coder:anna plugin:deductive" \
  "$(awk -F, 'NR > 1 { print $1 }' "$TMP/two/compare/code_group.csv" | sort -u | tr '\n' ' ' | sed 's/ $//')"
if [ -s "$TMP/two/compare/disagreements.csv" ]; then pass "disagreements.csv written"; else
  fail "disagreements.csv written"; fi
contains "section: the agreement table" "$TMP/two/compare/section.md" "### Agreement of the two coders"
compare human coder=anna
check "coder= alone: the human coder's codings" "coder:anna" \
  "$(awk -F, 'NR > 1 { print $1 }' "$TMP/human/compare/code_group.csv" | sort -u)"

# ---- another study: speeches grouped by party and year ----
# Nothing of the thesis: two debates with a year in their front matter, speakers
# with a party in cases.csv, and a two-code codebook.
P=$TMP/party
mkdir -p "$P"
printf -- '---\ntitle: Debat 1\nkind: meeting\nyear: 2019\n---\n\nA: Wij willen meer geld voor scholen en onderwijs.\n\nB: Wij willen minder belastingen voor bedrijven.\n\nA: Onderwijs is de toekomst van onze kinderen.\n' >"$P/d1.txt"
printf -- '---\ntitle: Debat 2\nkind: meeting\nyear: 2020\n---\n\nB: Belastingen moeten omlaag, zeker voor bedrijven.\n\nC: Scholen verdienen meer steun.\n' >"$P/d2.txt"
printf 'source,speaker,person,organisation,role,party\nd1,A,Anna,Parlement,lid,Groen\nd1,B,Bert,Parlement,lid,Blauw\nd2,B,Bert,Parlement,lid,Blauw\nd2,C,Cas,Parlement,lid,Groen\n' >"$P/cases.csv"
printf 'code,parent,description,include\nbeleid,,Beleid,\nonderwijs,beleid,Onderwijs,"(?:onderwijs|scholen)"\nbelasting,beleid,Belastingen,"belasting\\w*"\n' >"$P/codebook.csv"
PDB=$P/thema.db
step "party study: import" sh -c "$THEMA --quiet --db '$PDB' init && $THEMA --quiet --db '$PDB' import transcript '$P/d1.txt' '$P/d2.txt' && $THEMA --quiet --db '$PDB' import cases '$P/cases.csv'"
# (a codebook is read from the project folder: run from the study's)
step "party study: code it" sh -c "cd '$P' && $THEMA --quiet --db thema.db run deductive codebook=codebook.csv"
th "$PDB" stats --by person.party >"$TMP/party-stats.out" 2>&1 || fail "stats --by person.party"
contains "stats --by person.party: Groen's turns" "$TMP/party-stats.out" "person.party Groen
  members           2 persons
  sources           2: d1 (2), d2 (1)
  turns             3"
if th "$PDB" --out "$P/out" run compare by=person.party >/dev/null 2>"$P/err"; then
  pass "party study: compare by=person.party"
else
  fail "party study: compare by=person.party" "$(cat "$P/err")"
fi
check "party study: onderwijs by party" "Blauw:0 Groen:3" \
  "$(awk -F, '$2 == "beleid/onderwijs" { printf "%s%s:%s", (n++ ? " " : ""), $3, $4 }' "$P/out/compare/code_group.csv")"
if th "$PDB" --out "$P/out" run compare by=source.year folder=year >/dev/null 2>"$P/err"; then
  pass "party study: compare by=source.year"
else
  fail "party study: compare by=source.year" "$(cat "$P/err")"
fi
check "party study: the years are the groups" "2019 2020" \
  "$(awk -F, 'NR > 1 { printf "%s%s", (NR > 2 ? " " : ""), $1 }' "$P/out/compare/year/composition.csv")"

# ---- bad input ----
# fails NAME NEEDLE PARAM... — the run fails with a plugin error naming the problem.
fails() {
  name=$1 needle=$2
  shift 2
  if th "$DB" --out "$TMP/bad" run compare "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"; then
    fail "$name: refused" "it succeeded"
    return
  fi
  pass "$name: refused"
  contains "$name: says so" "$TMP/bad.err" "$needle"
}
fails "unknown grouping" "by: unknown grouping 'party' (known: source, network" by=party
fails "unknown attribute" "no organisation has the attribute 'party' (known keys: centrumstad" \
  by=organisation.party
fails "unknown human coder" "no codings by a human coder named nobody (human coders: anna)" \
  coder=nobody
fails "unknown plugin" "plugin nope has no run with status ok" run=nope
fails "unknown run" "there is no run 999" run=999
fails "unknown code" "codes: no code 'nope' in the store" codes=nope
fails "three coders" "compare takes one or two coders, got 3" \
  coders=plugin:deductive,coder:anna run=$RUN
fails "an order naming no compared source" "order: no source 'nope'" order=nope
fails "a folder that is a path" "folder: '../x' is not a plain folder name" folder=../x
check "a refused run leaves no files" "" "$(ls "$TMP/bad/compare" 2>/dev/null | head -1)"

e2e_finish
