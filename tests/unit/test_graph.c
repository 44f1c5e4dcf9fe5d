/*
 * test_graph.c — network measures against values counted by hand, and the
 * writers: escaping, well-formed XML (parsed back with libxml2), the same
 * bytes twice, an SVG from Graphviz.
 */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <string.h>

#include "analysis/graph.h"
#include "export/graph.h"

/* A -> B, C -> B, D -> A (twice), B -> E. Shortest paths through a node:
 * A on D->B and D->E (2); B on D->E, A->E and C->E (3). */
static const int from[] = {0, 2, 3, 3, 1};
static const int to[] = {1, 1, 0, 0, 4};
static const double weight[] = {1, 2, 1, 1, 1};

Test(graph, measures_by_hand) {
  ThemaGraphMeasures m;
  ThemaError err = {0};
  cr_assert_eq(thema_graph_measures(5, 5, from, to, weight, &m, &err), THEMA_OK, "%s",
               err.msg);
  double in_deg[] = {1, 2, 0, 0, 1}, out_deg[] = {1, 1, 1, 1, 0};
  double in_str[] = {2, 3, 0, 0, 1}, betw[] = {2, 3, 0, 0, 0};
  for (int i = 0; i < 5; i++) {
    cr_expect_float_eq(m.in_degree[i], in_deg[i], 1e-12, "in-degree %d", i);
    cr_expect_float_eq(m.out_degree[i], out_deg[i], 1e-12, "out-degree %d", i);
    cr_expect_float_eq(m.in_strength[i], in_str[i], 1e-12, "in-strength %d", i);
    cr_expect_float_eq(m.betweenness[i], betw[i], 1e-12, "betweenness %d: %g", i,
                       m.betweenness[i]);
  }
  thema_graph_measures_free(&m);
}

Test(graph, bad_edges_are_refused) {
  ThemaGraphMeasures m;
  ThemaError err = {0};
  int f[] = {0}, t[] = {5};
  cr_expect_eq(thema_graph_measures(2, 1, f, t, NULL, &m, &err), THEMA_EUSAGE);
  cr_expect(strstr(err.msg, "outside") != NULL, "%s", err.msg);
  ThemaError err2 = {0};
  int l[] = {1};
  cr_expect_eq(thema_graph_measures(2, 1, l, l, NULL, &m, &err2), THEMA_EUSAGE);
  cr_expect(strstr(err2.msg, "loop") != NULL, "%s", err2.msg);
}

static const ThemaGraphNode nodes[] = {
    {"Diest", "Diest", "Leuven-Hageland", 1},
    {"Leuven", "Leuven \"stad\" <&>", "Leuven-Hageland", 2},
    {"Gent", NULL, NULL, 0}};
static const ThemaGraphEdge edges[] = {{0, 1, 2, "example"}, {2, 1, 1, NULL}};
static const char *const attr_names[] = {"betweenness", "in_degree"};
static const double attr_values[] = {0, 0, 0, 2, 0, 0};

static ThemaGraph graph(void) {
  return (ThemaGraph){.name = "learning",
                      .directed = 1,
                      .nodes = nodes,
                      .nnodes = 3,
                      .edges = edges,
                      .nedges = 2,
                      .attr_names = attr_names,
                      .nattrs = 2,
                      .attr_values = attr_values};
}

static void well_formed(const ThemaBuf *b, const char *what) {
  xmlDocPtr doc =
      xmlReadMemory(b->data, (int)b->len, what, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
  cr_expect(doc != NULL, "%s is not well-formed XML:\n%s", what, b->data);
  xmlFreeDoc(doc);
}

Test(graph, writers_escape_and_repeat_themselves) {
  ThemaGraph g = graph();
  const char *formats[] = {"gexf", "graphml", "dot"};
  for (int f = 0; f < 3; f++) {
    ThemaBuf a = {0}, b = {0};
    ThemaError err = {0};
    cr_assert_eq(thema_graph_write(&g, formats[f], &a, &err), THEMA_OK, "%s", err.msg);
    cr_assert_eq(thema_graph_write(&g, formats[f], &b, &err), THEMA_OK);
    cr_expect_eq(a.len, b.len);
    cr_expect(memcmp(a.data, b.data, a.len) == 0, "%s: the same bytes twice", formats[f]);
    if (f < 2) {
      well_formed(&a, formats[f]);
      cr_expect(strstr(a.data, "Leuven &quot;stad&quot; &lt;&amp;&gt;") != NULL, "%s",
                a.data);
    } else {
      cr_expect(
          strstr(a.data, "\"Diest\" -> \"Leuven\" [weight=\"2\", label=\"example\"];") !=
              NULL,
          "%s", a.data);
      cr_expect(strstr(a.data, "label=\"Leuven \\\"stad\\\" <&>\"") != NULL, "%s", a.data);
    }
    thema_buf_free(&a);
    thema_buf_free(&b);
  }
  ThemaBuf bad = {0};
  ThemaError err = {0};
  cr_expect_eq(thema_graph_write(&g, "pajek", &bad, &err), THEMA_EUSAGE);
  thema_buf_free(&bad);
}

Test(graph, svg_by_graphviz_is_seeded) {
  ThemaGraph g = graph();
  ThemaBuf a = {0}, b = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_graph_svg(&g, "neato", 1, &a, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_graph_svg(&g, "neato", 1, &b, &err), THEMA_OK, "%s", err.msg);
  cr_expect(strstr(a.data, "<svg") != NULL);
  cr_expect(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
            "the same seed, the same drawing");
  well_formed(&a, "svg");
  ThemaError e2 = {0};
  cr_expect_eq(thema_graph_svg(&g, "spring", 1, &a, &e2), THEMA_EUSAGE);
  thema_buf_free(&a);
  thema_buf_free(&b);
}
