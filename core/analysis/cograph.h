/*
 * cograph.h — the second method of the inductive pass: a graph of terms
 * that meet in the same segments, split into communities by the Leiden
 * algorithm (Traag, Waltman & van Eck 2019, igraph's implementation) with
 * the modularity objective. Each community of terms is a candidate theme.
 *
 * Nodes are the max_terms terms in most segments (ties: the lower column);
 * an edge joins two that meet in at least min_cooc segments with a positive
 * NPMI (coherence.h's formula), weighted by that NPMI. igraph's random
 * numbers come from a Mersenne Twister of our own, seeded with the seed and
 * installed only for the call, so the same input and seed give the same
 * communities.
 */
#ifndef THEMA_COGRAPH_H
#define THEMA_COGRAPH_H

#include <stdint.h>

#include "analysis/sparse.h"
#include "base/thema.h"

typedef struct ThemaCographOptions {
  int max_terms;     /* nodes at most (0: 1000) */
  int min_cooc;      /* segments two terms must share for an edge (0: 3) */
  double resolution; /* modularity's resolution γ (0: 1) */
  int64_t seed;      /* igraph's generator */
} ThemaCographOptions;

/* Communities of X's columns: community[j] in 0 .. *ncommunities - 1, or -1
 * for a term that is no node or has no edge; strength[j] is the term's
 * summed edge weight inside its community (its centrality there; 0 for -1).
 * Communities are numbered by decreasing total inner strength (ties: the
 * lowest column first). community and strength have X->ncols entries. */
int thema_cograph_communities(const ThemaCsr *X, const ThemaCographOptions *opt,
                              int32_t *community, double *strength, int *ncommunities,
                              ThemaError *err);

#endif
