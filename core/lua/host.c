/*
 * host.c — the Lua state behind plugins and scripts: creating it (standard
 * libraries, the run context, the sandbox), assembling the thema API from
 * the bindings, stopping a runaway chunk on Ctrl-C, and running a
 * researcher's script. Plugins and runs are lua/plugin.c's and lua/run.c's;
 * the sandbox is lua/sandbox.c's.
 *
 * The thema table: thema.store holds the store's functions and nothing
 * else, and is every plugin's ctx.store; the sub-libraries thema.text,
 * thema.out and thema.stats sit beside it with regex, matcher, import, run,
 * json, log and progress; the store's functions also stay at the top level
 * (thema.segments, thema.add_coding, ...), as aliases, for the scripts
 * written before thema.store.
 */
#include "lua/host.h"

#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "base/fs.h"
#include "lua/bind.h"
#include "lua/ctx.h"
#include "lua/paths.h"
#include "lua/plugin.h"
#include "lua/run.h"
#include "lua/sandbox.h"

struct ThemaHost {
  lua_State *L;            /* the state, sandboxed unless opts.unsafe */
  ThemaStore *st;          /* borrowed: outlives the host */
  ThemaHostOptions opts;   /* strings borrowed from the caller */
  ThemaPluginPath plugins; /* the plugin folders, in search order */
  ThemaPathPolicy paths;   /* what plugin code may read and write */
  ThemaLuaCtx ctx;         /* the run context bindings read (lua/ctx.h) */
  ThemaSandbox sandbox;    /* what require searches; the sandbox borrows it */
  char *script_dir;        /* owned: the running script's folder, NULL before one */
  ThemaRunner runner;      /* plugin runs and the failures still to record */
  ThemaMemBudget mem;      /* the allocator's budget (opts.memory_limit) */
  int64_t instructions;    /* Lua instructions run so far, counted by the hook */
  const char *stop;        /* why every Lua chunk must stop now; NULL while none */
  char stop_msg[160];      /* storage for stop */
};

/* The hook runs every HOOK_STEP instructions while all is well. */
#define HOOK_STEP 100000

static volatile sig_atomic_t interrupted;

/* The first Ctrl-C asks the running chunk to stop (its transaction is rolled
 * back and the failure recorded); a second one ends the process at once, as
 * if thema did not catch it (the store's journal keeps it whole). */
static void on_sigint(int sig) {
  if (interrupted) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  interrupted = 1;
}

/* Every HOOK_STEP instructions: count them against the budget, and notice
 * Ctrl-C. Once either says stop, the stop is sticky and pcall cannot
 * swallow it: the hook fires on every instruction of every thread from then
 * on and raises each time, so each protected call that catches it is left
 * at its caller's next instruction, until the error reaches the host. */
static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  ThemaHost *h = *(ThemaHost **)lua_getextraspace(L);
  if (!h->stop) {
    h->instructions += HOOK_STEP;
    if (interrupted) {
      h->stop = "interrupted";
    } else if (h->opts.max_instructions && h->instructions > h->opts.max_instructions) {
      snprintf(h->stop_msg, sizeof h->stop_msg,
               "stopped after %lld Lua instructions, the budget of this command "
               "(--max-instructions N raises it, 0 lifts it)",
               (long long)h->opts.max_instructions);
      h->stop = h->stop_msg;
    }
    if (!h->stop) return;
    lua_sethook(h->L, count_hook, LUA_MASKCOUNT, 1);
  }
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  luaL_error(L, "%s", h->stop);
}

/* The `thema` table: the API shared by scripts and plugins. */
static void build_api(ThemaHost *h) {
  lua_State *L = h->L;
  lua_newtable(L);
  lua_pushliteral(L, THEMA_VERSION);
  lua_setfield(L, -2, "version");
  /* thema.store: the store alone, which is also every plugin's ctx.store. */
  lua_newtable(L);
  thema_bind_store(L);
  thema_bind_group(L); /* get_grouping, get_groups, get_segments_by */
  /* The flat names predate thema.store: the same functions, so that scripts
   * written against them keep working. */
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, -5);
  }
  lua_setfield(L, -2, "store");
  thema_bind_rx(L);
  thema_bind_text(L);
  thema_bind_matcher(L);
  thema_bind_stats(L);
  thema_bind_qca(L);
  lua_pushcfunction(L, thema_ctx_input_error);
  lua_setfield(L, -2, "input_error");
  thema_bind_graph(L);
  thema_bind_csv(L);
  thema_bind_source(L);
  thema_bind_compare(L);
  thema_bind_corpus(L);
  thema_bind_ingest(L);
  thema_bind_output(L, h->opts.out_root);
  thema_bind_themes(L); /* thema.corpus.themes: after any other part of thema.corpus */
  thema_runner_bind(L, &h->runner);
  /* require("thema") and the global `thema` are the same table. */
  thema_sandbox_provide(L, "thema");
}

ThemaHost *thema_host_new(ThemaStore *st, const ThemaHostOptions *opts, ThemaError *err) {
  ThemaHost *h = thema_xcalloc(1, sizeof *h);
  h->st = st;
  h->opts = *opts;
  if (!h->opts.out_root) h->opts.out_root = "out";
  if (thema_fs_mkdirs(h->opts.out_root) != 0) {
    thema_error_set(err, THEMA_EINPUT, "%s: cannot create the output folder: %s",
                    h->opts.out_root, strerror(errno));
    free(h);
    return NULL;
  }
  /* Plugin folders: THEMA_PLUGIN_PATH first, so a researcher can override a
   * shipped plugin, then the project's own plugins/. */
  thema_plugin_path_init(&h->plugins, opts->plugin_path, opts->root);
  thema_paths_init(&h->paths, h->opts.out_root, opts->unsafe);
  thema_paths_add_read_root(&h->paths, ".");
  thema_paths_add_read_root(&h->paths, opts->root);
  for (int i = 0; i < opts->nread_files; i++)
    thema_paths_add_read_root(&h->paths, opts->read_files[i]);
  for (int i = 0; i < h->plugins.ndirs; i++)
    thema_paths_add_read_root(&h->paths, h->plugins.dirs[i]);
  h->ctx = (ThemaLuaCtx){.st = st,
                         .quiet = opts->quiet,
                         .verbose = opts->verbose,
                         .paths = &h->paths,
                         .allow_replace = opts->allow_replace,
                         .mem = &h->mem,
                         .excel = opts->excel,
                         .xlsx = opts->xlsx};
  h->sandbox = (ThemaSandbox){
      .lib_dirs = h->plugins.dirs, .nlib_dirs = h->plugins.ndirs, .unsafe = opts->unsafe};
  thema_runner_init(&h->runner, &h->ctx, &h->plugins, h->opts.out_root);

  h->L = luaL_newstate();
  if (!h->L) abort();
  lua_State *L = h->L;
  /* The memory budget: Lua's allocator is realloc and free, as ours is, so
   * it can take over a live state; it starts from what the state holds. */
  h->mem.limit = opts->memory_limit;
  h->mem.used = (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
  lua_setallocf(L, thema_budget_alloc, &h->mem);
  *(ThemaHost **)lua_getextraspace(L) = h; /* copied into every new thread */
  luaL_openlibs(L);
  thema_ctx_set(L, &h->ctx);
  /* Same seed every run: results a researcher reads must be reproducible. */
  (void)luaL_dostring(L, "math.randomseed(0)");
  thema_sandbox_open(L, &h->sandbox);
  build_api(h);
  interrupted = 0;
  signal(SIGINT, on_sigint);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
  return h;
}

void thema_host_free(ThemaHost *h) {
  if (!h) return;
  if (h->L) lua_close(h->L);
  thema_runner_free(&h->runner);
  thema_plugin_path_free(&h->plugins);
  thema_paths_free(&h->paths);
  free(h->script_dir);
  signal(SIGINT, SIG_DFL);
  free(h);
}

int thema_host_list(ThemaHost *h, FILE *out, FILE *errout, ThemaError *err) {
  return thema_plugin_list(h->L, &h->plugins, out, errout, err);
}

int thema_host_run_cli(ThemaHost *h, const char *name, int argc, char **argv,
                       int64_t *run_id, ThemaError *err) {
  return thema_runner_cli(h->L, &h->runner, name, argc, argv, run_id, err);
}

int thema_host_record_failures(ThemaHost *h, ThemaError *err) {
  return thema_runner_record_failures(&h->runner, err);
}

int thema_host_script(ThemaHost *h, const char *file, int argc, char **argv,
                      ThemaError *err) {
  lua_State *L = h->L;
  int base = lua_gettop(L);
  /* The script's folder: readable, and searched by require. */
  const char *slash = strrchr(file, '/');
  char *dir = slash ? thema_xstrndup(file, (size_t)(slash - file)) : thema_xstrdup(".");
  thema_paths_add_read_root(&h->paths, dir);
  free(h->script_dir);
  h->script_dir = dir;
  h->sandbox.script_dir = dir;
  lua_pushcfunction(L, thema_ctx_handle_error);
  if (thema_sandbox_load_file(L, file) != LUA_OK) {
    thema_error_set(err, THEMA_EINPUT, "%s", lua_tostring(L, -1));
    goto done;
  }
  /* arg: the script's arguments, as the lua command gives them, in the
   * script's own globals. */
  lua_getupvalue(L, -1, 1);
  lua_createtable(L, argc, 1);
  lua_pushstring(L, file);
  lua_rawseti(L, -2, 0);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "arg");
  lua_pop(L, 1);
  luaL_checkstack(L, argc, "too many script arguments");
  for (int i = 0; i < argc; i++) lua_pushstring(L, argv[i]);
  int ok = lua_pcall(L, argc, 0, base + 1) == LUA_OK;
  if (!ok) {
    thema_error_set(err, thema_ctx_take_input_error(L) ? THEMA_EINPUT : THEMA_ERUNTIME,
                    "%s", lua_tostring(L, -1));
    thema_ctx_note_limits(L, err);
  }
  /* The script's files still open are published only if it succeeded. */
  thema_bind_output_finish(L, 0, ok, err);
done:
  lua_settop(L, base);
  return err->status;
}
