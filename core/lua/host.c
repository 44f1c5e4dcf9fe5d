/*
 * host.c — the Lua state behind plugins and scripts: the sandbox (built from
 * an allow-list), require() over plugins/lib, confined file access, protected
 * calls with tracebacks, and running a researcher's script.
 *
 * The sandbox exists because plugins are shared between researchers: a
 * plugin from a colleague must not be able to run programs, load native
 * code, or write outside its output folder. --unsafe lifts it.
 */
#include "lua/host.h"
#include "base/fs.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lua/bind.h"

static const char host_key = 'h';         /* registry: the ThemaHost */
static const char sandbox_key = 's';      /* registry: the sandbox globals */
static const char loaded_key = 'l';       /* registry: modules loaded by require */
static const char io_open_key = 'o';      /* registry: the real io.open */
static const char real_require_key = 'r'; /* registry: Lua's require (--unsafe) */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
}

/* Checked every 100000 instructions: Ctrl-C stops a runaway plugin cleanly
 * (its transaction is rolled back) instead of killing the process. */
static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (interrupted) {
    interrupted = 0;
    luaL_error(L, "interrupted");
  }
}

ThemaHost *thema_host_from(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key);
  ThemaHost *h = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return h;
}

int thema_host_path_allowed(ThemaHost *h, const char *path, int write) {
  return thema_paths_allowed(&h->paths, h->ctx.run_plugin, path, write);
}

/* io.open(path [, mode]) within the sandbox: reading under the project and
 * output folders, writing under the output folder only. */
static int sandbox_io_open(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  int write = strpbrk(mode, "wa+") != NULL;
  if (!thema_host_path_allowed(h, path, write)) {
    luaL_pushfail(L);
    lua_pushfstring(L,
                    "%s: %s outside the %s is not allowed in the sandbox (run "
                    "with --unsafe to allow it)",
                    path, write ? "writing" : "reading",
                    write ? "output folder" : "project and output folders");
    lua_pushinteger(L, EACCES);
    return 3;
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &io_open_key);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L) - 2;
}

/* io.lines(path, ...) within the sandbox (reading only). */
static int sandbox_io_lines(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  if (lua_isnoneornil(L, 1))
    return luaL_error(L, "io.lines without a file name is not available");
  const char *path = luaL_checkstring(L, 1);
  if (!thema_host_path_allowed(h, path, 0))
    return luaL_error(L,
                      "%s: reading outside the project and output folders is not "
                      "allowed in the sandbox",
                      path);
  lua_getglobal(L, "io"); /* the real io table, kept in the full globals */
  lua_getfield(L, -1, "lines");
  lua_remove(L, -2);
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void thema_host_push_env(lua_State *L);

/* load(chunk [, name [, mode [, env]]]) — text chunks only: a binary chunk
 * can break the VM's invariants. The default environment is the sandbox. */
static int sandbox_load(lua_State *L) {
  int top = lua_gettop(L);
  lua_getglobal(L, "load");
  lua_pushvalue(L, 1);
  if (top >= 2)
    lua_pushvalue(L, 2);
  else
    lua_pushnil(L);
  lua_pushliteral(L, "t");
  if (top >= 4)
    lua_pushvalue(L, 4);
  else
    thema_host_push_env(L); /* its own globals: chunks cannot leak names */
  lua_call(L, 4, LUA_MULTRET);
  return lua_gettop(L) - top;
}

/* Load a Lua source file as text; pushes the function or returns an error
 * message. With own_env the chunk gets globals of its own (reading through
 * to the sandbox), so a module cannot leak names into other chunks. */
static int load_text_file(lua_State *L, const char *path, int own_env) {
  int rc = luaL_loadfilex(L, path, "t");
  if (rc != LUA_OK) return rc;
  if (own_env) {
    thema_host_push_env(L);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return LUA_OK;
}

static int sandbox_dofile(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  const char *path = luaL_checkstring(L, 1);
  if (!thema_host_path_allowed(h, path, 0))
    return luaL_error(L, "%s: outside the project folder", path);
  if (load_text_file(L, path, !h->opts.unsafe) != LUA_OK) return lua_error(L);
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

/* loadfile(path [, mode [, env]]) — text only, inside the project. */
static int sandbox_loadfile(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "t");
  if (!thema_host_path_allowed(h, path, 0) || strchr(mode, 'b')) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path,
                    strchr(mode, 'b') ? "binary chunks are not allowed"
                                      : "outside the project folder");
    return 2;
  }
  if (load_text_file(L, path, !h->opts.unsafe) != LUA_OK) {
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2;
  }
  if (!lua_isnone(L, 3)) {
    lua_pushvalue(L, 3);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return 1;
}

/* require(name): "thema" is the API; other names are Lua files in the lib/
 * folder of a plugin folder ("a.b" -> lib/a/b.lua), loaded once, as text,
 * into the sandbox. No C modules: they would escape the sandbox. */
static int sandbox_require(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  const char *name = luaL_checkstring(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
  if (lua_getfield(L, -1, name) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  char rel[PATH_MAX];
  snprintf(rel, sizeof rel, "%s", name);
  for (char *p = rel; *p; p++) {
    if (*p == '.')
      *p = '/';
    else if (*p == '/' || *p == '\\')
      return luaL_error(L, "module '%s': bad name", name);
  }
  ThemaBuf tried = {0};
  /* plugins' lib/ folders first, then the running script's folder */
  int ndirs = h->nplugin_dirs + (h->script_dir ? 2 : 0);
  for (int i = 0; i < ndirs; i++) {
    char path[PATH_MAX + 64];
    if (i < h->nplugin_dirs)
      snprintf(path, sizeof path, "%s/lib/%s.lua", h->plugin_dirs[i], rel);
    else
      snprintf(path, sizeof path, "%s/%s%s.lua", h->script_dir,
               i == h->nplugin_dirs ? "" : "lib/", rel);
    if (access(path, R_OK) != 0) {
      thema_buf_printf(&tried, "\n\tno file '%s'", path);
      continue;
    }
    thema_buf_free(&tried);
    if (load_text_file(L, path, !h->opts.unsafe) != LUA_OK) return lua_error(L);
    lua_pushstring(L, name);
    lua_pushstring(L, path);
    lua_call(L, 2, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    return 1;
  }
  if (h->opts.unsafe) { /* then Lua's own require: package.path, C modules */
    thema_buf_free(&tried);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &real_require_key);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
  }
  lua_pushfstring(L, "module '%s' not found:%s", name, thema_buf_str(&tried));
  thema_buf_free(&tried);
  return lua_error(L);
}

/* print() in plugins and scripts: results belong on stdout for scripts, so
 * print writes there; plugins should use ctx.log. */

/* Names copied from the full globals into the sandbox; the comment says why
 * each group is safe. */
static const char *const safe_globals[] = {
    /* pure functions over values */
    "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "print", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "getmetatable", "tonumber",
    "tostring", "type", "_VERSION",
    /* libraries without access to the system */
    "coroutine", "math", "table", "utf8", NULL};

/* Fields of os that only read the clock or the environment. */
static const char *const safe_os[] = {"clock", "date", "difftime", "time", "getenv", NULL};

static void copy_fields(lua_State *L, int from, int to, const char *const *names) {
  for (int i = 0; names[i]; i++) {
    lua_getfield(L, from, names[i]);
    lua_setfield(L, to, names[i]);
  }
}

static int readonly_newindex(lua_State *L) {
  return luaL_error(L, "attempt to change a library table in the sandbox (field '%s')",
                    luaL_tolstring(L, 2, NULL));
}

/* Replace the table at the top of the stack by an empty proxy that reads
 * through to it and refuses writes. */
static void readonly_view(lua_State *L) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, readonly_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

/* Build the sandbox globals table and keep it in the registry. */
static void build_sandbox(lua_State *L) {
  lua_newtable(L);
  int sb = lua_gettop(L);
  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  copy_fields(L, g, sb, safe_globals);
  /* string without string.dump: dumped bytecode is only useful to load()
   * binary chunks, which the sandbox refuses anyway. */
  lua_newtable(L);
  lua_getfield(L, g, "string");
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (strcmp(lua_tostring(L, -2), "dump") != 0) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_settable(L, -5);
    } else {
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  lua_setfield(L, sb, "string");
  /* os: clock and environment only; no execute, exit, remove, rename, tmpname. */
  lua_newtable(L);
  lua_getfield(L, g, "os");
  copy_fields(L, lua_gettop(L), lua_gettop(L) - 1, safe_os);
  lua_pop(L, 1);
  lua_setfield(L, sb, "os");
  /* io: confined open and lines, the standard streams; no popen or tmpfile. */
  lua_newtable(L);
  lua_getfield(L, g, "io");
  int io = lua_gettop(L);
  static const char *const io_fields[] = {"write", "read", "stdout", "stderr",
                                          "stdin", "type", NULL};
  copy_fields(L, io, io - 1, io_fields);
  lua_getfield(L, io, "open");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &io_open_key);
  lua_pop(L, 1);
  lua_pushcfunction(L, sandbox_io_open);
  lua_setfield(L, -2, "open");
  lua_pushcfunction(L, sandbox_io_lines);
  lua_setfield(L, -2, "lines");
  lua_setfield(L, sb, "io");
  /* debug: only traceback; the rest can reach the registry and upvalues. */
  lua_newtable(L);
  lua_getfield(L, g, "debug");
  lua_getfield(L, -1, "traceback");
  lua_setfield(L, -3, "traceback");
  lua_pop(L, 1);
  lua_setfield(L, sb, "debug");
  /* package: no loadlib, cpath or searchers: modules come from require() above. */
  static const luaL_Reg fns[] = {{"load", sandbox_load},
                                 {"dofile", sandbox_dofile},
                                 {"loadfile", sandbox_loadfile},
                                 {"require", sandbox_require},
                                 {NULL, NULL}};
  lua_pushvalue(L, sb);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
  lua_pushvalue(L, sb);
  lua_setfield(L, sb, "_G");
  /* Library tables are shared by every plugin of a run: hand out read-only
   * views so one plugin cannot change string.format for the next. */
  static const char *const libs[] = {"string", "table", "math",  "utf8", "coroutine",
                                     "os",     "io",    "debug", NULL};
  for (int i = 0; libs[i]; i++) {
    lua_getfield(L, sb, libs[i]);
    readonly_view(L);
    lua_setfield(L, sb, libs[i]);
  }
  /* Strings' methods come from the sandbox's string table, not the host's. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_getfield(L, sb, "string");
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);
  lua_pop(L, 1); /* the full globals */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &sandbox_key);
}

/* The `thema` table: the API shared by scripts and plugins. */
static void build_api(ThemaHost *h) {
  lua_State *L = h->L;
  lua_newtable(L);
  lua_pushliteral(L, THEMA_VERSION);
  lua_setfield(L, -2, "version");
  thema_bind_store(L);
  thema_bind_rx(L);
  thema_bind_text(L);
  thema_bind_matcher(L);
  thema_bind_stats(L);
  thema_bind_ingest(L);
  thema_bind_output(L, h->opts.out_root);
  lua_pushcfunction(L, thema_host_lua_run);
  lua_setfield(L, -2, "run");
  /* require("thema") and the global `thema` are the same table. */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "thema");
  lua_pop(L, 1);
  if (!h->opts.unsafe) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "thema");
    lua_pop(L, 1);
  } else {
    /* Unsafe: plugins/lib and "thema" still resolve first, then Lua's own. */
    lua_getglobal(L, "require");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &real_require_key);
    lua_pushcfunction(L, sandbox_require);
    lua_setglobal(L, "require");
  }
  lua_setglobal(L, "thema");
}

ThemaHost *thema_host_new(ThemaStore *st, const ThemaHostOptions *opts, ThemaError *err) {
  ThemaHost *h = calloc(1, sizeof *h);
  if (!h) abort();
  h->st = st;
  h->opts = *opts;
  if (!h->opts.out_root) h->opts.out_root = "out";
  if (thema_fs_mkdirs(h->opts.out_root) != 0) {
    thema_error_set(err, THEMA_EINPUT, "%s: cannot create the output folder: %s",
                    h->opts.out_root, strerror(errno));
    thema_host_free(h);
    return NULL;
  }
  /* Plugin folders: THEMA_PLUGIN_PATH first, so a researcher can override a
   * shipped plugin, then the project's own plugins/. */
  if (opts->plugin_path && *opts->plugin_path) {
    const char *p = opts->plugin_path;
    while (*p) {
      const char *colon = strchr(p, ':');
      size_t n = colon ? (size_t)(colon - p) : strlen(p);
      if (n) {
        h->plugin_dirs =
            thema_xrealloc(h->plugin_dirs, (size_t)(h->nplugin_dirs + 1) * sizeof(char *));
        h->plugin_dirs[h->nplugin_dirs++] = thema_xstrndup(p, n);
      }
      p += n + (colon != NULL);
    }
  }
  thema_paths_init(&h->paths, h->opts.out_root, opts->unsafe);
  h->ctx = (ThemaLuaCtx){.st = st, .quiet = opts->quiet, .paths = &h->paths};
  char builtin[PATH_MAX];
  snprintf(builtin, sizeof builtin, "%s/plugins", opts->root ? opts->root : ".");
  h->plugin_dirs =
      thema_xrealloc(h->plugin_dirs, (size_t)(h->nplugin_dirs + 1) * sizeof(char *));
  h->plugin_dirs[h->nplugin_dirs++] = thema_xstrdup(builtin);
  thema_paths_add_read_root(&h->paths, ".");
  thema_paths_add_read_root(&h->paths, opts->root);
  for (int i = 0; i < h->nplugin_dirs; i++)
    thema_paths_add_read_root(&h->paths, h->plugin_dirs[i]);

  h->L = luaL_newstate();
  if (!h->L) abort();
  lua_State *L = h->L;
  luaL_openlibs(L);
  lua_pushlightuserdata(L, h);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key);
  thema_ctx_set(L, &h->ctx);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
  /* Same seed every run: results a researcher reads must be reproducible. */
  (void)luaL_dostring(L, "math.randomseed(0)");
  if (!opts->unsafe) build_sandbox(L);
  build_api(h);
  signal(SIGINT, on_sigint);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 100000);
  return h;
}

void thema_host_free(ThemaHost *h) {
  if (!h) return;
  if (h->L) lua_close(h->L);
  for (int i = 0; i < h->nplugin_dirs; i++) free(h->plugin_dirs[i]);
  free(h->plugin_dirs);
  thema_paths_free(&h->paths);
  for (int i = 0; i < h->nfailed; i++) {
    ThemaFailedRun *f = &h->failed[i];
    free(f->plugin);
    free(f->version);
    free(f->params);
    free(f->started);
    free(f->message);
  }
  free(h->failed);
  free(h->script_dir);
  signal(SIGINT, SIG_DFL);
  free(h);
}

/* Message handler: the error as a string plus, with --verbose, a traceback. */
int thema_host_msgh(lua_State *L);
int thema_host_msgh(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  if (h && h->opts.verbose)
    luaL_traceback(L, L, msg, 1);
  else
    lua_pushstring(L, msg);
  return 1;
}

/* Push a new environment for a chunk: its own globals, falling back to the
 * sandbox (or the real globals with --unsafe) for reads. */
void thema_host_push_env(lua_State *L);
void thema_host_push_env(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G"); /* _G.x = 1 stays in this chunk's globals too */
  lua_newtable(L);
  if (h->opts.unsafe)
    lua_pushglobaltable(L);
  else
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

int thema_host_script(ThemaHost *h, const char *file, int argc, char **argv,
                      ThemaError *err) {
  lua_State *L = h->L;
  int base = lua_gettop(L);
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", file);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  thema_paths_add_read_root(&h->paths, dir);
  free(h->script_dir);
  h->script_dir = thema_xstrdup(dir);
  lua_pushcfunction(L, thema_host_msgh);
  if (luaL_loadfilex(L, file, "t") != LUA_OK) {
    thema_error_set(err, THEMA_EINPUT, "%s", lua_tostring(L, -1));
    goto done;
  }
  thema_host_push_env(L);
  /* arg: the script's arguments, as the lua command gives them. */
  lua_newtable(L);
  lua_pushstring(L, file);
  lua_rawseti(L, -2, 0);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "arg");
  lua_setupvalue(L, -2, 1);
  for (int i = 0; i < argc; i++) lua_pushstring(L, argv[i]);
  if (lua_pcall(L, argc, 0, base + 1) != LUA_OK)
    thema_error_set(err, THEMA_ERUNTIME, "%s", lua_tostring(L, -1));
done:
  lua_settop(L, base);
  return err->status;
}
