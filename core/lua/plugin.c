/*
 * plugin.c — plugins as files (see plugin.h): the plugin path, loading and
 * checking a plugin table, converting and checking parameters, and the
 * `thema plugins` listing.
 *
 * A plugin's table and declarations are read raw (no metamethods), so that
 * checking a plugin never runs its code outside the protected call that
 * loads it.
 */
#include "lua/plugin.h"

#include <ctype.h>
#include <dirent.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fs.h"
#include "lua/ctx.h"
#include "lua/sandbox.h"

/* Metadata fields a plugin table may have; anything else is a mistake. */
static const char *const plugin_fields[] = {
    "name", "version", "description", "params", "run", "author", "license", "usage", NULL};

/* The fields a plugin must have, with their Lua type. */
static const struct {
  const char *field; /* the key in the plugin table */
  const char *type;  /* lua_typename of the value it must have */
} required_fields[] = {{"name", "string"},
                       {"version", "string"},
                       {"description", "string"},
                       {"run", "function"}};

/* Fields of one parameter's declaration. */
static const char *const param_fields[] = {"type",   "required", "default", "description",
                                           "values", "min",      "max",     NULL};

/* Converts the value at the top of the stack for parameter pname of plugin
 * in place, or fails with a usage (or, for a path, input) error. */
typedef int (*ParamConvert)(lua_State *L, const char *plugin, const char *pname,
                            ThemaError *err);

static int convert_string(lua_State *L, const char *plugin, const char *pname,
                          ThemaError *err);
static int convert_number(lua_State *L, const char *plugin, const char *pname,
                          ThemaError *err);
static int convert_integer(lua_State *L, const char *plugin, const char *pname,
                           ThemaError *err);
static int convert_boolean(lua_State *L, const char *plugin, const char *pname,
                           ThemaError *err);
static int convert_path(lua_State *L, const char *plugin, const char *pname,
                        ThemaError *err);
static int convert_list(lua_State *L, const char *plugin, const char *pname,
                        ThemaError *err);

/* The parameter types: the one place they are listed. A declaration's type
 * must be one of these names (string when absent); a value is converted by
 * its type's function. */
static const struct ParamType {
  const char *name;     /* as written in params.X.type */
  ParamConvert convert; /* checks and converts a given value or the default */
} param_types[] = {{"string", convert_string},
                   {"number", convert_number},
                   {"integer", convert_integer},
                   {"boolean", convert_boolean},
                   {"path", convert_path},
                   {"list", convert_list},
                   {NULL, NULL}};

static int in_list(const char *s, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (strcmp(s, list[i]) == 0) return 1;
  return 0;
}

/* Append the names of list joined by ", ". */
static void join_names(ThemaBuf *b, const char *const *list) {
  for (int i = 0; list[i]; i++) thema_buf_printf(b, "%s%s", i ? ", " : "", list[i]);
}

/* The parameter type named name; NULL when there is none. */
static const struct ParamType *param_type(const char *name) {
  for (int i = 0; param_types[i].name; i++)
    if (strcmp(param_types[i].name, name) == 0) return &param_types[i];
  return NULL;
}

/* Push t[k] of the table at idx without metamethods; returns its type. */
static int rawfield(lua_State *L, int idx, const char *k) {
  idx = lua_absindex(L, idx);
  lua_pushstring(L, k);
  return lua_rawget(L, idx);
}

/* ---- the plugin path ---- */

static void add_dir(ThemaPluginPath *p, const char *dir, size_t n) {
  p->dirs = thema_xrealloc(p->dirs, (size_t)(p->ndirs + 1) * sizeof *p->dirs);
  p->dirs[p->ndirs++] = thema_xstrndup(dir, n);
}

void thema_plugin_path_init(ThemaPluginPath *p, const char *plugin_path, const char *root) {
  memset(p, 0, sizeof *p);
  for (const char *s = plugin_path ? plugin_path : ""; *s;) {
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    if (n) add_dir(p, s, n);
    s += n + (colon != NULL);
  }
  ThemaBuf builtin = {0};
  thema_buf_printf(&builtin, "%s/plugins", root ? root : ".");
  add_dir(p, builtin.data, builtin.len);
  thema_buf_free(&builtin);
}

void thema_plugin_path_free(ThemaPluginPath *p) {
  for (int i = 0; i < p->ndirs; i++) free(p->dirs[i]);
  free(p->dirs);
  memset(p, 0, sizeof *p);
}

char *thema_plugin_find(const ThemaPluginPath *p, const char *name, ThemaError *err) {
  /* A name is a name, never a path: a folder in it would load a file from
   * anywhere and make OUT/NAME a folder outside the output root. Letters,
   * digits, '_' and '-', starting with a letter or digit, are enough for
   * every plugin and safe in a file name, a folder name and a run record. */
  int bad = !isalnum((unsigned char)name[0]);
  for (const char *c = name; *c && !bad; c++)
    bad = !isalnum((unsigned char)*c) && *c != '_' && *c != '-';
  if (bad || strlen(name) > 100) {
    thema_error_set(err, THEMA_EUSAGE,
                    "bad plugin name '%s': a plugin is named by letters, digits, '_' and "
                    "'-' (its file name without .lua), never by a path",
                    name);
    return NULL;
  }
  ThemaBuf path = {0};
  for (int i = 0; i < p->ndirs; i++) {
    thema_buf_reset(&path);
    thema_buf_printf(&path, "%s/%s.lua", p->dirs[i], name);
    if (access(path.data, R_OK) == 0) return path.data; /* the buffer's data, owned */
  }
  thema_buf_reset(&path);
  for (int i = 0; i < p->ndirs; i++)
    thema_buf_printf(&path, "%s%s", i ? ", " : "", p->dirs[i]);
  thema_error_set(err, THEMA_EUSAGE, "no plugin named '%s' in %s; see 'thema plugins'",
                  name, thema_buf_str(&path));
  thema_buf_free(&path);
  return NULL;
}

/* ---- loading and checking a plugin table ---- */

/* Check the declaration of parameter pname (the value at the top). */
static int check_param_decl(lua_State *L, const char *path, const char *pname,
                            ThemaError *err) {
  if (!lua_istable(L, -1))
    return thema_error_set(err, THEMA_ERUNTIME, "%s: params.%s must be a table", path,
                           pname);
  ThemaBuf allowed = {0};
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (!k || !in_list(k, param_fields)) {
      join_names(&allowed, param_fields);
      thema_error_set(err, THEMA_ERUNTIME,
                      "%s: params.%s has an unknown field '%s' (allowed: %s)", path, pname,
                      k ? k : "?", thema_buf_str(&allowed));
      lua_pop(L, 2);
      goto done;
    }
    lua_pop(L, 1);
  }
  int t = rawfield(L, -1, "type");
  if (t != LUA_TNIL && (t != LUA_TSTRING || !param_type(lua_tostring(L, -1)))) {
    for (int i = 0; param_types[i].name; i++)
      thema_buf_printf(&allowed, "%s%s", i ? ", " : "", param_types[i].name);
    thema_error_set(err, THEMA_ERUNTIME, "%s: params.%s.type must be one of %s", path,
                    pname, thema_buf_str(&allowed));
  }
  lua_pop(L, 1);
done:
  thema_buf_free(&allowed);
  return err->status;
}

/* Check the plugin table at the top of the stack, loaded from path. */
static int check_plugin_table(lua_State *L, const char *path, ThemaError *err) {
  if (!lua_istable(L, -1))
    return thema_error_set(err, THEMA_ERUNTIME,
                           "%s: a plugin must return a table {name, version, description, "
                           "params, run}, not a %s",
                           path, luaL_typename(L, -1));
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (!k || !in_list(k, plugin_fields)) {
      ThemaBuf allowed = {0};
      join_names(&allowed, plugin_fields);
      thema_error_set(err, THEMA_ERUNTIME,
                      "%s: unknown field '%s' in the plugin table (allowed: %s)", path,
                      k ? k : "?", thema_buf_str(&allowed));
      thema_buf_free(&allowed);
      lua_pop(L, 2);
      return err->status;
    }
    lua_pop(L, 1);
  }
  for (size_t i = 0; i < sizeof required_fields / sizeof *required_fields; i++) {
    int t = rawfield(L, -1, required_fields[i].field);
    lua_pop(L, 1);
    if (strcmp(lua_typename(L, t), required_fields[i].type) != 0)
      return thema_error_set(err, THEMA_ERUNTIME, "%s: field '%s' must be a %s, not %s",
                             path, required_fields[i].field, required_fields[i].type,
                             lua_typename(L, t));
  }
  char *stem = thema_fs_stem(path);
  rawfield(L, -1, "name");
  if (strcmp(lua_tostring(L, -1), stem) != 0)
    thema_error_set(err, THEMA_ERUNTIME, "%s: field 'name' must be '%s', the file's name",
                    path, stem);
  lua_pop(L, 1);
  free(stem);
  if (err->status) return err->status;
  int t = rawfield(L, -1, "params");
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushliteral(L, "params");
    lua_newtable(L);
    lua_rawset(L, -3);
    return THEMA_OK;
  }
  if (t != LUA_TTABLE) {
    lua_pop(L, 1);
    return thema_error_set(err, THEMA_ERUNTIME, "%s: field 'params' must be a table", path);
  }
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      thema_error_set(err, THEMA_ERUNTIME, "%s: parameter names must be strings", path);
      lua_pop(L, 3);
      return err->status;
    }
    if (check_param_decl(L, path, lua_tostring(L, -2), err)) {
      lua_pop(L, 3);
      return err->status;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return THEMA_OK;
}

int thema_plugin_load(lua_State *L, const char *path, ThemaError *err) {
  int base = lua_gettop(L);
  lua_pushcfunction(L, thema_ctx_handle_error);
  if (thema_sandbox_load_file(L, path) != LUA_OK) {
    thema_error_set(err, THEMA_ERUNTIME, "%s", lua_tostring(L, -1));
    goto done;
  }
  if (lua_pcall(L, 0, 1, base + 1) != LUA_OK) {
    thema_error_set(err, THEMA_ERUNTIME, "%s", lua_tostring(L, -1));
    goto done;
  }
  lua_remove(L, base + 1);
  check_plugin_table(L, path, err);
done:
  if (err->status) lua_settop(L, base);
  return err->status;
}

/* ---- parameter names ---- */

/* The names of the declarations in the table at params, sorted, in a
 * userdata pushed on the stack (so that nothing leaks if a later call
 * raises); the strings belong to the table. *n is their number. */
static const char **push_param_names(lua_State *L, int params, size_t *n) {
  params = lua_absindex(L, params);
  size_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, params)) {
    count++;
    lua_pop(L, 1);
  }
  const char **names = lua_newuserdatauv(L, (count ? count : 1) * sizeof *names, 0);
  size_t i = 0;
  lua_pushnil(L);
  while (lua_next(L, params)) {
    names[i++] = lua_tostring(L, -2); /* checked at load: every name is a string */
    lua_pop(L, 1);
  }
  if (count > 1) qsort(names, count, sizeof *names, thema_cmp_str);
  *n = count;
  return names;
}

/* Set err to "PLUGIN: WHAT 'K'; accepted: a, b, c" for the declarations at
 * params (the accepted ones are "(none)" when there are none). */
static int names_error(lua_State *L, int params, const char *plugin, const char *what,
                       const char *k, ThemaError *err) {
  size_t n;
  const char **names = push_param_names(L, params, &n);
  ThemaBuf b = {0};
  for (size_t i = 0; i < n; i++) thema_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
  thema_error_set(err, THEMA_EUSAGE, "%s: %s '%s'; accepted: %s", plugin, what, k,
                  n ? thema_buf_str(&b) : "(none)");
  thema_buf_free(&b);
  lua_pop(L, 1);
  return err->status;
}

/* ---- converting and checking values ---- */

static int convert_string(lua_State *L, const char *plugin, const char *pname,
                          ThemaError *err) {
  int t = lua_type(L, -1);
  if (t != LUA_TSTRING && t != LUA_TNUMBER)
    return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a string", plugin,
                           pname);
  lua_tostring(L, -1); /* a number becomes its string, in place */
  return THEMA_OK;
}

static int convert_number(lua_State *L, const char *plugin, const char *pname,
                          ThemaError *err) {
  int isnum = 0;
  lua_Number v = lua_tonumberx(L, -1, &isnum);
  if (!isnum)
    return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a number, not '%s'",
                           plugin, pname, luaL_tolstring(L, -1, NULL));
  lua_pop(L, 1);
  lua_pushnumber(L, v);
  return THEMA_OK;
}

static int convert_integer(lua_State *L, const char *plugin, const char *pname,
                           ThemaError *err) {
  /* lua_tointegerx takes "7", "0x10", 7.0 and "3.0", exactly, and refuses
   * 1.5 and values beyond the integers instead of casting them. */
  int isnum = 0;
  lua_Integer v = lua_tointegerx(L, -1, &isnum);
  if (!isnum)
    return thema_error_set(err, THEMA_EUSAGE,
                           "%s: parameter %s must be an integer, not '%s'", plugin, pname,
                           luaL_tolstring(L, -1, NULL));
  lua_pop(L, 1);
  lua_pushinteger(L, v);
  return THEMA_OK;
}

static int convert_boolean(lua_State *L, const char *plugin, const char *pname,
                           ThemaError *err) {
  int t = lua_type(L, -1);
  if (t == LUA_TBOOLEAN) return THEMA_OK;
  if (t != LUA_TSTRING)
    return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a boolean", plugin,
                           pname);
  const char *s = lua_tostring(L, -1);
  int v = !strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "1");
  if (!v && strcmp(s, "false") && strcmp(s, "no") && strcmp(s, "0"))
    return thema_error_set(err, THEMA_EUSAGE,
                           "%s: parameter %s must be true or false, not '%s'", plugin,
                           pname, s);
  lua_pop(L, 1);
  lua_pushboolean(L, v);
  return THEMA_OK;
}

static int convert_path(lua_State *L, const char *plugin, const char *pname,
                        ThemaError *err) {
  if (convert_string(L, plugin, pname, err)) return err->status;
  const char *path = lua_tostring(L, -1);
  const ThemaLuaCtx *ctx = thema_ctx_get(L);
  if (!thema_paths_allowed(ctx->paths, ctx->run_plugin, path, 0))
    return thema_error_set(err, THEMA_EINPUT,
                           "%s: parameter %s: %s does not exist or is outside the "
                           "project folder",
                           plugin, pname, path);
  if (access(path, R_OK) != 0)
    return thema_error_set(err, THEMA_EINPUT, "%s: parameter %s: cannot read %s", plugin,
                           pname, path);
  return THEMA_OK;
}

static int convert_list(lua_State *L, const char *plugin, const char *pname,
                        ThemaError *err) {
  int t = lua_type(L, -1);
  if (t == LUA_TTABLE) return THEMA_OK;
  if (t != LUA_TSTRING)
    return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a list", plugin,
                           pname);
  /* "a,b,c" from the command line */
  const char *s = lua_tostring(L, -1);
  lua_newtable(L);
  int n = 0;
  while (*s) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    lua_pushlstring(L, s, len);
    lua_rawseti(L, -2, ++n);
    s += len + (comma != NULL);
  }
  lua_remove(L, -2);
  return THEMA_OK;
}

/* Convert and check one value (at the top) against its declaration (at
 * decl); replaces the value with the converted one. */
static int check_value(lua_State *L, const char *plugin, const char *pname, int decl,
                       ThemaError *err) {
  const struct ParamType *type = param_types; /* string when not declared */
  if (rawfield(L, decl, "type") == LUA_TSTRING) type = param_type(lua_tostring(L, -1));
  lua_pop(L, 1);
  if (type->convert(L, plugin, pname, err)) return err->status;
  /* min/max: bounds on a number's value or on a list's length. */
  static const char *const bounds[2] = {"min", "max"};
  for (int b = 0; b < 2; b++) {
    if (rawfield(L, decl, bounds[b]) != LUA_TNUMBER) {
      lua_pop(L, 1);
      continue;
    }
    lua_Number bound = lua_tonumber(L, -1);
    lua_pop(L, 1);
    int is_list = lua_type(L, -1) == LUA_TTABLE;
    lua_Number v = is_list ? (lua_Number)lua_rawlen(L, -1) : lua_tonumber(L, -1);
    if (b == 0 ? v < bound : v > bound)
      return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must %s %s %g%s", plugin,
                             pname, is_list ? "have" : "be",
                             b == 0 ? "at least" : "at most", bound,
                             is_list ? " entries" : "");
  }
  if (rawfield(L, decl, "values") == LUA_TTABLE) {
    /* For a list, every entry must be one of the values. */
    int is_list = lua_type(L, -2) == LUA_TTABLE;
    lua_Integer n = is_list ? (lua_Integer)lua_rawlen(L, -2) : 1;
    for (lua_Integer e = 1; e <= n; e++) {
      if (is_list)
        lua_rawgeti(L, -2, e);
      else
        lua_pushvalue(L, -2);
      int found = 0;
      ThemaBuf allowed = {0};
      for (lua_Integer i = 1; lua_rawgeti(L, -2, i) != LUA_TNIL; i++) {
        found |= lua_rawequal(L, -1, -2);
        thema_buf_printf(&allowed, "%s%s", i > 1 ? ", " : "", lua_tostring(L, -1));
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      if (!found) {
        thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be one of %s, not '%s'",
                        plugin, pname, thema_buf_str(&allowed),
                        luaL_tolstring(L, -1, NULL));
        thema_buf_free(&allowed);
        return err->status;
      }
      thema_buf_free(&allowed);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return THEMA_OK;
}

int thema_plugin_check_params(lua_State *L, int plugin, int given, const char *name,
                              ThemaError *err) {
  int base = lua_gettop(L);
  given = lua_absindex(L, given);
  rawfield(L, plugin, "params");
  int decls = lua_gettop(L);
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, given)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
    if (rawfield(L, decls, k) == LUA_TNIL) {
      names_error(L, decls, name, "unknown parameter", k, err);
      goto done;
    }
    int decl = lua_gettop(L);
    lua_pushvalue(L, -2);
    if (check_value(L, name, k, decl, err)) goto done;
    lua_pushstring(L, k);
    lua_insert(L, -2);
    lua_rawset(L, out);
    lua_pop(L, 2);
  }
  lua_pushnil(L);
  while (lua_next(L, decls)) {
    const char *k = lua_tostring(L, -2);
    if (rawfield(L, out, k) == LUA_TNIL) {
      lua_pop(L, 1);
      if (rawfield(L, -1, "default") != LUA_TNIL) {
        /* Defaults pass the same checks as given values: a plugin's own
         * mistake shows at once, not as a wrong type inside run. */
        if (check_value(L, name, k, lua_gettop(L) - 1, err)) goto done;
        lua_pushstring(L, k);
        lua_insert(L, -2);
        lua_rawset(L, out);
      } else {
        lua_pop(L, 1);
        rawfield(L, -1, "required");
        int req = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (req) {
          names_error(L, decls, name, "missing required parameter", k, err);
          goto done;
        }
      }
    } else {
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
done:
  if (err->status) {
    lua_settop(L, base);
    return err->status;
  }
  lua_remove(L, decls);
  return THEMA_OK;
}

/* ---- the listing ---- */

/* Lua: list_entry(plugin, path) -> the lines `thema plugins` prints for the
 * checked plugin table. Run under lua_pcall: a default's __tostring is
 * plugin code and may raise. */
static int list_entry(lua_State *L) {
  lua_settop(L, 2);
  rawfield(L, 1, "name");        /* 3 */
  rawfield(L, 1, "version");     /* 4 */
  rawfield(L, 1, "description"); /* 5 */
  rawfield(L, 1, "params");      /* 6 */
  size_t n;
  const char **names = push_param_names(L, 6, &n); /* 7, sorted */
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "%s %s — %s\n  %s\n", lua_tostring(L, 3), lua_tostring(L, 4),
                  lua_tostring(L, 5), lua_tostring(L, 2));
  luaL_addvalue(&b);
  for (size_t i = 0; i < n; i++) {
    /* One line per parameter, built from pieces above the buffer's slot and
     * added whole: "  name=type (required) [default d] description". */
    int decl = lua_gettop(L) + 1;
    rawfield(L, 6, names[i]);
    rawfield(L, decl, "type");
    rawfield(L, decl, "required");
    int first = lua_gettop(L) + 1;
    lua_pushfstring(L, "  %s=%s%s", names[i],
                    lua_isnil(L, decl + 1) ? "string" : lua_tostring(L, decl + 1),
                    lua_toboolean(L, decl + 2) ? " (required)" : "");
    int def = lua_gettop(L) + 1;
    int t = rawfield(L, decl, "default");
    if (t == LUA_TTABLE) { /* a list default: its entries, comma-separated */
      lua_pushliteral(L, " [default ");
      for (lua_Integer j = 1; lua_rawgeti(L, def, j) != LUA_TNIL; j++) {
        luaL_checkstack(L, 3, "too many entries in a default");
        luaL_tolstring(L, -1, NULL);
        lua_remove(L, -2);
        if (j > 1) {
          lua_pushliteral(L, ",");
          lua_insert(L, -2);
        }
      }
      lua_pop(L, 1);
      lua_pushliteral(L, "]");
    } else if (t != LUA_TNIL) {
      lua_pushfstring(L, " [default %s]", luaL_tolstring(L, def, NULL));
      lua_remove(L, -2);
    }
    lua_remove(L, def); /* the default itself: only its text is kept */
    t = rawfield(L, decl, "description");
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
      lua_pushfstring(L, " %s", lua_tostring(L, -1));
      lua_remove(L, -2);
    } else {
      lua_pop(L, 1);
    }
    lua_pushliteral(L, "\n");
    lua_concat(L, lua_gettop(L) - first + 1);
    lua_replace(L, decl); /* the line in place of the declaration */
    lua_settop(L, decl);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}

/* The .lua files directly in dir, sorted by name, into *names (owned, each
 * owned); their number, 0 when dir cannot be read. */
static size_t plugin_files(const char *dir, char ***names) {
  *names = NULL;
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !thema_fs_has_ext(e->d_name, "lua")) continue;
    *names = thema_xrealloc(*names, (n + 1) * sizeof **names);
    (*names)[n++] = thema_xstrdup(e->d_name);
  }
  closedir(d);
  /* qsort's base must not be NULL, even for no elements: an empty folder
   * gives no array at all. */
  if (n > 1) qsort(*names, n, sizeof **names, thema_cmp_str);
  return n;
}

int thema_plugin_list(lua_State *L, const ThemaPluginPath *p, FILE *out, FILE *errout,
                      ThemaError *err) {
  char **seen = NULL; /* names listed so far, which shadow later folders' */
  size_t nseen = 0;
  ThemaBuf path = {0};
  for (int d = 0; d < p->ndirs; d++) {
    char **names;
    size_t n = plugin_files(p->dirs[d], &names);
    for (size_t i = 0; i < n; i++) {
      thema_buf_reset(&path);
      thema_buf_printf(&path, "%s/%s", p->dirs[d], names[i]);
      char *stem = thema_fs_stem(names[i]);
      int shadowed = 0;
      for (size_t k = 0; k < nseen; k++) shadowed |= strcmp(seen[k], stem) == 0;
      ThemaError perr = {0};
      int base = lua_gettop(L);
      if (shadowed) {
        fprintf(errout, "thema: %s: shadowed by an earlier plugin named '%s'\n", path.data,
                stem);
      } else if (thema_sandbox_enter(L), thema_plugin_load(L, path.data, &perr)) {
        fprintf(errout, "thema: %s (skipped)\n", perr.msg);
      } else {
        int plugin = lua_gettop(L);
        lua_pushcfunction(L, thema_ctx_handle_error);
        lua_pushcfunction(L, list_entry);
        lua_pushvalue(L, plugin);
        lua_pushstring(L, path.data);
        if (lua_pcall(L, 2, 1, plugin + 1) != LUA_OK) {
          fprintf(errout, "thema: %s: %s (skipped)\n", path.data, lua_tostring(L, -1));
        } else {
          fputs(lua_tostring(L, -1), out);
          seen = thema_xrealloc(seen, (nseen + 1) * sizeof *seen);
          seen[nseen++] = thema_xstrdup(stem);
        }
      }
      lua_settop(L, base);
      if (!shadowed) thema_sandbox_leave(L); /* each plugin loads in a sandbox of its own */
      free(stem);
      free(names[i]);
    }
    free(names);
  }
  for (size_t k = 0; k < nseen; k++) free(seen[k]);
  free(seen);
  thema_buf_free(&path);
  if (fflush(out) != 0 || ferror(out))
    return thema_error_set(err, THEMA_ERUNTIME, "plugins: cannot write the list");
  return THEMA_OK;
}
