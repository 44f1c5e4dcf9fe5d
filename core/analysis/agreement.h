/*
 * agreement.h — inter-coder agreement kernels over plain arrays: percent
 * agreement and Cohen's kappa of a pair of coders, their means over pairs,
 * the pairable units of a reliability matrix, Krippendorff's alpha (nominal,
 * any number of coders, missing data), its seeded percentile bootstrap and
 * type-7 quantiles. No Lua and no SQL: lua/bind_stats.c gives them to Lua
 * as thema.stats, analysis/reliability.c feeds them from the store.
 *
 * The figures are those of plugins/lib/agreement.lua, the test oracle, to
 * the last bit: counts are 64-bit integers, every floating-point sum runs in
 * unit order and every division is the one the Lua library writes, so a
 * figure printed by either is the same string.
 */
#ifndef THEMA_AGREEMENT_H
#define THEMA_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/prng.h"

/* The value of a unit a coder did not code. */
#define THEMA_AGREEMENT_MISSING (-1)

/* Why a figure is undefined; thema_agreement_reason gives the sentence the
 * Lua library returns for it. */
enum {
  THEMA_AGREEMENT_OK = 0,
  THEMA_AGREEMENT_NO_OVERLAP,   /* no unit coded by both coders */
  THEMA_AGREEMENT_NO_VARIATION, /* kappa: both used one and the same category */
  THEMA_AGREEMENT_NO_PAIRABLE,  /* alpha: no unit with two values */
  THEMA_AGREEMENT_ONE_CATEGORY, /* alpha: every pairable value in one category */
  THEMA_AGREEMENT_ALL_SKIPPED   /* bootstrap: alpha undefined in every resample */
};

/* A static string for status (not THEMA_AGREEMENT_OK). */
const char *thema_agreement_reason(int status);

/* A reliability matrix (Krippendorff's term): units x coders of category ids
 * 0 .. ncategories - 1, or THEMA_AGREEMENT_MISSING. */
typedef struct ThemaRelMatrix {
  const int32_t *values; /* values[u * ncoders + j]: unit u, coder j (borrowed) */
  size_t nunits;         /* rows */
  int ncoders;           /* columns */
  int32_t ncategories;   /* one more than the largest id */
} ThemaRelMatrix;

/* ---- a pair of coders ---- */

/* Counts of the units two coders both coded; they add up over matrices (the
 * pooled figures of many codes). Create with thema_agreement_pair_init,
 * release with thema_agreement_pair_free. */
typedef struct ThemaPairCounts {
  int64_t n;           /* units both coders coded */
  int64_t agree;       /* of them, units with the same category */
  int32_t ncategories; /* entries of count_a and count_b */
  int64_t *count_a;    /* per category, the first coder's values (owned) */
  int64_t *count_b;    /* per category, the second coder's values (owned) */
} ThemaPairCounts;

void thema_agreement_pair_init(ThemaPairCounts *pc, int32_t ncategories);
void thema_agreement_pair_free(ThemaPairCounts *pc);
/* Add the units of m that coders a and b (column indices) both coded; m's
 * ncategories must not exceed pc's. */
void thema_agreement_pair_add(ThemaPairCounts *pc, const ThemaRelMatrix *m, int a, int b);
/* into += from (same ncategories). */
void thema_agreement_pair_merge(ThemaPairCounts *into, const ThemaPairCounts *from);

/* Percent agreement as a proportion: *p = agree / n. NO_OVERLAP when n == 0. */
int thema_agreement_percent(const ThemaPairCounts *pc, double *p);

typedef struct ThemaKappa {
  double kappa; /* (n*agree - S) / (n^2 - S), S = sum over c of n_a(c) n_b(c) */
  double po;    /* observed agreement, agree / n */
  double pe;    /* agreement expected by chance, S / n^2 */
  int64_t n;    /* units both coded */
} ThemaKappa;

/* Cohen's (1960) kappa from exact integer counts. NO_OVERLAP when n == 0,
 * NO_VARIATION when pe == 1 (then po is 1 too and kappa is 0/0; it is not
 * reported as 1: data without variation says nothing about chance-corrected
 * agreement). */
int thema_agreement_kappa(const ThemaPairCounts *pc, ThemaKappa *out);

/* The figures of one pair. */
typedef struct ThemaPairFigure {
  int a, b;           /* coder indices, a < b */
  int64_t n;          /* units both coded */
  int percent_status; /* THEMA_AGREEMENT_OK when percent is defined */
  double percent;     /* agree / n, a proportion */
  int kappa_status;   /* THEMA_AGREEMENT_OK when kappa is defined */
  ThemaKappa kappa;   /* Cohen's kappa and its parts */
} ThemaPairFigure;

/* Fill f from pc (percent and kappa with their statuses; a and b are left). */
void thema_agreement_pair_figure(const ThemaPairCounts *pc, ThemaPairFigure *f);

/* Means over the pairs whose figure is defined, in pair order: *percent =
 * 100 * (sum of the proportions) / their number (a percentage: the order of
 * operations the agreement plugin prints), *kappa = sum of the kappas / their
 * number (Light's kappa). *npercent and *nkappa count the defined pairs; a
 * mean is 0 when its count is. */
void thema_agreement_pair_means(const ThemaPairFigure *f, int npairs, double *percent,
                                int *npercent, double *kappa, int *nkappa);

/* Mean pairwise Cohen's kappa of every pair a < b of m's coders: status
 * NO_OVERLAP (or the one pair's reason when there is one pair) when no pair
 * has kappa defined; *npairs (may be NULL) counts the defined pairs. */
int thema_agreement_mean_kappa(const ThemaRelMatrix *m, double *mean, int *npairs);

/* ---- Krippendorff's alpha ---- */

/* The number of pairable units of m (at least two values); for each coder
 * with a value in one of them gave[j] is set to 1 (gave may be NULL; it is
 * not cleared first, so it adds up over matrices). */
size_t thema_agreement_pairable(const ThemaRelMatrix *m, unsigned char *gave);

/* One distinct pairable-unit summary: the per-category counts of its values
 * and its contribution to the coincidence matrix. Units with the same counts
 * share one pattern, so a bootstrap of millions of units reads a few. */
typedef struct ThemaAlphaPattern {
  int64_t m;      /* values in the unit, >= 2 */
  double d;       /* (m^2 - sum_c n_uc^2) / (m - 1): its off-diagonal coincidences */
  uint32_t first; /* its (category, count) pairs: cells[2 * first ...] */
  uint32_t len;   /* number of categories with a nonzero count */
} ThemaAlphaPattern;

/* The pairable units of one or more matrices, in order, each as the index of
 * its pattern. Alpha and the bootstrap read a slice [first, first + count) of
 * them, so the units of many matrices appended one after another can be
 * measured matrix by matrix and pooled. Zero-initialise, add, then free. */
typedef struct ThemaAlphaUnits {
  uint32_t *unit;             /* pattern of each pairable unit (owned) */
  size_t nunits, cap;         /* units used and allocated */
  ThemaAlphaPattern *pattern; /* distinct patterns (owned) */
  size_t npatterns, pcap;     /* patterns used and allocated */
  int32_t *cells;             /* (category, count) pairs of the patterns (owned) */
  size_t ncells, ccap;        /* pairs used and allocated */
  uint32_t *slot;             /* open-addressing index of the patterns (owned) */
  size_t nslots;              /* its size, a power of two, or 0 */
  int32_t ncategories;        /* one more than the largest category seen */
} ThemaAlphaUnits;

/* Append the pairable units of m, in unit order; returns how many. */
size_t thema_agreement_units_add(ThemaAlphaUnits *u, const ThemaRelMatrix *m);
void thema_agreement_units_free(ThemaAlphaUnits *u);

typedef struct ThemaAlpha {
  double alpha; /* 1 - (n - 1) D / E */
  double do_;   /* observed disagreement D / n */
  double de;    /* expected disagreement E / (n (n - 1)) */
  int64_t n;    /* pairable values */
  size_t units; /* pairable units */
} ThemaAlpha;

/* Krippendorff's alpha for nominal data over the slice [first, first + count)
 * of u, via the coincidence matrix (Krippendorff 2011, section C): with o_ck
 * the coincidences, n_c = sum_k o_ck, n = sum_c n_c, D = sum over units of
 * their d (in order) and E = n^2 - sum_c n_c^2, alpha = 1 - (n - 1) D / E.
 * NO_PAIRABLE without units, ONE_CATEGORY when E == 0. */
int thema_agreement_alpha(const ThemaAlphaUnits *u, size_t first, size_t count,
                          ThemaAlpha *out);

typedef struct ThemaBootstrap {
  double lo;       /* the (1 - level) / 2 quantile of the resampled alphas */
  double hi;       /* the (1 + level) / 2 quantile */
  int64_t samples; /* resamples with alpha defined */
  int64_t skipped; /* resamples with alpha undefined (one category), left out */
} ThemaBootstrap;

/* Percentile bootstrap interval of alpha over a slice of u: `samples`
 * resamples of count units drawn with replacement from splitmix64(seed)
 * (thema_prng_index, in unit order within a resample), the type-7 quantiles
 * of the defined alphas at (1 - level) / 2 and 1 - (1 - level) / 2. The draws
 * and the figures are those of the Lua library's bootstrap_alpha. Takes time
 * linear in samples x count. Returns the slice's alpha status, or ALL_SKIPPED
 * when no resample has alpha defined. samples >= 1, 0 < level < 1. */
int thema_agreement_bootstrap(const ThemaAlphaUnits *u, size_t first, size_t count,
                              int64_t samples, double level, int64_t seed,
                              ThemaBootstrap *out);

/* The bootstraps of nslices slices of one length, first[s] .. first[s] +
 * count - 1 each, with one seed: the same draws resample every slice, so
 * each is made once and read in all of them (the per-code matrices of the
 * agreement plugin all have one length). out[s] and status[s] are what
 * thema_agreement_bootstrap returns for slice s, to the bit. Takes time
 * linear in samples x count x (1 + a fraction of nslices). */
void thema_agreement_bootstrap_many(const ThemaAlphaUnits *u, const size_t *first,
                                    size_t nslices, size_t count, int64_t samples,
                                    double level, int64_t seed, ThemaBootstrap *out,
                                    int *status);

/* The parts of a bootstrap, for callers that split one over threads:
 * resample the slices of one length whose status[s] is OK nsamples times,
 * drawing from g as it stands (thema_prng_skip positions a part that does
 * not start at the seed), and append each defined alpha to alphas[s] (room
 * for nsamples), counting them in used[s]. Returns the generator outputs
 * used: count x nsamples unless a draw was rejected, which shifts every later
 * part (its caller redoes them from the right state). */
uint64_t thema_agreement_resample(const ThemaAlphaUnits *u, const size_t *first,
                                  const int *status, size_t nslices, size_t count,
                                  int64_t nsamples, ThemaPrng *g, double *const *alphas,
                                  int64_t *used);

/* The interval from the used defined alphas of samples resamples (sorted
 * in place). ALL_SKIPPED when used == 0. */
int thema_agreement_interval(double *alphas, int64_t used, int64_t samples, double level,
                             ThemaBootstrap *out);

/* The type-7 quantile (R's default: linear interpolation between order
 * statistics) of sorted[0..n) at probability p in [0, 1]; n >= 1. */
double thema_agreement_quantile(const double *sorted, size_t n, double p);

/* Whether unit u of m has two values that differ (some pair of its coders
 * disagrees). */
int thema_agreement_unit_disagrees(const ThemaRelMatrix *m, size_t u);

#endif
