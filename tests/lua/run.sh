#!/bin/sh
# Lua specs: every tests/lua/*_spec.lua runs as a thema script against a fresh
# store of the shipped study. A spec prints "N passed, N failed" as its last
# line and raises an error when anything failed. Prints the total the same way.
set -eu
THEMA=${THEMA:-build/thema}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
study=$root/corpora/leren-om-te-leren
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
export THEMA_PLUGIN_PATH=tests/lua/plugins:plugins/examples  # test plugins and the worked example
db=$work/study.db
$THEMA --quiet --db "$db" init >/dev/null
$THEMA --quiet --db "$db" import transcript "$study/transcripts" >/dev/null
$THEMA --quiet --db "$db" import document "$study/documents" >/dev/null
$THEMA --quiet --db "$db" import monitor "$study/monitor" >/dev/null
$THEMA --quiet --db "$db" import cases "$study/organisations.csv" "$study/cases.csv" >/dev/null

passed=0
failed=0
for spec in tests/lua/*_spec.lua; do
  name=$(basename "$spec" .lua)
  cp "$db" "$work/$name.db"
  if out=$(THEMA_STUDY_DB="$db" $THEMA --quiet --db "$work/$name.db" --out "$work/out-$name" \
           script "$spec" 2>"$work/$name.err"); then status=0; else status=$?; fi
  last=$(printf '%s\n' "$out" | tail -n 1)
  p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  if [ -z "$p" ]; then
    echo "FAIL $spec: no 'N passed, N failed' line (exit $status)"
    cat "$work/$name.err"
    failed=$((failed + 1))
    continue
  fi
  echo "$name: $last"
  if [ "$status" -ne 0 ] || [ "$f" -ne 0 ]; then cat "$work/$name.err"; fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
