/*
 * graph.c — DOT by hand (a few lines of quoted text), GEXF and GraphML
 * through libxml2's xmlTextWriter (escaping and well-formedness are the
 * library's), and SVG through libgvc: the graph is built as a cgraph graph
 * and rendered to memory.
 */
#include "export/graph.h"

#include <gvc.h>
#include <gvplugin.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numbers print the same on every machine: %.17g is exact, %g short. */
static void num(char *out, size_t n, double v) { snprintf(out, n, "%.10g", v); }

static void dot_quoted(ThemaBuf *out, const char *s) {
  thema_buf_putc(out, '"');
  for (; s && *s; s++) {
    if (*s == '"' || *s == '\\') thema_buf_putc(out, '\\');
    if (*s == '\n')
      thema_buf_puts(out, "\\n");
    else
      thema_buf_putc(out, *s);
  }
  thema_buf_putc(out, '"');
}

static void write_dot(const ThemaGraph *g, ThemaBuf *out) {
  thema_buf_printf(out, "%s ", g->directed ? "digraph" : "graph");
  dot_quoted(out, g->name ? g->name : "g");
  thema_buf_puts(out, " {\n");
  char v[64];
  for (int i = 0; i < g->nnodes; i++) {
    const ThemaGraphNode *n = &g->nodes[i];
    thema_buf_puts(out, "  ");
    dot_quoted(out, n->id);
    thema_buf_puts(out, " [label=");
    dot_quoted(out, n->label ? n->label : n->id);
    if (n->group) {
      thema_buf_puts(out, ", group=");
      dot_quoted(out, n->group);
    }
    for (int a = 0; a < g->nattrs; a++) {
      num(v, sizeof v, g->attr_values[i * g->nattrs + a]);
      thema_buf_printf(out, ", %s=\"%s\"", g->attr_names[a], v);
    }
    thema_buf_puts(out, "];\n");
  }
  for (int i = 0; i < g->nedges; i++) {
    const ThemaGraphEdge *e = &g->edges[i];
    thema_buf_puts(out, "  ");
    dot_quoted(out, g->nodes[e->from].id);
    thema_buf_puts(out, g->directed ? " -> " : " -- ");
    dot_quoted(out, g->nodes[e->to].id);
    num(v, sizeof v, e->weight);
    thema_buf_printf(out, " [weight=\"%s\"", v);
    if (e->label) {
      thema_buf_puts(out, ", label=");
      dot_quoted(out, e->label);
    }
    thema_buf_puts(out, "];\n");
  }
  thema_buf_puts(out, "}\n");
}

/* libxml2's writer into a memory buffer, indented, UTF-8. */
static int xml_open(xmlBufferPtr *buf, xmlTextWriterPtr *w) {
  *buf = xmlBufferCreate();
  *w = *buf ? xmlNewTextWriterMemory(*buf, 0) : NULL;
  if (!*w) return -1;
  xmlTextWriterSetIndent(*w, 1);
  xmlTextWriterSetIndentString(*w, BAD_CAST "  ");
  return xmlTextWriterStartDocument(*w, "1.0", "UTF-8", NULL);
}

static int xml_close(xmlBufferPtr buf, xmlTextWriterPtr w, ThemaBuf *out, int rc,
                     ThemaError *err) {
  if (rc >= 0) rc = xmlTextWriterEndDocument(w);
  xmlFreeTextWriter(w); /* flushes into buf */
  if (rc >= 0)
    thema_buf_append(out, (const char *)xmlBufferContent(buf),
                     (size_t)xmlBufferLength(buf));
  xmlBufferFree(buf);
  if (rc < 0) return thema_error_set(err, THEMA_ERUNTIME, "cannot write the graph as XML");
  return THEMA_OK;
}

#define X(call)                                                                            \
  do {                                                                                     \
    if ((call) < 0) rc = -1;                                                               \
  } while (0)

static int write_gexf(const ThemaGraph *g, ThemaBuf *out, ThemaError *err) {
  xmlBufferPtr buf;
  xmlTextWriterPtr w;
  int rc = xml_open(&buf, &w);
  char v[64], id[32];
  X(xmlTextWriterStartElement(w, BAD_CAST "gexf"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://gexf.net/1.3"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.3"));
  X(xmlTextWriterStartElement(w, BAD_CAST "graph"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "defaultedgetype",
                                BAD_CAST(g->directed ? "directed" : "undirected")));
  X(xmlTextWriterStartElement(w, BAD_CAST "attributes"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST "node"));
  X(xmlTextWriterStartElement(w, BAD_CAST "attribute"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST "group"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "title", BAD_CAST "group"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "string"));
  X(xmlTextWriterEndElement(w));
  for (int a = 0; a < g->nattrs; a++) {
    X(xmlTextWriterStartElement(w, BAD_CAST "attribute"));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST g->attr_names[a]));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "title", BAD_CAST g->attr_names[a]));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "double"));
    X(xmlTextWriterEndElement(w));
  }
  X(xmlTextWriterEndElement(w));
  X(xmlTextWriterStartElement(w, BAD_CAST "nodes"));
  for (int i = 0; i < g->nnodes; i++) {
    const ThemaGraphNode *n = &g->nodes[i];
    X(xmlTextWriterStartElement(w, BAD_CAST "node"));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST n->id));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "label",
                                  BAD_CAST(n->label ? n->label : n->id)));
    X(xmlTextWriterStartElement(w, BAD_CAST "attvalues"));
    if (n->group) {
      X(xmlTextWriterStartElement(w, BAD_CAST "attvalue"));
      X(xmlTextWriterWriteAttribute(w, BAD_CAST "for", BAD_CAST "group"));
      X(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST n->group));
      X(xmlTextWriterEndElement(w));
    }
    for (int a = 0; a < g->nattrs; a++) {
      num(v, sizeof v, g->attr_values[i * g->nattrs + a]);
      X(xmlTextWriterStartElement(w, BAD_CAST "attvalue"));
      X(xmlTextWriterWriteAttribute(w, BAD_CAST "for", BAD_CAST g->attr_names[a]));
      X(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST v));
      X(xmlTextWriterEndElement(w));
    }
    X(xmlTextWriterEndElement(w));
    X(xmlTextWriterEndElement(w));
  }
  X(xmlTextWriterEndElement(w));
  X(xmlTextWriterStartElement(w, BAD_CAST "edges"));
  for (int i = 0; i < g->nedges; i++) {
    const ThemaGraphEdge *e = &g->edges[i];
    snprintf(id, sizeof id, "e%d", i);
    num(v, sizeof v, e->weight);
    X(xmlTextWriterStartElement(w, BAD_CAST "edge"));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "source", BAD_CAST g->nodes[e->from].id));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "target", BAD_CAST g->nodes[e->to].id));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "weight", BAD_CAST v));
    if (e->label) X(xmlTextWriterWriteAttribute(w, BAD_CAST "label", BAD_CAST e->label));
    X(xmlTextWriterEndElement(w));
  }
  X(xmlTextWriterEndElement(w));
  X(xmlTextWriterEndElement(w));
  X(xmlTextWriterEndElement(w));
  return xml_close(buf, w, out, rc, err);
}

static void graphml_key(xmlTextWriterPtr w, int *rc, const char *id, const char *for_,
                        const char *type) {
  if (xmlTextWriterStartElement(w, BAD_CAST "key") < 0 ||
      xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
      xmlTextWriterWriteAttribute(w, BAD_CAST "for", BAD_CAST for_) < 0 ||
      xmlTextWriterWriteAttribute(w, BAD_CAST "attr.name", BAD_CAST id) < 0 ||
      xmlTextWriterWriteAttribute(w, BAD_CAST "attr.type", BAD_CAST type) < 0 ||
      xmlTextWriterEndElement(w) < 0)
    *rc = -1;
}

static void graphml_data(xmlTextWriterPtr w, int *rc, const char *key, const char *value) {
  if (xmlTextWriterStartElement(w, BAD_CAST "data") < 0 ||
      xmlTextWriterWriteAttribute(w, BAD_CAST "key", BAD_CAST key) < 0 ||
      xmlTextWriterWriteString(w, BAD_CAST value) < 0 || xmlTextWriterEndElement(w) < 0)
    *rc = -1;
}

static int write_graphml(const ThemaGraph *g, ThemaBuf *out, ThemaError *err) {
  xmlBufferPtr buf;
  xmlTextWriterPtr w;
  int rc = xml_open(&buf, &w);
  char v[64], id[32];
  X(xmlTextWriterStartElement(w, BAD_CAST "graphml"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns",
                                BAD_CAST "http://graphml.graphdrawing.org/xmlns"));
  graphml_key(w, &rc, "label", "node", "string");
  graphml_key(w, &rc, "group", "node", "string");
  for (int a = 0; a < g->nattrs; a++)
    graphml_key(w, &rc, g->attr_names[a], "node", "double");
  graphml_key(w, &rc, "weight", "edge", "double");
  graphml_key(w, &rc, "kind", "edge", "string");
  X(xmlTextWriterStartElement(w, BAD_CAST "graph"));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST(g->name ? g->name : "g")));
  X(xmlTextWriterWriteAttribute(w, BAD_CAST "edgedefault",
                                BAD_CAST(g->directed ? "directed" : "undirected")));
  for (int i = 0; i < g->nnodes; i++) {
    const ThemaGraphNode *n = &g->nodes[i];
    X(xmlTextWriterStartElement(w, BAD_CAST "node"));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST n->id));
    graphml_data(w, &rc, "label", n->label ? n->label : n->id);
    if (n->group) graphml_data(w, &rc, "group", n->group);
    for (int a = 0; a < g->nattrs; a++) {
      num(v, sizeof v, g->attr_values[i * g->nattrs + a]);
      graphml_data(w, &rc, g->attr_names[a], v);
    }
    X(xmlTextWriterEndElement(w));
  }
  for (int i = 0; i < g->nedges; i++) {
    const ThemaGraphEdge *e = &g->edges[i];
    snprintf(id, sizeof id, "e%d", i);
    X(xmlTextWriterStartElement(w, BAD_CAST "edge"));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "source", BAD_CAST g->nodes[e->from].id));
    X(xmlTextWriterWriteAttribute(w, BAD_CAST "target", BAD_CAST g->nodes[e->to].id));
    num(v, sizeof v, e->weight);
    graphml_data(w, &rc, "weight", v);
    if (e->label) graphml_data(w, &rc, "kind", e->label);
    X(xmlTextWriterEndElement(w));
  }
  X(xmlTextWriterEndElement(w));
  X(xmlTextWriterEndElement(w));
  return xml_close(buf, w, out, rc, err);
}

static int check_graph(const ThemaGraph *g, ThemaError *err) {
  for (int i = 0; i < g->nedges; i++)
    if (g->edges[i].from < 0 || g->edges[i].from >= g->nnodes || g->edges[i].to < 0 ||
        g->edges[i].to >= g->nnodes)
      return thema_error_set(err, THEMA_EUSAGE, "graph: edge %d names no node", i + 1);
  for (int i = 0; i < g->nnodes; i++)
    if (!g->nodes[i].id || !*g->nodes[i].id)
      return thema_error_set(err, THEMA_EUSAGE, "graph: node %d has no id", i + 1);
  return THEMA_OK;
}

int thema_graph_write(const ThemaGraph *g, const char *format, ThemaBuf *out,
                      ThemaError *err) {
  if (check_graph(g, err)) return err->status;
  if (strcmp(format, "dot") == 0) {
    write_dot(g, out);
    return THEMA_OK;
  }
  if (strcmp(format, "gexf") == 0) return write_gexf(g, out, err);
  if (strcmp(format, "graphml") == 0) return write_graphml(g, out, err);
  return thema_error_set(err, THEMA_EUSAGE, "graph format '%s': dot, gexf or graphml",
                         format);
}

/* Graphviz with its core renderers and layouts linked in, and nothing loaded
 * on demand: no text-layout plugin (pango), so label sizes are Graphviz's own
 * estimates and the drawing is the same whatever fonts a machine has. */
extern gvplugin_library_t gvplugin_core_LTX_library;
extern gvplugin_library_t gvplugin_neato_layout_LTX_library;
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
static lt_symlist_t graphviz_plugins[] = {
    {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
    {"gvplugin_neato_layout_LTX_library", &gvplugin_neato_layout_LTX_library},
    {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
    {0, 0}};

/* A colour per group, from a fixed palette in the order groups first appear. */
static const char *const palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                      "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                                      "#9c755f", "#bab0ac"};

int thema_graph_svg(const ThemaGraph *g, const char *engine, int seed, ThemaBuf *out,
                    ThemaError *err) {
  if (check_graph(g, err)) return err->status;
  static const char *const engines[] = {"neato", "fdp", "dot", "circo", "twopi", NULL};
  int known = 0;
  for (int i = 0; engines[i]; i++) known |= strcmp(engine, engines[i]) == 0;
  if (!known)
    return thema_error_set(err, THEMA_EUSAGE,
                           "graph layout '%s': neato, fdp, dot, circo or twopi", engine);
  GVC_t *gvc = gvContextPlugins(graphviz_plugins, 0);
  Agraph_t *ag = agopen((char *)(g->name ? g->name : "g"),
                        g->directed ? Agdirected : Agundirected, NULL);
  char seedv[32], v[64];
  snprintf(seedv, sizeof seedv, "%d", seed);
  agattr(ag, AGRAPH, "start", seedv);
  agattr(ag, AGRAPH, "overlap", "false");
  agattr(ag, AGRAPH, "splines", "true");
  agattr(ag, AGRAPH, "fontname", "Helvetica");
  agattr(ag, AGNODE, "style", "filled");
  agattr(ag, AGNODE, "fillcolor", "#dddddd");
  agattr(ag, AGNODE, "fontname", "Helvetica");
  agattr(ag, AGNODE, "fontsize", "10");
  agattr(ag, AGNODE, "width", "0.3");
  agattr(ag, AGNODE, "label", "");
  agattr(ag, AGEDGE, "penwidth", "1");
  agattr(ag, AGEDGE, "color", "#555555");
  agattr(ag, AGEDGE, "tooltip", "");
  Agnode_t **nodes = thema_xcalloc((size_t)(g->nnodes ? g->nnodes : 1), sizeof *nodes);
  const char *groups[sizeof palette / sizeof *palette] = {0};
  for (int i = 0; i < g->nnodes; i++) {
    const ThemaGraphNode *n = &g->nodes[i];
    nodes[i] = agnode(ag, (char *)n->id, 1);
    agset(nodes[i], "label", (char *)(n->label ? n->label : n->id));
    snprintf(v, sizeof v, "%.3f", 0.3 + (n->size > 0 ? n->size : 0) * 0.08);
    agset(nodes[i], "width", v);
    if (n->group) {
      size_t k = 0;
      while (k < sizeof palette / sizeof *palette && groups[k] &&
             strcmp(groups[k], n->group))
        k++;
      if (k < sizeof palette / sizeof *palette) {
        if (!groups[k]) groups[k] = n->group;
        agset(nodes[i], "fillcolor", (char *)palette[k]);
      }
    }
  }
  for (int i = 0; i < g->nedges; i++) {
    const ThemaGraphEdge *e = &g->edges[i];
    Agedge_t *ae = agedge(ag, nodes[e->from], nodes[e->to], NULL, 1);
    snprintf(v, sizeof v, "%.2f", 1 + (e->weight > 0 ? e->weight : 0) * 0.5);
    agset(ae, "penwidth", v);
    const ThemaGraphNode *a = &g->nodes[e->from], *b = &g->nodes[e->to];
    snprintf(v, sizeof v, "%s \xe2\x86\x92 %s (%g)", a->label ? a->label : a->id,
             b->label ? b->label : b->id, e->weight);
    agset(ae, "tooltip", v);
  }
  int rc = THEMA_OK;
  char *data = NULL;
  unsigned int len = 0;
  if (gvLayout(gvc, ag, engine) != 0 || gvRenderData(gvc, ag, "svg", &data, &len) != 0)
    rc = thema_error_set(err, THEMA_ERUNTIME,
                         "Graphviz could not lay out or draw the graph");
  else
    thema_buf_append(out, data, len);
  if (data) gvFreeRenderData(data);
  gvFreeLayout(gvc, ag);
  agclose(ag);
  gvFreeContext(gvc);
  free(nodes);
  return rc;
}
