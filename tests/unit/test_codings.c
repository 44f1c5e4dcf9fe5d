/*
 * test_codings.c — human codings (thema_import_codings): spans within the
 * segments of imported sources, a coder's file replacing that coder's
 * earlier codings, and every error a coding file can hold, each naming the
 * file, line and column and leaving the store as it was.
 */
#include "import_helpers.h"

static char *dir;
static ThemaStore *st;
static char last_path[600]; /* the file the last import read */

/* Segment 1 of fg1 is "Welkom." at code points 3-10, segment 2 "Dag, ik ben
 * van Diest." at 18-40. */
static const char fg1[] = "I: Welkom.\n\nR1.1: Dag, ik ben van Diest.\n";

static void setup(void) {
  th_scratch_open(&dir, &st);
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(th_import_data(st, thema_import_transcript, dir, "fg1.txt", fg1,
                              sizeof fg1 - 1, NULL, &res, &err, last_path,
                              sizeof last_path),
               THEMA_OK, "%s", err.msg);
}

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(codings, .init = setup, .fini = teardown);

static int import_csv(const char *name, const char *csv, const char *coder,
                      ThemaImportResult *res, ThemaError *err) {
  ThemaImportOptions opt = {.coder = coder};
  return th_import_data(st, thema_import_codings, dir, name, csv, strlen(csv), &opt, res,
                        err, last_path, sizeof last_path);
}

static void import_ok(const char *name, const char *csv, const char *coder,
                      ThemaImportResult *res) {
  ThemaError err = {0};
  cr_assert_eq(import_csv(name, csv, coder, res, &err), THEMA_OK, "%s", err.msg);
}

/* The codings as "coder|code|segment|start|end|memo|span" lines, in id order. */
static char *codings(void) {
  return th_rows(st,
                 "SELECT c.coder, k.path, g.ordinal, c.start, c.end, ifnull(c.memo, '-'),"
                 " substr(s.text, c.start + 1, c.end - c.start)"
                 " FROM coding c JOIN code k ON k.id = c.code_id"
                 " JOIN segment g ON g.id = c.segment_id"
                 " JOIN source s ON s.id = g.source_id ORDER BY c.id");
}

Test(codings, spans_default_to_the_whole_segment_and_uncoded_rows_are_skipped) {
  ThemaImportResult res;
  import_ok("anna.csv",
            "source,segment,code,start,end,coder,memo\n"
            "fg1,1,welkom/groet,,,anna,\n"
            "fg1,2,plaats/gemeente,34,39,anna,\"Diest, de stad\"\n"
            "fg1,2,,,,anna,\n",
            NULL, &res);
  cr_expect_eq(res.rows, 3);
  cr_expect_eq(res.segments, 2, "two codings, the uncoded row stores none");
  TH_EXPECT_STR(codings(), "anna|welkom/groet|1|3|10|-|Welkom.\n"
                           "anna|plaats/gemeente|2|34|39|Diest, de stad|Diest\n");
  TH_EXPECT_STR(
      th_text(st, "SELECT group_concat(origin) FROM code WHERE path LIKE 'plaats%'"),
      "manual,manual");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM coding WHERE run_id IS NOT NULL"), 0);
}

Test(codings, the_coder_option_names_a_file_without_coder_column) {
  ThemaImportResult res;
  import_ok("bert.csv", "source,segment,code\nfg1,2,plaats\n", "bert", &res);
  TH_EXPECT_STR(codings(), "bert|plaats|2|18|40|-|Dag, ik ben van Diest.\n");
}

Test(codings, a_coders_new_file_replaces_only_that_coders_codings) {
  ThemaImportResult res;
  import_ok("anna.csv", "source,segment,code,coder\nfg1,1,a,anna\nfg1,2,b,bert\n", NULL,
            &res);
  import_ok("anna2.csv", "source,segment,code,coder\nfg1,2,c,anna\n", NULL, &res);
  TH_EXPECT_STR(codings(), "bert|b|2|18|40|-|Dag, ik ben van Diest.\n"
                           "anna|c|2|18|40|-|Dag, ik ben van Diest.\n");
}

/* A coding file the import must refuse; the store keeps anna's coding. */
typedef struct BadCodings {
  const char *what;
  const char *csv;
  const char *coder;  /* --coder */
  const char *where;  /* after the path: ":2:3: " */
  const char *needle; /* a phrase of the message */
} BadCodings;

static const BadCodings bad[] = {
    {"a missing column", "source,code\nfg1,a\n", "x",
     ":1: ", "codings need the columns source, segment and code"},
    {"start without end", "source,segment,code,start,coder\nfg1,1,a,3,x\n", NULL,
     ":1: ", "give both start and end, or neither"},
    {"end without start", "source,segment,code,end\nfg1,1,a,4\n", "x",
     ":1: ", "give both start and end, or neither"},
    {"no coder column and no --coder", "source,segment,code\nfg1,1,a\n", NULL,
     ":1: ", "say who coded: add a 'coder' column or pass --coder NAME"},
    {"an empty coder cell without --coder", "source,segment,code,coder\nfg1,1,a,\n", NULL,
     ":2:4: ", "empty coder; fill it in or pass --coder NAME"},
    {"a segment the source does not have", "source,segment,code\nfg1,9,a\n", "x",
     ":2:2: ", "source 'fg1' has no segment 9; import the source first"},
    {"a source not imported", "source,segment,code\nfg7,1,a\n", "x",
     ":2:2: ", "source 'fg7' has no segment 1"},
    {"a span outside its segment", "source,segment,code,start,end\nfg1,1,a,3,11\n", "x",
     ":2:4: ", "span 3-11 is not within segment 1 (3-10)"},
    {"a span starting before its segment", "source,segment,code,start,end\nfg1,2,a,17,20\n",
     "x", ":2:4: ", "span 17-20 is not within segment 2 (18-40)"},
    {"a span ending before it starts", "source,segment,code,start,end\nfg1,1,a,8,5\n", "x",
     ":2:4: ", "span 8-5 is not within segment 1"},
    {"a segment that is no number", "source,segment,code\nfg1,een,a\n", "x",
     ":2:2: ", "'een' is not a whole number"},
    {"a negative start", "source,segment,code,start,end\nfg1,1,a,-1,4\n", "x",
     ":2:4: ", "'-1' is not a whole number"},
    {"a fractional end", "source,segment,code,start,end\nfg1,1,a,3,4.5\n", "x",
     ":2:5: ", "'4.5' is not a whole number"},
    {"an empty segment", "source,segment,code\nfg1,,a\n", "x",
     ":2:2: ", "'' is not a whole number"},
    {"a bad code path", "source,segment,code\nfg1,1,a//b\n", "x",
     ":2:3: ", "bad code path 'a//b' (empty part)"},
    {"a bad row after good ones", "source,segment,code,coder\nfg1,1,b,anna\nfg1,3,c,anna\n",
     NULL, ":3:2: ", "has no segment 3"},
};

ParameterizedTestParameters(codings, bad_files_are_refused_and_leave_the_store_as_it_was) {
  TH_ROW_PARAMS(bad);
}

ParameterizedTest(size_t *row, codings,
                  bad_files_are_refused_and_leave_the_store_as_it_was) {
  const BadCodings *c = &bad[*row];
  ThemaImportResult res;
  import_ok("anna.csv", "source,segment,code,coder\nfg1,2,eerder,anna\n", NULL, &res);
  char *before = codings();
  long long codes = th_count(st, "code");
  ThemaError err = {0};
  int rc = import_csv("bad.csv", c->csv, c->coder, &res, &err);
  cr_expect_eq(rc, THEMA_EINPUT, "%s: status %d (%s)", c->what, rc, err.msg);
  char want[800];
  snprintf(want, sizeof want, "%s%s", last_path, c->where);
  cr_expect(strncmp(err.msg, want, strlen(want)) == 0, "%s: message '%s' should start '%s'",
            c->what, err.msg, want);
  cr_expect(strstr(err.msg, c->needle) != NULL, "%s: message '%s' lacks '%s'", c->what,
            err.msg, c->needle);
  TH_EXPECT_STR(codings(), before);
  cr_expect_eq(th_count(st, "code"), codes, "%s: codes left after rollback", c->what);
  free(before);
}
