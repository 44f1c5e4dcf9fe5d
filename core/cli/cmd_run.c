/*
 * cmd_run.c — "run PLUGIN key=value...", "script FILE.lua [args]" and
 * "plugins": the commands that go through the Lua host. Each runs in one
 * transaction; a failed plugin run is recorded as failed after the rollback.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lua/host.h"

static void host_options(const ThemaCli *cli, ThemaHostOptions *o) {
  memset(o, 0, sizeof *o);
  o->root = cli->root;
  o->plugin_path = getenv("THEMA_PLUGIN_PATH");
  o->out_root = cli->out ? cli->out : "out";
  o->unsafe = cli->unsafe;
  o->verbose = cli->verbose;
  o->read_files = cli->read_files;
  o->excel = cli->excel;
  o->xlsx = cli->xlsx;
  o->nread_files = cli->nread_files;
  o->quiet = cli->quiet;
  o->allow_replace = cli->allow_replace;
  o->max_instructions =
      cli->max_instructions >= 0 ? cli->max_instructions : THEMA_HOST_MAX_INSTRUCTIONS;
  o->memory_limit = (size_t)(cli->memory_limit_mb >= 0 ? cli->memory_limit_mb
                                                       : THEMA_HOST_MEMORY_LIMIT_MB)
                    << 20;
}

/* Open the store and the host, run fn in one transaction, commit or roll
 * back, then record any failed runs. */
typedef int (*HostFn)(ThemaHost *h, const ThemaCli *cli, int argc, char **argv,
                      ThemaError *err);

static int with_host(ThemaCli *cli, int argc, char **argv, HostFn fn, int writes,
                     ThemaError *err) {
  ThemaStore *st = NULL;
  ThemaHost *h = NULL;
  ThemaHostOptions o;
  host_options(cli, &o);
  if (thema_cli_open(cli, writes ? THEMA_STORE_CREATE : 0, &st, err)) goto done;
  if (!(h = thema_host_new(st, &o, err))) goto done;
  if (writes && thema_store_begin(st, err)) goto done;
  if (fn(h, cli, argc, argv, err) == THEMA_OK) {
    thema_store_commit(st, err);
    thema_host_record_failures(h, &(ThemaError){0}); /* failed runs a script caught */
  } else {
    thema_store_rollback(st);
    ThemaError rec = {0};
    thema_host_record_failures(h, &rec);
  }
done:
  thema_host_free(h); /* closes the Lua state, and with it any open cursors */
  thema_store_close(st);
  return err->status;
}

static int do_run(ThemaHost *h, const ThemaCli *cli, int argc, char **argv,
                  ThemaError *err) {
  int64_t run_id = 0;
  if (thema_host_run_cli(h, argv[0], argc - 1, argv + 1, &run_id, err)) return err->status;
  if (!cli->quiet) fprintf(stderr, "run %lld of %s: ok\n", (long long)run_id, argv[0]);
  return THEMA_OK;
}

static int do_script(ThemaHost *h, const ThemaCli *cli, int argc, char **argv,
                     ThemaError *err) {
  (void)cli;
  return thema_host_script(h, argv[0], argc - 1, argv + 1, err);
}

int thema_cmd_run(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  if (argc < 2 || argv[1][0] == '-')
    return thema_error_set(err, THEMA_EUSAGE, "usage: thema run PLUGIN [key=value ...]");
  return with_host(cli, argc - 1, argv + 1, do_run, 1, err);
}

int thema_cmd_script(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  if (argc < 2)
    return thema_error_set(err, THEMA_EUSAGE, "usage: thema script FILE.lua [args ...]");
  return with_host(cli, argc - 1, argv + 1, do_script, 1, err);
}

static int do_list(ThemaHost *h, const ThemaCli *cli, int argc, char **argv,
                   ThemaError *err) {
  (void)cli;
  (void)argc;
  (void)argv;
  return thema_host_list(h, stdout, stderr, err);
}

int thema_cmd_plugins(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  if (argc > 1)
    return thema_error_set(err, THEMA_EUSAGE, "plugins: unexpected argument '%s'", argv[1]);
  /* Listing needs no store: use an in-memory one so it works anywhere. */
  ThemaCli mem = *cli;
  mem.db = ":memory:";
  return with_host(&mem, argc, argv, do_list, 0, err);
}
