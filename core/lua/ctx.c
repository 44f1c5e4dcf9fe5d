/*
 * ctx.c — the run context in the Lua registry, under a private key, and the
 * message handler of every protected call of plugin and script code.
 */
#include "lua/ctx.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

static const char ctx_key = 'c';        /* registry: the ThemaLuaCtx (light userdata) */
static const char input_mt_key = 'i';   /* registry: metatable of input errors */
static const char input_seen_key = 's'; /* registry: true after one reached the handler */

/* The metatable that marks an error object as an input error. */
static void push_input_mt(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &input_mt_key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &input_mt_key);
}

int thema_ctx_input_error(lua_State *L) {
  const char *msg = luaL_checkstring(L, 1);
  lua_createtable(L, 0, 1);
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  push_input_mt(L);
  lua_setmetatable(L, -2);
  return lua_error(L);
}

int thema_ctx_take_input_error(lua_State *L) {
  int seen = lua_rawgetp(L, LUA_REGISTRYINDEX, &input_seen_key) == LUA_TBOOLEAN;
  lua_pop(L, 1);
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &input_seen_key);
  return seen;
}

/* The message of an input error at idx, marked as seen; NULL for any other
 * error object. Raises nothing. */
static const char *input_error_message(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return NULL;
  int is_input = lua_rawgetp(L, LUA_REGISTRYINDEX, &input_mt_key) == LUA_TTABLE &&
                 lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  if (!is_input) return NULL;
  lua_pushboolean(L, 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &input_seen_key);
  lua_pushliteral(L, "message");
  lua_rawget(L, idx);
  return lua_tostring(L, -1);
}

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
  const char *input = input_error_message(L, 1);
  if (input) return 1; /* the user's data, not the plugin's code: no traceback */
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
