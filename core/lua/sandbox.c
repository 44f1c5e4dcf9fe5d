/*
 * sandbox.c — the sandbox of plugin and script code (see sandbox.h): the
 * allow-list of globals, confined io.open and io.lines, text-only load,
 * loadfile and dofile, require over the plugin folders' lib/ and the
 * script's folder, and read-only views of the shared library tables.
 *
 * Paths are checked against the run context's policy (lua/ctx.h), read at
 * each call: inside a plugin run, writes stay in the run's own folder.
 */
#include "lua/sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <string.h>
#include <unistd.h>

#include "lua/ctx.h"

static const char sandbox_key = 's';      /* registry: the sandbox globals */
static const char state_key = 'b';        /* registry: the ThemaSandbox (light userdata) */
static const char loaded_key = 'l';       /* registry: modules loaded by require */
static const char io_open_key = 'o';      /* registry: the real io.open */
static const char real_require_key = 'r'; /* registry: Lua's require (--unsafe) */
static const char provided_key = 'p';     /* registry: name -> value given to _provide */
static const char saved_key = 'v';        /* registry: instances set aside by _enter */

static const ThemaSandbox *sandbox_of(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key);
  const ThemaSandbox *sb = lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (!sb) luaL_error(L, "internal: no sandbox in this Lua state");
  return sb;
}

/* Whether the run context's policy lets plugin code open path. */
static int allowed(lua_State *L, const char *path, int write) {
  const ThemaLuaCtx *ctx = thema_ctx_get(L);
  return thema_paths_allowed(ctx->paths, ctx->run_plugin, path, write);
}

/* io.open(path [, mode]) within the sandbox: reading under the project and
 * output folders, writing under the output folder only. */
static int sandbox_io_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  int write = strpbrk(mode, "wa+") != NULL;
  if (!allowed(L, path, write)) {
    luaL_pushfail(L);
    lua_pushfstring(L,
                    "%s: %s outside the %s is not allowed in the sandbox (run "
                    "with --unsafe to allow it)",
                    path, write ? "writing" : "reading",
                    write ? "output folder" : "project and output folders");
    lua_pushinteger(L, EACCES);
    return 3;
  }
  int base = lua_gettop(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &io_open_key);
  lua_pushvalue(L, 1);
  lua_pushstring(L, mode); /* the default "r" when none was given */
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L) - base;
}

/* io.lines(path, ...) within the sandbox (reading only). */
static int sandbox_io_lines(lua_State *L) {
  if (lua_isnoneornil(L, 1))
    return luaL_error(L, "io.lines without a file name is not available");
  const char *path = luaL_checkstring(L, 1);
  if (!allowed(L, path, 0))
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
    thema_sandbox_push_env(L); /* its own globals: chunks cannot leak names */
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
    thema_sandbox_push_env(L);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return LUA_OK;
}

int thema_sandbox_load_file(lua_State *L, const char *path) {
  return load_text_file(L, path, 1);
}

static int sandbox_dofile(lua_State *L) {
  const ThemaSandbox *sb = sandbox_of(L);
  const char *path = luaL_checkstring(L, 1);
  if (!allowed(L, path, 0)) return luaL_error(L, "%s: outside the project folder", path);
  lua_settop(L, 1);
  if (load_text_file(L, path, !sb->unsafe) != LUA_OK) return lua_error(L);
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

/* loadfile(path [, mode [, env]]) — text only, inside the project. */
static int sandbox_loadfile(lua_State *L) {
  const ThemaSandbox *sb = sandbox_of(L);
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "t");
  if (!allowed(L, path, 0) || strchr(mode, 'b')) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path,
                    strchr(mode, 'b') ? "binary chunks are not allowed"
                                      : "outside the project folder");
    return 2;
  }
  if (load_text_file(L, path, !sb->unsafe) != LUA_OK) {
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
  const ThemaSandbox *sb = sandbox_of(L);
  const char *name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key); /* 2 */
  if (lua_getfield(L, 2, name) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  /* "a.b" -> "a/b"; a slash of its own could lead out of lib/ */
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (const char *p = name; *p; p++) {
    if (*p == '/' || *p == '\\') return luaL_error(L, "module '%s': bad name", name);
    luaL_addchar(&b, *p == '.' ? '/' : *p);
  }
  luaL_pushresult(&b); /* 3: the relative path */
  const char *rel = lua_tostring(L, 3);
  lua_pushliteral(L, ""); /* 4: the files tried, for the error */
  /* plugins' lib/ folders first, then the running script's folder */
  int ndirs = sb->nlib_dirs + (sb->script_dir ? 2 : 0);
  for (int i = 0; i < ndirs; i++) {
    const char *path;
    if (i < sb->nlib_dirs)
      path = lua_pushfstring(L, "%s/lib/%s.lua", sb->lib_dirs[i], rel);
    else
      path = lua_pushfstring(L, "%s/%s%s.lua", sb->script_dir,
                             i == sb->nlib_dirs ? "" : "lib/", rel);
    if (access(path, R_OK) != 0) {
      lua_pushvalue(L, 4);
      lua_pushfstring(L, "\n\tno file '%s'", path);
      lua_concat(L, 2);
      lua_replace(L, 4);
      lua_pop(L, 1);
      continue;
    }
    if (load_text_file(L, path, !sb->unsafe) != LUA_OK) return lua_error(L);
    lua_pushvalue(L, 1);
    lua_pushstring(L, path);
    lua_call(L, 2, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
  }
  if (sb->unsafe) { /* then Lua's own require: package.path, C modules */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &real_require_key);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
  }
  return luaL_error(L, "module '%s' not found:%s", name, lua_tostring(L, 4));
}

/* ---- copies, so that nothing shared can be changed ---- */

/* Push a copy of the value at idx: tables (and their metatables) copied all
 * the way down, everything else (functions, strings, userdata) as is.
 * seen, a table at an absolute index, maps each table copied to its copy, so
 * that shared and circular references stay shared within the copy. */
static void deep_copy(lua_State *L, int idx, int seen) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) {
    lua_pushvalue(L, idx);
    return;
  }
  lua_pushvalue(L, idx);
  if (lua_rawget(L, seen) != LUA_TNIL) return;
  lua_pop(L, 1);
  luaL_checkstack(L, 8, "tables nested too deeply to copy");
  lua_newtable(L);
  int copy = lua_gettop(L);
  lua_pushvalue(L, idx);
  lua_pushvalue(L, copy);
  lua_rawset(L, seen);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    deep_copy(L, -2, seen);
    deep_copy(L, -2, seen);
    lua_rawset(L, copy);
    lua_pop(L, 1);
  }
  if (lua_getmetatable(L, idx)) {
    deep_copy(L, -1, seen);
    lua_setmetatable(L, copy);
    lua_pop(L, 1);
  }
}

/* getmetatable(v) in the sandbox. A table's own metatable is the plugin's
 * business and comes back as Lua gives it. Every other value's metatable is
 * shared by the whole state (the string metatable, FILE*, thema.Regex, ...):
 * a copy comes back, so that changing it changes nothing for anyone. The
 * string metatable's copy indexes this sandbox's string table, as
 * getmetatable("").__index == string holds in plain Lua. */
static int sandbox_getmetatable(lua_State *L) {
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  if (!lua_getmetatable(L, 1)) return 0 * lua_gettop(L) + (lua_pushnil(L), 1);
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return 1;
  if (lua_istable(L, 1)) return 1;
  lua_newtable(L); /* seen */
  deep_copy(L, 2, lua_gettop(L));
  if (lua_type(L, 1) == LUA_TSTRING) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
    lua_getfield(L, -1, "string");
    lua_setfield(L, -3, "__index");
    lua_pop(L, 1);
  }
  return 1;
}

/* Names copied from the full globals into the sandbox; the comment says why
 * each group is safe. */
static const char *const safe_globals[] = {
    /* pure functions over values; print writes to stdout, where a script's
     * results belong (plugins should use ctx.log) */
    "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "print", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
    "_VERSION",
    /* libraries without access to the system */
    "coroutine", "math", "table", "utf8", NULL};

/* Fields of os that only read the clock or the environment. */
static const char *const safe_os[] = {"clock", "date", "difftime", "time", "getenv", NULL};

/* Fields of io that only use the standard streams and open files. */
static const char *const safe_io[] = {"write", "read", "stdout", "stderr",
                                      "stdin", "type", NULL};

/* Library tables shared by every chunk of a state, handed out as read-only views. */
static const char *const shared_libs[] = {"string", "table", "math",  "utf8", "coroutine",
                                          "os",     "io",    "debug", NULL};

static const luaL_Reg sandbox_funcs[] = {
    {"load", sandbox_load},       {"getmetatable", sandbox_getmetatable},
    {"dofile", sandbox_dofile},   {"loadfile", sandbox_loadfile},
    {"require", sandbox_require}, {NULL, NULL}};

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
  copy_fields(L, io, io - 1, safe_io);
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
  lua_pushvalue(L, sb);
  luaL_setfuncs(L, sandbox_funcs, 0);
  lua_pop(L, 1);
  lua_pushvalue(L, sb);
  lua_setfield(L, sb, "_G");
  /* Library tables are shared by every plugin of a run: hand out read-only
   * views so one plugin cannot change string.format for the next. */
  for (int i = 0; shared_libs[i]; i++) {
    lua_getfield(L, sb, shared_libs[i]);
    readonly_view(L);
    lua_setfield(L, sb, shared_libs[i]);
  }
  lua_pop(L, 1); /* the full globals */
  /* What the host provided (the thema API), copied: a change a plugin makes
   * to its thema table stays in its own run. */
  lua_newtable(L); /* the modules require has loaded in this sandbox */
  int loaded = lua_gettop(L);
  lua_newtable(L); /* seen, for deep_copy */
  int seen = lua_gettop(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &provided_key);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    deep_copy(L, -1, seen);
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -2);
    lua_rawset(L, sb);
    lua_pushvalue(L, -3);
    lua_insert(L, -2);
    lua_rawset(L, loaded);
    lua_pop(L, 1);
  }
  lua_pop(L, 2); /* provided, seen */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &sandbox_key);
}

/* The methods of strings: a copy of string without dump that no plugin can
 * reach (getmetatable("") gives a copy), so ("x"):upper() means the same in
 * every run, whatever a plugin did to its own string table. */
static void protect_string_methods(lua_State *L) {
  lua_newtable(L);
  lua_getglobal(L, "string");
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (strcmp(lua_tostring(L, -2), "dump") != 0) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, -5);
    } else {
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_insert(L, -3);
  lua_pop(L, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

void thema_sandbox_open(lua_State *L, const ThemaSandbox *sb) {
  lua_pushlightuserdata(L, (void *)sb);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &state_key);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &provided_key);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &saved_key);
  if (!sb->unsafe) {
    protect_string_methods(L);
    build_sandbox(L);
  } else {
    /* Unsafe: plugins/lib and "thema" still resolve first, then Lua's own. */
    lua_getglobal(L, "require");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &real_require_key);
    lua_pushcfunction(L, sandbox_require);
    lua_setglobal(L, "require");
  }
}

void thema_sandbox_provide(lua_State *L, const char *name) {
  const ThemaSandbox *sb = sandbox_of(L);
  /* The value given stays pristine, out of every plugin's reach; each
   * sandbox (the script's, every run's) holds a copy of its own. */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &provided_key);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
  if (sb->unsafe) {
    lua_pushvalue(L, -1);
  } else {
    lua_newtable(L);
    deep_copy(L, -2, lua_gettop(L));
    lua_remove(L, -2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
  lua_insert(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
  lua_setglobal(L, name);
}

void thema_sandbox_push_env(lua_State *L) {
  const ThemaSandbox *sb = sandbox_of(L);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G"); /* _G.x = 1 stays in this chunk's globals too */
  lua_newtable(L);
  if (sb->unsafe)
    lua_pushglobaltable(L);
  else
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
  lua_setfield(L, -2, "__index");
  if (!sb->unsafe) {
    /* getmetatable(_ENV) must not hand out the sandbox table itself */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
}

void thema_sandbox_enter(lua_State *L) {
  if (sandbox_of(L)->unsafe) return;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &saved_key);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
  lua_rawseti(L, -2, n + 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
  lua_rawseti(L, -2, n + 2);
  lua_pop(L, 1);
  build_sandbox(L);
}

void thema_sandbox_leave(lua_State *L) {
  if (sandbox_of(L)->unsafe) return;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &saved_key);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  if (n < 2) luaL_error(L, "internal: sandbox left more often than entered");
  lua_rawgeti(L, -1, n - 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &sandbox_key);
  lua_rawgeti(L, -1, n);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
  lua_pushnil(L);
  lua_rawseti(L, -2, n);
  lua_pushnil(L);
  lua_rawseti(L, -2, n - 1);
  lua_pop(L, 1);
}

void thema_sandbox_push_api(lua_State *L, const char *name) {
  if (sandbox_of(L)->unsafe)
    lua_getglobal(L, name);
  else {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
  }
}
