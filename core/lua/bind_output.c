/*
 * bind_output.c — what plugins and scripts write: thema.out (csv, json,
 * write, path, dir) confined to an output folder, thema.json (the encoder of
 * lua/json.c), and the logger and progress reporter on stderr.
 *
 * Writers never take a path outside their folder: names are relative, with
 * no "..", subfolders are created as needed, and the resolved path (after
 * every link) must lie in the writable area of the run (lua/paths.h). Every
 * file is written through base/outfile.h: checked writes, a temporary name,
 * a rename into place once whole.
 */
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"
#include "export/table.h"
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

/* Writers still open, each with the run that opened it (registry table:
 * writer userdata -> run id, 0 for a script's). Holding them here keeps a
 * writer a plugin dropped without closing from being collected half-way;
 * the run (or the script) finishes them with thema_bind_output_finish. */
static const char open_writers_key = 'w';

/* Whether plugin code may write at path under the run context's policy. */
static int may_write(lua_State *L, const char *path) {
  const ThemaLuaCtx *ctx = thema_ctx_get(L);
  return thema_paths_allowed(ctx->paths, ctx->run_plugin, path, 1);
}

/* Create the folders of full below dir (full = dir + "/" + a relative name),
 * one at a time: each folder on the way must resolve inside the writable
 * area, so a symbolic link planted in the output folder cannot lead the
 * writer, or the folders it creates, outside it. */
static void make_folders(lua_State *L, const char *dir, const char *full) {
  const char *last = strrchr(full, '/');
  for (const char *p = full + strlen(dir) + 1; p <= last; p++) {
    if (*p != '/') continue;
    const char *folder = lua_pushlstring(L, full, (size_t)(p - full));
    struct stat sb;
    if (lstat(folder, &sb) != 0 && mkdir(folder, 0777) != 0 && errno != EEXIST)
      luaL_error(L, "%s: cannot create folder: %s", folder, strerror(errno));
    if (!may_write(L, folder))
      luaL_error(L, "%s: leads outside the output folder (a link?); not written", folder);
    lua_pop(L, 1);
  }
}

/* The full path for name in the writer's folder (upvalue 1), pushed; raises
 * on a name that would leave it, or whose resolved path (after every link)
 * lies outside the writable area. Creates the folders on the way. */
static const char *out_path(lua_State *L, int arg) {
  const char *dir = lua_tostring(L, lua_upvalueindex(1));
  const char *name = luaL_checkstring(L, arg);
  if (!*name || name[0] == '/' || strstr(name, "..") || strchr(name, '\\') ||
      name[strlen(name) - 1] == '/')
    luaL_argerror(L, arg, "a relative file name inside the output folder expected");
  const char *full = lua_pushfstring(L, "%s/%s", dir, name);
  if (!may_write(L, dir))
    luaL_error(L, "%s: a plugin writes only in its own output folder; use ctx.out", full);
  make_folders(L, dir, full);
  if (!may_write(L, full))
    luaL_error(L, "%s: leads outside the output folder (a link?); not written", full);
  return full;
}

/* out.path(name) -> path, with its folders created */
static int out_pathname(lua_State *L) {
  out_path(L, 1);
  return 1;
}

/* Write data to path as one checked, atomic file (base/outfile.h); raises
 * with the path and the reason. */
static void write_file(lua_State *L, const char *path, const char *data, size_t n) {
  ThemaOutfile o;
  ThemaError err = {0};
  if (!thema_outfile_open(&o, path, &err)) {
    thema_outfile_write(&o, data, n);
    thema_outfile_commit(&o, &err);
  }
  thema_outfile_abort(&o);
  thema_lua_raise_if(L, &err);
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
  /* the text is copied into Lua first: write_file may raise */
  lua_pushlstring(L, b.data, b.len);
  thema_buf_free(&b);
  size_t n;
  const char *data = lua_tolstring(L, -1, &n);
  write_file(L, path, data, n);
  lua_pop(L, 1);
  return 1;
}

/* ---- CSV writers ---- */

/* A CSV writer: rows go to a temporary file that becomes the named file on
 * close, so a reader never sees half a table and a failed run leaves none. */
typedef struct CsvWriter {
  ThemaOutfile out;       /* checked, atomic output; closed once committed or aborted */
  int ncols;              /* header width */
  long rows;              /* rows written */
  ThemaTableFormat table; /* CSV, or CSV for a spreadsheet (--excel) */
  ThemaTable *book;       /* with --xlsx: the same table as NAME.xlsx beside it */
} CsvWriter;

/* Publish (or throw away) the writer's files: the CSV, and its workbook. */
static int writer_finish(CsvWriter *w, int publish, ThemaError *err) {
  ThemaTable *book = w->book;
  w->book = NULL;
  if (publish && !err->status) {
    thema_outfile_commit(&w->out, err);
    if (book && !err->status) return thema_table_close(book, err);
  } else {
    thema_outfile_abort(&w->out);
  }
  thema_table_abort(book);
  return err->status;
}

/* A plugin's rounded figure written as text ("0.0769", "-3", "1e-05"): a
 * number in a workbook. A leading zero before a digit ("007", an id) is text. */
static int looks_numeric(const char *s, size_t n) {
  size_t i = 0;
  if (i < n && s[i] == '-') i++;
  size_t digits = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  if (i == digits || (s[digits] == '0' && i - digits > 1)) return 0;
  if (i < n && s[i] == '.') {
    size_t f = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == f) return 0;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    size_t e = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == e) return 0;
  }
  return i == n;
}

/* One row of n cells (strings, NULL for an empty cell; numeric[c] when the
 * cell was a Lua number) in w's dialect. */
static void put_row(CsvWriter *w, const char *const *cells, const size_t *lens,
                    const char *numeric, int n) {
  ThemaBuf b = {0};
  ThemaError ignored = {0};
  ThemaTable *t = thema_table_new(&w->table, &b, NULL, &ignored);
  /* A spreadsheet's BOM starts the file, not every row: the table writer
   * puts one at the start of each buffer. */
  if (w->out.written) thema_buf_reset(&b);
  for (int c = 0; c < n; c++) {
    /* For a spreadsheet, a figure a plugin rounded into text is a number too. */
    if (cells[c] &&
        ((numeric && numeric[c]) || (w->table.excel && looks_numeric(cells[c], lens[c]))))
      thema_table_number_text(t, cells[c], lens[c]);
    else if (cells[c])
      thema_table_text(t, cells[c], lens[c]);
    else
      thema_table_empty(t);
  }
  thema_table_end_row(t);
  thema_table_close(t, &ignored);
  thema_outfile_write(&w->out, b.data, b.len);
  thema_buf_free(&b);
  if (w->book) { /* the workbook: numbers, and text that is one, as numeric cells */
    for (int c = 0; c < n; c++) {
      if (cells[c] && ((numeric && numeric[c]) || looks_numeric(cells[c], lens[c])))
        thema_table_number_text(w->book, cells[c], lens[c]);
      else if (cells[c])
        thema_table_text(w->book, cells[c], lens[c]);
      else
        thema_table_empty(w->book);
    }
    thema_table_end_row(w->book);
  }
}

static CsvWriter *check_writer(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  if (!thema_outfile_is_open(&w->out)) luaL_error(L, "attempt to use a closed CSV writer");
  return w;
}

/* Forget the writer at idx in the table of open writers. */
static void forget_writer(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &open_writers_key);
  if (lua_istable(L, -1)) {
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);
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
    } else if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TNUMBER) {
      luaL_tolstring(L, -1, NULL); /* numbers stay numbers, to be written as such */
      lua_remove(L, -2);
    }
  }
  const char **cp = thema_xmalloc((size_t)w->ncols * sizeof *cp);
  size_t *lp = thema_xmalloc((size_t)w->ncols * sizeof *lp);
  char *num = thema_xmalloc((size_t)w->ncols);
  for (int c = 1; c <= w->ncols; c++) {
    num[c - 1] = lua_type(L, 3 + c) == LUA_TNUMBER;
    cp[c - 1] =
        lua_tolstring(L, 3 + c, &lp[c - 1]); /* a number's text, as tostring gives it */
  }
  /* A failed write is kept and reported by close, with its reason. */
  put_row(w, cp, lp, num, w->ncols);
  free((void *)cp);
  free(lp);
  free(num);
  w->rows++;
  return 0;
}

/* w:close(), and __close: publish the file; raises "PATH: cannot write:
 * REASON" when any write, the flush or the rename failed (the file is then
 * not published). Idempotent. */
static int writer_close(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  if (!thema_outfile_is_open(&w->out)) return 0;
  forget_writer(L, 1);
  ThemaError err = {0};
  writer_finish(w, 1, &err);
  thema_lua_raise_if(L, &err);
  return 0;
}

/* __gc: a writer collected while open (the state is closing after an error)
 * is thrown away, never published half-written; a collector cannot report. */
static int writer_gc(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  ThemaError ignored = {0};
  writer_finish(w, 0, &ignored);
  return 0;
}

static int writer_tostring(lua_State *L) {
  CsvWriter *w = luaL_checkudata(L, 1, CSV_WRITER);
  int open = thema_outfile_is_open(&w->out);
  lua_pushfstring(L, CSV_WRITER " (%s, %I rows%s)", open ? w->out.path : "?",
                  (lua_Integer)w->rows, open ? "" : ", closed");
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
  for (int c = 1; c <= ncols; c++) {
    lua_rawgeti(L, 2, c);
    lua_rawseti(L, -2, c);
  }
  lua_setiuservalue(L, 4, 1);
  ThemaError err = {0};
  thema_outfile_open(&w->out, path, &err);
  thema_lua_raise_if(L, &err);
  w->ncols = ncols;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &open_writers_key);
  lua_pushvalue(L, 4);
  lua_pushinteger(L, thema_ctx_get(L)->run_id);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  thema_table_format("csv", thema_ctx_get(L)->excel, "csv", &w->table, &err);
  if (thema_ctx_get(L)->xlsx) {
    /* --xlsx: NAME.xlsx beside NAME.csv, with typed numeric cells. */
    ThemaBuf book = {0};
    size_t len = strlen(path);
    thema_buf_append(&book, path,
                     len >= 4 && strcmp(path + len - 4, ".csv") == 0 ? len - 4 : len);
    thema_buf_puts(&book, ".xlsx");
    ThemaTableFormat xf;
    thema_table_format("xlsx", 0, "csv", &xf, &err);
    w->book = thema_table_new(&xf, NULL, book.data, &err);
    thema_buf_free(&book);
    if (!w->book) {
      thema_outfile_abort(&w->out);
      thema_lua_raise_if(L, &err);
    }
  }
  for (int c = 1; c <= ncols; c++) lua_rawgeti(L, 2, c); /* 5 .. 4 + ncols */
  const char **cells = thema_xmalloc((size_t)ncols * sizeof *cells);
  size_t *lens = thema_xmalloc((size_t)ncols * sizeof *lens);
  for (int c = 0; c < ncols; c++) cells[c] = lua_tolstring(L, 5 + c, &lens[c]);
  put_row(w, cells, lens, NULL, ncols);
  free(cells);
  free(lens);
  lua_settop(L, 4);
  return 1;
}

int thema_bind_output_finish(lua_State *L, int64_t run_id, int publish, ThemaError *err) {
  int base = lua_gettop(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &open_writers_key);
  int t = lua_gettop(L);
  lua_newtable(L); /* the writers of this run, gathered before any is removed */
  int mine = lua_gettop(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_tointeger(L, -1) == run_id) {
      lua_pushvalue(L, -2);
      lua_rawseti(L, mine, ++n);
    }
    lua_pop(L, 1);
  }
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, mine, i);
    CsvWriter *w = lua_touserdata(L, -1);
    lua_pushnil(L);
    lua_rawset(L, t);
    writer_finish(w, publish, err);
  }
  lua_settop(L, base);
  return err->status;
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
                                       {"__close", writer_close},
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
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &open_writers_key) != LUA_TTABLE) {
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &open_writers_key);
  }
  lua_pop(L, 1);
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
