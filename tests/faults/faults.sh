#!/bin/sh
# tests/faults/faults.sh — faults as tests (make faults, part of make test):
# imports and plugin runs killed with SIGKILL at random moments leave an
# intact store with no partial source or run; a full disk fails a command and
# keeps the store; a store on read-only media is readable and refuses writes;
# a second writer waits, then fails naming the first. Mounts need root: where
# they are not allowed the check says so and is skipped.
set -eu
. "$(dirname "$0")/../e2e/lib.sh"
e2e_begin faults
cd "$TMP"
PYTHON=${PYTHON:-python3}
TRIALS=${FAULT_TRIALS:-4}

exit_of() { set +e; "$@" >out.txt 2>&1; echo $?; set -e; }

# A transcript of $1 turns, the same every time.
make_transcript() {
  $PYTHON - "$1" "$2" <<'PY'
import random, sys
random.seed(7)
words = "de het een gemeente beleid integratie netwerk leren samen lokale besturen".split()
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write("R%d: %s\n" % (i % 5, " ".join(random.choice(words) for _ in range(14))))
PY
}
make_transcript 300000 big.txt
make_transcript 60000 mid.txt
printf 'R1: een korte beurt\nI: ja\n' >small.txt

# state DB — what must not change when a command is killed: the dump's hash.
state() { sqlite3 "$1" .dump | sha256sum | cut -c1-16; }
intact() { sqlite3 "$1" 'PRAGMA integrity_check'; }

# --- kill -9 during imports (into a new store: the bulk path; and into one
# that already holds data)
$THEMA --db base.db import transcript small.txt >/dev/null
for t in $(seq 1 "$TRIALS"); do
  for kind in new existing; do
    rm -f k.db k.db-*
    [ $kind = existing ] && cp base.db k.db
    [ -f k.db ] && before=$(state k.db) || before=""
    $THEMA --db k.db import transcript big.txt >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v s="$t" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 1.5 }')"
    kill -9 $pid 2>/dev/null || :
    wait $pid 2>/dev/null || :
    if [ -f k.db ]; then
      check "kill -9 import ($kind store, trial $t): integrity" ok "$(intact k.db)"
      partial=$(sqlite3 k.db "SELECT count(*) FROM source WHERE name = 'big'" 2>/dev/null || echo 0)
      if [ "$partial" = 1 ]; then
        check "kill -9 import ($kind, trial $t): the source is whole when it is there" 300000 \
          "$(sqlite3 k.db "SELECT count(*) FROM segment JOIN source s ON s.id = source_id WHERE s.name = 'big'")"
      elif [ -n "$before" ]; then
        check "kill -9 import ($kind, trial $t): store as before" "$before" "$(state k.db)"
      else
        pass "kill -9 import ($kind, trial $t): no partial source"
      fi
    else
      pass "kill -9 import ($kind, trial $t): killed before the store was made"
    fi
  done
done

# --- kill -9 during a plugin run: no run row, no coding of the killed run
$THEMA --db run.db import transcript big.txt >/dev/null
printf 'code,include\nbeleid,beleid\nnetwerk,netwerk\nleren,leren\n' >codebook.csv
$THEMA --db run.db import codebook codebook.csv >/dev/null
before=$(sqlite3 run.db "SELECT count(*) FROM run")
for t in $(seq 1 "$TRIALS"); do
  $THEMA --db run.db --out out run deductive >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v s="$t" 'BEGIN { srand(s * 3); printf "%.2f", 0.1 + rand() * 1.0 }')"
  kill -9 $pid 2>/dev/null || :
  wait $pid 2>/dev/null || :
  check "kill -9 run (trial $t): integrity" ok "$(intact run.db)"
  check "kill -9 run (trial $t): no running run, no orphan coding" "0|0" \
    "$(sqlite3 run.db "SELECT (SELECT count(*) FROM run WHERE status = 'running') || '|' ||
       (SELECT count(*) FROM coding WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM run))")"
  runs=$(sqlite3 run.db "SELECT count(*) FROM run")
  [ "$runs" -ge "$before" ] && pass "kill -9 run (trial $t): earlier runs kept" ||
    fail "kill -9 run (trial $t): earlier runs kept" "$before before, $runs after"
done

# --- mounts: a full disk and read-only media (tmpfs, root only)
MNT=$TMP/mnt
mkdir -p "$MNT"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
  trap 'umount "$MNT" 2>/dev/null || :; rm -rf "$TMP"' EXIT INT TERM
  cp base.db "$MNT/s.db"
  before=$(state "$MNT/s.db")
  check "full disk during import: exit 3" 3 "$(exit_of $THEMA --db "$MNT/s.db" import transcript mid.txt)"
  contains "full disk: message" out.txt "full"
  check "full disk: store intact" ok "$(intact "$MNT/s.db")"
  check "full disk: store as before" "$before" "$(state "$MNT/s.db")"
  rm -f "$MNT"/s.db-*
  # the output of a run on a full disk: the run fails, exit 3, nothing half-written
  head -c 4194304 /dev/zero >"$MNT/fill" 2>/dev/null || :
  check "full disk under --out: export fails (exit 3)" 3 \
    "$(exit_of $THEMA --db base.db export codings --format csv --output "$MNT/codings.csv")"
  rm -f "$MNT/fill"
  umount "$MNT"
  # read-only media
  mount -t tmpfs -o size=4m tmpfs "$MNT"
  cp base.db "$MNT/s.db"
  mount -o remount,ro "$MNT"
  check "read-only media: stats works" 0 "$(exit_of $THEMA --db "$MNT/s.db" stats)"
  contains "read-only media: stats reads the store" out.txt "segments       2"
  check "read-only media: export works" 0 "$(exit_of $THEMA --db "$MNT/s.db" export codings --format csv)"
  check "read-only media: import refused (exit 2)" 2 \
    "$(exit_of $THEMA --db "$MNT/s.db" import transcript small.txt)"
  contains "read-only media: says why" out.txt "read-only media"
  check "read-only media: no side files" "s.db" "$(ls "$MNT")"
  umount "$MNT"
else
  skip "full disk and read-only media" "mounting a tmpfs needs root (and a machine that allows it)"
fi

# --- two writers: the second waits --wait seconds, then names the first
rm -f w.db w.db-*
$THEMA --db w.db import transcript small.txt >/dev/null
$THEMA --db w.db import transcript big.txt >/dev/null 2>&1 &
pid=$!
sleep 0.5
code=$(exit_of $THEMA --db w.db --wait 0 import transcript mid.txt 2>/dev/null || :)
wait $pid
if grep -q "another command is writing" out.txt; then
  check "second writer: exit 3" 3 "$code"
  contains "second writer: names the first" out.txt "import transcript big.txt"
else
  skip "second writer" "the first import finished before the second began (exit $code)"
fi
check "two writers: integrity" ok "$(intact w.db)"
e2e_finish
