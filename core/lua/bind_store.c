/*
 * bind_store.c — the store as seen from Lua: iterate sources, segments,
 * speakers, persons, organisations, networks, indicators, observations,
 * codes, codings, runs and memos with filters; get one row; count; add and
 * delete codes, codings and memos.
 *
 * This file only converts: a Lua filters table becomes the C filter spec of
 * store/query.h, a cursor's rows become Lua tables, and writes go through
 * the store's typed writers (store/code.h, coding.h, memo.h). Iterators
 * stream rows (never a whole table in Lua memory) and return their cursor as
 * the fourth value of the generic for, so `break` closes it. Rows cross the
 * boundary as plain tables keyed by field name; NULL fields are absent.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/code.h"
#include "store/coding.h"
#include "store/memo.h"
#include "store/query.h"

#define CURSOR "thema.Cursor"
#define FILTERS "thema.Filters"

typedef struct Cursor {
  ThemaCursor *c; /* owned; NULL once exhausted or closed */
} Cursor;

static ThemaStore *store_of(lua_State *L) { return thema_ctx_get(L)->st; }

static int cursor_close(lua_State *L) {
  Cursor *u = luaL_checkudata(L, 1, CURSOR);
  thema_cursor_close(u->c);
  u->c = NULL;
  return 0;
}

/* Push the current row of c as a table keyed by field name. */
void thema_bind_push_row(lua_State *L, const ThemaCursor *c) {
  int n = thema_cursor_ncols(c);
  lua_createtable(L, 0, n);
  for (int i = 0; i < n; i++) {
    switch (thema_cursor_type(c, i)) {
      case THEMA_VALUE_INT: lua_pushinteger(L, thema_cursor_int(c, i)); break;
      case THEMA_VALUE_REAL: lua_pushnumber(L, thema_cursor_real(c, i)); break;
      case THEMA_VALUE_NULL: continue;
      default: {
        size_t len;
        const char *s = thema_cursor_text(c, i, &len);
        lua_pushlstring(L, s, len);
      }
    }
    lua_setfield(L, -2, thema_cursor_name(c, i));
  }
}

/* A new cursor userdata, created closed before it holds anything, at the
 * top of the stack. */
static Cursor *new_cursor(lua_State *L) {
  Cursor *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->c = NULL;
  luaL_setmetatable(L, CURSOR);
  return u;
}

static int cursor_next(lua_State *L) {
  Cursor *u = lua_touserdata(L, lua_upvalueindex(1));
  if (!u->c) return 0;
  ThemaError err = {0};
  int rc = thema_cursor_step(u->c, &err);
  if (rc == 1) {
    thema_bind_push_row(L, u->c);
    return 1;
  }
  thema_cursor_close(u->c);
  u->c = NULL;
  thema_lua_raise_if(L, &err);
  return 0;
}

/* ---- filters: a Lua table into a C filter spec ---- */

/* The spec lives in a userdata, so that a bad filter raising half-way
 * leaves nothing to free by hand; its strings belong to the filters table,
 * which stays on the stack while the spec is used. */
typedef struct Spec {
  ThemaFilter *filters; /* points into the userdata */
  int n;                /* filters used */
  ThemaValue *values;   /* points into the userdata, after the filters */
  int nvalues;          /* values used */
} Spec;

/* Filters and values in the table at t (with its except table). */
static void measure(lua_State *L, int t, int *nf, int *nv) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "except") == 0 &&
        lua_istable(L, -1))
      measure(L, lua_gettop(L), nf, nv);
    else if (lua_type(L, -2) == LUA_TSTRING &&
             strcmp(lua_tostring(L, -2), "attribute") == 0 && lua_istable(L, -1))
      measure(L, lua_gettop(L), nf, nv); /* one filter per attribute named */
    else {
      (*nf)++;
      *nv += lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 1;
    }
    lua_pop(L, 1);
  }
}

static void to_value(lua_State *L, int idx, ThemaValue *v) {
  memset(v, 0, sizeof *v);
  if (lua_type(L, idx) == LUA_TNUMBER) {
    if (lua_isinteger(L, idx)) {
      v->type = THEMA_VALUE_INT;
      v->i = lua_tointeger(L, idx);
    } else {
      v->type = THEMA_VALUE_REAL;
      v->d = lua_tonumber(L, idx);
    }
  } else {
    v->type = THEMA_VALUE_TEXT;
    v->s = lua_tolstring(L, idx, &v->len);
  }
}

/* Add the filters of the table at t to spec; every check comes before the
 * values are taken. Errors are blamed on argument arg. */
static void add_filters(lua_State *L, Spec *spec, int t, int arg, int negate,
                        int attributes) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
    if (!attributes && strcmp(key, "attribute") == 0) {
      /* attribute = { party = "N-VA", year = { "2019", "2020" } }: each name a
       * filter "attribute" with attr = the name. */
      if (!lua_istable(L, -1))
        luaL_argerror(L, arg,
                      lua_pushfstring(L,
                                      "filter 'attribute' must be a table of names and "
                                      "values, got %s",
                                      luaL_typename(L, -1)));
      add_filters(L, spec, lua_gettop(L), arg, negate, 1);
      lua_pop(L, 1);
      continue;
    }
    if (!negate && !attributes && strcmp(key, "except") == 0) {
      if (!lua_istable(L, -1))
        luaL_argerror(L, arg,
                      lua_pushfstring(L, "filter 'except' must be a table, got %s",
                                      luaL_typename(L, -1)));
      add_filters(L, spec, lua_gettop(L), arg, 1, 0);
      lua_pop(L, 1);
      continue;
    }
    ThemaFilter *f = &spec->filters[spec->n++];
    f->key = attributes ? "attribute" : key;
    f->attr = attributes ? key : NULL;
    f->negate = negate;
    f->values = &spec->values[spec->nvalues];
    if (lua_type(L, -1) == LUA_TTABLE) {
      int n = (int)lua_rawlen(L, -1);
      if (n == 0)
        luaL_argerror(L, arg, lua_pushfstring(L, "filter '%s' is an empty list", key));
      for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (!lua_isstring(L, -1))
          luaL_argerror(L, arg,
                        lua_pushfstring(L,
                                        "filter '%s' must hold strings or numbers, got %s",
                                        key, luaL_typename(L, -1)));
        /* the string stays alive: the list in the filters table holds it */
        to_value(L, -1, &spec->values[spec->nvalues++]);
        lua_pop(L, 1);
      }
      f->nvalues = n;
    } else if (lua_isstring(L, -1)) {
      to_value(L, -1, &spec->values[spec->nvalues++]);
      f->nvalues = 1;
    } else {
      luaL_argerror(L, arg,
                    lua_pushfstring(L,
                                    "filter '%s' must be a string, number or list, got %s",
                                    key, luaL_typename(L, -1)));
    }
    lua_pop(L, 1);
  }
}

/* The spec for the optional filters table at arg; pushes its userdata. */
static Spec check_spec(lua_State *L, int arg) {
  Spec spec = {0};
  int has = !lua_isnoneornil(L, arg);
  if (has) luaL_checktype(L, arg, LUA_TTABLE);
  int nf = 0, nv = 0;
  if (has) measure(L, arg, &nf, &nv);
  char *mem = lua_newuserdatauv(
      L, (size_t)nf * sizeof(ThemaFilter) + (size_t)nv * sizeof(ThemaValue) + 1, 0);
  spec.filters = (ThemaFilter *)mem;
  spec.values = (ThemaValue *)(mem + (size_t)nf * sizeof(ThemaFilter));
  if (has) add_filters(L, &spec, arg, arg, 0, 0);
  return spec;
}

/* Open entity e's cursor for the filters at arg; raises on a bad filter. */
static ThemaCursor *open_query(lua_State *L, ThemaEntity e, int arg) {
  Spec spec = check_spec(L, arg);
  ThemaError err = {0};
  ThemaCursor *c = NULL;
  if (thema_query_open(store_of(L), e, spec.filters, spec.n, &c, &err)) {
    if (err.status == THEMA_EUSAGE) luaL_argerror(L, arg, err.msg);
    thema_lua_raise_if(L, &err);
  }
  lua_pop(L, 1); /* the spec */
  return c;
}

ThemaCursor *thema_bind_query(lua_State *L, ThemaEntity e, int filters) {
  filters = lua_absindex(L, filters);
  if (lua_gettop(L) < filters) lua_settop(L, filters); /* an absent table reads as nil */
  Cursor *u = new_cursor(L);
  u->c = open_query(L, e, filters);
  return u->c;
}

/* Return iterator, nil, nil, cursor (the cursor closes on break). */
static int iterate(lua_State *L, ThemaEntity e, int arg) {
  thema_bind_query(L, e, arg);
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, cursor_next, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_rotate(L, -4, -1); /* iterator, nil, nil, cursor */
  return 4;
}

/* One row of the cursor in the userdata at the top as a table, or nil. */
static int one(lua_State *L, Cursor *u) {
  ThemaError err = {0};
  int rc = u->c ? thema_cursor_step(u->c, &err) : 0;
  thema_lua_raise_if(L, &err);
  if (rc == 1)
    thema_bind_push_row(L, u->c);
  else
    lua_pushnil(L);
  thema_cursor_close(u->c);
  u->c = NULL;
  return 1;
}

/* thema.<entity>([filters]) -> iterator (upvalue 1: the ThemaEntity) */
static int store_list(lua_State *L) {
  return iterate(L, (ThemaEntity)lua_tointeger(L, lua_upvalueindex(1)), 1);
}

/* thema.count_<entity>([filters]) -> integer */
static int store_count(lua_State *L) {
  lua_settop(L, 1);
  ThemaEntity e = (ThemaEntity)lua_tointeger(L, lua_upvalueindex(1));
  Spec spec = check_spec(L, 1);
  ThemaError err = {0};
  int64_t n = 0;
  if (thema_query_count(store_of(L), e, spec.filters, spec.n, &n, &err)) {
    if (err.status == THEMA_EUSAGE) luaL_argerror(L, 1, err.msg);
    thema_lua_raise_if(L, &err);
  }
  lua_pushinteger(L, n);
  return 1;
}

/* ---- single rows ---- */

/* The one-row result of entity e filtered by id = the integer id. */
static int one_by_id(lua_State *L, ThemaEntity e, int64_t id) {
  ThemaValue v = {.type = THEMA_VALUE_INT, .i = id};
  ThemaFilter f = {.key = "id", .values = &v, .nvalues = 1};
  ThemaError err = {0};
  Cursor *u = new_cursor(L);
  thema_query_open(store_of(L), e, &f, 1, &u->c, &err);
  thema_lua_raise_if(L, &err);
  return one(L, u);
}

/* The argument at arg, a name (string) or an id (integer), as a value. */
static ThemaValue name_or_id(lua_State *L, int arg) {
  ThemaValue v = {0};
  to_value(L, arg, &v);
  return v;
}

/* thema.get_source(name_or_id) -> table with text, or nil */
static int store_get_source(lua_State *L) {
  luaL_argexpected(L, lua_isstring(L, 1), 1, "source name or id");
  ThemaValue key = name_or_id(L, 1);
  ThemaError err = {0};
  Cursor *u = new_cursor(L);
  thema_query_source(store_of(L), &key, &u->c, &err);
  thema_lua_raise_if(L, &err);
  return one(L, u);
}

/* thema.get_segment(id) -> table or nil */
static int store_get_segment(lua_State *L) {
  return one_by_id(L, THEMA_SEGMENTS, luaL_checkinteger(L, 1));
}

/* The id of the code named by the path or id at arg, 0 when there is none. */
static int64_t code_id_of(lua_State *L, int arg) {
  ThemaStore *st = store_of(L);
  ThemaError err = {0};
  int64_t id = 0;
  if (lua_isinteger(L, arg))
    thema_code_check_id(st, lua_tointeger(L, arg), &id, &err);
  else if (lua_type(L, arg) == LUA_TSTRING)
    thema_code_find(st, lua_tostring(L, arg), &id, &err);
  else
    luaL_typeerror(L, arg, "code path or id");
  thema_lua_raise_if(L, &err);
  return id;
}

/* thema.get_code(path_or_id) -> table or nil */
static int store_get_code(lua_State *L) {
  int64_t id = code_id_of(L, 1);
  if (!id) {
    lua_pushnil(L);
    return 1;
  }
  return one_by_id(L, THEMA_CODES, id);
}

/* thema.get_attributes(entity, name_or_id) -> {key = value} */
static int store_get_attributes(lua_State *L) {
  static const char *const kinds[] = {"source", "segment", "person", "organisation", NULL};
  int k = luaL_checkoption(L, 1, NULL, kinds);
  luaL_argexpected(L, lua_isstring(L, 2), 2, "name or id");
  ThemaValue key = name_or_id(L, 2);
  ThemaError err = {0};
  Cursor *u = new_cursor(L);
  thema_query_attributes(store_of(L), kinds[k], &key, &u->c, &err);
  thema_lua_raise_if(L, &err);
  lua_newtable(L);
  while (thema_cursor_step(u->c, &err) == 1) {
    lua_pushstring(L, thema_cursor_text(u->c, 1, NULL));
    lua_setfield(L, -2, thema_cursor_text(u->c, 0, NULL));
  }
  thema_lua_raise_if(L, &err);
  return 1;
}

/* thema.members(network) -> array of organisation names, sorted: the names
 * of thema.organisations{network = network}. */
static int store_members(lua_State *L) {
  size_t len;
  const char *net = luaL_checklstring(L, 1, &len);
  ThemaValue v = {.type = THEMA_VALUE_TEXT, .s = net, .len = len};
  ThemaFilter f = {.key = "network", .values = &v, .nvalues = 1};
  ThemaError err = {0};
  Cursor *u = new_cursor(L);
  thema_query_open(store_of(L), THEMA_ORGANISATIONS, &f, 1, &u->c, &err);
  thema_lua_raise_if(L, &err);
  int name = thema_cursor_column(u->c, "name");
  lua_newtable(L);
  for (int i = 1; thema_cursor_step(u->c, &err) == 1; i++) {
    lua_pushstring(L, thema_cursor_text(u->c, name, NULL));
    lua_rawseti(L, -2, i);
  }
  thema_lua_raise_if(L, &err);
  return 1;
}

/* ---- writes ---- */

/* The id of the code at path, created with its parents when missing; a
 * description or options given are set on the code itself. */
static int64_t ensure_code(lua_State *L, const char *path, const char *origin,
                           const char *description, const char *options,
                           const char *colour) {
  ThemaStore *st = store_of(L);
  ThemaError err = {0};
  int64_t id = 0;
  if (!thema_code_ensure(st, path, origin, &id, &err))
    thema_code_set_details(st, id, description, options, colour, &err);
  thema_lua_raise_if(L, &err);
  return id;
}

int64_t thema_bind_code_ensure(lua_State *L, const char *path, const char *origin) {
  return ensure_code(L, path, origin, NULL, NULL, NULL);
}

int64_t thema_bind_code_ensure_described(lua_State *L, const char *path, const char *origin,
                                         const char *description) {
  return ensure_code(L, path, origin, description, NULL, NULL);
}

/* Codes made inside a plugin run come from the pass; outside, from a person. */
static const char *default_origin(lua_State *L) {
  return thema_ctx_get(L)->run_id ? "deductive" : "manual";
}

/* thema.add_code{path=, description=, origin=, options=, colour=} -> id */
static int store_add_code(lua_State *L) {
  static const char *const fields[] = {"path",    "description", "origin",
                                       "options", "colour",      NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  thema_lua_check_fields(L, 1, fields);
  const char *path = thema_lua_opt_field(L, 1, "path");
  luaL_argcheck(L, path && *path, 1,
                "field 'path' (a code path like 'theme/code') expected");
  const char *origin = thema_lua_opt_field(L, 1, "origin");
  if (!origin) origin = default_origin(L);
  luaL_argcheck(L,
                !strcmp(origin, "deductive") || !strcmp(origin, "inductive") ||
                    !strcmp(origin, "manual"),
                1, "field 'origin' must be deductive, inductive or manual");
  const char *description = thema_lua_opt_field(L, 1, "description");
  const char *options = thema_lua_opt_field(L, 1, "options");
  const char *colour = thema_lua_opt_field(L, 1, "colour");
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  if (ctx->run_id && !ctx->allow_replace && (description || options || colour)) {
    /* A code's options change what every later pass matches: a plugin may
     * describe the codes it makes, not rewrite the study's. */
    ThemaError err = {0};
    int64_t existing = 0;
    thema_code_find(ctx->st, path, &existing, &err);
    thema_lua_raise_if(L, &err);
    if (existing)
      luaL_argerror(
          L, 1,
          lua_pushfstring(L,
                          "code '%s' exists already; a plugin run may not change "
                          "its description, options or colour (the user can allow "
                          "it with --allow-replace)",
                          path));
  }
  lua_pushinteger(L, ensure_code(L, path, origin, description, options, colour));
  return 1;
}

/* thema.add_coding{segment=, code=, start=, stop=, weight=, memo=, coder=} -> id
 * start/stop default to the whole segment; both are source code points. */
static int store_add_coding(lua_State *L) {
  static const char *const fields[] = {"segment", "code", "start", "stop",
                                       "weight",  "memo", "coder", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  thema_lua_check_fields(L, 1, fields);
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  ThemaError err = {0};
  ThemaCodingRow row = {.run_id = ctx->run_id};
  lua_getfield(L, 1, "segment");
  int isnum;
  row.segment_id = lua_tointegerx(L, -1, &isnum);
  if (!isnum)
    luaL_argerror(L, 1,
                  lua_pushfstring(L, "field 'segment': segment id expected, got %s",
                                  luaL_typename(L, -1)));
  lua_getfield(L, 1, "code");
  if (lua_isnil(L, -1))
    luaL_argerror(L, 1, "field 'code': code path or id expected, got nil");
  row.code_id = code_id_of(L, lua_gettop(L));
  if (!row.code_id) {
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_argerror(L, 1, lua_pushfstring(L, "no code with id %I", lua_tointeger(L, -1)));
    row.code_id = ensure_code(L, lua_tostring(L, -1), default_origin(L), NULL, NULL, NULL);
  }
  int64_t s0 = 0, s1 = 0;
  int found = thema_query_segment_span(ctx->st, row.segment_id, &s0, &s1, &err);
  thema_lua_raise_if(L, &err);
  if (!found)
    luaL_argerror(L, 1,
                  lua_pushfstring(L, "no segment with id %I", (lua_Integer)row.segment_id));
  row.start = s0;
  row.end = s1;
  if (lua_getfield(L, 1, "start") != LUA_TNIL)
    row.start = thema_lua_field_integer(L, 1, "start");
  if (lua_getfield(L, 1, "stop") != LUA_TNIL)
    row.end = thema_lua_field_integer(L, 1, "stop");
  if (row.start < s0 || row.end > s1 || row.start > row.end)
    luaL_argerror(L, 1,
                  lua_pushfstring(L, "span %I-%I is not within segment %I's span %I-%I",
                                  (lua_Integer)row.start, (lua_Integer)row.end,
                                  (lua_Integer)row.segment_id, (lua_Integer)s0,
                                  (lua_Integer)s1));
  row.coder = thema_lua_opt_field(L, 1, "coder");
  /* Provenance: a plugin's codings are its run's; naming a human coder
   * would make them count as that person's in an agreement. */
  if (ctx->run_id && row.coder)
    luaL_argerror(L, 1,
                  "inside a plugin run, codings belong to the run: field 'coder' is for "
                  "scripts and imports");
  if (!ctx->run_id && !row.coder)
    luaL_argerror(L, 1, "outside a plugin run, field 'coder' must name who coded");
  row.memo = thema_lua_opt_field(L, 1, "memo");
  double weight = 0;
  if (lua_getfield(L, 1, "weight") != LUA_TNIL) {
    weight = thema_lua_field_number(L, 1, "weight");
    row.weight = &weight;
  }
  int64_t id = 0;
  thema_coding_add(ctx->st, &row, &id, &err);
  thema_lua_raise_if(L, &err);
  lua_pushinteger(L, id);
  return 1;
}

/* thema.del_codings{run=} or {coder=} -> number deleted */
static int store_del_codings(lua_State *L) {
  static const char *const fields[] = {"run", "coder", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  thema_lua_check_fields(L, 1, fields);
  lua_getfield(L, 1, "run");
  lua_getfield(L, 1, "coder");
  luaL_argcheck(L, lua_isnil(L, -1) != lua_isnil(L, -2), 1,
                "give exactly one of run, coder");
  ThemaError err = {0};
  int64_t deleted = 0;
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  /* A plugin deletes only what its own run made: another run's results and
   * a person's codings are not its to take, unless the user said so. */
  int guarded = ctx->run_id && !ctx->allow_replace;
  if (!lua_isnil(L, -2)) {
    lua_pushvalue(L, -2);
    lua_Integer run = thema_lua_field_integer(L, 1, "run");
    if (guarded && run != ctx->run_id)
      luaL_argerror(L, 1,
                    lua_pushfstring(L,
                                    "a plugin run deletes only its own codings (run %I), "
                                    "not run %I's (the user can allow it with "
                                    "--allow-replace)",
                                    (lua_Integer)ctx->run_id, run));
    thema_coding_delete_run(store_of(L), run, &deleted, &err);
  } else {
    if (guarded)
      luaL_argerror(L, 1,
                    "a plugin run deletes only its own codings, not a coder's (the user "
                    "can allow it with --allow-replace)");
    thema_coding_delete_coder(store_of(L), thema_lua_opt_field(L, 1, "coder"), 0, &deleted,
                              &err);
  }
  thema_lua_raise_if(L, &err);
  lua_pushinteger(L, deleted);
  return 1;
}

/* thema.add_memo{target=, target_id=, text=, author=} -> id */
static int store_add_memo(lua_State *L) {
  static const char *const fields[] = {"target", "target_id", "text", "author", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  thema_lua_check_fields(L, 1, fields);
  const char *target = thema_lua_opt_field(L, 1, "target");
  const char *text = thema_lua_opt_field(L, 1, "text");
  int ok = 0;
  for (int i = 0; target && thema_memo_targets[i]; i++)
    ok |= strcmp(target, thema_memo_targets[i]) == 0;
  luaL_argcheck(
      L, ok, 1,
      "field 'target' must be source, segment, code, person, organisation or project");
  luaL_argcheck(L, text != NULL, 1, "field 'text' expected");
  lua_getfield(L, 1, "target_id");
  int64_t tid = lua_isnil(L, -1) ? 0 : thema_lua_field_integer(L, 1, "target_id");
  luaL_argcheck(L, tid || !strcmp(target, "project"), 1, "field 'target_id' expected");
  /* Provenance: inside a plugin run the author is the plugin, written as
   * agreement's coder specs name a plugin; no plugin can sign as a person. */
  const char *author = thema_lua_opt_field(L, 1, "author");
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  if (ctx->run_id) {
    const char *self = lua_pushfstring(L, "plugin:%s", ctx->run_plugin);
    luaL_argcheck(
        L, !author || strcmp(author, self) == 0, 1,
        lua_pushfstring(L, "inside a plugin run the memo's author is '%s'", self));
    author = self;
  }
  ThemaError err = {0};
  int64_t id = 0;
  thema_memo_add(store_of(L), target, tid, author, text, &id, &err);
  thema_lua_raise_if(L, &err);
  lua_pushinteger(L, id);
  return 1;
}

static const luaL_Reg store_funcs[] = {
    {"get_source", store_get_source}, {"get_segment", store_get_segment},
    {"get_code", store_get_code},     {"get_attributes", store_get_attributes},
    {"members", store_members},       {"add_code", store_add_code},
    {"add_coding", store_add_coding}, {"del_codings", store_del_codings},
    {"add_memo", store_add_memo},     {NULL, NULL}};

static const luaL_Reg cursor_meta[] = {
    {"__gc", cursor_close}, {"__close", cursor_close}, {NULL, NULL}};

void thema_bind_store(lua_State *L) {
  if (luaL_newmetatable(L, CURSOR)) luaL_setfuncs(L, cursor_meta, 0);
  lua_pop(L, 1);
  for (int e = 0; e < THEMA_NENTITIES; e++) {
    const char *name = thema_query_entity_name((ThemaEntity)e);
    lua_pushinteger(L, e);
    lua_pushcclosure(L, store_list, 1);
    lua_setfield(L, -2, name);
    lua_pushfstring(L, "count_%s", name);
    lua_pushinteger(L, e);
    lua_pushcclosure(L, store_count, 1);
    lua_setfield(L, -3, lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  luaL_setfuncs(L, store_funcs, 0);
}
