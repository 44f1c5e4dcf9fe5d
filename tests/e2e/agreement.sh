#!/bin/sh
# tests/e2e/agreement.sh — end-to-end tests of the agreement plugin: a scratch
# store of generated transcripts (tests/data/agreement/transcripts, one turn
# per unit), human codings imported with `thema import codings`, and
# `thema run agreement`, whose CSV output is checked against the published
# figures of tests/fixtures/agreement/ and against cases worked out by hand
# below; then bad input.
#
#   THEMA=build/asan/thema sh tests/e2e/agreement.sh      (run from anywhere)
#
# $THEMA may hold a command with arguments. The last line of output is
# "N passed, N failed" (plus "(N skipped)" when a check cannot apply yet, with
# the reason printed); the exit code is 1 when any check failed.
set -eu

. "$(dirname "$0")/lib.sh"
e2e_begin agreement
DATA=$ROOT/tests/data/agreement
FIXTURES=$ROOT/tests/fixtures/agreement

# agree NAME PARAM... — run the plugin with its output in $TMP/NAME/agreement/;
# a failed run fails the check and leaves empty files, so later checks fail too.
agree() {
  name=$1
  shift
  mkdir -p "$TMP/$name/agreement"
  if th "$DB" --out "$TMP/$name" run agreement "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
    pass "run agreement $*"
  else
    fail "run agreement $*" "exit $?" "$(cat "$TMP/$name.err")"
    for f in by_code pairs disagreements; do : >"$TMP/$name/agreement/$f.csv"; done
  fi
}

# row NAME CODE — the by_code.csv row of CODE without the code and the note:
# units,coders,percent,kappa,kappa_kind,alpha (the interval is checked apart).
row() {
  awk -F, -v code="$2" '$1 == code { print $2 "," $3 "," $4 "," $5 "," $6 "," $7 }' \
    "$TMP/$1/agreement/by_code.csv"
}

# col NAME CODE FIELD — one field of the by_code.csv row of CODE.
col() {
  awk -F, -v code="$2" -v f="$3" '$1 == code { print $f }' "$TMP/$1/agreement/by_code.csv"
}

# fails NAME EXIT_CODES NEEDLE PARAM... — the run fails with one of the exit
# codes (space-separated) and NEEDLE on stderr.
fails() {
  name=$1 codes=$2 needle=$3
  shift 3
  if th "$DB" --out "$TMP/bad" run agreement "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"; then
    status=0
  else
    status=$?
  fi
  case " $codes " in
    *" $status "*) pass "$name: exit $status" ;;
    *) fail "$name: exit $status, expected one of $codes" "$(cat "$TMP/bad.err")" ;;
  esac
  contains "$name: says so" "$TMP/bad.err" "$needle"
}

# fixture_coder FIXTURE COLUMN SOURCE PREFIX — a coding file from one column of
# a fixture "unit,coder1,coder2": row k codes segment k of SOURCE; the category
# becomes the code PREFIX/slug ("4. Neurosis" -> diagnosis/4-neurosis: lower
# case, every run of other characters than a-z and 0-9 one '-'); an empty cell
# is a unit the coder left uncoded (an empty code, which the import skips).
fixture_coder() {
  awk -v col="$2" -v src="$3" -v prefix="$4" 'BEGIN { FS = ","; print "source,segment,code" }
    NR > 1 {
      v = $col; gsub(/"/, "", v); gsub(/\r/, "", v); v = tolower(v)
      gsub(/[^a-z0-9]+/, "-", v); sub(/^-/, "", v); sub(/-$/, "", v)
      printf "%s,%d,%s\n", src, NR - 1, (v == "" ? "" : prefix "/" v)
    }' "$1"
}

# ---- the store ----
step "init" th "$DB" init
step "import the generated transcripts" th "$DB" import transcript "$DATA/transcripts"
check "one turn per fixture unit" "diagnoses,30
extra,2
hand,6
missing-small,12" "$(th "$DB" query "SELECT s.name, count(*) FROM segment g
  JOIN source s ON s.id = g.source_id GROUP BY s.name ORDER BY s.name" | sed 1d)"

fixture_coder "$FIXTURES/diagnoses-raters-1-2.csv" 2 diagnoses diagnosis >"$TMP/rater1.csv"
fixture_coder "$FIXTURES/diagnoses-raters-1-2.csv" 3 diagnoses diagnosis >"$TMP/rater2.csv"
fixture_coder "$FIXTURES/missing-small.csv" 2 missing-small theme >"$TMP/A.csv"
fixture_coder "$FIXTURES/missing-small.csv" 3 missing-small theme >"$TMP/B.csv"
for coder in rater1 rater2 A B; do
  step "import codings of coder $coder" th "$DB" import codings "$TMP/$coder.csv" --coder "$coder"
done
for coder in x y z; do
  up=$(printf %s "$coder" | tr xyz XYZ)
  step "import codings of coder $up" th "$DB" import codings "$DATA/hand-$coder.csv" --coder "$up"
done
check "the missing units are left uncoded" "A,11
B,11" "$(th "$DB" query "SELECT coder, count(*) FROM coding c JOIN segment g ON g.id = c.segment_id
  JOIN source s ON s.id = g.source_id WHERE s.name = 'missing-small'
  GROUP BY coder ORDER BY coder" | sed 1d)"

# ---- diagnoses-raters-1-2.csv, nominal: 73.33 %, kappa 0.6512, alpha 0.6491 ----
agree diagnoses coders=coder:rater1,coder:rater2 mode=nominal
check "diagnoses: 30 units, 2 coders, 73.3333 %, kappa 0.6512, alpha 0.6491" \
  "30,2,73.3333,0.6512,cohen,0.6491" "$(row diagnoses '(overall)')"
check "diagnoses: percent rounds to the published 73.33" "73.33" \
  "$(printf '%.2f' "$(col diagnoses '(overall)' 4)")"
check "diagnoses: one row per diagnosis and the overall row" \
  "code,units,coders,percent,kappa,kappa_kind,alpha,alpha_lo,alpha_hi,note
diagnosis/1-depression
diagnosis/2-personality-disorder
diagnosis/3-schizophrenia
diagnosis/4-neurosis
diagnosis/5-other
(overall)" "$(sed '1!s/,.*//' "$TMP/diagnoses/agreement/by_code.csv")"
check "diagnoses: the 8 disagreements, in unit order, with both coders' codes" \
  "3,diagnosis/2-personality-disorder,diagnosis/3-schizophrenia
11,diagnosis/1-depression,diagnosis/4-neurosis
12,diagnosis/1-depression,diagnosis/2-personality-disorder
14,diagnosis/1-depression,diagnosis/4-neurosis
20,diagnosis/1-depression,diagnosis/3-schizophrenia
22,diagnosis/2-personality-disorder,diagnosis/4-neurosis
25,diagnosis/1-depression,diagnosis/4-neurosis
29,diagnosis/1-depression,diagnosis/3-schizophrenia" \
  "$(awk -F, 'NR > 1 { print $3 "," $5 "," $6 }' "$TMP/diagnoses/agreement/disagreements.csv")"
check "diagnoses: disagreements name the unit's source, speaker and text" \
  "code,source,segment,speaker,coder:rater1,coder:rater2,segment_text
(overall),diagnoses,3,R1,diagnosis/2-personality-disorder,diagnosis/3-schizophrenia,unit 3" \
  "$(head -n 2 "$TMP/diagnoses/agreement/disagreements.csv")"
check "diagnoses: pairs.csv has the pair's overall figures" \
  "coder:rater1,coder:rater2,(overall),30,73.3333,0.6512" \
  "$(grep -F '(overall)' "$TMP/diagnoses/agreement/pairs.csv")"
lo=$(col diagnoses '(overall)' 8) hi=$(col diagnoses '(overall)' 9)
if awk -v lo="$lo" -v hi="$hi" \
  'BEGIN { exit !(lo != "" && hi != "" && lo < 0.6491 && 0.6491 < hi && hi <= 1) }'; then
  pass "diagnoses: the 95 % bootstrap interval [$lo, $hi] holds alpha"
else
  fail "diagnoses: the 95 % bootstrap interval holds alpha" "lo=$lo hi=$hi"
fi
contains "diagnoses: the summary on stdout" "$TMP/diagnoses.out" \
  "(overall)                                   30 units  percent 73.3333  kappa 0.6512  alpha 0.6491"

# Same data, same seed: the same bytes; another seed: the same point figures.
agree diagnoses-again coders=coder:rater1,coder:rater2 mode=nominal
for f in by_code pairs disagreements; do
  same_files "diagnoses: a second run writes the same $f.csv" \
    "$TMP/diagnoses/agreement/$f.csv" "$TMP/diagnoses-again/agreement/$f.csv"
done
agree diagnoses-seed coders=coder:rater1,coder:rater2 mode=nominal seed=7 samples=200 level=0.9
check "diagnoses: seed, samples and level change only the interval" \
  "30,2,73.3333,0.6512,cohen,0.6491" "$(row diagnoses-seed '(overall)')"

# ---- missing-small.csv, nominal: 10 units coded by both, 70.00 %, 0.5833, 0.5957 ----
# Both coders coded in the source, so both cover its 12 units; in nominal mode a
# covered unit without a code is missing (s05 for B, s06 for A), not a category.
agree missing coders=coder:A,coder:B mode=nominal
check "missing-small: 10 units, 70.0000 %, kappa 0.5833, alpha 0.5957" \
  "10,2,70.0000,0.5833,cohen,0.5957" "$(row missing '(overall)')"
check "missing-small: the 3 disagreements; a missing value is an empty cell" \
  "3,theme/taal,theme/werk
10,theme/wonen,theme/werk
11,theme/discriminatie,theme/taal" \
  "$(awk -F, 'NR > 1 { print $3 "," $5 "," $6 }' "$TMP/missing/agreement/disagreements.csv")"

# ---- binary mode, worked out by hand ----
# hand.txt has turns u1..u6; codes t/a, t/b. X also codes extra/1 (t/a) and
# extra/2 (t/c), a source Y and Z never code, so extra's 2 units are missing for
# them and drop out, and t/c, used only there, is not compared at all.
#        u1   u2   u3    u4   u5   u6
#   X    a    a    a,b   b    -    a
#   Y    a    b    a     b    a    a,b
#   Z    a    a    a     b    b    a
# X and Y:
#   t/a  X 1 1 1 0 0 1, Y 1 0 1 0 1 1: agree on 4 of 6 = 66.6667 %.
#        kappa: n=6, agree=4, S = 4*4 + 2*2 = 20: (6*4 - 20) / (36 - 20) = 0.25.
#        alpha: n = 12 values; o11 = 6 (u1 u3 u6), o00 = 2 (u4), o10 = o01 = 2
#        (u2 u5); n1 = 8, n0 = 4; 1 - (n-1) D / E = 1 - 11*4 / (2*8*4) = 0.3125.
#   t/b  X 0 0 1 1 0 0, Y 0 1 0 1 0 1: agree on 3 of 6 = 50 %.
#        kappa: S = 2*3 + 4*3 = 18: (6*3 - 18) / (36 - 18) = 0.
#        alpha: o11 = 2 (u4), o00 = 4 (u1 u5), D = 6 (u2 u3 u6); n1 = 5, n0 = 7:
#        1 - 11*6 / (2*5*7) = 4/70 = 0.0571.
#   overall, 12 code x unit decisions: agree on 7 = 58.3333 %; X has 6 ones, Y 7:
#        S = 6*7 + 6*5 = 72, kappa = (12*7 - 72) / (144 - 72) = 1/6 = 0.1667;
#        alpha: n = 24, D = 10, n1 = 13, n0 = 11: 1 - 23*10 / (2*13*11) = 0.1958.
agree hand coders=coder:X,coder:Y
check "hand X,Y: t/a 6 units, 66.6667 %, kappa 0.2500, alpha 0.3125" \
  "6,2,66.6667,0.2500,cohen,0.3125" "$(row hand t/a)"
check "hand X,Y: t/b 6 units, 50.0000 %, kappa 0.0000, alpha 0.0571" \
  "6,2,50.0000,0.0000,cohen,0.0571" "$(row hand t/b)"
check "hand X,Y: overall 12 decisions, 58.3333 %, kappa 0.1667, alpha 0.1958" \
  "12,2,58.3333,0.1667,cohen,0.1958" "$(row hand '(overall)')"
check "hand X,Y: only the codes used where both coders looked" "t/a
t/b
(overall)" "$(sed '1d; s/,.*//' "$TMP/hand/agreement/by_code.csv")"
check "hand X,Y: one disagreement row per code and unit, 1/0 per coder" \
  "code,source,segment,speaker,coder:X,coder:Y,segment_text
t/a,hand,2,R1,1,0,turn 2 of the hand-worked case
t/a,hand,5,R2,0,1,turn 5 of the hand-worked case
t/b,hand,2,R1,0,1,turn 2 of the hand-worked case
t/b,hand,3,R2,1,0,turn 3 of the hand-worked case
t/b,hand,6,R1,0,1,turn 6 of the hand-worked case" \
  "$(cat "$TMP/hand/agreement/disagreements.csv")"
check "hand X,Y: pairs.csv" "coder_a,coder_b,code,units,percent,kappa
coder:X,coder:Y,t/a,6,66.6667,0.2500
coder:X,coder:Y,t/b,6,50.0000,0.0000
coder:X,coder:Y,(overall),12,58.3333,0.1667" "$(cat "$TMP/hand/agreement/pairs.csv")"

agree hand-sources coders=coder:X,coder:Y sources=hand
for f in by_code pairs disagreements; do
  same_files "hand X,Y: sources=hand changes nothing in $f.csv (extra is missing for Y)" \
    "$TMP/hand/agreement/$f.csv" "$TMP/hand-sources/agreement/$f.csv"
done

# X, Y and Z: every unit has 3 values, each counted 1/(3-1) per pair.
#   t/a  X = Z: pairwise kappas X-Y 0.25, X-Z 1, Y-Z 0.25, mean 0.5; percent
#        (66.67 + 100 + 66.67) / 3 = 77.7778. alpha: n = 18; o11 = 3+1+3+3 = 10,
#        o00 = 3+1 = 4, D = 4 (u2 u5); n1 = 12, n0 = 6: 1 - 17*4 / (2*12*6) = 0.5278.
#   t/b  Z 0 0 0 1 1 0: X-Y 0, X-Z (4 of 6, S = 20) 0.25, Y-Z (3 of 6, S = 18) 0,
#        mean 0.0833; percent (50 + 66.67 + 50) / 3 = 55.5556. alpha: o00 = 7,
#        o11 = 3, D = 8; n0 = 11, n1 = 7: 1 - 17*8 / (2*11*7) = 0.1169.
#   overall  kappas X-Y 1/6, X-Z (10 of 12, S = 72) 2/3, Y-Z 1/6: mean 0.3333;
#        percent (58.33 + 83.33 + 58.33) / 3 = 66.6667; alpha: n = 36, D = 12,
#        n1 = 19, n0 = 17: 1 - 35*12 / (2*19*17) = 0.3498.
agree hand3 coders=coder:X,coder:Y,coder:Z
check "hand X,Y,Z: t/a 77.7778 %, mean pairwise kappa 0.5000, alpha 0.5278" \
  "6,3,77.7778,0.5000,mean_pairwise,0.5278" "$(row hand3 t/a)"
check "hand X,Y,Z: t/b 55.5556 %, mean pairwise kappa 0.0833, alpha 0.1169" \
  "6,3,55.5556,0.0833,mean_pairwise,0.1169" "$(row hand3 t/b)"
check "hand X,Y,Z: overall 66.6667 %, mean pairwise kappa 0.3333, alpha 0.3498" \
  "12,3,66.6667,0.3333,mean_pairwise,0.3498" "$(row hand3 '(overall)')"
check "hand X,Y,Z: pairs.csv has every pair per code" "9" \
  "$(sed 1d "$TMP/hand3/agreement/pairs.csv" | wc -l | tr -d ' ')"
check "hand X,Y,Z: the X-Z pair agrees fully on t/a" "coder:X,coder:Z,t/a,6,100.0000,1.0000" \
  "$(grep -F 'coder:X,coder:Z,t/a' "$TMP/hand3/agreement/pairs.csv")"
check "hand X,Y,Z: a unit disagrees when any two coders differ" \
  "t/a,2,1,0,1
t/a,5,0,1,0
t/b,2,0,1,0
t/b,3,1,0,0
t/b,5,0,0,1
t/b,6,0,1,0" "$(awk -F, 'NR > 1 { print $1 "," $3 "," $5 "," $6 "," $7 }' \
  "$TMP/hand3/agreement/disagreements.csv")"

# X, Y and A: A codes only missing-small, which X and Y never code, so on hand
# A is missing everywhere: the figures are those of the pair X, Y (the pairs
# with A share no unit, which the note says), the kappa is the mean over the one
# defined pair, and in a disagreement row A's column is an empty cell.
agree hand-xya coders=coder:X,coder:Y,coder:A
check "hand X,Y,A: t/a as X,Y alone, over the one pair with shared units" \
  "6,2,66.6667,0.2500,mean_pairwise,0.3125" "$(row hand-xya t/a)"
contains "hand X,Y,A: the note names the pairs without shared units" \
  "$TMP/hand-xya/agreement/by_code.csv" "no units coded by both coders"
check "hand X,Y,A: only the codes used where two coders looked" "t/a
t/b
(overall)" "$(sed '1d; s/,.*//' "$TMP/hand-xya/agreement/by_code.csv")"
check "hand X,Y,A: a coder missing on a disagreeing unit is an empty cell" \
  "code,source,segment,speaker,coder:X,coder:Y,coder:A,segment_text
t/a,hand,2,R1,1,0,,turn 2 of the hand-worked case
t/a,hand,5,R2,0,1,,turn 5 of the hand-worked case" \
  "$(sed -n '1,3p' "$TMP/hand-xya/agreement/disagreements.csv")"
check "hand X,Y,A: pairs.csv has the pairs with A, without figures" \
  "coder:X,coder:A,t/a,0,,
coder:Y,coder:A,t/a,0,," "$(grep -F ',coder:A,t/a,' "$TMP/hand-xya/agreement/pairs.csv")"

# Nominal on the same codings restricted to t/a: X gives a on u1 u2 u3 u6, Y on
# u1 u3 u5 u6; the 3 units both coded are all t/a: 100 %, kappa and alpha
# undefined (one category), reported as empty cells with the reason.
agree hand-a coders=coder:X,coder:Y mode=nominal codes=t/a
check "nominal codes=t/a: 3 units, 100 %, kappa and alpha empty" \
  "3,2,100.0000,,cohen," "$(row hand-a '(overall)')"
contains "nominal codes=t/a: the note says why" "$TMP/hand-a/agreement/by_code.csv" \
  "kappa undefined: both coders used one and the same category for every unit"

# ---- bad input ----
if th "$DB" --out "$TMP/bad" run agreement coders=coder:X >"$TMP/bad.out" 2>"$TMP/bad.err"; then
  status=0
else
  status=$?
fi
contains "one coder: says two are needed" "$TMP/bad.err" \
  "agreement: parameter coders must have at least 2 entries"
case $status in
  1) pass "one coder: exit 1 (usage)" ;;
  *) fail "one coder: exit 1 (usage)" "exit $status" "$(cat "$TMP/bad.err")" ;;
esac
fails "unknown human coder" "2 3" \
  "coder 'coder:Nobody' has no codings; import them with thema import codings FILE --coder Nobody (human coders in the store: A, B, X, Y, Z, rater1, rater2)" \
  coders=coder:X,coder:Nobody
fails "a plugin with no ok run" "2 3" \
  "coder 'plugin:deductive': plugin deductive has no run with status ok; run it first" \
  coders=coder:X,plugin:deductive
fails "an unknown run" "2 3" "coder 'run:999': there is no run 999" coders=coder:X,run:999
fails "a run that is not ok" "2 3" \
  "coder 'run:1': run 1 (agreement) has status replaced; only a run with status ok can be a coder" \
  coders=coder:X,run:1
fails "a run that coded nothing" "2 3" "has no codings; nothing to compare" \
  coders=coder:X,plugin:agreement
fails "a coder that is not run:, plugin: or coder:" "2 3" \
  "coder 'X' must be run:ID, plugin:NAME or coder:NAME" coders=coder:X,X
fails "the same coder twice" "2 3" \
  "coders 'coder:X' and 'coder:X' are the same coder (human coder X)" coders=coder:X,coder:X
fails "nominal with two codes on one unit names the units" "2 3" \
  "mode=nominal needs at most one code per coder and unit, but coder:X gave hand segment 3 two codes (t/a, t/b); coder:Y gave hand segment 6 two codes (t/a, t/b)" \
  coders=coder:X,coder:Y mode=nominal
fails "an unknown source" "2 3" "parameter sources: no source named 'nope'" \
  coders=coder:X,coder:Y sources=nope
fails "a coder without codings in the selected sources" "2 3" \
  "coder 'coder:Y' has no codings in the sources extra" coders=coder:X,coder:Y sources=extra
fails "an unknown mode" "1" "parameter mode must be one of binary, nominal, not 'ordinal'" \
  coders=coder:X,coder:Y mode=ordinal
fails "an unknown unit" "1" "parameter unit must be one of segment, not 'sentence'" \
  coders=coder:X,coder:Y unit=sentence
fails "a level outside (0, 1)" "2 3" "parameter level must lie between 0 and 1" \
  coders=coder:X,coder:Y level=1.5
fails "no coders" "1" "missing required parameter 'coders'"

e2e_finish
