/*
 * sandbox.h — what plugin and script code may reach without --unsafe: the
 * globals are built from an allow-list, io, load, loadfile, dofile and
 * require are confined (paths through the run context's policy, lua/ctx.h
 * and lua/paths.h; text chunks only; Lua files only), and the shared library
 * tables are read-only views. Every chunk gets globals of its own that read
 * through to the sandbox, so no chunk can leak names into another.
 *
 * The sandbox exists because plugins are shared between researchers: a
 * plugin from a colleague must not be able to run programs, load native
 * code, or write outside its output folder. --unsafe lifts it.
 */
#ifndef THEMA_SANDBOX_H
#define THEMA_SANDBOX_H

#include <lua.h>

/* Where require finds modules, and whether the sandbox is lifted. The
 * sandbox borrows it: it must outlive the Lua state; script_dir may change
 * between calls (the host sets it for each script). */
typedef struct ThemaSandbox {
  char *const *lib_dirs;  /* plugin folders in search order; require reads their lib/ */
  int nlib_dirs;          /* entries of lib_dirs */
  const char *script_dir; /* the running script's folder, searched next; or NULL */
  int unsafe;             /* --unsafe: the full library; Lua's own require after ours */
} ThemaSandbox;

/* Install the sandbox in L, which has the standard libraries open: build the
 * sandbox globals (unless sb->unsafe) and the require every chunk gets. */
void thema_sandbox_open(lua_State *L, const ThemaSandbox *sb);

/* Pop the value at the top of the stack and make it the global `name` of
 * every chunk and what require(name) returns (the thema API). */
void thema_sandbox_provide(lua_State *L, const char *name);

/* Push a new environment for a chunk: its own globals (with _G naming
 * itself), reading through to the sandbox, or to the real globals under
 * --unsafe. */
void thema_sandbox_push_env(lua_State *L);

/* Load the Lua source file at path as text (never a binary chunk) with an
 * environment of its own (thema_sandbox_push_env), as its first upvalue.
 * Pushes the function and returns LUA_OK, or pushes the error message and
 * returns luaL_loadfilex's status. */
int thema_sandbox_load_file(lua_State *L, const char *path);

#endif
