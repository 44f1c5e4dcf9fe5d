/*
 * coherence.c — NPMI over boolean segment co-occurrence (see coherence.h).
 */
#include "analysis/coherence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/thema.h"

#define NPMI_EPSILON 1e-12

void thema_postings_build(const ThemaCsr *X, ThemaPostings *out) {
  int64_t nnz = X->rowptr[X->nrows];
  out->nrows = X->nrows;
  out->nterms = X->ncols;
  out->ptr = thema_xcalloc((size_t)X->ncols + 1, sizeof *out->ptr);
  out->rows = thema_xmalloc((size_t)(nnz ? nnz : 1) * sizeof *out->rows);
  for (int64_t p = 0; p < nnz; p++) out->ptr[X->col[p] + 1]++;
  for (int32_t t = 0; t < X->ncols; t++) out->ptr[t + 1] += out->ptr[t];
  int64_t *fill = thema_xmalloc(((size_t)X->ncols + 1) * sizeof *fill);
  memcpy(fill, out->ptr, ((size_t)X->ncols + 1) * sizeof *fill);
  for (int32_t i = 0; i < X->nrows; i++) /* rows in order: each list is sorted */
    for (int64_t p = X->rowptr[i]; p < X->rowptr[i + 1]; p++)
      out->rows[fill[X->col[p]]++] = i;
  free(fill);
}

void thema_postings_free(ThemaPostings *p) {
  free(p->ptr);
  free(p->rows);
  memset(p, 0, sizeof *p);
}

int64_t thema_postings_both(const ThemaPostings *p, int32_t a, int32_t b) {
  const int32_t *x = p->rows + p->ptr[a], *xe = p->rows + p->ptr[a + 1];
  const int32_t *y = p->rows + p->ptr[b], *ye = p->rows + p->ptr[b + 1];
  int64_t n = 0;
  while (x < xe && y < ye) {
    if (*x < *y)
      x++;
    else if (*y < *x)
      y++;
    else {
      n++;
      x++;
      y++;
    }
  }
  return n;
}

double thema_npmi_pair(const ThemaPostings *p, int32_t a, int32_t b) {
  double N = p->nrows;
  int64_t da = thema_postings_df(p, a), db = thema_postings_df(p, b);
  if (!da || !db || N <= 0) return 0;
  double pab = (double)thema_postings_both(p, a, b) / N + NPMI_EPSILON;
  return log(pab / (((double)da / N) * ((double)db / N))) / -log(pab);
}

double thema_npmi_mean(const ThemaPostings *p, const int32_t *terms, int n) {
  if (n < 2) return 0;
  double s = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) s += thema_npmi_pair(p, terms[i], terms[j]);
  return s / ((double)n * (n - 1) / 2);
}
