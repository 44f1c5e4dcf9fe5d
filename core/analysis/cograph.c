/*
 * cograph.c — term co-occurrence communities by Leiden (see cograph.h).
 */
#include "analysis/cograph.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NPMI_EPSILON 1e-12

typedef struct NodeOrder {
  int64_t df;  /* segments the term is in */
  int32_t col; /* its column */
} NodeOrder;

static int by_df_desc(const void *a, const void *b) {
  const NodeOrder *x = a, *y = b;
  if (x->df != y->df) return x->df > y->df ? -1 : 1;
  return (x->col > y->col) - (x->col < y->col);
}

typedef struct Community {
  double strength; /* summed inner strength of its terms */
  int32_t first;   /* its lowest column */
  int32_t id;      /* Leiden's number */
} Community;

static int by_strength_desc(const void *a, const void *b) {
  const Community *x = a, *y = b;
  if (x->strength != y->strength) return x->strength > y->strength ? -1 : 1;
  return (x->first > y->first) - (x->first < y->first);
}

int thema_cograph_communities(const ThemaCsr *X, const ThemaCographOptions *opt,
                              int32_t *community, double *strength, int *ncommunities,
                              ThemaError *err) {
  int max_terms = opt->max_terms > 0 ? opt->max_terms : 1000;
  int min_cooc = opt->min_cooc > 0 ? opt->min_cooc : 3;
  double gamma = opt->resolution > 0 ? opt->resolution : 1;
  int32_t m = X->ncols;
  int status = THEMA_OK;
  for (int32_t j = 0; j < m; j++) {
    community[j] = -1;
    strength[j] = 0;
  }
  *ncommunities = 0;

  /* the nodes: the terms in most segments */
  NodeOrder *order = thema_xcalloc((size_t)m + 1, sizeof *order);
  for (int32_t j = 0; j < m; j++) order[j].col = j;
  for (int64_t p = 0; p < X->rowptr[X->nrows]; p++) order[X->col[p]].df++;
  qsort(order, (size_t)m, sizeof *order, by_df_desc);
  int V = 0;
  while (V < m && V < max_terms && order[V].df >= min_cooc) V++;
  int32_t *node_of = thema_xmalloc(((size_t)m + 1) * sizeof *node_of);
  int32_t *col_of = thema_xmalloc(((size_t)V + 1) * sizeof *col_of);
  for (int32_t j = 0; j < m; j++) node_of[j] = -1;
  for (int v = 0; v < V; v++) {
    node_of[order[v].col] = v;
    col_of[v] = order[v].col;
  }
  /* co-occurrence counts, dense over the nodes (upper triangle used) */
  uint32_t *cooc = thema_xcalloc((size_t)V * (size_t)V + 1, sizeof *cooc);
  int32_t *in_row = thema_xmalloc(((size_t)V + 1) * sizeof *in_row);
  for (int32_t i = 0; i < X->nrows; i++) {
    int c = 0;
    for (int64_t p = X->rowptr[i]; p < X->rowptr[i + 1]; p++)
      if (node_of[X->col[p]] >= 0) in_row[c++] = node_of[X->col[p]];
    for (int a = 0; a < c; a++)
      for (int b = a + 1; b < c; b++) {
        int u = in_row[a] < in_row[b] ? in_row[a] : in_row[b];
        int w = in_row[a] < in_row[b] ? in_row[b] : in_row[a];
        cooc[(size_t)u * (size_t)V + (size_t)w]++;
      }
  }
  double N = X->nrows;
  igraph_vector_int_t edges, membership;
  igraph_vector_t weights, node_weights;
  igraph_vector_int_init(&edges, 0);
  igraph_vector_init(&weights, 0);
  igraph_vector_int_init(&membership, V);
  igraph_vector_init(&node_weights, V);
  double total = 0;
  for (int u = 0; u < V; u++)
    for (int w = u + 1; w < V; w++) {
      uint32_t c = cooc[(size_t)u * (size_t)V + (size_t)w];
      if (c < (uint32_t)min_cooc) continue;
      double pab = c / N + NPMI_EPSILON;
      double npmi =
          log(pab / (((double)order[u].df / N) * ((double)order[w].df / N))) / -log(pab);
      if (!(npmi > 0)) continue;
      igraph_vector_int_push_back(&edges, u);
      igraph_vector_int_push_back(&edges, w);
      igraph_vector_push_back(&weights, npmi);
      VECTOR(node_weights)[u] += npmi;
      VECTOR(node_weights)[w] += npmi;
      total += npmi;
    }
  if (total <= 0) { /* no edge: no community */
    goto done;
  }
  igraph_t graph;
  igraph_rng_t rng, *saved = igraph_rng_default();
  igraph_error_handler_t *handler = igraph_set_error_handler(igraph_error_handler_ignore);
  igraph_rng_init(&rng, &igraph_rngtype_mt19937);
  igraph_rng_seed(&rng, (igraph_uint_t)opt->seed);
  igraph_rng_set_default(&rng);
  igraph_integer_t nclusters = 0;
  igraph_real_t quality = 0;
  igraph_error_t rc = igraph_create(&graph, &edges, V, IGRAPH_UNDIRECTED);
  if (rc == IGRAPH_SUCCESS) {
    /* modularity: node weights are strengths, resolution γ / 2W */
    rc = igraph_community_leiden(&graph, &weights, &node_weights, gamma / (2 * total), 0.01,
                                 0, -1, &membership, &nclusters, &quality);
    igraph_destroy(&graph);
  }
  igraph_rng_set_default(saved);
  igraph_rng_destroy(&rng);
  igraph_set_error_handler(handler);
  if (rc != IGRAPH_SUCCESS) {
    status = thema_error_set(err, THEMA_ERUNTIME, "leiden: igraph failed: %s",
                             igraph_strerror(rc));
    goto done;
  }
  /* inner strength of each node, then communities ordered by strength */
  double *inner = thema_xcalloc((size_t)V + 1, sizeof *inner);
  for (igraph_integer_t e = 0; e < igraph_vector_size(&weights); e++) {
    igraph_integer_t u = VECTOR(edges)[2 * e], w = VECTOR(edges)[2 * e + 1];
    if (VECTOR(membership)[u] != VECTOR(membership)[w]) continue;
    inner[u] += VECTOR(weights)[e];
    inner[w] += VECTOR(weights)[e];
  }
  Community *comm = thema_xcalloc((size_t)nclusters + 1, sizeof *comm);
  for (igraph_integer_t c = 0; c < nclusters; c++) {
    comm[c].id = (int32_t)c;
    comm[c].first = INT32_MAX;
  }
  for (int v = 0; v < V; v++) {
    Community *c = &comm[VECTOR(membership)[v]];
    c->strength += inner[v];
    if (col_of[v] < c->first) c->first = col_of[v];
  }
  qsort(comm, (size_t)nclusters, sizeof *comm, by_strength_desc);
  int32_t *rank = thema_xmalloc(((size_t)nclusters + 1) * sizeof *rank);
  int kept = 0;
  for (igraph_integer_t c = 0; c < nclusters; c++)
    rank[comm[c].id] = comm[c].strength > 0 ? kept++ : -1;
  for (int v = 0; v < V; v++) {
    int32_t r = rank[VECTOR(membership)[v]];
    if (r < 0 || inner[v] <= 0) continue; /* a term with no inner edge is no member */
    community[col_of[v]] = r;
    strength[col_of[v]] = inner[v];
  }
  *ncommunities = kept;
  free(inner);
  free(comm);
  free(rank);
done:
  igraph_vector_int_destroy(&edges);
  igraph_vector_int_destroy(&membership);
  igraph_vector_destroy(&weights);
  igraph_vector_destroy(&node_weights);
  free(order);
  free(node_of);
  free(col_of);
  free(cooc);
  free(in_row);
  return status;
}
