/*
 * cli.h — the command line's shared state and the command table. Each
 * command lives in a cmd_*.c file, parses its own arguments, and returns a
 * status; only main.c prints errors and exits.
 */
#ifndef THEMA_CLI_H
#define THEMA_CLI_H

#include <stdio.h>

#include "base/thema.h"
#include "store/store.h"

typedef struct ThemaCli {
  const char *db;    /* --db FILE, default thema.db */
  int quiet;         /* --quiet: no progress on stderr */
  int verbose;       /* --verbose: tracebacks for plugin errors */
  int unsafe;        /* --unsafe: lift the plugin sandbox */
  int excel;         /* --excel: CSV for a spreadsheet (export/table.h) */
  int xlsx;          /* --xlsx: plugins' tables also as workbooks */
  const char *root;  /* where plugins/ lives (the install or source tree) */
  const char *out;   /* --out DIR: output root for plugins and scripts */
  int allow_replace; /* --allow-replace: plugins may delete what they did not make */
  long long max_instructions; /* --max-instructions N; -1 until given (the default) */
  long long memory_limit_mb;  /* --memory-limit MB; -1 until given (the default) */
  char *const *read_files;    /* files a Lua importer may read (thema import NAME) */
  int nread_files;
} ThemaCli;

typedef int (*ThemaCommandFn)(ThemaCli *cli, int argc, char **argv, ThemaError *err);

typedef struct ThemaCommand {
  const char *name;  /* as typed */
  ThemaCommandFn fn; /* argv[0] is the command name */
  const char *usage; /* one line: "import KIND FILE..." */
  const char *help;  /* the whole --help text after the usage line */
} ThemaCommand;

int thema_cmd_init(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_import(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_query(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_kwic(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_stats(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_export(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_run(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_script(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_plugins(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_codebook(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_freq(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_keyness(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_collocations(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_segment(ThemaCli *cli, int argc, char **argv, ThemaError *err);
int thema_cmd_memo(ThemaCli *cli, int argc, char **argv, ThemaError *err);
/* The REFI-QDA exports (cmd_qda.c): 1 when the export arguments ask for one
 * (qdpx, qdc, codebook --format qdc), which thema_cmd_qda_export then writes. */
int thema_cmd_qda_wanted(int argc, char **argv);
int thema_cmd_qda_export(ThemaCli *cli, int argc, char **argv, ThemaError *err);

/* 1 when argv asks for --help. */
int thema_cli_wants_help(int argc, char **argv);

/* The value after option argv[*i] ("--width 40" or "--width=40"); advances *i.
 * Returns NULL (and sets a usage error) when it is missing. */
const char *thema_cli_value(int argc, char **argv, int *i, const char *name,
                            ThemaError *err);
/* 1 when argv[i] is option name, with or without "=value". */
int thema_cli_is(const char *arg, const char *name);

/* Open the store for a command: must exist unless create is set. */
int thema_cli_open(ThemaCli *cli, int flags, ThemaStore **st, ThemaError *err);

/* Progress on stderr when it is a terminal and --quiet is off. */
void thema_cli_progress(const ThemaCli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void thema_cli_progress_done(const ThemaCli *cli);

#endif
