/*
 * sandbox.h — what plugin and script code may reach without --unsafe: the
 * globals are built from an allow-list, io, load, loadfile, dofile and
 * require are confined (paths through the run context's policy, lua/ctx.h
 * and lua/paths.h; text chunks only; Lua files only), and the library
 * tables are read-only views of copies. Every chunk gets globals of its own
 * that read through to the sandbox, so no chunk can leak names into another,
 * and every plugin run gets a sandbox of its own (thema_sandbox_enter), so no
 * plugin can change what another runs: the metatables shared by the whole
 * state (strings, files, thema's userdata) are handed out only as copies.
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
 * every chunk and what require(name) returns (the thema API). The value
 * itself is kept out of reach: every sandbox gets a deep copy of it (tables
 * copied, functions shared), so what one plugin changes in its `thema`
 * never reaches another. */
void thema_sandbox_provide(lua_State *L, const char *name);

/* Set the current sandbox aside and build a fresh one: new copies of the
 * library tables and of what was provided, an empty require cache. A plugin
 * run (lua/run.c) runs in one, so that nothing a plugin changes in its
 * globals, its libraries, its modules or its thema table reaches the next
 * plugin or the script. thema_sandbox_leave restores the one set aside.
 * Both do nothing under --unsafe. */
void thema_sandbox_enter(lua_State *L);
void thema_sandbox_leave(lua_State *L);

/* Push the current sandbox's copy of what was provided as name. */
void thema_sandbox_push_api(lua_State *L, const char *name);

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
