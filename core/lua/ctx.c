/*
 * ctx.c — the run context in the Lua registry, under a private key.
 */
#include "lua/ctx.h"

#include <lauxlib.h>

static const char ctx_key = 'c'; /* registry: the ThemaLuaCtx (light userdata) */

void thema_ctx_set(lua_State *L, ThemaLuaCtx *ctx) {
  lua_pushlightuserdata(L, ctx);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ctx_key);
}

ThemaLuaCtx *thema_ctx_get(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key);
  ThemaLuaCtx *ctx = lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (!ctx) luaL_error(L, "internal: the thema API is used outside a thema host");
  return ctx;
}
