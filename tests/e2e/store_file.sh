#!/bin/sh
# tests/e2e/store_file.sh — the store file is what it claims: a foreign SQLite
# database, a file that is not a database, a folder, a link loop, an empty or
# in-memory name are refused and left as they were; a store this user may not
# write is read without side files; a second writer waits, then names the first.
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin store-file
cd "$TMP"
printf 'R1: hallo daar\nI: ja\n' >a.txt
printf 'R1: nog een\n' >b.txt

# exit_of CMD... — the exit status of a command, its output to out.txt.
exit_of() { set +e; "$@" >out.txt 2>&1; echo $?; set -e; }

sqlite3 other.db 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
before=$(sqlite3 other.db .dump | sha256sum)
check "foreign SQLite database refused (exit 2)" 2 "$(exit_of $THEMA --db other.db import transcript a.txt)"
contains "foreign database: message" out.txt "not a thema store"
check "foreign database left as it was" "$before" "$(sqlite3 other.db .dump | sha256sum)"

printf 'x' >one.db
check "1-byte non-database refused (exit 2)" 2 "$(exit_of $THEMA --db one.db import transcript a.txt)"
contains "non-database: message" out.txt "not a SQLite database"
check "non-database not overwritten" "x" "$(cat one.db)"

mkdir folder.db
check "a folder as --db (exit 2)" 2 "$(exit_of $THEMA --db folder.db stats)"
contains "a folder: message names it" out.txt "is a folder, not a store"

ln -s loop loop
check "a link loop as --db (exit 2)" 2 "$(exit_of $THEMA --db loop stats)"
contains "a link loop: message" out.txt "symbolic links"

for name in "" ":memory:" "file:x.db?mode=memory"; do
  check "--db='$name' refused (exit 1)" 1 "$(exit_of $THEMA --db="$name" import transcript a.txt)"
  contains "--db='$name': message" out.txt "a store is a file name"
done
check "--db without a value (exit 1)" 1 "$(exit_of $THEMA --db)"
contains "--db without a value: names the option" out.txt "thema: option --db needs a value"

check "a new store is made" 0 "$(exit_of $THEMA --db s.db import transcript a.txt)"
check "after an import the store is in WAL mode" wal "$(sqlite3 s.db 'PRAGMA journal_mode')"
check "no journal left beside it" "s.db" "$(ls s.db*)"

# A reader who may not write the store leaves no -wal/-shm that would lock
# its owner out.
if [ "$(id -u)" = 0 ] && command -v su >/dev/null && su nobody -s /bin/sh -c true 2>/dev/null; then
  chmod 755 "$TMP"
  chmod 644 s.db
  check "another user reads the store" 0 \
    "$(exit_of su nobody -s /bin/sh -c "$THEMA --db $TMP/s.db stats")"
  check "and leaves no side files" "s.db" "$(ls s.db*)"
  check "the owner still writes" 0 "$(exit_of $THEMA --db s.db import transcript b.txt)"
else
  skip "a reader without write permission" "needs root and the user nobody"
fi

chmod 444 s.db
if [ "$(id -u)" != 0 ]; then
  check "a store this user may not write: import refused (exit 2)" 2 \
    "$(exit_of $THEMA --db s.db import transcript b.txt)"
  contains "no write permission: message" out.txt "cannot write the store"
fi
chmod 644 s.db
e2e_finish
