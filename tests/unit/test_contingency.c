/*
 * test_contingency.c — analysis/contingency.h against published and exact
 * figures: Fisher's lady tasting tea (Fisher 1935: p = 34/70 two-sided,
 * 17/70 one-sided), the 2x2 example of Wikipedia's "Fisher's exact test"
 * (p = 0.002759, R's fisher.test), exact rational sums for a lopsided and a
 * large table, the effect size with and without the 0.5 correction; the Gini
 * coefficient of 1..5 (4/15) and of one holder; top share; Jaccard and lift;
 * bad input refused.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "analysis/contingency.h"

#define NEAR(x, want, tol) cr_expect(fabs((x) - (want)) <= (tol), "%.17g != %.17g", x, want)

Test(fisher, lady_tasting_tea) {
  ThemaFisher f;
  cr_assert_eq(thema_fisher_2x2(3, 1, 1, 3, &f), 0);
  NEAR(f.p, 34.0 / 70, 1e-12);
  NEAR(f.p_greater, 17.0 / 70, 1e-12);
  NEAR(f.p_less, 69.0 / 70, 1e-12);
  NEAR(f.odds_ratio, 9.0, 1e-12);
  NEAR(f.log_odds, log(9.0), 1e-12);
  NEAR(f.log_odds_se, sqrt(1 / 3.0 + 1 + 1 + 1 / 3.0), 1e-12);
  NEAR(f.expected, 2.0, 1e-12);
}

Test(fisher, published_example_and_exact_sums) {
  ThemaFisher f;
  cr_assert_eq(thema_fisher_2x2(1, 9, 11, 3, &f), 0);
  NEAR(f.p, 0.0027594561852200836, 1e-12);
  cr_expect(fabs(f.p - 0.002759) < 5e-7, "R prints 0.002759, got %g", f.p);
  NEAR(f.p_less, 0.0013797280926100418, 1e-12);
  NEAR(f.p_greater, 0.9999663480953022, 1e-12);
  /* a zero cell: 0.5 added to each */
  cr_assert_eq(thema_fisher_2x2(0, 5, 5, 0, &f), 0);
  NEAR(f.p, 0.007936507936507936, 1e-12);
  NEAR(f.odds_ratio, 0.5 * 0.5 / (5.5 * 5.5), 1e-12);
  /* a large table: the probabilities are relative to the mode, no underflow */
  cr_assert_eq(thema_fisher_2x2(30, 70, 20, 880, &f), 0);
  NEAR(f.p / 1.3217037116365615e-19, 1.0, 1e-7);
  NEAR(f.p_greater / 1.3217037116365615e-19, 1.0, 1e-7);
  NEAR(f.p_less, 1.0, 1e-12);
  cr_assert_eq(thema_fisher_2x2(4000, 6000, 5000, 5000, &f), 0);
  cr_expect(f.p >= 0 && f.p < 1e-40, "%g", f.p);
}

Test(fisher, symmetric_tables_have_p_one_and_bad_input_is_refused) {
  ThemaFisher f;
  cr_assert_eq(thema_fisher_2x2(5, 5, 5, 5, &f), 0);
  NEAR(f.p, 1.0, 1e-12);
  NEAR(f.log_odds, 0.0, 1e-12);
  cr_expect_eq(thema_fisher_2x2(0, 0, 0, 0, &f), -1);
  cr_expect_eq(f.p, 1.0);
  cr_expect_eq(thema_fisher_2x2(-1, 2, 3, 4, &f), -1);
}

Test(dominance, gini_and_top_share) {
  double g, s;
  const double ramp[] = {1, 2, 3, 4, 5};
  cr_assert_eq(thema_gini(ramp, 5, &g), 0);
  NEAR(g, 4.0 / 15, 1e-12);
  const double same[] = {7, 7, 7};
  cr_assert_eq(thema_gini(same, 3, &g), 0);
  NEAR(g, 0.0, 1e-12);
  const double one[] = {0, 0, 0, 10};
  cr_assert_eq(thema_gini(one, 4, &g), 0);
  NEAR(g, 3.0 / 4, 1e-12); /* (n - 1) / n: one holder of all */
  cr_assert_eq(thema_top_share(one, 4, &s), 0);
  NEAR(s, 1.0, 1e-12);
  cr_assert_eq(thema_top_share(ramp, 5, &s), 0);
  NEAR(s, 5.0 / 15, 1e-12);
  const double unsorted[] = {5, 1, 4, 2, 3};
  cr_assert_eq(thema_gini(unsorted, 5, &g), 0);
  NEAR(g, 4.0 / 15, 1e-12);
  cr_assert_eq(thema_gini(ramp, 1, &g), 0);
  NEAR(g, 0.0, 0);
  const double bad[] = {1, -2};
  cr_expect_eq(thema_gini(bad, 2, &g), -1);
  cr_expect_eq(thema_top_share(bad, 2, &s), -1);
  const double inf[] = {1, INFINITY};
  cr_expect_eq(thema_gini(inf, 2, &g), -1);
}

Test(cooccurrence, jaccard_and_lift) {
  double j, l;
  cr_assert_eq(thema_cooccurrence(2, 4, 6, 20, &j, &l), 0);
  NEAR(j, 2.0 / 8, 1e-12);
  NEAR(l, 2.0 * 20 / 24, 1e-12);
  cr_assert_eq(thema_cooccurrence(0, 0, 0, 20, &j, &l), 0);
  NEAR(j, 0.0, 0);
  NEAR(l, 0.0, 0);
  cr_expect_eq(thema_cooccurrence(5, 4, 6, 20, &j, &l), -1);
  cr_expect_eq(thema_cooccurrence(1, 30, 6, 20, &j, &l), -1);
}
