/*
 * test_cases.c — cases (thema_import_cases): a speakers file maps speaker
 * labels of imported transcripts to persons and their organisations, an
 * organisations file puts organisations in networks; extra columns become
 * attributes. Inconsistent files are errors that name both lines, and a
 * failed import leaves the store as it was.
 */
#include <sqlite3.h>

#include "import_helpers.h"

/* ---- helpers local to this file ---- */

typedef struct Fx {
  char *dir;
  ThemaStore *st;
} Fx;

/* No front matter: these tests are about cases, not transcripts. */
static const char fg1[] =
    "I: Welkom.\n\nR1.1: Dag, ik ben van Diest.\n\nR1.2: En ik van Landen.\n\n"
    "R1.1: Nog iets.\n";
static const char fg2[] = "R2.1: Gent hier.\n\nR2.2: Leuven hier.\n";

/* A store holding the transcripts fg1 and fg2. */
static Fx setup(void) {
  Fx f;
  th_scratch_open(&f.dir, &f.st);
  const char *names[2] = {"fg1.txt", "fg2.txt"};
  const char *texts[2] = {fg1, fg2};
  for (int i = 0; i < 2; i++) {
    char *p = th_write(f.dir, names[i], texts[i], strlen(texts[i]));
    ThemaImportResult res;
    ThemaError err = {0};
    cr_assert_eq(th_import(f.st, thema_import_transcript, p, NULL, &res, &err), THEMA_OK,
                 "%s", err.msg);
    free(p);
  }
  return f;
}

static void done(Fx *f) { th_scratch_close(&f->dir, &f->st); }

static int import_cases(Fx *f, const char *name, const char *csv, ThemaImportResult *res,
                        ThemaError *err) {
  char *p = th_write(f->dir, name, csv, strlen(csv));
  int rc = th_import(f->st, thema_import_cases, p, NULL, res, err);
  free(p);
  return rc;
}

static void cases_ok(Fx *f, const char *name, const char *csv, ThemaImportResult *res) {
  ThemaError err = {0};
  cr_assert_eq(import_cases(f, name, csv, res, &err), THEMA_OK, "%s failed: %s", name,
               err.msg);
}

/* Text of a one-value query with one text parameter (caller frees; NULL if none). */
static char *text1(Fx *f, const char *sql, const char *param) {
  sqlite3_stmt *q = NULL;
  sqlite3 *db = thema_store_db(f->st);
  cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s",
               sqlite3_errmsg(db));
  if (param) sqlite3_bind_text(q, 1, param, -1, SQLITE_STATIC);
  char *v = NULL;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
    v = strdup((const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  return v;
}

static void expect_text(Fx *f, const char *sql, const char *param, const char *want) {
  char *got = text1(f, sql, param);
  if (!want) {
    cr_assert_null(got, "%s [%s]: expected no value, got '%s'", sql, param, got);
    return;
  }
  cr_assert_not_null(got, "%s [%s]: no value, expected '%s'", sql, param, want);
  cr_assert_str_eq(got, want, "%s [%s]", sql, param);
  free(got);
}

/* Everything a cases import writes, to compare before and after a failure. */
static void snapshot(Fx *f, long long out[6]) {
  static const char *const sql[6] = {
      "SELECT count(*) FROM person",
      "SELECT count(*) FROM organisation",
      "SELECT count(*) FROM network",
      "SELECT count(*) FROM membership",
      "SELECT count(*) FROM attribute",
      "SELECT count(*) FROM speaker WHERE person_id IS NOT NULL"};
  for (int i = 0; i < 6; i++) out[i] = th_int(f->st, sql[i]);
}

/* Import csv as name expecting an input error that starts with `where`
 * (after the directory) and contains every NULL-terminated needle; the
 * store must be unchanged. Failures name `what`. */
static void expect_error_list(Fx *f, const char *what, const char *name, const char *csv,
                              const char *where, const char *const *needles) {
  long long before[6], after[6];
  snapshot(f, before);
  long long speakers = th_int(f->st, "SELECT count(*) FROM speaker");
  ThemaImportResult res;
  ThemaError err = {0};
  int rc = import_cases(f, name, csv, &res, &err);
  th_expect_input_error(what, rc, &err, f->dir, where, needles);
  for (const char *m = err.msg; *m; m++)
    cr_assert((unsigned char)*m >= 0x20, "control character 0x%02X in message: '%s'",
              (unsigned char)*m, err.msg);
  snapshot(f, after);
  for (int i = 0; i < 6; i++)
    cr_assert_eq(before[i], after[i], "store changed by a failed import (%d: %lld -> %lld)",
                 i, before[i], after[i]);
  cr_assert_eq(th_int(f->st, "SELECT count(*) FROM speaker"), speakers,
               "speaker rows added by a failed import");
}
/* expect_error_list with the needles as arguments, the last one NULL. */
#define expect_error(f, name, csv, where, ...)                                             \
  expect_error_list(f, name, name, csv, where, (const char *const[]){__VA_ARGS__})

static const char speakers_csv[] =
    "source,speaker,person,organisation,role,function,gender\n"
    "fg1,R1.1,FG1-R1,Diest,integratieambtenaar,integratieambtenaar,v\n"
    "fg1,R1.2,FG1-R2,Landen,stagiair,,m\n"
    "fg1,I,INT-I,,interviewer,,\n"
    "fg2,R2.1,FG2-R1,Gent,integratieambtenaar,\"coördinator, integratie\",\n"
    "fg2,R2.2,FG2-R2,Leuven,diensthoofd,waarnemend diensthoofd,v\n";

/* ---- speakers files ---- */

Test(cases, speakers_file_maps_speakers_to_persons_and_organisations) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "cases.csv", speakers_csv, &res);
  cr_assert_eq(res.rows, 5);
  cr_assert_eq(res.source_id, 0, "cases are not a source");
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM person"), 5);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM organisation"), 4);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM source"), 2, "no source row for cases");
  expect_text(&f,
              "SELECT p.name FROM speaker sp JOIN source s ON s.id = sp.source_id"
              " JOIN person p ON p.id = sp.person_id WHERE s.name = 'fg1' AND sp.label = ?",
              "R1.2", "FG1-R2");
  expect_text(&f,
              "SELECT o.name || '/' || p.role FROM person p"
              " JOIN organisation o ON o.id = p.organisation_id WHERE p.name = ?",
              "FG1-R1", "Diest/integratieambtenaar");
  expect_text(&f,
              "SELECT o.name || '/' || p.role FROM person p"
              " JOIN organisation o ON o.id = p.organisation_id WHERE p.name = ?",
              "FG2-R2", "Leuven/diensthoofd");
  /* the interviewer has no organisation */
  expect_text(&f,
              "SELECT coalesce(organisation_id, 'none') || '/' || role FROM person"
              " WHERE name = ?",
              "INT-I", "none/interviewer");
  /* every speaker of the transcripts that is listed is mapped */
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM speaker WHERE person_id IS NULL"), 0);
  done(&f);
}

Test(cases, extra_columns_become_person_attributes) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "cases.csv", speakers_csv, &res);
  const char *sql = "SELECT a.value FROM attribute a JOIN person p ON p.id = a.entity_id"
                    " WHERE a.entity = 'person' AND p.name = 'FG2-R1' AND a.key = ?";
  expect_text(&f, sql, "function", "coördinator, integratie");
  expect_text(&f, sql, "gender", NULL);
  expect_text(&f,
              "SELECT a.value FROM attribute a JOIN person p ON p.id = a.entity_id"
              " WHERE a.entity = 'person' AND p.name = 'FG1-R2' AND a.key = ?",
              "gender", "m");
  /* empty cells give no attribute; the mapped columns are never attributes */
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM attribute WHERE entity = 'person'"), 6);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM attribute WHERE key IN"
                            " ('source','speaker','person','organisation','role')"),
               0);
  done(&f);
}

Test(cases, a_speaker_listed_in_cases_but_absent_from_the_transcript_gets_a_speaker_row) {
  Fx f = setup();
  long long speakers = th_int(f.st, "SELECT count(*) FROM speaker");
  ThemaImportResult res;
  cases_ok(&f, "cases.csv",
           "source,speaker,person,organisation,role\n"
           "fg1,R1.4,FG1-R4,Diest,stagiair\n",
           &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM speaker"), speakers + 1);
  expect_text(&f,
              "SELECT p.name FROM speaker sp JOIN person p ON p.id = sp.person_id"
              " WHERE sp.label = ?",
              "R1.4", "FG1-R4");
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM segment g JOIN speaker sp"
                            " ON sp.id = g.speaker_id WHERE sp.label = 'R1.4'"),
               0);
  done(&f);
}

Test(cases, a_speaker_without_a_person_is_its_own_person) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "cases.csv", "source,speaker,organisation\nfg1,R1.1,Diest\n", &res);
  expect_text(&f,
              "SELECT p.name || '/' || o.name FROM speaker sp"
              " JOIN person p ON p.id = sp.person_id"
              " JOIN organisation o ON o.id = p.organisation_id WHERE sp.label = ?",
              "R1.1", "fg1 R1.1/Diest");
  expect_text(&f, "SELECT coalesce(role, 'none') FROM person WHERE name = ?", "fg1 R1.1",
              "none");
  done(&f);
}

Test(cases, one_person_may_speak_in_two_sources) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "cases.csv",
           "source,speaker,person,organisation,role\n"
           "fg1,R1.2,LEUVEN-A,Leuven,integratieambtenaar\n"
           "fg2,R2.2,LEUVEN-A,Leuven,integratieambtenaar\n",
           &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM person"), 1);
  cr_assert_eq(th_int(f.st, "SELECT count(DISTINCT person_id) FROM speaker"
                            " WHERE person_id IS NOT NULL"),
               1);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM speaker WHERE person_id IS NOT NULL"), 2);
  done(&f);
}

Test(cases, header_names_are_case_insensitive_and_columns_in_any_order) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "cases.csv",
           "Role;Organisation;Speaker;Source;Person\n"
           "stagiair;Diest;R1.1;fg1;X\n",
           &res);
  expect_text(&f,
              "SELECT p.name || '/' || p.role FROM speaker sp"
              " JOIN person p ON p.id = sp.person_id WHERE sp.label = ?",
              "R1.1", "X/stagiair");
  done(&f);
}

/* ---- organisations files ---- */

static const char orgs_csv[] = "organisation,network,type,province\n"
                               "Leuven,Leuven-Hageland,gemeente,Vlaams-Brabant\n"
                               "Diest,Leuven-Hageland,gemeente,Vlaams-Brabant\n"
                               "Genk,Limburg,gemeente,Limburg\n"
                               "Genk,Centrumsteden,gemeente,Limburg\n"
                               "Leuven,Centrumsteden,gemeente,\n"
                               "AgII,,agentschap,\n";

Test(cases, organisations_file_builds_memberships) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  cr_assert_eq(res.rows, 6);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM organisation"), 4);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM network"), 3);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM membership"), 5);
  const char *nets =
      "SELECT group_concat(name, ';') FROM (SELECT n.name FROM membership m"
      " JOIN network n ON n.id = m.network_id JOIN organisation o ON o.id = m.organisation_id"
      " WHERE o.name = ? ORDER BY n.name)";
  expect_text(&f, nets, "Genk", "Centrumsteden;Limburg");
  expect_text(&f, nets, "Leuven", "Centrumsteden;Leuven-Hageland");
  expect_text(&f, nets, "Diest", "Leuven-Hageland");
  done(&f);
}

Test(cases, an_empty_network_gives_an_organisation_without_membership) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM organisation WHERE name = 'AgII'"), 1);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM membership m JOIN organisation o"
                            " ON o.id = m.organisation_id WHERE o.name = 'AgII'"),
               0);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM network WHERE name = ''"), 0,
               "no network with an empty name");
  done(&f);
}

Test(cases, extra_columns_become_organisation_attributes) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  const char *sql =
      "SELECT a.value FROM attribute a JOIN organisation o ON o.id = a.entity_id"
      " WHERE a.entity = 'organisation' AND a.key = 'province' AND o.name = ?";
  expect_text(&f, sql, "Genk", "Limburg");
  expect_text(&f, sql, "Leuven", "Vlaams-Brabant");
  expect_text(&f, sql, "AgII", NULL);
  expect_text(&f,
              "SELECT a.value FROM attribute a JOIN organisation o ON o.id = a.entity_id"
              " WHERE a.entity = 'organisation' AND a.key = 'type' AND o.name = ?",
              "AgII", "agentschap");
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM attribute WHERE key = 'network'"), 0);
  done(&f);
}

Test(cases, organisations_then_speakers_link_persons_to_networks) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  cases_ok(&f, "cases.csv", speakers_csv, &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM organisation"), 6,
               "Leuven and Genk are not duplicated; Landen and Gent are added");
  expect_text(&f,
              "SELECT group_concat(n.name, ';') FROM person p"
              " JOIN membership m ON m.organisation_id = p.organisation_id"
              " JOIN network n ON n.id = m.network_id WHERE p.name = ?",
              "FG1-R1", "Leuven-Hageland");
  done(&f);
}

Test(cases, reimporting_a_cases_file_changes_nothing) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  cases_ok(&f, "cases.csv", speakers_csv, &res);
  long long before[6], after[6];
  snapshot(&f, before);
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  cases_ok(&f, "cases.csv", speakers_csv, &res);
  snapshot(&f, after);
  for (int i = 0; i < 6; i++) cr_assert_eq(before[i], after[i], "count %d changed", i);
  done(&f);
}

/* ---- errors ---- */

/* A cases or organisations file the import must refuse, and the message:
 * where it points after the directory and phrases it holds. */
typedef struct BadFile {
  const char *what;
  const char *name, *csv, *where;
  const char *needles[6];
} BadFile;

static const BadFile bad_files[] = {
    {"an unknown source is an error listing the known sources",
     "cases.csv",
     "source,speaker,person\nfg1,R1.1,A\nfg9,R9.1,B\n",
     "cases.csv:3:1: ",
     {"unknown source 'fg9'", "fg1, fg2", "import it first"}},
    {"the same speaker mapped twice is an error naming both lines",
     "cases.csv",
     "source,speaker,person,organisation\n"
     "fg1,R1.1,A,Diest\nfg1,R1.2,B,Landen\nfg1,R1.1,C,Diest\n",
     "cases.csv:4: ",
     {"'fg1 R1.1'", "line 2", "map each speaker once"}},
    {"a person given two organisations is an error naming both lines",
     "cases.csv",
     "source,speaker,person,organisation,role\n"
     "fg1,R1.1,P,Diest,integratieambtenaar\n"
     "fg2,R2.1,Q,Gent,integratieambtenaar\n"
     "fg2,R2.2,P,Leuven,integratieambtenaar\n",
     "cases.csv:4: ",
     {"person 'P'", "Leuven", "Diest", "line 2", "make them agree"}},
    {"a person given two roles is an error",
     "cases.csv",
     "source,speaker,person,organisation,role\n"
     "fg1,R1.1,P,Diest,integratieambtenaar\n"
     "fg2,R2.1,P,Diest,stagiair\n",
     "cases.csv:3: ",
     {"person 'P'", "stagiair", "line 2"}},
    {"a person given two attribute values is an error",
     "cases.csv",
     "source,speaker,person,organisation,gender\n"
     "fg1,R1.1,P,Diest,v\n"
     "fg2,R2.1,P,Diest,m\n",
     "cases.csv:3: ",
     {"person 'P', column 'gender'", "'m'", "'v'", "line 2"}},
    {"conflicting organisation attributes are an error naming both lines",
     "organisations.csv",
     "organisation,network,type,province\n"
     "Genk,Limburg,gemeente,Limburg\n"
     "Hasselt,Limburg,gemeente,Limburg\n"
     "Genk,Centrumsteden,stad,Limburg\n",
     "organisations.csv:4: ",
     {"organisation 'Genk', column 'type'", "'stad'", "'gemeente'", "line 2"}},
    {"an unrecognised header is an error",
     "cases.csv",
     "bron,spreker,persoon\nfg1,R1.1,A\n",
     "cases.csv:1: ",
     {"unrecognised cases header", "source,speaker", "organisation,network"}},
    {"a speaker column without source is unrecognised",
     "cases.csv",
     "speaker,organisation,network\nR1.1,Diest,X\n",
     "cases.csv:1: ",
     {"unrecognised cases header"}},
    {"a header without rows is an error",
     "cases.csv",
     "source,speaker,person\n",
     "cases.csv: ",
     {"no data rows"}},
    {"a ragged row is an error",
     "cases.csv",
     "source,speaker,person,organisation\nfg1,R1.1,A,Diest\nfg1,R1.2,B\n",
     "cases.csv:3: ",
     {"3 fields", "header has 4"}},
    {"an empty speaker is an error",
     "cases.csv",
     "source,speaker,person\nfg1,R1.1,A\nfg1,,B\n",
     "cases.csv:3: ",
     {"must not be empty"}},
    {"an empty organisation is an error",
     "organisations.csv",
     "organisation,network\nGenk,Limburg\n,Limburg\n",
     "organisations.csv:3:1: ",
     {"organisation must not be empty"}},
    {"invalid UTF-8 is an error",
     "cases.csv",
     "source,speaker\nfg1,R\xff\n",
     "cases.csv:2:6: ",
     {"invalid UTF-8"}},
};

ParameterizedTestParameters(cases, bad_files_are_refused_and_leave_the_store_as_it_was) {
  TH_ROW_PARAMS(bad_files);
}

ParameterizedTest(size_t *row, cases, bad_files_are_refused_and_leave_the_store_as_it_was) {
  const BadFile *t = &bad_files[*row];
  Fx f = setup();
  expect_error_list(&f, t->what, t->name, t->csv, t->where, t->needles);
  done(&f);
}

Test(cases, an_unknown_source_in_an_empty_store_says_none_yet) {
  Fx f;
  th_scratch_open(&f.dir, &f.st);
  expect_error(&f, "cases.csv", "source,speaker\nfg1,R1.1\n",
               "cases.csv:2:1: ", "unknown source 'fg1'", "none yet", NULL);
  done(&f);
}

Test(cases, an_organisation_listed_twice_in_one_network_is_fine) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", "organisation,network\nGenk,Limburg\nGenk,Limburg\n",
           &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM membership"), 1);
  done(&f);
}

Test(cases, an_empty_file_is_an_error) {
  Fx f = setup();
  expect_error(&f, "cases.csv", "", "cases.csv: ", "empty", NULL);
  expect_error(&f, "blank.csv", " \n\n", "blank.csv: ", "empty", NULL);
  done(&f);
}

Test(cases, a_failed_file_leaves_earlier_cases_untouched) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", orgs_csv, &res);
  cases_ok(&f, "cases.csv", speakers_csv, &res);
  /* Many good rows, then an unknown source: none of the new rows may stay. */
  expect_error(&f, "more.csv",
               "source,speaker,person,organisation,role,hobby\n"
               "fg1,R1.3,NEW-1,Tienen,integratieambtenaar,fietsen\n"
               "fg2,R2.3,NEW-2,Mechelen,integratieambtenaar,lezen\n"
               "fg3,R3.1,NEW-3,Lommel,integratieambtenaar,\n",
               "more.csv:4:1: ", "unknown source 'fg3'", NULL);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM person WHERE name LIKE 'NEW-%'"), 0);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM organisation WHERE name IN"
                            " ('Tienen', 'Mechelen')"),
               0);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM speaker WHERE label IN ('R1.3','R2.3')"),
               0);
  done(&f);
}

/* ---- keys longer than any buffer ---- */

/* A name of 1100 bytes: a 1090-byte common prefix, then tail. The caller frees. */
static char *long_name(const char *tail) {
  ThemaBuf b = {0};
  for (int i = 0; i < 109; i++) thema_buf_puts(&b, "Persoon-X ");
  thema_buf_printf(&b, "%s", tail);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

Test(cases, persons_with_long_names_that_share_a_prefix_stay_apart) {
  Fx f = setup();
  char *a = long_name("A"), *b = long_name("B");
  ThemaBuf csv = {0};
  thema_buf_printf(&csv,
                   "source,speaker,person,organisation,role,gender\n"
                   "fg1,R1.1,%s,Diest,stagiair,v\n"
                   "fg1,R1.2,%s,Landen,diensthoofd,m\n",
                   a, b);
  ThemaImportResult res;
  cases_ok(&f, "cases.csv", thema_buf_str(&csv), &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM person"), 2);
  cr_assert_eq(th_int(f.st, "SELECT min(length(name)) FROM person"), 1091);
  expect_text(&f,
              "SELECT o.name || '/' || p.role FROM person p"
              " JOIN organisation o ON o.id = p.organisation_id WHERE p.name = ?",
              b, "Landen/diensthoofd");
  expect_text(&f,
              "SELECT a.value FROM attribute a JOIN person p ON p.id = a.entity_id"
              " WHERE a.entity = 'person' AND a.key = 'gender' AND p.name = ?",
              a, "v");
  thema_buf_free(&csv);
  free(a);
  free(b);
  done(&f);
}

Test(cases, long_speaker_labels_that_share_a_prefix_are_two_speakers) {
  Fx f = setup();
  char *a = long_name("1"), *b = long_name("2");
  ThemaBuf csv = {0};
  thema_buf_printf(&csv, "source,speaker,person\nfg1,%s,P1\nfg1,%s,P2\n", a, b);
  ThemaImportResult res;
  cases_ok(&f, "cases.csv", thema_buf_str(&csv), &res);
  expect_text(&f,
              "SELECT p.name FROM speaker sp JOIN person p ON p.id = sp.person_id"
              " WHERE sp.label = ?",
              b, "P2");
  /* and the same long label twice is still an error naming the first line */
  thema_buf_reset(&csv);
  thema_buf_printf(&csv, "source,speaker,person\nfg1,%s,P1\nfg1,%s,P3\n", a, a);
  expect_error(&f, "again.csv", thema_buf_str(&csv), "again.csv:3: ", "is already mapped",
               "line 2", NULL);
  thema_buf_free(&csv);
  free(a);
  free(b);
  done(&f);
}

Test(cases, a_long_person_name_given_two_attribute_values_is_an_error) {
  Fx f = setup();
  char *p = long_name("P");
  ThemaBuf csv = {0};
  thema_buf_printf(&csv, "source,speaker,person,gender\nfg1,R1.1,%s,v\nfg2,R2.1,%s,m\n", p,
                   p);
  expect_error(&f, "cases.csv", thema_buf_str(&csv), "cases.csv:3: ", "', column 'gender'",
               "'m'", "'v'", "line 2", NULL);
  thema_buf_free(&csv);
  free(p);
  done(&f);
}

Test(cases, organisations_with_long_names_that_share_a_prefix_stay_apart) {
  Fx f = setup();
  char *a = long_name("Oost"), *b = long_name("West");
  ThemaBuf csv = {0};
  thema_buf_printf(
      &csv, "organisation,network,type\n%s,Limburg,gemeente\n%s,Limburg,stad\n", a, b);
  ThemaImportResult res;
  cases_ok(&f, "organisations.csv", thema_buf_str(&csv), &res);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM organisation"), 2);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM membership"), 2);
  expect_text(&f,
              "SELECT a.value FROM attribute a JOIN organisation o ON o.id = a.entity_id"
              " WHERE a.entity = 'organisation' AND a.key = 'type' AND o.name = ?",
              b, "stad");
  thema_buf_free(&csv);
  free(a);
  free(b);
  done(&f);
}

/* ---- dated affiliations ---- */

Test(cases, dated_rows_of_one_person_become_affiliations) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "dated.csv",
           "source,speaker,person,organisation,role,from,to\n"
           "fg1,R1.1,Mia,Diest,schepen,2018-01-01,2019-12-31\n"
           "fg2,R2.1,Mia,Leuven,burgemeester,2020-01-01,\n",
           &res);
  cr_expect_eq(th_int(f.st, "SELECT count(*) FROM affiliation"), 2);
  expect_text(
      &f,
      "SELECT group_concat(x, ';') FROM (SELECT o.name || '|' || a.role || '|' ||"
      " coalesce(a.valid_from, '') || '|' || coalesce(a.valid_to, '') AS x"
      " FROM affiliation a JOIN organisation o ON o.id = a.organisation_id"
      " JOIN person p ON p.id = a.person_id WHERE p.name = ?1 ORDER BY a.valid_from)",
      "Mia", "Diest|schepen|2018-01-01|2019-12-31;Leuven|burgemeester|2020-01-01|");
  expect_text(&f,
              "SELECT o.name || '|' || p.role FROM person p JOIN organisation o"
              " ON o.id = p.organisation_id WHERE p.name = ?1",
              "Mia", "Leuven|burgemeester");
  cases_ok(&f, "dated.csv",
           "source,speaker,person,organisation,role,from,to\n"
           "fg1,R1.1,Mia,Diest,schepen,2018-01-01,2019-12-31\n"
           "fg2,R2.1,Mia,Leuven,burgemeester,2020-01-01,\n",
           &res);
  cr_expect_eq(th_int(f.st, "SELECT count(*) FROM affiliation"), 2,
               "a file imported again restates the periods, it does not add them");
  done(&f);
}

Test(cases, an_undated_row_keeps_the_persons_own_organisation) {
  Fx f = setup();
  ThemaImportResult res;
  cases_ok(&f, "mixed.csv",
           "source,speaker,person,organisation,from,to\n"
           "fg1,R1.1,Mia,Diest,,\n"
           "fg2,R2.1,Mia,Leuven,2020-01-01,2020-06-30\n",
           &res);
  expect_text(&f,
              "SELECT o.name FROM person p JOIN organisation o ON o.id = p.organisation_id"
              " WHERE p.name = ?1",
              "Mia", "Diest");
  cr_expect_eq(th_int(f.st, "SELECT count(*) FROM affiliation"), 1);
  done(&f);
}

Test(cases, overlapping_periods_name_both_lines) {
  Fx f = setup();
  /* Periods are inclusive: ending on the day the next begins overlaps. */
  expect_error(&f, "overlap.csv",
               "source,speaker,person,organisation,from,to\n"
               "fg1,R1.1,Mia,Diest,2018-01-01,2020-01-01\n"
               "fg2,R2.1,Mia,Leuven,2020-01-01,\n",
               "overlap.csv:3:", "person 'Mia' is with 'Leuven' from 2020-01-01 to the end",
               "overlaps line 2 ('Diest' from 2018-01-01 to 2020-01-01)", NULL);
  expect_error(&f, "open.csv",
               "source,speaker,person,organisation,from,to\n"
               "fg1,R1.1,Mia,Diest,,2019-01-01\n"
               "fg2,R2.1,Mia,Leuven,,2018-01-01\n",
               "open.csv:3:", "from the start to 2018-01-01", "overlaps line 2", NULL);
  expect_error(&f, "month.csv",
               "source,speaker,organisation,from\nfg1,R1.1,Diest,2019-13-01\n",
               "month.csv:2:4:", "'2019-13-01' is not a date", "YYYY-MM-DD", NULL);
  done(&f);
}
