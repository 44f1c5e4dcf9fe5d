/*
 * host.h — the Lua host the commands drive (cli/cmd_run.c): one sandboxed
 * Lua state bound to one store, with the thema API, that runs plugins as
 * recorded runs, runs researchers' scripts and lists the plugins it finds.
 * What it is made of lives in lua/sandbox.h, lua/plugin.h and lua/run.h;
 * bindings never see the host (they read lua/ctx.h).
 */
#ifndef THEMA_HOST_H
#define THEMA_HOST_H

#include <stdint.h>
#include <stdio.h>

#include "base/thema.h"
#include "store/store.h"

typedef struct ThemaHostOptions {
  const char *root;         /* project root holding plugins/ (and plugins/lib/) */
  const char *plugin_path;  /* extra plugin folders, ':'-separated, searched first */
  const char *out_root;     /* output root; a plugin run writes in out_root/<plugin> */
  int unsafe;               /* lift the sandbox (os.execute, io.popen, any file) */
  int verbose;              /* tracebacks with plugin errors */
  int quiet;                /* no log or progress on stderr */
  int allow_replace;        /* --allow-replace: plugin runs may delete or replace what
                              they did not create (see lua/ctx.h) */
  int64_t max_instructions; /* Lua instructions the command may run, 0 for no limit */
  size_t memory_limit;      /* bytes the Lua state may hold, 0 for no limit */
  int excel;                /* --excel: CSV writers write for a spreadsheet */
  int xlsx;                 /* --xlsx: every CSV a plugin writes also as .xlsx */
  /* Files the code may read besides the project's folders: those given to
   * `thema import NAME FILE...` for an importer written in Lua. */
  char *const *read_files;
  int nread_files;
} ThemaHostOptions;

/* The defaults the command line gives (--max-instructions, --memory-limit):
 * far above what the shipped plugins need on a 1 GB corpus (their heavy work
 * runs in C), low enough that a runaway plugin stops within minutes and
 * before it takes the machine's memory. */
#define THEMA_HOST_MAX_INSTRUCTIONS ((int64_t)20000000000)
#define THEMA_HOST_MEMORY_LIMIT_MB 4096

typedef struct ThemaHost ThemaHost;

/* Create the host and its Lua state, creating the output root. The caller
 * owns the result and frees it with thema_host_free; st and the strings of
 * opts are borrowed and must outlive it. NULL (and err set) on failure. */
ThemaHost *thema_host_new(ThemaStore *st, const ThemaHostOptions *opts, ThemaError *err);
/* Close the Lua state (and with it any open cursors) and free the host. */
void thema_host_free(ThemaHost *h);

/* `thema plugins`: every plugin found, with its metadata, on out; broken
 * plugins are reported on errout with their path and what is wrong. */
int thema_host_list(ThemaHost *h, FILE *out, FILE *errout, ThemaError *err);

/* Run plugin name with "key=value" arguments from the command line; its run
 * id into *run_id. */
int thema_host_run_cli(ThemaHost *h, const char *name, int argc, char **argv,
                       int64_t *run_id, ThemaError *err);

/* Run a researcher's script with arg = {[0] = file, ...}. */
int thema_host_script(ThemaHost *h, const char *file, int argc, char **argv,
                      ThemaError *err);

/* Record the runs that failed inside a rolled-back transaction (opens and
 * commits its own transaction). */
int thema_host_record_failures(ThemaHost *h, ThemaError *err);

#endif
