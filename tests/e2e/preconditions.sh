#!/bin/sh
# tests/e2e/preconditions.sh — end-to-end tests of the preconditions plugin.
# Data mode on Lipset's data (tests/fixtures/qca-lipset): the published
# sufficiency figures, the truth table and the complex and parsimonious
# solutions of R's QCA, calibration from raw values in both conventions,
# missing cells, bad input (exit 2, nothing stored) and byte-identical
# reruns. Study mode on the shipped study's store with a stand-in for
# plugins/lib/conditions.lua written below (a fixed evidence table that keeps
# to the documented contract), so the plugin's own handling — calibration by
# level, anchors from the data, missing cases, evidence, negations, a
# configuration error — is tested whatever the real library computes.
#
#   THEMA=build/asan/thema sh tests/e2e/preconditions.sh      (run from anywhere)
#
# The last line of output is "N passed, N failed"; the exit code is 1 when any
# check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin preconditions
FIX=tests/fixtures/qca-lipset
th "$DB" --quiet init >/dev/null

# A plugin reads only inside the project and the output folder: every run
# writes under $OUT, where the generated inputs live too ($IN).
OUT=$TMP/out
IN=$OUT/in
mkdir -p "$IN"

# pre NAME PARAM... — run the plugin; its output is moved to $TMP/NAME/preconditions/,
# stdout and stderr in $TMP/NAME.out and .err, the exit code in $rc.
pre() {
  name=$1
  shift
  if th "$DB" --quiet --out "$OUT" run preconditions "$@" >"$TMP/$name.out" \
       2>"$TMP/$name.err"; then rc=0; else rc=$?; fi
  mkdir -p "$TMP/$name"
  rm -rf "$TMP/$name/preconditions"
  if [ -d "$OUT/preconditions" ]; then mv "$OUT/preconditions" "$TMP/$name/"; fi
}
out() { cat "$TMP/$1/preconditions/$2" 2>/dev/null || true; }
# line FILE-CONTENT KEY — the lines of a CSV starting with KEY
grepl() { out "$1" "$2" | grep -F -- "$3" || true; }

# ---- data mode: memberships as given ----
pre fuzzy data=$FIX/lipset-fuzzy.csv outcome=SURV
check "fuzzy: exit 0" 0 "$rc"
check "fuzzy: sufficiency DEV (published 0.775 0.743 0.831)" "case,DEV,0.775,0.743,0.831,18" \
  "$(grepl fuzzy sufficiency.csv 'case,DEV,')"
check "fuzzy: sufficiency ~LIT (published 0.168 0.000 0.096)" "case,~LIT,0.168,0.000,0.096,18" \
  "$(grepl fuzzy sufficiency.csv 'case,~LIT,')"
check "fuzzy: necessity STB (inclN = covS, RoN, covN = inclS)" "case,STB,0.920,0.680,0.707,18" \
  "$(grepl fuzzy necessity.csv 'case,STB,')"
check "fuzzy: truth table has the 9 observed configurations" 10 \
  "$(out fuzzy truth_table.csv | wc -l | tr -d ' ')"
check "fuzzy: truth table row 22" "case,1,0,1,0,1,1,2,0.804,0.719,FI;IE" \
  "$(grepl fuzzy truth_table.csv 'FI;IE')"
check "fuzzy: truth table row 24 (outcome 0)" "case,1,0,1,1,1,0,2,0.709,0.634,FR;SE" \
  "$(grepl fuzzy truth_table.csv 'FR;SE')"
check "fuzzy: complex solution" \
  "case,complex,M1,model,DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB,0.870,0.843,0.658,," \
  "$(grepl fuzzy solutions.csv 'complex,M1,model,')"
check "fuzzy: parsimonious solution" "case,parsimonious,M1,model,DEV*~IND + URB*STB,0.850,0.819,0.714,," \
  "$(grepl fuzzy solutions.csv 'parsimonious,M1,model,')"
check "fuzzy: parsimonious term URB*STB with unique coverage and cases" \
  "case,parsimonious,M1,term,URB*STB,0.874,0.845,0.520,0.430,BE;CZ;NL;UK" \
  "$(grepl fuzzy solutions.csv 'parsimonious,M1,term,URB*STB,')"
check "fuzzy: evidence names the file and line of each value" \
  "AU,case,DEV,,,,,,DEV,$FIX/lipset-fuzzy.csv:2,0.81,,,," "$(grepl fuzzy evidence.csv 'AU,case,DEV,')"
contains "fuzzy: section.md has the solution" "$TMP/fuzzy/preconditions/section.md" \
  "| parsimonious | M1 | DEV*~IND + URB*STB | 0.850 | 0.819 | 0.714 |  |"
contains "fuzzy: section.html is a fragment with tables" "$TMP/fuzzy/preconditions/section.html" \
  '<section class="preconditions">'
contains "fuzzy: section states the convention and cut-offs" "$TMP/fuzzy/preconditions/section.md" \
  "Truth table: outcome 1 from consistency 0.80 and PRI 0.00, at least 1 case(s) a row."

pre cut data=$FIX/lipset-fuzzy.csv outcome=SURV incl_cut=0.9
check "incl_cut=0.9: only row 32 is true; remainders reduce it to URB*STB" \
  "case,parsimonious,M1,term,URB*STB,0.874,0.845,0.520,0.520,BE;CZ;NL;UK" \
  "$(grepl cut solutions.csv 'parsimonious,M1,term,')"
check "incl_cut=0.9: the complex solution is row 32 itself" \
  "case,complex,M1,term,DEV*URB*LIT*IND*STB,0.904,0.886,0.454,0.454,BE;CZ;NL;UK" \
  "$(grepl cut solutions.csv 'complex,M1,term,')"
pre sub data=$FIX/lipset-fuzzy.csv outcome=SURV conditions=DEV,STB
check "conditions=DEV,STB: the truth table has those columns" \
  "level,DEV,STB,outcome,n,consistency,pri,cases" "$(out sub truth_table.csv | head -1)"

# ---- data mode: calibration from raw values ----
pre raw data=$FIX/lipset-raw.csv outcome=SURV conditions=DEV,LIT \
  calibrate=DEV:350:550:900,LIT:75:90:99,SURV:-5:0:5
check "raw: exit 0" 0 "$rc"
check "raw: sufficiency DEV (published 0.742 0.731 0.835)" "case,DEV,0.742,0.731,0.835,18" \
  "$(grepl raw sufficiency.csv 'case,DEV,')"
check "raw: sufficiency ~LIT (published 0.169 0.095 0.154)" "case,~LIT,0.169,0.095,0.154,18" \
  "$(grepl raw sufficiency.csv 'case,~LIT,')"
check "raw: membership prints raw value and anchors (R's convention)" \
  "AU,case,DEV,720,0.807,direct,rqca,350,550,900,given,,,,1," "$(grepl raw membership.csv 'AU,case,DEV,')"
pre fs data=$FIX/lipset-raw.csv outcome=SURV conditions=DEV,LIT \
  calibrate=DEV:350:550:900,LIT:75:90:99,SURV:-5:0:5 convention=fsqca
check "fsqca: AU's DEV is 1/(1+exp(-3*170/350))" \
  "AU,case,DEV,720,0.811,direct,fsqca,350,550,900,given,,,,1," "$(grepl fs membership.csv 'AU,case,DEV,')"
check "fsqca: BE's SURV at the inclusion anchor's far side" \
  "BE,case,SURV,10,0.998,direct,fsqca,-5,0,5,given,,,,1," "$(grepl fs membership.csv 'BE,case,SURV,')"
pre fromdata data=$FIX/lipset-raw.csv outcome=SURV 'calibrate=*:data'
check "*:data: anchors from the distribution, printed" \
  "AU,case,DEV,720,0.700,direct,rqca,329.35,588,1047,data,,,,1," \
  "$(grepl fromdata membership.csv 'AU,case,DEV,')"

pre indirect data=$FIX/lipset-raw.csv outcome=SURV conditions=DEV \
  calibrate=DEV:indirect:350:550:900,SURV:-5:0:5
check "indirect: exit 0" 0 "$rc"
indirect_au=$(grepl indirect membership.csv 'AU,case,DEV,' | cut -d, -f4-11)
check "indirect: method and anchors printed (no convention: it is a fit)" \
  "720,$(echo "$indirect_au" | cut -d, -f2),indirect,,350,550,900,given" "$indirect_au"
dev_direct=$(grepl raw membership.csv 'AU,case,DEV,' | cut -d, -f5)
check "indirect: differs from the direct method" 1 \
  "$( [ "$(echo "$indirect_au" | cut -d, -f2)" != "$dev_direct" ] && echo 1 || echo 0)"

# ---- missing data ----
printf 'case,A,B,Y\nc1,0.9,0.8,0.9\nc2,0.1,,0.2\nc3,0.8,0.7,0.7\nc4,0.2,0.3,0.1\n' >"$IN/miss.csv"
pre miss data=$IN/miss.csv outcome=Y
check "missing: exit 0" 0 "$rc"
check "missing: the case is listed as excluded" "case,c2,B" "$(out miss excluded.csv | sed 1d)"
check "missing: its membership is empty, not 0" "c2,case,B,,,membership,,,,,,,,,1," \
  "$(grepl miss membership.csv 'c2,case,B,')"
check "missing: three cases scored (hand: 1.7/1.9, 1.2/1.4, 1.7/1.7)" "case,A,0.895,0.857,1.000,3" "$(grepl miss sufficiency.csv 'case,A,')"

# ---- bad input: exit 2, a message naming file and line, nothing stored ----
runs_before=$(q "SELECT count(*) FROM run WHERE status = 'ok'")
bad() {
  label=$1
  needle=$2
  shift 2
  pre bad "$@"
  check "$label: exit 2" 2 "$rc"
  contains "$label: message" "$TMP/bad.err" "$needle"
}
bad "raw values as memberships" "lipset-raw.csv:2: column DEV of case 'AU' is 720, not a membership in [0, 1]" \
  data=$FIX/lipset-raw.csv outcome=SURV
bad "unknown outcome" "lipset-fuzzy.csv:1: no outcome column 'NOPE'; columns: DEV, URB, LIT, IND, STB, SURV" \
  data=$FIX/lipset-fuzzy.csv outcome=NOPE
bad "unknown condition" "lipset-fuzzy.csv:1: no condition column 'GDP'" \
  data=$FIX/lipset-fuzzy.csv outcome=SURV conditions=DEV,GDP
printf 'case,A,Y\nx,0.5,0.2\ny,lots,0.4\n' >"$IN/nonnum.csv"
bad "non-numeric membership" "nonnum.csv:3: column A of case 'y': 'lots' is not a number" \
  data=$IN/nonnum.csv outcome=Y
printf 'case,A,Y\nx,0.5,0.2\nx,0.7,0.4\n' >"$IN/twice.csv"
bad "a case twice" "twice.csv:3: case 'x' appears twice (first on line 2)" data=$IN/twice.csv outcome=Y
printf 'case,A,Y\nx,0.5,0.2\ny,0.7\n' >"$IN/ragged.csv"
bad "a ragged row" "ragged.csv:3" data=$IN/ragged.csv outcome=Y
bad "anchors out of order" "anchors out of order (exclusion 900, crossover 550, inclusion 700)" \
  data=$FIX/lipset-raw.csv outcome=SURV conditions=DEV calibrate=DEV:900:550:700,SURV:-5:0:5
bad "a bad calibrate item" "calibrate: 'DEV:1:2': write COLUMN:EXCLUSION:CROSSOVER:INCLUSION," \
  data=$FIX/lipset-raw.csv outcome=SURV calibrate=DEV:1:2
bad "no mode" "give data=FILE.csv outcome=COLUMN" outcome=SURV
printf 'thema.input_error("data.csv:4: what is wrong; what to do")\n' >"$IN/input_error.lua"
if th "$DB" --quiet --out "$OUT" script "$IN/input_error.lua" >/dev/null 2>"$TMP/script.err"; then
  rc=0
else rc=$?; fi
check "thema.input_error in a script: exit 2" 2 "$rc"
contains "thema.input_error: the message, without a traceback" "$TMP/script.err" \
  "data.csv:4: what is wrong; what to do"
check "bad input stored no run" "$runs_before" "$(q "SELECT count(*) FROM run WHERE status = 'ok'")"

# ---- determinism ----
pre again data=$FIX/lipset-fuzzy.csv outcome=SURV
for f in membership evidence necessity sufficiency truth_table solutions; do
  same_files "rerun: $f.csv byte-identical" "$TMP/fuzzy/preconditions/$f.csv" \
    "$TMP/again/preconditions/$f.csv"
done
same_files "rerun: section.html byte-identical" "$TMP/fuzzy/preconditions/section.html" \
  "$TMP/again/preconditions/section.html"

# ---- study mode, with a stand-in for plugins/lib/conditions.lua ----
th "$DB" --quiet import transcript "$STUDY/transcripts" >/dev/null
th "$DB" --quiet import monitor "$STUDY/monitor" >/dev/null
th "$DB" --quiet import cases "$STUDY/organisations.csv" "$STUDY/cases.csv" >/dev/null
mkdir -p "$TMP/double/lib"
cat >"$TMP/double/lib/conditions.lua" <<'EOF'
-- A stand-in for plugins/lib/conditions.lua: the documented contract, fixed data.
local M = {}
function M.load(path)
  local f = assert(io.open(path, "r"))
  local text = f:read("a")
  f:close()
  if text:find("broken") then error(path .. ":3: unknown code 'coordinatie/trekker'; " ..
                                    "see thema codebook list", 0) end
  return {
    outcome = { name = "leren", calibration = { method = "direct",
                anchors = { exclusion = 0, crossover = 0.2, inclusion = 0.5 } } },
    conditions = {
      { name = "draagvlak", calibration = { method = "direct",
        anchors = { exclusion = 0, crossover = 0.1, inclusion = 0.4 } } },
      { name = "schaalgrootte", calibration = { method = "data" } },
    },
  }
end
local function row(case, level, condition, raw, items, negations)
  return { case = case, level = level, condition = condition, raw = raw, support = 2,
           oppose = 1, base = 10, items = items or {}, negations = negations or {} }
end
function M.evidence(store, config, by)
  assert(by.coder == "thesis" or by.run, "coder or run expected")
  local q = { polarity = "support", source = "focusgroep-leuven", segment = 4, speaker = "R1.2",
              quote = "De burgemeester \"steunt\" ons, zeker." }
  local neg = { { segment = 7, cue = "geen draagvlak", decision = "voided" } }
  local obs = { indicator = "inwoners", observation = 12, value = 100291 }
  return {
    row("Leuven", "organisation", "draagvlak", 0.3, { q }, neg),
    row("Leuven", "organisation", "schaalgrootte", 100291, { obs }),
    row("Leuven", "organisation", "leren", 0.6),
    row("Landen", "organisation", "draagvlak", 0.0),
    row("Landen", "organisation", "schaalgrootte", 15883),
    row("Landen", "organisation", "leren", 0.1),
    row("Tienen", "organisation", "draagvlak", nil),
    row("Tienen", "organisation", "schaalgrootte", 34000),
    row("Tienen", "organisation", "leren", 0.3),
    row("Diest", "organisation", "draagvlak", 0.2),
    row("Diest", "organisation", "schaalgrootte", 23000),
    row("Diest", "organisation", "leren", 0.25),
    row("Limburg", "network", "draagvlak", 0.35),
    row("Limburg", "network", "schaalgrootte", 400000),
    row("Limburg", "network", "leren", 0.5),
    row("Leuven-Hageland", "network", "draagvlak", 0.05),
    row("Leuven-Hageland", "network", "schaalgrootte", 200000),
    row("Leuven-Hageland", "network", "leren", 0.1),
  }
end
return M
EOF
printf -- '-- conditions\n' >"$IN/conditions.lua"
printf -- '-- conditions\n\nbroken\n' >"$IN/broken.lua"
study() {
  name=$1
  shift
  if THEMA_PLUGIN_PATH="$TMP/double:plugins" th "$DB" --quiet --out "$OUT" \
       run preconditions "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then rc=0; else rc=$?; fi
  mkdir -p "$TMP/$name"
  rm -rf "$TMP/$name/preconditions"
  if [ -d "$OUT/preconditions" ]; then mv "$OUT/preconditions" "$TMP/$name/"; fi
}
study st config=$IN/conditions.lua source=coder:thesis
check "study: exit 0" 0 "$rc"
# by hand: ln(19) * (0.3 - 0.1) / 0.3 = 1.963 -> 0.877; the organisations'
# schaalgrootte 15883 23000 34000 100291 give type-7 anchors 16950.55, 28500,
# 90347.35 and Landen ln(19) * -12617 / 11549.45 = -3.217 -> 0.039.
check "study: membership with raw, anchors and counts" \
  "Leuven,organisation,draagvlak,0.3,0.877,direct,rqca,0,0.1,0.4,given,2,1,10,1,1" \
  "$(grepl st membership.csv 'Leuven,organisation,draagvlak,')"
check "study: a missing raw value stays missing" \
  "Tienen,organisation,draagvlak,,,direct,rqca,0,0.1,0.4,given,2,1,10,0,0" \
  "$(grepl st membership.csv 'Tienen,organisation,draagvlak,')"
check "study: anchors from the data are the level's own (organisations)" \
  "Landen,organisation,schaalgrootte,15883,0.039,direct,rqca,16950.5,28500,90347.3,data,2,1,10,0,0" \
  "$(grepl st membership.csv 'Landen,organisation,schaalgrootte,')"
check "study: the quote behind a score, quoted as CSV" \
  'Leuven,organisation,draagvlak,support,focusgroep-leuven,4,R1.2,"De burgemeester ""steunt"" ons, zeker.",,,,,,,' \
  "$(grepl st evidence.csv 'Leuven,organisation,draagvlak,')"
check "study: the observation behind an indicator" \
  "Leuven,organisation,schaalgrootte,,,,,,inwoners,12,100291,,,," \
  "$(grepl st evidence.csv 'Leuven,organisation,schaalgrootte,')"
check "study: negation decisions listed" "Leuven,organisation,draagvlak,7,geen draagvlak,voided" \
  "$(out st negations.csv | sed 1d)"
check "study: the case without evidence is excluded, not zero" "organisation,Tienen,draagvlak" \
  "$(grepl st excluded.csv 'Tienen')"
check "study: QCA per level" "2 3" \
  "$(grepl st sufficiency.csv 'network,draagvlak,' | cut -d, -f6) $(grepl st sufficiency.csv 'organisation,draagvlak,' | cut -d, -f6)"
contains "study: section names the source" "$TMP/st/preconditions/section.md" \
  "evidence from coder:thesis"
study st2 config=$IN/conditions.lua source=coder:thesis
same_files "study: rerun byte-identical" "$TMP/st/preconditions/membership.csv" \
  "$TMP/st2/preconditions/membership.csv"
study broken config=$IN/broken.lua source=coder:thesis
check "study: a bad conditions file exits 2" 2 "$rc"
contains "study: its message names file and line" "$TMP/broken.err" \
  "broken.lua:3: unknown code 'coordinatie/trekker'; see thema codebook list"
study nosrc config=$IN/conditions.lua source=plugin:nothing
check "study: a source without runs exits 2" 2 "$rc"
contains "study: and says what to do" "$TMP/nosrc.err" "plugin nothing has no run with status ok"

e2e_finish
