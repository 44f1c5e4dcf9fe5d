# tests/e2e/lib.sh — sourced by the end-to-end scripts of tests/e2e/: a scratch
# folder, the tally of checks and the checks themselves, thema on a store, and
# the import of the shipped study.
#
#   set -eu
#   . "$(dirname "$0")/lib.sh"
#   e2e_begin NAME          # $ROOT, $STUDY, $TMP (removed on exit), $DB; cd $ROOT
#   check "two plus two" 4 "$((2 + 2))"
#   e2e_finish              # "N passed, N failed" as the last line; fails when any failed
#
# $THEMA may hold a command with arguments (e.g. "valgrind -q ... build/thema").

: "${THEMA:?set THEMA to the thema binary to test}"

# e2e_begin NAME — the scratch folder $TMP (thema-NAME-XXXXXX, removed on exit),
# the store $DB in it, zero counts, and the source tree as working directory.
e2e_begin() {
  ROOT=$(cd "$(dirname "$0")/../.." && pwd)
  STUDY=corpora/leren-om-te-leren
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/thema-$1-XXXXXX")
  trap 'rm -rf "$TMP"' EXIT INT TERM
  DB=$TMP/thema.db
  passed=0
  failed=0
  skipped=0
  cd "$ROOT"
}

# e2e_finish — print the tally as the last line ("(N skipped)" when a check could
# not apply, with the reason printed where it was skipped); fails when any check failed.
e2e_finish() {
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed ($skipped skipped)"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
}

pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() {
  failed=$((failed + 1))
  printf 'FAIL %s\n' "$1"
  shift
  for line in "$@"; do printf '     %s\n' "$line"; done
}
skip() { skipped=$((skipped + 1)); printf 'SKIP %s: %s\n' "$1" "$2"; }

# check NAME EXPECTED ACTUAL — exact comparison of two strings.
check() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $2" "actual:   $3"; fi
}

# contains NAME FILE NEEDLE — the file holds the fixed string NEEDLE.
contains() {
  if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "missing: $3" "in: $(cat "$2")"; fi
}

# same_files NAME A B — files A and B are byte for byte the same (on failure,
# the first lines of their diff).
same_files() {
  if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -5)"; fi
}

# same_nonempty_files NAME A B — the same, and A is not empty.
same_nonempty_files() {
  if [ -s "$2" ] && cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -5)"; fi
}

# th DB ARGS... — thema with a store; stdout and stderr pass through.
th() {
  db=$1
  shift
  $THEMA --db "$db" "$@"
}

# q SQL — the rows of a query on $DB without the header line (empty when the
# query fails, which then fails the check that uses it; the error is on stderr).
q() {
  th "$DB" query "$1" >"$TMP/q.out" || { echo "query failed: $1" >&2; : >"$TMP/q.out"; }
  sed 1d "$TMP/q.out"
}

# qt SQL — the same as TSV, for values that may hold a comma (no CSV quoting).
qt() {
  th "$DB" query --format tsv "$1" >"$TMP/q.out" || { echo "query failed: $1" >&2; : >"$TMP/q.out"; }
  sed 1d "$TMP/q.out"
}

# step NAME CMD... — a command that must succeed; its stdout goes to $TMP/step.out.
step() {
  name=$1
  shift
  if "$@" >"$TMP/step.out" 2>"$TMP/step.err"; then
    pass "$name"
  else
    fail "$name" "exit $?" "$(cat "$TMP/step.err")"
  fi
}

# import_study DB — exactly the commands of `make run`'s import, in its order.
import_study() {
  th "$1" init &&
    th "$1" import transcript $STUDY/transcripts &&
    th "$1" import document $STUDY/documents &&
    th "$1" import monitor $STUDY/monitor &&
    th "$1" import cases $STUDY/organisations.csv $STUDY/cases.csv
}
