/*
 * themes.h — candidate themes from a segment × term TF-IDF matrix: the
 * method (NMF or term communities), the number of themes (given, or chosen
 * by stability over a range), each theme's top terms, NPMI coherence and
 * stability across seeds, which segments it covers, its most
 * representative segments, near-duplicate pairs, and its overlap with the
 * codes of a codebook. Plain arrays in and out: the store, the tokeniser
 * and Lua are the caller's business.
 *
 * Stability (Greene, O'Callaghan & Cunningham 2014): the pass is refitted
 * stability_runs times, fit s on a random subsample (a share `subsample`
 * of the segments, drawn from base/prng with seed + s) with seed + s and
 * ten times the tolerance (a refit shows which top terms come back; they
 * settle long before the last digits of the error); a
 * theme's match in fit s is the Jaccard index of its top terms and those of
 * the most similar theme of that fit; its stability is the share of fits in
 * which that match is at least THEMA_THEMES_REAPPEAR (it reappears), and
 * `match` is the mean of the matches.
 *
 * Coverage: a segment weighs nothing on a theme unless it uses one of the
 * theme's top terms; it is coded with its strongest theme and with every
 * other theme that carries at least min_share of its total theme weight;
 * a segment with no weight on any theme is coded with none.
 */
#ifndef THEMA_THEMES_H
#define THEMA_THEMES_H

#include <stdint.h>

#include "analysis/cograph.h"
#include "analysis/coherence.h"
#include "analysis/nmf.h"
#include "analysis/sparse.h"
#include "base/thema.h"

/* A theme reappears in a refit when its best match shares at least half of
 * ten top terms: Jaccard 5 / 15. */
#define THEMA_THEMES_REAPPEAR (1.0 / 3.0)

enum { THEMA_THEMES_NMF, THEMA_THEMES_LEIDEN };

typedef struct ThemaThemeOptions {
  int method;                /* THEMA_THEMES_NMF or THEMA_THEMES_LEIDEN */
  int k;                     /* themes; 0: choose in k_min .. k_max by stability */
  int k_min, k_max;          /* the range searched (NMF); Leiden's auto keeps up to k_max */
  int64_t seed;              /* of the main fit; refit s uses seed + s */
  int top_terms;             /* top terms kept per theme (coherence uses up to 10) */
  int min_terms;             /* Leiden: smallest community that is a theme */
  int stability_runs;        /* refits on subsamples (0: stability not measured) */
  double subsample;          /* share of segments in each refit, in (0, 1] */
  int max_iter;              /* NMF iterations at most */
  double tol;                /* NMF stopping tolerance */
  ThemaCographOptions graph; /* Leiden's graph (its seed is set from seed) */
} ThemaThemeOptions;

/* One value of k tried by the automatic choice. */
typedef struct ThemaThemeCandidate {
  int k;            /* themes */
  double stability; /* mean over themes of the mean best match */
  double coherence; /* mean NPMI of the themes' top-10 terms */
} ThemaThemeCandidate;

typedef struct ThemaThemeSet {
  int k;                /* themes found */
  int32_t nrows, ncols; /* segments, terms */
  double *weight;       /* nrows × k: each segment's weight on each theme */
  double *term;         /* k × ncols: each theme's term weights */
  int top_terms;        /* columns of top */
  int32_t *top;      /* k × top_terms: columns by decreasing weight, -1 after the last */
  double *coherence; /* k: NPMI of the top 10 (or fewer) terms */
  double *stability; /* k: share of refits it reappears in (-1: not measured) */
  double *match;     /* k: mean best-match Jaccard over refits (-1: not measured) */
  int iterations;    /* NMF iterations of the main fit (0 for Leiden) */
  int ncandidates;   /* values of k tried (0 when k was given) */
  ThemaThemeCandidate *candidates; /* in increasing k */
} ThemaThemeSet;

/* Fit the themes of X (rows normalised TF-IDF; P its postings). out is
 * filled and owned by the caller (thema_themes_free). Input errors: no
 * segment or term, k above the segments or terms, no community. */
int thema_themes_fit(const ThemaCsr *X, const ThemaPostings *P,
                     const ThemaThemeOptions *opt, ThemaThemeSet *out, ThemaError *err);
void thema_themes_free(ThemaThemeSet *t);

/* 1 when segment row is coded with theme t (see above). */
int thema_themes_covers(const ThemaThemeSet *t, int32_t row, int theme, double min_share);

/* The n segments most representative of theme t: covered by it, by
 * decreasing share of their theme weight on t, then decreasing weight,
 * then row. rows gets up to n rows; returns how many. */
int thema_themes_representative(const ThemaThemeSet *t, int theme, double min_share, int n,
                                int32_t *rows);

/* Cosine similarity of the term weights of themes a and b. */
double thema_themes_term_cosine(const ThemaThemeSet *t, int a, int b);

/* Jaccard index of two top-term lists (each -1-terminated or n long). */
double thema_themes_top_jaccard(const int32_t *a, const int32_t *b, int n);

/* Overlap of the themes with codes. covered is nrows × k (1: the theme
 * covers the row); code c codes the rows code_rows[code_ptr[c] ..
 * code_ptr[c + 1]) (sorted, unique, selected rows only). shared gets k ×
 * ncodes counts; code_size gets ncodes counts. */
void thema_themes_overlap(const uint8_t *covered, int32_t nrows, int k,
                          const int64_t *code_ptr, const int32_t *code_rows, int ncodes,
                          int64_t *shared, int64_t *code_size);

#endif
