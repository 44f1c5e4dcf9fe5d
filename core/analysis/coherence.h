/*
 * coherence.h — how well the top terms of a theme hang together in the
 * segments: NPMI (normalised pointwise mutual information, Bouma 2009) of
 * every pair of its top terms, with segments as the documents and a term
 * counted once per segment (boolean document co-occurrence), averaged over
 * the pairs — the measure of Lau, Newman & Baldwin (2014) and gensim's
 * CoherenceModel(coherence="c_npmi") when its window covers a whole segment:
 *
 *   NPMI(a, b) = log((P(a,b) + ε) / (P(a) P(b))) / -log(P(a,b) + ε),
 *   P(a) = D(a) / N, P(a,b) = D(a,b) / N, ε = 1e-12 (gensim's),
 *
 * so a pair that never meets scores about -1 and one that always meets 1.
 */
#ifndef THEMA_COHERENCE_H
#define THEMA_COHERENCE_H

#include <stdint.h>

#include "analysis/sparse.h"

/* For each term, the rows it occurs in (a transposed pattern of X). */
typedef struct ThemaPostings {
  int32_t nrows;  /* N: the documents (segments), empty ones included */
  int32_t nterms; /* columns of X */
  int64_t *ptr;   /* nterms + 1 offsets into rows */
  int32_t *rows;  /* increasing row numbers per term */
} ThemaPostings;

/* Build from X's pattern (stored values count whatever their weight);
 * release with thema_postings_free. */
void thema_postings_build(const ThemaCsr *X, ThemaPostings *out);
void thema_postings_free(ThemaPostings *p);

/* D(a): the rows term a occurs in. */
static inline int64_t thema_postings_df(const ThemaPostings *p, int32_t a) {
  return p->ptr[a + 1] - p->ptr[a];
}
/* D(a,b): the rows both occur in. */
int64_t thema_postings_both(const ThemaPostings *p, int32_t a, int32_t b);

/* NPMI of one pair, as above (0 when either term never occurs). */
double thema_npmi_pair(const ThemaPostings *p, int32_t a, int32_t b);

/* The mean NPMI over the n (n - 1) / 2 pairs of terms[0..n); 0 for n < 2. */
double thema_npmi_mean(const ThemaPostings *p, const int32_t *terms, int n);

#endif
