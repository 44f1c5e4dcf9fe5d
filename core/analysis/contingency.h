/*
 * contingency.h — small-table statistics for comparing groups, over plain
 * numbers: Fisher's exact test on a 2x2 table with an effect size (the odds
 * ratio and its log with a Wald interval), the dominance of a distribution
 * (Gini coefficient, the top share), and the association of two codes in
 * the same units (Jaccard, lift). No Lua and no SQL: lua/bind_compare.c
 * gives them to Lua as thema.compare, plugins/compare.lua feeds them.
 *
 * The 2x2 table throughout is
 *
 *                 in the group   elsewhere
 *   with the code      a             b
 *   without it         c             d
 *
 * so "the group uses the code more" is a / (a + c) > b / (b + d).
 */
#ifndef THEMA_CONTINGENCY_H
#define THEMA_CONTINGENCY_H

#include <stddef.h>
#include <stdint.h>

typedef struct ThemaFisher {
  double p;         /* two-sided: the tables (same margins) no likelier than the one seen */
  double p_greater; /* one-sided: P(A >= a), the group uses the code more */
  double p_less;    /* one-sided: P(A <= a) */
  double odds_ratio;  /* (a d) / (b c) with 0.5 added to every cell when one is 0 */
  double log_odds;    /* its natural log */
  double log_odds_se; /* Wald standard error sqrt(1/a + 1/b + 1/c + 1/d), same cells */
  double expected;    /* a under independence: (a + b)(a + c) / n */
} ThemaFisher;

/* Fisher's exact test of the 2x2 table. The two-sided p sums the
 * hypergeometric probabilities of every table with the same margins that is
 * at most the observed one's times (1 + 1e-7), as R's fisher.test does.
 * Returns 0, or -1 when a count is negative or the table is empty (n == 0;
 * *out is then p = 1, effect 0). */
int thema_fisher_2x2(int64_t a, int64_t b, int64_t c, int64_t d, ThemaFisher *out);

/* The Gini coefficient of n non-negative values (0: all equal, towards 1:
 * one value holds everything), as sum_i (2i - n - 1) x_(i) / (n sum x) over
 * the values sorted ascending, i from 1. 0 when n < 2 or the sum is 0.
 * Returns -1 (and *g = 0) when a value is negative or not finite. */
int thema_gini(const double *x, size_t n, double *g);

/* The largest value's share of the sum (0 when the sum is 0); -1 as above. */
int thema_top_share(const double *x, size_t n, double *share);

/* Co-occurrence of two codes over n units: both in n_ab, the first in n_a,
 * the second in n_b. Jaccard n_ab / (n_a + n_b - n_ab) (0 when neither
 * occurs); lift n_ab n / (n_a n_b), how many times more often they meet than
 * if independent (0 when either never occurs). -1 when the counts are
 * inconsistent (n_ab above n_a or n_b, n_a or n_b above n). */
int thema_cooccurrence(int64_t n_ab, int64_t n_a, int64_t n_b, int64_t n, double *jaccard,
                       double *lift);

#endif
