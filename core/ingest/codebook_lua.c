/*
 * codebook_lua.c — a codebook as a Lua file returning a list of code tables
 * with the fields of thema_codebook_fields. It is data: it runs in a state
 * of its own with an empty environment (no library at all) and an
 * instruction limit and a memory budget (CODEBOOK_MEMORY), so a codebook
 * cannot do anything but describe codes.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "ingest/codebook.h"

/* A codebook is a few kilobytes of data; 64 MB is thousands of times more
 * than any real one needs, and stops `s = s .. s` long before the machine. */
#define CODEBOOK_MEMORY ((size_t)64 << 20)

static int lua_list(lua_State *L, int t, const char *field, ThemaList *out,
                    const char *path, long entry, ThemaError *err) {
  int type = lua_getfield(L, t, field);
  if (type == LUA_TSTRING) {
    thema_list_lines(out, lua_tostring(L, -1));
  } else if (type == LUA_TTABLE) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
      if (lua_type(L, -1) != LUA_TSTRING)
        return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                              "entry %ld: field '%s' must hold strings", entry, field);
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      thema_list_add(out, s, n);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  } else if (type != LUA_TNIL) {
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                          "entry %ld: field '%s' must be a string or a list of strings",
                          entry, field);
  }
  lua_pop(L, 1);
  return THEMA_OK;
}

static char *lua_str(lua_State *L, int t, const char *field) {
  lua_getfield(L, t, field);
  char *s =
      lua_type(L, -1) == LUA_TSTRING ? thema_codebook_strdup(lua_tostring(L, -1)) : NULL;
  lua_pop(L, 1);
  return s;
}

static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  /* Level 0 is the codebook's own code: its file and line lead the message
   * (luaL_error's level 1 is the C caller, which has neither). */
  luaL_where(L, 0);
  lua_pushstring(L, "the codebook takes too long to evaluate (it is data, not a program)");
  lua_concat(L, 2);
  lua_error(L);
}

/* The error on top of the stack, for the codebook at path. Errors raised by
 * Lua itself ("C stack overflow", "not enough memory") carry no position:
 * they are given the file's name. */
static void lua_failure(lua_State *L, const char *path, ThemaError *err) {
  const char *msg = lua_tostring(L, -1);
  if (msg && strncmp(msg, path, strlen(path)) == 0)
    thema_error_set(err, THEMA_EINPUT, "%s", msg);
  else
    thema_error_set(err, THEMA_EINPUT, "%s: %s%s", path, msg ? msg : "error",
                    msg && strstr(msg, "stack overflow")
                        ? " (nested too deeply; a codebook is a flat list of codes)"
                        : "");
}

/* The returned table must be a list 1..n and nothing else: an entry after a
 * hole or under a string key would otherwise be skipped without a word. */
static int check_list_keys(lua_State *L, int list, const char *path, ThemaError *err) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, list), count = 0;
  lua_pushnil(L);
  while (lua_next(L, list)) {
    lua_pop(L, 1);
    int isnum = 0;
    lua_Integer k = lua_tointegerx(L, -1, &isnum);
    if (lua_type(L, -1) == LUA_TNUMBER && isnum && k >= 1) {
      count++;
      continue;
    }
    const char *shown =
        lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1);
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "the returned table has the key '%s', which is not a position in the "
                   "list; a Lua codebook returns a list { {code = ...}, {code = ...} }",
                   shown);
    lua_pop(L, 1);
    return err->status;
  }
  /* Positive integer keys only: they are 1..n exactly when there are n of them
   * and the length is n (a border with nothing beyond it). */
  for (lua_Integer i = 1; count != n && i <= count + 1; i++)
    if (lua_rawgeti(L, list, i) == LUA_TNIL) {
      lua_pop(L, 1);
      return thema_error_at(
          err, THEMA_EINPUT, path, 0, 0,
          "entry %ld is missing, but later entries follow; a Lua codebook "
          "is a list without holes",
          (long)i);
    } else {
      lua_pop(L, 1);
    }
  return THEMA_OK;
}

int thema_codebook_read_lua(ThemaCodebook *cb, const char *text, size_t len,
                            ThemaError *err) {
  const char *path = cb->path;
  ThemaMemBudget mem = {.limit = CODEBOOK_MEMORY};
  lua_State *L = lua_newstate(thema_budget_alloc, &mem);
  if (!L) abort();
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 10000000);
  /* As luaL_loadfile does, a first line starting with '#' is not Lua; its
   * newline stays, so that line numbers hold. */
  size_t skip = 0;
  if (len && text[0] == '#')
    while (skip < len && text[skip] != '\n') skip++;
  lua_pushfstring(L, "@%s", path);
  int rc = luaL_loadbufferx(L, text + skip, len - skip, lua_tostring(L, -1), "t");
  lua_remove(L, -2);
  if (rc != LUA_OK) {
    lua_failure(L, path, err);
    goto done;
  }
  lua_newtable(L); /* an empty environment: no functions at all */
  lua_setupvalue(L, -2, 1);
  if ((rc = lua_pcall(L, 0, 1, 0)) != LUA_OK) {
    if (rc == LUA_ERRMEM && mem.exceeded)
      thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                     "the codebook needs more than %zu MB of memory to evaluate (it is "
                     "data, not a program)",
                     CODEBOOK_MEMORY >> 20);
    else
      lua_failure(L, path, err);
    goto done;
  }
  if (!lua_istable(L, -1)) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "a Lua codebook must return a list of codes, not a %s",
                   luaL_typename(L, -1));
    goto done;
  }
  int list = lua_gettop(L);
  if (check_list_keys(L, list, path, err)) goto done;
  for (lua_Integer i = 1; lua_rawgeti(L, list, i) != LUA_TNIL; i++) {
    int t = lua_gettop(L);
    if (!lua_istable(L, t)) {
      thema_error_at(err, THEMA_EINPUT, path, 0, 0, "entry %ld must be a table", (long)i);
      goto done;
    }
    lua_pushnil(L);
    while (lua_next(L, t)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      int ok = 0;
      for (int f = 0; thema_codebook_fields[f]; f++)
        ok |= strcmp(thema_codebook_fields[f], k) == 0;
      if (!ok) {
        ThemaBuf names = {0};
        thema_codebook_join(&names, thema_codebook_fields);
        thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                       "entry %ld: unknown field '%s' (allowed: %s)", (long)i, k,
                       thema_buf_str(&names));
        thema_buf_free(&names);
        goto done;
      }
      lua_pop(L, 1);
    }
    ThemaCbCode *c = thema_codebook_add(cb);
    c->line = (long)i;
    c->name = lua_str(L, t, "code");
    if (!c->name) c->name = thema_xstrdup("");
    c->parent = lua_str(L, t, "parent");
    c->description = lua_str(L, t, "description");
    c->options = lua_str(L, t, "options");
    c->colour = lua_str(L, t, "colour");
    if (lua_list(L, t, "include", &c->include, path, (long)i, err) ||
        lua_list(L, t, "exclude", &c->exclude, path, (long)i, err) ||
        lua_list(L, t, "match", &c->match, path, (long)i, err) ||
        lua_list(L, t, "nomatch", &c->nomatch, path, (long)i, err))
      goto done;
    lua_pop(L, 1);
  }
done:
  lua_close(L);
  return err->status;
}
