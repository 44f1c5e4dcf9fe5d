/*
 * bind_output.c — what plugins and scripts write: thema.out (csv, json,
 * write, path, dir) confined to an output folder, thema.json (the encoder of
 * lua/json.c), and the logger and progress reporter on stderr.
 *
 * Writers never take a path outside their folder: names are relative, with
 * no "..", and subfolders are created as needed.
 */
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fs.h"
#include "lua/args.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "lua/json.h"
#include "text/csv.h"

#define CSV_WRITER "thema.CsvWriter"

/* ---- JSON ---- */

/* thema.json(value) -> string */
static int api_json(lua_State *L) {
  luaL_checkany(L, 1);
  ThemaBuf b = {0};
  ThemaError err = {0};
  if (thema_json_encode(L, 1, &b, &err)) {
    thema_buf_free(&b);
    thema_lua_raise_if(L, &err);
  }
  lua_pushlstring(L, thema_buf_str(&b), b.len);
  thema_buf_free(&b);
  return 1;
}

/* ---- files in the output folder ---- */

/* The full path for name in the writer's folder (upvalue 1), pushed; raises
 * on a name that would leave it. Creates the folders on the way. */
static const char *out_path(lua_State *L, int arg) {
  const char *dir = lua_tostring(L, lua_upvalueindex(1));
  const char *name = luaL_checkstring(L, arg);
  if (!*name || name[0] == '/' || strstr(name, "..") || strchr(name, '\\'))
    luaL_argerror(L, arg, "a relative file name inside the output folder expected");
  const char *full = lua_pushfstring(L, "%s/%s", dir, name);
  const ThemaLuaCtx *ctx = thema_ctx_get(L);
  if (!thema_paths_allowed(ctx->paths, ctx->run_plugin, dir, 1))
    luaL_error(L, "%s: a plugin writes only in its own output folder; use ctx.out", full);
  const char *parent = lua_pushlstring(L, full, (size_t)(strrchr(full, '/') - full));
  if (thema_fs_mkdirs(parent) != 0)
    luaL_error(L, "%s: cannot create folder: %s", parent, strerror(errno));
  lua_pop(L, 1);
  return full;
}

/* out.path(name) -> path, with its folders created */
static int out_pathname(lua_State *L) {
  out_path(L, 1);
  return 1;
}

static int write_file(lua_State *L, const char *path, const char *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return luaL_error(L, "%s: cannot write: %s", path, strerror(errno));
  size_t w = fwrite(data, 1, n, f);
  if (fclose(f) != 0 || w != n) return luaL_error(L, "%s: write failed", path);
  return 0;
}

/* out.write(name, text) -> path */
static int out_write(lua_State *L) {
  size_t n;
  const char *data = luaL_checklstring(L, 2, &n);
  const char *path = out_path(L, 1);
  write_file(L, path, data, n);
  return 1;
}

/* out.json(name, value) -> path; the file ends with a newline. */
static int out_json(lua_State *L) {
  luaL_checkany(L, 2);
  const char *path = out_path(L, 1);
  ThemaBuf b = {0};
  ThemaError err = {0};
  if (thema_json_encode(L, 2, &b, &err)) {
    thema_buf_free(&b);
    thema_lua_raise_if(L, &err);
  }
  thema_buf_putc(&b, '\n');
  FILE *f = fopen(path, "wb");
  int ok = f && fwrite(b.data, 1, b.len, f) == b.len;
  if (f && fclose(f) != 0) ok = 0;
  thema_buf_free(&b);
  if (!ok) return luaL_error(L, "%s: cannot write", path);
  return 1;
}

/* ---- CSV writers ---- */

/* A CSV writer: rows are buffered and flushed on close, so a failed run
 * leaves no half-written file behind only if it never closes it. */
typedef struct CsvWriter {
  FILE *f;    /* NULL once closed */
  int ncols;  /* header width */
  long rows;  /* rows written */
  char *path; /* owned; NULL once closed */
} CsvWriter;

static CsvWriter *check_writer(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  if (!w->f) luaL_error(L, "attempt to use a closed CSV writer");
  return w;
}

/* w:row(values) — an array in header order, or a table keyed by header names. */
static int writer_row(lua_State *L) {
  CsvWriter *w = check_writer(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getiuservalue(L, 1, 1); /* 3: the header */
  int keyed = lua_rawlen(L, 2) == 0;
  /* First every cell as a string (or nil) on the stack: a value's
   * __tostring, or a row's __index, may raise, and nothing is allocated in C
   * until they have all run. */
  luaL_checkstack(L, w->ncols + 1, "too many columns");
  for (int c = 1; c <= w->ncols; c++) {
    if (keyed) {
      lua_rawgeti(L, 3, c);
      lua_gettable(L, 2);
    } else {
      lua_rawgeti(L, 2, c);
    }
    if (lua_type(L, -1) == LUA_TBOOLEAN) {
      lua_pushstring(L, lua_toboolean(L, -1) ? "true" : "false");
      lua_remove(L, -2);
    } else if (!lua_isnil(L, -1)) {
      luaL_tolstring(L, -1, NULL);
      lua_remove(L, -2);
    }
  }
  ThemaBuf b = {0};
  for (int c = 1; c <= w->ncols; c++) {
    if (c > 1) thema_buf_putc(&b, ',');
    size_t n;
    const char *s = lua_tolstring(L, 3 + c, &n);
    if (s) thema_csv_quote(&b, s, n, ',');
  }
  thema_buf_putc(&b, '\n');
  fwrite(b.data, 1, b.len, w->f);
  thema_buf_free(&b);
  w->rows++;
  return 0;
}

static int writer_close(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  if (w->f) {
    int rc = fclose(w->f);
    w->f = NULL;
    if (rc != 0) return luaL_error(L, "%s: write failed", w->path);
  }
  free(w->path);
  w->path = NULL;
  return 0;
}

/* __gc and __close: idempotent, and silent (a collector cannot report). */
static int writer_gc(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  if (w->f) fclose(w->f);
  w->f = NULL;
  free(w->path);
  w->path = NULL;
  return 0;
}

static int writer_tostring(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  lua_pushfstring(L, CSV_WRITER " (%s, %I rows%s)", w->path ? w->path : "?",
                  (lua_Integer)w->rows, w->f ? "" : ", closed");
  return 1;
}

/* out.csv(name, header) -> writer */
static int out_csv(lua_State *L) {
  luaL_checktype(L, 2, LUA_TTABLE);
  int ncols = (int)lua_rawlen(L, 2);
  luaL_argcheck(L, ncols > 0, 2, "a non-empty array of column names expected");
  lua_settop(L, 2);
  const char *path = out_path(L, 1); /* 3 */
  /* The header is checked before the file is created: a bad one leaves
   * nothing behind. */
  for (int c = 1; c <= ncols; c++) {
    lua_rawgeti(L, 2, c);
    if (!lua_isstring(L, -1)) return luaL_argerror(L, 2, "column names must be strings");
    lua_pop(L, 1);
  }
  CsvWriter *w = lua_newuserdatauv(L, sizeof *w, 1); /* 4 */
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, CSV_WRITER);
  lua_createtable(L, ncols, 0); /* the header, kept as the writer's user value */
  ThemaBuf b = {0};
  for (int c = 1; c <= ncols; c++) {
    lua_rawgeti(L, 2, c);
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (c > 1) thema_buf_putc(&b, ',');
    thema_csv_quote(&b, s, n, ',');
    lua_rawseti(L, -2, c);
  }
  thema_buf_putc(&b, '\n');
  lua_setiuservalue(L, 4, 1);
  w->f = fopen(path, "wb");
  if (!w->f) {
    thema_buf_free(&b);
    return luaL_error(L, "%s: cannot write: %s", path, strerror(errno));
  }
  w->path = thema_xstrdup(path);
  w->ncols = ncols;
  fwrite(b.data, 1, b.len, w->f);
  thema_buf_free(&b);
  return 1;
}

/* ---- log and progress ---- */

/* thema.log(fmt, ...) — a line on stderr, prefixed with the running plugin. */
static int api_log(lua_State *L) {
  const ThemaLuaCtx *ctx = thema_ctx_get(L);
  int n = lua_gettop(L);
  lua_getglobal(L, "string"); /* the real string library, not a plugin's view */
  lua_getfield(L, -1, "format");
  lua_remove(L, -2);
  lua_insert(L, 1);
  lua_call(L, n, 1);
  if (!ctx->quiet)
    fprintf(stderr, "[%s] %s\n", ctx->run_plugin ? ctx->run_plugin : "script",
            lua_tostring(L, -1));
  return 0;
}

/* thema.progress(done, total [, label]) — on a terminal only. */
static int api_progress(lua_State *L) {
  const ThemaLuaCtx *ctx = thema_ctx_get(L);
  lua_Integer done = luaL_checkinteger(L, 1);
  lua_Integer total = luaL_checkinteger(L, 2);
  const char *label = luaL_optstring(L, 3, "");
  if (ctx->quiet || !isatty(STDERR_FILENO)) return 0;
  fprintf(stderr, "\r\033[K[%s] %s %lld/%lld", ctx->run_plugin ? ctx->run_plugin : "script",
          label, (long long)done, (long long)total);
  if (done >= total) fputc('\n', stderr);
  fflush(stderr);
  return 0;
}

/* ---- registration ---- */

static const luaL_Reg writer_methods[] = {
    {"row", writer_row}, {"close", writer_close}, {NULL, NULL}};

static const luaL_Reg writer_meta[] = {{"__gc", writer_gc},
                                       {"__close", writer_gc},
                                       {"__tostring", writer_tostring},
                                       {"__index", NULL}, /* placeholder for the methods */
                                       {NULL, NULL}};

/* The writers of an out table; upvalue 1 of each is the folder. */
static const luaL_Reg out_funcs[] = {{"csv", out_csv},
                                     {"json", out_json},
                                     {"write", out_write},
                                     {"path", out_pathname},
                                     {NULL, NULL}};

static const luaL_Reg output_funcs[] = {
    {"json", api_json}, {"log", api_log}, {"progress", api_progress}, {NULL, NULL}};

void thema_bind_push_output(lua_State *L, const char *dir) {
  if (luaL_newmetatable(L, CSV_WRITER)) {
    luaL_setfuncs(L, writer_meta, 0);
    luaL_newlib(L, writer_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, 5);
  lua_pushstring(L, dir);
  luaL_setfuncs(L, out_funcs, 1);
  lua_pushstring(L, dir);
  lua_setfield(L, -2, "dir");
}

void thema_bind_output(lua_State *L, const char *output_dir) {
  thema_bind_push_output(L, output_dir);
  lua_setfield(L, -2, "out");
  luaL_setfuncs(L, output_funcs, 0);
}
