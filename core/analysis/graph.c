/*
 * graph.c — network measures through igraph. Parallel edges are merged
 * first (their weights summed), so degree counts distinct neighbours and
 * betweenness runs on the simple graph.
 */
#include "analysis/graph.h"

#include <igraph.h>
#include <stdlib.h>
#include <string.h>

static int to_status(igraph_error_t rc, ThemaError *err, const char *what) {
  if (rc == IGRAPH_SUCCESS) return THEMA_OK;
  return thema_error_set(err, THEMA_ERUNTIME, "graph measures: %s: %s", what,
                         igraph_strerror(rc));
}

int thema_graph_measures(int n, int m, const int *from, const int *to, const double *weight,
                         ThemaGraphMeasures *out, ThemaError *err) {
  memset(out, 0, sizeof *out);
  if (n < 0 || m < 0) return thema_error_set(err, THEMA_EUSAGE, "graph: negative size");
  for (int i = 0; i < m; i++) {
    if (from[i] < 0 || from[i] >= n || to[i] < 0 || to[i] >= n)
      return thema_error_set(err, THEMA_EUSAGE, "graph: edge %d names a node outside 0..%d",
                             i + 1, n - 1);
    if (from[i] == to[i])
      return thema_error_set(err, THEMA_EUSAGE, "graph: edge %d is a loop on node %d",
                             i + 1, from[i]);
  }
  /* igraph aborts on errors unless told otherwise; every call is checked. */
  igraph_set_error_handler(igraph_error_handler_ignore);
  out->in_degree = thema_xcalloc((size_t)(n ? n : 1), sizeof(double));
  out->out_degree = thema_xcalloc((size_t)(n ? n : 1), sizeof(double));
  out->in_strength = thema_xcalloc((size_t)(n ? n : 1), sizeof(double));
  out->out_strength = thema_xcalloc((size_t)(n ? n : 1), sizeof(double));
  out->betweenness = thema_xcalloc((size_t)(n ? n : 1), sizeof(double));
  for (int i = 0; i < m; i++) {
    double w = weight ? weight[i] : 1.0;
    out->out_strength[from[i]] += w;
    out->in_strength[to[i]] += w;
  }
  if (n == 0) return THEMA_OK;
  igraph_vector_int_t edges;
  igraph_t g;
  igraph_vector_t res;
  int rc = THEMA_OK, made = 0;
  if (to_status(igraph_vector_int_init(&edges, 2 * (igraph_integer_t)m), err, "edges"))
    return err->status;
  for (int i = 0; i < m; i++) {
    VECTOR(edges)[2 * i] = from[i];
    VECTOR(edges)[2 * i + 1] = to[i];
  }
  if ((rc = to_status(igraph_create(&g, &edges, n, IGRAPH_DIRECTED), err, "create")))
    goto done;
  made = 1;
  /* Parallel edges merged: the degree and the paths of the simple graph. */
  if ((rc = to_status(igraph_simplify(&g, 1, 1, NULL), err, "simplify"))) goto done;
  if ((rc = to_status(igraph_vector_init(&res, n), err, "vector"))) goto done;
  igraph_vector_int_t deg;
  if (!(rc = to_status(igraph_vector_int_init(&deg, n), err, "vector"))) {
    if (!(rc = to_status(igraph_degree(&g, &deg, igraph_vss_all(), IGRAPH_IN, 0), err,
                         "in-degree")))
      for (int i = 0; i < n; i++) out->in_degree[i] = (double)VECTOR(deg)[i];
    if (!rc && !(rc = to_status(igraph_degree(&g, &deg, igraph_vss_all(), IGRAPH_OUT, 0),
                                err, "out-degree")))
      for (int i = 0; i < n; i++) out->out_degree[i] = (double)VECTOR(deg)[i];
    igraph_vector_int_destroy(&deg);
  }
  if (!rc && !(rc = to_status(igraph_betweenness(&g, &res, igraph_vss_all(), 1, NULL), err,
                              "betweenness")))
    for (int i = 0; i < n; i++) out->betweenness[i] = VECTOR(res)[i];
  igraph_vector_destroy(&res);
done:
  if (made) igraph_destroy(&g);
  igraph_vector_int_destroy(&edges);
  if (rc) thema_graph_measures_free(out);
  return rc;
}

void thema_graph_measures_free(ThemaGraphMeasures *g) {
  free(g->in_degree);
  free(g->out_degree);
  free(g->in_strength);
  free(g->out_strength);
  free(g->betweenness);
  memset(g, 0, sizeof *g);
}
