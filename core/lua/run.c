/*
 * run.c — the run lifecycle (see run.h). One run:
 *
 *   find and load the plugin, check its parameters  (errors: nothing recorded)
 *   hash its inputs, SAVEPOINT run<depth>, insert the run as running
 *   call run(ctx, params) under lua_pcall
 *   success: delete the codings of the plugin's earlier ok runs, mark those
 *            replaced, hash the inputs again (a plugin may import its own
 *            codebook), mark this run ok, RELEASE
 *   failure: ROLLBACK TO the savepoint, remember the failure; it is recorded
 *            once the command's transaction has ended, so that rolling that
 *            transaction back cannot take the record with it
 *
 * Every statement on table run is in store/run.c, the codings' in
 * store/coding.c.
 */
#include "lua/run.h"

#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lua/args.h"
#include "lua/bind.h"
#include "lua/json.h"
#include "lua/sandbox.h"
#include "store/coding.h"
#include "store/run.h"

void thema_runner_init(ThemaRunner *r, ThemaLuaCtx *ctx, const ThemaPluginPath *plugins,
                       const char *out_root) {
  memset(r, 0, sizeof *r);
  r->ctx = ctx;
  r->plugins = plugins;
  r->out_root = out_root;
  r->api_ref = LUA_NOREF;
}

static void forget_failures(ThemaRunner *r) {
  for (int i = 0; i < r->nfailed; i++) {
    ThemaFailedRun *f = &r->failed[i];
    free(f->plugin);
    free(f->version);
    free(f->params);
    free(f->started);
    free(f->message);
  }
  free(r->failed);
  r->failed = NULL;
  r->nfailed = 0;
}

void thema_runner_free(ThemaRunner *r) { forget_failures(r); }

static void remember_failure(ThemaRunner *r, const char *plugin, const char *version,
                             const char *params, const char *started, const char *msg) {
  r->failed = thema_xrealloc(r->failed, (size_t)(r->nfailed + 1) * sizeof *r->failed);
  ThemaFailedRun *f = &r->failed[r->nfailed++];
  f->plugin = thema_xstrdup(plugin);
  f->version = thema_xstrdup(version ? version : "");
  f->params = thema_xstrdup(params ? params : "{}");
  f->started = thema_xstrdup(started);
  f->message = thema_xstrdup(msg);
}

/* Push the ctx table a plugin's run receives. */
static void push_ctx(lua_State *L, const ThemaRunner *r, const char *name, int64_t run_id,
                     const char *outdir) {
  lua_createtable(L, 0, 7);
  lua_pushinteger(L, run_id);
  lua_setfield(L, -2, "run_id");
  lua_pushstring(L, name);
  lua_setfield(L, -2, "plugin");
  lua_pushstring(L, outdir);
  lua_setfield(L, -2, "output_dir");
  thema_bind_push_output(L, outdir);
  lua_setfield(L, -2, "out");
  /* store, log and progress: the run's own copy of the thema table's (see
   * thema_sandbox_enter), so that ctx.store is thema.store and nothing else
   * of the API */
  (void)r;
  thema_sandbox_push_api(L, "thema");
  static const char *const shared[] = {"store", "log", "progress", NULL};
  for (int i = 0; shared[i]; i++) {
    lua_pushstring(L, shared[i]);
    lua_rawget(L, -2);
    lua_setfield(L, -3, shared[i]);
  }
  lua_pop(L, 1);
}

int thema_runner_run(lua_State *L, ThemaRunner *r, const char *name, int given,
                     int64_t *run_id, ThemaError *err) {
  ThemaStore *st = r->ctx->st;
  given = lua_absindex(L, given);
  int base = lua_gettop(L);
  char started[32] = "", savepoint[32] = "", input[65] = "", codebook[65] = "";
  ThemaBuf params_json = {0};
  const char *version = NULL;
  int in_savepoint = 0, entered = 0, writers = 0;
  /* Until the savepoint, everything lives on the Lua stack: a raise from
   * plugin code (a default's __tostring, say) leaks nothing. */
  char *found = thema_plugin_find(r->plugins, name, err);
  if (!found) goto done;
  lua_pushstring(L, found); /* base + 1 */
  free(found);
  const char *path = lua_tostring(L, base + 1);
  /* A sandbox of its own: nothing an earlier plugin (or the script) did to
   * its globals, libraries or thema table reaches this one, and nothing this
   * one does reaches the next. */
  thema_sandbox_enter(L);
  entered = 1;
  if (thema_plugin_load(L, path, err)) goto done;
  int plugin = base + 2;
  lua_pushliteral(L, "version");
  lua_rawget(L, plugin); /* base + 3, a string: checked at load */
  version = lua_tostring(L, base + 3);
  if (thema_plugin_check_params(L, plugin, given, name, err)) goto done;
  int params = base + 4;
  if (thema_json_encode(L, params, &params_json, err)) goto done;
  if (thema_run_hash_inputs(st, input, codebook, err)) goto done;
  thema_store_now(started);
  snprintf(savepoint, sizeof savepoint, "run%d", r->depth);
  if (thema_store_savepoint(st, savepoint, err)) goto done;
  in_savepoint = 1;
  ThemaRunRow row = {.plugin = name,
                     .version = version,
                     .params = thema_buf_str(&params_json),
                     .input_hash = input,
                     .codebook_hash = codebook,
                     .started_at = started};
  if (thema_run_begin(st, &row, run_id, err)) goto done;
  const char *outdir = lua_pushfstring(L, "%s/%s", r->out_root, name); /* base + 5 */
  if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot create the output folder: %s", outdir,
                    strerror(errno));
    goto done;
  }
  int64_t outer_run = r->ctx->run_id;
  const char *outer_plugin = r->ctx->run_plugin;
  r->ctx->run_id = *run_id;
  r->ctx->run_plugin = name;
  r->depth++;
  writers = 1;
  lua_pushcfunction(L, thema_ctx_handle_error); /* base + 6 */
  lua_pushliteral(L, "run");
  lua_rawget(L, plugin);
  push_ctx(L, r, name, *run_id, outdir);
  lua_pushvalue(L, params);
  int rc = lua_pcall(L, 2, 1, base + 6);
  r->depth--;
  r->ctx->run_id = outer_run;
  r->ctx->run_plugin = outer_plugin;
  if (rc != LUA_OK) {
    int status = thema_ctx_take_input_error(L) ? THEMA_EINPUT : THEMA_ERUNTIME;
    thema_error_set(err, status, "%s: %s", name, lua_tostring(L, -1));
    thema_ctx_note_limits(L, err);
    goto done;
  }
  /* The files the plugin left open are published now; one that cannot be
   * written whole (a full disk) fails the run. */
  writers = 0;
  if (thema_bind_output_finish(L, *run_id, 1, err)) {
    ThemaError named = {0};
    thema_error_set(&named, THEMA_ERUNTIME, "%s: %s", name, err->msg);
    *err = named;
    goto done;
  }
  char finished[32];
  thema_store_now(finished);
  /* Success: only now do the plugin's earlier results give way. */
  if (thema_coding_delete_superseded(st, name, *run_id, err) ||
      thema_run_supersede(st, name, *run_id, err) ||
      thema_run_hash_inputs(st, input, codebook, err) ||
      thema_run_finish(st, *run_id, finished, input, codebook, err) ||
      thema_store_release(st, savepoint, err))
    goto done;
  in_savepoint = 0;
  lua_replace(L, base + 1);
  lua_settop(L, base + 1);
done:
  if (writers) thema_bind_output_finish(L, *run_id, 0, &(ThemaError){0});
  if (entered) thema_sandbox_leave(L);
  if (err->status) {
    if (in_savepoint) {
      thema_store_rollback_to(st, savepoint);
      remember_failure(r, name, version, thema_buf_str(&params_json), started, err->msg);
    }
    lua_settop(L, base);
  }
  thema_buf_free(&params_json);
  return err->status;
}

/* The protected part of thema_runner_cli; upvalue 1 the runner, arguments:
 * the name, the parameter table, the run id and the error (light userdata). */
static int run_cli_protected(lua_State *L) {
  ThemaRunner *r = lua_touserdata(L, lua_upvalueindex(1));
  int64_t *run_id = lua_touserdata(L, 3);
  ThemaError *err = lua_touserdata(L, 4);
  thema_runner_run(L, r, lua_tostring(L, 1), 2, run_id, err);
  return 0;
}

int thema_runner_cli(lua_State *L, ThemaRunner *r, const char *name, int argc, char **argv,
                     int64_t *run_id, ThemaError *err) {
  int base = lua_gettop(L);
  lua_pushcfunction(L, thema_ctx_handle_error); /* base + 1 */
  lua_pushlightuserdata(L, r);
  lua_pushcclosure(L, run_cli_protected, 1);
  lua_pushstring(L, name);
  lua_newtable(L);
  int given = lua_gettop(L);
  for (int i = 0; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    if (!eq || eq == argv[i]) {
      thema_error_set(err, THEMA_EUSAGE, "run: expected key=value, got '%s'", argv[i]);
      goto done;
    }
    lua_pushlstring(L, argv[i], (size_t)(eq - argv[i]));
    lua_pushvalue(L, -1);
    if (lua_rawget(L, given) != LUA_TNIL) {
      thema_error_set(err, THEMA_EUSAGE, "run: parameter '%s' is given twice",
                      lua_tostring(L, -2));
      goto done;
    }
    lua_pop(L, 1);
    lua_pushstring(L, eq + 1);
    lua_rawset(L, given);
  }
  *run_id = 0;
  lua_pushlightuserdata(L, run_id);
  lua_pushlightuserdata(L, err);
  if (lua_pcall(L, 4, 0, base + 1) != LUA_OK)
    thema_error_set(err, THEMA_ERUNTIME, "%s: %s", name, lua_tostring(L, -1));
done:
  lua_settop(L, base);
  return err->status;
}

/* Lua: thema.run(name [, params]) -> run_id, result. Errors propagate to the
 * caller (the run is recorded as failed either way). */
static int runner_run(lua_State *L) {
  ThemaRunner *r = lua_touserdata(L, lua_upvalueindex(1));
  const char *name = luaL_checkstring(L, 1);
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_newtable(L);
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  ThemaError err = {0};
  int64_t run_id = 0;
  if (thema_runner_run(L, r, name, 2, &run_id, &err)) thema_lua_raise_if(L, &err);
  lua_pushinteger(L, run_id);
  lua_insert(L, -2);
  return 2;
}

void thema_runner_bind(lua_State *L, ThemaRunner *r) {
  lua_pushvalue(L, -1);
  r->api_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, r);
  lua_pushcclosure(L, runner_run, 1);
  lua_setfield(L, -2, "run");
}

int thema_runner_record_failures(ThemaRunner *r, ThemaError *err) {
  if (!r->nfailed) return THEMA_OK;
  ThemaStore *st = r->ctx->st;
  if (thema_store_begin(st, err)) return err->status;
  char now[32];
  thema_store_now(now);
  for (int i = 0; i < r->nfailed; i++) {
    const ThemaFailedRun *f = &r->failed[i];
    ThemaRunRow row = {.plugin = f->plugin,
                       .version = f->version,
                       .params = f->params,
                       .started_at = f->started,
                       .finished_at = now,
                       .message = f->message};
    if (thema_run_add_failed(st, &row, err)) {
      thema_store_rollback(st);
      return err->status;
    }
  }
  if (thema_store_commit(st, err)) return err->status;
  forget_failures(r);
  return THEMA_OK;
}
