/*
 * keyness.c — the kernels of keyness.h. Cells are doubles so that counts
 * of a 100 MB corpus multiply without overflow; 0 ln 0 is taken as 0.
 */
#include "analysis/keyness.h"

#include <math.h>
#include <string.h>

/* O ln(O / E), with 0 ln 0 = 0. */
static double term(double o, double e) { return o > 0 ? o * log(o / e) : 0; }

double thema_keyness_g2_table(double o11, double o12, double o21, double o22) {
  double r1 = o11 + o12, r2 = o21 + o22, c1 = o11 + o21, c2 = o12 + o22;
  double n = r1 + r2;
  if (n <= 0 || r1 <= 0 || r2 <= 0 || c1 <= 0 || c2 <= 0) return 0;
  double g2 = 2 * (term(o11, r1 * c1 / n) + term(o12, r1 * c2 / n) +
                   term(o21, r2 * c1 / n) + term(o22, r2 * c2 / n));
  return g2 > 0 ? g2 : 0; /* rounding can leave -1e-15 for independence */
}

double thema_keyness_p_chisq1(double x) { return x > 0 ? erfc(sqrt(x / 2)) : 1.0; }

int thema_keyness(int64_t a, int64_t b, int64_t n1, int64_t n2, ThemaKeyness *out) {
  memset(out, 0, sizeof *out);
  if (a < 0 || b < 0 || a > n1 || b > n2 || n1 + n2 <= 0) return -1;
  out->a = a;
  out->b = b;
  out->n1 = n1;
  out->n2 = n2;
  double g2 =
      thema_keyness_g2_table((double)a, (double)b, (double)(n1 - a), (double)(n2 - b));
  /* Relative frequencies compared as a n2 against b n1: no division. */
  double lhs = (double)a * (double)n2, rhs = (double)b * (double)n1;
  out->g2 = lhs < rhs ? -g2 : g2;
  out->p = thema_keyness_p_chisq1(g2);
  double fa = a > 0 ? (double)a : 0.5, fb = b > 0 ? (double)b : 0.5;
  if (n1 > 0 && n2 > 0) out->log_ratio = log2((fa / (double)n1) / (fb / (double)n2));
  return 0;
}

int thema_assoc(int64_t o11, int64_t rx, int64_t cy, int64_t n, ThemaAssoc *out) {
  memset(out, 0, sizeof *out);
  if (o11 < 0 || o11 > rx || o11 > cy || rx > n || cy > n || rx + cy - o11 > n || n <= 0)
    return -1;
  double d11 = (double)o11, drx = (double)rx, dcy = (double)cy, dn = (double)n;
  if (o11 == 0) {
    out->pmi = -INFINITY;
    out->npmi = -1;
  } else {
    out->pmi = log2(d11 * dn / (drx * dcy));
    double h = -log2(d11 / dn);
    out->npmi = h > 0 ? out->pmi / h : 1.0;
  }
  double g2 = thema_keyness_g2_table(d11, drx - d11, dcy - d11, dn - drx - dcy + d11);
  out->g2 = d11 * dn < drx * dcy ? -g2 : g2;
  return 0;
}

double thema_tfidf_idf(int64_t df, int64_t ndocs) {
  return log((1.0 + (double)ndocs) / (1.0 + (double)df)) + 1.0;
}

void thema_tfidf_normalise(double *w, int64_t n) {
  double ss = 0;
  for (int64_t i = 0; i < n; i++) ss += w[i] * w[i];
  if (ss <= 0) return;
  double inv = 1.0 / sqrt(ss);
  for (int64_t i = 0; i < n; i++) w[i] *= inv;
}
