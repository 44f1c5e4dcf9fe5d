/*
 * nmf.h — non-negative matrix factorisation X ≈ W H of a sparse segment ×
 * term matrix (TF-IDF), the first method of the inductive pass.
 *
 * Initialisation is NNDSVD (Boutsidis & Gallopoulos 2008) with the zeros
 * filled by the mean of X ("nndsvda"), over a truncated SVD computed by a
 * randomized range finder with power iterations (Halko, Martinsson & Tropp
 * 2011) seeded from base/prng; the fit is coordinate descent on the
 * columns of W and the rows of H (HALS, Cichocki & Phan 2009), minimising
 * the squared Frobenius error, the objective and solver scikit-learn's
 * NMF(init="nndsvda", solver="cd") uses. Dense products go through OpenBLAS
 * on one thread, so the bits do not depend on the machine's core count:
 * the same X, k and seed give the same W and H.
 */
#ifndef THEMA_NMF_H
#define THEMA_NMF_H

#include <stdint.h>

#include "analysis/sparse.h"
#include "base/thema.h"

typedef struct ThemaNmfOptions {
  int k;        /* components (themes), 1 <= k <= min(rows, columns) */
  int max_iter; /* iterations at most (0: 200) */
  double tol;   /* stop when an iteration lowers the error by less than
                     tol times the initial error (0: 1e-4) */
  int64_t seed; /* seeds the random range finder of the SVD */
} ThemaNmfOptions;

typedef struct ThemaNmfInfo {
  int iterations; /* iterations run */
  double error;   /* final Frobenius error ||X - WH|| */
  double initial; /* the error of the NNDSVD start */
} ThemaNmfInfo;

/* Factorise X: W (rows × k, row-major) and H (k × columns, row-major) are
 * the caller's arrays, filled here. Fails (THEMA_EINPUT) when k is out of
 * range or X has no stored value. */
int thema_nmf_fit(const ThemaCsr *X, const ThemaNmfOptions *opt, double *W, double *H,
                  ThemaNmfInfo *info, ThemaError *err);

/* The eigenvalues (descending, into ev[0..n)) and eigenvectors (the columns
 * of vec, n × n row-major) of the symmetric matrix a (n × n, row-major,
 * overwritten), by cyclic Jacobi rotations: the small eigenproblem of the
 * truncated SVD. Exposed for tests. */
void thema_nmf_symmetric_eigen(double *a, int n, double *ev, double *vec);

#endif
