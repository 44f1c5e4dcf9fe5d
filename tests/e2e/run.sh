#!/bin/sh
# tests/e2e/run.sh — end-to-end: import the whole shipped study into a fresh
# store the way `make run` does, then check with `thema query` that what is
# stored is what the thesis prints (corpora/leren-om-te-leren/README.md names
# the bijlagen each file comes from), that re-importing changes nothing, and
# that two fresh imports give byte-identical results.
#
#   THEMA=build/asan/thema sh tests/e2e/run.sh      (run from anywhere)
#
# $THEMA may hold a command with arguments (e.g. "valgrind -q ... build/thema").
# The last line of output is "N passed, N failed"; the exit code is 1 when any
# check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin e2e
DATA=$ROOT/tests/data/e2e

# counts DB — one line per table, for before/after comparisons.
counts() {
  th "$1" query "SELECT (SELECT count(*) FROM source) || ' ' || (SELECT count(*) FROM segment)
    || ' ' || (SELECT count(*) FROM speaker) || ' ' || (SELECT count(*) FROM person)
    || ' ' || (SELECT count(*) FROM organisation) || ' ' || (SELECT count(*) FROM network)
    || ' ' || (SELECT count(*) FROM membership) || ' ' || (SELECT count(*) FROM attribute)
    || ' ' || (SELECT count(*) FROM indicator) || ' ' || (SELECT count(*) FROM observation)
    || ' ' || (SELECT count(*) FROM segment_fts) AS counts" | sed 1d
}

# dump DB FILE — segments and observations, ordered, without import times.
dump() {
  {
    th "$1" query "SELECT s.name, s.kind, s.genre, s.title, s.network, s.hash, s.length,
      g.ordinal, sp.label, p.name, g.section, g.start, g.end, g.time_start, g.text
      FROM segment g JOIN source s ON s.id = g.source_id
      LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id
      ORDER BY s.name, g.ordinal" || echo "dump failed" >&2
    th "$1" query "SELECT s.name, i.name, o.case_name, o.period, o.value, o.raw, o.unit, o.line
      FROM observation o JOIN source s ON s.id = o.source_id
      JOIN indicator i ON i.id = o.indicator_id
      ORDER BY s.name, o.line, i.name, o.period" || echo "dump failed" >&2
    th "$1" query "SELECT entity, key, value FROM attribute ORDER BY 1, 2, 3" ||
      echo "dump failed" >&2
  } >"$2"
}

# ---- the import ----
step "init" th "$DB" init
step "import transcript $STUDY/transcripts" th "$DB" import transcript $STUDY/transcripts
contains "transcripts report their turns" "$TMP/step.out" \
  "imported transcript fg2-centrumsteden: 37 turns, 10 speakers"
step "import document $STUDY/documents" th "$DB" import document $STUDY/documents
step "import monitor $STUDY/monitor" th "$DB" import monitor $STUDY/monitor
contains "monitor tables report their observations" "$TMP/step.out" \
  "imported monitor liim-2018-limburg: 14 rows, 42 observations"
step "import cases organisations.csv cases.csv" \
  th "$DB" import cases $STUDY/organisations.csv $STUDY/cases.csv

check "sources by kind" "document,6
monitor,4
transcript,5" "$(q "SELECT kind, count(*) FROM source GROUP BY kind ORDER BY kind")"

# ---- bijlage 7: the respondents of the three focus groups ----
check "respondents per focus group (bijlage 7: 4, 10, 13)" "fg1-leuven-hageland,4
fg2-centrumsteden,10
fg3-limburg,13" "$(q "SELECT s.name, count(DISTINCT p.id) FROM speaker sp
  JOIN source s ON s.id = sp.source_id JOIN person p ON p.id = sp.person_id
  WHERE s.genre = 'focusgroup' AND coalesce(p.role, '') <> 'interviewer'
  GROUP BY s.name ORDER BY s.name")"

q "SELECT s.name, sp.label, coalesce(o.name, ''), coalesce(a.value, '')
  FROM speaker sp JOIN source s ON s.id = sp.source_id JOIN person p ON p.id = sp.person_id
  LEFT JOIN organisation o ON o.id = p.organisation_id
  LEFT JOIN attribute a ON a.entity = 'person' AND a.entity_id = p.id AND a.key = 'function'
  WHERE s.genre = 'focusgroup' AND coalesce(p.role, '') <> 'interviewer'
  ORDER BY s.name, CAST(substr(sp.label, instr(sp.label, '.') + 1) AS INTEGER)" \
  >"$TMP/respondents.csv"
if sed 1d "$DATA/bijlage7.csv" | cmp -s - "$TMP/respondents.csv"; then
  pass "every respondent has the organisation and function of bijlage 7"
else
  fail "every respondent has the organisation and function of bijlage 7" \
    "$(sed 1d "$DATA/bijlage7.csv" | diff - "$TMP/respondents.csv" || true)"
fi

check "every turn's speaker is mapped to a person" "0" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
    JOIN speaker sp ON sp.id = g.speaker_id
    WHERE s.kind = 'transcript' AND sp.person_id IS NULL")"

check "the interviewees are the AgII and VVSG staff" "interview-agii,R (AgII),AgII
interview-vvsg,R (VVSG),VVSG" "$(q "SELECT s.name, sp.label, o.name FROM speaker sp
  JOIN source s ON s.id = sp.source_id JOIN person p ON p.id = sp.person_id
  JOIN organisation o ON o.id = p.organisation_id
  WHERE s.genre = 'interview' ORDER BY s.name")"

# ---- chapter 4: the quotes as turns ----
check "turns per transcript" "fg1-leuven-hageland,17
fg2-centrumsteden,37
fg3-limburg,22
interview-agii,7
interview-vvsg,5" "$(q "SELECT s.name, count(*) FROM segment g JOIN source s ON s.id = g.source_id
  WHERE s.kind = 'transcript' GROUP BY s.name ORDER BY s.name")"

check "the first turn of fg2 is R2.1's ‘Kunnen’" "R2.1|‘Kunnen’, ik zou zelfs zeggen" \
  "$(qt "SELECT sp.label || '|' || substr(g.text, 1, 29) FROM segment g
    JOIN source s ON s.id = g.source_id JOIN speaker sp ON sp.id = g.speaker_id
    WHERE s.name = 'fg2-centrumsteden' AND g.ordinal = 1")"

check "segments are stored" "260" "$(q "SELECT count(*) FROM segment")"
check "every segment's text is its slice of the source text" "0" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
    WHERE g.text <> substr(s.text, g.start + 1, g.end - g.start)")"
check "every segment lies within its source" "0" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
    WHERE g.start < 0 OR g.end > s.length OR g.start > g.end")"
check "no turn starts with its speaker label" "0" \
  "$(q "SELECT count(*) FROM segment g JOIN speaker sp ON sp.id = g.speaker_id
    WHERE g.text LIKE sp.label || ':%'")"
check "the full-text index holds every segment" "0" \
  "$(q "SELECT (SELECT count(*) FROM segment) - (SELECT count(*) FROM segment_fts)")"

# ---- bijlagen 4-6: the monitor tables ----
obs() { # CASE INDICATOR PERIOD -> "value unit"
  q "SELECT o.value || ' ' || coalesce(o.unit, '') FROM observation o
    JOIN indicator i ON i.id = o.indicator_id
    WHERE o.case_name = '$1' AND i.name = '$2' AND o.period = '$3'"
}
check "Leuven: 18.047 persons of foreign nationality in 2017 (LIIM)" "18047.0 aantal" \
  "$(obs Leuven 'Aantal personen met vreemde nationaliteit' 2017)"
check "Leuven: 3.900 newcomers in 2017 (LIIM)" "3900.0 aantal" \
  "$(obs Leuven 'Aantal nieuwkomers' 2017)"
check "Lanaken: 30,3 % of foreign nationality (LIIM Limburg)" "30.3 %" \
  "$(obs Lanaken '% t.o.v. totaal aantal inwoners' 2017)"
check "Hasselt: 48 % strong social integration in 2017 (Stadsmonitor)" "48.0 %" \
  "$(obs Hasselt 'Sterke sociale integratie in de buurt' 2017)"
check "Leuven: 70 % 'Eens' (Gemeentemonitor)" "70.0 %" \
  "$(obs Leuven 'Als je mensen uit een andere cultuur beter leert kennen blijken ze best sympathiek te zijn: Eens' 2017)"
check "raw cells are kept as printed" "18.047|70%|30,3" \
  "$(qt "SELECT group_concat(raw, '|') FROM (SELECT raw FROM observation
    WHERE (case_name = 'Leuven' AND raw = '18.047') OR (case_name = 'Lanaken' AND raw = '30,3')
    OR (case_name = 'Leuven' AND raw = '70%') ORDER BY value DESC)")"
check "observations per table" "gemeentemonitor-2017-sympathiek,6
liim-2018-leuven-hageland,15
liim-2018-limburg,42
stadsmonitor-sociale-integratie,42" "$(q "SELECT s.name, count(*) FROM observation o
  JOIN source s ON s.id = o.source_id GROUP BY s.name ORDER BY s.name")"
check "no monitor value is missing" "0" "$(q "SELECT count(*) FROM observation WHERE value IS NULL")"

# ---- §3.3.3: the networks ----
check "members per network (5 / 15 / 13)" "Centrumsteden,13
Leuven-Hageland,5
Limburg,15" "$(q "SELECT n.name, count(*) FROM membership m JOIN network n ON n.id = m.network_id
  GROUP BY n.name ORDER BY n.name")"
check "Leuven-Hageland's members" "Aarschot;Diest;Landen;Leuven;Tienen" \
  "$(q "SELECT group_concat(name, ';') FROM (SELECT o.name FROM membership m
    JOIN network n ON n.id = m.network_id JOIN organisation o ON o.id = m.organisation_id
    WHERE n.name = 'Leuven-Hageland' ORDER BY o.name)")"
check "Genk and Hasselt are in Limburg and the centrumsteden" "Genk,2
Hasselt,2" "$(q "SELECT o.name, count(*) FROM membership m JOIN organisation o
  ON o.id = m.organisation_id WHERE o.name IN ('Genk', 'Hasselt') GROUP BY o.name ORDER BY o.name")"

# ---- stats and export ----
if th "$DB" stats >"$TMP/stats.out" 2>"$TMP/stats.err"; then
  pass "stats runs"
else
  fail "stats runs" "$(cat "$TMP/stats.err")"
fi
contains "stats: Leuven-Hageland present" "$TMP/stats.out" \
  "present           3 of 5: Diest (fg1-leuven-hageland), Landen (fg1-leuven-hageland), Leuven (fg1-leuven-hageland, fg2-centrumsteden)"
contains "stats: Leuven-Hageland absent" "$TMP/stats.out" "absent            2: Aarschot, Tienen"
contains "stats: centrumsteden present" "$TMP/stats.out" \
  "present           7 of 13: Genk (fg2-centrumsteden), Gent (fg2-centrumsteden), Kortrijk (fg2-centrumsteden), Leuven (fg1-leuven-hageland, fg2-centrumsteden), Mechelen (fg2-centrumsteden), Oostende (fg2-centrumsteden), Roeselare (fg2-centrumsteden)"
# Genk belongs to Limburg too and speaks in the centrumsteden group: present by
# membership, with the source that says it was not at the Limburg meeting
contains "stats: Limburg present" "$TMP/stats.out" \
  "present           8 of 15: Dilsen-Stokkem (fg3-limburg), Genk (fg2-centrumsteden), Heusden-Zolder (fg3-limburg), Lanaken (fg3-limburg), Leopoldsburg (fg3-limburg), Lommel (fg3-limburg), Maasmechelen (fg3-limburg), Welzijnsregio Noord-Limburg (fg3-limburg)"
# at the table (bijlage 7) but never quoted in chapter 4
contains "stats: Limburg silent" "$TMP/stats.out" "silent            2: Heusden-Zolder, Lanaken"
contains "stats: Limburg absent" "$TMP/stats.out" \
  "absent            7: Beringen, Bilzen, Ham, Hasselt, Houthalen-Helchteren, Maaseik, Sint-Truiden"
th "$DB" stats --by source.network >"$TMP/stats-src.out" 2>&1 || fail "stats --by source.network" "$(cat "$TMP/stats-src.out")"
contains "stats --by source.network: the Limburg meeting" "$TMP/stats-src.out" \
  "organisations     7: AgII (2), Dilsen-Stokkem (1), Instituut voor de Overheid (1), Leopoldsburg (10), Lommel (5), Maasmechelen (1), Welzijnsregio Noord-Limburg (1)"
if th "$DB" stats --by party >"$TMP/stats-bad.out" 2>&1; then status=0; else status=$?; fi
check "stats --by an unknown grouping exits 2" "2" "$status"
contains "stats --by an unknown grouping names the kinds" "$TMP/stats-bad.out" \
  "unknown grouping 'party' (known: source, network, organisation, role, person, source.KEY, person.KEY, organisation.KEY)"

th "$DB" export codings --format csv >"$TMP/export.csv" 2>"$TMP/export.err" || true
check "export codings before any coding is only the header" \
  "source,segment,speaker,organisation,network,code,start,end,span_text,context,coder,run,memo" \
  "$(cat "$TMP/export.csv" "$TMP/export.err")"

# ---- re-import ----
before=$(counts "$DB")
dump "$DB" "$TMP/dump-before"
for kind in transcript document monitor; do
  case $kind in
    transcript) dir=$STUDY/transcripts n=5 ;;
    document) dir=$STUDY/documents n=6 ;;
    monitor) dir=$STUDY/monitor n=4 ;;
  esac
  if th "$DB" import $kind "$dir" >"$TMP/re.out" 2>"$TMP/re.err"; then
    check "re-importing $dir reports unchanged" "$n unchanged" \
      "$(grep -c "^unchanged $kind " "$TMP/re.out") unchanged"
  else
    fail "re-importing $dir reports unchanged" "$(cat "$TMP/re.err")"
  fi
done
step "re-importing the cases" th "$DB" import cases $STUDY/organisations.csv $STUDY/cases.csv
check "re-importing changes no count" "$before" "$(counts "$DB")"
dump "$DB" "$TMP/dump-after"
same_files "re-importing changes no stored value" "$TMP/dump-before" "$TMP/dump-after"

# ---- determinism ----
if import_study "$TMP/a.db" >/dev/null 2>"$TMP/a.err" &&
  import_study "$TMP/b.db" >/dev/null 2>"$TMP/b.err"; then
  dump "$TMP/a.db" "$TMP/dump-a"
  dump "$TMP/b.db" "$TMP/dump-b"
  same_nonempty_files "two fresh imports give byte-identical segments and observations" \
    "$TMP/dump-a" "$TMP/dump-b"
  same_files "a fresh import matches the step-by-step one" "$TMP/dump-before" "$TMP/dump-a"
  th "$TMP/a.db" stats | sed 1d >"$TMP/stats-a"
  th "$TMP/b.db" stats | sed 1d >"$TMP/stats-b"
  same_nonempty_files "two fresh imports give identical stats" "$TMP/stats-a" "$TMP/stats-b"
else
  fail "two fresh imports succeed" "$(cat "$TMP/a.err" "$TMP/b.err")"
fi

e2e_finish
