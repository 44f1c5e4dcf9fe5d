/*
 * test_keyness.c — the 2×2 kernels (core/analysis/keyness.c) against values
 * worked out by hand from the cells, each written out in the test: G² as
 * 2 Σ O ln(O/E), its sign, the chi-square p, the log-ratio with its 0.5 for
 * a zero count, PMI and NPMI of a pair, and scikit-learn's smoothed idf.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "analysis/keyness.h"

#define near(x, want, tol)                                                                 \
  cr_assert_float_eq((x), (want), (tol), "%s = %.15g, want %.15g", #x, (double)(x),        \
                     (double)(want))

/* a = 10 of n1 = 1000 target tokens, b = 5 of n2 = 2000 reference tokens.
 * Margins 15 / 2985 and 1000 / 2000 of N = 3000; expected 5, 10, 995, 1990.
 * G² = 2 (10 ln 2 + 5 ln 0.5 + 990 ln(990/995) + 1995 ln(1995/1990))
 *    = 2 (6.93147 - 3.46574 - 4.98745 + 5.00627) = 6.96919. */
Test(keyness, g2_of_an_overused_term) {
  ThemaKeyness k;
  cr_assert_eq(thema_keyness(10, 5, 1000, 2000, &k), 0);
  near(k.g2, 6.969191931932806, 1e-12);
  near(k.p, 0.00829249358480712, 1e-12); /* erfc(sqrt(6.96919 / 2)) */
  near(k.log_ratio, 2.0, 1e-12);         /* log2(0.01 / 0.0025) */
  cr_assert_eq(k.a, 10);
  cr_assert_eq(k.b, 5);
  cr_assert_eq(k.n1, 1000);
  cr_assert_eq(k.n2, 2000);
}

/* The same table seen from the other side: same |G²|, negative, log-ratio -2. */
Test(keyness, sign_follows_the_relative_frequencies) {
  ThemaKeyness k;
  cr_assert_eq(thema_keyness(5, 10, 2000, 1000, &k), 0);
  near(k.g2, -6.969191931932806, 1e-12);
  near(k.log_ratio, -2.0, 1e-12);
  near(k.p, 0.00829249358480712, 1e-12);
}

/* A term absent from the target: a = 0, b = 20, n1 = 1000, n2 = 2000.
 * Expected a: 20 * 1000 / 3000 = 6.667; G² = 2 (0 + 20 ln(20 / 13.333)
 * + 1000 ln(1000 / 993.333) + 1980 ln(1980 / 1986.667)) = 16.2856;
 * log-ratio log2((0.5 / 1000) / (20 / 2000)) = log2(0.05) = -4.3219. */
Test(keyness, zero_count_is_finite) {
  ThemaKeyness k;
  cr_assert_eq(thema_keyness(0, 20, 1000, 2000, &k), 0);
  near(k.g2, -16.28564372320822, 1e-10);
  near(k.log_ratio, -4.321928094887363, 1e-12);
  near(k.p, 5.447511397747999e-05, 1e-15);
}

/* Equal relative frequencies: G² 0, p 1, log-ratio 0. */
Test(keyness, independence_gives_zero) {
  ThemaKeyness k;
  cr_assert_eq(thema_keyness(3, 6, 100, 200, &k), 0);
  near(k.g2, 0.0, 1e-12);
  near(k.p, 1.0, 1e-12);
  near(k.log_ratio, 0.0, 1e-12);
}

Test(keyness, inconsistent_counts_are_refused) {
  ThemaKeyness k;
  cr_assert_eq(thema_keyness(11, 0, 10, 5, &k), -1, "a > n1");
  cr_assert_eq(thema_keyness(-1, 0, 10, 5, &k), -1);
  cr_assert_eq(thema_keyness(0, 0, 0, 0, &k), -1, "an empty corpus");
  cr_assert_eq(k.g2, 0);
}

/* The 5% critical value of chi-square with 1 df is 3.841459. */
Test(keyness, p_of_chi_square_1df) {
  near(thema_keyness_p_chisq1(3.841458820694124), 0.05, 1e-12);
  near(thema_keyness_p_chisq1(0), 1.0, 0);
  near(thema_keyness_p_chisq1(10.827566170662733), 0.001, 1e-12);
}

/* A bigram seen 8 times in 1000 bigrams; its first word starts 20 of them,
 * its second word ends 10. PMI = log2(8 * 1000 / (20 * 10)) = log2(40) =
 * 5.321928; NPMI = 5.321928 / -log2(0.008) = 5.321928 / 6.965784 = 0.764010;
 * G² of [[8, 12], [2, 978]] (expected 0.2, 19.8, 9.8, 970.2) = 56.30906. */
Test(keyness, association_of_a_bigram) {
  ThemaAssoc a;
  cr_assert_eq(thema_assoc(8, 20, 10, 1000, &a), 0);
  near(a.pmi, 5.321928094887363, 1e-12);
  near(a.npmi, 0.7640098914067265, 1e-12);
  near(a.g2, 56.30906487701647, 1e-9);
}

/* Pairs that never meet: PMI -inf, NPMI -1; fewer than expected: G² < 0. */
Test(keyness, association_below_chance) {
  ThemaAssoc a;
  cr_assert_eq(thema_assoc(0, 20, 10, 1000, &a), 0);
  cr_assert(isinf(a.pmi) && a.pmi < 0);
  near(a.npmi, -1.0, 0);
  cr_assert(a.g2 < 0);
  cr_assert_eq(thema_assoc(1, 100, 100, 1000, &a), 0); /* expected 10 */
  cr_assert(a.pmi < 0 && a.g2 < 0 && a.npmi < 0);
  cr_assert_eq(thema_assoc(5, 4, 10, 1000, &a), -1, "o11 > rx");
}

/* Two words that only occur together, in every pair: NPMI 1. */
Test(keyness, association_perfect) {
  ThemaAssoc a;
  cr_assert_eq(thema_assoc(5, 5, 5, 100, &a), 0);
  near(a.npmi, 1.0, 1e-12);
}

/* idf = ln((1 + N) / (1 + df)) + 1: N = 10, df = 2 -> ln(11/3) + 1. */
Test(keyness, tfidf_idf_and_normalisation) {
  near(thema_tfidf_idf(2, 10), 2.2992829841302607, 1e-12);
  near(thema_tfidf_idf(10, 10), 1.0, 1e-12);
  double w[3] = {3, 0, 4};
  thema_tfidf_normalise(w, 3);
  near(w[0], 0.6, 1e-12);
  near(w[2], 0.8, 1e-12);
  double z[2] = {0, 0};
  thema_tfidf_normalise(z, 2);
  near(z[0], 0.0, 0);
}
