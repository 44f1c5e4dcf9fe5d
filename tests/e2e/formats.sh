#!/bin/sh
# tests/e2e/formats.sh — `thema import` on the formats researchers bring
# (tests/fixtures/formats, made by make.py there): DOCX as a document and as
# an interview transcript, ODT, a windows-1252 HTML page of minutes, a
# two-page PDF, a ParlaMint sitting as TEI and as text with its meta TSV;
# a folder of mixed formats; then refusals, each with exit 2 and the store
# as it was.
#
#   THEMA=build/asan/thema sh tests/e2e/formats.sh      (run from anywhere)
#
# The last line of output is "N passed, N failed"; the exit code is 1 when
# any check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin formats
F=$ROOT/tests/fixtures/formats
SITTING=ParlaMint-XX_2021-03-04-commissie

step "import document interview.docx" th "$DB" import document "$F/interview.docx"
check "report line" "imported document interview: 5 paragraphs" "$(cat "$TMP/step.out")"
check "docx headings are section paths" \
  "Begin van het project;Samenwerking > Vragen over vertrouwen" \
  "$(q "SELECT group_concat(section, ';') FROM (SELECT DISTINCT section FROM segment ORDER BY section)")"

DB=$TMP/interview.db
step "import transcript interview.docx" th "$DB" import transcript "$F/interview.docx"
check "docx turns" "4 turns, 2 speakers" "$(sed 's/.*: //' "$TMP/step.out")"
check "turn labels" "Interviewer;R1;Interviewer;R1" \
  "$(q "SELECT group_concat(label, ';') FROM (SELECT s.label FROM segment g JOIN speaker s ON s.id = g.speaker_id ORDER BY g.ordinal)")"

DB=$TMP/minutes.db
step "import document minutes.html (windows-1252)" th "$DB" import document "$F/minutes.html"
check "charset converted" "1" \
  "$(q "SELECT count(*) FROM segment WHERE text LIKE '%€ 1,2 miljoen%café%'")"
check "no markup stored" "0" "$(q "SELECT count(*) FROM source WHERE text LIKE '%<%' OR text LIKE '%mso-%'")"
check "title from <title>" "Notulen gemeenteraad" "$(q "SELECT title FROM source")"

DB=$TMP/pdf.db
step "import document report.pdf" th "$DB" import document "$F/report.pdf"
check "pdf pages kept" "page 1:3;page 2:2" \
  "$(q "SELECT group_concat(section || ':' || n, ';') FROM (SELECT section, count(*) AS n FROM segment GROUP BY section ORDER BY section)")"

DB=$TMP/tei.db
step "import transcript sitting.xml (TEI)" th "$DB" import transcript "$F/$SITTING.xml"
check "tei turns" "imported transcript $SITTING: 4 turns, 3 speakers" "$(cat "$TMP/step.out")"

DB=$TMP/parlamint.db
step "import parlamint sitting.txt + meta" th "$DB" import parlamint "$F/$SITTING.txt"
check "speakers are persons with parties" "Janssens, Bart:PB;Peeters, An:PA" \
  "$(qt "SELECT group_concat(p.name || ':' || o.name, ';') FROM (SELECT * FROM person ORDER BY name) p JOIN organisation o ON o.id = p.organisation_id")"
check "gender attribute" "F;M;F" \
  "$(q "SELECT group_concat(value, ';') FROM (SELECT a.value FROM attribute a JOIN person p ON a.entity = 'person' AND a.entity_id = p.id WHERE a.key = 'gender' ORDER BY p.name)")"
step "re-import parlamint is a no-op" th "$DB" import parlamint "$F/$SITTING.txt"
check "unchanged" "unchanged parlamint $SITTING" "$(cat "$TMP/step.out")"

# A folder of mixed formats: every file read by what it is.
mkdir "$TMP/docs"
cp "$F/interview.docx" "$F/report.odt" "$F/minutes.html" "$TMP/docs/"
cp "$F/report.pdf" "$TMP/docs/verslag.pdf"
cp "$F/report.pdf" "$TMP/docs/scan.pdf"
DB=$TMP/folder.db
step "import document FOLDER" th "$DB" import document "$TMP/docs"
check "five sources" "docx;html;odt;pdf;pdf" \
  "$(q "SELECT group_concat(format, ';') FROM (SELECT format FROM source ORDER BY format)")"

# refused NAME KIND FILE NEEDLE — exit 2, a message holding NEEDLE, and $DB unchanged.
refused() {
  before=$(q "SELECT count(*) || '/' || (SELECT count(*) FROM segment) FROM source")
  if th "$DB" import "$2" "$3" >"$TMP/r.out" 2>"$TMP/r.err"; then
    fail "$1" "exit 0" "$(cat "$TMP/r.out")"
    return
  else
    rc=$?
  fi
  after=$(q "SELECT count(*) || '/' || (SELECT count(*) FROM segment) FROM source")
  if [ "$rc" -eq 2 ] && grep -qF -- "$4" "$TMP/r.err" && [ "$before" = "$after" ]; then
    pass "$1"
  else
    fail "$1" "exit $rc, store $before -> $after" "$(cat "$TMP/r.err")"
  fi
}

printf '<?xml version="1.0"?>\n<rows><row>1</row></rows>\n' >"$TMP/data.xml"
head -c 900 "$F/interview.docx" >"$TMP/cut.docx"
head -c 500 "$F/report.pdf" >"$TMP/cut.pdf"
head -c 800 "$F/$SITTING.xml" >"$TMP/cut.xml"
printf '<html><body><p>caf\351</p></body></html>' >"$TMP/latin.html"
cp "$F/$SITTING.txt" "$TMP/lonely.txt"
refused "plain XML is not stored as a document" document "$TMP/data.xml" "XML that is not TEI or HTML"
refused "TEI names the transcript kind" document "$F/$SITTING.xml" "thema import transcript"
refused "DOCX is not a cases file" cases "$F/interview.docx" "thema import document"
refused "PDF is not a monitor table" monitor "$F/report.pdf" "a PDF document"
refused "truncated DOCX" document "$TMP/cut.docx" "truncated"
refused "truncated PDF" document "$TMP/cut.pdf" "damaged or truncated"
refused "truncated TEI" transcript "$TMP/cut.xml" "damaged or truncated"
refused "undeclared charset" document "$TMP/latin.html" "declares no charset"
refused "missing meta file" parlamint "$TMP/lonely.txt" "lonely-meta.tsv is missing"
printf '\000\001\000\002\000\000binary' >"$TMP/blob.txt"
refused "a binary file" transcript "$TMP/blob.txt" "binary data"

e2e_finish
