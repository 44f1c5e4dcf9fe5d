/*
 * qca.h — fuzzy-set Qualitative Comparative Analysis over plain arrays:
 * calibration of raw measures into set membership (Ragin's direct method in
 * the two conventions in use, the indirect method, anchors from the data),
 * necessity and sufficiency of one set for an outcome, the truth table and
 * Boolean minimisation (Quine–McCluskey with a prime implicant chart) into
 * the complex and the parsimonious solution, with their fit. No Lua and no
 * SQL: lua/bind_qca.c gives them to Lua as thema.qca.
 *
 * Formulas follow Ragin (2008, Redesigning Social Inquiry) and R's QCA
 * package (Dusa 2019); tests/unit/test_qca.c checks them on Lipset's data
 * against the published figures of tests/fixtures/qca-lipset/.
 *
 * Memberships are doubles in [0, 1]. A missing raw value is NaN, and
 * calibrates to NaN; the set-theoretic functions refuse NaN (QCA works on
 * complete cases: the caller leaves incomplete cases out and says so).
 * Matrices are row-major: case i, condition j at x[i * k + j].
 */
#ifndef THEMA_QCA_H
#define THEMA_QCA_H

#include <stddef.h>
#include <stdint.h>

#include "base/thema.h"

/* Most conditions a truth table or a minimisation takes: 3^12 implicants. */
#define THEMA_QCA_MAX_CONDITIONS 12

/* Where the full-membership anchor sits on the logistic curve. */
typedef enum ThemaQcaConvention {
  THEMA_QCA_RQCA = 0, /* R's QCA: membership 0.95 at the anchor, log-odds ln(19) */
  THEMA_QCA_FSQCA     /* Ragin's fs/QCA: log-odds exactly 3, membership 0.9526 */
} ThemaQcaConvention;

/* The three qualitative anchors of a calibration, in raw units. Either
 * exclusion < crossover < inclusion (more is more in the set) or
 * exclusion > crossover > inclusion (more is less). */
typedef struct ThemaQcaAnchors {
  double exclusion; /* full non-membership */
  double crossover; /* membership 0.5, the point of maximum ambiguity */
  double inclusion; /* full membership */
} ThemaQcaAnchors;

/* The log-odds of membership at the full-membership anchor under c. */
double thema_qca_anchor_log_odds(ThemaQcaConvention c);

/* THEMA_EINPUT unless a's anchors are finite and strictly monotone. */
int thema_qca_anchors_check(ThemaQcaAnchors a, ThemaError *err);

/* Ragin's direct method: log-odds = (raw - crossover) * s, with s =
 * L / (inclusion - crossover) above the crossover and L / (crossover -
 * exclusion) below it (L from the convention, the sign taking care of a
 * reversed set); membership = 1 / (1 + exp(-log-odds)). Values beyond an
 * anchor continue on the curve. NaN in, NaN out. */
int thema_qca_calibrate_direct(const double *raw, size_t n, ThemaQcaAnchors a,
                               ThemaQcaConvention c, double *out, ThemaError *err);

/* Ragin's indirect method: each case is first placed in a qualitative
 * category by the anchors — at or beyond exclusion 0, between exclusion and
 * crossover 1/3, at the crossover 0.5, between crossover and inclusion 2/3,
 * at or beyond inclusion 1 — and the memberships are the fitted values of a
 * fractional logit regression of those targets on the raw values (a
 * quasi-binomial GLM fitted by iteratively reweighted least squares). NaN in,
 * NaN out. THEMA_EINPUT when fewer than two distinct raw values are given or
 * the fit does not converge (categories that separate perfectly). */
int thema_qca_calibrate_indirect(const double *raw, size_t n, ThemaQcaAnchors a,
                                 double *out, ThemaError *err);

/* Anchors from the data's distribution (NaN values ignored): exclusion the
 * 5th percentile, crossover the median, inclusion the 95th percentile
 * (type-7 quantiles, as R's quantile). When two of them coincide (many tied
 * values), the range: exclusion the minimum, crossover the midpoint,
 * inclusion the maximum. THEMA_EINPUT when fewer than two distinct values. */
int thema_qca_anchors_from_data(const double *raw, size_t n, ThemaQcaAnchors *out,
                                ThemaError *err);

/* Fit of X as sufficient for Y: consistency sum(min(x,y)) / sum(x);
 * coverage sum(min(x,y)) / sum(y); PRI (proportional reduction in
 * inconsistency) (sum(min(x,y)) - sum(min(x,y,1-y))) / (sum(x) -
 * sum(min(x,y,1-y))). A figure whose denominator is 0 is NaN. */
typedef struct ThemaQcaSufficiency {
  double consistency; /* inclS */
  double pri;         /* PRI */
  double coverage;    /* covS */
} ThemaQcaSufficiency;

/* Fit of X as necessary for Y: consistency sum(min(x,y)) / sum(y);
 * coverage sum(min(x,y)) / sum(x); relevance of necessity sum(1-x) /
 * sum(1-min(x,y)) (Schneider & Wagemann 2012). NaN when undefined. */
typedef struct ThemaQcaNecessity {
  double consistency; /* inclN */
  double relevance;   /* RoN */
  double coverage;    /* covN */
} ThemaQcaNecessity;

/* THEMA_EINPUT when a value is NaN or outside [0, 1]. */
int thema_qca_sufficiency(const double *x, const double *y, size_t n,
                          ThemaQcaSufficiency *out, ThemaError *err);
int thema_qca_necessity(const double *x, const double *y, size_t n, ThemaQcaNecessity *out,
                        ThemaError *err);

/* ---- truth table ---- */

/* What a truth-table row says about the outcome. */
typedef enum ThemaQcaOutcome {
  THEMA_QCA_OUT_FALSE = 0,    /* enough cases, not consistent enough */
  THEMA_QCA_OUT_TRUE = 1,     /* enough cases, consistency and PRI at the cut-offs */
  THEMA_QCA_OUT_REMAINDER = 2 /* fewer cases than the frequency threshold */
} ThemaQcaOutcome;

typedef struct ThemaQcaTruthOptions {
  double incl_cut; /* a row's outcome is 1 from this consistency on (R: incl.cut) */
  double pri_cut;  /* ... and this PRI (R: pri.cut; 0 = no condition) */
  size_t n_cut;    /* rows with fewer cases are remainders (R: n.cut, at least 1) */
} ThemaQcaTruthOptions;

/* One configuration. Condition j is present in it when bit (k - 1 - j) of
 * config is set, so config + 1 is R's row number (first condition most
 * significant). */
typedef struct ThemaQcaRow {
  uint32_t config;         /* the configuration's bits */
  size_t n;                /* cases with membership above 0.5 in it */
  double incl;             /* sufficiency consistency of the row for the outcome */
  double pri;              /* its PRI */
  ThemaQcaOutcome outcome; /* by the options' cut-offs */
} ThemaQcaRow;

typedef struct ThemaQcaTruthTable {
  int k;             /* conditions */
  size_t nrows;      /* 2^k */
  ThemaQcaRow *rows; /* by config, owned */
  size_t ncases;     /* cases */
  int64_t *case_row; /* per case its row's config, or -1 when a membership is exactly 0.5 */
} ThemaQcaTruthTable;

/* Build the truth table of x (ncases x k) for outcome y. Every case falls
 * into the one row where all its memberships are above 0.5 (a case with a
 * membership of exactly 0.5 is in none). Consistency and PRI are computed
 * over all cases with their membership in the row (the minimum over the
 * conditions of x or 1 - x). tt is filled on success; free it with
 * thema_qca_truth_table_free. THEMA_EINPUT on bad memberships, k out of
 * 1..THEMA_QCA_MAX_CONDITIONS or options out of range. */
int thema_qca_truth_table(const double *x, const double *y, size_t ncases, int k,
                          ThemaQcaTruthOptions opts, ThemaQcaTruthTable *tt,
                          ThemaError *err);
void thema_qca_truth_table_free(ThemaQcaTruthTable *tt);

/* ---- minimisation ---- */

/* A conjunction: condition j is a literal when bit (k - 1 - j) of care is
 * set, present when the same bit of value is set, negated otherwise. */
typedef struct ThemaQcaTerm {
  uint32_t care;  /* the conditions in the term */
  uint32_t value; /* their values (0 outside care) */
} ThemaQcaTerm;

/* One model: a disjunction of prime implicants. */
typedef struct ThemaQcaModel {
  size_t nterms;       /* terms */
  ThemaQcaTerm *terms; /* owned, sorted: fewer literals first, then by literal */
} ThemaQcaModel;

typedef struct ThemaQcaSolution {
  size_t nprimes;        /* prime implicants that cover an outcome-1 row */
  ThemaQcaTerm *primes;  /* owned, sorted as terms are */
  size_t nmodels;        /* minimal covers: every one with the fewest primes */
  ThemaQcaModel *models; /* owned, sorted by their terms */
} ThemaQcaSolution;

/* Minimise the rows with outcome 1 of tt by Quine–McCluskey. With
 * remainders 0 the rows with outcome 0 and the remainders are false: the
 * complex (conservative) solution. With remainders 1 the remainders are
 * don't-cares: the parsimonious solution. The prime implicant chart keeps
 * the essential primes and adds, among the rest, every smallest set that
 * covers the remaining rows (all of them, as R's QCA lists M1, M2, ...).
 * With no outcome-1 row the solution has no model. THEMA_ERUNTIME when the
 * chart has more covers to try than the search allows. */
int thema_qca_minimise(const ThemaQcaTruthTable *tt, int remainders, ThemaQcaSolution *out,
                       ThemaError *err);
void thema_qca_solution_free(ThemaQcaSolution *s);

/* Membership of each case in term t: the minimum over its literals of x or
 * 1 - x (1 for the empty term). */
void thema_qca_term_membership(const double *x, size_t ncases, int k, ThemaQcaTerm t,
                               double *out);

/* Fit of a model as a sufficient path to y: per term its sufficiency
 * (consistency, PRI, raw coverage) and its unique coverage (the model's
 * coverage minus that of the model without the term); for the whole model
 * (the maximum over its terms) its sufficiency. */
typedef struct ThemaQcaModelFit {
  ThemaQcaSufficiency model;  /* the disjunction */
  ThemaQcaSufficiency *terms; /* per term, owned */
  double *unique_coverage;    /* per term, owned */
} ThemaQcaModelFit;

int thema_qca_model_fit(const double *x, const double *y, size_t ncases, int k,
                        const ThemaQcaModel *m, ThemaQcaModelFit *out, ThemaError *err);
void thema_qca_model_fit_free(ThemaQcaModelFit *f);

/* Append term t as an expression over names (k of them): "DEV*~IND"; the
 * empty term is "1". */
void thema_qca_term_format(ThemaQcaTerm t, const char *const *names, int k, ThemaBuf *out);

#endif
