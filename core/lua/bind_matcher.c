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

#include "base/utf8.h"
#include "deductive/codebook.h"
#include "lua/bind.h"
#include "lua/ctx.h"

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

/* Add the rule lines of the value at the top of the stack (a string holding
 * one pattern per line, or an array of such strings) to l. */
static void rule_lines(lua_State *L, ThemaList *l, int entry, const char *field) {
  int t = lua_type(L, -1);
  if (t == LUA_TNIL) return;
  lua_Integer n = t == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 1;
  if (t != LUA_TTABLE && t != LUA_TSTRING)
    luaL_error(L,
               "bad argument #1 to 'matcher' (entry %d: field '%s' must be a string or a "
               "list of strings, got %s)",
               entry, field, luaL_typename(L, -1));
  for (lua_Integer i = 1; i <= n; i++) {
    if (t == LUA_TTABLE && lua_rawgeti(L, -1, i) != LUA_TSTRING)
      luaL_error(L,
                 "bad argument #1 to 'matcher' (entry %d: %s[%d] must be a string, got %s)",
                 entry, field, (int)i, luaL_typename(L, -1));
    const char *text = lua_tostring(L, -1);
    while (*text) { /* one pattern per line, as in a codebook file's cell */
      const char *nl = strchr(text, '\n');
      size_t len = nl ? (size_t)(nl - text) : strlen(text);
      size_t b = 0, e = len;
      while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r')) b++;
      while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
        e--;
      if (e > b) {
        l->items = thema_xrealloc(l->items, (size_t)(l->n + 1) * sizeof *l->items);
        l->items[l->n++] = thema_xstrndup(text + b, e - b);
      }
      text += len + (nl != NULL);
    }
    if (t == LUA_TTABLE) lua_pop(L, 1);
  }
}

/* A codebook from a Lua list of {path=, options=, include=, exclude=}. The
 * codebook owns what is read so far when an error is raised: it lives in a
 * userdata whose __gc frees it. */
static void codebook_from_table(lua_State *L, int t, ThemaCodebook *cb) {
  static const char *const fields[] = {"path", "options", "include", "exclude", NULL};
  lua_Integer n = (lua_Integer)lua_rawlen(L, t);
  cb->codes = calloc((size_t)(n ? n : 1), sizeof *cb->codes);
  if (!cb->codes) abort();
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, t, i) != LUA_TTABLE)
      luaL_error(L, "bad argument #1 to 'matcher' (entry %d is not a table)", (int)i);
    int e = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, e)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      int ok = 0;
      for (int f = 0; fields[f]; f++) ok |= strcmp(fields[f], k) == 0;
      if (!ok)
        luaL_error(L,
                   "bad argument #1 to 'matcher' (entry %d: unknown field '%s'; accepted: "
                   "path, options, include, exclude)",
                   (int)i, k);
      lua_pop(L, 1);
    }
    ThemaCbCode *c = &cb->codes[cb->n++];
    c->line = (long)i;
    lua_getfield(L, e, "path");
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "bad argument #1 to 'matcher' (entry %d needs a path)", (int)i);
    c->path = thema_xstrdup(lua_tostring(L, -1));
    c->name = thema_xstrdup(c->path);
    lua_pop(L, 1);
    lua_getfield(L, e, "options");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "bad argument #1 to 'matcher' (entry %d: options must be a string)",
                 (int)i);
    c->options = lua_isstring(L, -1) ? thema_xstrdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    for (const char *p = c->options; p && *p;) {
      static const char *const known[] = {"stem", "fold", "case", "partial", NULL};
      p += strspn(p, " ,");
      size_t len = strcspn(p, " ,");
      int ok = len == 0;
      for (int k = 0; known[k]; k++)
        ok |= strlen(known[k]) == len && !strncmp(known[k], p, len);
      if (!ok)
        luaL_error(L,
                   "bad argument #1 to 'matcher' (entry %d: unknown option '%s'; accepted: "
                   "stem, fold, case, partial)",
                   (int)i, lua_pushlstring(L, p, len));
      p += len;
    }
    lua_getfield(L, e, "include");
    rule_lines(L, &c->include, (int)i, "include");
    lua_pop(L, 1);
    lua_getfield(L, e, "exclude");
    rule_lines(L, &c->exclude, (int)i, "exclude");
    lua_pop(L, 1);
    if (!c->include.n)
      luaL_error(L, "bad argument #1 to 'matcher' (entry %d has no include pattern)",
                 (int)i);
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
static int l_matcher(lua_State *L) {
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
  size_t valid = thema_utf8_valid_prefix(text, n);
  if (valid < n)
    return luaL_argerror(L, 2,
                         lua_pushfstring(L, "invalid UTF-8 at byte %d", (int)valid + 1));
  lua_newtable(L);
  Collect c = {.L = L, .m = u->m};
  ThemaError err = {0};
  if (thema_matcher_scan(u->m, text, n, collect, &c, &err))
    return luaL_error(L, "%s", err.msg);
  return 1;
}

typedef struct Apply {
  ThemaStore *st;
  ThemaError *err;
  int64_t run_id, segment, seg_start;
  int64_t *code_ids;
  long *per_code;
  long codings;
  int coded;
} Apply;

static int store_coding(void *ud, int code, size_t start, size_t stop) {
  Apply *a = ud;
  a->coded = 1;
  a->per_code[code]++;
  a->codings++;
  return thema_store_exec(a->st, a->err,
                          "INSERT INTO coding(code_id, segment_id, start, end, run_id)"
                          " VALUES (?,?,?,?,?)",
                          "iiiii", a->code_ids[code], a->segment,
                          a->seg_start + (int64_t)start, a->seg_start + (int64_t)stop,
                          a->run_id);
}

/* m:apply([filters]) -> {segments=, coded=, uncoded=, codings=, codes={path=n}}
 * Codes every segment the filters select (see thema.segments), within the
 * current plugin run. */
static int matcher_apply(lua_State *L) {
  Matcher *u = check_matcher(L);
  ThemaLuaCtx *h = thema_ctx_get(L);
  if (!h->run_id)
    return luaL_error(L, "apply codes segments for a plugin run; call it from a plugin");
  int ncodes = thema_matcher_ncodes(u->m);
  Apply a = {.st = h->st, .run_id = h->run_id};
  ThemaError err = {0};
  a.err = &err;
  a.code_ids = thema_xmalloc((size_t)(ncodes ? ncodes : 1) * sizeof *a.code_ids);
  a.per_code = calloc((size_t)(ncodes ? ncodes : 1), sizeof *a.per_code);
  if (!a.per_code) abort();
  for (int i = 0; i < ncodes; i++)
    a.code_ids[i] = thema_bind_code_id(L, thema_matcher_path(u->m, i), "deductive");
  sqlite3_stmt *q = thema_bind_segment_query(L, 2);
  int id_col = -1, start_col = -1, text_col = -1;
  for (int c = 0; c < sqlite3_column_count(q); c++) {
    const char *name = sqlite3_column_name(q, c);
    if (!strcmp(name, "id"))
      id_col = c;
    else if (!strcmp(name, "start"))
      start_col = c;
    else if (!strcmp(name, "text"))
      text_col = c;
  }
  long segments = 0, coded = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    a.segment = sqlite3_column_int64(q, id_col);
    a.seg_start = sqlite3_column_int64(q, start_col);
    a.coded = 0;
    const char *text = (const char *)sqlite3_column_text(q, text_col);
    if (thema_matcher_scan(u->m, text, (size_t)sqlite3_column_bytes(q, text_col),
                           store_coding, &a, &err))
      break;
    segments++;
    coded += a.coded;
  }
  sqlite3_finalize(q);
  if (!err.status && rc != SQLITE_DONE && rc != SQLITE_ROW)
    thema_error_set(&err, THEMA_ERUNTIME, "reading segments failed");
  if (err.status) {
    free(a.code_ids);
    free(a.per_code);
    return luaL_error(L, "%s", err.msg);
  }
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
    lua_pushinteger(L, a.per_code[i]);
    lua_setfield(L, -2, thema_matcher_path(u->m, i));
  }
  lua_setfield(L, -2, "codes");
  free(a.code_ids);
  free(a.per_code);
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
  lua_pushcfunction(L, l_matcher);
  lua_setfield(L, -2, "matcher");
}
