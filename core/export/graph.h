/*
 * graph.h — a network for others to read and to see: DOT (Graphviz), GEXF
 * 1.3 (Gephi) and GraphML written with libxml2's writer, and a drawing laid
 * out by Graphviz (libgvc) with a fixed seed, as SVG. The same graph gives
 * the same bytes.
 */
#ifndef THEMA_EXPORT_GRAPH_H
#define THEMA_EXPORT_GRAPH_H

#include "base/thema.h"

typedef struct ThemaGraphNode {
  const char *id;    /* unique, written as given */
  const char *label; /* shown */
  const char *group; /* a class for colour (e.g. a network), or NULL */
  double size;       /* drawn size, e.g. in-strength; >= 0 */
} ThemaGraphNode;

typedef struct ThemaGraphEdge {
  int from, to;      /* node indexes */
  double weight;     /* e.g. how often the one names the other */
  const char *label; /* e.g. the kind of learning, or NULL */
} ThemaGraphEdge;

typedef struct ThemaGraph {
  const char *name;
  int directed;
  const ThemaGraphNode *nodes;
  int nnodes;
  const ThemaGraphEdge *edges;
  int nedges;
  /* Numeric node attributes (e.g. in_degree, betweenness): nattrs names,
   * values[node * nattrs + a]. */
  const char *const *attr_names;
  int nattrs;
  const double *attr_values;
} ThemaGraph;

/* Append the graph in the format ("dot", "gexf", "graphml") to out. */
int thema_graph_write(const ThemaGraph *g, const char *format, ThemaBuf *out,
                      ThemaError *err);
/* Append an SVG drawing: layout by Graphviz's engine ("neato", "fdp", "dot",
 * "circo", "twopi"), seeded with seed where the engine is random. */
int thema_graph_svg(const ThemaGraph *g, const char *engine, int seed, ThemaBuf *out,
                    ThemaError *err);

#endif
