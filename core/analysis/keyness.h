/*
 * keyness.h — the 2×2 contingency kernels of corpus linguistics, over plain
 * counts: keyness of a term in one part of a corpus against another (G²
 * with its sign, log-ratio, p-value), association of two terms that occur
 * together (G², PMI, NPMI), and TF-IDF weights. No store, no Lua: the
 * commands, thema.corpus, the inductive pass and the comparative report all
 * call these, so a figure means the same everywhere.
 *
 * The 2×2 table of a term in a target part against a reference part:
 *
 *                 target     reference
 *   the term        a            b
 *   other tokens  n1 - a      n2 - b         (n1, n2: tokens of each part)
 *
 * G² is Dunning's (1993) log-likelihood ratio over all four cells,
 * 2 Σ O ln(O / E) with E from the margins; it is chi-square distributed
 * with 1 degree of freedom under independence, which gives p.
 */
#ifndef THEMA_KEYNESS_H
#define THEMA_KEYNESS_H

#include <stdint.h>

/* G² of the 2×2 table [[o11, o12], [o21, o22]] (counts >= 0; 0 for an empty
 * table or one with an empty margin). Never negative. */
double thema_keyness_g2_table(double o11, double o12, double o21, double o22);

/* The upper tail of chi-square with 1 degree of freedom at x >= 0:
 * erfc(sqrt(x / 2)). */
double thema_keyness_p_chisq1(double x);

typedef struct ThemaKeyness {
  int64_t a, b;     /* the term's count in the target, in the reference */
  int64_t n1, n2;   /* tokens in the target, in the reference */
  double g2;        /* G², signed: positive when the term is relatively more
                       frequent in the target (a/n1 > b/n2), negative when less */
  double log_ratio; /* log2((a/n1) / (b/n2)) (Hardie 2014), a zero count taken
                       as 0.5 so that the ratio stays finite */
  double p;         /* p of |G²| under chi-square, 1 df */
} ThemaKeyness;

/* Keyness of a term counted a times among n1 target tokens and b times among
 * n2 reference tokens (0 <= a <= n1, 0 <= b <= n2, n1 + n2 > 0). Returns 0,
 * or -1 when the counts are inconsistent (then *out is zeroed). */
int thema_keyness(int64_t a, int64_t b, int64_t n1, int64_t n2, ThemaKeyness *out);

/* Association of a pair (x, y), e.g. a bigram "x y" or two terms in one
 * segment: o11 pairs are x with y, rx pairs have x in first place, cy have y
 * in second place, n pairs in all (0 <= o11 <= rx, cy <= n). */
typedef struct ThemaAssoc {
  double pmi;  /* log2(o11 n / (rx cy)); -INFINITY when o11 = 0 */
  double npmi; /* pmi / -log2(o11 / n), in [-1, 1]; -1 when o11 = 0, 1 when x
                  and y only ever occur together */
  double g2;   /* G² of [[o11, rx-o11], [cy-o11, n-rx-cy+o11]], signed like
                  keyness: negative when o11 is below its expected value */
} ThemaAssoc;

/* Returns 0, or -1 when the counts are inconsistent (then *out is zeroed). */
int thema_assoc(int64_t o11, int64_t rx, int64_t cy, int64_t n, ThemaAssoc *out);

/* The inverse document frequency of a term found in df of ndocs documents,
 * smoothed as scikit-learn's TfidfVectorizer does by default:
 * ln((1 + ndocs) / (1 + df)) + 1. A TF-IDF weight is count × idf, and a
 * document's weights are then scaled to unit length
 * (thema_tfidf_normalise). */
double thema_tfidf_idf(int64_t df, int64_t ndocs);
/* Scale w[0..n) to unit Euclidean length (left as it is when all zero). */
void thema_tfidf_normalise(double *w, int64_t n);

#endif
