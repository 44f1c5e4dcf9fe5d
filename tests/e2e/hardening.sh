#!/bin/sh
# hardening.sh — the attacks and faults of the hardening issue, each a check:
# a plugin cannot write through a link out of its folder, be named by a path,
# change what the next plugin runs, delete or forge what it did not make, or
# hang the machine (Ctrl-C and the instruction budget get through pcall; the
# memory limit holds, for plugins and Lua codebooks); a slow pattern over a
# 1 MB segment stops at its budget in kwic and in the deductive matcher; no
# output is lost silently (a full disk, /dev/full, a closed pipe).
set -eu
. "$(dirname "$0")/lib.sh"
e2e_begin hardening

# run NAME EXIT CMD... — CMD exits with EXIT; its output in $TMP/run.out, .err.
run() {
  name=$1 want=$2
  shift 2
  if "$@" >"$TMP/run.out" 2>"$TMP/run.err"; then got=0; else got=$?; fi
  check "$name (exit $want)" "$want" "$got"
}
# plugin NAME BODY — a plugin in $TMP/hp whose run function is BODY.
HP=$TMP/hp
mkdir -p "$HP"
plugin() {
  printf 'return { name = "%s", version = "1", description = "hostile test plugin",\n  run = function(ctx, params)\n%s\n  end }\n' \
    "$1" "$2" >"$HP/$1.lua"
}
T() { THEMA_PLUGIN_PATH=$HP $THEMA --db "$DB" --out "$TMP/out" "$@"; }

import_study "$DB" >/dev/null

# ---- the sandbox holds ----
mkdir -p "$TMP/out/linker" "$TMP/outside"
ln -s "$TMP/outside" "$TMP/out/linker/link"
plugin linker '    ctx.out.write("link/pwned.txt", "x")'
run "ctx.out.write through a link out of the run's folder is refused" 3 T run linker
contains "the message says where it leads" "$TMP/run.err" "leads outside the output folder"
check "nothing was written outside" "" "$(ls "$TMP/outside")"
plugin linker2 '    ctx.out.csv("link/sub/t.csv", { "a" })'
mkdir -p "$TMP/out/linker2" && ln -s "$TMP/outside" "$TMP/out/linker2/link"
run "ctx.out.csv into a folder under a link is refused" 3 T run linker2
check "no folder was created outside" "" "$(ls "$TMP/outside")"

mkdir -p "$TMP/x"
printf 'return {name="x",version="1",description="d",run=function() end}\n' >"$TMP/x/x.lua"
run "a plugin named by a path is refused" 1 T run ../../x/x
contains "the message says a name is expected" "$TMP/run.err" "never by a path"
check "no folder was made outside the output folder" "no" "$(test -e "$TMP/../x" && echo yes || echo no)"
plugin nested '    thema.run("../x")'
run "thema.run with a path is refused too" 3 T run nested

# One plugin tampers with everything shared it can reach; the next one looks.
plugin tamper '    rawset(string, "format", function() return "HIJACKED" end)
    rawset(table, "concat", function() return "HIJACKED" end)
    local smt = getmetatable("")
    smt.__index = { upper = function() return "HIJACKED" end }
    check_env = getmetatable(_ENV)
    thema.matcher = function() error("HIJACKED matcher") end
    thema.store.add_coding = function() error("HIJACKED add_coding") end
    local f = assert(io.open("README.md"))
    local fmt = getmetatable(f)
    if type(fmt) == "table" and type(fmt.__index) == "table" then fmt.__index.read = nil end
    f:close()
    INJECTED = "yes"
    print("tampered", tostring(check_env))'
plugin probe '    local f = assert(io.open("README.md"))
    print("probe", string.format("%d", 1), table.concat({ "a", "b" }), ("a"):upper(),
      tostring(INJECTED), type(f.read), type(thema.matcher), type(ctx.store.add_coding))
    f:close()'
printf 'thema.run("tamper")\nthema.run("probe")\nthema.run("deductive", { codebook = "%s" })\n' \
  "$STUDY/codebook.csv" >"$TMP/chain.lua"
run "a script runs a tampering plugin, a probe and deductive" 0 T script "$TMP/chain.lua"
contains "getmetatable(_ENV) does not hand out the sandbox" "$TMP/run.out" "tampered	false"
contains "the next plugin sees none of it" "$TMP/run.out" "probe	1	ab	A	nil	function	function	function"
check "deductive's codings are its own (none forged, the pass ran)" "ok" \
  "$(q "SELECT status FROM run WHERE plugin = 'deductive'")"
positive_codings=$(q "SELECT count(*) FROM coding WHERE run_id = (SELECT id FROM run WHERE plugin = 'deductive')")
check "deductive stored codings" "yes" "$([ "$positive_codings" -gt 0 ] && echo yes || echo no)"

# Human codings to protect: two of coder els.
seg=$(q "SELECT id FROM segment ORDER BY id LIMIT 1")
printf 'thema.add_coding{segment = %s, code = "mens/test", coder = "els"}\nthema.add_coding{segment = %s, code = "mens/test2", coder = "els"}\n' "$seg" "$seg" >"$TMP/human.lua"
step "a script stores two human codings" T script "$TMP/human.lua"
ded=$(q "SELECT id FROM run WHERE plugin = 'deductive'")
plugin deleter "    print(pcall(ctx.store.del_codings, { coder = 'els' }))
    print(pcall(ctx.store.del_codings, { run = $ded }))
    print(pcall(ctx.store.del_codings, { run = ctx.run_id }))"
run "a plugin that tries to delete others' codings still runs" 0 T run deleter
contains "del_codings{coder=} is refused" "$TMP/run.out" "deletes only its own codings, not a coder's"
contains "del_codings{run=<other>} is refused" "$TMP/run.out" "not run $ded's"
contains "del_codings of its own run is allowed" "$TMP/run.out" "true	0"
check "the human codings are all there" "2" "$(q "SELECT count(*) FROM coding WHERE coder = 'els'")"
run "with --allow-replace the user lets it" 0 T --allow-replace run deleter
check "then they are deleted" "0" "$(q "SELECT count(*) FROM coding WHERE coder = 'els'")"

codes_before=$(q "SELECT count(*) FROM code")
plugin wiper '    ctx.out.write("codebook.csv", "code\nonly\n")
    thema.import("codebook", ctx.out.path("codebook.csv"))'
run "re-importing the study's codebook from a plugin is refused" 3 T run wiper
contains "the message names the way to allow it" "$TMP/run.err" "--allow-replace"
check "every code is still there" "$codes_before" "$(q "SELECT count(*) FROM code")"
plugin recode "    ctx.store.add_code{ path = '$(q "SELECT path FROM code WHERE parent_id IS NOT NULL ORDER BY path LIMIT 1")', options = 'partial' }"
run "changing a stored code's options from a plugin is refused" 3 T run recode

plugin forger "    print(pcall(ctx.store.add_coding, { segment = $seg, code = 'x/y', coder = 'els' }))
    ctx.store.add_memo{ target = 'segment', target_id = $seg, text = 'a memo' }
    print(pcall(ctx.store.add_memo, { target = 'segment', target_id = $seg, text = 'forged', author = 'els' }))"
run "a plugin that forges provenance still runs" 0 T run forger
contains "a coding cannot name a coder" "$TMP/run.out" "field 'coder' is for scripts and imports"
contains "a memo cannot name a person as author" "$TMP/run.out" "the memo's author is 'plugin:forger'"
check "the memo's author is the plugin" "plugin:forger" "$(q "SELECT author FROM memo WHERE text = 'a memo'")"
check "no memo signed by els" "0" "$(q "SELECT count(*) FROM memo WHERE author = 'els'")"

# ---- limits ----
THEMA_PLUGIN_PATH=$HP
export THEMA_PLUGIN_PATH
plugin looper '    while true do pcall(function() while true do end end) end'
if command -v timeout >/dev/null 2>&1; then
  run "Ctrl-C stops a loop that pcall wraps" 3 timeout --foreground --preserve-status -s INT 3 $THEMA --db "$DB" --out "$TMP/out" run looper
  contains "and says so" "$TMP/run.err" "interrupted"
else
  skip "Ctrl-C stops a loop that pcall wraps" "no timeout command"
fi
run "the instruction budget stops it too" 3 $THEMA --db "$DB" --out "$TMP/out" --max-instructions 3000000 run looper
contains "naming the budget and the option" "$TMP/run.err" "stopped after 3000000 Lua instructions"
check "the run is recorded as failed" "failed" "$(q "SELECT status FROM run WHERE plugin = 'looper' ORDER BY id DESC LIMIT 1")"
plugin hog '    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end'
run "the memory limit stops a plugin" 3 $THEMA --db "$DB" --out "$TMP/out" --memory-limit 64 run hog
contains "naming the limit" "$TMP/run.err" "the Lua memory limit of 64 MB was reached"
plugin hog2 '    while true do pcall(function() local t, i = {}, 0 while true do i = i + 1 t[i] = i end end) end'
run "a pcall-wrapped memory hog is stopped by the budget" 3 $THEMA --db "$DB" --out "$TMP/out" --memory-limit 4 --max-instructions 20000000 run hog2
contains "which names itself" "$TMP/run.err" "stopped after 20000000 Lua instructions"
printf 'local s="x" for i=1,36 do s=s..s end return {}\n' >"$TMP/bomb.lua"
run "a Lua codebook asking for 64 GB is refused" 2 th "$DB" import codebook "$TMP/bomb.lua"
contains "with its file and the reason" "$TMP/run.err" "bomb.lua: the codebook needs more than 64 MB"
run "bad --max-instructions is a usage error" 1 th "$DB" --max-instructions lots stats

# ---- patterns bounded per segment ----
W=$TMP/w.db
awk 'BEGIN { printf "R1: "; for (i = 0; i < 1000000; i++) printf "a"; printf "\n" }' >"$TMP/wide.txt"
step "a transcript with one 1 MB turn imports" th "$W" import transcript "$TMP/wide.txt"
start=$(date +%s)
run "kwic with a slow pattern over it stops" 3 th "$W" kwic 'a+a+[0-9]'
took=$(($(date +%s) - start))
check "within seconds, not hours" "yes" "$([ "$took" -lt 30 ] && echo yes || echo no)"
contains "naming the pattern" "$TMP/run.err" "pattern 'a+a+[0-9]' gave up after 2 s"
contains "and the segment" "$TMP/run.err" "segment 1 of source wide"
mkdir -p "$TMP/out"  # the output folder is readable: the codebook may live there
printf 'code,parent,description,include,exclude\nslow,,A slow pattern.,a+a+[0-9],\n' >"$TMP/out/slow.csv"
start=$(date +%s)
run "the deductive matcher stops at the same budget" 3 th "$W" --out "$TMP/out" run deductive codebook="$TMP/out/slow.csv"
took=$(($(date +%s) - start))
check "within seconds" "yes" "$([ "$took" -lt 30 ] && echo yes || echo no)"
contains "naming the pattern and the segment" "$TMP/run.err" "pattern '(?<!\\w)(?:a+a+[0-9])(?!\\w)' gave up"
contains "the segment" "$TMP/run.err" "(segment id"

# ---- no silent loss of output ----
run "export --output /dev/full fails" 3 th "$DB" export codings --format csv --output /dev/full
contains "with the reason" "$TMP/run.err" "/dev/full: cannot write: No space left on device"
echo keep >"$TMP/keep.csv"
run "an export that cannot open its store leaves the old file" 2 th "$TMP/none.db" export codings --output "$TMP/keep.csv"
check "the old file is as it was" "keep" "$(cat "$TMP/keep.csv")"
step "export --output writes the file whole" th "$DB" export codings --format csv --output "$TMP/e.csv"
check "and no temporary file stays behind" "" "$(ls -A "$TMP" | grep '^\.e\.csv\.' || true)"
# (a subshell records the status: a pipeline's is the last command's)
(if th "$DB" kwic '\w+' 2>/dev/null; then s=0; else s=$?; fi; echo $s >"$TMP/kwic.status") | head -1 >/dev/null
check "kwic into a closed pipe exits 3, not killed by SIGPIPE" "3" "$(cat "$TMP/kwic.status")"
(if th "$DB" --out "$TMP/out" run deductive 2>"$TMP/pipe.err"; then s=0; else s=$?; fi
  echo $s >"$TMP/run.status") | true
check "run deductive into a closed pipe ends with exit 3" "3" "$(cat "$TMP/run.status")"
contains "saying stdout was lost" "$TMP/pipe.err" "cannot write the standard output"
check "and its run is finished and recorded" "ok" "$(q "SELECT status FROM run WHERE plugin = 'deductive' ORDER BY id DESC LIMIT 1")"

FULL=$TMP/full
mkdir -p "$FULL"
if mount -t tmpfs -o size=1m tmpfs "$FULL" 2>/dev/null; then
  trap 'umount "$FULL" 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM
  mkdir -p "$FULL/out"
  dd if=/dev/zero of="$FULL/fill" bs=4k 2>/dev/null || true
  runs_before=$(q "SELECT count(*) FROM run WHERE plugin = 'deductive' AND status = 'ok'")
  run "deductive with its output folder on a full disk fails" 3 th "$DB" --out "$FULL/out" run deductive
  contains "saying which file and why" "$TMP/run.err" "No space left on device"
  check "the run is not recorded as ok" "$runs_before" \
    "$(q "SELECT count(*) FROM run WHERE plugin = 'deductive' AND status = 'ok'")"
  check "no half-written or temporary file is left" "" "$(find "$FULL/out" -type f | head -3)"
  umount "$FULL"
  trap 'rm -rf "$TMP"' EXIT INT TERM
else
  skip "deductive with its output folder on a full disk fails" "cannot mount a tmpfs here (not root?)"
fi

e2e_finish
