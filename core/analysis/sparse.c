/*
 * sparse.c — the CSR segment × term matrix shared by the theme kernels.
 */
#include "analysis/sparse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/thema.h"

void thema_csr_free(ThemaCsr *m) {
  free(m->rowptr);
  free(m->col);
  free(m->val);
  memset(m, 0, sizeof *m);
}

void thema_csr_normalise_rows(ThemaCsr *m) {
  for (int32_t i = 0; i < m->nrows; i++) {
    double s = 0;
    for (int64_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) s += m->val[p] * m->val[p];
    if (s <= 0) continue;
    double inv = 1.0 / sqrt(s);
    for (int64_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) m->val[p] *= inv;
  }
}

void thema_csr_take_rows(const ThemaCsr *m, const int32_t *rows, int32_t n, ThemaCsr *out) {
  int64_t nnz = 0;
  for (int32_t r = 0; r < n; r++) nnz += m->rowptr[rows[r] + 1] - m->rowptr[rows[r]];
  out->nrows = n;
  out->ncols = m->ncols;
  out->rowptr = thema_xmalloc(((size_t)n + 1) * sizeof *out->rowptr);
  out->col = thema_xmalloc((size_t)(nnz ? nnz : 1) * sizeof *out->col);
  out->val = thema_xmalloc((size_t)(nnz ? nnz : 1) * sizeof *out->val);
  int64_t at = 0;
  out->rowptr[0] = 0;
  for (int32_t r = 0; r < n; r++) {
    int64_t b = m->rowptr[rows[r]], e = m->rowptr[rows[r] + 1];
    memcpy(out->col + at, m->col + b, (size_t)(e - b) * sizeof *out->col);
    memcpy(out->val + at, m->val + b, (size_t)(e - b) * sizeof *out->val);
    at += e - b;
    out->rowptr[r + 1] = at;
  }
}

double thema_csr_sqnorm(const ThemaCsr *m) {
  double s = 0;
  for (int64_t p = 0; p < m->rowptr[m->nrows]; p++) s += m->val[p] * m->val[p];
  return s;
}
