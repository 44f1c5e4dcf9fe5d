/*
 * bind_output.c — what plugins and scripts write: thema.out (csv, json,
 * write, path) confined to an output folder, deterministic JSON, and the
 * logger and progress reporter on stderr.
 *
 * Writers never take a path outside their folder: names are relative, with
 * no "..", and subfolders are created as needed.
 */
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "text/csv.h"

/* ---- JSON ---- */

static void json_string(ThemaBuf *out, const char *s, size_t n) {
  thema_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': thema_buf_puts(out, "\\\""); break;
      case '\\': thema_buf_puts(out, "\\\\"); break;
      case '\n': thema_buf_puts(out, "\\n"); break;
      case '\r': thema_buf_puts(out, "\\r"); break;
      case '\t': thema_buf_puts(out, "\\t"); break;
      default:
        if (c < 0x20)
          thema_buf_printf(out, "\\u%04x", c);
        else
          thema_buf_putc(out, (char)c);
    }
  }
  thema_buf_putc(out, '"');
}

static int cmp_keys(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int json_value(lua_State *L, int idx, ThemaBuf *out, int depth, ThemaError *err) {
  idx = lua_absindex(L, idx);
  if (depth > 64)
    return thema_error_set(err, THEMA_ERUNTIME, "json: nesting deeper than 64 (a cycle?)");
  switch (lua_type(L, idx)) {
    case LUA_TNIL: thema_buf_puts(out, "null"); return THEMA_OK;
    case LUA_TBOOLEAN:
      thema_buf_puts(out, lua_toboolean(L, idx) ? "true" : "false");
      return THEMA_OK;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        thema_buf_printf(out, "%lld", (long long)lua_tointeger(L, idx));
      } else {
        double d = lua_tonumber(L, idx);
        if (!isfinite(d))
          thema_buf_puts(out, "null");
        else if (d == floor(d) && fabs(d) < 1e15)
          thema_buf_printf(out, "%.1f", d);
        else
          thema_buf_printf(out, "%.17g", d);
      }
      return THEMA_OK;
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, idx, &n);
      json_string(out, s, n);
      return THEMA_OK;
    }
    case LUA_TTABLE: break;
    default:
      return thema_error_set(err, THEMA_ERUNTIME, "json: cannot encode a %s",
                             luaL_typename(L, idx));
  }
  lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
  lua_Integer count = 0;
  int all_strings = 1;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    count++;
    all_strings &= lua_type(L, -2) == LUA_TSTRING;
    lua_pop(L, 1);
  }
  if (count == 0 && len == 0) {
    thema_buf_puts(out, "{}"); /* an empty table is written as an empty object */
    return THEMA_OK;
  }
  if (len == count) {
    thema_buf_putc(out, '[');
    for (lua_Integer i = 1; i <= len; i++) {
      if (i > 1) thema_buf_putc(out, ',');
      lua_rawgeti(L, idx, i);
      int rc = json_value(L, -1, out, depth + 1, err);
      lua_pop(L, 1);
      if (rc) return rc;
    }
    thema_buf_putc(out, ']');
    return THEMA_OK;
  }
  if (!all_strings)
    return thema_error_set(
        err, THEMA_ERUNTIME,
        "json: a table mixes array and object keys or has non-string keys");
  char **keys = thema_xmalloc((size_t)count * sizeof *keys);
  lua_Integer k = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    keys[k++] = thema_xstrdup(lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  qsort(keys, (size_t)count, sizeof *keys, cmp_keys);
  thema_buf_putc(out, '{');
  int rc = THEMA_OK;
  for (lua_Integer i = 0; i < count; i++) {
    if (!rc) {
      if (i) thema_buf_putc(out, ',');
      json_string(out, keys[i], strlen(keys[i]));
      thema_buf_putc(out, ':');
      lua_getfield(L, idx, keys[i]);
      rc = json_value(L, -1, out, depth + 1, err);
      lua_pop(L, 1);
    }
    free(keys[i]);
  }
  free(keys);
  if (!rc) thema_buf_putc(out, '}');
  return rc;
}

int thema_json_encode(lua_State *L, int idx, ThemaBuf *out, ThemaError *err) {
  thema_buf_reset(out);
  return json_value(L, idx, out, 0, err);
}

/* thema.json(value) -> string */
static int l_json(lua_State *L) {
  luaL_checkany(L, 1);
  ThemaBuf b = {0};
  ThemaError err = {0};
  if (thema_json_encode(L, 1, &b, &err)) {
    thema_buf_free(&b);
    return luaL_error(L, "%s", err.msg);
  }
  lua_pushlstring(L, thema_buf_str(&b), b.len);
  thema_buf_free(&b);
  return 1;
}

/* ---- files in the output folder ---- */

/* The full path for name in the writer's folder (upvalue 1); raises on a
 * name that would leave it. Creates the folders on the way. */
static const char *out_path(lua_State *L, int arg) {
  const char *dir = lua_tostring(L, lua_upvalueindex(1));
  const char *name = luaL_checkstring(L, arg);
  if (!*name || name[0] == '/' || strstr(name, "..") || strchr(name, '\\'))
    luaL_argerror(L, arg, "a relative file name inside the output folder expected");
  const char *full = lua_pushfstring(L, "%s/%s", dir, name);
  ThemaLuaCtx *h = thema_ctx_get(L);
  if (!thema_paths_allowed(h->paths, h->run_plugin, dir, 1))
    luaL_error(L, "%s: a plugin writes only in its own output folder; use ctx.out", full);
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s", full);
  char *slash = strrchr(parent, '/');
  if (slash) *slash = '\0';
  if (thema_fs_mkdirs(parent) != 0)
    luaL_error(L, "%s: cannot create folder: %s", parent, strerror(errno));
  return full;
}

static int out_pathfn(lua_State *L) {
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
    return luaL_error(L, "%s", err.msg);
  }
  thema_buf_putc(&b, '\n');
  FILE *f = fopen(path, "wb");
  int ok = f && fwrite(b.data, 1, b.len, f) == b.len;
  if (f && fclose(f) != 0) ok = 0;
  thema_buf_free(&b);
  if (!ok) return luaL_error(L, "%s: cannot write", path);
  return 1;
}

/* A CSV writer: rows are buffered and flushed on close, so a failed run
 * leaves no half-written file behind only if it never closes it. */
typedef struct CsvWriter {
  FILE *f;    /* NULL once closed */
  int ncols;  /* header width */
  long rows;  /* rows written */
  char *path; /* owned */
} CsvWriter;

static CsvWriter *check_writer(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, "thema.CsvWriter");
  if (!w->f) luaL_error(L, "attempt to use a closed CSV writer");
  return w;
}

static void csv_cell(lua_State *L, int idx, ThemaBuf *b) {
  if (lua_isnil(L, idx)) return;
  size_t n;
  const char *s;
  if (lua_type(L, idx) == LUA_TBOOLEAN)
    s = lua_toboolean(L, idx) ? "true" : "false", n = strlen(s);
  else
    s = luaL_tolstring(L, idx, &n), lua_pop(L, 1);
  thema_csv_quote(b, s, n, ',');
}

/* w:row(values) — an array in header order, or a table keyed by header names. */
static int writer_row(lua_State *L) {
  CsvWriter *w = check_writer(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  ThemaBuf b = {0};
  lua_getiuservalue(L, 1, 1); /* header */
  int header = lua_gettop(L);
  int keyed = lua_rawlen(L, 2) == 0;
  for (int c = 1; c <= w->ncols; c++) {
    if (c > 1) thema_buf_putc(&b, ',');
    if (keyed) {
      lua_rawgeti(L, header, c);
      lua_gettable(L, 2);
    } else {
      lua_rawgeti(L, 2, c);
    }
    csv_cell(L, -1, &b);
    lua_pop(L, 1);
  }
  thema_buf_putc(&b, '\n');
  fwrite(b.data, 1, b.len, w->f);
  thema_buf_free(&b);
  w->rows++;
  return 0;
}

static int writer_close(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, "thema.CsvWriter");
  if (w->f) {
    int rc = fclose(w->f);
    w->f = NULL;
    if (rc != 0) return luaL_error(L, "%s: write failed", w->path);
  }
  free(w->path);
  w->path = NULL;
  return 0;
}

static int writer_gc(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, "thema.CsvWriter");
  if (w->f) fclose(w->f);
  w->f = NULL;
  free(w->path);
  w->path = NULL;
  return 0;
}

static int writer_tostring(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, "thema.CsvWriter");
  lua_pushfstring(L, "thema.CsvWriter (%s, %d rows%s)", w->path ? w->path : "?",
                  (int)w->rows, w->f ? "" : ", closed");
  return 1;
}

/* out.csv(name, header) -> writer */
static int out_csv(lua_State *L) {
  luaL_checktype(L, 2, LUA_TTABLE);
  int ncols = (int)lua_rawlen(L, 2);
  luaL_argcheck(L, ncols > 0, 2, "a non-empty array of column names expected");
  CsvWriter *w = lua_newuserdatauv(L, sizeof *w, 1);
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, "thema.CsvWriter");
  int ud = lua_gettop(L);
  const char *path = out_path(L, 1);
  w->f = fopen(path, "wb");
  if (!w->f) return luaL_error(L, "%s: cannot write: %s", path, strerror(errno));
  w->path = thema_xstrdup(path);
  w->ncols = ncols;
  lua_pop(L, 1);
  lua_newtable(L);
  ThemaBuf b = {0};
  for (int c = 1; c <= ncols; c++) {
    lua_rawgeti(L, 2, c);
    if (!lua_isstring(L, -1)) {
      thema_buf_free(&b);
      return luaL_argerror(L, 2, "column names must be strings");
    }
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (c > 1) thema_buf_putc(&b, ',');
    thema_csv_quote(&b, s, n, ',');
    lua_rawseti(L, -2, c);
  }
  thema_buf_putc(&b, '\n');
  fwrite(b.data, 1, b.len, w->f);
  thema_buf_free(&b);
  lua_setiuservalue(L, ud, 1);
  lua_settop(L, ud);
  return 1;
}

void thema_push_output(lua_State *L, const char *dir) {
  if (luaL_newmetatable(L, "thema.CsvWriter")) {
    static const luaL_Reg methods[] = {
        {"row", writer_row}, {"close", writer_close}, {NULL, NULL}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, writer_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, writer_gc);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, writer_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {{"csv", out_csv},
                                 {"json", out_json},
                                 {"write", out_write},
                                 {"path", out_pathfn},
                                 {NULL, NULL}};
  lua_newtable(L);
  lua_pushstring(L, dir);
  luaL_setfuncs(L, fns, 1);
  lua_pushstring(L, dir);
  lua_setfield(L, -2, "dir");
}

/* ---- log and progress ---- */

/* thema.log(fmt, ...) — a line on stderr, prefixed with the running plugin. */
static int l_log(lua_State *L) {
  ThemaLuaCtx *h = thema_ctx_get(L);
  int n = lua_gettop(L);
  lua_getglobal(L, "string");
  lua_getfield(L, -1, "format");
  lua_remove(L, -2);
  lua_insert(L, 1);
  lua_call(L, n, 1);
  if (!h || !h->quiet)
    fprintf(stderr, "[%s] %s\n", h && h->run_plugin ? h->run_plugin : "script",
            lua_tostring(L, -1));
  return 0;
}

/* thema.progress(done, total [, label]) — on a terminal only. */
static int l_progress(lua_State *L) {
  ThemaLuaCtx *h = thema_ctx_get(L);
  lua_Integer done = luaL_checkinteger(L, 1);
  lua_Integer total = luaL_checkinteger(L, 2);
  const char *label = luaL_optstring(L, 3, "");
  if ((h && h->quiet) || !isatty(STDERR_FILENO)) return 0;
  fprintf(stderr, "\r\033[K[%s] %s %lld/%lld",
          h && h->run_plugin ? h->run_plugin : "script", label, (long long)done,
          (long long)total);
  if (done >= total) fputc('\n', stderr);
  fflush(stderr);
  return 0;
}

void thema_bind_output(lua_State *L, const char *output_dir) {
  thema_push_output(L, output_dir);
  lua_setfield(L, -2, "out");
  lua_pushcfunction(L, l_json);
  lua_setfield(L, -2, "json");
  lua_pushcfunction(L, l_log);
  lua_setfield(L, -2, "log");
  lua_pushcfunction(L, l_progress);
  lua_setfield(L, -2, "progress");
}
