/*
 * nmf.c — NNDSVD-initialised NMF by coordinate descent (see nmf.h).
 *
 * Layout: every dense matrix is row-major; W is rows × k, and H is kept
 * transposed (Ht, columns × k) during the fit so that both half-steps run
 * the same row-wise update and walk memory in order.
 */
#include "analysis/nmf.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"

/* The three loops that take nearly all of a fit's time (products with the
 * sparse X, the coordinate sweeps) are short fixed-length inner loops over
 * k; GCC vectorises them only at -O3, so they ask for it. */
#if defined(__GNUC__) && !defined(__clang__)
#define HOT __attribute__((optimize("O3")))
#else
#define HOT
#endif

/* Y (X->nrows × l) = X D, D columns × l. */
HOT static void sp_times(const ThemaCsr *X, const double *D, int l, double *Y) {
  memset(Y, 0, (size_t)X->nrows * (size_t)l * sizeof *Y);
  for (int32_t i = 0; i < X->nrows; i++) {
    double *y = Y + (size_t)i * (size_t)l;
    for (int64_t p = X->rowptr[i]; p < X->rowptr[i + 1]; p++) {
      const double *d = D + (size_t)X->col[p] * (size_t)l;
      double x = X->val[p];
      for (int c = 0; c < l; c++) y[c] += x * d[c];
    }
  }
}

/* Z (X->ncols × l) = X^T D, D rows × l. */
HOT static void sp_trans_times(const ThemaCsr *X, const double *D, int l, double *Z) {
  memset(Z, 0, (size_t)X->ncols * (size_t)l * sizeof *Z);
  for (int32_t i = 0; i < X->nrows; i++) {
    const double *d = D + (size_t)i * (size_t)l;
    for (int64_t p = X->rowptr[i]; p < X->rowptr[i + 1]; p++) {
      double *z = Z + (size_t)X->col[p] * (size_t)l;
      double x = X->val[p];
      for (int c = 0; c < l; c++) z[c] += x * d[c];
    }
  }
}

/* G (l × l, full) = A^T A for A n × l. */
static void gram(const double *A, size_t n, int l, double *G) {
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, l, (int)n, 1.0, A, l, 0.0, G, l);
  for (int r = 0; r < l; r++)
    for (int c = 0; c < r; c++) G[r * l + c] = G[c * l + r];
}

void thema_nmf_symmetric_eigen(double *a, int n, double *ev, double *vec) {
  for (int r = 0; r < n; r++)
    for (int c = 0; c < n; c++) vec[r * n + c] = r == c;
  for (int sweep = 0; sweep < 100; sweep++) {
    double off = 0, diag = 0;
    for (int r = 0; r < n; r++) {
      diag += a[r * n + r] * a[r * n + r];
      for (int c = r + 1; c < n; c++) off += a[r * n + c] * a[r * n + c];
    }
    if (off <= 1e-30 * (diag > 0 ? diag : 1)) break;
    for (int p = 0; p < n; p++)
      for (int q = p + 1; q < n; q++) {
        double apq = a[p * n + q];
        if (apq == 0) continue;
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
        double cs = 1 / sqrt(t * t + 1), sn = t * cs;
        for (int r = 0; r < n; r++) { /* columns p and q */
          double arp = a[r * n + p], arq = a[r * n + q];
          a[r * n + p] = cs * arp - sn * arq;
          a[r * n + q] = sn * arp + cs * arq;
        }
        for (int c = 0; c < n; c++) { /* rows p and q */
          double apc = a[p * n + c], aqc = a[q * n + c];
          a[p * n + c] = cs * apc - sn * aqc;
          a[q * n + c] = sn * apc + cs * aqc;
        }
        for (int r = 0; r < n; r++) {
          double vrp = vec[r * n + p], vrq = vec[r * n + q];
          vec[r * n + p] = cs * vrp - sn * vrq;
          vec[r * n + q] = sn * vrp + cs * vrq;
        }
      }
  }
  /* sort descending by eigenvalue (selection sort: n is small), columns along */
  for (int i = 0; i < n; i++) ev[i] = a[i * n + i];
  for (int i = 0; i < n; i++) {
    int best = i;
    for (int j = i + 1; j < n; j++)
      if (ev[j] > ev[best]) best = j;
    if (best == i) continue;
    double t = ev[i];
    ev[i] = ev[best];
    ev[best] = t;
    for (int r = 0; r < n; r++) {
      t = vec[r * n + i];
      vec[r * n + i] = vec[r * n + best];
      vec[r * n + best] = t;
    }
  }
}

/* Replace the columns of Y (n × l) by an orthonormal basis of their span:
 * Y E Λ^(-1/2) from the eigenvectors E of Y^T Y, dropping (zeroing)
 * directions with eigenvalues below 1e-10 of the largest. Twice, for
 * precision; robust when Y is rank-deficient (small corpora). work holds
 * n × l + 3 l × l doubles. */
static void orthonormalise(double *Y, size_t n, int l, double *work) {
  double *G = work, *E = G + l * l, *ev = E + l * l, *T = ev + l * l;
  for (int pass = 0; pass < 2; pass++) {
    gram(Y, n, l, G);
    thema_nmf_symmetric_eigen(G, l, ev, E);
    for (int c = 0; c < l; c++) {
      double s = ev[c] > 1e-10 * ev[0] && ev[c] > 0 ? 1 / sqrt(ev[c]) : 0;
      for (int r = 0; r < l; r++) E[r * l + c] *= s;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, l, l, 1.0, Y, l, E, l,
                0.0, T, l);
    memcpy(Y, T, n * (size_t)l * sizeof *Y);
  }
}

/* A standard normal draw (Box–Muller on two 53-bit uniforms). */
static double normal(ThemaPrng *g) {
  double u = ((double)(thema_prng_next(g) >> 11) + 0.5) * 0x1.0p-53;
  double v = (double)(thema_prng_next(g) >> 11) * 0x1.0p-53;
  return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* The leading l singular triplets of X: sigma[l], U (rows × l), V (columns ×
 * l), by a randomized range finder with four power iterations. */
static void truncated_svd(const ThemaCsr *X, int l, int64_t seed, double *sigma, double *U,
                          double *V) {
  size_t n = (size_t)X->nrows, m = (size_t)X->ncols, big = n > m ? n : m;
  double *omega = thema_xmalloc(m * (size_t)l * sizeof *omega);
  double *Q = thema_xmalloc(n * (size_t)l * sizeof *Q);
  double *Z = thema_xmalloc(m * (size_t)l * sizeof *Z);
  double *work =
      thema_xmalloc((big * (size_t)l + 3 * (size_t)l * (size_t)l) * sizeof *work);
  ThemaPrng g;
  thema_prng_seed(&g, seed);
  for (size_t i = 0; i < m * (size_t)l; i++) omega[i] = normal(&g);
  sp_times(X, omega, l, Q);
  orthonormalise(Q, n, l, work);
  for (int it = 0; it < 4; it++) {
    sp_trans_times(X, Q, l, Z);
    orthonormalise(Z, m, l, work);
    sp_times(X, Z, l, Q);
    orthonormalise(Q, n, l, work);
  }
  /* B = Q^T X, kept as Z = B^T (m × l); B B^T = Z^T Z = E Λ E^T */
  sp_trans_times(X, Q, l, Z);
  double *G = work, *E = G + l * l;
  gram(Z, m, l, G);
  thema_nmf_symmetric_eigen(G, l, sigma, E);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, l, l, 1.0, Q, l, E, l, 0.0,
              U, l);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, l, l, 1.0, Z, l, E, l, 0.0,
              V, l);
  for (int c = 0; c < l; c++) {
    sigma[c] = sigma[c] > 0 ? sqrt(sigma[c]) : 0;
    double inv = sigma[c] > 0 ? 1 / sigma[c] : 0;
    for (size_t r = 0; r < m; r++) V[r * (size_t)l + c] *= inv;
  }
  free(omega);
  free(Q);
  free(Z);
  free(work);
}

/* Norms of the positive and negative parts of column c of A (n × l). */
static void part_norms(const double *A, size_t n, int l, int c, double *pos, double *neg) {
  double p = 0, q = 0;
  for (size_t r = 0; r < n; r++) {
    double x = A[r * (size_t)l + c];
    if (x > 0)
      p += x * x;
    else
      q += x * x;
  }
  *pos = sqrt(p);
  *neg = sqrt(q);
}

/* NNDSVD with zeros set to the mean of X: W (n × k), Ht (m × k). */
static void nndsvda(const ThemaCsr *X, int k, int64_t seed, double *W, double *Ht) {
  size_t n = (size_t)X->nrows, m = (size_t)X->ncols;
  int l = k + 10;
  if ((size_t)l > n) l = (int)n;
  if ((size_t)l > m) l = (int)m;
  double *sigma = thema_xmalloc((size_t)l * sizeof *sigma);
  double *U = thema_xmalloc(n * (size_t)l * sizeof *U);
  double *V = thema_xmalloc(m * (size_t)l * sizeof *V);
  truncated_svd(X, l, seed, sigma, U, V);
  for (int j = 0; j < k; j++) {
    double up, un, vp, vn, scale, su = 1, sv = 1;
    int use_pos = 1;
    part_norms(U, n, l, j, &up, &un);
    part_norms(V, m, l, j, &vp, &vn);
    if (j == 0) { /* the leading pair is of one sign: take absolute values */
      scale = sqrt(sigma[0]);
      for (size_t r = 0; r < n; r++) W[r * (size_t)k] = scale * fabs(U[r * (size_t)l]);
      for (size_t r = 0; r < m; r++) Ht[r * (size_t)k] = scale * fabs(V[r * (size_t)l]);
      continue;
    }
    if (j >= l) { /* no singular direction left: the fill below sets the mean */
      for (size_t r = 0; r < n; r++) W[r * (size_t)k + j] = 0;
      for (size_t r = 0; r < m; r++) Ht[r * (size_t)k + j] = 0;
      continue;
    }
    double mp = up * vp, mn = un * vn;
    if (mn > mp) use_pos = 0;
    double mag = use_pos ? mp : mn;
    su = use_pos ? up : un;
    sv = use_pos ? vp : vn;
    scale = sqrt(sigma[j] * mag);
    for (size_t r = 0; r < n; r++) {
      double x = U[r * (size_t)l + j];
      x = use_pos ? (x > 0 ? x : 0) : (x < 0 ? -x : 0);
      W[r * (size_t)k + j] = su > 0 ? scale * x / su : 0;
    }
    for (size_t r = 0; r < m; r++) {
      double x = V[r * (size_t)l + j];
      x = use_pos ? (x > 0 ? x : 0) : (x < 0 ? -x : 0);
      Ht[r * (size_t)k + j] = sv > 0 ? scale * x / sv : 0;
    }
  }
  double sum = 0;
  for (int64_t p = 0; p < X->rowptr[X->nrows]; p++) sum += X->val[p];
  double avg = sum / ((double)n * (double)m);
  for (size_t i = 0; i < n * (size_t)k; i++)
    if (W[i] < 1e-6 * avg) W[i] = avg;
  for (size_t i = 0; i < m * (size_t)k; i++)
    if (Ht[i] < 1e-6 * avg) Ht[i] = avg;
  free(sigma);
  free(U);
  free(V);
}

/* One coordinate-descent sweep over the rows of A (n × k) given the
 * products P = X-side (n × k) and the Gram matrix G (k × k) of the other
 * factor: A[i,t] = max(0, A[i,t] - (A[i,:]·G[:,t] - P[i,t]) / G[t,t]).
 * Returns the sum of the projected gradients' magnitudes met on the way
 * (the violation scikit-learn's solver stops on). */
HOT static double cd_sweep(double *A, size_t n, int k, const double *P, const double *G) {
  double violation = 0;
  for (size_t i = 0; i < n; i++) {
    double *a = A + i * (size_t)k;
    const double *p = P + i * (size_t)k;
    for (int t = 0; t < k; t++) {
      double hess = G[t * k + t];
      double grad = -p[t];
      for (int r = 0; r < k; r++) grad += G[t * k + r] * a[r];
      violation += fabs(a[t] == 0 ? (grad < 0 ? grad : 0) : grad);
      if (hess <= 0) continue;
      double v = a[t] - grad / hess;
      a[t] = v > 0 ? v : 0;
    }
  }
  return violation;
}

/* ||X - W H||² from ||X||², P = X^T W (m × k), Ht and the Grams. */
static double sq_error(double xx, const double *P, const double *Ht, size_t m, int k,
                       const double *WtW, const double *HHt) {
  double cross = 0, quad = 0;
  for (size_t i = 0; i < m * (size_t)k; i++) cross += P[i] * Ht[i];
  for (int i = 0; i < k * k; i++) quad += WtW[i] * HHt[i];
  double e = xx - 2 * cross + quad;
  return e > 0 ? e : 0;
}

int thema_nmf_fit(const ThemaCsr *X, const ThemaNmfOptions *opt, double *W, double *H,
                  ThemaNmfInfo *info, ThemaError *err) {
  size_t n = (size_t)X->nrows, m = (size_t)X->ncols;
  int k = opt->k;
  if (k < 1 || (size_t)k > n || (size_t)k > m)
    return thema_error_set(err, THEMA_EINPUT,
                           "nmf: %d themes asked of %zu segments and %zu terms; ask for "
                           "at least 1 and at most the smaller of the two",
                           k, n, m);
  if (X->rowptr[X->nrows] == 0)
    return thema_error_set(err, THEMA_EINPUT, "nmf: the matrix has no term in any segment");
  openblas_set_num_threads(1); /* same bits on every machine */
  int max_iter = opt->max_iter > 0 ? opt->max_iter : 200;
  double tol = opt->tol > 0 ? opt->tol : 1e-4;
  double *Ht = thema_xmalloc(m * (size_t)k * sizeof *Ht);
  double *P = thema_xmalloc((n > m ? n : m) * (size_t)k * sizeof *P);
  double *WtW = thema_xmalloc((size_t)k * (size_t)k * sizeof *WtW);
  double *HHt = thema_xmalloc((size_t)k * (size_t)k * sizeof *HHt);
  nndsvda(X, k, opt->seed, W, Ht);
  double xx = thema_csr_sqnorm(X);
  gram(W, n, k, WtW);
  gram(Ht, m, k, HHt);
  sp_trans_times(X, W, k, P);
  double initial = sqrt(sq_error(xx, P, Ht, m, k, WtW, HHt)), prev = initial, cur = initial;
  int it = 0;
  double first = 0;
  while (it < max_iter) {
    it++;
    sp_times(X, Ht, k, P); /* X H^T */
    double violation = cd_sweep(W, n, k, P, HHt);
    gram(W, n, k, WtW);
    sp_trans_times(X, W, k, P); /* X^T W */
    violation += cd_sweep(Ht, m, k, P, WtW);
    gram(Ht, m, k, HHt);
    if (it == 1) first = violation;
    if (first <= 0 || violation / first <= tol) break;
  }
  cur = sqrt(sq_error(xx, P, Ht, m, k, WtW, HHt));
  (void)prev;
  for (size_t j = 0; j < m; j++)
    for (int t = 0; t < k; t++) H[(size_t)t * m + j] = Ht[j * (size_t)k + t];
  if (info) {
    info->iterations = it;
    info->error = cur;
    info->initial = initial;
  }
  free(Ht);
  free(P);
  free(WtW);
  free(HHt);
  return THEMA_OK;
}
