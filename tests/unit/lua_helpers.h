/*
 * lua_helpers.h — shared by the unit tests of the Lua bindings (bind.h): a
 * fresh Lua state with one binding installed as the global `thema`, the Lua
 * assertion helpers the snippets use, and running a snippet.
 */
#ifndef THEMA_TEST_LUA_HELPERS_H
#define THEMA_TEST_LUA_HELPERS_H

#include <criterion/criterion.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

/* Lua helpers for the snippets: eq(got, want, what) and fails(f, substring). */
#define TH_LUA_PRELUDE                                                                     \
  "function eq(got, want, what)\n"                                                         \
  "  if got ~= want then\n"                                                                \
  "    error(('%s: got %s, want %s'):format(what or 'value', tostring(got),\n"             \
  "          tostring(want)), 2)\n"                                                        \
  "  end\n"                                                                                \
  "end\n"                                                                                  \
  "function fails(f, needle)\n"                                                            \
  "  local ok, err = pcall(f)\n"                                                           \
  "  if ok then error('expected an error containing: ' .. needle, 2) end\n"                \
  "  if not tostring(err):find(needle, 1, true) then\n"                                    \
  "    error(('error %q lacks %q'):format(tostring(err), needle), 2)\n"                    \
  "  end\n"                                                                                \
  "end\n"

/* A new state with the standard libraries, global `thema` filled by bind, and prelude run. */
static inline lua_State *th_lua_open(void (*bind)(lua_State *), const char *what,
                                     const char *prelude) {
  lua_State *L = luaL_newstate();
  cr_assert_not_null(L);
  luaL_openlibs(L);
  lua_newtable(L);
  bind(L);
  cr_assert_eq(lua_gettop(L), 1, "%s must leave the stack as it found it", what);
  lua_setglobal(L, "thema");
  cr_assert_eq(luaL_dostring(L, prelude), LUA_OK, "%s", lua_tostring(L, -1));
  return L;
}

/* Run a snippet; fail the test with the Lua error if it raises. */
static inline void th_lua_run(lua_State *L, const char *code) {
  if (luaL_dostring(L, code) != LUA_OK) {
    cr_assert_fail("lua error: %s\n--- in:\n%s", lua_tostring(L, -1), code);
  }
  lua_settop(L, 0);
}

#endif
