/*
 * run.h — a plugin run, from the host's side: the run record, a savepoint
 * per nesting depth (so a failed run keeps none of its writes, even inside
 * a script that goes on), the replacement of the plugin's earlier results
 * only once the run has succeeded, and the failures to record after the
 * command's transaction is rolled back. thema.run gives scripts the same.
 */
#ifndef THEMA_LUA_RUN_H
#define THEMA_LUA_RUN_H

#include <lua.h>
#include <stdint.h>

#include "base/thema.h"
#include "lua/ctx.h"
#include "lua/plugin.h"

/* A run that failed inside the command's transaction, kept in memory to be
 * recorded once that transaction is rolled back. */
typedef struct ThemaFailedRun {
  char *plugin;  /* owned: the plugin's name */
  char *version; /* owned: its version */
  char *params;  /* owned: the checked parameters as JSON */
  char *started; /* owned: when the run started (ISO 8601 UTC) */
  char *message; /* owned: the error, as reported */
} ThemaFailedRun;

/* The state of plugin runs in one Lua state. The names are thema_runner_*:
 * thema_run_* belong to the store's table run (store/run.h). */
typedef struct ThemaRunner {
  ThemaLuaCtx *ctx;               /* borrowed: the store; run_id and run_plugin are set
                                     while a run is in progress */
  const ThemaPluginPath *plugins; /* borrowed: where plugins are found */
  const char *out_root;           /* borrowed: a run writes in out_root/PLUGIN */
  int api_ref;                    /* registry reference to the thema table (ctx.store,
                                     ctx.log, ctx.progress), LUA_NOREF until bound */
  int depth;                      /* runs in progress: the savepoint is run<depth> */
  ThemaFailedRun *failed;         /* owned: failed runs not recorded yet */
  int nfailed;                    /* entries of failed */
} ThemaRunner;

/* Set up r; everything given is borrowed and must outlive r. */
void thema_runner_init(ThemaRunner *r, ThemaLuaCtx *ctx, const ThemaPluginPath *plugins,
                       const char *out_root);
/* Release the failures not recorded (the Lua state keeps the reference). */
void thema_runner_free(ThemaRunner *r);

/* Add run to the thema table at the top of the stack (thema.run(name
 * [, params]) -> run_id, result) and keep that table for the ctx of runs;
 * r must outlive L. */
void thema_runner_bind(lua_State *L, ThemaRunner *r);

/* Run plugin name with the parameter table at index given as a recorded
 * run. On success push what its run function returned and set *run_id; on
 * failure nothing is pushed, err says why, and a run that had started is
 * rolled back to its savepoint and remembered for
 * thema_runner_record_failures. */
int thema_runner_run(lua_State *L, ThemaRunner *r, const char *name, int given,
                     int64_t *run_id, ThemaError *err);

/* thema_runner_run with parameters from "key=value" words (argv[0..argc)),
 * the way `thema run` gives them; a Lua error raised on the way (by plugin
 * code outside its run) is caught and reported. */
int thema_runner_cli(lua_State *L, ThemaRunner *r, const char *name, int argc, char **argv,
                     int64_t *run_id, ThemaError *err);

/* Record the failed runs remembered so far in a transaction of its own (call
 * it after the command's transaction has ended), then forget them. */
int thema_runner_record_failures(ThemaRunner *r, ThemaError *err);

#endif
