#!/bin/sh
# tests/e2e/deductive.sh — end-to-end tests of deductive coding: the shipped
# study imported into a fresh store as `make run` does, then
# `thema run deductive` with the study's codebook, checked with `thema query`
# and `thema export codings`: who is coded (interviewer turns, documents),
# where (every span is its slice of the segment), the plugin's tallies, a
# second run replacing the first, and two fresh runs giving identical files.
# Then `thema codebook test` and `thema import codebook` on good and broken
# codebooks.
#
#   THEMA=build/asan/thema sh tests/e2e/deductive.sh      (run from anywhere)
#
# $THEMA may hold a command with arguments. The last line of output is
# "N passed, N failed" (plus "(N skipped)" when a check cannot run here, with
# the reason printed); the exit code is 1 when any check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin deductive
CODEBOOK=$STUDY/codebook.csv
OUT=$TMP/out

# positive NAME VALUE — VALUE is a number above zero.
positive() {
  case $2 in
    '' | *[!0-9]*) fail "$1" "not a number: '$2'" ;;
    *) if [ "$2" -gt 0 ]; then pass "$1"; else fail "$1" "expected more than 0, got $2"; fi ;;
  esac
}

# run NAME EXPECTED_EXIT CMD... — a command with its exit code checked;
# stdout in $TMP/run.out, stderr in $TMP/run.err.
run() {
  name=$1
  want=$2
  shift 2
  rc=0
  "$@" >"$TMP/run.out" 2>"$TMP/run.err" || rc=$?
  if [ "$rc" = "$want" ]; then
    pass "$name"
  else
    fail "$name" "exit $rc, expected $want" "$(cat "$TMP/run.err")"
  fi
}

# sum_column FILE N — the sum of column N of a CSV file without its header
# (the tallies hold no quoted commas).
sum_column() {
  sed 1d "$1" | awk -F, -v c="$2" '{ s += $c } END { print s + 0 }'
}

# The coded spans, without run ids, for comparing runs.
spans() {
  q "SELECT s.name, g.ordinal, k.path, c.start, c.end FROM coding c
    JOIN segment g ON g.id = c.segment_id JOIN source s ON s.id = g.source_id
    JOIN code k ON k.id = c.code_id ORDER BY 1, 2, 3, 4, 5"
}

CODINGS_I="SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
  JOIN speaker sp ON sp.id = g.speaker_id WHERE sp.label = 'I'"
CODINGS_NOT_I="SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
  LEFT JOIN speaker sp ON sp.id = g.speaker_id WHERE coalesce(sp.label, '') <> 'I'"

# ---- a first run on a fresh store ----
if import_study "$DB" >/dev/null 2>"$TMP/import.err"; then
  pass "the study imports into a fresh store"
else
  fail "the study imports into a fresh store" "$(cat "$TMP/import.err")"
fi

run "run deductive codebook=$CODEBOOK exits 0" 0 \
  th "$DB" --out "$OUT" run deductive codebook=$CODEBOOK
contains "run deductive reports its counts" "$TMP/run.out" "deductive: "
cp "$TMP/run.out" "$TMP/run1.out"

codings=$(q "SELECT count(*) FROM coding")
positive "the first run stores codings" "$codings"
check "the codebook is stored under its name" "codebook" \
  "$(q "SELECT name FROM codebook")"
# The study's codebook has 5 themes (no parent) and 20 codes under them.
check "every code of the codebook is stored" "25 20" \
  "$(q "SELECT count(*) || ' ' || sum(parent_id IS NOT NULL) FROM code WHERE origin = 'deductive'")"
check "codings belong to the one run, which is ok" "1|ok|$codings" \
  "$(qt "SELECT r.id || '|' || r.status || '|' || count(c.id) FROM run r
    LEFT JOIN coding c ON c.run_id = r.id GROUP BY r.id")"
check "only codes with include rules are applied" "0" \
  "$(q "SELECT count(*) FROM coding c WHERE NOT EXISTS (SELECT 1 FROM code_rule r
    WHERE r.code_id = c.code_id AND r.kind = 'include')")"
check "by default only transcripts are coded" "transcript" \
  "$(q "SELECT DISTINCT s.kind FROM coding c JOIN segment g ON g.id = c.segment_id
    JOIN source s ON s.id = g.source_id")"
check "interviewer turns get no codings by default" "0" "$(q "$CODINGS_I")"
positive "the interviewer has turns that could be coded" \
  "$(q "SELECT count(*) FROM segment g JOIN speaker sp ON sp.id = g.speaker_id
    WHERE sp.label = 'I'")"
check "every span lies within its segment" "0" \
  "$(q "SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
    WHERE c.start < g.start OR c.end > g.end OR c.start >= c.end")"
check "every span is the same slice of segment and source" "0" \
  "$(q "SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
    JOIN source s ON s.id = g.source_id
    WHERE substr(g.text, c.start - g.start + 1, c.end - c.start)
      IS NOT substr(s.text, c.start + 1, c.end - c.start)")"
check "no code covers one span twice (spans of a code are merged)" "0" \
  "$(q "SELECT count(*) FROM coding a JOIN coding b ON a.segment_id = b.segment_id
    AND a.code_id = b.code_id AND a.id < b.id AND a.start < b.end AND b.start < a.end")"
# A span the study's codebook must find: fg1's 'trekker' (coordinatie).
check "fg1: R1.1's 'als trekker Leuven' is coded coordinatie on 'trekker'" \
  "randvoorwaarden/coordinatie|trekker" \
  "$(qt "SELECT k.path || '|' || substr(g.text, c.start - g.start + 1, c.end - c.start)
    FROM coding c JOIN segment g ON g.id = c.segment_id JOIN source s ON s.id = g.source_id
    JOIN code k ON k.id = c.code_id
    WHERE s.name = 'fg1-leuven-hageland' AND g.ordinal = 3 AND k.name = 'coordinatie'")"

# ---- the plugin's output files ----
for f in code_by_source.csv code_by_network.csv codes.csv summary.csv; do
  if [ -s "$OUT/deductive/$f" ]; then pass "deductive writes $f"; else fail "deductive writes $f"; fi
done
check "code_by_source.csv has its columns" "code,source,segments,codings" \
  "$(head -1 "$OUT/deductive/code_by_source.csv")"
check "code_by_network.csv has its columns" "code,network,segments,codings" \
  "$(head -1 "$OUT/deductive/code_by_network.csv")"
check "code_by_source.csv sums to the number of codings" "$codings" \
  "$(sum_column "$OUT/deductive/code_by_source.csv" 4)"
check "code_by_network.csv sums to the number of codings" "$codings" \
  "$(sum_column "$OUT/deductive/code_by_network.csv" 4)"
check "codes.csv sums to the number of codings" "$codings" \
  "$(sum_column "$OUT/deductive/codes.csv" 2)"
check "summary.csv counts the codings" "codings,$codings" \
  "$(grep '^codings,' "$OUT/deductive/summary.csv")"
check "summary.csv: coded and uncoded make all segments" \
  "$(q "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id
    LEFT JOIN speaker sp ON sp.id = g.speaker_id
    WHERE s.kind = 'transcript' AND coalesce(sp.label, '') <> 'I'")" \
  "$(awk -F, '$1 == "coded" || $1 == "uncoded" { s += $2 } END { print s }' "$OUT/deductive/summary.csv")"
check "summary.csv: coded segments as in the store" \
  "coded,$(q "SELECT count(DISTINCT segment_id) FROM coding")" \
  "$(grep '^coded,' "$OUT/deductive/summary.csv")"
check "code_by_source.csv per code and source as in the store" \
  "$(q "SELECT k.path, s.name, count(DISTINCT c.segment_id), count(*) FROM coding c
    JOIN segment g ON g.id = c.segment_id JOIN source s ON s.id = g.source_id
    JOIN code k ON k.id = c.code_id GROUP BY k.path, s.name ORDER BY k.path, s.name")" \
  "$(sed 1d "$OUT/deductive/code_by_source.csv")"

# ---- the export ----
th "$DB" export codings --format csv --context segment >"$TMP/export.csv" 2>"$TMP/export.err" || true
check "export codings --context segment has the whole segment" \
  "source,segment,speaker,organisation,network,code,start,end,span_text,segment_text,coder,run,memo" \
  "$(head -1 "$TMP/export.csv")"
th "$DB" export codings >"$TMP/export-ctx.csv"
check "by default a short context, the coder and the memo" \
  "source,segment,speaker,organisation,network,code,start,end,span_text,context,coder,run,memo" \
  "$(head -1 "$TMP/export-ctx.csv")"
th "$DB" export codings --context none >"$TMP/export-none.csv"
check "--context none: no context column" \
  "source,segment,speaker,organisation,network,code,start,end,span_text,coder,run,memo" \
  "$(head -1 "$TMP/export-none.csv")"
if command -v sqlite3 >/dev/null 2>&1; then
  check "every context is the span with at most 40 characters either side, inside its segment" "$codings|$codings" \
    "$(sqlite3 :memory: ".import --csv $TMP/export-ctx.csv t" "ATTACH '$DB' AS s;" \
      "SELECT count(*) || '|' || sum(instr(g.text, t.context) > 0 AND instr(t.context, t.span_text) > 0
         AND length(t.context) <= length(t.span_text) + 80 AND t.coder = 'plugin:deductive')
       FROM t JOIN s.source so ON so.name = t.source
       JOIN s.segment g ON g.source_id = so.id AND g.ordinal = t.segment;")"
fi
th "$DB" export codings --format xlsx --output "$TMP/codings.xlsx"
check "export codings --format xlsx writes a workbook" "504b0304" \
  "$(head -c 4 "$TMP/codings.xlsx" | od -An -tx1 | tr -d ' \n')"
th "$DB" --excel export codings --output "$TMP/codings-excel.csv"
check "--excel: a BOM and ';'" "efbbbf736f757263653b" \
  "$(head -c 10 "$TMP/codings-excel.csv" | od -An -tx1 | tr -d ' \n')"
# A few rows whose span needs no CSV quoting: code,start,end,span_text in the
# export, computed here from the store.
qt "SELECT k.path || ',' || c.start || ',' || c.end || ','
    || substr(g.text, c.start - g.start + 1, c.end - c.start) || ',' AS row
  FROM coding c JOIN segment g ON g.id = c.segment_id JOIN code k ON k.id = c.code_id
  WHERE instr(substr(g.text, c.start - g.start + 1, c.end - c.start), ',') = 0
    AND instr(substr(g.text, c.start - g.start + 1, c.end - c.start), '\"') = 0
  ORDER BY c.id LIMIT 5" >"$TMP/expected-rows"
if [ "$(wc -l <"$TMP/expected-rows")" -eq 5 ]; then
  while IFS= read -r row; do
    contains "export row: $row" "$TMP/export.csv" "$row"
  done <"$TMP/expected-rows"
else
  fail "five codings to check in the export" "$(cat "$TMP/expected-rows")"
fi
# Every row, with a real CSV reader: span_text is the slice of segment_text
# at start - segment start.
if command -v sqlite3 >/dev/null 2>&1; then
  check "every exported span_text is its slice of segment_text" "$codings|$codings" \
    "$(sqlite3 :memory: ".import --csv $TMP/export.csv t" "ATTACH '$DB' AS s;" \
      "SELECT count(*) || '|' || sum(t.span_text = substr(t.segment_text,
         t.start - g.start + 1, t.end - t.start) AND t.segment_text = g.text
         AND t.run = '1')
       FROM t JOIN s.source so ON so.name = t.source
       JOIN s.segment g ON g.source_id = so.id AND g.ordinal = t.segment;")"
else
  skip "every exported span_text is its slice of segment_text" "no sqlite3 command to read the CSV"
fi

# ---- a second run replaces the first ----
spans >"$TMP/spans-1"
run "a second run without codebook= uses the stored codebook" 0 \
  th "$DB" --out "$OUT" run deductive
check "the second run's output equals the first's" "$(cat "$TMP/run1.out")" "$(cat "$TMP/run.out")"
check "the second run keeps the number of codings" "$codings" "$(q "SELECT count(*) FROM coding")"
check "the first run is replaced, the second ok" "1,replaced
2,ok" "$(q "SELECT id, status FROM run ORDER BY id")"
check "all codings belong to the second run" "2" "$(q "SELECT group_concat(DISTINCT run_id) FROM coding")"
spans >"$TMP/spans-2"
same_nonempty_files "the second run codes the same spans" "$TMP/spans-1" "$TMP/spans-2"

# ---- who is coded ----
run "run deductive exclude_speakers= (an empty list) exits 0" 0 \
  th "$DB" --out "$OUT" run deductive exclude_speakers=
positive "with exclude_speakers= interviewer turns are coded" "$(q "$CODINGS_I")"
check "with exclude_speakers= the other turns are coded as before" "$codings" "$(q "$CODINGS_NOT_I")"
run "run deductive exclude_speakers=NOBODY exits 0" 0 \
  th "$DB" --out "$OUT" run deductive exclude_speakers=NOBODY
positive "with exclude_speakers=NOBODY interviewer turns are coded" "$(q "$CODINGS_I")"
run "run deductive exclude_speakers=I,R1.1 exits 0" 0 \
  th "$DB" --out "$OUT" run deductive exclude_speakers=I,R1.1
check "a list of speakers excludes each of them" "0" \
  "$(q "SELECT count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
    JOIN speaker sp ON sp.id = g.speaker_id WHERE sp.label IN ('I', 'R1.1')")"

run "run deductive kind=document exits 0" 0 th "$DB" --out "$OUT" run deductive kind=document
check "kind=document codes documents only" "document" \
  "$(q "SELECT group_concat(DISTINCT s.kind) FROM coding c JOIN segment g ON g.id = c.segment_id
    JOIN source s ON s.id = g.source_id")"
positive "kind=document stores codings" "$(q "SELECT count(*) FROM coding")"
check "only the last run is ok" "1" \
  "$(q "SELECT count(*) FROM run WHERE plugin = 'deductive' AND status = 'ok'")"
run "run deductive kind=monitor is refused" 1 th "$DB" --out "$OUT" run deductive kind=monitor
contains "kind=monitor: the message names the allowed values" "$TMP/run.err" "transcript, document"

# ---- codebook test ----
examples=$(q "SELECT count(*) FROM code_rule r WHERE r.kind IN ('match', 'nomatch')
  AND EXISTS (SELECT 1 FROM code_rule i WHERE i.code_id = r.code_id AND i.kind = 'include')")
run "codebook test on the study's codebook exits 0" 0 th "$DB" codebook test $CODEBOOK
check "codebook test: every example passes" "$examples passed, 0 failed" "$(tail -1 "$TMP/run.out")"
positive "codebook test: the study's codebook has examples" "$examples"

mkdir "$TMP/wrong"
cp $CODEBOOK "$TMP/wrong/codebook.csv"
line=$(($(wc -l <$CODEBOOK) + 1))
printf '%s\n' 'y,coordinerende-rol,A code with wrong examples.,VVSG,,,Geen vereniging hier.,De VVSG belt.' \
  >>"$TMP/wrong/codebook.csv"
run "codebook test with wrong examples exits 2" 2 th "$DB" codebook test "$TMP/wrong/codebook.csv"
contains "codebook test lists an example that does not match" "$TMP/run.out" \
  "$TMP/wrong/codebook.csv:$line: code 'coordinerende-rol/y' does not match its example: Geen vereniging hier."
contains "codebook test lists a counter-example that matches" "$TMP/run.out" \
  "$TMP/wrong/codebook.csv:$line: code 'coordinerende-rol/y' matches its counter-example: De VVSG belt."
check "codebook test counts them" "$examples passed, 2 failed" "$(tail -1 "$TMP/run.out")"
contains "codebook test says why it failed" "$TMP/run.err" "2 examples did not behave as declared"
run "codebook test without a file is a usage error" 1 th "$DB" codebook test
run "codebook test on a missing file exits 2" 2 th "$DB" codebook test "$TMP/none.csv"

# ---- a broken codebook is never stored ----
mkdir "$TMP/broken"
cp $CODEBOOK "$TMP/broken/codebook.csv"
printf '%s\n' 'x,,A code with a broken pattern.,"overleg' '(kapot",,,,' >>"$TMP/broken/codebook.csv"
hash_before=$(q "SELECT hash FROM codebook")
rules_before=$(q "SELECT count(*) FROM code_rule")
run "import codebook with an invalid pattern exits 2" 2 th "$DB" import codebook "$TMP/broken/codebook.csv"
contains "the error names the code" "$TMP/run.err" "code 'x'"
contains "the error names the file and line" "$TMP/run.err" "$TMP/broken/codebook.csv:$line: code 'x'"
contains "the error gives PCRE2's message and offset" "$TMP/run.err" \
  "invalid pattern '(kapot': missing closing parenthesis at offset 6"
check "the stored codebook is unchanged" "$hash_before $rules_before" \
  "$(q "SELECT hash FROM codebook") $(q "SELECT count(*) FROM code_rule")"
check "no code of the broken codebook is stored" "0" "$(q "SELECT count(*) FROM code WHERE name = 'x'")"
run "codebook test on the broken codebook exits 2" 2 th "$DB" codebook test "$TMP/broken/codebook.csv"
contains "codebook test names the bad pattern" "$TMP/run.err" "at offset 6"

printf 'code,include\nx,a NEAR/y b\n' >"$TMP/near.csv"
run "import codebook with a bad NEAR exits 2" 2 th "$DB" import codebook "$TMP/near.csv"
contains "the NEAR error names file, line and code" "$TMP/run.err" \
  "$TMP/near.csv:2: code 'x': NEAR needs a word distance"

# ---- determinism ----
fresh() { # NAME — a fresh store and a full run; its export in $TMP/NAME.csv
  import_study "$TMP/$1.db" >/dev/null &&
    th "$TMP/$1.db" --out "$TMP/out-$1" run deductive codebook=$CODEBOOK >/dev/null &&
    th "$TMP/$1.db" export codings --format csv >"$TMP/$1.csv"
}
if fresh a 2>"$TMP/a.err" && fresh b 2>"$TMP/b.err"; then
  pass "two fresh stores are coded"
  same_nonempty_files "two fresh runs export byte-identical codings" "$TMP/a.csv" "$TMP/b.csv"
  for f in code_by_source.csv code_by_network.csv codes.csv summary.csv; do
    same_files "two fresh runs write byte-identical $f" \
      "$TMP/out-a/deductive/$f" "$TMP/out-b/deductive/$f"
  done
  check "a fresh run codes as many spans as the first run here" "$codings" \
    "$(th "$TMP/a.db" query "SELECT count(*) FROM coding" | sed 1d)"
else
  fail "two fresh stores are coded" "$(cat "$TMP/a.err" "$TMP/b.err")"
fi

# ---- m:apply raising half-way leaks nothing ----
# Everything apply allocates belongs to Lua, so an error it raises (a bad
# filter, after the codes are resolved) frees it: under the sanitizers a
# leak would fail the run at exit.
mkdir -p "$TMP/leak"
cat >"$TMP/leak/apply_raises.lua" <<'LUA'
return {
  name = "apply_raises", version = "1", description = "m:apply raising half-way",
  run = function(ctx)
    local m = assert(thema.matcher())
    for _ = 1, 3 do
      local ok, err = pcall(m.apply, m, { bogus = 1 })
      assert(not ok and err:find("unknown filter 'bogus'", 1, true), err)
      ok, err = pcall(m.apply, m, { source = { {} } })
      assert(not ok and err:find("must hold strings or numbers", 1, true), err)
    end
    return m:apply({ source = "no-such-source" }).segments
  end,
}
LUA
run "a plugin whose m:apply raises (caught) finishes and exits 0" 0 \
  env THEMA_PLUGIN_PATH="$TMP/leak" $THEMA --db "$DB" --out "$OUT" run apply_raises
if grep -q "LeakSanitizer" "$TMP/run.err"; then
  fail "m:apply raising half-way leaks nothing" "$(head -5 "$TMP/run.err")"
else
  pass "m:apply raising half-way leaks nothing"
fi

e2e_finish
