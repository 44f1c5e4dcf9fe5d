/*
 * test_cli.c — the command line as a user meets it (DESIGN §5): the thema
 * binary is run in a scratch directory and its exit code, stdout and stderr
 * are checked. Covers help and version, usage errors (exit 1), input errors
 * (exit 2) that leave the store unchanged, query, kwic, stats and export.
 */
#include <sqlite3.h>

#include "cli_helpers.h"

/* ---- helpers local to this file ---- */

typedef struct Fx {
  char *dir;
  char *out; /* stdout of the last run */
  char *err; /* stderr of the last run */
} Fx;

static Fx setup(void) {
  Fx f;
  th_cli_open(&f.dir, &f.out, &f.err);
  return f;
}

static void done(Fx *f) { th_cli_close(&f->dir, &f->out, &f->err); }

/* Run "thema ARGS" (printf-style) in the fixture's directory. */
static int run(Fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(Fx *f, const char *fmt, ...) {
  char args[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  return th_run(f->dir, f->out, OUTN, f->err, OUTN, args);
}

static void write_file(Fx *f, const char *name, const char *text) {
  th_write_str(f->dir, name, text);
}

static int exists(Fx *f, const char *name) { return th_exists(f->dir, name); }

/* The single value a one-row, one-column "thema query" prints. */
static long long query_int(Fx *f, const char *sql) {
  RUN_OK(f, "query \"%s\"", sql);
  const char *nl = strchr(f->out, '\n');
  cr_assert_not_null(nl, "no header in '%s'", f->out);
  char *end;
  long long v = strtoll(nl + 1, &end, 10);
  cr_assert(end != nl + 1 && *end == '\n', "not one integer: '%s'", f->out);
  return v;
}

/* A transcript without front matter (so that offsets are plain), with
 * accents, curly quotes and a turn over two lines. */
static const char fg_txt[] =
    "I: Welkom allemaal.\n"
    "\n"
    "R1: Ik werk in Diest en wij leren veel van elkaar.\n"
    "Dat is één zaak.\n"
    "\n"
    "R2: Café \xE2\x80\x98Leren\xE2\x80\x99 is iets anders. LEREN doe je samen.\n";
static const char other_txt[] = "R9: Hier leren we niets.\n";
static const char orgs_csv[] = "organisation,network,type\n"
                               "Diest,Hageland,gemeente\n"
                               "Diest,Limburg,gemeente\n"
                               "Leuven,Hageland,gemeente\n"
                               "Landen,Hageland,gemeente\n";
static const char cases_csv[] = "source,speaker,person,organisation,role\n"
                                "fg,R1,P1,Diest,integratieambtenaar\n"
                                "fg,R2,P2,Leuven,integratieambtenaar\n"
                                "fg,I,INT,,interviewer\n";

/* A store with fg and other imported, organisations and cases. */
static Fx study(void) {
  Fx f = setup();
  write_file(&f, "fg.txt", fg_txt);
  write_file(&f, "other.txt", other_txt);
  write_file(&f, "orgs.csv", orgs_csv);
  write_file(&f, "cases.csv", cases_csv);
  RUN_OK(&f, "init");
  RUN_OK(&f, "import transcript fg.txt other.txt");
  RUN_OK(&f, "import cases orgs.csv cases.csv");
  return f;
}

/* ---- help, version, usage errors ---- */

Test(cli, version_prints_the_version) {
  Fx f = setup();
  RUN_OK(&f, "--version");
  cr_assert_str_eq(f.out, "thema " THEMA_VERSION "\n");
  cr_assert_str_eq(f.err, "");
  done(&f);
}

Test(cli, help_lists_every_command) {
  Fx f = setup();
  RUN_OK(&f, "--help");
  th_contains(f.out, "usage: thema [--db FILE]", "--help");
  static const char *const cmds[] = {"init",  "import transcript", "query", "kwic",
                                     "stats", "export codings"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    char line[64];
    snprintf(line, sizeof line, "\n  %s", cmds[i]);
    th_contains(f.out, line, "--help");
  }
  cr_assert_not(exists(&f, "thema.db"), "--help must not create a store");
  done(&f);
}

Test(cli, every_command_has_help) {
  Fx f = setup();
  static const char *const cmds[] = {"init", "import", "query", "kwic", "stats", "export"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    RUN_OK(&f, "%s --help", cmds[i]);
    char usage[128];
    snprintf(usage, sizeof usage, "usage: thema [--db FILE] %s", cmds[i]);
    cr_assert(strncmp(f.out, usage, strlen(usage)) == 0, "%s --help starts with '%s':\n%s",
              cmds[i], usage, f.out);
    cr_assert_gt(strlen(f.out), strlen(usage) + 20, "%s --help says more than usage",
                 cmds[i]);
    cr_assert_str_eq(f.err, "");
  }
  cr_assert_not(exists(&f, "thema.db"), "COMMAND --help must not create a store");
  done(&f);
}

Test(cli, help_after_other_arguments_still_helps) {
  Fx f = setup();
  RUN_OK(&f, "import transcript nothing.txt --help");
  th_contains(f.out, "usage: thema [--db FILE] import", "import ... --help");
  cr_assert_not(exists(&f, "thema.db"));
  done(&f);
}

Test(cli, no_command_is_a_usage_error) {
  Fx f = setup();
  cr_assert_eq(run(&f, "%s", ""), 1);
  th_contains(f.err, "usage: thema", "stderr");
  cr_assert_str_eq(f.out, "", "usage errors go to stderr");
  done(&f);
}

Test(cli, an_unknown_command_is_a_usage_error) {
  Fx f = setup();
  cr_assert_eq(run(&f, "frobnicate"), 1);
  th_contains(f.err, "thema: unknown command 'frobnicate'", "stderr");
  th_contains(f.err, "thema --help", "stderr");
  cr_assert_str_eq(f.out, "");
  done(&f);
}

Test(cli, an_unknown_global_option_is_a_usage_error) {
  Fx f = setup();
  cr_assert_eq(run(&f, "--frobnicate stats"), 1);
  th_contains(f.err, "unknown option '--frobnicate'", "stderr");
  done(&f);
}

Test(cli, an_unknown_command_option_is_a_usage_error) {
  Fx f = study();
  cr_assert_eq(run(&f, "import transcript --frobnicate fg.txt"), 1);
  th_contains(f.err, "unknown option '--frobnicate'", "import stderr");
  cr_assert_eq(run(&f, "kwic leren --frobnicate"), 1);
  th_contains(f.err, "unknown option '--frobnicate'", "kwic stderr");
  cr_assert_eq(run(&f, "export codings --frobnicate"), 1);
  th_contains(f.err, "unknown option '--frobnicate'", "export stderr");
  cr_assert_eq(run(&f, "stats extra"), 1);
  cr_assert_eq(run(&f, "init extra"), 1);
  done(&f);
}

Test(cli, an_option_without_its_value_is_a_usage_error) {
  Fx f = study();
  cr_assert_eq(run(&f, "kwic leren --width"), 1);
  th_contains(f.err, "--width", "stderr");
  cr_assert_eq(run(&f, "kwic leren --width abc"), 1);
  cr_assert_eq(run(&f, "kwic leren --width -3"), 1);
  cr_assert_eq(run(&f, "--db"), 1);
  done(&f);
}

Test(cli, import_without_files_is_a_usage_error) {
  Fx f = setup();
  cr_assert_eq(run(&f, "import transcript"), 1);
  th_contains(f.err, "usage: thema import", "stderr");
  cr_assert_eq(run(&f, "import"), 1);
  cr_assert_not(exists(&f, "thema.db"), "a usage error must not create a store");
  done(&f);
}

Test(cli, import_of_an_unknown_kind_is_a_usage_error) {
  Fx f = setup();
  write_file(&f, "x.txt", "R1: hallo\n");
  cr_assert_eq(run(&f, "import interview x.txt"), 1);
  th_contains(f.err, "unknown kind 'interview'", "stderr");
  th_contains(f.err, "transcript, document, monitor", "stderr");
  cr_assert_not(exists(&f, "thema.db"));
  done(&f);
}

Test(cli, query_kwic_and_export_without_arguments_are_usage_errors) {
  Fx f = study();
  cr_assert_eq(run(&f, "query"), 1);
  cr_assert_eq(run(&f, "kwic"), 1);
  cr_assert_eq(run(&f, "export"), 1);
  cr_assert_eq(run(&f, "export qdpx-nonsense"), 1);
  cr_assert_eq(run(&f, "export codings --format json"), 1);
  th_contains(f.err, "json", "stderr");
  cr_assert_eq(run(&f, "query --format xml \"SELECT 1\""), 1);
  done(&f);
}

/* ---- input errors leave the store unchanged ---- */

Test(cli, a_bad_file_is_an_input_error_naming_file_and_line) {
  Fx f = study();
  long long segments = query_int(&f, "SELECT count(*) FROM segment");
  long long sources = query_int(&f, "SELECT count(*) FROM source");
  write_file(&f, "good.txt", "R1: goed\n\nR2: ook goed\n");
  write_file(&f, "worse.txt", "R1: op tijd\n[99:99:99] R2: te laat\n");
  cr_assert_eq(run(&f, "import transcript good.txt worse.txt"), 2, "%s", f.err);
  th_contains(f.err, "thema: worse.txt:2:2: ", "stderr");
  th_contains(f.err, "cannot read timestamp", "stderr");
  cr_assert_str_eq(f.out, "", "nothing is reported as imported");
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM segment"), segments);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM source"), sources);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM source WHERE name = 'good'"), 0,
               "the good first file of the batch is not stored either");
  done(&f);
}

Test(cli, a_batch_of_monitor_tables_with_a_bad_second_stores_nothing) {
  Fx f = setup();
  RUN_OK(&f, "init");
  write_file(&f, "a.csv", "gebied;X\nLeuven;1\n");
  write_file(&f, "a.csv.meta", "columns: indicator\nperiod: 2017\n");
  write_file(&f, "b.csv", "gebied;X\nLeuven;2.77\n");
  write_file(&f, "b.csv.meta", "columns: indicator\nperiod: 2017\n");
  cr_assert_eq(run(&f, "import monitor a.csv b.csv"), 2);
  th_contains(f.err, "thema: b.csv:2:2: cannot read number '2.77' in column 'X'", "stderr");
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM source"), 0);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM observation"), 0);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM indicator"), 0);
  /* the good one alone imports */
  RUN_OK(&f, "import monitor a.csv");
  th_contains(f.out, "imported monitor a: 1 rows, 1 observations", "stdout");
  done(&f);
}

Test(cli, a_bad_cases_file_leaves_earlier_cases_in_place) {
  Fx f = study();
  long long persons = query_int(&f, "SELECT count(*) FROM person");
  write_file(&f, "more.csv", "source,speaker,person\nfg,R1,NEW\nnope,R1,X\n");
  cr_assert_eq(run(&f, "import cases more.csv"), 2);
  th_contains(f.err, "thema: more.csv:3:1: unknown source 'nope'", "stderr");
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM person"), persons);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM person WHERE name = 'NEW'"), 0);
  done(&f);
}

Test(cli, a_missing_file_is_an_input_error) {
  Fx f = study();
  cr_assert_eq(run(&f, "import document nowhere.md"), 2);
  th_contains(f.err, "thema: nowhere.md: no such file or directory", "stderr");
  done(&f);
}

Test(cli, a_command_on_a_store_that_does_not_exist_asks_for_init) {
  Fx f = setup();
  static const char *const cmds[] = {"query \"SELECT 1\"", "kwic leren", "stats",
                                     "export codings --format csv"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    cr_assert_eq(run(&f, "%s", cmds[i]), 2, "%s: %s", cmds[i], f.err);
    th_contains(f.err, "thema: thema.db: no such store", cmds[i]);
    th_contains(f.err, "init", cmds[i]);
    cr_assert_not(exists(&f, "thema.db"), "%s must not create the store", cmds[i]);
  }
  cr_assert_eq(run(&f, "--db other.db stats"), 2);
  th_contains(f.err, "other.db: no such store", "--db");
  th_contains(f.err, "thema --db other.db init", "--db");
  done(&f);
}

Test(cli, init_creates_the_store_and_is_idempotent) {
  Fx f = setup();
  RUN_OK(&f, "--db my.db init");
  th_contains(f.out, "initialised my.db", "stdout");
  cr_assert(exists(&f, "my.db"));
  RUN_OK(&f, "--db my.db init");
  RUN_OK(&f, "--db my.db query \"SELECT count(*) AS n FROM source\"");
  cr_assert_str_eq(f.out, "n\n0\n");
  done(&f);
}

/* ---- import reports ---- */

Test(cli, import_reports_each_file_and_unchanged_on_reimport) {
  Fx f = setup();
  write_file(&f, "fg.txt", fg_txt);
  RUN_OK(&f, "init");
  RUN_OK(&f, "import transcript fg.txt");
  cr_assert_str_eq(f.out, "imported transcript fg: 3 turns, 3 speakers\n");
  cr_assert_str_eq(f.err, "", "no progress on stderr when it is not a terminal");
  RUN_OK(&f, "import transcript fg.txt");
  cr_assert_str_eq(f.out, "unchanged transcript fg\n");
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM segment"), 3);
  done(&f);
}

Test(cli, a_directory_imports_its_files_in_name_order) {
  Fx f = setup();
  RUN_OK(&f, "init");
  char sub[1024];
  snprintf(sub, sizeof sub, "%s/t", f.dir);
  cr_assert_eq(mkdir(sub, 0700), 0);
  write_file(&f, "t/b.txt", "R1: b\n");
  write_file(&f, "t/a.txt", "R1: a\n");
  write_file(&f, "t/notes.csv", "not a transcript\n");
  RUN_OK(&f, "import transcript t");
  cr_assert_str_eq(f.out, "imported transcript a: 1 turns, 1 speaker\n"
                          "imported transcript b: 1 turns, 1 speaker\n");
  done(&f);
}

Test(cli, a_directory_without_files_of_the_kind_is_an_input_error) {
  Fx f = setup();
  RUN_OK(&f, "init");
  char sub[1024];
  snprintf(sub, sizeof sub, "%s/empty", f.dir);
  cr_assert_eq(mkdir(sub, 0700), 0);
  cr_assert_eq(run(&f, "import transcript empty"), 2, "%s", f.err);
  cr_assert_str_eq(f.err, "thema: empty: no transcript files in this directory\n");
  write_file(&f, "empty/notes.csv", "a,b\n");
  cr_assert_eq(run(&f, "import transcript empty"), 2, "%s", f.err);
  th_contains(f.err, "no transcript files", "stderr");
  done(&f);
}

Test(cli, a_folder_named_like_a_file_is_not_imported_from_a_directory) {
  Fx f = setup();
  RUN_OK(&f, "init");
  char sub[1024];
  snprintf(sub, sizeof sub, "%s/t", f.dir);
  cr_assert_eq(mkdir(sub, 0700), 0);
  snprintf(sub, sizeof sub, "%s/t/old.txt", f.dir);
  cr_assert_eq(mkdir(sub, 0700), 0);
  write_file(&f, "t/a.txt", "R1: a\n");
  RUN_OK(&f, "import transcript t");
  cr_assert_str_eq(f.out, "imported transcript a: 1 turns, 1 speaker\n");
  done(&f);
}

/* ---- query and kwic: what they print ---- */

/* A command on study() and exactly what it prints. */
typedef struct Io {
  const char *args, *out;
} Io;

/* Commands run one after the other on one study(). */
typedef struct Session {
  const char *what;
  Io io[4]; /* up to the first with args NULL */
} Session;

static const Session sessions[] = {
    /* query */
    {"query prints CSV with a header",
     {{"query \"SELECT name, kind, length(name) AS n, NULL AS empty"
       " FROM source ORDER BY name\"",
       "name,kind,n,empty\n"
       "fg,transcript,2,\n"
       "other,transcript,5,\n"}}},
    {"query quotes CSV fields that need it",
     {{"query \"SELECT text FROM segment WHERE ordinal = 2 AND source_id ="
       " (SELECT id FROM source WHERE name = 'fg')\"",
       "text\n\"Ik werk in Diest en wij leren veel van elkaar.\nDat is één zaak.\"\n"},
      {"query \"SELECT 'a,b' AS x, 'say \\\"hi\\\"' AS y\"",
       "x,y\n\"a,b\",\"say \"\"hi\"\"\"\n"}}},
    {"query --format tsv separates with tabs",
     {{"query --format tsv \"SELECT name, kind FROM source ORDER BY name\"",
       "name\tkind\nfg\ttranscript\nother\ttranscript\n"},
      {"query \"SELECT 'a,b' AS x, 2 AS y\" --format=tsv", "x\ty\na,b\t2\n"},
      /* TSV has no quoting: a newline or tab inside a value becomes a space */
      {"query --format tsv \"SELECT g.text, 'a' || char(9) || 'b' AS t FROM segment g"
       " JOIN source s ON s.id = g.source_id WHERE s.name = 'fg' AND g.ordinal = 2\"",
       "text\tt\nIk werk in Diest en wij leren veel van elkaar. Dat is één "
       "zaak.\ta b\n"}}},
    /* kwic */
    {"kwic finds a pattern with context",
     {{"kwic leren --width 5 --case", "[fg:2 R1]  wij  |leren|  veel\n"
                                      "[other:1 R9] Hier  |leren|  we n\n"}}},
    {"kwic pads short left context to the width",
     {{"kwic Welkom --width 4", "[fg:1 I]      |Welkom|  all\n"}}},
    {"kwic shows newlines in context as spaces",
     {{"kwic zaak --width 14", "[fg:2 R1] r. Dat is één  |zaak| .\n"}}},
    {"kwic is case-insensitive by default",
     {{"kwic leren --width 3", "[fg:2 R1] ij  |leren|  ve\n"
                               "[fg:3 R2] é \xE2\x80\x98 |Leren| \xE2\x80\x99 i\n"
                               "[fg:3 R2] s.  |LEREN|  do\n"
                               "[other:1 R9] er  |leren|  we\n"},
      {"kwic LEREN --case --width 0", "[fg:3 R2]  |LEREN| \n"},
      /* Unicode case folding */
      {"kwic \"\\bcAFÉ\\b\" --width 0", "[fg:3 R2]  |Café| \n"}}},
    {"kwic --source restricts to one source",
     {{"kwic leren --source other --width 2", "[other:1 R9] r  |leren|  w\n"},
      {"kwic leren --source nosuch", ""}}},
    {"kwic without matches prints nothing",
     {{"kwic xyzzy", ""},
      {"kwic xyzzy --format tsv",
       "source\tsegment\tspeaker\tstart\tend\tleft\tmatch\tright\n"}}},
};

ParameterizedTestParameters(cli, query_and_kwic_print_exactly_this) {
  TH_ROW_PARAMS(sessions);
}

ParameterizedTest(size_t *row, cli, query_and_kwic_print_exactly_this) {
  const Session *t = &sessions[*row];
  Fx f = study();
  for (const Io *io = t->io; io->args; io++) {
    RUN_OK(&f, "%s", io->args);
    cr_assert_str_eq(f.out, io->out, "%s: thema %s", t->what, io->args);
  }
  done(&f);
}

/* ---- query ---- */

Test(cli, query_refuses_statements_that_write) {
  Fx f = study();
  static const char *const writes[] = {
      "DELETE FROM segment", "INSERT INTO network(name) VALUES ('X')",
      "DROP TABLE segment",  "UPDATE source SET name = 'x'",
      "CREATE TABLE t(x)",   "PRAGMA user_version = 7",
  };
  long long segments = query_int(&f, "SELECT count(*) FROM segment");
  for (size_t i = 0; i < sizeof writes / sizeof *writes; i++) {
    cr_assert_eq(run(&f, "query \"%s\"", writes[i]), 2, "%s: exit", writes[i]);
    th_contains(f.err, "thema: query: ", writes[i]);
    cr_assert_str_eq(f.out, "", "%s printed something", writes[i]);
  }
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM segment"), segments);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM network WHERE name = 'X'"), 0);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM source WHERE name = 'x'"), 0);
  cr_assert_eq(query_int(&f, "PRAGMA user_version"), THEMA_SCHEMA_VERSION);
  done(&f);
}

Test(cli, query_explains_why_delete_is_refused) {
  Fx f = study();
  cr_assert_eq(run(&f, "query \"DELETE FROM segment\""), 2);
  th_contains(f.err, "read-only", "stderr");
  done(&f);
}

Test(cli, query_refuses_two_statements) {
  Fx f = study();
  long long segments = query_int(&f, "SELECT count(*) FROM segment");
  cr_assert_eq(run(&f, "query \"SELECT 1; DELETE FROM segment\""), 2);
  th_contains(f.err, "exactly one SQL statement", "stderr");
  cr_assert_eq(run(&f, "query \"SELECT 1; SELECT 2\""), 2);
  cr_assert_eq(query_int(&f, "SELECT count(*) FROM segment"), segments);
  /* a trailing semicolon is one statement */
  RUN_OK(&f, "query \"SELECT 1 AS one;\"");
  cr_assert_str_eq(f.out, "one\n1\n");
  done(&f);
}

Test(cli, query_reports_sql_errors_as_input_errors) {
  Fx f = study();
  cr_assert_eq(run(&f, "query \"SELECT nope FROM source\""), 2);
  th_contains(f.err, "thema: query: no such column: nope", "stderr");
  cr_assert_eq(run(&f, "query \"  \""), 2);
  done(&f);
}

/* ---- kwic ---- */

Test(cli, kwic_tsv_gives_code_point_offsets_into_the_source) {
  Fx f = study();
  RUN_OK(&f, "kwic leren --source fg --format tsv --width 3");
  char out[4096];
  snprintf(out, sizeof out, "%s", f.out);
  long long s2 = query_int(&f, "SELECT g.start FROM segment g JOIN source s ON s.id ="
                               " g.source_id WHERE s.name = 'fg' AND g.ordinal = 2");
  long long s3 = query_int(&f, "SELECT g.start FROM segment g JOIN source s ON s.id ="
                               " g.source_id WHERE s.name = 'fg' AND g.ordinal = 3");
  /* "Ik werk in Diest en wij " is 24 code points; "Café ‘" 6; the second
   * LEREN follows "Café ‘Leren’ is iets anders. " (29). */
  char want[2048];
  snprintf(want, sizeof want,
           "source\tsegment\tspeaker\tstart\tend\tleft\tmatch\tright\n"
           "fg\t2\tR1\t%lld\t%lld\tij \tleren\t ve\n"
           "fg\t3\tR2\t%lld\t%lld\té \xE2\x80\x98\tLeren\t\xE2\x80\x99 i\n"
           "fg\t3\tR2\t%lld\t%lld\ts. \tLEREN\t do\n",
           s2 + 24, s2 + 29, s3 + 6, s3 + 11, s3 + 29, s3 + 34);
  cr_assert_str_eq(out, want);
  /* and each start/end pair slices the match out of the stored source text */
  const char *line = strchr(out, '\n') + 1;
  int checked = 0;
  while (*line) {
    long long start, end;
    char match[64];
    cr_assert_eq(
        sscanf(line, "fg\t%*d\t%*s\t%lld\t%lld\t%*[^\t]\t%63[^\t]", &start, &end, match), 3,
        "line '%s'", line);
    RUN_OK(&f,
           "query \"SELECT substr(text, %lld, %lld) AS m FROM source WHERE name = 'fg'\"",
           start + 1, end - start);
    char expect[128];
    snprintf(expect, sizeof expect, "m\n%s\n", match);
    cr_assert_str_eq(f.out, expect);
    checked++;
    line = strchr(line, '\n') + 1;
  }
  cr_assert_eq(checked, 3);
  done(&f);
}

Test(cli, kwic_with_an_invalid_pattern_reports_pcre2s_message) {
  Fx f = study();
  cr_assert_eq(run(&f, "kwic \"(leren\""), 2);
  th_contains(f.err, "thema: kwic: invalid pattern '(leren': missing closing parenthesis",
              "stderr");
  th_contains(f.err, "at offset 6", "stderr");
  cr_assert_str_eq(f.out, "");
  cr_assert_eq(run(&f, "kwic \"le[ren\""), 2);
  th_contains(f.err, "missing terminating ] for character class", "stderr");
  th_contains(f.err, "at offset 6", "stderr");
  done(&f);
}

Test(cli, kwic_with_an_empty_match_does_not_loop) {
  Fx f = study();
  RUN_OK(&f, "kwic \"x*\" --source other --width 0");
  /* "Hier leren we niets." has 20 code points, so 21 empty matches. */
  int lines = 0;
  for (const char *p = f.out; (p = strchr(p, '\n')) != NULL; p++) lines++;
  cr_assert_eq(lines, 21, "%s", f.out);
  done(&f);
}

/* ---- stats ---- */

Test(cli, stats_lists_networks_with_present_and_absent_organisations_by_membership) {
  Fx f = setup();
  write_file(&f, "fg.txt",
             "---\ntitle: Focusgroep\nkind: focusgroup\nnetwork: Hageland\n---\n\n"
             "R1: Ik werk in Diest.\n\nR2: En ik in Leuven.\n\nI: Dank u.\n");
  write_file(&f, "orgs.csv", orgs_csv);
  write_file(&f, "cases.csv", cases_csv);
  RUN_OK(&f, "init");
  RUN_OK(&f, "import transcript fg.txt");
  RUN_OK(&f, "import cases orgs.csv cases.csv");
  RUN_OK(&f, "stats");
  th_contains(f.out, "store thema.db\n", "stats");
  th_contains(f.out, "  sources        1 (1 transcripts, 0 documents, 0 monitor tables)\n",
              "stats");
  th_contains(f.out, "  segments       3\n", "stats");
  th_contains(f.out, "  persons        3\n", "stats");
  th_contains(f.out, "  organisations  3\n", "stats");
  th_contains(f.out, "  networks       2\n", "stats");
  th_contains(f.out,
              "\nnetwork Hageland\n"
              "  members           3 organisations, 2 persons\n"
              "  sources           1: fg (2)\n"
              "  turns             2\n"
              "  words             8\n"
              "  speakers          2 of 2 persons\n"
              "  present           2 of 3: Diest (fg), Leuven (fg)\n"
              "  silent            0\n"
              "  absent            1: Landen\n",
              "stats");
  /* Diest is in both networks: its member speaks, so Limburg is not absent */
  th_contains(f.out,
              "\nnetwork Limburg\n"
              "  members           1 organisation, 1 person\n"
              "  sources           1: fg (1)\n"
              "  turns             1\n"
              "  words             4\n"
              "  speakers          1 of 1 persons\n"
              "  present           1 of 1: Diest (fg)\n"
              "  silent            0\n"
              "  absent            0\n",
              "stats");
  /* the interviewer has no organisation: counted, not dropped */
  th_contains(f.out,
              "\nnetwork (none)\n"
              "  turns             1\n"
              "  words             2\n"
              "  persons           1: INT (1)\n",
              "stats");
  done(&f);
}

Test(cli, stats_on_an_empty_store_prints_zeros) {
  Fx f = setup();
  RUN_OK(&f, "init");
  RUN_OK(&f, "stats");
  th_contains(f.out, "  sources        0\n", "stats");
  th_contains(f.out, "  codings        0\n", "stats");
  th_contains(f.out, "  runs           0\n", "stats");
  cr_assert_null(strstr(f.out, "network "), "no network blocks:\n%s", f.out);
  done(&f);
}

/* ---- export ---- */

/* With --context segment: the whole segment beside the span. */
static const char export_header[] =
    "source,segment,speaker,organisation,network,code,start,end,"
    "span_text,segment_text,coder,run,memo\n";

Test(cli, export_codings_without_codings_prints_only_the_header) {
  Fx f = study();
  RUN_OK(&f, "export codings --format csv --context segment");
  cr_assert_str_eq(f.out, export_header);
  RUN_OK(&f, "export codings");
  cr_assert_str_eq(f.out,
                   "source,segment,speaker,organisation,network,code,start,end,span_text,"
                   "context,coder,run,memo\n",
                   "csv is the default format, a short context the default context");
  done(&f);
}

/* Run sql on the fixture's store directly, as a researcher might with sqlite3. */
static void sql_exec(Fx *f, const char *sql) {
  char path[1024];
  snprintf(path, sizeof path, "%s/thema.db", f->dir);
  sqlite3 *db = NULL;
  cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "");
  sqlite3_free(msg);
  sqlite3_close(db);
}

Test(cli, export_codings_prints_one_row_per_coding) {
  Fx f = study();
  long long s2 = query_int(&f, "SELECT g.start FROM segment g JOIN source s ON s.id ="
                               " g.source_id WHERE s.name = 'fg' AND g.ordinal = 2");
  long long s3 = query_int(&f, "SELECT g.start FROM segment g JOIN source s ON s.id ="
                               " g.source_id WHERE s.name = 'fg' AND g.ordinal = 3");
  char sql[4096];
  snprintf(sql, sizeof sql,
           "INSERT INTO run(id, plugin, started_at, status) VALUES"
           " (1, 'deductive', '2024-01-01T00:00:00Z', 'ok'),"
           " (2, 'deductive', '2024-01-02T00:00:00Z', 'failed');"
           "INSERT INTO code(id, parent_id, name, path, origin) VALUES"
           " (1, NULL, 'theme', 'theme', 'manual'),"
           " (2, 1, 'leren', 'theme/leren', 'deductive');"
           "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder) VALUES"
           " (2, (SELECT g.id FROM segment g JOIN source s ON s.id = g.source_id"
           "      WHERE s.name = 'fg' AND g.ordinal = 2), %lld, %lld, 1, NULL),"
           " (2, (SELECT g.id FROM segment g JOIN source s ON s.id = g.source_id"
           "      WHERE s.name = 'fg' AND g.ordinal = 3), %lld, %lld, NULL, 'anna'),"
           " (1, (SELECT g.id FROM segment g JOIN source s ON s.id = g.source_id"
           "      WHERE s.name = 'fg' AND g.ordinal = 2), %lld, %lld, 2, NULL);",
           s2 + 24, s2 + 29, s3 + 5, s3 + 12, s2, s2 + 2);
  sql_exec(&f, sql);
  RUN_OK(&f, "export codings --format csv --context segment");
  char want[4096];
  snprintf(
      want, sizeof want,
      "%s"
      "fg,2,R1,Diest,Hageland;Limburg,theme/leren,%lld,%lld,leren,"
      "\"Ik werk in Diest en wij leren veel van elkaar.\nDat is één zaak.\",plugin:deductive,1,\n"
      "fg,3,R2,Leuven,Hageland,theme/leren,%lld,%lld,"
      "\xE2\x80\x98Leren\xE2\x80\x99,"
      "Café \xE2\x80\x98Leren\xE2\x80\x99 is iets anders. LEREN doe je samen.,anna,,\n",
      export_header, s2 + 24, s2 + 29, s3 + 5, s3 + 12);
  cr_assert_str_eq(f.out, want, "the failed run's coding is left out");
  /* --output writes the same bytes to a file */
  RUN_OK(&f, "export codings --format csv --context segment --output codings.csv");
  cr_assert_str_eq(f.out, "");
  char path[1024];
  snprintf(path, sizeof path, "%s/codings.csv", f.dir);
  FILE *fp = fopen(path, "rb");
  cr_assert_not_null(fp);
  char *file = calloc(1, OUTN);
  size_t n = fread(file, 1, OUTN - 1, fp);
  fclose(fp);
  file[n] = '\0';
  cr_assert_str_eq(file, want);
  free(file);
  done(&f);
}

Test(cli, export_codings_of_a_speaker_without_a_person_leaves_case_columns_empty) {
  Fx f = study();
  sql_exec(&f,
           "INSERT INTO code(id, name, path, origin) VALUES (1, 'x', 'x', 'manual');"
           "INSERT INTO coding(code_id, segment_id, start, end, coder) SELECT 1, g.id,"
           " g.start, g.start + 4, 'bo' FROM segment g JOIN source s ON s.id = g.source_id"
           " WHERE s.name = 'other';");
  long long s = query_int(&f, "SELECT g.start FROM segment g JOIN source s ON s.id ="
                              " g.source_id WHERE s.name = 'other'");
  RUN_OK(&f, "export codings --context segment");
  char want[1024];
  snprintf(want, sizeof want, "%sother,1,R9,,,x,%lld,%lld,Hier,Hier leren we niets.,bo,,\n",
           export_header, s, s + 4);
  cr_assert_str_eq(f.out, want);
  done(&f);
}

Test(cli, export_to_a_file_with_a_wrong_store_leaves_the_file_alone) {
  Fx f = setup();
  write_file(&f, "keep.csv", "precious\n");
  cr_assert_eq(run(&f, "--db nope.db export codings --output keep.csv"), 2);
  th_contains(f.err, "nope.db: no such store", "stderr");
  char path[1024];
  snprintf(path, sizeof path, "%s/keep.csv", f.dir);
  FILE *fp = fopen(path, "rb");
  cr_assert_not_null(fp);
  char buf[64] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  buf[n] = '\0';
  cr_assert_str_eq(buf, "precious\n", "the existing file must not be truncated");
  done(&f);
}

Test(cli, kwic_labels_a_document_paragraph_without_a_speaker) {
  Fx f = study();
  write_file(&f, "doc.md", "# Kop\n\nEen paragraaf over leren.\n");
  RUN_OK(&f, "import document doc.md");
  RUN_OK(&f, "kwic leren --source doc --width 5");
  cr_assert_str_eq(f.out, "[doc:1] over  |leren| .\n");
  RUN_OK(&f, "kwic leren --source doc --width 5 --format tsv");
  cr_assert_str_eq(f.out, "source\tsegment\tspeaker\tstart\tend\tleft\tmatch\tright\n"
                          "doc\t1\t\t26\t31\tover \tleren\t.\n");
  done(&f);
}
