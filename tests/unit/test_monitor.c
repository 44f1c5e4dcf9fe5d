/*
 * test_monitor.c — monitor tables (thema_import_monitor): wide tables read as
 * declared by the "<file>.meta" sidecar or by options, long form, units,
 * Dutch and English numbers, delimiter sniffing, missing values, and every
 * error a researcher can make in a table or its sidecar. An import that fails
 * must leave the store exactly as it was.
 */
#include <sqlite3.h>

#include "import_helpers.h"

/* ---- helpers local to this file ---- */

/* A scratch directory and an empty store in it; both released by done(). */
typedef struct Fx {
  char *dir;
  ThemaStore *st;
} Fx;

static Fx setup(void) {
  Fx f;
  th_scratch_open(&f.dir, &f.st);
  return f;
}

static void done(Fx *f) { th_scratch_close(&f->dir, &f->st); }

/* Import one table the way the command line does: one transaction, rolled
 * back on error. Returns the status; err and res are the caller's. */
static int import(Fx *f, const char *path, const ThemaImportOptions *opt,
                  ThemaImportResult *res, ThemaError *err) {
  return th_import(f->st, thema_import_monitor, path, opt, res, err);
}

/* Write name (and name.meta when meta is not NULL) into the fixture; returns
 * the table's path (caller frees). */
static char *write_table(Fx *f, const char *name, const char *csv, const char *meta) {
  char *path = th_write(f->dir, name, csv, strlen(csv));
  if (meta) {
    char side[256];
    snprintf(side, sizeof side, "%s.meta", name);
    free(th_write(f->dir, side, meta, strlen(meta)));
  }
  return path;
}

/* Write name (and name.meta when meta is not NULL) into the fixture and
 * import it; the import must succeed. Returns the CSV path (caller frees). */
static char *import_ok(Fx *f, const char *name, const char *csv, const char *meta,
                       const ThemaImportOptions *opt, ThemaImportResult *res) {
  char *path = write_table(f, name, csv, meta);
  ThemaError err = {0};
  int rc = import(f, path, opt, res, &err);
  cr_assert_eq(rc, THEMA_OK, "import of %s failed: %s", name, err.msg);
  return path;
}

/* One observation, looked up by case, indicator and period. */
typedef struct Obs {
  int found;
  int is_null; /* value is SQL NULL */
  double value;
  char raw[256];
  char unit[64]; /* "" when NULL */
  int unit_null;
  long line;
} Obs;

static Obs obs(Fx *f, const char *case_name, const char *indicator, const char *period) {
  Obs o = {0};
  sqlite3_stmt *q = NULL;
  sqlite3 *db = thema_store_db(f->st);
  cr_assert_eq(sqlite3_prepare_v2(db,
                                  "SELECT o.value, o.raw, o.unit, o.line FROM observation o"
                                  " JOIN indicator i ON i.id = o.indicator_id"
                                  " WHERE o.case_name = ? AND i.name = ? AND o.period = ?",
                                  -1, &q, NULL),
               SQLITE_OK, "%s", sqlite3_errmsg(db));
  sqlite3_bind_text(q, 1, case_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, indicator, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, period, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    o.found = 1;
    o.is_null = sqlite3_column_type(q, 0) == SQLITE_NULL;
    o.value = sqlite3_column_double(q, 0);
    snprintf(o.raw, sizeof o.raw, "%s", (const char *)sqlite3_column_text(q, 1));
    o.unit_null = sqlite3_column_type(q, 2) == SQLITE_NULL;
    if (!o.unit_null) snprintf(o.unit, sizeof o.unit, "%s", sqlite3_column_text(q, 2));
    o.line = sqlite3_column_int(q, 3);
  }
  sqlite3_finalize(q);
  return o;
}

/* The observation must exist with this value (exactly: numbers as printed
 * round-trip through strtod) and unit (NULL for no unit). */
static void expect_value(Fx *f, const char *c, const char *ind, const char *per,
                         double value, const char *unit) {
  Obs o = obs(f, c, ind, per);
  cr_assert(o.found, "no observation %s / %s / %s", c, ind, per);
  cr_assert_not(o.is_null, "%s / %s / %s is NULL, raw '%s'", c, ind, per, o.raw);
  cr_assert_eq(o.value, value, "%s / %s / %s: %.17g, expected %.17g", c, ind, per, o.value,
               value);
  if (unit)
    cr_assert_str_eq(o.unit, unit, "%s / %s / %s: unit", c, ind, per);
  else
    cr_assert(o.unit_null, "%s / %s / %s: unit '%s', expected none", c, ind, per, o.unit);
}

static long long count(Fx *f, const char *table) { return th_count(f->st, table); }

/* A fingerprint of everything an import writes, to compare before/after. */
static void snapshot(Fx *f, long long out[4]) {
  out[0] = count(f, "source");
  out[1] = count(f, "observation");
  out[2] = count(f, "indicator");
  out[3] = count(f, "attribute");
}

/* Write the table (and sidecar) and import it expecting an input error whose
 * message starts with `where` and contains every one of the NULL-terminated
 * needles; the store must be unchanged afterwards. Failures name `what`. */
static void expect_error_list(Fx *f, const char *what, const char *name, const char *csv,
                              const char *meta, const ThemaImportOptions *opt,
                              const char *where, const char *const *needles) {
  char *path = write_table(f, name, csv, meta);
  long long before[4], after[4];
  snapshot(f, before);
  ThemaImportResult res;
  ThemaError err = {0};
  int rc = import(f, path, opt, &res, &err);
  th_expect_input_error(what, rc, &err, f->dir, where, needles);
  snapshot(f, after);
  for (int i = 0; i < 4; i++)
    cr_assert_eq(before[i], after[i], "store changed by a failed import (%d: %lld -> %lld)",
                 i, before[i], after[i]);
  free(path);
}
/* expect_error_list with the needles as arguments, the last one NULL. */
#define expect_error(f, name, csv, meta, opt, where, ...)                                  \
  expect_error_list(f, name, name, csv, meta, opt, where,                                  \
                    (const char *const[]){__VA_ARGS__})

static const char liim_csv[] = "Leuven-Hageland;Aantal personen met vreemde nationaliteit;"
                               "% t.o.v. totaal aantal inwoners;Aantal nieuwkomers\n"
                               "Aarschot;1.030;3,5;92\n"
                               "Leuven;18.047;18;3.900\n"
                               "Tienen;2.404;7,0;186\n";
static const char liim_meta[] = "# a comment\n"
                                "title: Vreemde nationaliteit\n"
                                "form: wide\n"
                                "columns: indicator\n"
                                "period: 2017\n"
                                "units: aantal; %; aantal\n";

/* ---- tables that import ---- */

/* One observation: case, indicator, period, value and unit (NULL: none). */
typedef struct Want {
  const char *case_name, *indicator, *period;
  double value;
  const char *unit;
} Want;

/* A table (and its sidecar) that imports, and observations it must store. */
typedef struct GoodTable {
  const char *what;
  const char *name, *csv, *meta; /* meta NULL: no sidecar */
  const ThemaImportOptions *opt;
  Want want[6]; /* up to the first with case_name NULL */
} GoodTable;

static const GoodTable good_tables[] = {
    /* wide tables */
    {"form defaults to wide when columns are declared",
     "t.csv",
     "gebied;A\nLeuven;5\n",
     "columns: indicator\nperiod: 2019\n",
     NULL,
     {{"Leuven", "A", "2019", 5, NULL}}},
    {"units are given per value column",
     "t.csv",
     "gebied;A;B;C\nLeuven;1.030;3,5;92\n",
     "columns: indicator\nperiod: 2017\nunits: aantal; %; euro\n",
     NULL,
     {{"Leuven", "A", "2017", 1030, "aantal"},
      {"Leuven", "B", "2017", 3.5, "%"},
      {"Leuven", "C", "2017", 92, "euro"}}},
    {"one unit applies to every value column",
     "t.csv",
     "gebied;A;B\nLeuven;1;2\n",
     "columns: indicator\nperiod: 2017\nunits: aantal\n",
     NULL,
     {{"Leuven", "A", "2017", 1, "aantal"}, {"Leuven", "B", "2017", 2, "aantal"}}},
    {"no units means no unit",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "columns: indicator\nperiod: 2017\n",
     NULL,
     {{"Leuven", "A", "2017", 1, NULL}}},
    {"percent cells without declared units get percent",
     "gm.csv",
     "gebied;Oneens;Neutraal;Eens\nLeuven;4%;27%;70%\n",
     "columns: indicator\nperiod: 2017\n",
     NULL,
     {{"Leuven", "Eens", "2017", 70, "%"}}},
    /* long form */
    {"long form finds its columns by name in any order and case",
     "long.csv",
     "Value;Period;Note;Indicator;CASE\n7;2020;x;Score;Gent\n",
     "form: long\n",
     NULL,
     {{"Gent", "Score", "2020", 7, NULL}}},
    {"long form without a sidecar is declared by options",
     "long.csv",
     "case,indicator,period,value\nGent,Score,2020,\"1,5\"\n",
     NULL,
     &(const ThemaImportOptions){.form = "long"},
     {{"Gent", "Score", "2020", 1.5, NULL}}},
    {"long form takes a declared unit when a row has none",
     "long.csv",
     "case,indicator,period,value,unit\n"
     "Gent,S,2017,5,\n"
     "Gent,T,2017,6,euro\n"
     "Gent,U,2017,7%,\n",
     "form: long\nunits: aantal\n",
     NULL,
     {{"Gent", "S", "2017", 5, "aantal"},
      {"Gent", "T", "2017", 6, "euro"},
      {"Gent", "U", "2017", 7, "%"}}},
    {"long form without a unit column takes the declared unit",
     "long.csv",
     "case,indicator,period,value\nGent,S,2017,5\n",
     "form: long\nunits: %\n",
     NULL,
     {{"Gent", "S", "2017", 5, "%"}}},
    /* numbers */
    {"decimal point reads English numbers",
     "en.csv",
     "area\tA\tB\tC\nLeuven\t6.1\t2,775\t2,775.5\n",
     "columns: indicator\nperiod: 2017\ndecimal: .\n",
     NULL,
     {{"Leuven", "A", "2017", 6.1, NULL},
      {"Leuven", "B", "2017", 2775, NULL},
      {"Leuven", "C", "2017", 2775.5, NULL}}},
    {"Dutch numbers are the default",
     "nl.csv",
     "gebied;A;B;C;D;E\nLeuven;2.775;6,1;30,3;-3,5;1.234.567,25\n",
     "columns: indicator\nperiod: 2017\n",
     NULL,
     {{"Leuven", "A", "2017", 2775, NULL},
      {"Leuven", "B", "2017", 6.1, NULL},
      {"Leuven", "C", "2017", 30.3, NULL},
      {"Leuven", "D", "2017", -3.5, NULL},
      {"Leuven", "E", "2017", 1234567.25, NULL}}},
    /* options over the sidecar */
    {"form option overrides the sidecar form",
     "t.csv",
     "case;indicator;period;value\nGent;S;2020;4\n",
     "form: wide\ncolumns: indicator\nperiod: 2017\n",
     &(const ThemaImportOptions){.form = "long"},
     {{"Gent", "S", "2020", 4, NULL}}},
    {"options alone declare a table without a sidecar",
     "t.csv",
     "gebied;A\nLeuven;5\n",
     NULL,
     &(const ThemaImportOptions){
         .columns = "indicator", .period = "2018", .units = "aantal"},
     {{"Leuven", "A", "2018", 5, "aantal"}}},
    /* delimiters */
    {"semicolon delimiter is sniffed",
     "t.csv",
     "gebied;A;B\nLeuven;6,1;7\n",
     "columns: indicator\nperiod: 2017\n",
     NULL,
     {{"Leuven", "A", "2017", 6.1, NULL}, {"Leuven", "B", "2017", 7, NULL}}},
    {"tab delimiter is sniffed",
     "t.csv",
     "gebied\tA, met komma\tB\nSint-Truiden\t6,1\t2.278\n",
     "columns: indicator\nperiod: 2017\n",
     NULL,
     {{"Sint-Truiden", "A, met komma", "2017", 6.1, NULL},
      {"Sint-Truiden", "B", "2017", 2278, NULL}}},
    {"CRLF and a BOM are tolerated",
     "t.csv",
     "\xEF\xBB\xBFgebied;A\r\nLeuven;5\r\nDiest;6\r\n",
     "columns: indicator\nperiod: 2017\n",
     NULL,
     {{"Leuven", "A", "2017", 5, NULL}, {"Diest", "A", "2017", 6, NULL}}},
    /* errors in the table */
    {"an empty case column header is fine",
     "t.csv",
     ";2011\nGent;30\n",
     "columns: period\nindicator: S\n",
     NULL,
     {{"Gent", "S", "2011", 30, NULL}}},
};

ParameterizedTestParameters(monitor, good_tables_store_their_observations) {
  TH_ROW_PARAMS(good_tables);
}

ParameterizedTest(size_t *row, monitor, good_tables_store_their_observations) {
  const GoodTable *t = &good_tables[*row];
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, t->name, t->csv, t->meta, t->opt, &res));
  for (const Want *w = t->want; w->case_name; w++)
    expect_value(&f, w->case_name, w->indicator, w->period, w->value, w->unit);
  done(&f);
}

/* ---- wide tables ---- */

Test(monitor, wide_indicator_columns_take_the_period_from_the_sidecar) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "liim.csv", liim_csv, liim_meta, NULL, &res));
  cr_assert_eq(res.rows, 3);
  cr_assert_eq(res.observations, 9);
  cr_assert_eq(res.unchanged, 0);
  cr_assert_gt(res.source_id, 0);
  cr_assert_eq(count(&f, "observation"), 9);
  cr_assert_eq(count(&f, "indicator"), 3);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM observation WHERE period <> '2017'"), 0);
  expect_value(&f, "Leuven", "Aantal personen met vreemde nationaliteit", "2017", 18047,
               "aantal");
  expect_value(&f, "Leuven", "Aantal nieuwkomers", "2017", 3900, "aantal");
  expect_value(&f, "Aarschot", "% t.o.v. totaal aantal inwoners", "2017", 3.5, "%");
  expect_value(&f, "Tienen", "% t.o.v. totaal aantal inwoners", "2017", 7.0, "%");
  /* the raw cell and its line are kept */
  Obs o = obs(&f, "Leuven", "Aantal nieuwkomers", "2017");
  cr_assert_str_eq(o.raw, "3.900");
  cr_assert_eq(o.line, 3);
  /* the source row and the sidecar's title */
  char *kind = th_text(f.st, "SELECT kind || ' ' || name || ' ' || format FROM source");
  cr_assert_str_eq(kind, "monitor liim csv");
  free(kind);
  char *title = th_text(f.st, "SELECT title FROM source");
  cr_assert_str_eq(title, "Vreemde nationaliteit");
  free(title);
  done(&f);
}

Test(monitor, wide_period_columns_take_the_indicator_from_the_sidecar) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "stad.csv",
                 "stad;2011;2014;2017\nGent;30;33;32\nTotaal 13 steden;34;35;35\n",
                 "form: wide\ncolumns: period\nindicator: Sterke sociale integratie\n"
                 "units: %\n",
                 NULL, &res));
  cr_assert_eq(res.rows, 2);
  cr_assert_eq(res.observations, 6);
  cr_assert_eq(count(&f, "indicator"), 1);
  char *name = th_text(f.st, "SELECT name FROM indicator");
  cr_assert_str_eq(name, "Sterke sociale integratie",
                   "indicator named as declared, "
                   "without a prefix");
  free(name);
  expect_value(&f, "Gent", "Sterke sociale integratie", "2011", 30, "%");
  expect_value(&f, "Gent", "Sterke sociale integratie", "2017", 32, "%");
  expect_value(&f, "Totaal 13 steden", "Sterke sociale integratie", "2014", 35, "%");
  done(&f);
}

Test(monitor, a_cells_own_percent_sign_wins_over_the_declared_unit) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "t.csv", "gebied;A;B\nLeuven;12%;7\nDiest;4 %;8\n",
                 "columns: indicator\nperiod: 2017\nunits: aantal; aantal\n", NULL, &res));
  expect_value(&f, "Leuven", "A", "2017", 12, "%");
  expect_value(&f, "Diest", "A", "2017", 4, "%");
  expect_value(&f, "Leuven", "B", "2017", 7, "aantal");
  Obs o = obs(&f, "Leuven", "A", "2017");
  cr_assert_str_eq(o.raw, "12%", "the raw cell keeps its sign");
  done(&f);
}

Test(monitor, indicator_prefixes_the_header_when_columns_are_indicators) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(
      &f, "gm.csv",
      "gebied;Oneens;Neutraal;Eens\nLeuven;4%;27%;70%\nVlaams Gewest;8%;29%;63%\n",
      "form: wide\ncolumns: indicator\nperiod: 2017\n"
      "indicator: Best sympathiek\nunits: %\n",
      NULL, &res));
  cr_assert_eq(res.observations, 6);
  expect_value(&f, "Leuven", "Best sympathiek: Eens", "2017", 70, "%");
  expect_value(&f, "Vlaams Gewest", "Best sympathiek: Oneens", "2017", 8, "%");
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM indicator WHERE name NOT LIKE "
                            "'Best sympathiek: %'"),
               0, "every indicator carries the prefix");
  cr_assert_not(obs(&f, "Leuven", "Eens", "2017").found);
  done(&f);
}

/* ---- long form ---- */

Test(monitor, long_form_reads_case_indicator_period_value_and_unit) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "long.csv",
                 "case,indicator,period,value,unit\n"
                 "Leuven,Nieuwkomers,2017,3.900,aantal\n"
                 "Leuven,Nieuwkomers,2018,\"4.012\",aantal\n"
                 "Leuven,Aandeel,2017,\"18,5\",\n"
                 "Diest,Aandeel,2017,5%,aantal\n",
                 "form: long\n", NULL, &res));
  cr_assert_eq(res.rows, 4);
  cr_assert_eq(res.observations, 4);
  expect_value(&f, "Leuven", "Nieuwkomers", "2017", 3900, "aantal");
  expect_value(&f, "Leuven", "Nieuwkomers", "2018", 4012, "aantal");
  expect_value(&f, "Leuven", "Aandeel", "2017", 18.5, NULL);
  expect_value(&f, "Diest", "Aandeel", "2017", 5, "%");
  done(&f);
}

Test(monitor, long_form_missing_a_required_column_is_an_error) {
  Fx f = setup();
  expect_error(&f, "long.csv", "case,indicator,waarde\nGent,Score,1\n", "form: long\n",
               NULL, "long.csv:1: ", "'period' is missing",
               "case, indicator, period, value", NULL);
  expect_error(&f, "long2.csv", "case,indicator,period\nGent,Score,1\n", "form: long\n",
               NULL, "long2.csv:1: ", "'value' is missing", NULL);
  done(&f);
}

/* ---- options over the sidecar ---- */

Test(monitor, options_override_the_sidecar) {
  Fx f = setup();
  ThemaImportResult res;
  /* The sidecar says indicator columns for 2017 in Dutch with one unit; the
   * options say period columns, an indicator, English decimals, other units. */
  ThemaImportOptions opt = {
      .columns = "period", .indicator = "Score", .decimal = ".", .units = "punten; %"};
  free(import_ok(&f, "t.csv", "stad;2011;2014\nGent;1,500;2.5\n",
                 "form: wide\ncolumns: indicator\nperiod: 2017\nunits: aantal\n"
                 "decimal: ,\n",
                 &opt, &res));
  expect_value(&f, "Gent", "Score", "2011", 1500, "punten");
  expect_value(&f, "Gent", "Score", "2014", 2.5, "%");
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM observation WHERE period = '2017'"), 0);
  done(&f);
}

Test(monitor, period_option_overrides_the_sidecar_period) {
  Fx f = setup();
  ThemaImportResult res;
  ThemaImportOptions opt = {.period = "2020"};
  free(import_ok(&f, "t.csv", "gebied;A\nLeuven;5\n", "columns: indicator\nperiod: 2017\n",
                 &opt, &res));
  expect_value(&f, "Leuven", "A", "2020", 5, NULL);
  cr_assert_not(obs(&f, "Leuven", "A", "2017").found);
  done(&f);
}

/* ---- delimiters ---- */

Test(monitor, comma_delimiter_is_sniffed_with_quoted_dutch_decimals) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "t.csv", "gebied,A,B,C\nLeuven,\"6,1\",2.775,\"1.234,5\"\n",
                 "columns: indicator\nperiod: 2017\n", NULL, &res));
  cr_assert_eq(res.observations, 3);
  expect_value(&f, "Leuven", "A", "2017", 6.1, NULL);
  expect_value(&f, "Leuven", "B", "2017", 2775, NULL);
  expect_value(&f, "Leuven", "C", "2017", 1234.5, NULL);
  Obs o = obs(&f, "Leuven", "A", "2017");
  cr_assert_str_eq(o.raw, "6,1");
  done(&f);
}

/* ---- missing values ---- */

Test(monitor, empty_and_dash_cells_are_null_with_the_raw_cell_kept) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "t.csv", "gebied;A;B;C\nLeuven;;-;5\nDiest; - ;\xE2\x80\x93;9\n",
                 "columns: indicator\nperiod: 2017\nunits: aantal\n", NULL, &res));
  cr_assert_eq(res.observations, 6, "missing values are observations too");
  Obs o = obs(&f, "Leuven", "A", "2017");
  cr_assert(o.found && o.is_null);
  cr_assert_str_eq(o.raw, "");
  o = obs(&f, "Leuven", "B", "2017");
  cr_assert(o.found && o.is_null);
  cr_assert_str_eq(o.raw, "-");
  cr_assert_str_eq(o.unit, "aantal");
  o = obs(&f, "Diest", "A", "2017");
  cr_assert(o.found && o.is_null);
  cr_assert_str_eq(o.raw, "-", "unquoted fields are trimmed by the CSV reader");
  o = obs(&f, "Diest", "B", "2017");
  cr_assert(o.found && o.is_null, "an en dash is missing too");
  expect_value(&f, "Leuven", "C", "2017", 5, "aantal");
  done(&f);
}

/* ---- tables that are refused ---- */

/* A table (and its sidecar) the import must refuse, and the message: where it
 * points after the directory and phrases it holds. */
typedef struct BadTable {
  const char *what;
  const char *name, *csv, *meta; /* meta NULL: no sidecar */
  const char *where;
  const char *needles[5];
} BadTable;

static const BadTable bad_tables[] = {
    /* long form */
    {"long form with several units is an error",
     "long.csv",
     "case,indicator,period,value\nGent,S,2017,5\n",
     "form: long\nunits: aantal; %\n",
     "long.csv:1: ",
     {"2 units", "one value column"}},
    /* missing values */
    {"a lone percent sign is not a number",
     "t.csv",
     "gebied;A\nLeuven;%\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:2:2: ",
     {"'%'", "column 'A'"}},
    /* errors in the table */
    {"an ambiguous number names its cell and column",
     "t.csv",
     "gebied;Aantal;Aandeel\nLeuven;1.030;3,5\nDiest;2.77;5\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:3:2: ",
     {"cannot read number '2.77'", "column 'Aantal'", "decimal: ."}},
    {"a word where a number belongs names its cell and column",
     "t.csv",
     "gebied;Aantal;Aandeel\nLeuven;1.030;abc\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:2:3: ",
     {"'abc'", "column 'Aandeel'"}},
    {"a bad number in long form names the value column",
     "t.csv",
     "case,indicator,period,value\nGent,S,2017,12abc\n",
     "form: long\n",
     "t.csv:2:4: ",
     {"'12abc'", "column 'value'"}},
    /* "1,234.5" under decimal ',' is neither Dutch nor a plain decimal. */
    {"English grouping is an error under Dutch decimals",
     "t.csv",
     "gebied;A\nLeuven;\"1,234.5\"\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:2:2: ",
     {"'1,234.5'"}},
    {"a ragged row is an error naming its line",
     "t.csv",
     "gebied;A;B\nLeuven;1;2\nDiest;1\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:3: ",
     {"2 fields", "header has 3", "delimiter"}},
    {"a row with an extra field is an error",
     "t.csv",
     "gebied;A\nLeuven;1;2\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:2: ",
     {"3 fields", "header has 2"}},
    {"an unbalanced quote is an error naming where the row starts",
     "t.csv",
     "gebied;A\nLeuven;1\nDiest;\"2\nTienen;3\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:3: ",
     {"quote"}},
    {"a case, indicator and period given twice is an error",
     "t.csv",
     "gebied;A\nLeuven;1\nDiest;2\nLeuven;3\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:4:2: ",
     {"'Leuven'", "given twice", "first on line 2", "remove one"}},
    {"a period column given twice is an error",
     "t.csv",
     "stad;2011;2011\nGent;1;2\n",
     "columns: period\nindicator: S\n",
     "t.csv:2:3: ",
     {"given twice", "first on line 2"}},
    {"a duplicate in long form is an error",
     "t.csv",
     "case,indicator,period,value\nGent,S,2017,1\nGent,T,2017,1\nGent,S,2017,2\n",
     "form: long\n",
     "t.csv:4:4: ",
     {"given twice", "first on line 2"}},
    {"an empty case name is an error",
     "t.csv",
     "gebied;A\nLeuven;1\n;2\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:3:1: ",
     {"empty case name", "'gebied'"}},
    {"a header without rows is an error",
     "t.csv",
     "gebied;A\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv: ",
     {"no data rows"}},
    {"an empty file is an error",
     "t.csv",
     "\n\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv: ",
     {"empty"}},
    {"a single column wide table hints at the delimiter",
     "t.csv",
     "gebied|A\nLeuven|1\n",
     "columns: indicator\nperiod: 2017\n",
     "t.csv:1: ",
     {"delimiter"}},
    /* errors in the declaration */
    {"a wide table without a declaration is an error",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     NULL,
     "t.csv: ",
     {"columns: indicator", "columns: period", "t.csv.meta"}},
    {"a sidecar without columns is an error",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "period: 2017\n",
     "t.csv: ",
     {"columns: indicator", "--columns"}},
    {"indicator columns without a period is an error",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "columns: indicator\n",
     "t.csv: ",
     {"period: 2017", "--period"}},
    {"period columns without an indicator is an error",
     "t.csv",
     "stad;2011\nGent;1\n",
     "columns: period\nperiod: 2017\n",
     "t.csv: ",
     {"indicator: ...", "--indicator"}},
    {"a bad 'form' in the sidecar names its line",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "# table\nform: breed\ncolumns: indicator\nperiod: 2017\n",
     "t.csv.meta:2:7: ",
     {"'wide' or 'long'", "'breed'"}},
    {"a bad 'columns' in the sidecar names its line",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "columns: jaren\nperiod: 2017\n",
     "t.csv.meta:1:10: ",
     {"'indicator' or 'period'", "'jaren'"}},
    {"a bad 'decimal' in the sidecar names its line",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "columns: indicator\nperiod: 2017\ndecimal: komma\n",
     "t.csv.meta:3:10: ",
     {"',' or '.'", "'komma'"}},
    {"a malformed sidecar line is an error",
     "t.csv",
     "gebied;A\nLeuven;1\n",
     "columns indicator\n",
     "t.csv.meta:1:1: ",
     {"key: value"}},
};

ParameterizedTestParameters(monitor, bad_tables_are_refused_and_leave_the_store_as_it_was) {
  TH_ROW_PARAMS(bad_tables);
}

ParameterizedTest(size_t *row, monitor,
                  bad_tables_are_refused_and_leave_the_store_as_it_was) {
  const BadTable *t = &bad_tables[*row];
  Fx f = setup();
  expect_error_list(&f, t->what, t->name, t->csv, t->meta, NULL, t->where, t->needles);
  done(&f);
}

/* ---- errors in the table ---- */

Test(monitor, a_value_column_without_a_header_is_an_error) {
  Fx f = setup();
  expect_error(&f, "t.csv", "gebied;A;;C\nLeuven;1;2;3\n",
               "columns: indicator\nperiod: 2017\n", NULL, "t.csv:1:3: ", "no header",
               "indicator", NULL);
  expect_error(&f, "p.csv", "stad;2011;\nGent;1;2\n", "columns: period\nindicator: S\n",
               NULL, "p.csv:1:3: ", "no header", "period", NULL);
  done(&f);
}

/* ---- errors in the declaration ---- */

Test(monitor, the_wrong_number_of_units_is_an_error) {
  Fx f = setup();
  expect_error(&f, "t.csv", "gebied;A;B;C\nLeuven;1;2;3\n",
               "columns: indicator\nperiod: 2017\nunits: aantal; %\n", NULL,
               "t.csv:1: ", "2 units", "3 value columns", "one unit per value column",
               NULL);
  expect_error(&f, "u.csv", "gebied;A;B\nLeuven;1;2\n",
               "columns: indicator\nperiod: 2017\nunits: a; b; c\n", NULL,
               "u.csv:1: ", "3 units", "2 value columns", NULL);
  done(&f);
}

Test(monitor, a_bad_option_value_names_the_option) {
  Fx f = setup();
  ThemaImportOptions form = {.form = "breed"};
  expect_error(&f, "t.csv", "gebied;A\nLeuven;1\n", "columns: indicator\nperiod: 2017\n",
               &form, "t.csv: ", "--form", "'breed'", NULL);
  ThemaImportOptions columns = {.columns = "rijen"};
  expect_error(&f, "t.csv", "gebied;A\nLeuven;1\n", "columns: indicator\nperiod: 2017\n",
               &columns, "t.csv: ", "--columns", "'rijen'", NULL);
  ThemaImportOptions decimal = {.decimal = ";"};
  expect_error(&f, "t.csv", "gebied;A\nLeuven;1\n", "columns: indicator\nperiod: 2017\n",
               &decimal, "t.csv: ", "--decimal", "';'", NULL);
  done(&f);
}

/* ---- rollback and re-import ---- */

Test(monitor, a_failed_import_leaves_an_earlier_table_untouched) {
  Fx f = setup();
  ThemaImportResult res;
  free(import_ok(&f, "liim.csv", liim_csv, liim_meta, NULL, &res));
  long long before[4];
  snapshot(&f, before);
  cr_assert_eq(before[1], 9);
  /* The bad number sits in the last row, after many rows were written. */
  expect_error(&f, "bad.csv", "gebied;Z\nA;1\nB;2\nC;3\nD;2.77\n",
               "columns: indicator\nperiod: 2017\n", NULL, "bad.csv:5:2: ", NULL);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM source WHERE name = 'bad'"), 0);
  cr_assert_eq(th_int(f.st, "SELECT count(*) FROM indicator WHERE name = 'Z'"), 0);
  expect_value(&f, "Leuven", "Aantal nieuwkomers", "2017", 3900, "aantal");
  done(&f);
}

Test(monitor, reimporting_identical_content_is_a_no_op) {
  Fx f = setup();
  ThemaImportResult res;
  char *path = import_ok(&f, "liim.csv", liim_csv, liim_meta, NULL, &res);
  int64_t id = res.source_id;
  ThemaError err = {0};
  cr_assert_eq(import(&f, path, NULL, &res, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(res.unchanged, 1);
  cr_assert_eq(res.source_id, id);
  cr_assert_eq(res.observations, 0);
  cr_assert_eq(count(&f, "observation"), 9);
  cr_assert_eq(count(&f, "source"), 1);
  free(path);
  done(&f);
}

Test(monitor, changed_content_needs_replace) {
  Fx f = setup();
  ThemaImportResult res;
  char *path = import_ok(&f, "liim.csv", liim_csv, liim_meta, NULL, &res);
  const char changed[] = "gebied;A;B;C\nLeuven;1;2;3\n";
  free(th_write(f.dir, "liim.csv", changed, sizeof changed - 1));
  ThemaError err = {0};
  cr_assert_eq(import(&f, path, NULL, &res, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, "--replace"), "%s", err.msg);
  cr_assert_eq(count(&f, "observation"), 9);
  ThemaImportOptions opt = {.replace = 1};
  cr_assert_eq(import(&f, path, &opt, &res, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(res.replaced, 1);
  cr_assert_eq(count(&f, "observation"), 3);
  cr_assert_eq(count(&f, "source"), 1);
  free(path);
  done(&f);
}

Test(monitor, a_changed_sidecar_is_a_change_of_the_table) {
  Fx f = setup();
  ThemaImportResult res;
  char *path = import_ok(&f, "t.csv", "gebied;A\nLeuven;5\n",
                         "columns: indicator\nperiod: 2017\nunits: aantal\n", NULL, &res);
  /* The researcher fixes the unit in the sidecar only: without --replace that
   * is refused like changed content, with --replace the new unit is stored. */
  const char fixed[] = "columns: indicator\nperiod: 2017\nunits: euro\n";
  free(th_write(f.dir, "t.csv.meta", fixed, sizeof fixed - 1));
  ThemaError err = {0};
  cr_assert_eq(import(&f, path, NULL, &res, &err), THEMA_EINPUT,
               "a changed sidecar must not be reported as unchanged");
  ThemaImportOptions opt = {.replace = 1};
  cr_assert_eq(import(&f, path, &opt, &res, &err), THEMA_OK, "%s", err.msg);
  expect_value(&f, "Leuven", "A", "2017", 5, "euro");
  free(path);
  done(&f);
}

/* ---- names longer than any buffer ---- */

Test(monitor, a_long_indicator_prefix_keeps_every_indicator_whole) {
  Fx f = setup();
  /* an 1100-byte prefix: "PREFIX: Oneens" and "PREFIX: Eens" must stay two indicators */
  ThemaBuf prefix = {0}, meta = {0};
  for (int i = 0; i < 110; i++) thema_buf_puts(&prefix, "Sympathiek");
  thema_buf_printf(&meta, "columns: indicator\nperiod: 2017\nindicator: %s\n", prefix.data);
  ThemaImportResult res;
  free(import_ok(&f, "gm.csv", "gebied;Oneens;Eens\nLeuven;4%;70%\n", meta.data, NULL,
                 &res));
  cr_assert_eq(res.observations, 2);
  cr_assert_eq(count(&f, "indicator"), 2);
  ThemaBuf name = {0};
  thema_buf_printf(&name, "%s: Eens", prefix.data);
  expect_value(&f, "Leuven", name.data, "2017", 70, "%");
  thema_buf_free(&name);
  thema_buf_free(&prefix);
  thema_buf_free(&meta);
  done(&f);
}
