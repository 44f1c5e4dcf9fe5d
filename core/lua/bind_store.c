/*
 * bind_store.c — the store as seen from Lua: iterate sources, segments,
 * speakers, persons, organisations, networks, indicators, observations,
 * codes, codings, runs and memos with filters; get one row; count; add and
 * delete codes, codings and memos; import files from a script.
 *
 * Iterators stream rows from a prepared statement (never a whole table in
 * Lua memory) and return the statement's cursor as the fourth value of the
 * generic for, so `break` closes it. Rows cross the boundary as plain tables
 * whose fields are the query's column aliases; NULL columns are absent.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "deductive/codebook.h"
#include "lua/bind.h"
#include "lua/ctx.h"

#define CURSOR "thema.Cursor"

typedef struct Cursor {
  sqlite3_stmt *stmt; /* NULL once exhausted or closed */
} Cursor;

static ThemaStore *store_of(lua_State *L) { return thema_ctx_get(L)->st; }

static int cursor_close(lua_State *L) {
  Cursor *c = luaL_checkudata(L, 1, CURSOR);
  if (c->stmt) sqlite3_finalize(c->stmt);
  c->stmt = NULL;
  return 0;
}

/* Push the current row of q as a table keyed by column alias. */
static void push_row(lua_State *L, sqlite3_stmt *q) {
  int n = sqlite3_column_count(q);
  lua_createtable(L, 0, n);
  for (int i = 0; i < n; i++) {
    switch (sqlite3_column_type(q, i)) {
      case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(q, i)); break;
      case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(q, i)); break;
      case SQLITE_NULL: continue;
      default:
        lua_pushlstring(L, (const char *)sqlite3_column_text(q, i),
                        (size_t)sqlite3_column_bytes(q, i));
    }
    lua_setfield(L, -2, sqlite3_column_name(q, i));
  }
}

static int cursor_next(lua_State *L) {
  Cursor *c = lua_touserdata(L, lua_upvalueindex(1));
  if (!c->stmt) return 0;
  int rc = sqlite3_step(c->stmt);
  if (rc == SQLITE_ROW) {
    push_row(L, c->stmt);
    return 1;
  }
  const char *msg = rc == SQLITE_DONE ? NULL : sqlite3_errmsg(sqlite3_db_handle(c->stmt));
  if (msg) lua_pushstring(L, msg);
  sqlite3_finalize(c->stmt);
  c->stmt = NULL;
  if (msg) return lua_error(L);
  return 0;
}

/* One filter key a query accepts and the SQL condition it stands for; "%s"
 * in cond is replaced by the placeholders of the filter's value(s). */
typedef struct Filter {
  const char *key;
  const char *cond;
} Filter;

typedef struct Query {
  ThemaBuf *sql; /* owned by a userdata on the stack, freed by its __gc even
                    * when a bad filter raises half-way */
  int nparams;
  int params_idx; /* Lua table of the values to bind, in order */
} Query;

#define SQLBUF "thema.SqlBuffer"

static int sqlbuf_gc(lua_State *L) {
  thema_buf_free(luaL_checkudata(L, 1, SQLBUF));
  return 0;
}

/* Append " AND cond" (or " AND NOT coalesce(cond, 0)" inside except, so a
 * NULL column counts as not matching) for the value at the top of the stack:
 * a string, a number or an array of them. Pops the value. Every check comes
 * before anything is appended. */
static void add_condition(lua_State *L, Query *q, const Filter *f, int negate, int argno) {
  int n = 1;
  if (lua_type(L, -1) == LUA_TTABLE) {
    n = (int)lua_rawlen(L, -1);
    if (n == 0)
      luaL_argerror(L, argno, lua_pushfstring(L, "filter '%s' is an empty list", f->key));
    for (int i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      if (!lua_isstring(L, -1))
        luaL_argerror(L, argno,
                      lua_pushfstring(L,
                                      "filter '%s' must hold strings or "
                                      "numbers, got %s",
                                      f->key, luaL_typename(L, -1)));
      lua_rawseti(L, q->params_idx, q->nparams + i);
    }
  } else if (lua_isstring(L, -1)) {
    lua_pushvalue(L, -1);
    lua_rawseti(L, q->params_idx, q->nparams + 1);
  } else {
    luaL_argerror(L, argno,
                  lua_pushfstring(L,
                                  "filter '%s' must be a string, number or "
                                  "list, got %s",
                                  f->key, luaL_typename(L, -1)));
  }
  lua_pop(L, 1);
  q->nparams += n;
  thema_buf_puts(q->sql, negate ? " AND NOT coalesce(" : " AND (");
  const char *hole = strstr(f->cond, "%s");
  thema_buf_append(q->sql, f->cond, (size_t)(hole - f->cond));
  for (int i = 0; i < n; i++) thema_buf_puts(q->sql, i ? ", ?" : "?");
  thema_buf_puts(q->sql, hole + 2);
  thema_buf_puts(q->sql, negate ? ", 0)" : ")");
}

/* Read the filters table at stack index t against the accepted keys; the
 * key `except` holds filters whose matches are left out. Errors name the
 * function's argument argno. */
static void add_filters(lua_State *L, Query *q, int t, int argno, const Filter *f,
                        int negate) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (key && !negate && strcmp(key, "except") == 0) {
      if (!lua_istable(L, -1))
        luaL_argerror(L, argno,
                      lua_pushfstring(L, "filter 'except' must be a table, got %s",
                                      luaL_typename(L, -1)));
      add_filters(L, q, lua_gettop(L), argno, f, 1);
      lua_pop(L, 1);
      continue;
    }
    int i = 0;
    while (f[i].key && (!key || strcmp(f[i].key, key) != 0)) i++;
    if (!f[i].key) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      for (int k = 0; f[k].key; k++) {
        luaL_addstring(&b, f[k].key);
        luaL_addstring(&b, ", ");
      }
      luaL_addstring(&b, negate ? "" : "except");
      luaL_pushresult(&b);
      luaL_argerror(L, argno,
                    lua_pushfstring(L, "unknown filter '%s' (accepted: %s)",
                                    key ? key : "?", lua_tostring(L, -1)));
    }
    add_condition(L, q, &f[i], negate, argno);
  }
}

/* Prepare select + filters at arg + tail. Raises on a bad filter. */
static sqlite3_stmt *build(lua_State *L, const char *select, const Filter *f, int arg,
                           const char *tail) {
  int has_filters = !lua_isnoneornil(L, arg); /* decided before anything is pushed */
  if (has_filters) luaL_checktype(L, arg, LUA_TTABLE);
  int base = lua_gettop(L);
  Query q = {0};
  q.sql = lua_newuserdatauv(L, sizeof *q.sql, 0);
  memset(q.sql, 0, sizeof *q.sql);
  if (luaL_newmetatable(L, SQLBUF)) {
    lua_pushcfunction(L, sqlbuf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_newtable(L);
  q.params_idx = lua_gettop(L);
  thema_buf_puts(q.sql, select);
  thema_buf_puts(q.sql, " WHERE 1");
  if (has_filters) add_filters(L, &q, arg, arg, f, 0);
  thema_buf_printf(q.sql, " %s", tail);
  sqlite3 *db = thema_store_db(store_of(L));
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, thema_buf_str(q.sql), -1, &stmt, NULL) != SQLITE_OK)
    luaL_error(L, "internal query error: %s", sqlite3_errmsg(db));
  for (int i = 1; i <= q.nparams; i++) {
    lua_rawgeti(L, q.params_idx, i);
    if (lua_isinteger(L, -1))
      sqlite3_bind_int64(stmt, i, lua_tointeger(L, -1));
    else if (lua_type(L, -1) == LUA_TNUMBER)
      sqlite3_bind_double(stmt, i, lua_tonumber(L, -1));
    else
      sqlite3_bind_text(stmt, i, lua_tostring(L, -1), -1, SQLITE_TRANSIENT);
    lua_pop(L, 1);
  }
  thema_buf_free(q.sql);
  lua_settop(L, base);
  return stmt;
}

/* Return iterator, nil, nil, cursor (the cursor closes on break). */
static int iterate(lua_State *L, sqlite3_stmt *stmt) {
  Cursor *c = lua_newuserdatauv(L, sizeof *c, 0);
  c->stmt = NULL;
  luaL_setmetatable(L, CURSOR);
  c->stmt = stmt;
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, cursor_next, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_rotate(L, -4, -1); /* iterator, nil, nil, cursor */
  return 4;
}

/* The first column of the first row, as an integer; finalizes stmt. */
static lua_Integer scalar(lua_State *L, sqlite3_stmt *stmt) {
  lua_Integer v = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  (void)L;
  return v;
}

/* One row as a table, or nil; finalizes stmt. */
static int one(lua_State *L, sqlite3_stmt *stmt) {
  if (sqlite3_step(stmt) == SQLITE_ROW)
    push_row(L, stmt);
  else
    lua_pushnil(L);
  sqlite3_finalize(stmt);
  return 1;
}

/* ---- the entities: one SELECT, its filters and its order each ---- */

typedef struct Entity {
  const char *name;   /* "segments" -> thema.segments, thema.count_segments */
  const char *select; /* columns AS their Lua names, FROM and JOINs */
  const char *count;  /* SELECT count(*) with the same FROM and JOINs */
  const char *order;  /* ORDER BY ... (deterministic) */
  const Filter *filters;
} Entity;

#define IN_NETWORK(col)                                                                    \
  col " IN (SELECT m.organisation_id FROM membership m JOIN network n"                     \
      " ON n.id = m.network_id WHERE n.name IN (%s))"

static const Filter source_filters[] = {
    {"id", "s.id IN (%s)"},           {"name", "s.name IN (%s)"},
    {"kind", "s.kind IN (%s)"},       {"genre", "s.genre IN (%s)"},
    {"network", "s.network IN (%s)"}, {NULL, NULL}};

static const Filter segment_filters[] = {{"id", "g.id IN (%s)"},
                                         {"source", "s.name IN (%s)"},
                                         {"source_id", "s.id IN (%s)"},
                                         {"kind", "s.kind IN (%s)"},
                                         {"genre", "s.genre IN (%s)"},
                                         {"network", "s.network IN (%s)"},
                                         {"organisation", "o.name IN (%s)"},
                                         {"speaker", "sp.label IN (%s)"},
                                         {"person", "p.name IN (%s)"},
                                         {"role", "p.role IN (%s)"},
                                         {"section", "g.section IN (%s)"},
                                         {"member_of", IN_NETWORK("o.id")},
                                         {NULL, NULL}};

static const Filter speaker_filters[] = {{"source", "s.name IN (%s)"},
                                         {"label", "sp.label IN (%s)"},
                                         {"person", "p.name IN (%s)"},
                                         {"organisation", "o.name IN (%s)"},
                                         {"role", "p.role IN (%s)"},
                                         {"network", "s.network IN (%s)"},
                                         {NULL, NULL}};

static const Filter person_filters[] = {{"name", "p.name IN (%s)"},
                                        {"organisation", "o.name IN (%s)"},
                                        {"role", "p.role IN (%s)"},
                                        {"member_of", IN_NETWORK("o.id")},
                                        {NULL, NULL}};

static const Filter organisation_filters[] = {
    {"name", "o.name IN (%s)"}, {"network", IN_NETWORK("o.id")}, {NULL, NULL}};

static const Filter network_filters[] = {{"name", "n.name IN (%s)"}, {NULL, NULL}};

static const Filter indicator_filters[] = {{"name", "i.name IN (%s)"}, {NULL, NULL}};

static const Filter observation_filters[] = {
    {"indicator", "i.name IN (%s)"}, {"case", "b.case_name IN (%s)"},
    {"period", "b.period IN (%s)"},  {"source", "s.name IN (%s)"},
    {"unit", "b.unit IN (%s)"},      {NULL, NULL}};

static const Filter code_filters[] = {
    {"id", "c.id IN (%s)"},        {"path", "c.path IN (%s)"},
    {"name", "c.name IN (%s)"},    {"origin", "c.origin IN (%s)"},
    {"parent", "pc.path IN (%s)"}, {NULL, NULL}};

static const Filter coding_filters[] = {{"id", "k.id IN (%s)"},
                                        {"code", "c.path IN (%s)"},
                                        {"code_id", "c.id IN (%s)"},
                                        {"theme", "coalesce(pc.path, c.path) IN (%s)"},
                                        {"segment", "g.id IN (%s)"},
                                        {"source", "s.name IN (%s)"},
                                        {"run", "+k.run_id IN (%s)"},
                                        {"coder", "+k.coder IN (%s)"},
                                        {"plugin", "r.plugin IN (%s)"},
                                        {"network", "s.network IN (%s)"},
                                        {"speaker", "sp.label IN (%s)"},
                                        {"organisation", "o.name IN (%s)"},
                                        {NULL, NULL}};

static const Filter run_filters[] = {{"id", "r.id IN (%s)"},
                                     {"plugin", "r.plugin IN (%s)"},
                                     {"status", "r.status IN (%s)"},
                                     {NULL, NULL}};

static const Filter memo_filters[] = {{"target", "m.target IN (%s)"},
                                      {"target_id", "m.target_id IN (%s)"},
                                      {"author", "m.author IN (%s)"},
                                      {NULL, NULL}};

#define SEGMENT_JOINS                                                                       \
  " FROM segment g JOIN source s ON s.id = g.source_id"                                     \
  " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id" \
  " LEFT JOIN organisation o ON o.id = p.organisation_id"

/* Codings are read source by source and segment by segment (CROSS JOIN fixes
 * that order), so their ORDER BY needs a sort within one segment only: memory
 * stays bounded however many codings a run has. The run and coder filters are
 * written +k.x so that the planner does not pick their indexes instead. */
#define CODING_JOINS                                                                        \
  " FROM source s CROSS JOIN segment g ON g.source_id = s.id"                               \
  " CROSS JOIN coding k ON k.segment_id = g.id CROSS JOIN code c ON c.id = k.code_id"       \
  " LEFT JOIN code pc ON pc.id = c.parent_id"                                               \
  " LEFT JOIN speaker sp ON sp.id = g.speaker_id LEFT JOIN person p ON p.id = sp.person_id" \
  " LEFT JOIN organisation o ON o.id = p.organisation_id LEFT JOIN run r ON r.id = k.run_id"

static const Entity entities[] = {
    {"sources",
     "SELECT s.id AS id, s.name AS name, s.kind AS kind, s.genre AS genre, s.title AS title,"
     " s.network AS network, s.date AS date, s.format AS format, s.path AS path,"
     " s.hash AS hash, s.length AS length FROM source s",
     "SELECT count(*) FROM source s", "ORDER BY s.name", source_filters},
    {"segments",
     "SELECT g.id AS id, s.name AS source, s.id AS source_id, s.kind AS kind,"
     " s.genre AS genre, s.network AS network, g.ordinal AS ordinal, sp.label AS speaker, p.name AS person,"
     " o.name AS organisation, p.role AS role, g.section AS section, g.start AS start,"
     " g.end AS stop, g.time_start AS time_start, g.time_end AS time_end, g.text AS text" SEGMENT_JOINS,
     "SELECT count(*)" SEGMENT_JOINS, "ORDER BY s.name, g.ordinal", segment_filters},
    {"speakers",
     "SELECT sp.id AS id, s.name AS source, sp.label AS label, p.name AS person,"
     " o.name AS organisation, p.role AS role, s.network AS network,"
     " (SELECT count(*) FROM segment g WHERE g.speaker_id = sp.id) AS turns"
     " FROM speaker sp JOIN source s ON s.id = sp.source_id"
     " LEFT JOIN person p ON p.id = sp.person_id LEFT JOIN organisation o ON o.id = p.organisation_id",
     "SELECT count(*) FROM speaker sp JOIN source s ON s.id = sp.source_id"
     " LEFT JOIN person p ON p.id = sp.person_id LEFT JOIN organisation o ON o.id = p.organisation_id",
     "ORDER BY s.name, sp.label", speaker_filters},
    {"persons",
     "SELECT p.id AS id, p.name AS name, o.name AS organisation, p.role AS role"
     " FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id",
     "SELECT count(*) FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id",
     "ORDER BY p.name", person_filters},
    {"organisations",
     "SELECT o.id AS id, o.name AS name, (SELECT group_concat(name, ';') FROM (SELECT n.name"
     " FROM membership m JOIN network n ON n.id = m.network_id WHERE m.organisation_id = o.id"
     " ORDER BY n.name)) AS networks FROM organisation o",
     "SELECT count(*) FROM organisation o", "ORDER BY o.name", organisation_filters},
    {"networks",
     "SELECT n.id AS id, n.name AS name, (SELECT count(*) FROM membership m"
     " WHERE m.network_id = n.id) AS members FROM network n",
     "SELECT count(*) FROM network n", "ORDER BY n.name", network_filters},
    {"indicators", "SELECT i.id AS id, i.name AS name FROM indicator i",
     "SELECT count(*) FROM indicator i", "ORDER BY i.name", indicator_filters},
    {"observations",
     "SELECT b.id AS id, s.name AS source, i.name AS indicator, b.case_name AS \"case\","
     " b.period AS period, b.value AS value, b.raw AS raw, b.unit AS unit, b.line AS line"
     " FROM observation b JOIN indicator i ON i.id = b.indicator_id"
     " JOIN source s ON s.id = b.source_id",
     "SELECT count(*) FROM observation b JOIN indicator i ON i.id = b.indicator_id"
     " JOIN source s ON s.id = b.source_id",
     "ORDER BY s.name, b.line, b.id", observation_filters},
    {"codes",
     "SELECT c.id AS id, c.path AS path, c.name AS name, pc.path AS parent,"
     " c.origin AS origin, c.description AS description, c.options AS options,"
     " c.colour AS colour FROM code c LEFT JOIN code pc ON pc.id = c.parent_id",
     "SELECT count(*) FROM code c LEFT JOIN code pc ON pc.id = c.parent_id",
     "ORDER BY c.path", code_filters},
    {"codings",
     "SELECT k.id AS id, c.path AS code, k.segment_id AS segment, s.name AS source,"
     " g.ordinal AS ordinal, sp.label AS speaker, o.name AS organisation,"
     " s.network AS network, k.start AS start, k.end AS stop, k.run_id AS run,"
     " k.coder AS coder, k.weight AS weight, k.memo AS memo,"
     " substr(g.text, k.start - g.start + 1, k.end - k.start) AS text" CODING_JOINS,
     "SELECT count(*)" CODING_JOINS,
     "AND (k.run_id IS NULL OR r.status IN ('ok', 'running'))"
     " ORDER BY s.name, g.ordinal, k.start, k.end, c.path, k.id",
     coding_filters},
    {"runs",
     "SELECT r.id AS id, r.plugin AS plugin, r.version AS version, r.params AS params,"
     " r.input_hash AS input_hash, r.codebook_hash AS codebook_hash,"
     " r.started_at AS started_at, r.finished_at AS finished_at, r.status AS status,"
     " r.message AS message FROM run r",
     "SELECT count(*) FROM run r", "ORDER BY r.id", run_filters},
    {"memos",
     "SELECT m.id AS id, m.target AS target, m.target_id AS target_id, m.author AS author,"
     " m.text AS text, m.created_at AS created_at FROM memo m",
     "SELECT count(*) FROM memo m", "ORDER BY m.id", memo_filters},
    {NULL, NULL, NULL, NULL, NULL}};

sqlite3_stmt *thema_bind_segment_query(lua_State *L, int filters) {
  return build(L, entities[1].select, segment_filters, filters, entities[1].order);
}

/* thema.<entity>([filters]) -> iterator (upvalue 1: the entity index) */
static int l_list(lua_State *L) {
  const Entity *e = &entities[lua_tointeger(L, lua_upvalueindex(1))];
  return iterate(L, build(L, e->select, e->filters, 1, e->order));
}

/* thema.count_<entity>([filters]) -> integer */
static int l_count(lua_State *L) {
  const Entity *e = &entities[lua_tointeger(L, lua_upvalueindex(1))];
  /* Codings of failed runs never count: keep the same visibility rule. */
  const char *tail = strncmp(e->order, "AND", 3) == 0
                         ? "AND (k.run_id IS NULL OR r.status IN ('ok', 'running'))"
                         : "";
  lua_pushinteger(L, scalar(L, build(L, e->count, e->filters, 1, tail)));
  return 1;
}

/* ---- single rows ---- */

/* thema.get_source(name_or_id) -> table with text, or nil */
static int l_get_source(lua_State *L) {
  luaL_argexpected(L, lua_isstring(L, 1), 1, "source name or id");
  sqlite3_stmt *q = NULL;
  sqlite3 *db = thema_store_db(store_of(L));
  sqlite3_prepare_v2(
      db,
      "SELECT id, name, kind, genre, title, network, date, format, path, hash,"
      " length, text FROM source WHERE name = ?1 OR (typeof(?1) = 'integer'"
      " AND id = ?1)",
      -1, &q, NULL);
  if (lua_isinteger(L, 1))
    sqlite3_bind_int64(q, 1, lua_tointeger(L, 1));
  else
    sqlite3_bind_text(q, 1, lua_tostring(L, 1), -1, SQLITE_TRANSIENT);
  return one(L, q);
}

/* thema.get_segment(id) -> table or nil */
static int l_get_segment(lua_State *L) {
  lua_Integer id = luaL_checkinteger(L, 1);
  lua_settop(L, 0);
  lua_newtable(L);
  lua_pushinteger(L, id);
  lua_setfield(L, 1, "id");
  return one(L, build(L, entities[1].select, segment_filters, 1, ""));
}

static int64_t code_id_of(lua_State *L, int arg) {
  ThemaStore *st = store_of(L);
  ThemaError err = {0};
  int64_t id = 0;
  if (lua_isinteger(L, arg)) {
    thema_store_exec_id(st, &err, &id, "SELECT id FROM code WHERE id = ?", "i",
                        (int64_t)lua_tointeger(L, arg));
  } else if (lua_type(L, arg) == LUA_TSTRING) {
    thema_store_exec_id(st, &err, &id, "SELECT id FROM code WHERE path = ?", "t",
                        lua_tostring(L, arg));
  } else {
    luaL_typeerror(L, arg, "code path or id");
  }
  if (err.status) luaL_error(L, "%s", err.msg);
  return id;
}

/* thema.get_code(path_or_id) -> table or nil */
static int l_get_code(lua_State *L) {
  int64_t id = code_id_of(L, 1);
  if (!id) {
    lua_pushnil(L);
    return 1;
  }
  lua_settop(L, 0);
  lua_newtable(L);
  lua_pushinteger(L, id);
  lua_setfield(L, 1, "id");
  return one(L, build(L, entities[8].select, code_filters, 1, ""));
}

/* thema.get_attributes(entity, name_or_id) -> {key = value} */
static int l_get_attributes(lua_State *L) {
  static const char *const kinds[] = {"source", "person", "organisation", NULL};
  static const char *const tables[] = {"source", "person", "organisation"};
  int k = luaL_checkoption(L, 1, NULL, kinds);
  luaL_argexpected(L, lua_isstring(L, 2), 2, "name or id");
  char sql[256];
  snprintf(
      sql, sizeof sql,
      "SELECT a.key, a.value FROM attribute a JOIN %s x ON x.id = a.entity_id"
      " WHERE a.entity = ?1 AND (x.name = ?2 OR (typeof(?2) = 'integer' AND x.id = ?2))"
      " ORDER BY a.key",
      tables[k]);
  sqlite3_stmt *q = NULL;
  sqlite3_prepare_v2(thema_store_db(store_of(L)), sql, -1, &q, NULL);
  sqlite3_bind_text(q, 1, kinds[k], -1, SQLITE_STATIC);
  if (lua_isinteger(L, 2))
    sqlite3_bind_int64(q, 2, lua_tointeger(L, 2));
  else
    sqlite3_bind_text(q, 2, lua_tostring(L, 2), -1, SQLITE_TRANSIENT);
  lua_newtable(L);
  while (sqlite3_step(q) == SQLITE_ROW) {
    lua_pushstring(L, (const char *)sqlite3_column_text(q, 1));
    lua_setfield(L, -2, (const char *)sqlite3_column_text(q, 0));
  }
  sqlite3_finalize(q);
  return 1;
}

/* thema.members(network) -> array of organisation names, sorted */
static int l_members(lua_State *L) {
  const char *net = luaL_checkstring(L, 1);
  sqlite3_stmt *q = NULL;
  sqlite3_prepare_v2(
      thema_store_db(store_of(L)),
      "SELECT o.name FROM organisation o JOIN membership m ON m.organisation_id"
      " = o.id JOIN network n ON n.id = m.network_id WHERE n.name = ?"
      " ORDER BY o.name",
      -1, &q, NULL);
  sqlite3_bind_text(q, 1, net, -1, SQLITE_TRANSIENT);
  lua_newtable(L);
  for (int i = 1; sqlite3_step(q) == SQLITE_ROW; i++) {
    lua_pushstring(L, (const char *)sqlite3_column_text(q, 0));
    lua_rawseti(L, -2, i);
  }
  sqlite3_finalize(q);
  return 1;
}

/* ---- writes ---- */

static const char *opt_field(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  const char *s = NULL;
  if (!lua_isnil(L, -1)) {
    if (!lua_isstring(L, -1))
      luaL_argerror(L, t,
                    lua_pushfstring(L, "field '%s' must be a string, got %s", k,
                                    luaL_typename(L, -1)));
    s = lua_tostring(L, -1);
  }
  lua_pop(L, 1); /* the string stays alive: it is referenced by the table */
  return s;
}

static void check_fields(lua_State *L, int t, const char *fn, const char *const *allowed) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    int ok = 0;
    for (int i = 0; k && allowed[i]; i++) ok |= strcmp(allowed[i], k) == 0;
    if (!ok) {
      ThemaBuf b = {0};
      for (int i = 0; allowed[i]; i++)
        thema_buf_printf(&b, "%s%s", i ? ", " : "", allowed[i]);
      lua_pushfstring(L, "bad argument #%d to '%s' (unknown field '%s'; accepted: %s)", t,
                      fn, k ? k : "?", thema_buf_str(&b));
      thema_buf_free(&b);
      lua_error(L);
    }
    lua_pop(L, 1);
  }
}

/* The value at the top of the stack as an integer, or raise naming the field
 * of argument #1 of fn. */
static lua_Integer field_integer(lua_State *L, const char *fn, const char *field) {
  int isnum;
  lua_Integer v = lua_tointegerx(L, -1, &isnum);
  if (!isnum)
    luaL_error(L, "bad argument #1 to '%s' (field '%s': integer expected, got %s)", fn,
               field, luaL_typename(L, -1));
  return v;
}

static lua_Number field_number(lua_State *L, const char *fn, const char *field) {
  int isnum;
  lua_Number v = lua_tonumberx(L, -1, &isnum);
  if (!isnum)
    luaL_error(L, "bad argument #1 to '%s' (field '%s': number expected, got %s)", fn,
               field, luaL_typename(L, -1));
  return v;
}

static void raise_if(lua_State *L, ThemaError *err) {
  if (err->status) luaL_error(L, "%s", err->msg);
}

/* Find or create the code at path ("theme/code"), creating missing parents. */
/* The id of the code at path, created with its parents when missing; a
 * description or options given are set on the code itself. */
static int64_t ensure_code(lua_State *L, const char *path, const char *origin,
                           const char *description, const char *options) {
  ThemaStore *st = store_of(L);
  ThemaError err = {0};
  int64_t id = 0;
  if (!thema_code_ensure(st, path, origin, &id, &err) && (description || options))
    thema_store_exec(st, &err,
                     "UPDATE code SET description = coalesce(?, description),"
                     " options = coalesce(?, options) WHERE id = ?",
                     "tti", description, options, id);
  raise_if(L, &err);
  return id;
}

int64_t thema_bind_code_id(lua_State *L, const char *path, const char *origin) {
  return ensure_code(L, path, origin, NULL, NULL);
}

/* thema.add_code{path=, description=, origin=, options=, colour=} -> id */
static int l_add_code(lua_State *L) {
  static const char *const fields[] = {"path",    "description", "origin",
                                       "options", "colour",      NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  check_fields(L, 1, "add_code", fields);
  const char *path = opt_field(L, 1, "path");
  luaL_argcheck(L, path && *path, 1,
                "field 'path' (a code path like 'theme/code') expected");
  const char *origin = opt_field(L, 1, "origin");
  if (!origin) origin = thema_ctx_get(L)->run_id ? "deductive" : "manual";
  luaL_argcheck(L,
                !strcmp(origin, "deductive") || !strcmp(origin, "inductive") ||
                    !strcmp(origin, "manual"),
                1, "field 'origin' must be deductive, inductive or manual");
  int64_t id = ensure_code(L, path, origin, opt_field(L, 1, "description"),
                           opt_field(L, 1, "options"));
  const char *colour = opt_field(L, 1, "colour");
  if (colour) {
    ThemaError err = {0};
    thema_store_exec(store_of(L), &err, "UPDATE code SET colour = ? WHERE id = ?", "ti",
                     colour, id);
    raise_if(L, &err);
  }
  lua_pushinteger(L, id);
  return 1;
}

/* thema.add_coding{segment=, code=, start=, stop=, weight=, memo=, coder=} -> id
 * start/stop default to the whole segment; both are source code points. */
static int l_add_coding(lua_State *L) {
  static const char *const fields[] = {"segment", "code", "start", "stop",
                                       "weight",  "memo", "coder", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  check_fields(L, 1, "add_coding", fields);
  ThemaLuaCtx *h = thema_ctx_get(L);
  ThemaStore *st = h->st;
  lua_getfield(L, 1, "segment");
  int isnum;
  lua_Integer seg = lua_tointegerx(L, -1, &isnum);
  if (!isnum)
    luaL_error(
        L, "bad argument #1 to 'add_coding' (field 'segment': segment id expected, got %s)",
        luaL_typename(L, -1));
  lua_getfield(L, 1, "code");
  if (lua_isnil(L, -1))
    luaL_error(
        L,
        "bad argument #1 to 'add_coding' (field 'code': code path or id expected, got nil)");
  int64_t code = code_id_of(L, lua_gettop(L));
  if (!code) {
    if (lua_type(L, -1) == LUA_TSTRING)
      code = ensure_code(L, lua_tostring(L, -1), h->run_id ? "deductive" : "manual", NULL,
                         NULL);
    else
      luaL_error(L, "bad argument #1 to 'add_coding' (no code with id %d)",
                 (int)lua_tointeger(L, -1));
  }
  ThemaError err = {0};
  sqlite3_stmt *q =
      thema_store_stmt(st, "SELECT start, end FROM segment WHERE id = ?", &err);
  raise_if(L, &err);
  sqlite3_bind_int64(q, 1, seg);
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_reset(q);
    return luaL_error(L, "bad argument #1 to 'add_coding' (no segment with id %d)",
                      (int)seg);
  }
  lua_Integer s0 = sqlite3_column_int64(q, 0), s1 = sqlite3_column_int64(q, 1);
  sqlite3_reset(q);
  lua_Integer start = s0, stop = s1;
  if (lua_getfield(L, 1, "start") != LUA_TNIL)
    start = field_integer(L, "add_coding", "start");
  if (lua_getfield(L, 1, "stop") != LUA_TNIL) stop = field_integer(L, "add_coding", "stop");
  if (start < s0 || stop > s1 || start > stop)
    return luaL_error(L,
                      "bad argument #1 to 'add_coding' (span %d-%d is not within segment "
                      "%d's span %d-%d)",
                      (int)start, (int)stop, (int)seg, (int)s0, (int)s1);
  const char *coder = opt_field(L, 1, "coder");
  if (!h->run_id && !coder)
    return luaL_error(L, "bad argument #1 to 'add_coding' (outside a plugin run, field "
                         "'coder' must name who coded)");
  const char *memo = opt_field(L, 1, "memo");
  lua_getfield(L, 1, "weight");
  int has_weight = !lua_isnil(L, -1);
  double weight = has_weight ? field_number(L, "add_coding", "weight") : 0;
  int64_t id = 0;
  if (has_weight)
    thema_store_exec_id(
        st, &err, &id,
        "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder, weight,"
        " memo) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        "iiiiItdt", code, (int64_t)seg, (int64_t)start, (int64_t)stop, (int64_t)h->run_id,
        coder, weight, memo);
  else
    thema_store_exec_id(
        st, &err, &id,
        "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder, weight,"
        " memo) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        "iiiiItnt", code, (int64_t)seg, (int64_t)start, (int64_t)stop, (int64_t)h->run_id,
        coder, memo);
  raise_if(L, &err);
  lua_pushinteger(L, id);
  return 1;
}

/* thema.del_codings{run=} or {coder=} -> number deleted */
static int l_del_codings(lua_State *L) {
  static const char *const fields[] = {"run", "coder", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  check_fields(L, 1, "del_codings", fields);
  lua_getfield(L, 1, "run");
  lua_getfield(L, 1, "coder");
  luaL_argcheck(L, lua_isnil(L, -1) != lua_isnil(L, -2), 1,
                "give exactly one of run, coder");
  ThemaError err = {0};
  ThemaStore *st = store_of(L);
  if (!lua_isnil(L, -2))
    thema_store_exec(
        st, &err, "DELETE FROM coding WHERE run_id = ?", "i",
        (int64_t)(lua_pushvalue(L, -2), field_integer(L, "del_codings", "run")));
  else
    thema_store_exec(st, &err, "DELETE FROM coding WHERE coder = ?", "t",
                     opt_field(L, 1, "coder"));
  raise_if(L, &err);
  lua_pushinteger(L, sqlite3_changes(thema_store_db(st)));
  return 1;
}

/* thema.add_memo{target=, target_id=, text=, author=} -> id */
static int l_add_memo(lua_State *L) {
  static const char *const fields[] = {"target", "target_id", "text", "author", NULL};
  static const char *const targets[] = {"source",       "segment", "code", "person",
                                        "organisation", "project", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  check_fields(L, 1, "add_memo", fields);
  const char *target = opt_field(L, 1, "target");
  const char *text = opt_field(L, 1, "text");
  int ok = 0;
  for (int i = 0; target && targets[i]; i++) ok |= strcmp(target, targets[i]) == 0;
  luaL_argcheck(
      L, ok, 1,
      "field 'target' must be source, segment, code, person, organisation or project");
  luaL_argcheck(L, text != NULL, 1, "field 'text' expected");
  lua_getfield(L, 1, "target_id");
  int64_t tid = lua_isnil(L, -1) ? 0 : (int64_t)field_integer(L, "add_memo", "target_id");
  luaL_argcheck(L, tid || !strcmp(target, "project"), 1, "field 'target_id' expected");
  char now[32];
  thema_store_now(now);
  ThemaError err = {0};
  int64_t id = 0;
  thema_store_exec_id(store_of(L), &err, &id,
                      "INSERT INTO memo(target, target_id, author, text, created_at)"
                      " VALUES (?,?,?,?,?) RETURNING id",
                      "tIttt", target, tid, opt_field(L, 1, "author"), text, now);
  raise_if(L, &err);
  lua_pushinteger(L, id);
  return 1;
}

void thema_bind_store(lua_State *L, ThemaStore *st) {
  (void)st; /* reached through the host, which owns the borrowed pointer */
  if (luaL_newmetatable(L, CURSOR)) {
    lua_pushcfunction(L, cursor_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, cursor_close);
    lua_setfield(L, -2, "__close");
    lua_pushliteral(L, CURSOR);
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
  for (int i = 0; entities[i].name; i++) {
    lua_pushinteger(L, i);
    lua_pushcclosure(L, l_list, 1);
    lua_setfield(L, -2, entities[i].name);
    char name[64];
    snprintf(name, sizeof name, "count_%s", entities[i].name);
    lua_pushinteger(L, i);
    lua_pushcclosure(L, l_count, 1);
    lua_setfield(L, -2, name);
  }
  static const luaL_Reg fns[] = {
      {"get_source", l_get_source}, {"get_segment", l_get_segment},
      {"get_code", l_get_code},     {"get_attributes", l_get_attributes},
      {"members", l_members},       {"add_code", l_add_code},
      {"add_coding", l_add_coding}, {"del_codings", l_del_codings},
      {"add_memo", l_add_memo},     {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
