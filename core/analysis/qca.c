/*
 * qca.c — calibration, set relations, the truth table and Quine–McCluskey
 * minimisation of fuzzy-set QCA (see qca.h for the formulas). Every sum runs
 * in case order, so the figures are the same bits on every run.
 *
 * Minimisation works on the 3^k implicants of k conditions, each a ternary
 * number whose digit j is 0 (condition j negated), 1 (present) or 2 (absent
 * from the term): merging two implicants that differ in one digit 0/1 gives
 * the one with a 2 there, so Quine–McCluskey's tables are one byte array
 * walked by the number of 2s, with no list to search.
 */
#include "analysis/qca.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bit of condition j among k in a configuration, care or value word. */
static uint32_t cond_bit(int k, int j) { return (uint32_t)1 << (k - 1 - j); }

double thema_qca_anchor_log_odds(ThemaQcaConvention c) {
  /* R's QCA places 0.95 at the anchor (argument idm); fs/QCA uses log-odds
   * of exactly 3, i.e. 1 / (1 + e^-3) = 0.952574. */
  return c == THEMA_QCA_FSQCA ? 3.0 : log(0.95 / 0.05);
}

int thema_qca_anchors_check(ThemaQcaAnchors a, ThemaError *err) {
  if (!isfinite(a.exclusion) || !isfinite(a.crossover) || !isfinite(a.inclusion))
    return thema_error_set(err, THEMA_EINPUT, "anchors must be finite numbers");
  int up = a.exclusion < a.crossover && a.crossover < a.inclusion;
  int down = a.exclusion > a.crossover && a.crossover > a.inclusion;
  if (!up && !down)
    return thema_error_set(
        err, THEMA_EINPUT,
        "anchors out of order (exclusion %g, crossover %g, inclusion %g); "
        "the crossover must lie strictly between the other two",
        a.exclusion, a.crossover, a.inclusion);
  return THEMA_OK;
}

int thema_qca_calibrate_direct(const double *raw, size_t n, ThemaQcaAnchors a,
                               ThemaQcaConvention c, double *out, ThemaError *err) {
  if (thema_qca_anchors_check(a, err)) return err->status;
  double lo = thema_qca_anchor_log_odds(c);
  int up = a.inclusion > a.crossover;
  /* Per side, the log-odds per raw unit; negative for a reversed set. */
  double above = lo / (a.inclusion - a.crossover);
  double below = lo / (a.crossover - a.exclusion);
  for (size_t i = 0; i < n; i++) {
    if (isnan(raw[i])) {
      out[i] = NAN;
      continue;
    }
    double d = raw[i] - a.crossover;
    double odds = d * ((up ? d >= 0 : d <= 0) ? above : below);
    out[i] = 1.0 / (1.0 + exp(-odds));
  }
  return THEMA_OK;
}

/* The qualitative category of raw value v by the anchors, as a target
 * membership (qca.h). */
static double indirect_target(double v, ThemaQcaAnchors a) {
  if (a.inclusion < a.crossover) { /* a reversed set: mirror it */
    v = -v;
    a.exclusion = -a.exclusion;
    a.crossover = -a.crossover;
    a.inclusion = -a.inclusion;
  }
  if (v <= a.exclusion) return 0.0;
  if (v >= a.inclusion) return 1.0;
  if (v == a.crossover) return 0.5;
  return v < a.crossover ? 1.0 / 3.0 : 2.0 / 3.0;
}

int thema_qca_calibrate_indirect(const double *raw, size_t n, ThemaQcaAnchors a,
                                 double *out, ThemaError *err) {
  if (thema_qca_anchors_check(a, err)) return err->status;
  /* Standardise the raw values so the fit's scale does not depend on units. */
  double sum = 0, sq = 0;
  size_t m = 0;
  double first = NAN;
  int distinct = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(raw[i])) continue;
    if (m == 0) first = raw[i];
    if (raw[i] != first) distinct = 1;
    sum += raw[i];
    m++;
  }
  if (!distinct)
    return thema_error_set(err, THEMA_EINPUT,
                           "indirect calibration needs at least two distinct raw values");
  double mean = sum / (double)m;
  for (size_t i = 0; i < n; i++)
    if (!isnan(raw[i])) sq += (raw[i] - mean) * (raw[i] - mean);
  double sd = sqrt(sq / (double)(m - 1));
  /* Fractional logit: IRLS for the quasi-binomial GLM target ~ z. */
  double b0 = 0, b1 = 0;
  int converged = 0;
  for (int iter = 0; iter < 100 && !converged; iter++) {
    double sw = 0, swz = 0, swzz = 0, swr = 0, swzr = 0;
    for (size_t i = 0; i < n; i++) {
      if (isnan(raw[i])) continue;
      double z = (raw[i] - mean) / sd;
      double eta = b0 + b1 * z;
      double mu = 1.0 / (1.0 + exp(-eta));
      double w = mu * (1.0 - mu);
      if (w < 1e-12) w = 1e-12;
      double r = eta + (indirect_target(raw[i], a) - mu) / w;
      sw += w;
      swz += w * z;
      swzz += w * z * z;
      swr += w * r;
      swzr += w * z * r;
    }
    double det = sw * swzz - swz * swz;
    if (!(fabs(det) > 1e-300)) break;
    double n0 = (swzz * swr - swz * swzr) / det;
    double n1 = (sw * swzr - swz * swr) / det;
    converged = fabs(n0 - b0) < 1e-10 && fabs(n1 - b1) < 1e-10;
    b0 = n0;
    b1 = n1;
    if (!isfinite(b0) || !isfinite(b1) || fabs(b1) > 1e6) break;
  }
  if (!converged)
    return thema_error_set(err, THEMA_EINPUT,
                           "indirect calibration did not converge (the anchors' categories "
                           "separate the cases perfectly); use the direct method");
  for (size_t i = 0; i < n; i++)
    out[i] = isnan(raw[i]) ? NAN : 1.0 / (1.0 + exp(-(b0 + b1 * (raw[i] - mean) / sd)));
  return THEMA_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Type-7 quantile p of the sorted values v[0..n). */
static double quantile7(const double *v, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return v[n - 1];
  return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

int thema_qca_anchors_from_data(const double *raw, size_t n, ThemaQcaAnchors *out,
                                ThemaError *err) {
  double *v = thema_xmalloc((n ? n : 1) * sizeof *v);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(raw[i])) v[m++] = raw[i];
  qsort(v, m, sizeof *v, cmp_double);
  int rc = THEMA_OK;
  if (m < 2 || v[0] == v[m - 1]) {
    rc = thema_error_set(err, THEMA_EINPUT,
                         "cannot derive anchors from %zu value%s without spread; give the "
                         "anchors (exclusion, crossover, inclusion)",
                         m, m == 1 ? "" : "s");
    goto done;
  }
  ThemaQcaAnchors a = {quantile7(v, m, 0.05), quantile7(v, m, 0.5), quantile7(v, m, 0.95)};
  if (!(a.exclusion < a.crossover && a.crossover < a.inclusion))
    a = (ThemaQcaAnchors){v[0], v[0] + (v[m - 1] - v[0]) / 2, v[m - 1]};
  *out = a;
done:
  free(v);
  return rc;
}

/* THEMA_EINPUT unless every value of v[0..n) is a membership. */
static int check_memberships(const double *v, size_t n, const char *what, ThemaError *err) {
  for (size_t i = 0; i < n; i++)
    if (!(v[i] >= 0.0 && v[i] <= 1.0))
      return thema_error_set(err, THEMA_EINPUT,
                             "%s of case %zu is %g; a membership is a number in [0, 1]",
                             what, i + 1, v[i]);
  return THEMA_OK;
}

/* The sums both set relations need. */
typedef struct Sums {
  double x, y, xy, xyny; /* sum x, sum y, sum min(x,y), sum min(x,y,1-y) */
  double nx, nxy;        /* sum 1-x, sum 1-min(x,y) */
} Sums;

static Sums set_sums(const double *x, const double *y, size_t n) {
  Sums s = {0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    double xy = fmin(x[i], y[i]);
    s.x += x[i];
    s.y += y[i];
    s.xy += xy;
    s.xyny += fmin(xy, 1.0 - y[i]);
    s.nx += 1.0 - x[i];
    s.nxy += 1.0 - xy;
  }
  return s;
}

/* a / b, NaN when b is 0 (a figure without cases to speak of). */
static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

static ThemaQcaSufficiency sufficiency_of(const double *x, const double *y, size_t n) {
  Sums s = set_sums(x, y, n);
  return (ThemaQcaSufficiency){ratio(s.xy, s.x), ratio(s.xy - s.xyny, s.x - s.xyny),
                               ratio(s.xy, s.y)};
}

int thema_qca_sufficiency(const double *x, const double *y, size_t n,
                          ThemaQcaSufficiency *out, ThemaError *err) {
  if (check_memberships(x, n, "the condition", err) ||
      check_memberships(y, n, "the outcome", err))
    return err->status;
  *out = sufficiency_of(x, y, n);
  return THEMA_OK;
}

int thema_qca_necessity(const double *x, const double *y, size_t n, ThemaQcaNecessity *out,
                        ThemaError *err) {
  if (check_memberships(x, n, "the condition", err) ||
      check_memberships(y, n, "the outcome", err))
    return err->status;
  Sums s = set_sums(x, y, n);
  *out = (ThemaQcaNecessity){ratio(s.xy, s.y), ratio(s.nx, s.nxy), ratio(s.xy, s.x)};
  return THEMA_OK;
}

/* ---- truth table ---- */

void thema_qca_term_membership(const double *x, size_t ncases, int k, ThemaQcaTerm t,
                               double *out) {
  for (size_t i = 0; i < ncases; i++) {
    double m = 1.0;
    for (int j = 0; j < k; j++) {
      uint32_t b = cond_bit(k, j);
      if (!(t.care & b)) continue;
      double v = x[i * (size_t)k + (size_t)j];
      m = fmin(m, (t.value & b) ? v : 1.0 - v);
    }
    out[i] = m;
  }
}

int thema_qca_truth_table(const double *x, const double *y, size_t ncases, int k,
                          ThemaQcaTruthOptions opts, ThemaQcaTruthTable *tt,
                          ThemaError *err) {
  memset(tt, 0, sizeof *tt);
  if (k < 1 || k > THEMA_QCA_MAX_CONDITIONS)
    return thema_error_set(err, THEMA_EINPUT,
                           "a truth table takes 1 to %d conditions, not %d",
                           THEMA_QCA_MAX_CONDITIONS, k);
  if (!(opts.incl_cut >= 0 && opts.incl_cut <= 1) ||
      !(opts.pri_cut >= 0 && opts.pri_cut <= 1))
    return thema_error_set(err, THEMA_EINPUT,
                           "the consistency and PRI cut-offs must lie in [0, 1]");
  if (opts.n_cut < 1)
    return thema_error_set(err, THEMA_EINPUT, "the frequency threshold must be at least 1");
  if (check_memberships(x, ncases * (size_t)k, "a condition's membership (cell)", err) ||
      check_memberships(y, ncases, "the outcome", err))
    return err->status;
  size_t nrows = (size_t)1 << k;
  uint32_t all = (uint32_t)(nrows - 1);
  tt->k = k;
  tt->nrows = nrows;
  tt->ncases = ncases;
  tt->rows = thema_xcalloc(nrows, sizeof *tt->rows);
  tt->case_row = thema_xmalloc((ncases ? ncases : 1) * sizeof *tt->case_row);
  for (size_t i = 0; i < ncases; i++) {
    uint32_t config = 0;
    int ambiguous = 0;
    for (int j = 0; j < k; j++) {
      double v = x[i * (size_t)k + (size_t)j];
      if (v == 0.5) ambiguous = 1;
      if (v > 0.5) config |= cond_bit(k, j);
    }
    tt->case_row[i] = ambiguous ? -1 : (int64_t)config;
    if (!ambiguous) tt->rows[config].n++;
  }
  double *m = thema_xmalloc((ncases ? ncases : 1) * sizeof *m);
  for (size_t r = 0; r < nrows; r++) {
    ThemaQcaRow *row = &tt->rows[r];
    row->config = (uint32_t)r;
    thema_qca_term_membership(x, ncases, k, (ThemaQcaTerm){all, (uint32_t)r}, m);
    ThemaQcaSufficiency s = sufficiency_of(m, y, ncases);
    row->incl = s.consistency;
    row->pri = s.pri;
    /* A tolerance for cut-offs typed in decimal (0.8 is not a double). */
    if (row->n < opts.n_cut)
      row->outcome = THEMA_QCA_OUT_REMAINDER;
    else if (row->incl >= opts.incl_cut - 1e-12 && row->pri >= opts.pri_cut - 1e-12)
      row->outcome = THEMA_QCA_OUT_TRUE;
    else
      row->outcome = THEMA_QCA_OUT_FALSE;
  }
  free(m);
  return THEMA_OK;
}

void thema_qca_truth_table_free(ThemaQcaTruthTable *tt) {
  free(tt->rows);
  free(tt->case_row);
  memset(tt, 0, sizeof *tt);
}

/* ---- minimisation ---- */

/* Most covers of the prime implicant chart tried before giving up. */
#define MAX_COVER_TRIES 5000000UL

static ThemaQcaTerm term_of_ternary(size_t t, int k) {
  ThemaQcaTerm term = {0, 0};
  for (int j = 0; j < k; j++, t /= 3) {
    unsigned d = (unsigned)(t % 3);
    if (d == 2) continue;
    term.care |= cond_bit(k, j);
    if (d == 1) term.value |= cond_bit(k, j);
  }
  return term;
}

static size_t ternary_of_config(uint32_t config, int k) {
  size_t t = 0, w = 1;
  for (int j = 0; j < k; j++, w *= 3)
    if (config & cond_bit(k, j)) t += w;
  return t;
}

static int popcount32(uint32_t v) {
  int c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}

/* The k the comparator sorts terms for (qsort has no context argument). */
static _Thread_local int sort_k;

/* Fewer literals first; then condition by condition, present before negated
 * before absent, so DEV*~IND comes before URB*STB. */
static int cmp_term_k(ThemaQcaTerm a, ThemaQcaTerm b, int k) {
  int la = popcount32(a.care), lb = popcount32(b.care);
  if (la != lb) return la < lb ? -1 : 1;
  for (int j = 0; j < k; j++) {
    uint32_t bit = cond_bit(k, j);
    int ka = !(a.care & bit) ? 2 : (a.value & bit) ? 0 : 1;
    int kb = !(b.care & bit) ? 2 : (b.value & bit) ? 0 : 1;
    if (ka != kb) return ka < kb ? -1 : 1;
  }
  return 0;
}

static int cmp_term(const void *a, const void *b) {
  return cmp_term_k(*(const ThemaQcaTerm *)a, *(const ThemaQcaTerm *)b, sort_k);
}

static int cmp_model(const void *a, const void *b) {
  const ThemaQcaModel *x = a, *y = b;
  if (x->nterms != y->nterms) return x->nterms < y->nterms ? -1 : 1;
  for (size_t i = 0; i < x->nterms; i++) {
    int c = cmp_term_k(x->terms[i], y->terms[i], sort_k);
    if (c) return c;
  }
  return 0;
}

static int covers(ThemaQcaTerm t, uint32_t config) { return (config & t.care) == t.value; }

/* The prime implicants of the true rows (and of the remainders when they are
 * don't-cares), as terms in out[0..*n); the caller frees *out. */
static ThemaQcaTerm *prime_implicants(const ThemaQcaTruthTable *tt, int remainders,
                                      size_t *n) {
  int k = tt->k;
  size_t size = 1;
  for (int j = 0; j < k; j++) size *= 3;
  enum { PRESENT = 1, COMBINED = 2 };
  uint8_t *state = thema_xcalloc(size, 1);
  uint8_t *dashes = thema_xcalloc(size, 1);
  for (size_t t = 0; t < size; t++) {
    int d = 0;
    for (size_t v = t; v; v /= 3) d += v % 3 == 2;
    dashes[t] = (uint8_t)d;
  }
  for (size_t r = 0; r < tt->nrows; r++) {
    ThemaQcaOutcome o = tt->rows[r].outcome;
    if (o == THEMA_QCA_OUT_TRUE || (remainders && o == THEMA_QCA_OUT_REMAINDER))
      state[ternary_of_config((uint32_t)r, k)] = PRESENT;
  }
  for (int d = 0; d < k; d++) {
    for (size_t t = 0; t < size; t++) {
      if (dashes[t] != d || !(state[t] & PRESENT)) continue;
      size_t w = 1;
      for (int j = 0; j < k; j++, w *= 3) {
        if ((t / w) % 3 != 0) continue;
        size_t partner = t + w;
        if (!(state[partner] & PRESENT)) continue;
        state[t + 2 * w] |= PRESENT;
        state[t] |= COMBINED;
        state[partner] |= COMBINED;
      }
    }
  }
  size_t count = 0;
  for (size_t t = 0; t < size; t++) count += state[t] == PRESENT;
  ThemaQcaTerm *primes = thema_xmalloc((count ? count : 1) * sizeof *primes);
  *n = 0;
  for (size_t t = 0; t < size; t++)
    if (state[t] == PRESENT) primes[(*n)++] = term_of_ternary(t, k);
  free(state);
  free(dashes);
  return primes;
}

/* The search for smallest covers of the chart's remaining rows. */
typedef struct Chart {
  size_t nmin;             /* true rows */
  const uint32_t *minterm; /* their configs */
  size_t ncand;            /* primes that are not essential */
  const ThemaQcaTerm *cand;
  uint8_t *covered;    /* per true row: covered by the essentials (1) */
  size_t *pick;        /* the combination being tried */
  unsigned long tries; /* combinations tried so far */
} Chart;

static int covers_rest(const Chart *c, size_t s) {
  for (size_t m = 0; m < c->nmin; m++) {
    if (c->covered[m]) continue;
    size_t i = 0;
    while (i < s && !covers(c->cand[c->pick[i]], c->minterm[m])) i++;
    if (i == s) return 0;
  }
  return 1;
}

static void add_model(ThemaQcaSolution *out, const ThemaQcaTerm *ess, size_t ness,
                      const Chart *c, size_t s, int k) {
  ThemaQcaModel *m = &out->models[out->nmodels++];
  m->nterms = ness + s;
  m->terms = thema_xmalloc((m->nterms ? m->nterms : 1) * sizeof *m->terms);
  memcpy(m->terms, ess, ness * sizeof *ess);
  for (size_t i = 0; i < s; i++) m->terms[ness + i] = c->cand[c->pick[i]];
  sort_k = k;
  qsort(m->terms, m->nterms, sizeof *m->terms, cmp_term);
}

int thema_qca_minimise(const ThemaQcaTruthTable *tt, int remainders, ThemaQcaSolution *out,
                       ThemaError *err) {
  memset(out, 0, sizeof *out);
  int k = tt->k, rc = THEMA_OK;
  size_t nall;
  ThemaQcaTerm *all = prime_implicants(tt, remainders, &nall);
  uint32_t *minterm = thema_xmalloc((tt->nrows ? tt->nrows : 1) * sizeof *minterm);
  size_t nmin = 0;
  for (size_t r = 0; r < tt->nrows; r++)
    if (tt->rows[r].outcome == THEMA_QCA_OUT_TRUE) minterm[nmin++] = (uint32_t)r;
  /* Keep the primes that cover a true row; a prime made of remainders only
   * explains no case. */
  out->primes = thema_xmalloc((nall ? nall : 1) * sizeof *out->primes);
  for (size_t p = 0; p < nall; p++) {
    size_t m = 0;
    while (m < nmin && !covers(all[p], minterm[m])) m++;
    if (m < nmin) out->primes[out->nprimes++] = all[p];
  }
  sort_k = k;
  qsort(out->primes, out->nprimes, sizeof *out->primes, cmp_term);
  size_t np = out->nprimes;
  uint8_t *essential = thema_xcalloc(np ? np : 1, 1);
  uint8_t *covered = thema_xcalloc(nmin ? nmin : 1, 1);
  ThemaQcaTerm *ess = thema_xmalloc((np ? np : 1) * sizeof *ess);
  ThemaQcaTerm *cand = thema_xmalloc((np ? np : 1) * sizeof *cand);
  size_t *pick = thema_xmalloc((np ? np : 1) * sizeof *pick);
  size_t ness = 0, ncand = 0;
  if (nmin == 0) goto done;
  for (size_t m = 0; m < nmin; m++) {
    size_t only = 0, count = 0;
    for (size_t p = 0; p < np; p++)
      if (covers(out->primes[p], minterm[m])) count++, only = p;
    if (count == 1) essential[only] = 1;
  }
  for (size_t p = 0; p < np; p++) {
    if (!essential[p]) continue;
    ess[ness++] = out->primes[p];
    for (size_t m = 0; m < nmin; m++)
      if (covers(out->primes[p], minterm[m])) covered[m] = 1;
  }
  for (size_t p = 0; p < np; p++) {
    if (essential[p]) continue;
    size_t m = 0;
    while (m < nmin && (covered[m] || !covers(out->primes[p], minterm[m]))) m++;
    if (m < nmin) cand[ncand++] = out->primes[p];
  }
  Chart c = {nmin, minterm, ncand, cand, covered, pick, 0};
  size_t cap = 0;
  for (size_t s = 0; s <= ncand && out->nmodels == 0; s++) {
    /* Every s-subset of the candidates, in lexicographic order. */
    for (size_t i = 0; i < s; i++) pick[i] = i;
    for (;;) {
      if (++c.tries > MAX_COVER_TRIES) {
        rc = thema_error_set(err, THEMA_ERUNTIME,
                             "the prime implicant chart has too many covers to try (%zu "
                             "candidate primes); use fewer conditions",
                             ncand);
        goto done;
      }
      if (covers_rest(&c, s)) {
        if (out->nmodels == cap) {
          cap = cap ? 2 * cap : 4;
          out->models = thema_xrealloc(out->models, cap * sizeof *out->models);
        }
        add_model(out, ess, ness, &c, s, k);
      }
      size_t i = s;
      while (i > 0 && pick[i - 1] == ncand - s + i - 1) i--;
      if (i == 0) break;
      pick[i - 1]++;
      for (size_t j = i; j < s; j++) pick[j] = pick[j - 1] + 1;
    }
  }
  sort_k = k;
  qsort(out->models, out->nmodels, sizeof *out->models, cmp_model);
done:
  free(all);
  free(minterm);
  free(essential);
  free(covered);
  free(ess);
  free(cand);
  free(pick);
  if (rc) thema_qca_solution_free(out);
  return rc;
}

void thema_qca_solution_free(ThemaQcaSolution *s) {
  for (size_t i = 0; i < s->nmodels; i++) free(s->models[i].terms);
  free(s->models);
  free(s->primes);
  memset(s, 0, sizeof *s);
}

int thema_qca_model_fit(const double *x, const double *y, size_t ncases, int k,
                        const ThemaQcaModel *m, ThemaQcaModelFit *out, ThemaError *err) {
  memset(out, 0, sizeof *out);
  if (check_memberships(x, ncases * (size_t)k, "a condition's membership (cell)", err) ||
      check_memberships(y, ncases, "the outcome", err))
    return err->status;
  size_t nt = m->nterms, n1 = ncases ? ncases : 1;
  double *tm = thema_xmalloc((nt ? nt : 1) * n1 * sizeof *tm); /* term x case */
  double *all = thema_xmalloc(n1 * sizeof *all);
  double *rest = thema_xmalloc(n1 * sizeof *rest);
  out->terms = thema_xmalloc((nt ? nt : 1) * sizeof *out->terms);
  out->unique_coverage = thema_xmalloc((nt ? nt : 1) * sizeof *out->unique_coverage);
  for (size_t t = 0; t < nt; t++) {
    thema_qca_term_membership(x, ncases, k, m->terms[t], tm + t * n1);
    out->terms[t] = sufficiency_of(tm + t * n1, y, ncases);
  }
  for (size_t i = 0; i < ncases; i++) {
    all[i] = 0;
    for (size_t t = 0; t < nt; t++) all[i] = fmax(all[i], tm[t * n1 + i]);
  }
  out->model = sufficiency_of(all, y, ncases);
  for (size_t t = 0; t < nt; t++) {
    for (size_t i = 0; i < ncases; i++) {
      rest[i] = 0;
      for (size_t u = 0; u < nt; u++)
        if (u != t) rest[i] = fmax(rest[i], tm[u * n1 + i]);
    }
    double without = nt > 1 ? sufficiency_of(rest, y, ncases).coverage : 0.0;
    out->unique_coverage[t] = out->model.coverage - without;
  }
  free(tm);
  free(all);
  free(rest);
  return THEMA_OK;
}

void thema_qca_model_fit_free(ThemaQcaModelFit *f) {
  free(f->terms);
  free(f->unique_coverage);
  memset(f, 0, sizeof *f);
}

void thema_qca_term_format(ThemaQcaTerm t, const char *const *names, int k, ThemaBuf *out) {
  int first = 1;
  for (int j = 0; j < k; j++) {
    uint32_t b = cond_bit(k, j);
    if (!(t.care & b)) continue;
    if (!first) thema_buf_putc(out, '*');
    if (!(t.value & b)) thema_buf_putc(out, '~');
    thema_buf_puts(out, names[j]);
    first = 0;
  }
  if (first) thema_buf_putc(out, '1');
}
