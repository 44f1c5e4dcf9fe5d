#!/bin/sh
# tests/e2e/segment.sh — thema segment re-cuts sources into sentences,
# paragraphs and windows: offsets stay exact, speakers and sections stay,
# codings move with their spans, the full-text index follows, and a coding
# that no single new unit holds refuses the whole re-cut.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin segment
cd "$TMP"
cat >t.txt <<'TXT'
## Deel 1

R1: Leuven is ons voorbeeld, bv. voor de onthaalwerking. Wij kijken daar naar.
Dat helpt ons echt.

I: En Diest? Werkt dat ook?

R2: Ja. Maar de schaal is anders.
TXT
$THEMA --db "$DB" import transcript t.txt >/dev/null
printf 'code\nvoorbeeld\nschaal\n' >cb.csv
$THEMA --db "$DB" import codebook cb.csv >/dev/null
# spans in code points of the source text: "Leuven" and "schaal"
start=$(sqlite3 "$DB" "SELECT instr(text, 'Leuven') - 1 FROM source")
s2=$(sqlite3 "$DB" "SELECT instr(text, 'schaal') - 1 FROM source")
printf 'source,segment,code,start,end,coder\nt,1,voorbeeld,%s,%s,ann\nt,3,schaal,%s,%s,ann\n' \
  "$start" $((start + 6)) "$s2" $((s2 + 6)) >k.csv
$THEMA --db "$DB" import codings k.csv >/dev/null
q() { sqlite3 "$DB" "$1"; }
exact() { q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id WHERE substr(s.text, g.start + 1, g.end - g.start) IS NOT g.text"; }

$THEMA --db "$DB" segment --unit sentence --language nl --source t >out.txt
contains "sentences: reported" out.txt "segmented t: 3 segments into 7 (sentence), 2 codings moved"
check "sentences: 'bv.' does not end a sentence" 1 \
  "$(q "SELECT count(*) FROM segment WHERE text = 'Leuven is ons voorbeeld, bv. voor de onthaalwerking.'")"
check "sentences: offsets exact" 0 "$(exact)"
check "sentences: ordinals 1..n" "1|7|7" "$(q "SELECT min(ordinal) || '|' || max(ordinal) || '|' || count(*) FROM segment")"
check "sentences: speakers kept" "R1|R1|R1|I|I|R2|R2" \
  "$(q "SELECT group_concat(label, '|') FROM (SELECT p.label FROM segment g JOIN speaker p ON p.id = g.speaker_id ORDER BY g.ordinal)")"
check "sentences: sections kept" 7 "$(q "SELECT count(*) FROM segment WHERE section = 'Deel 1'")"
check "sentences: codings on the sentences that hold them" "voorbeeld:Leuven is ons voorbeeld, bv. voor de onthaalwerking.|schaal:Maar de schaal is anders." \
  "$(q "SELECT group_concat(c.name || ':' || g.text, '|') FROM (SELECT * FROM coding ORDER BY start) k JOIN code c ON c.id = k.code_id JOIN segment g ON g.id = k.segment_id")"
check "sentences: the full-text index follows" 1 "$(q "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'onthaalwerking'")"
check "sentences: the index has every new unit, no old one" "7" "$(q "SELECT count(*) FROM segment_fts")"
printf 'code,include\nonthaal,onthaal\\w*\n' >rules.csv
$THEMA --db "$DB" --out "$TMP/out" run deductive codebook=rules.csv >/dev/null
check "the deductive pass names the unit it coded" "unit,sentence" "$(grep '^unit,' "$TMP/out/deductive/summary.csv")"
check "sentences: the unit is the source's attribute" sentence \
  "$(q "SELECT value FROM attribute WHERE entity = 'source' AND key = 'unit'")"

# a coding across two sentences refuses the re-cut to windows of one word
dump=$(q .dump | sha256sum)
printf 'source,segment,code,start,end,coder\nt,1,voorbeeld,%s,%s,bob\n' "$start" $((start + 13)) >k2.csv
$THEMA --db "$DB" import codings k2.csv >/dev/null
dump=$(q .dump | sha256sum)
set +e
$THEMA --db "$DB" segment --unit window=1 --all >out.txt 2>&1
code=$?
set -e
check "a crossing coding: exit 2" 2 "$code"
contains "a crossing coding: names it" out.txt "t: 1 coding crosses the boundary of a new unit (window=1)"
check "a crossing coding: store unchanged" "$dump" "$(q .dump | sha256sum)"

$THEMA --db "$DB" segment --unit window=3 --kind transcript >out.txt
contains "windows of 3 words" out.txt "segmented t: 7 segments into"
check "windows: offsets exact" 0 "$(exact)"
check "windows: at most 3 words each" 0 \
  "$(q "SELECT count(*) FROM segment WHERE length(trim(text)) - length(replace(trim(text), ' ', '')) > 2")"

set +e
$THEMA --db "$DB" segment --unit clause --all >out.txt 2>&1; c1=$?
$THEMA --db "$DB" segment --unit sentence --source nosuch >out2.txt 2>&1; c2=$?
$THEMA --db "$DB" segment --unit sentence >out3.txt 2>&1; c3=$?
set -e
check "an unknown unit: exit 1" 1 "$c1"
contains "an unknown unit: says the units" out.txt "give sentence, paragraph or window=N"
check "an unknown source: exit 2" 2 "$c2"
contains "an unknown source: names it" out2.txt "no source 'nosuch'"
check "no sources chosen: exit 1" 1 "$c3"
e2e_finish
