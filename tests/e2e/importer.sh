#!/bin/sh
# tests/e2e/importer.sh — importers written in Lua: `thema import NAME FILE`
# runs plugins/importers/NAME.lua, whose sources go through thema.add_source
# and the core's checks; a bad file or a bad call stores nothing.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin importer
FIX=tests/fixtures/importers
q() { sqlite3 "$DB" "$1"; }
$THEMA --db "$DB" import tsv_turns $FIX/interview.tsv >"$TMP/out.txt"
contains "an importer in Lua imports" "$TMP/out.txt" "imported tsv_turns $FIX/interview.tsv: 3 turns"
check "its turns, speakers and times" "1|I|5.0;2|R1|9.0;3|R1|" \
  "$(q "SELECT group_concat(x, ';') FROM (SELECT g.ordinal || '|' || p.label || '|' || coalesce(g.time_start, '') AS x FROM segment g JOIN speaker p ON p.id = g.speaker_id ORDER BY g.ordinal)")"
check "offsets exact" 0 "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id WHERE substr(s.text, g.start + 1, g.end - g.start) IS NOT g.text")"
check "the full-text index has it" 1 "$(q "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'telefoontje'")"
$THEMA --db "$DB" import tsv_turns $FIX/interview.tsv >"$TMP/out.txt"
contains "again: unchanged" "$TMP/out.txt" "unchanged"

# a bad row in the second file: neither file is stored
printf 'speaker\ttext\nA\tgoed\n' >"$TMP/good.tsv"
printf 'speaker\ttext\nA\tgoed\n\tzonder spreker\n' >"$TMP/bad.tsv"
before=$(q .dump | sha256sum)
set +e
$THEMA --db "$DB" import tsv_turns "$TMP/good.tsv" "$TMP/bad.tsv" >"$TMP/out.txt" 2>&1
code=$?
set -e
check "a bad row: the import fails" 3 "$code"
contains "a bad row: file and line" "$TMP/out.txt" "bad.tsv:3: a row is 'speaker<TAB>text[<TAB>time]'"
check "a bad row: nothing stored" "$before" "$(q .dump | sha256sum)"

# the write API's checks, from a script
cat >"$TMP/api.lua" <<'LUA'
local function fails(t) local ok, e = pcall(thema.add_source, t) assert(not ok) print(e) end
fails{ name = "x", kind = "transcript", text = "A: ja", segments = { { start = 3, stop = 9, speaker = "A" } } }
fails{ name = "x", kind = "transcript", text = "A: ja B: nee", segments = { { start = 3, stop = 5, speaker = "A" }, { start = 4, stop = 12, speaker = "B" } } }
fails{ name = "x", kind = "document", text = "a\255", segments = { { start = 0, stop = 1 } } }
fails{ name = "../x", kind = "document", text = "a", segments = { { start = 0, stop = 1 } } }
fails{ name = "x", kind = "transcript", text = "ja", segments = { { start = 0, stop = 2 } } }
fails{ name = "x", kind = "poem", text = "ja", segments = { { start = 0, stop = 2 } } }
fails{ name = "x", text = "ja", segments = { { start = 0, stop = 2, colour = "red" } } }
local r = thema.add_source{ name = "speech", meta = { title = "Toespraak", party = "Groen" },
  segments = { { text = "Eerste alinea.", section = "Begin" }, { text = "Tweede alinea." } } }
print(r.source, r.segments)
LUA
$THEMA --db "$DB" script "$TMP/api.lua" >"$TMP/api.txt" 2>&1
contains "a span outside the text" "$TMP/api.txt" "segment 1: 3.0-9.0 is not a span of whole code points inside the text (0-5)"
contains "overlapping segments" "$TMP/api.txt" "segment 2 starts at 4, before segment 1 ends (5)"
contains "invalid UTF-8" "$TMP/api.txt" "the text is not valid UTF-8 (byte 2)"
contains "a path as a name" "$TMP/api.txt" "'name' must name the source"
contains "a transcript turn without a speaker" "$TMP/api.txt" "segment 1 of a transcript has no 'speaker'"
contains "an unknown kind" "$TMP/api.txt" "'kind' is transcript or document, not 'poem'"
contains "an unknown segment field" "$TMP/api.txt" "colour"
contains "a document from segment texts" "$TMP/api.txt" "speech	2"
check "its front matter: title and attribute" "Toespraak|Groen" \
  "$(q "SELECT s.title || '|' || a.value FROM source s JOIN attribute a ON a.entity = 'source' AND a.entity_id = s.id WHERE s.name = 'speech' AND a.key = 'party'")"
check "segments joined by blank lines" "Eerste alinea.|Begin;Tweede alinea.|" \
  "$(q "SELECT group_concat(x, ';') FROM (SELECT g.text || '|' || coalesce(g.section, '') AS x FROM segment g JOIN source s ON s.id = g.source_id WHERE s.name = 'speech' ORDER BY g.ordinal)")"

# plugins read the corpus: add_source is refused inside a run
mkdir -p "$TMP/pp"
cat >"$TMP/pp/sneaky.lua" <<'LUA'
return { name = "sneaky", version = "1.0", description = "adds a source",
  run = function() thema.add_source{ name = "y", text = "a", segments = { { start = 0, stop = 1 } } } end }
LUA
set +e
THEMA_PLUGIN_PATH="$TMP/pp" $THEMA --db "$DB" --out "$TMP/out" run sneaky >"$TMP/run.txt" 2>&1
code=$?
set -e
check "a plugin run cannot add sources" 3 "$code"
contains "and is told where to" "$TMP/run.txt" "add sources from a script or an importer"
e2e_finish
