#!/bin/sh
# tests/e2e/report.sh — the comparative report end to end: the shipped study's
# pipeline and the second example study (grouped by party and year) through
# the same plugins; the report's numbers against the store; well-formed
# HTML, SVG, GEXF and GraphML; the same bytes on a rerun; a screenshot in
# headless Chromium that is not blank and shows every section's heading.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin report
OUT=$TMP/study
mkdir -p "$OUT" "$TMP/again"
$THEMA --quiet --db "$OUT/thema.db" --out "$OUT" script scripts/leren-om-te-leren.lua "$STUDY" >"$TMP/run.txt" 2>&1
contains "the pipeline prints where the report is" "$TMP/run.txt" "$OUT/report/report.html"
R=$OUT/report/report.html
q() { sqlite3 "$OUT/thema.db" "$1"; }

# well-formed: the page (XHTML-compatible), the drawing, the network files
for f in "$R" "$OUT/network/network.svg" "$OUT/network/network.gexf" "$OUT/network/network.graphml"; do
  if xmllint --noout "$f" 2>"$TMP/xml.txt"; then pass "well-formed: ${f#$OUT/}"; else
    fail "well-formed: ${f#$OUT/}" "$(head -3 "$TMP/xml.txt")"; fi
done
check "self-contained: nothing fetched" 0 "$(grep -c -E '<script|<link |src="http|href="http|@import|url\(' "$R" || :)"
for id in study compare network inductive preconditions; do
  check "the report has the section '$id'" 1 "$(grep -c "<section id=\"$id\">" "$R")"
done
check "a heatmap cell links to its quotes" 1 \
  "$(grep -c 'href="#compare-q-randvoorwaarden-coordinatie-centrumsteden"' "$R")"
check "and the quotes are there" 1 "$(grep -c 'id="compare-q-randvoorwaarden-coordinatie-centrumsteden"' "$R")"

# numbers against the store, recomputed with SQL
segs=$(q "SELECT count(*) FROM segment")
contains "the study's segments as the store counts them" "$R" "<td>segments</td><td class=\"num\">$segs</td>"
# code x network: the segments of Limburg's members coded coordinatie by the deductive pass
want=$(q "SELECT count(DISTINCT g.id) FROM segment g JOIN source s ON s.id = g.source_id
  JOIN speaker sp ON sp.id = g.speaker_id JOIN person p ON p.id = sp.person_id
  JOIN membership m ON m.organisation_id = p.organisation_id JOIN network n ON n.id = m.network_id
  JOIN coding k ON k.segment_id = g.id JOIN code c ON c.id = k.code_id JOIN run r ON r.id = k.run_id
  WHERE s.kind = 'transcript' AND n.name = 'Limburg' AND c.path = 'randvoorwaarden/coordinatie' AND r.plugin = 'deductive'")
got=$(awk -F, '$1 == "plugin:deductive" && $2 == "randvoorwaarden/coordinatie" && $3 == "Limburg" { print $4 }' "$OUT/compare/code_group.csv")
check "code x group: Limburg's coordinatie segments as SQL counts them" "$want" "$got"
check "network: one quote per edge turn" \
  "$(awk -F, 'NR > 1 { s += $4 } END { print s }' "$OUT/network/edges.csv")" \
  "$(sqlite3 -csv :memory: ".import --csv $OUT/network/edge_quotes.csv t" "SELECT count(*) FROM t")"

# the same bytes on a rerun
$THEMA --quiet --db "$TMP/again/thema.db" --out "$TMP/again" script scripts/leren-om-te-leren.lua "$STUDY" >/dev/null 2>&1
for f in report/report.html report/report.md network/network.gexf network/network.graphml \
  network/network.dot network/network.svg network/edges.csv compare/code_group.csv; do
  same_files "rerun gives the same bytes: $f" "$OUT/$f" "$TMP/again/$f"
done

# the second study: grouped by party and year, nothing of the thesis
SP=$TMP/speeches
mkdir -p "$SP"
$THEMA --quiet --db "$SP/thema.db" --out "$SP" script scripts/speeches-example.lua corpora/speeches-example >"$TMP/sp.txt" 2>&1
S=$SP/report/report.html
check "speeches: the report is well-formed" 0 "$(xmllint --noout "$S" 2>&1 | wc -l)"
contains "speeches: grouped by party" "$S" "Groups compared by person.party"
contains "speeches: grouped by year" "$S" "Groups compared by source.year"
contains "speeches: the parties are the groups" "$SP/compare/party/composition.csv" "CD&V"
check "speeches: nothing of the thesis's networks" 0 "$(grep -c 'Leuven-Hageland' "$S" || :)"

# a screenshot in headless Chromium: not blank, every section's heading shown
CHROMIUM=$(command -v chromium || command -v chromium-browser || :)
if [ -n "$CHROMIUM" ]; then
  (cd "$TMP" && timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$TMP/shot.png" --window-size=1200,2400 "file://$R" >/dev/null 2>&1 || :)
  size=$(stat -c %s "$TMP/shot.png" 2>/dev/null || echo 0)
  if [ "$size" -gt 60000 ]; then pass "screenshot: not blank ($size bytes of PNG)"; else
    fail "screenshot: not blank" "$size bytes"; fi
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom "file://$R" \
    >"$TMP/dom.html" 2>/dev/null || :
  for h in "The study" "Groups compared by network" "Who learns from whom"; do
    contains "the rendered page shows the heading '$h'" "$TMP/dom.html" ">$h</h2>"
  done
else
  skip "screenshot" "chromium is not installed (make test-deps installs it)"
fi
e2e_finish
