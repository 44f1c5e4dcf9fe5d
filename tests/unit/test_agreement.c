/*
 * test_agreement.c — the agreement kernels (core/analysis/agreement.c), the
 * generator they draw from (core/base/prng.c) and the plugin's matrices
 * (core/analysis/reliability.c): the published figures of the fixtures in
 * tests/fixtures/agreement, cases worked out by hand (the same as
 * tests/lua/agreement_spec.lua), the reference splitmix64 sequence, and
 * values pinned from plugins/lib/agreement.lua, the oracle, to the last bit.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/agreement.h"
#include "analysis/reliability.h"
#include "base/prng.h"
#include "text/csv.h"

#define M THEMA_AGREEMENT_MISSING

/* ---- helpers ---- */

static const char *root(void) {
  const char *r = getenv("THEMA_ROOT");
  return r && *r ? r : ".";
}

/* A fixture "unit,coder1,coder2,..." read into a matrix: categories numbered
 * in order of first appearance, an empty cell missing. */
typedef struct Fixture {
  int32_t values[64 * 4]; /* the matrix */
  char names[32][40];     /* category names by id */
  int ncat;               /* categories */
  size_t nunits;          /* rows */
  int ncoders;            /* columns */
} Fixture;

static int fixture_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  (void)err;
  Fixture *f = ud;
  if (row->line == 1) {
    f->ncoders = row->n - 1;
    return 0;
  }
  for (int j = 1; j < row->n; j++) {
    int32_t v = M;
    if (*row->fields[j]) {
      for (v = 0; v < f->ncat && strcmp(f->names[v], row->fields[j]) != 0; v++) continue;
      if (v == f->ncat)
        snprintf(f->names[f->ncat++], sizeof f->names[0], "%s", row->fields[j]);
    }
    f->values[f->nunits * (size_t)f->ncoders + (size_t)j - 1] = v;
  }
  f->nunits++;
  return 0;
}

static ThemaRelMatrix read_fixture(const char *name, Fixture *f) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/fixtures/agreement/%s", root(), name);
  FILE *in = fopen(path, "rb");
  cr_assert_not_null(in, "cannot read %s", path);
  static char text[8192];
  size_t n = fread(text, 1, sizeof text, in);
  fclose(in);
  memset(f, 0, sizeof *f);
  ThemaError err = {0};
  cr_assert_eq(thema_csv_read(path, text, n, ',', fixture_row, f, &err), THEMA_OK, "%s",
               err.msg);
  return (ThemaRelMatrix){f->values, f->nunits, f->ncoders, f->ncat};
}

static ThemaRelMatrix matrix(const int32_t *v, size_t nunits, int ncoders, int32_t ncat) {
  return (ThemaRelMatrix){v, nunits, ncoders, ncat};
}

static ThemaPairCounts counts(const ThemaRelMatrix *m, int a, int b) {
  ThemaPairCounts pc;
  thema_agreement_pair_init(&pc, m->ncategories);
  thema_agreement_pair_add(&pc, m, a, b);
  return pc;
}

static int alpha_of(const ThemaRelMatrix *m, ThemaAlpha *a) {
  ThemaAlphaUnits u = {0};
  thema_agreement_units_add(&u, m);
  int status = thema_agreement_alpha(&u, 0, u.nunits, a);
  thema_agreement_units_free(&u);
  return status;
}

static int boot_of(const ThemaRelMatrix *m, int64_t samples, double level, int64_t seed,
                   ThemaBootstrap *b) {
  ThemaAlphaUnits u = {0};
  thema_agreement_units_add(&u, m);
  int status = thema_agreement_bootstrap(&u, 0, u.nunits, samples, level, seed, b);
  thema_agreement_units_free(&u);
  return status;
}

static void near(double got, double want, const char *what) {
  cr_assert(fabs(got - want) < 1e-12, "%s: expected %.17g, got %.17g", what, want, got);
}

static void eq4(double got, const char *want, const char *what) {
  char s[32];
  snprintf(s, sizeof s, "%.4f", got);
  cr_assert_str_eq(s, want, "%s", what);
}

/* The bits a double prints with 17 significant digits. */
static void bits(double got, const char *want, const char *what) {
  char s[40];
  snprintf(s, sizeof s, "%.17g", got);
  cr_assert_str_eq(s, want, "%s", what);
}

/* ---- the generator ---- */

Test(prng, matches_the_reference_splitmix64_for_seed_0) {
  ThemaPrng g;
  thema_prng_seed(&g, 0);
  cr_assert_eq(thema_prng_next(&g), 0xe220a8397b1dcdafu);
  cr_assert_eq(thema_prng_next(&g), 0x6e789e6aa1b965f4u);
  cr_assert_eq(thema_prng_next(&g), 0x06c45d188009454fu);
}

Test(prng, matches_the_lua_library_for_seed_42) {
  /* pinned from plugins/lib/agreement.lua: splitmix64(42)() three times, then
   * splitmix64(42)(7) five times */
  ThemaPrng g;
  thema_prng_seed(&g, 42);
  cr_assert_eq(thema_prng_next(&g), 0xbdd732262feb6e95u);
  cr_assert_eq(thema_prng_next(&g), 0x28efe333b266f103u);
  cr_assert_eq(thema_prng_next(&g), 0x47526757130f9f52u);
  thema_prng_seed(&g, 42);
  const uint64_t want[] = {3, 3, 1, 2, 4};
  for (int i = 0; i < 5; i++)
    cr_assert_eq(thema_prng_index(&g, 7) + 1, want[i], "draw %d", i);
}

Test(prng, rejects_draws_above_the_limit_like_the_lua_library) {
  /* n = 2^62 + 1 rejects about half the draws; pinned from splitmix64(9)(n) */
  ThemaPrng g;
  thema_prng_seed(&g, 9);
  const uint64_t n = ((uint64_t)1 << 62) + 1;
  const uint64_t want[] = {2447167579372569820u, 2421627889027662801u,
                           1057073033380312576u, 2020246655926038709u,
                           1980906639493999949u, 2216559178023492287u};
  for (int i = 0; i < 6; i++)
    cr_assert_eq(thema_prng_index(&g, n) + 1, want[i], "draw %d", i);
}

Test(prng, fast_index_gives_the_same_draws_as_the_division) {
  const uint64_t ns[] = {1,
                         2,
                         3,
                         7,
                         10,
                         1000,
                         7474,
                         149480,
                         4294967296u,
                         4294967297u,
                         ((uint64_t)1 << 62) + 1,
                         (uint64_t)INT64_MAX - 1,
                         (uint64_t)INT64_MAX};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    ThemaPrng a, b;
    thema_prng_seed(&a, (int64_t)k - 3);
    b = a;
    ThemaPrngRange r;
    thema_prng_index_prepare(&r, ns[k]);
    for (int i = 0; i < 20000; i++) {
      uint64_t x = thema_prng_index(&a, ns[k]), y = thema_prng_index_fast(&b, &r);
      cr_assert_eq(x, y, "n = %llu, draw %d: %llu vs %llu", (unsigned long long)ns[k], i,
                   (unsigned long long)x, (unsigned long long)y);
      cr_assert_lt(x, ns[k]);
    }
    cr_assert_eq(a.state, b.state, "same number of outputs used for n = %llu",
                 (unsigned long long)ns[k]);
  }
}

Test(prng, draws_every_index_below_n) {
  ThemaPrng g;
  thema_prng_seed(&g, 42);
  int seen[7] = {0};
  for (int i = 0; i < 1000; i++) seen[thema_prng_index(&g, 7)]++;
  for (int k = 0; k < 7; k++)
    cr_assert_gt(seen[k], 100, "index %d drawn %d times", k, seen[k]);
  cr_assert_eq(thema_prng_index(&g, 1), 0);
}

/* ---- the fixtures' published figures ---- */

Test(fixtures, diagnoses_has_73_33_percent_kappa_0_6512_alpha_0_6491) {
  Fixture f;
  ThemaRelMatrix m = read_fixture("diagnoses-raters-1-2.csv", &f);
  cr_assert_eq(m.nunits, 30);
  cr_assert_eq(m.ncoders, 2);
  cr_assert_eq(m.ncategories, 5);
  ThemaPairCounts pc = counts(&m, 0, 1);
  double p;
  cr_assert_eq(thema_agreement_percent(&pc, &p), THEMA_AGREEMENT_OK);
  char s[16];
  snprintf(s, sizeof s, "%.2f", 100 * p);
  cr_assert_str_eq(s, "73.33");
  ThemaKappa k;
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_OK);
  thema_agreement_pair_free(&pc);
  eq4(k.kappa, "0.6512", "kappa");
  near(k.kappa, 448.0 / 688.0, "kappa exact");
  near(k.po, 22.0 / 30.0, "po");
  near(k.pe, 212.0 / 900.0, "pe");
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_OK);
  eq4(a.alpha, "0.6491", "alpha");
  bits(a.alpha, "0.64907063197026016", "alpha bits (the Lua library's)");
  cr_assert_eq(a.n, 60);
  cr_assert_eq(a.units, 30);
  near(a.do_, 16.0 / 60.0, "Do");
  size_t dis = 0;
  for (size_t u = 0; u < m.nunits; u++) dis += thema_agreement_unit_disagrees(&m, u);
  cr_assert_eq(dis, 8);
}

Test(fixtures, missing_small_has_70_percent_kappa_0_5833_alpha_0_5957) {
  Fixture f;
  ThemaRelMatrix m = read_fixture("missing-small.csv", &f);
  cr_assert_eq(m.nunits, 12);
  ThemaPairCounts pc = counts(&m, 0, 1);
  double p;
  cr_assert_eq(thema_agreement_percent(&pc, &p), THEMA_AGREEMENT_OK);
  near(p, 0.7, "percent");
  cr_assert_eq(pc.n, 10);
  ThemaKappa k;
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_OK);
  thema_agreement_pair_free(&pc);
  eq4(k.kappa, "0.5833", "kappa");
  near(k.kappa, 42.0 / 72.0, "kappa exact");
  near(k.pe, 28.0 / 100.0, "pe");
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_OK);
  eq4(a.alpha, "0.5957", "alpha");
  near(a.alpha, 168.0 / 282.0, "alpha exact");
  cr_assert_eq(a.n, 20);
  cr_assert_eq(a.units, 10);
  cr_assert_eq(thema_agreement_pairable(&m, NULL), 10);
}

Test(fixtures, bootstrap_intervals_are_the_lua_librarys_to_the_bit) {
  /* pinned from plugins/lib/agreement.lua's bootstrap_alpha */
  Fixture f;
  ThemaBootstrap b;
  ThemaRelMatrix m = read_fixture("diagnoses-raters-1-2.csv", &f);
  cr_assert_eq(boot_of(&m, 1000, 0.95, 1, &b), THEMA_AGREEMENT_OK);
  bits(b.lo, "0.41824157764995895", "diagnoses lo");
  bits(b.hi, "0.85623189538380307", "diagnoses hi");
  cr_assert_eq(b.samples, 1000);
  cr_assert_eq(b.skipped, 0);
  eq4(b.lo, "0.4182", "the interval agreement_spec.lua pins");
  eq4(b.hi, "0.8562", "the interval agreement_spec.lua pins");
  cr_assert_eq(boot_of(&m, 500, 0.9, -3, &b), THEMA_AGREEMENT_OK);
  bits(b.lo, "0.45045283037829947", "diagnoses lo, seed -3");
  bits(b.hi, "0.821624272401139", "diagnoses hi, seed -3");
  m = read_fixture("missing-small.csv", &f);
  cr_assert_eq(boot_of(&m, 1000, 0.95, 1, &b), THEMA_AGREEMENT_OK);
  bits(b.lo, "0.12977099236641221", "missing-small lo");
  bits(b.hi, "0.86896551724137927", "missing-small hi");
  cr_assert_eq(boot_of(&m, 500, 0.9, -3, &b), THEMA_AGREEMENT_OK);
  bits(b.lo, "0.21379310344827585", "missing-small lo, seed -3");
  bits(b.hi, "0.86713286713286708", "missing-small hi, seed -3");
}

/* ---- cases worked out by hand ---- */

Test(hand, perfect_agreement_gives_one_everywhere) {
  /* a b c a / a b c a: pe = 6/16, kappa 1, alpha 1 */
  const int32_t v[] = {0, 0, 1, 1, 2, 2, 0, 0};
  ThemaRelMatrix m = matrix(v, 4, 2, 3);
  ThemaPairCounts pc = counts(&m, 0, 1);
  ThemaKappa k;
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_OK);
  thema_agreement_pair_free(&pc);
  cr_assert_eq(k.kappa, 1.0);
  cr_assert_eq(k.pe, 6.0 / 16.0);
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_OK);
  cr_assert_eq(a.alpha, 1.0);
}

Test(hand, systematic_disagreement_gives_kappa_minus_1_and_alpha_minus_0_75) {
  const int32_t v[] = {0, 1, 1, 0, 0, 1, 1, 0};
  ThemaRelMatrix m = matrix(v, 4, 2, 2);
  ThemaPairCounts pc = counts(&m, 0, 1);
  ThemaKappa k;
  double p;
  cr_assert_eq(thema_agreement_percent(&pc, &p), THEMA_AGREEMENT_OK);
  cr_assert_eq(p, 0.0);
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_OK);
  thema_agreement_pair_free(&pc);
  cr_assert_eq(k.kappa, -1.0);
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_OK);
  cr_assert_eq(a.alpha, -0.75);
}

/* Three coders with missing values (agreement_spec.lua works it out):
 *        c1 c2 c3
 *   u1   a  a  a
 *   u2   a  b  -
 *   u3   -  b  b
 *   u4   c  -  -     not pairable
 *   u5   b  b  c
 * alpha = 22/58; coders 1 and 2: po 2/3, kappa 0.4. */
static const int32_t three[] = {0, 0, 0, 0, 1, M, M, 1, 1, 2, M, M, 1, 1, 2};

Test(hand, three_coders_with_missing_values) {
  ThemaRelMatrix m = matrix(three, 5, 3, 3);
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_OK);
  near(a.alpha, 22.0 / 58.0, "alpha");
  cr_assert_eq(a.n, 10);
  cr_assert_eq(a.units, 4);
  near(a.do_, 4.0 / 10.0, "Do");
  near(a.de, 58.0 / 90.0, "De");
  ThemaPairCounts pc = counts(&m, 0, 1);
  ThemaKappa k;
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_OK);
  thema_agreement_pair_free(&pc);
  near(k.kappa, 0.4, "kappa 1-2");
  cr_assert_eq(k.n, 3);
  unsigned char gave[3] = {0};
  cr_assert_eq(thema_agreement_pairable(&m, gave), 4);
  cr_assert(gave[0] && gave[1] && gave[2]);
  cr_assert_eq(thema_agreement_unit_disagrees(&m, 0), 0);
  cr_assert_eq(thema_agreement_unit_disagrees(&m, 1), 1);
  cr_assert_eq(thema_agreement_unit_disagrees(&m, 3), 0);
  cr_assert_eq(thema_agreement_unit_disagrees(&m, 4), 1);
}

Test(hand, mean_pairwise_kappa_of_three_coders) {
  /* pairs 1-2 (0.4), 1-3 (u1 a a, u5 b c: po 1/2, S = 1, (2 - 1)/(4 - 1) = 1/3)
   * and 2-3 (u1 a a, u3 b b, u5 b c: po 2/3, c2 a1 b2, c3 a1 b1 c1: S = 1 + 2
   * = 3, (6 - 3)/(9 - 3) = 0.5): mean (0.4 + 1/3 + 0.5)/3 */
  ThemaRelMatrix m = matrix(three, 5, 3, 3);
  double mean;
  int n;
  cr_assert_eq(thema_agreement_mean_kappa(&m, &mean, &n), THEMA_AGREEMENT_OK);
  cr_assert_eq(n, 3);
  near(mean, (0.4 + 1.0 / 3.0 + 0.5) / 3.0, "mean kappa");
}

Test(hand, krippendorff_2011_four_coder_example_has_alpha_0_743) {
  const int32_t v[] = {1, 1, M, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3,
                       2, 2, 2, 2, 1, 2, 3, 4, 4, 4, 4, 4, 1, 1, 2, 1,
                       2, 2, 2, 2, M, 5, 5, 5, M, M, 1, 1, M, 3, M, M};
  ThemaRelMatrix m = matrix(v, 12, 4, 6);
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_OK);
  char s[16];
  snprintf(s, sizeof s, "%.3f", a.alpha);
  cr_assert_str_eq(s, "0.743");
  near(a.alpha, 904.0 / 1216.0, "alpha exact");
  cr_assert_eq(a.n, 40);
  cr_assert_eq(a.units, 11);
  near(a.do_, 8.0 / 40.0, "Do");
}

/* ---- undefined figures ---- */

Test(undefined, kappa_without_variation_and_without_overlap) {
  const int32_t same[] = {0, 0, 0, 0, 0, 0};
  ThemaRelMatrix m = matrix(same, 3, 2, 1);
  ThemaPairCounts pc = counts(&m, 0, 1);
  ThemaKappa k;
  double p;
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_NO_VARIATION);
  cr_assert_eq(thema_agreement_percent(&pc, &p), THEMA_AGREEMENT_OK);
  cr_assert_eq(p, 1.0);
  thema_agreement_pair_free(&pc);
  cr_assert_str_eq(thema_agreement_reason(THEMA_AGREEMENT_NO_VARIATION),
                   "kappa undefined: both coders used one and the same category for every "
                   "unit");
  const int32_t apart[] = {0, M, M, 1};
  m = matrix(apart, 2, 2, 2);
  pc = counts(&m, 0, 1);
  cr_assert_eq(thema_agreement_percent(&pc, &p), THEMA_AGREEMENT_NO_OVERLAP);
  cr_assert_eq(thema_agreement_kappa(&pc, &k), THEMA_AGREEMENT_NO_OVERLAP);
  thema_agreement_pair_free(&pc);
  cr_assert_str_eq(thema_agreement_reason(THEMA_AGREEMENT_NO_OVERLAP),
                   "no units coded by both coders");
  ThemaAlpha a;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_NO_PAIRABLE);
  cr_assert_str_eq(thema_agreement_reason(THEMA_AGREEMENT_NO_PAIRABLE),
                   "alpha undefined: no pairable units");
  ThemaRelMatrix empty = matrix(NULL, 0, 0, 0);
  cr_assert_eq(alpha_of(&empty, &a), THEMA_AGREEMENT_NO_PAIRABLE);
}

Test(undefined, alpha_with_one_category_and_its_bootstrap) {
  const int32_t v[] = {0, 0, 0, 0, 0, M, M, 0, 0};
  ThemaRelMatrix m = matrix(v, 3, 3, 1);
  ThemaAlpha a;
  ThemaBootstrap b;
  cr_assert_eq(alpha_of(&m, &a), THEMA_AGREEMENT_ONE_CATEGORY);
  cr_assert_eq(boot_of(&m, 10, 0.95, 1, &b), THEMA_AGREEMENT_ONE_CATEGORY);
  cr_assert_str_eq(thema_agreement_reason(THEMA_AGREEMENT_ONE_CATEGORY),
                   "alpha undefined: all pairable values are in one category");
}

Test(undefined, bootstrap_counts_the_resamples_it_skips) {
  /* u1 x x, u2 x x, u3 x y, 200 resamples, seed 7: pinned from the Lua
   * library (lo -0.66666666666666674, hi 0, 144 used, 56 skipped) */
  const int32_t v[] = {0, 0, 0, 0, 0, 1};
  ThemaRelMatrix m = matrix(v, 3, 2, 2);
  ThemaBootstrap b;
  cr_assert_eq(boot_of(&m, 200, 0.95, 7, &b), THEMA_AGREEMENT_OK);
  cr_assert_eq(b.samples, 144);
  cr_assert_eq(b.skipped, 56);
  bits(b.lo, "-0.66666666666666674", "lo");
  bits(b.hi, "0", "hi");
}

Test(undefined, bootstrap_fails_when_every_resample_is_undefined) {
  /* u1 x x, u2 y y: a resample of u1 twice or u2 twice has one category */
  const int32_t v[] = {0, 0, 1, 1};
  ThemaRelMatrix m = matrix(v, 2, 2, 2);
  int found = 0;
  for (int64_t seed = 1; seed <= 20 && !found; seed++) {
    ThemaBootstrap b;
    int status = boot_of(&m, 1, 0.95, seed, &b);
    if (status == THEMA_AGREEMENT_ALL_SKIPPED) {
      found = 1;
      cr_assert_eq(b.skipped, 1);
    } else {
      cr_assert_eq(status, THEMA_AGREEMENT_OK);
      cr_assert_eq(b.lo, 1.0);
      cr_assert_eq(b.hi, 1.0);
    }
  }
  cr_assert(found, "some seed draws a one-category resample");
  cr_assert_str_eq(thema_agreement_reason(THEMA_AGREEMENT_ALL_SKIPPED),
                   "alpha undefined in every bootstrap sample");
}

/* ---- quantiles, slices and pooling ---- */

Test(quantile, is_type_7) {
  /* R: quantile(1:4, c(0, .25, .5, .9, 1)) = 1, 1.75, 2.5, 3.7, 4 */
  const double x[] = {1, 2, 3, 4};
  cr_assert_eq(thema_agreement_quantile(x, 4, 0), 1.0);
  cr_assert_eq(thema_agreement_quantile(x, 4, 0.25), 1.75);
  cr_assert_eq(thema_agreement_quantile(x, 4, 0.5), 2.5);
  near(thema_agreement_quantile(x, 4, 0.9), 3.7, "0.9");
  cr_assert_eq(thema_agreement_quantile(x, 4, 1), 4.0);
  const double one[] = {-0.5};
  cr_assert_eq(thema_agreement_quantile(one, 1, 0.025), -0.5);
  cr_assert_eq(thema_agreement_quantile(one, 1, 0.975), -0.5);
}

Test(pooled, slices_of_stacked_matrices_measure_each_matrix) {
  Fixture f, g;
  ThemaRelMatrix a = read_fixture("diagnoses-raters-1-2.csv", &f);
  ThemaRelMatrix b = read_fixture("missing-small.csv", &g);
  ThemaAlphaUnits u = {0};
  size_t na = thema_agreement_units_add(&u, &a), nb = thema_agreement_units_add(&u, &b);
  cr_assert_eq(na, 30);
  cr_assert_eq(nb, 10);
  ThemaAlpha whole, part;
  cr_assert_eq(thema_agreement_alpha(&u, na, nb, &part), THEMA_AGREEMENT_OK);
  cr_assert_eq(alpha_of(&b, &whole), THEMA_AGREEMENT_OK);
  cr_assert_eq(part.alpha, whole.alpha, "a slice is its matrix");
  ThemaBootstrap x, y;
  cr_assert_eq(thema_agreement_bootstrap(&u, na, nb, 300, 0.95, 5, &x), THEMA_AGREEMENT_OK);
  cr_assert_eq(boot_of(&b, 300, 0.95, 5, &y), THEMA_AGREEMENT_OK);
  cr_assert_eq(x.lo, y.lo);
  cr_assert_eq(x.hi, y.hi);
  thema_agreement_units_free(&u);
}

Test(pooled, merged_pair_counts_are_the_stacked_matrix_counts) {
  /* the binary matrices of two codes, and the two stacked */
  const int32_t c1[] = {1, 1, 0, 1, 0, 0, 1, M};
  const int32_t c2[] = {0, 0, 1, 0, 0, 0, 0, M};
  const int32_t both[] = {1, 1, 0, 1, 0, 0, 1, M, 0, 0, 1, 0, 0, 0, 0, M};
  ThemaRelMatrix m1 = matrix(c1, 4, 2, 2), m2 = matrix(c2, 4, 2, 2),
                 mb = matrix(both, 8, 2, 2);
  ThemaPairCounts p1 = counts(&m1, 0, 1), p2 = counts(&m2, 0, 1), pb = counts(&mb, 0, 1);
  thema_agreement_pair_merge(&p1, &p2);
  ThemaKappa k1, kb;
  cr_assert_eq(thema_agreement_kappa(&p1, &k1), THEMA_AGREEMENT_OK);
  cr_assert_eq(thema_agreement_kappa(&pb, &kb), THEMA_AGREEMENT_OK);
  cr_assert_eq(k1.kappa, kb.kappa);
  cr_assert_eq(k1.n, 6);
  thema_agreement_pair_free(&p1);
  thema_agreement_pair_free(&p2);
  thema_agreement_pair_free(&pb);
}

/* ---- the plugin's matrices (reliability.c) ---- */

/* The hand-worked case of tests/e2e/agreement.sh: sources extra (2 units)
 * and hand (u1..u6); codes t/a (id 1), t/b (2), t/c (3).
 *        u1   u2   u3    u4   u5   u6       extra/1  extra/2
 *   X    a    a    a,b   b    -    a        t/a      t/c
 *   Y    a    b    a     b    a    a,b      -        -        */
typedef struct HandUnit {
  const char *source;
  int ordinal;
  const char *x, *y; /* codes as letters */
} HandUnit;

static const HandUnit hand[] = {{"extra", 1, "a", ""},  {"extra", 2, "c", ""},
                                {"hand", 1, "a", "a"},  {"hand", 2, "a", "b"},
                                {"hand", 3, "ab", "a"}, {"hand", 4, "b", "b"},
                                {"hand", 5, "", "a"},   {"hand", 6, "a", "ab"}};

static void feed_hand(ThemaReliability *r) {
  static const char *const paths[] = {"t/a", "t/b", "t/c"};
  for (size_t i = 0; i < sizeof hand / sizeof hand[0]; i++) {
    ThemaRelCoding k[4];
    size_t n = 0;
    for (int who = 0; who < 2; who++)
      for (const char *c = who ? hand[i].y : hand[i].x; *c; c++)
        k[n++] = (ThemaRelCoding){who, *c - 'a' + 1, paths[*c - 'a']};
    char text[32];
    snprintf(text, sizeof text, "turn %d", hand[i].ordinal);
    ThemaRelUnit u = {hand[i].source, hand[i].ordinal, "R1", text, strlen(text), k, n};
    thema_reliability_add(r, &u);
  }
}

static void figures4(const ThemaRelFigures *f, size_t units, const char *percent,
                     const char *kappa, const char *alpha) {
  cr_assert_eq(f->units, units);
  cr_assert_eq(f->npercent, 1);
  eq4(f->percent, percent, "percent");
  cr_assert_eq(f->nkappa, 1);
  eq4(f->kappa, kappa, "kappa");
  cr_assert_eq(f->alpha_status, THEMA_AGREEMENT_OK);
  eq4(f->alpha.alpha, alpha, "alpha");
  cr_assert_eq(f->boot_status, THEMA_AGREEMENT_OK);
  cr_assert_leq(f->boot.lo, f->boot.hi);
}

Test(reliability, binary_figures_of_the_hand_worked_case) {
  ThemaRelOptions o = {.ncoders = 2, .samples = 200, .seed = 1, .level = 0.95};
  ThemaReliability *r = thema_reliability_new(&o);
  feed_hand(r);
  const ThemaRelResult *res = thema_reliability_finish(r);
  cr_assert_eq(res->nunits, 8);
  cr_assert_eq(res->ncodes, 2, "t/c is used only where Y did not look");
  cr_assert_str_eq(res->codes[0], "t/a");
  cr_assert_str_eq(res->codes[1], "t/b");
  figures4(&res->by_code[0], 6, "66.6667", "0.2500", "0.3125");
  figures4(&res->by_code[1], 6, "50.0000", "0.0000", "0.0571");
  figures4(res->overall, 12, "58.3333", "0.1667", "0.1958");
  cr_assert_eq(res->overall->coders, 2);
  /* disagreements: t/a on hand 2 and 5, t/b on hand 2, 3 and 6 */
  static const struct {
    int code, ordinal, x, y;
  } want[] = {{0, 2, 1, 0}, {0, 5, 0, 1}, {1, 2, 0, 1}, {1, 3, 1, 0}, {1, 6, 0, 1}};
  cr_assert_eq(res->ndisagreements, 5);
  for (size_t i = 0; i < 5; i++) {
    const ThemaRelDisagreement *d = &res->disagreements[i];
    const ThemaRelSegment *s = &res->segments[d->segment];
    cr_assert_eq(d->code, want[i].code, "row %zu", i);
    cr_assert_str_eq(s->source, "hand");
    cr_assert_eq(s->ordinal, want[i].ordinal, "row %zu", i);
    cr_assert_eq(d->values[0], want[i].x, "row %zu", i);
    cr_assert_eq(d->values[1], want[i].y, "row %zu", i);
    char text[32];
    snprintf(text, sizeof text, "turn %d", want[i].ordinal);
    cr_assert_str_eq(s->text, text);
    cr_assert_str_eq(s->speaker, "R1");
  }
  cr_assert_eq(res->nsegments, 4, "hand 2, 3, 5 and 6 keep their text");
  thema_reliability_free(r);
}

Test(reliability, codes_option_keeps_a_code_and_those_under_it) {
  const char *const keep[] = {"t/b"};
  ThemaRelOptions o = {
      .ncoders = 2, .codes = keep, .ncodes = 1, .samples = 10, .level = 0.9};
  ThemaReliability *r = thema_reliability_new(&o);
  feed_hand(r);
  const ThemaRelResult *res = thema_reliability_finish(r);
  cr_assert_eq(res->ncodes, 1);
  cr_assert_str_eq(res->codes[0], "t/b");
  cr_assert_eq(res->overall->units, 6);
  cr_assert_eq(res->ndisagreements, 3);
  thema_reliability_free(r);
  const char *const none[] = {"t/a/x"};
  o.codes = none;
  r = thema_reliability_new(&o);
  feed_hand(r);
  res = thema_reliability_finish(r);
  cr_assert_eq(res->ncodes, 0);
  cr_assert_eq(res->overall->alpha_status, THEMA_AGREEMENT_NO_PAIRABLE);
  cr_assert_eq(res->overall->pairs[0].percent_status, THEMA_AGREEMENT_NO_OVERLAP);
  thema_reliability_free(r);
}

Test(reliability, nominal_mode_reports_units_given_two_codes) {
  ThemaRelOptions o = {.ncoders = 2, .nominal = 1, .samples = 10, .level = 0.95};
  ThemaReliability *r = thema_reliability_new(&o);
  feed_hand(r);
  const ThemaRelResult *res = thema_reliability_finish(r);
  cr_assert_eq(res->nconflicts, 2);
  cr_assert_eq(res->nconflicts_shown, 2);
  cr_assert_eq(res->conflicts[0].coder, 0);
  cr_assert_str_eq(res->conflicts[0].source, "hand");
  cr_assert_eq(res->conflicts[0].ordinal, 3);
  cr_assert_str_eq(res->conflicts[0].code_lo, "t/a");
  cr_assert_str_eq(res->conflicts[0].code_hi, "t/b");
  cr_assert_eq(res->conflicts[1].coder, 1);
  cr_assert_eq(res->conflicts[1].ordinal, 6);
  thema_reliability_free(r);
}

Test(reliability, nominal_figures_with_one_code_only) {
  /* codes=t/a: X gives a on hand 1 2 3 6 (and extra 1), Y on hand 1 3 5 6;
   * both on hand 1 3 6, all t/a: 100 %, kappa and alpha undefined */
  const char *const keep[] = {"t/a"};
  ThemaRelOptions o = {
      .ncoders = 2, .nominal = 1, .codes = keep, .ncodes = 1, .samples = 10, .level = 0.95};
  ThemaReliability *r = thema_reliability_new(&o);
  feed_hand(r);
  const ThemaRelResult *res = thema_reliability_finish(r);
  cr_assert_eq(res->nconflicts, 0);
  const ThemaRelFigures *f = res->overall;
  cr_assert_eq(f->units, 3);
  eq4(f->percent, "100.0000", "percent");
  cr_assert_eq(f->nkappa, 0);
  cr_assert_eq(f->pairs[0].kappa_status, THEMA_AGREEMENT_NO_VARIATION);
  cr_assert_eq(f->alpha_status, THEMA_AGREEMENT_ONE_CATEGORY);
  cr_assert_eq(res->ndisagreements, 0);
  thema_reliability_free(r);
}

/* Seeded random codings of 3 coders on 4 sources of 150 units, 6 codes. */
static void feed_random(ThemaReliability *r) {
  static const char *const paths[] = {"a/1", "a/2", "b/1", "b/2", "c", "d"};
  ThemaPrng g;
  thema_prng_seed(&g, 2026);
  for (int s = 0; s < 4; s++) {
    char source[16];
    snprintf(source, sizeof source, "src%d", s);
    for (int u = 1; u <= 150; u++) {
      ThemaRelCoding k[12];
      size_t n = 0;
      for (int c = 0; c < 3; c++) {
        if ((s + c) % 4 == 3) continue; /* each coder leaves one source out */
        for (int x = (int)thema_prng_index(&g, 3); x > 0; x--) {
          int code = (int)thema_prng_index(&g, 6);
          k[n++] = (ThemaRelCoding){c, code + 1, paths[code]};
        }
      }
      ThemaRelUnit unit = {source, u, NULL, "text", 4, k, n};
      thema_reliability_add(r, &unit);
    }
  }
}

Test(reliability, figures_do_not_depend_on_the_number_of_threads) {
  const ThemaRelResult *res[3];
  ThemaReliability *r[3];
  for (int t = 0; t < 3; t++) {
    ThemaRelOptions o = {
        .ncoders = 3, .samples = 300, .seed = 9, .level = 0.9, .threads = t == 2 ? 4 : t};
    r[t] = thema_reliability_new(&o);
    feed_random(r[t]);
    res[t] = thema_reliability_finish(r[t]);
  }
  cr_assert_eq(res[0]->ncodes, 6);
  for (int t = 1; t < 3; t++) {
    cr_assert_eq(res[t]->ncodes, res[0]->ncodes);
    for (size_t i = 0; i <= res[0]->ncodes; i++) {
      const ThemaRelFigures *a = i < res[0]->ncodes ? &res[0]->by_code[i] : res[0]->overall;
      const ThemaRelFigures *b = i < res[t]->ncodes ? &res[t]->by_code[i] : res[t]->overall;
      cr_assert_eq(a->boot_status, THEMA_AGREEMENT_OK);
      cr_assert_eq(a->alpha.alpha, b->alpha.alpha);
      cr_assert_eq(a->boot.lo, b->boot.lo, "matrix %zu, threads setting %d", i, t);
      cr_assert_eq(a->boot.hi, b->boot.hi, "matrix %zu, threads setting %d", i, t);
      cr_assert_eq(a->boot.skipped, b->boot.skipped);
    }
    cr_assert_eq(res[t]->ndisagreements, res[0]->ndisagreements);
  }
  /* the pooled slice is every code's units, stacked */
  size_t units = 0;
  for (size_t i = 0; i < res[0]->ncodes; i++) units += res[0]->by_code[i].units;
  cr_assert_eq(res[0]->overall->units, units);
  for (int t = 0; t < 3; t++) thema_reliability_free(r[t]);
}

Test(prng, skip_jumps_ahead_and_outputs_counts_back) {
  ThemaPrng a, b;
  thema_prng_seed(&a, -77);
  b = a;
  ThemaPrng start = a;
  for (int i = 0; i < 1000; i++) thema_prng_next(&a);
  thema_prng_skip(&b, 1000);
  cr_assert_eq(a.state, b.state);
  cr_assert_eq(thema_prng_next(&a), thema_prng_next(&b));
  cr_assert_eq(thema_prng_outputs(&start, &a), 1001);
  thema_prng_skip(&b, (uint64_t)1 << 40);
  cr_assert_eq(thema_prng_outputs(&start, &b), ((uint64_t)1 << 40) + 1001);
}

Test(pooled, resamples_in_parts_are_the_whole_bootstrap) {
  /* the resamples 0..k-1 and k..n-1 from the state after k x count outputs
   * give the alphas of one run: what the threads of reliability.c rely on */
  Fixture f;
  ThemaRelMatrix m = read_fixture("diagnoses-raters-1-2.csv", &f);
  ThemaAlphaUnits u = {0};
  size_t count = thema_agreement_units_add(&u, &m), first = 0;
  int status = THEMA_AGREEMENT_OK;
  double whole[300], parts[300];
  double *w = whole, *p1 = parts, *p2 = parts + 120;
  int64_t used_w, used_1, used_2;
  ThemaPrng g;
  thema_prng_seed(&g, 3);
  uint64_t out =
      thema_agreement_resample(&u, &first, &status, 1, count, 300, &g, &w, &used_w);
  cr_assert_eq(out, 300 * count, "no draw rejected");
  thema_prng_seed(&g, 3);
  thema_agreement_resample(&u, &first, &status, 1, count, 120, &g, &p1, &used_1);
  thema_prng_seed(&g, 3);
  thema_prng_skip(&g, 120 * count);
  thema_agreement_resample(&u, &first, &status, 1, count, 180, &g, &p2, &used_2);
  cr_assert_eq(used_1 + used_2, used_w);
  for (int i = 0; i < 300; i++) cr_assert_eq(whole[i], parts[i], "resample %d", i);
  ThemaBootstrap a, b;
  cr_assert_eq(thema_agreement_interval(whole, used_w, 300, 0.95, &a), THEMA_AGREEMENT_OK);
  cr_assert_eq(thema_agreement_bootstrap(&u, 0, count, 300, 0.95, 3, &b),
               THEMA_AGREEMENT_OK);
  cr_assert_eq(a.lo, b.lo);
  cr_assert_eq(a.hi, b.hi);
  thema_agreement_units_free(&u);
}
