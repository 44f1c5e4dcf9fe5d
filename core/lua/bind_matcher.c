/*
 * bind_matcher.c — the deductive engine from Lua: thema.matcher() compiles
 * the store's codebook (or a list of code tables) once; m:scan(text) returns
 * the coded spans of one text; m:apply(filters) codes every selected segment
 * inside the current plugin run, in C, so no per-pattern or per-match loop
 * runs in Lua.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "deductive/codebook.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "store/coding.h"

#define MATCHER "thema.Matcher"

typedef struct Matcher {
  ThemaMatcher *m; /* NULL once closed */
} Matcher;

static Matcher *check_matcher(lua_State *L) {
  Matcher *u = luaL_checkudata(L, 1, MATCHER);
  if (!u->m) luaL_error(L, "attempt to use a closed matcher");
  return u;
}

static int matcher_close(lua_State *L) {
  Matcher *u = luaL_checkudata(L, 1, MATCHER);
  thema_matcher_free(u->m);
  u->m = NULL;
  return 0;
}

static int matcher_tostring(lua_State *L) {
  Matcher *u = luaL_checkudata(L, 1, MATCHER);
  lua_pushfstring(L, "thema.Matcher (%d codes%s)", u->m ? thema_matcher_ncodes(u->m) : 0,
                  u->m ? "" : ", closed");
  return 1;
}

/* An error in argument #1 of thema.matcher: blamed as luaL_argerror does,
 * by the name the caller used, or as 'matcher' when the call has no name
 * (it came through pcall or a table of functions). */
static int table_error(lua_State *L, const char *msg) {
  lua_Debug ar;
  if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name)
    return table_error(L, msg);
  return luaL_error(L, "bad argument #1 to 'matcher' (%s)", msg);
}

/* Add the rule lines of the value at the top of the stack (a string holding
 * one pattern per line, or an array of such strings) to l. Errors are blamed
 * on argument #1 of thema.matcher. */
static void rule_lines(lua_State *L, ThemaList *l, int entry, const char *field) {
  int t = lua_type(L, -1);
  if (t == LUA_TNIL) return;
  if (t != LUA_TTABLE && t != LUA_TSTRING)
    table_error(L, lua_pushfstring(L,
                                   "entry %d: field '%s' must be a string or a list of "
                                   "strings, got %s",
                                   entry, field, luaL_typename(L, -1)));
  lua_Integer n = t == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 1;
  for (lua_Integer i = 1; i <= n; i++) {
    if (t == LUA_TTABLE && lua_rawgeti(L, -1, i) != LUA_TSTRING)
      table_error(L, lua_pushfstring(L, "entry %d: %s[%I] must be a string, got %s", entry,
                                     field, i, luaL_typename(L, -1)));
    thema_list_lines(l, lua_tostring(L, -1)); /* one pattern per line, as in a file */
    if (t == LUA_TTABLE) lua_pop(L, 1);
  }
}

/* A codebook from a Lua list of {path=, options=, include=, exclude=}. The
 * codebook owns what is read so far when an error is raised: it lives in a
 * userdata whose __gc frees it. */
static void codebook_from_table(lua_State *L, int t, ThemaCodebook *cb) {
  static const char *const fields[] = {"path", "options", "include", "exclude", NULL};
  lua_Integer n = (lua_Integer)lua_rawlen(L, t);
  for (lua_Integer i = 1; i <= n; i++) {
    int entry = (int)i;
    if (lua_rawgeti(L, t, i) != LUA_TTABLE)
      table_error(L, lua_pushfstring(L, "entry %d is not a table", entry));
    int e = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, e)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      int ok = 0;
      for (int f = 0; fields[f]; f++) ok |= strcmp(fields[f], k) == 0;
      if (!ok)
        table_error(L, lua_pushfstring(L,
                                       "entry %d: unknown field '%s'; accepted: path, "
                                       "options, include, exclude",
                                       entry, k));
      lua_pop(L, 1);
    }
    ThemaCbCode *c = thema_codebook_add(cb);
    c->line = (long)i;
    lua_getfield(L, e, "path");
    if (lua_type(L, -1) != LUA_TSTRING)
      table_error(L, lua_pushfstring(L, "entry %d needs a path", entry));
    c->path = thema_xstrdup(lua_tostring(L, -1));
    c->name = thema_xstrdup(c->path);
    lua_pop(L, 1);
    lua_getfield(L, e, "options");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
      table_error(L, lua_pushfstring(L, "entry %d: options must be a string", entry));
    c->options = lua_isstring(L, -1) ? thema_xstrdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    const char *bad = NULL;
    size_t badlen = thema_codebook_bad_option(c->options, &bad);
    if (badlen) {
      ThemaBuf known = {0};
      thema_codebook_join(&known, thema_codebook_options);
      lua_pushfstring(L, "entry %d: unknown option '%s'; accepted: %s", entry,
                      lua_pushlstring(L, bad, badlen), thema_buf_str(&known));
      thema_buf_free(&known);
      table_error(L, lua_tostring(L, -1));
    }
    lua_getfield(L, e, "include");
    rule_lines(L, &c->include, entry, "include");
    lua_pop(L, 1);
    lua_getfield(L, e, "exclude");
    rule_lines(L, &c->exclude, entry, "exclude");
    lua_pop(L, 1);
    if (!c->include.n)
      table_error(L, lua_pushfstring(L, "entry %d has no include pattern", entry));
    lua_pop(L, 1);
  }
}

static int codebook_gc(lua_State *L) {
  ThemaCodebook *cb = lua_touserdata(L, 1);
  thema_codebook_free(cb);
  return 0;
}

/* thema.matcher([codes]) -> matcher | nil, message
 * Without codes: the codebook in the store. An invalid pattern is an
 * expected failure (nil plus PCRE2's message and offset). */
static int matcher_new(lua_State *L) {
  ThemaCodebook cb;
  ThemaError err = {0};
  int from_store = lua_isnoneornil(L, 1);
  if (!from_store) luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  Matcher *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->m = NULL;
  luaL_setmetatable(L, MATCHER);
  if (from_store) {
    if (thema_codebook_from_store(thema_ctx_get(L)->st, &cb, &err)) {
      thema_codebook_free(&cb);
      luaL_pushfail(L);
      lua_pushstring(L, err.msg);
      return 2;
    }
    u->m = thema_codebook_compile(&cb, NULL, &err);
    thema_codebook_free(&cb);
  } else {
    ThemaCodebook *tcb = lua_newuserdatauv(L, sizeof *tcb, 0);
    memset(tcb, 0, sizeof *tcb);
    lua_newtable(L);
    lua_pushcfunction(L, codebook_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    tcb->path = thema_xstrdup("matcher");
    codebook_from_table(L, 1, tcb);
    u->m = thema_codebook_compile(tcb, NULL, &err);
    lua_pop(L, 1); /* the codebook: its __gc frees it */
  }
  if (!u->m) {
    luaL_pushfail(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  return 1;
}

typedef struct Collect {
  lua_State *L;
  ThemaMatcher *m;
  int n;
} Collect;

static int collect(void *ud, int code, size_t start, size_t stop) {
  Collect *c = ud;
  lua_createtable(c->L, 0, 3);
  lua_pushstring(c->L, thema_matcher_path(c->m, code));
  lua_setfield(c->L, -2, "code");
  lua_pushinteger(c->L, (lua_Integer)start);
  lua_setfield(c->L, -2, "start");
  lua_pushinteger(c->L, (lua_Integer)stop);
  lua_setfield(c->L, -2, "stop");
  lua_rawseti(c->L, -2, ++c->n);
  return 0;
}

/* m:scan(text) -> array of {code=, start=, stop=} (code points, stop exclusive) */
static int matcher_scan(lua_State *L) {
  Matcher *u = check_matcher(L);
  size_t n;
  const char *text = luaL_checklstring(L, 2, &n);
  thema_lua_check_utf8(L, 2, text, n);
  lua_newtable(L);
  Collect c = {.L = L, .m = u->m};
  ThemaError err = {0};
  if (thema_matcher_scan(u->m, text, n, collect, &c, &err))
    return luaL_error(L, "%s", err.msg);
  return 1;
}

typedef struct Apply {
  ThemaStore *st;          /* where the codings go */
  ThemaError *err;         /* the first failure */
  ThemaCodingRow row;      /* the coding being stored: run, segment, code */
  int64_t seg_start;       /* the segment's start in the source text */
  const int64_t *code_ids; /* code id per matcher code number */
  lua_Integer *per_code;   /* codings per matcher code number */
  long codings;            /* codings stored */
  int coded;               /* the current segment got a coding */
} Apply;

static int store_coding(void *ud, int code, size_t start, size_t stop) {
  Apply *a = ud;
  a->coded = 1;
  a->per_code[code]++;
  a->codings++;
  a->row.code_id = a->code_ids[code];
  a->row.start = a->seg_start + (int64_t)start;
  a->row.end = a->seg_start + (int64_t)stop;
  return thema_coding_add(a->st, &a->row, NULL, a->err);
}

/* m:apply([filters]) -> {segments=, coded=, uncoded=, codings=, codes={path=n}}
 * Codes every segment the filters select (see thema.segments), within the
 * current plugin run. Everything it allocates belongs to Lua (userdata), so
 * an error raised half-way (a bad filter, a failed write) leaks nothing. */
static int matcher_apply(lua_State *L) {
  Matcher *u = check_matcher(L);
  ThemaLuaCtx *ctx = thema_ctx_get(L);
  if (!ctx->run_id)
    return luaL_error(L, "apply codes segments for a plugin run; call it from a plugin");
  lua_settop(L, 2);
  int ncodes = thema_matcher_ncodes(u->m);
  size_t n = (size_t)(ncodes ? ncodes : 1);
  int64_t *code_ids = lua_newuserdatauv(L, n * sizeof *code_ids, 0);
  lua_Integer *per_code = lua_newuserdatauv(L, n * sizeof *per_code, 0);
  memset(per_code, 0, n * sizeof *per_code);
  for (int i = 0; i < ncodes; i++)
    code_ids[i] = thema_bind_code_ensure(L, thema_matcher_path(u->m, i), "deductive");
  ThemaCursor *q = thema_bind_query(L, THEMA_SEGMENTS, 2);
  int id_col = thema_cursor_column(q, "id"), start_col = thema_cursor_column(q, "start");
  int text_col = thema_cursor_column(q, "text");
  ThemaError err = {0};
  Apply a = {.st = ctx->st,
             .err = &err,
             .row = {.run_id = ctx->run_id},
             .code_ids = code_ids,
             .per_code = per_code};
  lua_Integer segments = 0, coded = 0;
  while (thema_cursor_step(q, &err) == 1) {
    a.row.segment_id = thema_cursor_int(q, id_col);
    a.seg_start = thema_cursor_int(q, start_col);
    a.coded = 0;
    size_t len;
    const char *text = thema_cursor_text(q, text_col, &len);
    if (thema_matcher_scan(u->m, text, len, store_coding, &a, &err)) {
      ThemaError at = {0}; /* name the segment the pattern failed on */
      thema_error_set(&at, err.status, "%s (segment id %lld)", err.msg,
                      (long long)a.row.segment_id);
      err = at;
      break;
    }
    segments++;
    coded += a.coded;
  }
  thema_lua_raise_if(L, &err);
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, segments);
  lua_setfield(L, -2, "segments");
  lua_pushinteger(L, coded);
  lua_setfield(L, -2, "coded");
  lua_pushinteger(L, segments - coded);
  lua_setfield(L, -2, "uncoded");
  lua_pushinteger(L, a.codings);
  lua_setfield(L, -2, "codings");
  lua_createtable(L, 0, ncodes);
  for (int i = 0; i < ncodes; i++) {
    lua_pushinteger(L, per_code[i]);
    lua_setfield(L, -2, thema_matcher_path(u->m, i));
  }
  lua_setfield(L, -2, "codes");
  return 1;
}

/* m:codes() -> array of the code paths, in matcher order */
static int matcher_codes(lua_State *L) {
  Matcher *u = check_matcher(L);
  int n = thema_matcher_ncodes(u->m);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, thema_matcher_path(u->m, i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

void thema_bind_matcher(lua_State *L) {
  if (luaL_newmetatable(L, MATCHER)) {
    static const luaL_Reg methods[] = {{"scan", matcher_scan},
                                       {"apply", matcher_apply},
                                       {"codes", matcher_codes},
                                       {"close", matcher_close},
                                       {NULL, NULL}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, matcher_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, matcher_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, matcher_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, matcher_new);
  lua_setfield(L, -2, "matcher");
}
