/*
 * args.c — argument checks shared by the bindings (see args.h).
 */
#include "lua/args.h"

#include <lauxlib.h>
#include <string.h>

#include "base/utf8.h"

void thema_lua_check_fields(lua_State *L, int t, const char *const *allowed) {
  t = lua_absindex(L, t);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    int ok = 0;
    for (int i = 0; k && allowed[i]; i++) ok |= strcmp(allowed[i], k) == 0;
    if (!ok) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      for (int i = 0; allowed[i]; i++) {
        if (i) luaL_addstring(&b, ", ");
        luaL_addstring(&b, allowed[i]);
      }
      luaL_pushresult(&b);
      luaL_argerror(L, t,
                    lua_pushfstring(L, "unknown field '%s'; accepted: %s",
                                    k ? k : luaL_typename(L, -3), lua_tostring(L, -1)));
    }
    lua_pop(L, 1);
  }
}

const char *thema_lua_opt_field(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  const char *s = NULL;
  if (!lua_isnil(L, -1)) {
    if (!lua_isstring(L, -1))
      luaL_argerror(L, t,
                    lua_pushfstring(L, "field '%s' must be a string, got %s", k,
                                    luaL_typename(L, -1)));
    s = lua_tostring(L, -1);
  }
  lua_pop(L, 1); /* the string stays alive: the table refers to it */
  return s;
}

lua_Integer thema_lua_field_integer(lua_State *L, int arg, const char *field) {
  int isnum;
  lua_Integer v = lua_tointegerx(L, -1, &isnum);
  if (!isnum)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "field '%s': integer expected, got %s", field,
                                  luaL_typename(L, -1)));
  return v;
}

lua_Number thema_lua_field_number(lua_State *L, int arg, const char *field) {
  int isnum;
  lua_Number v = lua_tonumberx(L, -1, &isnum);
  if (!isnum)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "field '%s': number expected, got %s", field,
                                  luaL_typename(L, -1)));
  return v;
}

void thema_lua_raise_if(lua_State *L, const ThemaError *err) {
  if (err->status) luaL_error(L, "%s", err->msg);
}

void thema_lua_check_utf8(lua_State *L, int arg, const char *s, size_t n) {
  size_t valid = thema_utf8_valid_prefix(s, n);
  if (valid < n)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "invalid UTF-8 at byte %I", (lua_Integer)valid));
}
