/*
 * graph.h — measures of a directed network given as an edge list over
 * nodes 0..n-1 (igraph): in- and out-degree (distinct neighbours), in- and
 * out-strength (sum of edge weights: how often a node is named), and
 * betweenness (directed, unweighted: how often a node lies on the shortest
 * paths between others). Plain arrays in and out.
 */
#ifndef THEMA_ANALYSIS_GRAPH_H
#define THEMA_ANALYSIS_GRAPH_H

#include "base/thema.h"

typedef struct ThemaGraphMeasures {
  double *in_degree, *out_degree;     /* distinct neighbours */
  double *in_strength, *out_strength; /* summed weights */
  double *betweenness;
} ThemaGraphMeasures;

/* m edges from[i] -> to[i] with weight[i] (NULL: 1 each) over n nodes. Fills
 * *out with arrays of n values, owned by the caller (thema_graph_measures_free).
 * Parallel edges are summed; self-loops are refused. */
int thema_graph_measures(int n, int m, const int *from, const int *to, const double *weight,
                         ThemaGraphMeasures *out, ThemaError *err);
void thema_graph_measures_free(ThemaGraphMeasures *g);

#endif
