/*
 * json.c — the deterministic JSON encoder (see json.h). It works on the Lua
 * stack without raising, so that C callers holding resources (a run in
 * progress) get an error status instead of a longjmp.
 */
#include "lua/json.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void json_string(ThemaBuf *out, const char *s, size_t n) {
  thema_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': thema_buf_puts(out, "\\\""); break;
      case '\\': thema_buf_puts(out, "\\\\"); break;
      case '\n': thema_buf_puts(out, "\\n"); break;
      case '\r': thema_buf_puts(out, "\\r"); break;
      case '\t': thema_buf_puts(out, "\\t"); break;
      default:
        if (c < 0x20)
          thema_buf_printf(out, "\\u%04x", c);
        else
          thema_buf_putc(out, (char)c);
    }
  }
  thema_buf_putc(out, '"');
}

static int json_value(lua_State *L, int idx, ThemaBuf *out, int depth, ThemaError *err) {
  idx = lua_absindex(L, idx);
  if (depth > 64)
    return thema_error_set(err, THEMA_ERUNTIME, "json: nesting deeper than 64 (a cycle?)");
  if (!lua_checkstack(L, 3)) /* a key, a value and a nested value per level */
    return thema_error_set(err, THEMA_ERUNTIME, "json: out of Lua stack space");
  switch (lua_type(L, idx)) {
    case LUA_TNIL: thema_buf_puts(out, "null"); return THEMA_OK;
    case LUA_TBOOLEAN:
      thema_buf_puts(out, lua_toboolean(L, idx) ? "true" : "false");
      return THEMA_OK;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        thema_buf_printf(out, "%lld", (long long)lua_tointeger(L, idx));
      } else {
        double d = lua_tonumber(L, idx);
        if (!isfinite(d))
          thema_buf_puts(out, "null");
        else if (d == floor(d) && fabs(d) < 1e15)
          thema_buf_printf(out, "%.1f", d);
        else
          thema_buf_printf(out, "%.17g", d);
      }
      return THEMA_OK;
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, idx, &n);
      json_string(out, s, n);
      return THEMA_OK;
    }
    case LUA_TTABLE: break;
    default:
      return thema_error_set(err, THEMA_ERUNTIME, "json: cannot encode a %s",
                             luaL_typename(L, idx));
  }
  lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
  lua_Integer count = 0;
  int all_strings = 1;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    count++;
    all_strings &= lua_type(L, -2) == LUA_TSTRING;
    lua_pop(L, 1);
  }
  if (count == 0 && len == 0) {
    thema_buf_puts(out, "{}"); /* an empty table is written as an empty object */
    return THEMA_OK;
  }
  if (len == count) {
    thema_buf_putc(out, '[');
    for (lua_Integer i = 1; i <= len; i++) {
      if (i > 1) thema_buf_putc(out, ',');
      lua_rawgeti(L, idx, i);
      int rc = json_value(L, -1, out, depth + 1, err);
      lua_pop(L, 1);
      if (rc) return rc;
    }
    thema_buf_putc(out, ']');
    return THEMA_OK;
  }
  if (!all_strings)
    return thema_error_set(
        err, THEMA_ERUNTIME,
        "json: a table mixes array and object keys or has non-string keys");
  char **keys = thema_xmalloc((size_t)count * sizeof *keys);
  lua_Integer k = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    keys[k++] = thema_xstrdup(lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  qsort(keys, (size_t)count, sizeof *keys, thema_cmp_str);
  thema_buf_putc(out, '{');
  int rc = THEMA_OK;
  for (lua_Integer i = 0; i < count; i++) {
    if (!rc) {
      if (i) thema_buf_putc(out, ',');
      json_string(out, keys[i], strlen(keys[i]));
      thema_buf_putc(out, ':');
      lua_pushstring(L, keys[i]);
      lua_rawget(L, idx);
      rc = json_value(L, -1, out, depth + 1, err);
      lua_pop(L, 1);
    }
    free(keys[i]);
  }
  free(keys);
  if (!rc) thema_buf_putc(out, '}');
  return rc;
}

int thema_json_encode(lua_State *L, int idx, ThemaBuf *out, ThemaError *err) {
  thema_buf_reset(out);
  return json_value(L, idx, out, 0, err);
}
