/*
 * test_themes.c — the kernels of the inductive pass (core/analysis/): NPMI
 * against values worked out by hand, the small eigenproblem, NMF
 * reconstructing a known low-rank matrix bit for bit the same on a second
 * run, Leiden finding two planted term communities, the bad-input errors,
 * and the overlap of themes with codes.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/cograph.h"
#include "analysis/coherence.h"
#include "analysis/nmf.h"
#include "analysis/themes.h"

/* A CSR from a dense rows × cols array (zeros not stored). */
static ThemaCsr from_dense(const double *d, int rows, int cols) {
  ThemaCsr m = {.nrows = rows, .ncols = cols};
  m.rowptr = calloc((size_t)rows + 1, sizeof *m.rowptr);
  m.col = malloc((size_t)rows * (size_t)cols * sizeof *m.col + 1);
  m.val = malloc((size_t)rows * (size_t)cols * sizeof *m.val + 1);
  int64_t n = 0;
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < cols; j++)
      if (d[i * cols + j] != 0) {
        m.col[n] = j;
        m.val[n++] = d[i * cols + j];
      }
    m.rowptr[i + 1] = n;
  }
  return m;
}

Test(npmi, hand_computed_pairs) {
  /* four segments: {a,b} {a,b} {a} {c}; a = 0, b = 1, c = 2 */
  double d[] = {1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1};
  ThemaCsr X = from_dense(d, 4, 3);
  ThemaPostings P;
  thema_postings_build(&X, &P);
  cr_assert_eq(thema_postings_df(&P, 0), 3);
  cr_assert_eq(thema_postings_both(&P, 0, 1), 2);
  /* log((2/4) / (3/4 * 2/4)) / -log(2/4) = log(4/3) / log 2 */
  cr_assert_float_eq(thema_npmi_pair(&P, 0, 1), 0.4150374992829267, 1e-12);
  /* never together: log(ε / (3/4 * 1/4)) / -log ε */
  cr_assert_float_eq(thema_npmi_pair(&P, 0, 2), -0.9394167726719782, 1e-12);
  int32_t top[] = {0, 1, 2};
  double mean = (0.4150374992829267 - 0.9394167726719782 + thema_npmi_pair(&P, 1, 2)) / 3;
  cr_assert_float_eq(thema_npmi_mean(&P, top, 3), mean, 1e-12);
  thema_postings_free(&P);
  thema_csr_free(&X);
}

Test(nmf, symmetric_eigen) {
  double a[] = {2, 1, 1, 2}, ev[2], vec[4];
  thema_nmf_symmetric_eigen(a, 2, ev, vec);
  cr_assert_float_eq(ev[0], 3, 1e-12);
  cr_assert_float_eq(ev[1], 1, 1e-12);
  cr_assert_float_eq(fabs(vec[0]), sqrt(0.5), 1e-12);
}

/* X = W0 H0, 8 × 6 of rank 2 with non-negative factors. */
static ThemaCsr low_rank(void) {
  double W0[8][2] = {{1, 0}, {2, 0}, {0, 1}, {0, 3}, {1, 1}, {3, 1}, {0, 2}, {1, 0}};
  double H0[2][6] = {{1, 2, 0, 0, 1, 0}, {0, 0, 1, 2, 0, 3}};
  double d[48];
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 6; j++) d[i * 6 + j] = W0[i][0] * H0[0][j] + W0[i][1] * H0[1][j];
  return from_dense(d, 8, 6);
}

Test(nmf, reconstructs_a_low_rank_matrix) {
  ThemaCsr X = low_rank();
  ThemaNmfOptions o = {.k = 2, .max_iter = 500, .tol = 1e-9, .seed = 7};
  double W[16], H[12];
  ThemaNmfInfo info;
  ThemaError err = {0};
  cr_assert_eq(thema_nmf_fit(&X, &o, W, H, &info, &err), THEMA_OK, "%s", err.msg);
  for (int i = 0; i < 16; i++) cr_assert_geq(W[i], 0);
  for (int i = 0; i < 12; i++) cr_assert_geq(H[i], 0);
  cr_assert_lt(info.error / sqrt(thema_csr_sqnorm(&X)), 1e-3, "relative error %g",
               info.error / sqrt(thema_csr_sqnorm(&X)));
  cr_assert_lt(info.error, info.initial + 1e-12);
  /* the same input and seed give the same bits */
  double W2[16], H2[12];
  cr_assert_eq(thema_nmf_fit(&X, &o, W2, H2, &info, &err), THEMA_OK);
  cr_assert_eq(memcmp(W, W2, sizeof W), 0);
  cr_assert_eq(memcmp(H, H2, sizeof H), 0);
  thema_csr_free(&X);
}

Test(nmf, refuses_more_components_than_rows) {
  ThemaCsr X = low_rank();
  ThemaNmfOptions o = {.k = 9};
  double W[72], H[54];
  ThemaError err = {0};
  cr_assert_eq(thema_nmf_fit(&X, &o, W, H, NULL, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, "9 themes asked of 8 segments"), "%s", err.msg);
  thema_csr_free(&X);
}

/* 20 segments: ten use terms 0-2, ten terms 3-5, and one term 6 alone. */
static ThemaCsr two_communities(void) {
  double d[21 * 7] = {0};
  for (int i = 0; i < 20; i++)
    for (int j = 0; j < 3; j++) d[i * 7 + (i < 10 ? j : j + 3)] = 1 + (i + j) % 2;
  d[20 * 7 + 6] = 1;
  return from_dense(d, 21, 7);
}

Test(cograph, finds_planted_communities) {
  ThemaCsr X = two_communities();
  ThemaCographOptions o = {.min_cooc = 2, .seed = 3};
  int32_t comm[7];
  double strength[7];
  int n = 0;
  ThemaError err = {0};
  cr_assert_eq(thema_cograph_communities(&X, &o, comm, strength, &n, &err), THEMA_OK, "%s",
               err.msg);
  cr_assert_eq(n, 2);
  cr_assert_eq(comm[0], comm[1]);
  cr_assert_eq(comm[1], comm[2]);
  cr_assert_eq(comm[3], comm[4]);
  cr_assert_eq(comm[4], comm[5]);
  cr_assert_neq(comm[0], comm[3]);
  cr_assert_eq(comm[6], -1, "a term alone is in no community");
  /* ties in strength: the community with the lower column first */
  cr_assert_eq(comm[0], 0);
  thema_csr_free(&X);
}

static void fit(int method, int k, ThemaThemeSet *set) {
  ThemaCsr X = two_communities();
  thema_csr_normalise_rows(&X);
  ThemaPostings P;
  thema_postings_build(&X, &P);
  ThemaThemeOptions o = {.method = method,
                         .k = k,
                         .seed = 5,
                         .top_terms = 10,
                         .stability_runs = 4,
                         .subsample = 0.8,
                         .min_terms = 3,
                         .graph = {.min_cooc = 2}};
  ThemaError err = {0};
  cr_assert_eq(thema_themes_fit(&X, &P, &o, set, &err), THEMA_OK, "%s", err.msg);
  thema_postings_free(&P);
  thema_csr_free(&X);
}

Test(themes, nmf_and_leiden_agree_on_planted_themes) {
  for (int method = THEMA_THEMES_NMF; method <= THEMA_THEMES_LEIDEN; method++) {
    ThemaThemeSet s;
    fit(method, 2, &s);
    cr_assert_eq(s.k, 2);
    for (int t = 0; t < 2; t++) {
      int32_t first = s.top[t * s.top_terms];
      for (int j = 0; j < 3; j++) /* each theme's top three are one community */
        cr_assert_eq(s.top[t * s.top_terms + j] / 3, first / 3, "method %d theme %d",
                     method, t);
      cr_assert_float_eq(s.stability[t], 1, 1e-12,
                         "planted themes reappear in every refit");
      cr_assert_gt(s.coherence[t], 0.5);
    }
    /* segment 0 is covered by the theme of terms 0-2 only */
    int t0 = s.top[0] / 3 == 0 ? 0 : 1;
    cr_assert(thema_themes_covers(&s, 0, t0, 0.35));
    cr_assert_not(thema_themes_covers(&s, 0, 1 - t0, 0.35));
    cr_assert_not(thema_themes_covers(&s, 20, 0, 0.35), "a segment of no theme term");
    int32_t rows[5];
    cr_assert_eq(thema_themes_representative(&s, t0, 0.35, 5, rows), 5);
    for (int i = 0; i < 5; i++) cr_assert_lt(rows[i], 10);
    thema_themes_free(&s);
  }
}

Test(themes, automatic_k_prefers_the_stable_solution) {
  ThemaThemeSet s;
  ThemaCsr X = two_communities();
  thema_csr_normalise_rows(&X);
  ThemaPostings P;
  thema_postings_build(&X, &P);
  ThemaThemeOptions o = {.method = THEMA_THEMES_NMF,
                         .k_min = 2,
                         .k_max = 4,
                         .seed = 5,
                         .top_terms = 10,
                         .stability_runs = 4,
                         .subsample = 0.8};
  ThemaError err = {0};
  cr_assert_eq(thema_themes_fit(&X, &P, &o, &s, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(s.ncandidates, 3);
  for (int c = 0; c < 3; c++)
    cr_log_info("k %d stability %g coherence %g", s.candidates[c].k,
                s.candidates[c].stability, s.candidates[c].coherence);
  cr_assert_eq(s.candidates[0].k, 2);
  cr_assert_eq(s.k, 2, "k = 2 is the planted, most stable solution");
  thema_themes_free(&s);
  thema_postings_free(&P);
  thema_csr_free(&X);
}

Test(themes, bad_input) {
  ThemaCsr X = two_communities();
  ThemaPostings P;
  thema_postings_build(&X, &P);
  ThemaThemeSet s;
  ThemaError err = {0};
  ThemaThemeOptions o = {.method = THEMA_THEMES_NMF, .k = 30, .seed = 1};
  cr_assert_eq(thema_themes_fit(&X, &P, &o, &s, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, "30 themes asked of 21 segments"), "%s", err.msg);
  ThemaCsr empty = {.nrows = 0, .ncols = 0, .rowptr = calloc(1, sizeof(int64_t))};
  err = (ThemaError){0};
  cr_assert_eq(thema_themes_fit(&empty, &P, &o, &s, &err), THEMA_EINPUT);
  cr_assert(strstr(err.msg, "no segment selected"), "%s", err.msg);
  free(empty.rowptr);
  thema_postings_free(&P);
  thema_csr_free(&X);
}

Test(themes, overlap_with_codes) {
  /* 4 rows, 2 themes; theme 0 covers rows 0 1, theme 1 rows 1 2 3 */
  uint8_t covered[] = {1, 0, 1, 1, 0, 1, 0, 1};
  int64_t ptr[] = {0, 2, 3}; /* code 0: rows 0 1; code 1: row 3 */
  int32_t rows[] = {0, 1, 3};
  int64_t shared[4], size[2];
  thema_themes_overlap(covered, 4, 2, ptr, rows, 2, shared, size);
  cr_assert_eq(shared[0], 2); /* theme 0 × code 0 */
  cr_assert_eq(shared[1], 0);
  cr_assert_eq(shared[2], 1); /* theme 1 × code 0 */
  cr_assert_eq(shared[3], 1);
  cr_assert_eq(size[0], 2);
  cr_assert_eq(size[1], 1);
  int32_t a[] = {1, 2, 3, -1}, b[] = {2, 3, 4, 5};
  cr_assert_float_eq(thema_themes_top_jaccard(a, b, 4), 2.0 / 5, 1e-12);
}
