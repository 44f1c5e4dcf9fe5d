/*
 * host.h — the Lua plugin host: one sandboxed Lua state bound to one store,
 * plugin discovery and metadata checks, parameter validation, run records,
 * and researchers' scripts. Commands (cmd_run.c) drive it; bind_*.c files
 * reach the host's state through thema_host_from.
 */
#ifndef THEMA_HOST_H
#define THEMA_HOST_H

#include <lua.h>
#include <stdint.h>
#include <stdio.h>

#include "base/thema.h"
#include "lua/ctx.h"
#include "lua/paths.h"
#include "store/store.h"

typedef struct ThemaHostOptions {
  const char *root;        /* project root holding plugins/ (and plugins/lib/) */
  const char *plugin_path; /* extra plugin folders, ':'-separated, searched first */
  const char *out_root;    /* output root; a plugin run writes in out_root/<plugin> */
  int unsafe;              /* lift the sandbox (os.execute, io.popen, any file) */
  int verbose;             /* tracebacks with plugin errors */
  int quiet;               /* no log or progress on stderr */
} ThemaHostOptions;

/* A run that failed inside a larger transaction: kept in memory so that it
 * can be recorded after that transaction is rolled back. */
typedef struct ThemaFailedRun {
  char *plugin, *version, *params, *started, *message; /* owned */
} ThemaFailedRun;

typedef struct ThemaHost {
  lua_State *L;          /* the state, sandboxed unless opts.unsafe */
  ThemaStore *st;        /* borrowed: outlives the host */
  ThemaHostOptions opts; /* strings borrowed from the caller */
  char **plugin_dirs;    /* owned; search order */
  int nplugin_dirs;
  ThemaPathPolicy paths;  /* what plugin code may read and write */
  ThemaLuaCtx ctx;        /* the run context bindings read (lua/ctx.h) */
  char *script_dir;       /* owned; the running script's folder (for require) */
  int depth;              /* nesting of plugin runs (savepoint names) */
  ThemaFailedRun *failed; /* owned; failed runs to record */
  int nfailed;
} ThemaHost;

/* Create the host and its Lua state. The caller owns the result. */
ThemaHost *thema_host_new(ThemaStore *st, const ThemaHostOptions *opts, ThemaError *err);
void thema_host_free(ThemaHost *h);
/* The host a Lua state belongs to. */
ThemaHost *thema_host_from(lua_State *L);

/* `thema plugins`: every plugin found, with its metadata, on out; broken
 * plugins are reported on errout with their path and what is wrong. */
int thema_host_list(ThemaHost *h, FILE *out, FILE *errout, ThemaError *err);

/* Run plugin name with "key=value" arguments from the command line. */
int thema_host_run_cli(ThemaHost *h, const char *name, int argc, char **argv,
                       ThemaError *err);

/* Run a researcher's script with arg = {[0] = file, ...}. */
int thema_host_script(ThemaHost *h, const char *file, int argc, char **argv,
                      ThemaError *err);

/* Record the runs that failed inside a rolled-back transaction (opens and
 * commits its own transaction). */
int thema_host_record_failures(ThemaHost *h, ThemaError *err);

/* Lua: thema.run(name, params) -> run_id, result (used by scripts). */
int thema_host_lua_run(lua_State *L);

/* Whether path may be opened for writing (1) or reading (0) by plugin code. */
int thema_host_path_allowed(ThemaHost *h, const char *path, int write);

#endif
