/*
 * contingency.c — Fisher's exact test (hypergeometric probabilities from
 * lgamma, summed over the table's support), Gini and top share, Jaccard and
 * lift. See contingency.h for the definitions.
 */
#include "analysis/contingency.h"

#include <math.h>
#include <stdlib.h>

#include "base/thema.h"

/* log of the hypergeometric probability of x in cell a with margins: r1
 * = a + b (with the code), c1 = a + c (the group), n. */
static double log_hyper(int64_t x, int64_t r1, int64_t c1, int64_t n) {
  return lgamma((double)r1 + 1) - lgamma((double)x + 1) - lgamma((double)(r1 - x) + 1) +
         lgamma((double)(n - r1) + 1) - lgamma((double)(c1 - x) + 1) -
         lgamma((double)(n - r1 - c1 + x) + 1) - lgamma((double)n + 1) +
         lgamma((double)c1 + 1) + lgamma((double)(n - c1) + 1);
}

int thema_fisher_2x2(int64_t a, int64_t b, int64_t c, int64_t d, ThemaFisher *out) {
  *out = (ThemaFisher){.p = 1, .p_greater = 1, .p_less = 1, .odds_ratio = 1};
  if (a < 0 || b < 0 || c < 0 || d < 0) return -1;
  int64_t n = a + b + c + d;
  if (n == 0) return -1;
  int64_t r1 = a + b, c1 = a + c;
  int64_t lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0;
  int64_t hi = r1 < c1 ? r1 : c1;
  /* Probabilities relative to the mode's, so that none underflows. */
  double lobs = log_hyper(a, r1, c1, n), lmax = lobs;
  for (int64_t x = lo; x <= hi; x++) {
    double l = log_hyper(x, r1, c1, n);
    if (l > lmax) lmax = l;
  }
  double total = 0, two = 0, greater = 0, less = 0;
  double pobs = exp(lobs - lmax);
  for (int64_t x = lo; x <= hi; x++) {
    double px = exp(log_hyper(x, r1, c1, n) - lmax);
    total += px;
    if (px <= pobs * (1 + 1e-7)) two += px;
    if (x >= a) greater += px;
    if (x <= a) less += px;
  }
  out->p = fmin(1, two / total);
  out->p_greater = fmin(1, greater / total);
  out->p_less = fmin(1, less / total);
  double fa = (double)a, fb = (double)b, fc = (double)c, fd = (double)d;
  if (a == 0 || b == 0 || c == 0 || d == 0) { /* Haldane-Anscombe */
    fa += 0.5;
    fb += 0.5;
    fc += 0.5;
    fd += 0.5;
  }
  out->odds_ratio = fa * fd / (fb * fc);
  out->log_odds = log(out->odds_ratio);
  out->log_odds_se = sqrt(1 / fa + 1 / fb + 1 / fc + 1 / fd);
  out->expected = (double)r1 * (double)c1 / (double)n;
  return 0;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* -1 when a value is negative or not finite; else 0 with the sum in *sum. */
static int check_values(const double *x, size_t n, double *sum) {
  *sum = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || x[i] < 0) return -1;
    *sum += x[i];
  }
  return 0;
}

int thema_gini(const double *x, size_t n, double *g) {
  double sum;
  *g = 0;
  if (check_values(x, n, &sum)) return -1;
  if (n < 2 || sum == 0) return 0;
  double *s = thema_xmalloc(n * sizeof *s);
  for (size_t i = 0; i < n; i++) s[i] = x[i];
  qsort(s, n, sizeof *s, cmp_double);
  double acc = 0;
  for (size_t i = 0; i < n; i++) acc += (2.0 * (double)(i + 1) - (double)n - 1) * s[i];
  free(s);
  *g = acc / ((double)n * sum);
  return 0;
}

int thema_top_share(const double *x, size_t n, double *share) {
  double sum, top = 0;
  *share = 0;
  if (check_values(x, n, &sum)) return -1;
  for (size_t i = 0; i < n; i++)
    if (x[i] > top) top = x[i];
  *share = sum > 0 ? top / sum : 0;
  return 0;
}

int thema_cooccurrence(int64_t n_ab, int64_t n_a, int64_t n_b, int64_t n, double *jaccard,
                       double *lift) {
  *jaccard = *lift = 0;
  if (n_ab < 0 || n_ab > n_a || n_ab > n_b || n_a > n || n_b > n) return -1;
  int64_t either = n_a + n_b - n_ab;
  if (either > 0) *jaccard = (double)n_ab / (double)either;
  if (n_a > 0 && n_b > 0) *lift = (double)n_ab * (double)n / ((double)n_a * (double)n_b);
  return 0;
}
