/*
 * bind_graph.c — thema.graph: network measures (analysis/graph.h) and the
 * network written as DOT, GEXF, GraphML or drawn as SVG (export/graph.h).
 * A graph is a plain table:
 *   { name =, directed = true,
 *     nodes = { { id =, label =, group =, size = }, ... },
 *     edges = { { from = ID, to = ID, weight =, label = }, ... },
 *     attrs = { in_degree = { per node, in node order }, ... } }
 * Everything the C side keeps lives in a userdata, so an error half-way
 * leaks nothing.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/graph.h"
#include "export/graph.h"
#include "lua/bind.h"

#define GRAPH_BOX "thema.graph.box"

typedef struct GraphBox {
  ThemaGraph g;
  ThemaGraphNode *nodes;
  ThemaGraphEdge *edges;
  const char **attr_names;
  double *attr_values;
  int *from, *to;
  double *weight;
} GraphBox;

static int box_gc(lua_State *L) {
  GraphBox *b = luaL_checkudata(L, 1, GRAPH_BOX);
  free(b->nodes);
  free(b->edges);
  free(b->attr_names);
  free(b->attr_values);
  free(b->from);
  free(b->to);
  free(b->weight);
  memset(b, 0, sizeof *b);
  return 0;
}

static const char *opt_string(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  const char *s = lua_isnil(L, -1) ? NULL : luaL_checkstring(L, -1);
  lua_pop(L, 1); /* the string stays alive: it is in the graph table */
  return s;
}

static double opt_number(lua_State *L, int t, const char *k, double dflt) {
  lua_getfield(L, t, k);
  double v = lua_isnil(L, -1) ? dflt : luaL_checknumber(L, -1);
  lua_pop(L, 1);
  return v;
}

/* The graph table at index t into a new box pushed on the stack. Node ids
 * are looked up through a scratch table id -> index. */
static GraphBox *read_graph(lua_State *L, int t) {
  luaL_checktype(L, t, LUA_TTABLE);
  GraphBox *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, GRAPH_BOX);
  lua_pushvalue(L, t);
  lua_setiuservalue(L, -2, 1); /* keeps the strings the box borrows alive */
  b->g.name = opt_string(L, t, "name");
  lua_getfield(L, t, "directed");
  b->g.directed = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_newtable(L); /* id -> index */
  int ids = lua_gettop(L);
  if (lua_getfield(L, t, "nodes") != LUA_TTABLE)
    luaL_error(L, "graph: 'nodes' must be a list");
  int n = (int)lua_rawlen(L, -1);
  b->nodes = thema_xcalloc((size_t)(n ? n : 1), sizeof *b->nodes);
  for (int i = 0; i < n; i++) {
    if (lua_rawgeti(L, -1, i + 1) != LUA_TTABLE)
      luaL_error(L, "graph: node %d must be a table", i + 1);
    int nt = lua_gettop(L);
    ThemaGraphNode *nd = &b->nodes[i];
    nd->id = opt_string(L, nt, "id");
    if (!nd->id || !*nd->id) luaL_error(L, "graph: node %d has no id", i + 1);
    nd->label = opt_string(L, nt, "label");
    nd->group = opt_string(L, nt, "group");
    nd->size = opt_number(L, nt, "size", 0);
    lua_getfield(L, ids, nd->id);
    if (!lua_isnil(L, -1)) luaL_error(L, "graph: node id '%s' is given twice", nd->id);
    lua_pop(L, 1);
    lua_pushinteger(L, i);
    lua_setfield(L, ids, nd->id);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  b->g.nodes = b->nodes;
  b->g.nnodes = n;
  if (lua_getfield(L, t, "edges") != LUA_TTABLE)
    luaL_error(L, "graph: 'edges' must be a list");
  int m = (int)lua_rawlen(L, -1);
  b->edges = thema_xcalloc((size_t)(m ? m : 1), sizeof *b->edges);
  b->from = thema_xcalloc((size_t)(m ? m : 1), sizeof *b->from);
  b->to = thema_xcalloc((size_t)(m ? m : 1), sizeof *b->to);
  b->weight = thema_xcalloc((size_t)(m ? m : 1), sizeof *b->weight);
  for (int i = 0; i < m; i++) {
    if (lua_rawgeti(L, -1, i + 1) != LUA_TTABLE)
      luaL_error(L, "graph: edge %d must be a table", i + 1);
    int et = lua_gettop(L);
    int ends[2];
    const char *names[2] = {"from", "to"};
    for (int k = 0; k < 2; k++) {
      const char *id = opt_string(L, et, names[k]);
      if (!id) luaL_error(L, "graph: edge %d has no '%s'", i + 1, names[k]);
      lua_getfield(L, ids, id);
      if (lua_isnil(L, -1)) luaL_error(L, "graph: edge %d: no node '%s'", i + 1, id);
      ends[k] = (int)lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
    ThemaGraphEdge *e = &b->edges[i];
    e->from = b->from[i] = ends[0];
    e->to = b->to[i] = ends[1];
    e->weight = b->weight[i] = opt_number(L, et, "weight", 1);
    e->label = opt_string(L, et, "label");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  b->g.edges = b->edges;
  b->g.nedges = m;
  /* attrs: sorted by name, so the files are the same whatever the order. */
  if (lua_getfield(L, t, "attrs") == LUA_TTABLE) {
    int at = lua_gettop(L);
    int na = 0;
    for (lua_pushnil(L); lua_next(L, at); lua_pop(L, 1)) na++;
    b->attr_names = thema_xcalloc((size_t)(na ? na : 1), sizeof *b->attr_names);
    na = 0;
    for (lua_pushnil(L); lua_next(L, at); lua_pop(L, 1)) {
      if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "graph: attrs are named");
      b->attr_names[na++] = lua_tostring(L, -2);
    }
    qsort(b->attr_names, (size_t)na, sizeof *b->attr_names, thema_cmp_str);
    b->attr_values =
        thema_xcalloc((size_t)(na * n > 0 ? na * n : 1), sizeof *b->attr_values);
    for (int a = 0; a < na; a++) {
      lua_getfield(L, at, b->attr_names[a]);
      luaL_checktype(L, -1, LUA_TTABLE);
      for (int i = 0; i < n; i++) {
        lua_rawgeti(L, -1, i + 1);
        b->attr_values[i * na + a] = luaL_optnumber(L, -1, 0);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    b->g.attr_names = b->attr_names;
    b->g.nattrs = na;
    b->g.attr_values = b->attr_values;
  }
  lua_pop(L, 2); /* attrs, ids */
  return b;
}

/* thema.graph.measures(graph) -> { in_degree = {...}, out_degree, in_strength,
 * out_strength, betweenness }, one value per node in node order. */
static int l_measures(lua_State *L) {
  GraphBox *b = read_graph(L, 1);
  ThemaGraphMeasures m;
  ThemaError err = {0};
  if (thema_graph_measures(b->g.nnodes, b->g.nedges, b->from, b->to, b->weight, &m, &err))
    return luaL_error(L, "%s", err.msg);
  const struct {
    const char *name;
    double *v;
  } cols[] = {{"in_degree", m.in_degree},
              {"out_degree", m.out_degree},
              {"in_strength", m.in_strength},
              {"out_strength", m.out_strength},
              {"betweenness", m.betweenness}};
  lua_createtable(L, 0, 5);
  for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
    lua_createtable(L, b->g.nnodes, 0);
    for (int i = 0; i < b->g.nnodes; i++) {
      lua_pushnumber(L, cols[c].v[i]);
      lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, cols[c].name);
  }
  thema_graph_measures_free(&m);
  return 1;
}

/* thema.graph.write(graph, "dot"|"gexf"|"graphml") -> string */
static int l_write(lua_State *L) {
  GraphBox *b = read_graph(L, 1);
  const char *format = luaL_checkstring(L, 2);
  ThemaBuf out = {0};
  ThemaError err = {0};
  if (thema_graph_write(&b->g, format, &out, &err)) {
    thema_buf_free(&out);
    return luaL_error(L, "%s", err.msg);
  }
  lua_pushlstring(L, out.data ? out.data : "", out.len);
  thema_buf_free(&out);
  return 1;
}

/* thema.graph.svg(graph [, { engine = "neato", seed = 1 }]) -> string */
static int l_svg(lua_State *L) {
  GraphBox *b = read_graph(L, 1);
  const char *engine = "neato";
  int seed = 1;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    const char *e = opt_string(L, 2, "engine");
    if (e) engine = e;
    seed = (int)opt_number(L, 2, "seed", 1);
  }
  ThemaBuf out = {0};
  ThemaError err = {0};
  if (thema_graph_svg(&b->g, engine, seed, &out, &err)) {
    thema_buf_free(&out);
    return luaL_error(L, "%s", err.msg);
  }
  lua_pushlstring(L, out.data ? out.data : "", out.len);
  thema_buf_free(&out);
  return 1;
}

static const luaL_Reg graph_funcs[] = {
    {"measures", l_measures}, {"write", l_write}, {"svg", l_svg}, {NULL, NULL}};

void thema_bind_graph(lua_State *L) {
  if (luaL_newmetatable(L, GRAPH_BOX)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, graph_funcs);
  lua_setfield(L, -2, "graph");
}
