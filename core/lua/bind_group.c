/*
 * bind_group.c — groupings (store/grouping.h) as seen from Lua, in
 * thema.store (and so ctx.store):
 *
 *   get_grouping(spec)            -> {spec=, kind=, key=} or nil, message
 *   get_groups(spec)              -> array of {name=, sources=, organisations=,
 *                                persons=}, one per label, sorted
 *   get_segments_by(spec [, filters]) -> iterator of segment rows with their
 *                                group; filters are those of thema.segments
 *                                plus group = label or list of labels
 *
 * This file only converts; the definition of a grouping lives in the store.
 * The iterator streams and returns its cursor as the fourth value of the
 * generic for, so `break` closes it.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/grouping.h"

#define GROUP_CURSOR "thema.GroupCursor"

static ThemaStore *store_of(lua_State *L) { return thema_ctx_get(L)->st; }

static const char *kind_name(ThemaGroupingKind k) {
  static const char *const names[] = {"source", "network", "organisation", "role",
                                      "person", "source",  "person",       "organisation"};
  return names[k];
}

/* Parse the spec at arg; raise (blaming arg) when it is bad. */
static ThemaGrouping check_grouping(lua_State *L, int arg) {
  const char *spec = luaL_checkstring(L, arg);
  ThemaGrouping g;
  ThemaError err = {0};
  if (thema_grouping_parse(store_of(L), spec, &g, &err)) luaL_argerror(L, arg, err.msg);
  return g;
}

/* thema.store.get_grouping(spec) -> {spec, kind, key} | nil, message */
static int group_grouping(lua_State *L) {
  const char *spec = luaL_checkstring(L, 1);
  ThemaGrouping g;
  ThemaError err = {0};
  if (thema_grouping_parse(store_of(L), spec, &g, &err)) {
    if (err.status != THEMA_EINPUT) thema_lua_raise_if(L, &err);
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_createtable(L, 0, 3);
  lua_pushstring(L, g.spec);
  lua_setfield(L, -2, "spec");
  lua_pushstring(L, kind_name(g.kind));
  lua_setfield(L, -2, "kind");
  if (*g.key) {
    lua_pushstring(L, g.key);
    lua_setfield(L, -2, "key");
  }
  return 1;
}

/* ---- get_groups(spec) ---- */

/* The walk over members fills the groups table at index t: groups[label]
 * is found by name through the index table at t + 1. */
typedef struct Walk {
  lua_State *L;
  int groups; /* the result array */
  int index;  /* label -> group table */
} Walk;

/* Push the group table of label, creating it (with its empty lists) at the
 * end of the result array when new. */
static void push_group(lua_State *L, int groups, int index, const char *label) {
  if (lua_getfield(L, index, label) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 4);
  lua_pushstring(L, label);
  lua_setfield(L, -2, "name");
  static const char *const lists[] = {"sources", "organisations", "persons"};
  for (int i = 0; i < 3; i++) {
    lua_newtable(L);
    lua_setfield(L, -2, lists[i]);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, index, label);
  lua_pushvalue(L, -1);
  lua_rawseti(L, groups, (lua_Integer)lua_rawlen(L, groups) + 1);
}

static int add_member(void *ud, const ThemaGroupMember *m, ThemaError *err) {
  (void)err;
  Walk *w = ud;
  lua_State *L = w->L;
  push_group(L, w->groups, w->index, m->group);
  lua_pushfstring(L, "%ss", m->kind); /* sources, organisations, persons */
  lua_rawget(L, -2);
  lua_createtable(L, 0, 5);
  lua_pushstring(L, m->name);
  lua_setfield(L, -2, "name");
  lua_pushinteger(L, m->id);
  lua_setfield(L, -2, "id");
  lua_pushinteger(L, m->turns);
  lua_setfield(L, -2, "turns");
  if (m->organisation) {
    lua_pushstring(L, m->organisation);
    lua_setfield(L, -2, "organisation");
  }
  if (m->role) {
    lua_pushstring(L, m->role);
    lua_setfield(L, -2, "role");
  }
  if (m->present_in) { /* "a;b" -> { "a", "b" } */
    lua_newtable(L);
    const char *s = m->present_in;
    for (int i = 1; *s; i++) {
      const char *semi = strchr(s, ';');
      size_t len = semi ? (size_t)(semi - s) : strlen(s);
      lua_pushlstring(L, s, len);
      lua_rawseti(L, -2, i);
      s += len + (semi != NULL);
    }
    lua_setfield(L, -2, "present_in");
  }
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 2); /* the list, the group */
  return 0;
}

/* thema.store.get_groups(spec) -> every group with its members, by name */
static int group_groups(lua_State *L) {
  ThemaGrouping g = check_grouping(L, 1);
  lua_settop(L, 1);
  lua_newtable(L); /* 2: the result */
  lua_newtable(L); /* 3: label -> group */
  ThemaError err = {0};
  char **labels = NULL;
  int n = 0;
  thema_grouping_labels(store_of(L), &g, &labels, &n, &err);
  thema_lua_raise_if(L, &err);
  for (int i = 0; i < n; i++) {
    push_group(L, 2, 3, labels[i]);
    lua_pop(L, 1);
  }
  thema_grouping_free_labels(labels);
  Walk w = {L, 2, 3};
  thema_grouping_members(store_of(L), &g, add_member, &w, &err);
  thema_lua_raise_if(L, &err);
  /* Every member's group is one of the labels, which are sorted: the array
   * is in label order already. */
  lua_settop(L, 2);
  return 1;
}

/* ---- get_segments_by(spec [, filters]) ---- */

typedef struct GroupCursor {
  ThemaGroupCursor *c; /* owned; NULL once exhausted or closed */
} GroupCursor;

static int gcursor_close(lua_State *L) {
  GroupCursor *u = luaL_checkudata(L, 1, GROUP_CURSOR);
  thema_grouping_close(u->c);
  u->c = NULL;
  return 0;
}

static void set_text(lua_State *L, const char *k, const char *v) {
  if (!v) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static int gcursor_next(lua_State *L) {
  GroupCursor *u = lua_touserdata(L, lua_upvalueindex(1));
  if (!u->c) return 0;
  ThemaError err = {0};
  ThemaGroupRow row;
  int rc = thema_grouping_step(u->c, &row, &err);
  if (rc != 1) {
    thema_grouping_close(u->c);
    u->c = NULL;
    thema_lua_raise_if(L, &err);
    return 0;
  }
  lua_createtable(L, 0, 14);
  set_int(L, "segment", row.segment_id);
  set_text(L, "source", row.source);
  set_int(L, "source_id", row.source_id);
  set_int(L, "ordinal", row.ordinal);
  if (row.person_id) set_int(L, "person_id", row.person_id);
  set_text(L, "speaker", row.speaker);
  set_text(L, "person", row.person);
  set_text(L, "organisation", row.organisation);
  set_text(L, "role", row.role);
  set_text(L, "group", row.group);
  lua_pushlstring(L, row.text, row.text_len);
  lua_setfield(L, -2, "text");
  set_int(L, "words", row.words);
  set_int(L, "nth", row.nth);
  return 1;
}

/* The labels of filters.group (a string or a list of strings), pushed as a
 * userdata array of borrowed strings; *n says how many (0: no restriction). */
static const char **check_only(lua_State *L, int filters, int *n) {
  *n = 0;
  if (lua_getfield(L, filters, "group") == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return NULL;
  }
  int t = lua_gettop(L);
  int count = lua_type(L, t) == LUA_TTABLE ? (int)lua_rawlen(L, t) : 1;
  if (lua_type(L, t) == LUA_TTABLE && count == 0)
    luaL_argerror(L, 2, "filter 'group' is an empty list");
  const char **only = lua_newuserdatauv(L, (size_t)count * sizeof *only, 0);
  for (int i = 0; i < count; i++) {
    if (lua_type(L, t) == LUA_TTABLE)
      lua_rawgeti(L, t, i + 1);
    else
      lua_pushvalue(L, t);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_argerror(L, 2,
                    lua_pushfstring(L, "filter 'group' must hold group labels, got %s",
                                    luaL_typename(L, -1)));
    only[i] = lua_tostring(L, -1); /* alive: the filters table holds it */
    lua_pop(L, 1);
  }
  lua_remove(L, t);
  *n = count;
  return only;
}

/* thema.store.get_segments_by(spec [, filters]) -> iterator, nil, nil, cursor */
static int group_segments_by(lua_State *L) {
  ThemaGrouping g = check_grouping(L, 1);
  lua_settop(L, 2);
  if (lua_isnil(L, 2)) {
    lua_newtable(L);
    lua_replace(L, 2);
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  /* 3: the segment filters, a copy without `group` at index 2's place for
   * messages; the original stays at 4 and keeps the labels alive */
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "group") == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, 3);
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_replace(L, 2); /* 2: the copy, 3: the copy, 4: the original */
  int nonly = 0;
  const char **only = check_only(L, 4, &nonly); /* 5: the labels (or nil) */
  ThemaCursor *segments = thema_bind_query(L, THEMA_SEGMENTS, 2); /* 6 */
  GroupCursor *u = lua_newuserdatauv(L, sizeof *u, 3);            /* 7 */
  u->c = NULL;
  luaL_setmetatable(L, GROUP_CURSOR);
  lua_pushvalue(L, 6); /* the segments cursor lives as long as this one */
  lua_setiuservalue(L, 7, 1);
  lua_pushvalue(L, 4); /* the strings of the labels */
  lua_setiuservalue(L, 7, 2);
  ThemaError err = {0};
  thema_grouping_open_over(store_of(L), &g, segments, (const char *const *)only, nonly,
                           &u->c, &err);
  thema_lua_raise_if(L, &err);
  lua_pushvalue(L, 7);
  lua_pushcclosure(L, gcursor_next, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, 7);
  return 4;
}

static const luaL_Reg group_funcs[] = {{"get_grouping", group_grouping},
                                       {"get_groups", group_groups},
                                       {"get_segments_by", group_segments_by},
                                       {NULL, NULL}};

static const luaL_Reg gcursor_meta[] = {
    {"__gc", gcursor_close}, {"__close", gcursor_close}, {NULL, NULL}};

void thema_bind_group(lua_State *L) {
  if (luaL_newmetatable(L, GROUP_CURSOR)) luaL_setfuncs(L, gcursor_meta, 0);
  lua_pop(L, 1);
  luaL_setfuncs(L, group_funcs, 0);
}
