/*
 * test_qca.c — the fuzzy-set QCA kernels (core/analysis/qca.c): calibration
 * in both conventions against values worked out by hand, the indirect method
 * against an independent IRLS fit, anchors from the data; necessity and
 * sufficiency of every Lipset condition and its negation, the truth table,
 * the complex and parsimonious solutions and their fit against the published
 * figures of tests/fixtures/qca-lipset (README there); Quine–McCluskey on
 * hand-made charts, with a cyclic one that has two minimal solutions; bad
 * input.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/qca.h"
#include "base/prng.h"
#include "text/csv.h"

/* ---- helpers ---- */

static const char *root(void) {
  const char *r = getenv("THEMA_ROOT");
  return r && *r ? r : ".";
}

/* Lipset's 18 cases: DEV URB LIT IND STB, then SURV. */
#define LN 18
#define LK 5
static const char *const lipset_names[LK] = {"DEV", "URB", "LIT", "IND", "STB"};

typedef struct Lipset {
  char cases[LN][4]; /* country codes */
  double x[LN * LK]; /* conditions, row-major */
  double y[LN];      /* SURV */
  size_t n;          /* rows read */
} Lipset;

static int lipset_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  (void)err;
  Lipset *l = ud;
  if (row->line == 1) return 0;
  cr_assert_eq(row->n, 7);
  cr_assert_lt(l->n, LN);
  snprintf(l->cases[l->n], sizeof l->cases[0], "%s", row->fields[0]);
  for (int j = 0; j < LK; j++)
    l->x[l->n * LK + (size_t)j] = strtod(row->fields[j + 1], NULL);
  l->y[l->n] = strtod(row->fields[6], NULL);
  l->n++;
  return 0;
}

static void read_lipset(const char *name, Lipset *l) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/fixtures/qca-lipset/%s", root(), name);
  FILE *in = fopen(path, "rb");
  cr_assert_not_null(in, "cannot read %s", path);
  static char text[4096];
  size_t n = fread(text, 1, sizeof text, in);
  fclose(in);
  memset(l, 0, sizeof *l);
  ThemaError err = {0};
  cr_assert_eq(thema_csv_read(path, text, n, ',', lipset_row, l, &err), THEMA_OK, "%s",
               err.msg);
  cr_assert_eq(l->n, LN);
}

/* Column j of the Lipset matrix, negated when neg. */
static void column(const Lipset *l, int j, int neg, double *out) {
  for (size_t i = 0; i < l->n; i++) {
    double v = l->x[i * LK + (size_t)j];
    out[i] = neg ? 1.0 - v : v;
  }
}

/* a equals b to the published 3 decimals. */
static void expect3(double got, double want, const char *what) {
  cr_expect(fabs(got - want) <= 0.0005 + 1e-12, "%s: %.6f, want %.3f", what, got, want);
}

static void expect_close(double got, double want, double tol, const char *what) {
  cr_expect(fabs(got - want) <= tol, "%s: %.9f, want %.9f", what, got, want);
}

static char *format_model(const ThemaQcaModel *m, const char *const *names, int k) {
  ThemaBuf b = {0};
  for (size_t t = 0; t < m->nterms; t++) {
    if (t) thema_buf_puts(&b, " + ");
    thema_qca_term_format(m->terms[t], names, k, &b);
  }
  char *s = thema_xstrdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

/* ---- calibration ---- */

Test(qca, the_conventions_place_the_inclusion_anchor_where_they_say) {
  expect_close(thema_qca_anchor_log_odds(THEMA_QCA_FSQCA), 3.0, 0, "fs/QCA log-odds");
  expect_close(thema_qca_anchor_log_odds(THEMA_QCA_RQCA), log(19.0), 1e-15, "R log-odds");
  double raw[] = {0, 10};
  double m[2];
  ThemaError err = {0};
  ThemaQcaAnchors a = {0, 5, 10};
  cr_assert_eq(thema_qca_calibrate_direct(raw, 2, a, THEMA_QCA_RQCA, m, &err), THEMA_OK);
  expect_close(m[0], 0.05, 1e-12, "R exclusion");
  expect_close(m[1], 0.95, 1e-12, "R inclusion");
  cr_assert_eq(thema_qca_calibrate_direct(raw, 2, a, THEMA_QCA_FSQCA, m, &err), THEMA_OK);
  expect_close(m[0], 0.047425873, 1e-9, "fs/QCA exclusion");
  expect_close(m[1], 0.952574127, 1e-9, "fs/QCA inclusion");
}

Test(qca, direct_calibration_by_hand_both_sides_and_beyond) {
  /* Anchors 0, 5, 20: a steeper curve below the crossover than above it.
   * fs/QCA: 7.5 -> log-odds 3 * 2.5/15 = 0.5 -> 0.622459; 2.5 -> 3 * -2.5/5
   * = -1.5 -> 0.182426; 5 -> 0.5; 35 -> 6 -> 0.997527; NaN stays NaN. */
  double raw[] = {7.5, 2.5, 5, 35, NAN};
  double m[5];
  ThemaError err = {0};
  ThemaQcaAnchors a = {0, 5, 20};
  cr_assert_eq(thema_qca_calibrate_direct(raw, 5, a, THEMA_QCA_FSQCA, m, &err), THEMA_OK);
  expect_close(m[0], 0.622459331, 1e-9, "7.5");
  expect_close(m[1], 0.182425524, 1e-9, "2.5");
  expect_close(m[2], 0.5, 0, "the crossover");
  expect_close(m[3], 0.997527377, 1e-9, "beyond inclusion");
  cr_expect(isnan(m[4]), "a missing value stays missing");
  /* R's QCA: 7.5 -> ln(19)/6 = 0.490737 -> 0.620280. */
  cr_assert_eq(thema_qca_calibrate_direct(raw, 5, a, THEMA_QCA_RQCA, m, &err), THEMA_OK);
  expect_close(m[0], 0.620280, 1e-6, "R 7.5");
}

Test(qca, a_reversed_set_calibrates_downwards) {
  /* More is less: exclusion 10, crossover 5, inclusion 0. */
  double raw[] = {0, 5, 10, 2.5};
  double m[4];
  ThemaError err = {0};
  ThemaQcaAnchors a = {10, 5, 0};
  cr_assert_eq(thema_qca_calibrate_direct(raw, 4, a, THEMA_QCA_FSQCA, m, &err), THEMA_OK);
  expect_close(m[0], 0.952574127, 1e-9, "0 is full membership");
  expect_close(m[1], 0.5, 0, "crossover");
  expect_close(m[2], 0.047425873, 1e-9, "10 is full non-membership");
  expect_close(m[3], 1 / (1 + exp(-1.5)), 1e-12, "2.5");
}

Test(qca, anchors_out_of_order_are_an_input_error) {
  double raw[] = {1}, m[1];
  const ThemaQcaAnchors bad[] = {
      {0, 10, 5}, {5, 5, 10}, {0, 0, 0}, {NAN, 1, 2}, {1, 2, INFINITY}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ThemaError err = {0};
    cr_expect_eq(thema_qca_calibrate_direct(raw, 1, bad[i], THEMA_QCA_RQCA, m, &err),
                 THEMA_EINPUT, "anchors %zu", i);
    cr_expect_eq(thema_qca_calibrate_indirect(raw, 1, bad[i], m, &err), THEMA_EINPUT);
  }
  ThemaError err = {0};
  thema_qca_anchors_check((ThemaQcaAnchors){0, 10, 5}, &err);
  cr_expect(
      strstr(err.msg, "anchors out of order (exclusion 0, crossover 10, inclusion 5)"),
      "%s", err.msg);
}

Test(qca, lipset_direct_calibration_gives_the_published_figures) {
  Lipset raw;
  read_lipset("lipset-raw.csv", &raw);
  double dev[LN], lit[LN], surv[LN], neg[LN];
  ThemaError err = {0};
  double rd[LN], rl[LN];
  column(&raw, 0, 0, rd);
  column(&raw, 2, 0, rl);
  cr_assert_eq(thema_qca_calibrate_direct(rd, LN, (ThemaQcaAnchors){350, 550, 900},
                                          THEMA_QCA_RQCA, dev, &err),
               THEMA_OK);
  cr_assert_eq(thema_qca_calibrate_direct(rl, LN, (ThemaQcaAnchors){75, 90, 99},
                                          THEMA_QCA_RQCA, lit, &err),
               THEMA_OK);
  cr_assert_eq(thema_qca_calibrate_direct(raw.y, LN, (ThemaQcaAnchors){-5, 0, 5},
                                          THEMA_QCA_RQCA, surv, &err),
               THEMA_OK);
  /* AU: DEV 720 -> ln(19) * 170/350 = 1.430156 -> 0.806926. */
  expect_close(dev[0], 0.806926, 1e-6, "AU DEV");
  ThemaQcaSufficiency s;
  struct {
    const double *x;
    int neg;
    double incl, pri, cov;
    const char *name;
  } want[] = {{dev, 0, 0.742, 0.731, 0.835, "DEV"},
              {lit, 0, 0.732, 0.719, 0.898, "LIT"},
              {dev, 1, 0.209, 0.142, 0.212, "~DEV"},
              {lit, 1, 0.169, 0.095, 0.154, "~LIT"}};
  for (size_t w = 0; w < 4; w++) {
    for (size_t i = 0; i < LN; i++) neg[i] = want[w].neg ? 1 - want[w].x[i] : want[w].x[i];
    cr_assert_eq(thema_qca_sufficiency(neg, surv, LN, &s, &err), THEMA_OK);
    expect3(s.consistency, want[w].incl, want[w].name);
    expect3(s.pri, want[w].pri, want[w].name);
    expect3(s.coverage, want[w].cov, want[w].name);
  }
  /* The fs/QCA convention moves the figures of the negations (hand-checked). */
  cr_assert_eq(thema_qca_calibrate_direct(rd, LN, (ThemaQcaAnchors){350, 550, 900},
                                          THEMA_QCA_FSQCA, dev, &err),
               THEMA_OK);
  expect_close(dev[0], 1 / (1 + exp(-3.0 * 170 / 350)), 1e-12, "AU DEV fs/QCA");
}

Test(qca, indirect_calibration_matches_an_independent_fit) {
  /* Targets by anchors 1, 3, 5: 0 0 1/3 0.5 2/3 1 1 1 1; the fitted values
   * of a fractional logit computed separately (numpy, IRLS to convergence). */
  double raw[] = {0, 1, 2, 3, 4, 5, 6, 7.5, 9, NAN};
  const double want[] = {0.01253828, 0.0516553,  0.18940224, 0.50058186, 0.81131139,
                         0.94857226, 0.98751923, 0.99857953, 0.99983992};
  double m[10];
  ThemaError err = {0};
  cr_assert_eq(thema_qca_calibrate_indirect(raw, 10, (ThemaQcaAnchors){1, 3, 5}, m, &err),
               THEMA_OK, "%s", err.msg);
  for (int i = 0; i < 9; i++) expect_close(m[i], want[i], 1e-7, "indirect");
  cr_expect(isnan(m[9]));
  /* A reversed set mirrors the fit. */
  double neg[9], mr[9];
  for (int i = 0; i < 9; i++) neg[i] = -raw[i];
  cr_assert_eq(
      thema_qca_calibrate_indirect(neg, 9, (ThemaQcaAnchors){-1, -3, -5}, mr, &err),
      THEMA_OK);
  for (int i = 0; i < 9; i++) expect_close(mr[i], want[i], 1e-7, "mirrored");
}

Test(qca, indirect_calibration_refuses_what_it_cannot_fit) {
  double same[] = {2, 2, 2}, m[4];
  ThemaError err = {0};
  cr_expect_eq(thema_qca_calibrate_indirect(same, 3, (ThemaQcaAnchors){1, 3, 5}, m, &err),
               THEMA_EINPUT);
  cr_expect(strstr(err.msg, "two distinct"), "%s", err.msg);
  /* Only full members and full non-members, perfectly apart: no finite fit. */
  double apart[] = {0, 0.5, 9, 10};
  thema_error_clear(&err);
  cr_expect_eq(thema_qca_calibrate_indirect(apart, 4, (ThemaQcaAnchors){1, 3, 5}, m, &err),
               THEMA_EINPUT);
  cr_expect(strstr(err.msg, "did not converge"), "%s", err.msg);
}

Test(qca, anchors_from_the_data) {
  double v[21];
  for (int i = 0; i < 21; i++) v[i] = 21 - i; /* unsorted on purpose */
  ThemaQcaAnchors a;
  ThemaError err = {0};
  cr_assert_eq(thema_qca_anchors_from_data(v, 21, &a, &err), THEMA_OK);
  expect_close(a.exclusion, 2, 1e-12, "5th percentile");
  expect_close(a.crossover, 11, 1e-12, "median");
  expect_close(a.inclusion, 20, 1e-12, "95th percentile");
  /* Ties: nine zeros and a one; the quantiles coincide, so the range. */
  double t[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, NAN};
  cr_assert_eq(thema_qca_anchors_from_data(t, 11, &a, &err), THEMA_OK);
  expect_close(a.exclusion, 0, 0, "min");
  expect_close(a.crossover, 0.5, 0, "midpoint");
  expect_close(a.inclusion, 1, 0, "max");
  double flat[] = {3, 3, NAN};
  cr_expect_eq(thema_qca_anchors_from_data(flat, 3, &a, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "without spread"), "%s", err.msg);
}

/* ---- necessity and sufficiency ---- */

Test(qca, set_relations_by_hand) {
  /* x = .2 .8, y = .6 .4: sum min = .6, sums of x and y 1. */
  double x[] = {0.2, 0.8}, y[] = {0.6, 0.4};
  ThemaQcaSufficiency s;
  ThemaQcaNecessity n;
  ThemaError err = {0};
  cr_assert_eq(thema_qca_sufficiency(x, y, 2, &s, &err), THEMA_OK);
  expect_close(s.consistency, 0.6, 1e-12, "inclS");
  expect_close(s.coverage, 0.6, 1e-12, "covS");
  expect_close(s.pri, 0.0, 1e-12, "PRI: (.6 - .6) / (1 - .6)");
  cr_assert_eq(thema_qca_necessity(x, y, 2, &n, &err), THEMA_OK);
  expect_close(n.consistency, 0.6, 1e-12, "inclN");
  expect_close(n.coverage, 0.6, 1e-12, "covN");
  expect_close(n.relevance, 1.0 / 1.4, 1e-12, "RoN: (.8 + .2) / (.8 + .6)");
  /* An empty set: consistency undefined, not 0. */
  double zero[] = {0, 0};
  cr_assert_eq(thema_qca_sufficiency(zero, y, 2, &s, &err), THEMA_OK);
  cr_expect(isnan(s.consistency) && isnan(s.pri));
  expect_close(s.coverage, 0, 0, "coverage of nothing");
}

Test(qca, lipset_sufficiency_and_necessity_of_every_condition_and_negation) {
  Lipset l;
  read_lipset("lipset-fuzzy.csv", &l);
  /* Published inclS / PRI / covS (README); necessity from the same sums:
   * inclN = covS, covN = inclS, and RoN hand-computed. */
  static const double suf[2][LK][3] = {{{0.775, 0.743, 0.831},
                                        {0.771, 0.720, 0.539},
                                        {0.643, 0.587, 0.991},
                                        {0.684, 0.648, 0.669},
                                        {0.707, 0.664, 0.920}},
                                       {{0.274, 0.098, 0.285},
                                        {0.402, 0.305, 0.568},
                                        {0.168, 0.000, 0.096},
                                        {0.367, 0.228, 0.417},
                                        {0.269, 0.044, 0.218}}};
  static const double ron[2][LK] = {{0.811, 0.899, 0.509, 0.786, 0.680},
                                    {0.587, 0.452, 0.764, 0.576, 0.687}};
  double x[LN];
  for (int neg = 0; neg < 2; neg++)
    for (int j = 0; j < LK; j++) {
      char what[16];
      snprintf(what, sizeof what, "%s%s", neg ? "~" : "", lipset_names[j]);
      column(&l, j, neg, x);
      ThemaQcaSufficiency s;
      ThemaQcaNecessity n;
      ThemaError err = {0};
      cr_assert_eq(thema_qca_sufficiency(x, l.y, LN, &s, &err), THEMA_OK);
      cr_assert_eq(thema_qca_necessity(x, l.y, LN, &n, &err), THEMA_OK);
      expect3(s.consistency, suf[neg][j][0], what);
      expect3(s.pri, suf[neg][j][1], what);
      expect3(s.coverage, suf[neg][j][2], what);
      expect3(n.consistency, suf[neg][j][2], what);
      expect3(n.coverage, suf[neg][j][0], what);
      expect3(n.relevance, ron[neg][j], what);
    }
}

Test(qca, bad_memberships_are_refused) {
  double y[] = {0.5, 0.5};
  const double bad[][2] = {{0.5, 1.2}, {-0.1, 0.5}, {NAN, 0.5}};
  for (int i = 0; i < 3; i++) {
    ThemaQcaSufficiency s;
    ThemaQcaNecessity n;
    ThemaError err = {0};
    cr_expect_eq(thema_qca_sufficiency(bad[i], y, 2, &s, &err), THEMA_EINPUT);
    cr_expect(strstr(err.msg, "a membership is a number in [0, 1]"), "%s", err.msg);
    cr_expect_eq(thema_qca_necessity(y, bad[i], 2, &n, &err), THEMA_EINPUT);
  }
}

/* ---- truth table and minimisation on Lipset ---- */

Test(qca, lipset_truth_table) {
  Lipset l;
  read_lipset("lipset-fuzzy.csv", &l);
  ThemaQcaTruthTable tt;
  ThemaError err = {0};
  cr_assert_eq(
      thema_qca_truth_table(l.x, l.y, LN, LK, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
      THEMA_OK, "%s", err.msg);
  cr_assert_eq(tt.nrows, 32);
  /* R's row number, n, incl, PRI, OUT, the cases (R: truthTable(LF, "SURV",
   * incl.cut = 0.8, show.cases = TRUE)). */
  struct {
    int row;
    size_t n;
    double incl, pri;
    ThemaQcaOutcome out;
    const char *cases;
  } want[] = {{1, 3, 0.216, 0.000, THEMA_QCA_OUT_FALSE, "GR,PT,ES"},
              {2, 2, 0.278, 0.000, THEMA_QCA_OUT_FALSE, "IT,RO"},
              {5, 2, 0.521, 0.113, THEMA_QCA_OUT_FALSE, "HU,PL"},
              {6, 1, 0.529, 0.228, THEMA_QCA_OUT_FALSE, "EE"},
              {22, 2, 0.804, 0.719, THEMA_QCA_OUT_TRUE, "FI,IE"},
              {23, 1, 0.378, 0.040, THEMA_QCA_OUT_FALSE, "AU"},
              {24, 2, 0.709, 0.634, THEMA_QCA_OUT_FALSE, "FR,SE"},
              {31, 1, 0.445, 0.050, THEMA_QCA_OUT_FALSE, "DE"},
              {32, 4, 0.904, 0.886, THEMA_QCA_OUT_TRUE, "BE,CZ,NL,UK"}};
  size_t observed = 0;
  for (size_t r = 0; r < tt.nrows; r++) observed += tt.rows[r].n > 0;
  cr_expect_eq(observed, 9, "9 configurations have cases");
  for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
    const ThemaQcaRow *row = &tt.rows[want[w].row - 1];
    char what[16];
    snprintf(what, sizeof what, "row %d", want[w].row);
    cr_expect_eq(row->config, (uint32_t)(want[w].row - 1));
    cr_expect_eq(row->n, want[w].n, "%s n", what);
    expect3(row->incl, want[w].incl, what);
    expect3(row->pri, want[w].pri, what);
    cr_expect_eq(row->outcome, want[w].out, "%s OUT", what);
    char cases[64] = "";
    for (size_t i = 0; i < LN; i++)
      if (tt.case_row[i] == want[w].row - 1) {
        if (*cases) strcat(cases, ",");
        strcat(cases, l.cases[i]);
      }
    cr_expect_str_eq(cases, want[w].cases, "%s cases", what);
  }
  for (size_t r = 0; r < tt.nrows; r++)
    if (tt.rows[r].n == 0) cr_expect_eq(tt.rows[r].outcome, THEMA_QCA_OUT_REMAINDER);
  thema_qca_truth_table_free(&tt);
  /* A frequency threshold of 2 makes the single-case rows remainders; a PRI
   * cut-off of 0.8 leaves only row 32 true. */
  cr_assert_eq(thema_qca_truth_table(l.x, l.y, LN, LK, (ThemaQcaTruthOptions){0.8, 0.8, 2},
                                     &tt, &err),
               THEMA_OK);
  cr_expect_eq(tt.rows[5].outcome, THEMA_QCA_OUT_REMAINDER);
  cr_expect_eq(tt.rows[22].outcome, THEMA_QCA_OUT_REMAINDER);
  cr_expect_eq(tt.rows[21].outcome, THEMA_QCA_OUT_FALSE, "row 22: PRI 0.719 < 0.8");
  cr_expect_eq(tt.rows[31].outcome, THEMA_QCA_OUT_TRUE);
  thema_qca_truth_table_free(&tt);
}

static void expect_solution(const Lipset *l, const ThemaQcaTruthTable *tt, int remainders,
                            const char *model, const double fit[3],
                            const double terms[][4]) {
  ThemaQcaSolution s;
  ThemaError err = {0};
  cr_assert_eq(thema_qca_minimise(tt, remainders, &s, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(s.nmodels, 1);
  char *got = format_model(&s.models[0], lipset_names, LK);
  cr_expect_str_eq(got, model);
  free(got);
  ThemaQcaModelFit f;
  cr_assert_eq(thema_qca_model_fit(l->x, l->y, LN, LK, &s.models[0], &f, &err), THEMA_OK);
  expect3(f.model.consistency, fit[0], "model inclS");
  expect3(f.model.pri, fit[1], "model PRI");
  expect3(f.model.coverage, fit[2], "model covS");
  for (size_t t = 0; t < s.models[0].nterms; t++) {
    expect3(f.terms[t].consistency, terms[t][0], "term inclS");
    expect3(f.terms[t].pri, terms[t][1], "term PRI");
    expect3(f.terms[t].coverage, terms[t][2], "term covS");
    expect3(f.unique_coverage[t], terms[t][3], "term covU");
  }
  thema_qca_model_fit_free(&f);
  thema_qca_solution_free(&s);
}

Test(qca, lipset_complex_and_parsimonious_solutions) {
  Lipset l;
  read_lipset("lipset-fuzzy.csv", &l);
  ThemaQcaTruthTable tt;
  ThemaError err = {0};
  cr_assert_eq(
      thema_qca_truth_table(l.x, l.y, LN, LK, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
      THEMA_OK);
  /* Complex: the two true rows, which differ in two conditions, stay apart.
   * DEV*URB*LIT*IND*STB is the published 0.904 / 0.886 / 0.454. */
  const double cfit[3] = {0.870, 0.843, 0.658};
  const double cterms[][4] = {{0.904, 0.886, 0.454, 0.393}, {0.804, 0.719, 0.265, 0.204}};
  expect_solution(&l, &tt, 0, "DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB", cfit, cterms);
  /* Parsimonious (R: minimize(ttLF, include = "?")). DEV*~IND is the
   * published 0.815 / 0.721 / 0.284. */
  const double pfit[3] = {0.850, 0.819, 0.714};
  const double pterms[][4] = {{0.815, 0.721, 0.284, 0.194}, {0.874, 0.845, 0.520, 0.430}};
  expect_solution(&l, &tt, 1, "DEV*~IND + URB*STB", pfit, pterms);
  thema_qca_truth_table_free(&tt);
}

Test(qca, lipset_published_fit_of_other_expressions) {
  /* LIT*STB and DEV*~IND + LIT*STB as published (README): not a solution
   * (LIT*STB covers row 24, FR and SE, whose outcome is 0), but their fit. */
  Lipset l;
  read_lipset("lipset-fuzzy.csv", &l);
  ThemaQcaModel m = {2, (ThemaQcaTerm[]){{0x12, 0x10}, {0x05, 0x05}}};
  ThemaQcaModelFit f;
  ThemaError err = {0};
  cr_assert_eq(thema_qca_model_fit(l.x, l.y, LN, LK, &m, &f, &err), THEMA_OK);
  char *s = format_model(&m, lipset_names, LK);
  cr_expect_str_eq(s, "DEV*~IND + LIT*STB");
  free(s);
  expect3(f.terms[1].consistency, 0.793, "LIT*STB inclS");
  expect3(f.terms[1].pri, 0.759, "LIT*STB PRI");
  expect3(f.terms[1].coverage, 0.915, "LIT*STB covS");
  expect3(f.model.consistency, 0.793, "model inclS");
  expect3(f.model.pri, 0.759, "model PRI");
  expect3(f.model.coverage, 0.918, "model covS");
  thema_qca_model_fit_free(&f);
}

/* ---- minimisation on hand-made charts ---- */

/* A crisp truth table of k conditions: one case per config in configs with
 * outcome outs[i]. */
static void crisp_table(int k, const uint32_t *configs, const double *outs, size_t n,
                        ThemaQcaTruthTable *tt) {
  double x[64 * 3], y[64];
  for (size_t i = 0; i < n; i++) {
    for (int j = 0; j < k; j++)
      x[i * (size_t)k + (size_t)j] = (configs[i] >> (k - 1 - j)) & 1;
    y[i] = outs[i];
  }
  ThemaError err = {0};
  cr_assert_eq(
      thema_qca_truth_table(x, y, n, k, (ThemaQcaTruthOptions){0.8, 0, 1}, tt, &err),
      THEMA_OK, "%s", err.msg);
}

Test(qca, remainders_simplify_the_parsimonious_solution) {
  /* True 011 110 111, false 000 001, remainders 010 100 101. Complex:
   * A*B + B*C; parsimonious: B. */
  static const char *const abc[] = {"A", "B", "C"};
  uint32_t configs[] = {3, 6, 7, 0, 1};
  double outs[] = {1, 1, 1, 0, 0};
  ThemaQcaTruthTable tt;
  crisp_table(3, configs, outs, 5, &tt);
  ThemaQcaSolution s;
  ThemaError err = {0};
  cr_assert_eq(thema_qca_minimise(&tt, 0, &s, &err), THEMA_OK);
  cr_assert_eq(s.nmodels, 1);
  char *m = format_model(&s.models[0], abc, 3);
  cr_expect_str_eq(m, "A*B + B*C");
  free(m);
  thema_qca_solution_free(&s);
  cr_assert_eq(thema_qca_minimise(&tt, 1, &s, &err), THEMA_OK);
  cr_assert_eq(s.nmodels, 1);
  m = format_model(&s.models[0], abc, 3);
  cr_expect_str_eq(m, "B");
  free(m);
  cr_expect_eq(s.nprimes, 2, "A and B are both prime");
  thema_qca_solution_free(&s);
  thema_qca_truth_table_free(&tt);
}

Test(qca, a_cyclic_chart_has_two_minimal_solutions) {
  /* Minterms 0 1 2 5 6 7 of ABC: six primes, no essential one, two covers
   * of three primes each. */
  static const char *const abc[] = {"A", "B", "C"};
  uint32_t configs[] = {0, 1, 2, 3, 4, 5, 6, 7};
  double outs[] = {1, 1, 1, 0, 0, 1, 1, 1};
  ThemaQcaTruthTable tt;
  crisp_table(3, configs, outs, 8, &tt);
  ThemaQcaSolution s;
  ThemaError err = {0};
  cr_assert_eq(thema_qca_minimise(&tt, 0, &s, &err), THEMA_OK);
  cr_expect_eq(s.nprimes, 6);
  cr_assert_eq(s.nmodels, 2);
  char *m1 = format_model(&s.models[0], abc, 3), *m2 = format_model(&s.models[1], abc, 3);
  cr_expect_str_eq(m1, "A*B + ~A*~C + ~B*C");
  cr_expect_str_eq(m2, "A*C + ~A*~B + B*~C");
  free(m1);
  free(m2);
  thema_qca_solution_free(&s);
  thema_qca_truth_table_free(&tt);
}

Test(qca, no_true_row_no_model_and_everything_true_is_one) {
  static const char *const ab[] = {"A", "B"};
  uint32_t configs[] = {0, 1, 2, 3};
  double none[] = {0, 0, 0, 0}, all[] = {1, 1, 1, 1};
  ThemaQcaTruthTable tt;
  ThemaQcaSolution s;
  ThemaError err = {0};
  crisp_table(2, configs, none, 4, &tt);
  cr_assert_eq(thema_qca_minimise(&tt, 1, &s, &err), THEMA_OK);
  cr_expect_eq(s.nmodels, 0);
  thema_qca_solution_free(&s);
  thema_qca_truth_table_free(&tt);
  crisp_table(2, configs, all, 4, &tt);
  cr_assert_eq(thema_qca_minimise(&tt, 0, &s, &err), THEMA_OK);
  cr_assert_eq(s.nmodels, 1);
  char *m = format_model(&s.models[0], ab, 2);
  cr_expect_str_eq(m, "1");
  free(m);
  thema_qca_solution_free(&s);
  thema_qca_truth_table_free(&tt);
}

Test(qca, a_case_at_exactly_half_is_in_no_row) {
  double x[] = {0.5, 0.9, 0.9, 0.9}, y[] = {1, 1};
  ThemaQcaTruthTable tt;
  ThemaError err = {0};
  cr_assert_eq(
      thema_qca_truth_table(x, y, 2, 2, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
      THEMA_OK);
  cr_expect_eq(tt.case_row[0], -1);
  cr_expect_eq(tt.case_row[1], 3);
  cr_expect_eq(tt.rows[3].n, 1);
  thema_qca_truth_table_free(&tt);
}

Test(qca, truth_table_bad_input) {
  double x[] = {0.2, 1.5}, y[] = {0.5};
  ThemaQcaTruthTable tt;
  ThemaError err = {0};
  cr_expect_eq(
      thema_qca_truth_table(x, y, 1, 2, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
      THEMA_EINPUT);
  cr_expect(strstr(err.msg, "is 1.5"), "%s", err.msg);
  double ok[] = {0.2, 0.7};
  thema_error_clear(&err);
  cr_expect_eq(
      thema_qca_truth_table(ok, y, 1, 0, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
      THEMA_EINPUT);
  thema_error_clear(&err);
  cr_expect_eq(
      thema_qca_truth_table(ok, y, 1, 13, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
      THEMA_EINPUT);
  thema_error_clear(&err);
  cr_expect_eq(
      thema_qca_truth_table(ok, y, 1, 2, (ThemaQcaTruthOptions){1.2, 0, 1}, &tt, &err),
      THEMA_EINPUT);
  thema_error_clear(&err);
  cr_expect_eq(
      thema_qca_truth_table(ok, y, 1, 2, (ThemaQcaTruthOptions){0.8, 0, 0}, &tt, &err),
      THEMA_EINPUT);
}

/* ---- minimisation against brute force on random truth tables ---- */

/* Whether s more of the implicants imp[from..n), added to the configs
 * already covered, cover every config in need. */
static int cover_exists(const ThemaQcaTerm *imp, size_t n, size_t from, size_t s,
                        const uint8_t *need, int nconf, uint8_t *covered) {
  if (s == 0) {
    for (int c = 0; c < nconf; c++)
      if (need[c] && !covered[c]) return 0;
    return 1;
  }
  for (size_t i = from; i < n; i++) {
    uint8_t saved[16];
    memcpy(saved, covered, (size_t)nconf);
    for (int c = 0; c < nconf; c++)
      if (((uint32_t)c & imp[i].care) == imp[i].value) covered[c] = 1;
    int ok = cover_exists(imp, n, i + 1, s - 1, need, nconf, covered);
    memcpy(covered, saved, (size_t)nconf);
    if (ok) return 1;
  }
  return 0;
}

Test(qca, minimal_models_are_prime_covers_with_no_smaller_cover) {
  enum { K = 4, NCONF = 1 << K };
  ThemaPrng g;
  thema_prng_seed(&g, 20261202);
  size_t checked = 0;
  for (int trial = 0; trial < 150; trial++) {
    /* Per configuration: 0 remainder, 1 true, 2 false (one crisp case each). */
    int kind[NCONF];
    double x[NCONF * K], y[NCONF];
    size_t n = 0;
    for (int c = 0; c < NCONF; c++) {
      kind[c] = (int)thema_prng_index(&g, 3);
      if (kind[c] == 0) continue;
      for (int j = 0; j < K; j++) x[n * K + (size_t)j] = (c >> (K - 1 - j)) & 1;
      y[n++] = kind[c] == 1 ? 1.0 : 0.0;
    }
    if (n == 0) continue;
    ThemaQcaTruthTable tt;
    ThemaError err = {0};
    cr_assert_eq(
        thema_qca_truth_table(x, y, n, K, (ThemaQcaTruthOptions){0.8, 0, 1}, &tt, &err),
        THEMA_OK);
    for (int remainders = 0; remainders < 2; remainders++) {
      /* Forbidden: false rows, and remainders in the complex solution. */
      uint8_t need[NCONF], forbid[NCONF];
      int any = 0;
      for (int c = 0; c < NCONF; c++) {
        need[c] = kind[c] == 1;
        forbid[c] = kind[c] == 2 || (!remainders && kind[c] == 0);
        any |= need[c];
      }
      /* Every implicant: a term covering a needed row and no forbidden one. */
      ThemaQcaTerm imp[81];
      size_t nimp = 0;
      for (uint32_t care = 0; care < NCONF; care++)
        for (uint32_t value = 0; value < NCONF; value++) {
          if (value & ~care) continue;
          int useful = 0, bad = 0;
          for (int c = 0; c < NCONF; c++)
            if (((uint32_t)c & care) == value) useful |= need[c], bad |= forbid[c];
          if (useful && !bad) imp[nimp++] = (ThemaQcaTerm){care, value};
        }
      ThemaQcaSolution s;
      cr_assert_eq(thema_qca_minimise(&tt, remainders, &s, &err), THEMA_OK, "%s", err.msg);
      if (!any) {
        cr_expect_eq(s.nmodels, 0);
        thema_qca_solution_free(&s);
        continue;
      }
      cr_assert_gt(s.nmodels, 0, "trial %d", trial);
      size_t size = s.models[0].nterms;
      uint8_t covered[NCONF] = {0};
      for (size_t smaller = 1; smaller < size; smaller++)
        cr_expect(!cover_exists(imp, nimp, 0, smaller, need, NCONF, covered),
                  "trial %d: a cover of %zu terms exists, the models have %zu", trial,
                  smaller, size);
      for (size_t m = 0; m < s.nmodels; m++) {
        const ThemaQcaModel *model = &s.models[m];
        cr_expect_eq(model->nterms, size, "every model is minimal");
        if (m)
          cr_expect_neq(
              memcmp(model->terms, s.models[m - 1].terms, size * sizeof *model->terms), 0);
        uint8_t cov[NCONF] = {0};
        for (size_t t = 0; t < model->nterms; t++) {
          ThemaQcaTerm term = model->terms[t];
          for (int c = 0; c < NCONF; c++)
            if (((uint32_t)c & term.care) == term.value) {
              cov[c] = 1;
              cr_expect(!forbid[c], "trial %d: a term covers forbidden row %d", trial, c);
            }
          /* Prime: dropping any literal makes it cover a forbidden row. */
          for (int j = 0; j < K; j++) {
            uint32_t b = 1u << j;
            if (!(term.care & b)) continue;
            ThemaQcaTerm wider = {term.care & ~b, term.value & ~b};
            int bad = 0;
            for (int c = 0; c < NCONF; c++)
              if (((uint32_t)c & wider.care) == wider.value) bad |= forbid[c];
            cr_expect(bad, "trial %d: a term is not prime", trial);
          }
        }
        for (int c = 0; c < NCONF; c++)
          if (need[c]) cr_expect(cov[c], "trial %d: true row %d uncovered", trial, c);
      }
      checked++;
      thema_qca_solution_free(&s);
    }
    thema_qca_truth_table_free(&tt);
  }
  cr_expect_gt(checked, 250);
}
