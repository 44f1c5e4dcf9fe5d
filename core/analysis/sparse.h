/*
 * sparse.h — a segment × term matrix in compressed sparse rows (CSR), the
 * input every theme kernel reads (nmf, coherence, cograph, themes): rows are
 * segments, columns terms, values counts or TF-IDF weights. Plain arrays, so
 * the kernels know nothing of the store or the tokeniser that filled them.
 */
#ifndef THEMA_SPARSE_H
#define THEMA_SPARSE_H

#include <stdint.h>

typedef struct ThemaCsr {
  int32_t nrows;   /* rows (segments) */
  int32_t ncols;   /* columns (terms) */
  int64_t *rowptr; /* nrows + 1 offsets: row i is [rowptr[i], rowptr[i + 1]) */
  int32_t *col;    /* the column of each stored value, increasing within a row */
  double *val;     /* the stored values */
} ThemaCsr;

/* Free the three arrays (the struct itself is the caller's) and zero it. */
void thema_csr_free(ThemaCsr *m);

/* Scale every row to unit Euclidean length (rows of zeros stay zero). */
void thema_csr_normalise_rows(ThemaCsr *m);

/* out = the rows of m listed in rows[0..n) (in that order), a fresh copy the
 * caller frees with thema_csr_free. */
void thema_csr_take_rows(const ThemaCsr *m, const int32_t *rows, int32_t n, ThemaCsr *out);

/* The squared Frobenius norm: the sum of the squared stored values. */
double thema_csr_sqnorm(const ThemaCsr *m);

#endif
