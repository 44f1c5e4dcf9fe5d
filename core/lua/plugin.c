/*
 * plugin.c — plugins: finding them, checking their metadata field by field,
 * validating parameters against their declaration, and running one as a
 * recorded run inside a savepoint, so that a failed run keeps none of its
 * writes and a successful one replaces the plugin's earlier results.
 */
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/hash.h"
#include "lua/bind.h"
#include "lua/host.h"

int thema_host_msgh(lua_State *L);
void thema_host_push_env(lua_State *L);

/* Metadata fields a plugin table may have; anything else is a mistake. */
static const char *const plugin_fields[] = {
    "name", "version", "description", "params", "run", "author", "license", "usage", NULL};
static const char *const param_fields[] = {"type",   "required", "default", "description",
                                           "values", "min",      "max",     NULL};
static const char *const param_types[] = {"string", "number", "integer", "boolean",
                                          "path",   "list",   NULL};

static int in_list(const char *s, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (strcmp(s, list[i]) == 0) return 1;
  return 0;
}

/* Find plugin name's file in the plugin folders; 0 when there is none. */
static int plugin_path(ThemaHost *h, const char *name, char out[PATH_MAX]) {
  for (int i = 0; i < h->nplugin_dirs; i++) {
    snprintf(out, PATH_MAX, "%s/%s.lua", h->plugin_dirs[i], name);
    if (access(out, R_OK) == 0) return 1;
  }
  return 0;
}

/* Check the declaration of one parameter (value at the top of the stack). */
static int check_param_decl(lua_State *L, const char *path, const char *pname,
                            ThemaError *err) {
  if (!lua_istable(L, -1))
    return thema_error_set(err, THEMA_ERUNTIME, "%s: params.%s must be a table", path,
                           pname);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (!k || !in_list(k, param_fields)) {
      lua_pop(L, 2);
      return thema_error_set(err, THEMA_ERUNTIME,
                             "%s: params.%s has an unknown field '%s' (allowed: type, "
                             "required, default, description, values, min, max)",
                             path, pname, k ? k : "?");
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, -1, "type");
  const char *type = lua_isnil(L, -1) ? "string" : lua_tostring(L, -1);
  int ok = type && in_list(type, param_types);
  lua_pop(L, 1);
  if (!ok)
    return thema_error_set(err, THEMA_ERUNTIME,
                           "%s: params.%s.type must be one of string, number, integer, "
                           "boolean, path, list",
                           path, pname);
  return THEMA_OK;
}

/* Load the plugin file at path and leave its checked table on the stack. */
static int load_plugin(ThemaHost *h, const char *path, ThemaError *err) {
  lua_State *L = h->L;
  int base = lua_gettop(L);
  lua_pushcfunction(L, thema_host_msgh);
  if (luaL_loadfilex(L, path, "t") != LUA_OK) {
    thema_error_set(err, THEMA_ERUNTIME, "%s", lua_tostring(L, -1));
    goto fail;
  }
  thema_host_push_env(L);
  lua_setupvalue(L, -2, 1);
  if (lua_pcall(L, 0, 1, base + 1) != LUA_OK) {
    thema_error_set(err, THEMA_ERUNTIME, "%s", lua_tostring(L, -1));
    goto fail;
  }
  lua_remove(L, base + 1);
  if (!lua_istable(L, -1)) {
    thema_error_set(err, THEMA_ERUNTIME,
                    "%s: a plugin must return a table {name, version, description, "
                    "params, run}, not a %s",
                    path, luaL_typename(L, -1));
    goto fail;
  }
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    if (!k || !in_list(k, plugin_fields)) {
      thema_error_set(err, THEMA_ERUNTIME,
                      "%s: unknown field '%s' in the plugin table (allowed: name, "
                      "version, description, params, run, author, license, usage)",
                      path, k ? k : "?");
      goto fail;
    }
    lua_pop(L, 1);
  }
  static const char *const required[][2] = {{"name", "string"},
                                            {"version", "string"},
                                            {"description", "string"},
                                            {"run", "function"}};
  for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
    lua_getfield(L, -1, required[i][0]);
    int t = lua_type(L, -1);
    lua_pop(L, 1);
    if (strcmp(lua_typename(L, t), required[i][1]) != 0) {
      thema_error_set(err, THEMA_ERUNTIME, "%s: field '%s' must be a %s, not %s", path,
                      required[i][0], required[i][1], lua_typename(L, t));
      goto fail;
    }
  }
  char *stem = thema_fs_stem(path);
  lua_getfield(L, -1, "name");
  int same = strcmp(lua_tostring(L, -1), stem) == 0;
  lua_pop(L, 1);
  if (!same) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: field 'name' must be '%s', the file's name",
                    path, stem);
    free(stem);
    goto fail;
  }
  free(stem);
  if (lua_getfield(L, -1, "params") == LUA_TNIL) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_setfield(L, -2, "params");
  } else if (!lua_istable(L, -1)) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: field 'params' must be a table", path);
    goto fail;
  } else {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) != LUA_TSTRING) {
        thema_error_set(err, THEMA_ERUNTIME, "%s: parameter names must be strings", path);
        goto fail;
      }
      if (check_param_decl(L, path, lua_tostring(L, -2), err)) goto fail;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return THEMA_OK;
fail:
  lua_settop(L, base);
  return err->status;
}

/* Sorted parameter names of the plugin table at idx, as "a, b, c". */
static void param_names(lua_State *L, int idx, ThemaBuf *out) {
  lua_getfield(L, idx, "params");
  int n = 0;
  char *names[128];
  lua_pushnil(L);
  while (lua_next(L, -2) && n < 128) {
    names[n++] = thema_xstrdup(lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
      char *t = names[j];
      names[j] = names[j - 1];
      names[j - 1] = t;
    }
  thema_buf_reset(out);
  for (int i = 0; i < n; i++) {
    thema_buf_printf(out, "%s%s", i ? ", " : "", names[i]);
    free(names[i]);
  }
  if (!n) thema_buf_puts(out, "(none)");
}

/* Convert and check one value (at the top) against its declaration (at
 * decl); replaces the value with the converted one. */
static int check_value(ThemaHost *h, const char *plugin, const char *pname, int decl,
                       ThemaError *err) {
  lua_State *L = h->L;
  lua_getfield(L, decl, "type");
  const char *type = lua_isnil(L, -1) ? "string" : lua_tostring(L, -1);
  char tbuf[16];
  snprintf(tbuf, sizeof tbuf, "%s", type);
  lua_pop(L, 1);
  int t = lua_type(L, -1);
  if (!strcmp(tbuf, "number") || !strcmp(tbuf, "integer")) {
    int isnum = 0;
    lua_Number v = lua_tonumberx(L, -1, &isnum);
    if (!isnum || (!strcmp(tbuf, "integer") && v != (lua_Number)(lua_Integer)v))
      return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be %s %s, not '%s'",
                             plugin, pname, tbuf[0] == 'i' ? "an" : "a", tbuf,
                             luaL_tolstring(L, -1, NULL));
    lua_pop(L, 1);
    if (tbuf[0] == 'i')
      lua_pushinteger(L, (lua_Integer)v);
    else
      lua_pushnumber(L, v);
  } else if (!strcmp(tbuf, "boolean")) {
    if (t == LUA_TSTRING) {
      const char *s = lua_tostring(L, -1);
      int v = !strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "1");
      if (!v && strcmp(s, "false") && strcmp(s, "no") && strcmp(s, "0"))
        return thema_error_set(err, THEMA_EUSAGE,
                               "%s: parameter %s must be true or false, not '%s'", plugin,
                               pname, s);
      lua_pop(L, 1);
      lua_pushboolean(L, v);
    } else if (t != LUA_TBOOLEAN) {
      return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a boolean",
                             plugin, pname);
    }
  } else if (!strcmp(tbuf, "list")) {
    if (t == LUA_TSTRING) { /* "a,b,c" from the command line */
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
    } else if (t != LUA_TTABLE) {
      return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a list", plugin,
                             pname);
    }
  } else {
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      return thema_error_set(err, THEMA_EUSAGE, "%s: parameter %s must be a string", plugin,
                             pname);
    lua_tostring(L, -1);
    if (!strcmp(tbuf, "path") && !thema_host_path_allowed(h, lua_tostring(L, -1), 0))
      return thema_error_set(err, THEMA_EINPUT,
                             "%s: parameter %s: %s does not exist or is outside the "
                             "project folder",
                             plugin, pname, lua_tostring(L, -1));
    if (!strcmp(tbuf, "path") && access(lua_tostring(L, -1), R_OK) != 0)
      return thema_error_set(err, THEMA_EINPUT, "%s: parameter %s: cannot read %s", plugin,
                             pname, lua_tostring(L, -1));
  }
  /* min/max: bounds on a number's value or on a list's length. */
  static const char *const bounds[2] = {"min", "max"};
  for (int b = 0; b < 2; b++) {
    if (lua_getfield(L, decl, bounds[b]) != LUA_TNUMBER) {
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
  if (lua_getfield(L, decl, "values") == LUA_TTABLE) {
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
        found |= lua_compare(L, -1, -2, LUA_OPEQ);
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

/* Validate the given parameters (table at given) against the plugin (table at
 * plugin): pushes the checked table with defaults filled in. */
static int validate_params(ThemaHost *h, int plugin, int given, const char *name,
                           ThemaError *err) {
  lua_State *L = h->L;
  ThemaBuf names = {0};
  lua_getfield(L, plugin, "params");
  int decls = lua_gettop(L);
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, given)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
    if (lua_getfield(L, decls, k) == LUA_TNIL) {
      param_names(L, plugin, &names);
      thema_error_set(err, THEMA_EUSAGE, "%s: unknown parameter '%s'; accepted: %s", name,
                      k, thema_buf_str(&names));
      goto done;
    }
    int decl = lua_gettop(L);
    lua_pushvalue(L, -2);
    if (check_value(h, name, k, decl, err)) goto done;
    lua_setfield(L, out, k);
    lua_pop(L, 2);
  }
  lua_pushnil(L);
  while (lua_next(L, decls)) {
    const char *k = lua_tostring(L, -2);
    if (lua_getfield(L, out, k) == LUA_TNIL) {
      lua_pop(L, 1);
      if (lua_getfield(L, -1, "default") != LUA_TNIL) {
        /* Defaults pass the same checks as given values: a plugin's own
         * mistake shows at once, not as a wrong type inside run. */
        if (check_value(h, name, k, lua_gettop(L) - 1, err)) goto done;
        lua_setfield(L, out, k);
      } else {
        lua_pop(L, 1);
        lua_getfield(L, -1, "required");
        int req = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (req) {
          param_names(L, plugin, &names);
          thema_error_set(err, THEMA_EUSAGE,
                          "%s: missing required parameter '%s'; accepted: %s", name, k,
                          thema_buf_str(&names));
          goto done;
        }
      }
    } else {
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
done:
  thema_buf_free(&names);
  if (err->status) return err->status;
  lua_remove(L, decls);
  return THEMA_OK;
}

/* Hash of everything a run reads: the sources (by content) and the codebook.
 * Taken when the run starts and again when it ends, since a plugin may import
 * its codebook itself (deductive does); the run keeps the final ones. */
static int input_hashes(ThemaHost *h, char input[65], char codebook[65], ThemaError *err) {
  static const char *const sql[2] = {
      "SELECT coalesce(group_concat(name || ':' || hash, '\n'), '') FROM"
      " (SELECT name, hash FROM source ORDER BY name)",
      "SELECT coalesce(group_concat(x, '\n'), '') FROM (SELECT c.path || '|' ||"
      " coalesce(c.options, '') || '|' || coalesce((SELECT group_concat(kind || '=' || text,"
      " '|') FROM (SELECT kind, text FROM code_rule r WHERE r.code_id = c.id ORDER BY r.id)), '')"
      " AS x FROM code c ORDER BY c.path)"};
  char *outs[2] = {input, codebook};
  for (int i = 0; i < 2; i++) {
    sqlite3_stmt *q = thema_store_stmt(h->st, sql[i], err);
    if (!q) return err->status;
    if (sqlite3_step(q) == SQLITE_ROW)
      thema_hash_sha256(sqlite3_column_text(q, 0), (size_t)sqlite3_column_bytes(q, 0),
                        outs[i]);
    sqlite3_reset(q);
  }
  return THEMA_OK;
}

/* The ctx table a plugin's run receives. */
static void push_ctx(ThemaHost *h, const char *name, int64_t run_id, const char *outdir) {
  lua_State *L = h->L;
  lua_newtable(L);
  lua_pushinteger(L, run_id);
  lua_setfield(L, -2, "run_id");
  lua_pushstring(L, name);
  lua_setfield(L, -2, "plugin");
  lua_pushstring(L, outdir);
  lua_setfield(L, -2, "output_dir");
  lua_getglobal(L, "thema");
  lua_setfield(L, -2, "store");
  thema_push_output(L, outdir);
  lua_setfield(L, -2, "out");
  lua_getglobal(L, "thema");
  lua_getfield(L, -1, "log");
  lua_setfield(L, -3, "log");
  lua_getfield(L, -1, "progress");
  lua_setfield(L, -3, "progress");
  lua_pop(L, 1);
}

/* SAVEPOINT / RELEASE / ROLLBACK TO the savepoint of the current nesting
 * depth. Run directly: the statement cache is for fixed SQL. */
static int savepoint_sql(ThemaHost *h, const char *verb, ThemaError *err) {
  char sql[64];
  snprintf(sql, sizeof sql, "%s run%d", verb, h->depth);
  if (sqlite3_exec(thema_store_db(h->st), sql, NULL, NULL, NULL) != SQLITE_OK)
    return thema_error_set(err, THEMA_ERUNTIME, "%s: %s", sql,
                           sqlite3_errmsg(thema_store_db(h->st)));
  return THEMA_OK;
}

static void remember_failure(ThemaHost *h, const char *plugin, const char *version,
                             const char *params, const char *started, const char *msg) {
  h->failed = thema_xrealloc(h->failed, (size_t)(h->nfailed + 1) * sizeof *h->failed);
  ThemaFailedRun *f = &h->failed[h->nfailed++];
  f->plugin = thema_xstrdup(plugin);
  f->version = thema_xstrdup(version ? version : "");
  f->params = thema_xstrdup(params ? params : "{}");
  f->started = thema_xstrdup(started);
  f->message = thema_xstrdup(msg);
}

/*
 * Run plugin `name` with the parameters in the table at index given. On
 * success pushes the plugin's return value and sets *run_id. On failure the
 * run's writes are rolled back to its savepoint and the failure remembered.
 */
static int run_plugin(ThemaHost *h, const char *name, int given, int64_t *run_id,
                      ThemaError *err) {
  lua_State *L = h->L;
  given = lua_absindex(L, given);
  int base = lua_gettop(L);
  char path[PATH_MAX], started[32], input[65] = "", codebook[65] = "";
  ThemaBuf params_json = {0};
  char *version = NULL;
  int savepoint = 0;
  if (!plugin_path(h, name, path)) {
    ThemaBuf dirs = {0};
    for (int i = 0; i < h->nplugin_dirs; i++)
      thema_buf_printf(&dirs, "%s%s", i ? ", " : "", h->plugin_dirs[i]);
    thema_error_set(err, THEMA_EUSAGE, "no plugin named '%s' in %s; see 'thema plugins'",
                    name, thema_buf_str(&dirs));
    thema_buf_free(&dirs);
    goto done;
  }
  if (load_plugin(h, path, err)) goto done;
  int plugin = lua_gettop(L);
  lua_getfield(L, plugin, "version");
  version = thema_xstrdup(lua_tostring(L, -1));
  lua_pop(L, 1);
  if (validate_params(h, plugin, given, name, err)) goto done;
  int params = lua_gettop(L);
  if (thema_json_encode(L, params, &params_json, err)) goto done;
  if (input_hashes(h, input, codebook, err)) goto done;
  thema_store_now(started);
  if (savepoint_sql(h, "SAVEPOINT", err)) goto done;
  savepoint = 1;
  if (thema_store_exec_id(
          h->st, err, run_id,
          "INSERT INTO run(plugin, version, params, input_hash, codebook_hash,"
          " started_at, status) VALUES (?,?,?,?,?,?,'running') RETURNING id",
          "tttttt", name, version, thema_buf_str(&params_json), input, codebook, started))
    goto done;
  char outdir[PATH_MAX];
  snprintf(outdir, sizeof outdir, "%s/%s", h->opts.out_root, name);
  if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot create the output folder: %s", outdir,
                    strerror(errno));
    goto done;
  }
  int64_t outer_run = h->ctx.run_id;
  const char *outer_plugin = h->ctx.run_plugin;
  h->ctx.run_id = *run_id;
  h->ctx.run_plugin = name;
  h->depth++;
  lua_pushcfunction(L, thema_host_msgh);
  lua_getfield(L, plugin, "run");
  push_ctx(h, name, *run_id, outdir);
  lua_pushvalue(L, params);
  int rc = lua_pcall(L, 2, 1, params + 1);
  h->depth--;
  h->ctx.run_id = outer_run;
  h->ctx.run_plugin = outer_plugin;
  if (rc != LUA_OK) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: %s", name, lua_tostring(L, -1));
    goto done;
  }
  char finished[32];
  thema_store_now(finished);
  /* Success: only now do the plugin's earlier results give way. */
  if (thema_store_exec(h->st, err,
                       "DELETE FROM coding WHERE run_id IN (SELECT id FROM run WHERE"
                       " plugin = ? AND status = 'ok' AND id <> ?)",
                       "ti", name, *run_id) ||
      thema_store_exec(
          h->st, err,
          "UPDATE run SET status = 'replaced' WHERE plugin = ? AND status = 'ok'"
          " AND id <> ?",
          "ti", name, *run_id) ||
      input_hashes(h, input, codebook, err) ||
      thema_store_exec(h->st, err,
                       "UPDATE run SET status = 'ok', finished_at = ?, input_hash = ?,"
                       " codebook_hash = ? WHERE id = ?",
                       "ttti", finished, input, codebook, *run_id))
    goto done;
  if (savepoint_sql(h, "RELEASE", err)) goto done;
  savepoint = 0;
  lua_replace(L, base + 1);
  lua_settop(L, base + 1);
done:
  if (err->status) {
    if (savepoint) {
      ThemaError ignored = {0};
      savepoint_sql(h, "ROLLBACK TO", &ignored);
      savepoint_sql(h, "RELEASE", &ignored);
      remember_failure(h, name, version, thema_buf_str(&params_json), started, err->msg);
    }
    lua_settop(L, base);
  }
  free(version);
  thema_buf_free(&params_json);
  return err->status;
}

int thema_host_record_failures(ThemaHost *h, ThemaError *err) {
  if (!h->nfailed) return THEMA_OK;
  if (thema_store_begin(h->st, err)) return err->status;
  char now[32];
  thema_store_now(now);
  for (int i = 0; i < h->nfailed; i++) {
    ThemaFailedRun *f = &h->failed[i];
    if (thema_store_exec(h->st, err,
                         "INSERT INTO run(plugin, version, params, started_at, finished_at,"
                         " status, message) VALUES (?,?,?,?,?,'failed',?)",
                         "tttttt", f->plugin, f->version, f->params, f->started, now,
                         f->message)) {
      thema_store_rollback(h->st);
      return err->status;
    }
  }
  return thema_store_commit(h->st, err);
}

int thema_host_run_cli(ThemaHost *h, const char *name, int argc, char **argv,
                       ThemaError *err) {
  lua_State *L = h->L;
  int base = lua_gettop(L);
  lua_newtable(L);
  for (int i = 0; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    if (!eq || eq == argv[i]) {
      thema_error_set(err, THEMA_EUSAGE, "run: expected key=value, got '%s'", argv[i]);
      goto done;
    }
    lua_pushlstring(L, argv[i], (size_t)(eq - argv[i]));
    lua_pushvalue(L, -1);
    if (lua_rawget(L, -3) != LUA_TNIL) {
      thema_error_set(err, THEMA_EUSAGE, "run: parameter '%s' is given twice",
                      lua_tostring(L, -2));
      goto done;
    }
    lua_pop(L, 1);
    lua_pushstring(L, eq + 1);
    lua_rawset(L, -3);
  }
  int64_t run_id = 0;
  if (run_plugin(h, name, base + 1, &run_id, err)) goto done;
  if (!h->opts.quiet) fprintf(stderr, "run %lld of %s: ok\n", (long long)run_id, name);
done:
  lua_settop(L, base);
  return err->status;
}

/* Lua: thema.run(name [, params]) -> run_id, result. Errors propagate to the
 * script (the run is recorded as failed either way). */
int thema_host_lua_run(lua_State *L) {
  ThemaHost *h = thema_host_from(L);
  const char *name = luaL_checkstring(L, 1);
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_newtable(L);
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  ThemaError err = {0};
  int64_t run_id = 0;
  if (run_plugin(h, name, 2, &run_id, &err)) {
    lua_pushstring(L, err.msg);
    return lua_error(L);
  }
  lua_pushinteger(L, run_id);
  lua_insert(L, -2);
  return 2;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int thema_host_list(ThemaHost *h, FILE *out, FILE *errout, ThemaError *err) {
  lua_State *L = h->L;
  (void)err;
  char **seen = NULL;
  int nseen = 0;
  for (int d = 0; d < h->nplugin_dirs; d++) {
    DIR *dir = opendir(h->plugin_dirs[d]);
    if (!dir) continue;
    char **names = NULL;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      if (e->d_name[0] == '.' || !thema_fs_has_ext(e->d_name, "lua")) continue;
      names = thema_xrealloc(names, (size_t)(n + 1) * sizeof *names);
      names[n++] = thema_xstrdup(e->d_name);
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
      char path[PATH_MAX];
      snprintf(path, sizeof path, "%s/%s", h->plugin_dirs[d], names[i]);
      char *stem = thema_fs_stem(names[i]);
      int shadowed = 0;
      for (int k = 0; k < nseen; k++) shadowed |= strcmp(seen[k], stem) == 0;
      ThemaError perr = {0};
      int base = lua_gettop(L);
      if (shadowed) {
        fprintf(errout, "thema: %s: shadowed by an earlier plugin named '%s'\n", path,
                stem);
      } else if (load_plugin(h, path, &perr)) {
        fprintf(errout, "thema: %s (skipped)\n", perr.msg);
      } else {
        seen = thema_xrealloc(seen, (size_t)(nseen + 1) * sizeof *seen);
        seen[nseen++] = thema_xstrdup(stem);
        int p = lua_gettop(L);
        lua_getfield(L, p, "version");
        lua_getfield(L, p, "description");
        fprintf(out, "%s %s — %s\n  %s\n", stem, lua_tostring(L, -2), lua_tostring(L, -1),
                path);
        lua_pop(L, 2);
        /* parameters, sorted by name */
        ThemaBuf names_buf = {0};
        param_names(L, p, &names_buf);
        lua_getfield(L, p, "params");
        const char *s = thema_buf_str(&names_buf);
        while (*s && strcmp(s, "(none)") != 0) {
          const char *comma = strstr(s, ", ");
          size_t len = comma ? (size_t)(comma - s) : strlen(s);
          char pname[256];
          snprintf(pname, sizeof pname, "%.*s", (int)len, s);
          lua_getfield(L, -1, pname);
          lua_getfield(L, -1, "type");
          lua_getfield(L, -2, "required");
          lua_getfield(L, -3, "default");
          lua_getfield(L, -4, "description");
          fprintf(out, "  %s=%s%s", pname,
                  lua_isnil(L, -4) ? "string" : lua_tostring(L, -4),
                  lua_toboolean(L, -3) ? " (required)" : "");
          if (lua_istable(L, -2)) { /* a list default: its entries, comma-separated */
            fputs(" [default ", out);
            for (lua_Integer j = 1; lua_rawgeti(L, -2, j) != LUA_TNIL; j++) {
              fprintf(out, "%s%s", j > 1 ? "," : "", luaL_tolstring(L, -1, NULL));
              lua_pop(L, 2);
            }
            lua_pop(L, 1);
            fputc(']', out);
          } else if (!lua_isnil(L, -2)) {
            fprintf(out, " [default %s]", luaL_tolstring(L, -2, NULL));
            lua_pop(L, 1);
          }
          if (lua_isstring(L, -1)) fprintf(out, " %s", lua_tostring(L, -1));
          fputc('\n', out);
          lua_pop(L, 5);
          s += len + (comma ? 2 : 0);
        }
        lua_pop(L, 1);
        thema_buf_free(&names_buf);
      }
      lua_settop(L, base);
      free(stem);
      free(names[i]);
    }
    free(names);
  }
  for (int k = 0; k < nseen; k++) free(seen[k]);
  free(seen);
  return THEMA_OK;
}
