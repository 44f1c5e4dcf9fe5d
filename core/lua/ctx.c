/*
 * ctx.c — the run context in the Lua registry, under a private key, and the
 * message handler of every protected call of plugin and script code.
 */
#include "lua/ctx.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

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

int thema_ctx_handle_error(lua_State *L) {
  /* Read the context without thema_ctx_get: a message handler must not
   * raise, and a state without a context still gets a plain message. */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key);
  const ThemaLuaCtx *ctx = lua_touserdata(L, -1);
  lua_pop(L, 1);
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  if (ctx && ctx->verbose)
    luaL_traceback(L, L, msg, 1);
  else
    lua_pushstring(L, msg);
  return 1;
}

void thema_ctx_note_limits(lua_State *L, ThemaError *err) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key);
  const ThemaLuaCtx *ctx = lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (!ctx || !ctx->mem || !ctx->mem->exceeded || !strstr(err->msg, "not enough memory"))
    return;
  size_t n = strlen(err->msg);
  snprintf(err->msg + n, sizeof err->msg - n,
           " (the Lua memory limit of %zu MB was reached; --memory-limit MB changes it)",
           ctx->mem->limit >> 20);
}
