/*
 * cmd_qda.c — the REFI-QDA exports: "export qdpx FILE", "export qdc FILE"
 * and "export codebook --format qdc [--output FILE]". cmd_export.c hands
 * these over; the imports are kinds of `thema import` (ingest/kinds.c).
 */
#include <string.h>

#include "cli/cli.h"
#include "export/qdc.h"
#include "export/qdpx.h"

/* The first argument after the command that is no option (nor an option's
 * value), or NULL. */
static const char *first_word(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (thema_cli_is(argv[i], "--format") || thema_cli_is(argv[i], "--output") ||
        strcmp(argv[i], "-o") == 0) {
      if (!strchr(argv[i], '=')) i++;
      continue;
    }
    if (argv[i][0] != '-') return argv[i];
  }
  return NULL;
}

int thema_cmd_qda_wanted(int argc, char **argv) {
  const char *what = first_word(argc, argv);
  if (!what) return 0;
  if (strcmp(what, "qdpx") == 0 || strcmp(what, "qdc") == 0) return 1;
  if (strcmp(what, "codebook") != 0) return 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--format=qdc") == 0) return 1;
    if (strcmp(a, "--format") == 0 && i + 1 < argc && strcmp(argv[i + 1], "qdc") == 0)
      return 1;
  }
  return 0;
}

int thema_cmd_qda_export(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *what = NULL, *file = NULL, *format = NULL;
  for (int i = 1; i < argc && !err->status; i++) {
    if (thema_cli_is(argv[i], "--format"))
      format = thema_cli_value(argc, argv, &i, "--format", err);
    else if (thema_cli_is(argv[i], "--output") || strcmp(argv[i], "-o") == 0)
      file = thema_cli_value(argc, argv, &i, "--output", err);
    else if (argv[i][0] == '-' && argv[i][1])
      thema_error_set(err, THEMA_EUSAGE, "export: unknown option '%s'", argv[i]);
    else if (!what)
      what = argv[i];
    else if (!file)
      file = argv[i];
    else
      thema_error_set(err, THEMA_EUSAGE, "export: unexpected argument '%s'", argv[i]);
  }
  if (err->status) return err->status;
  int project = strcmp(what, "qdpx") == 0;
  if (format && !(strcmp(what, "codebook") == 0 && strcmp(format, "qdc") == 0))
    return thema_error_set(err, THEMA_EUSAGE, "export %s: takes no --format", what);
  if (!file && strcmp(what, "codebook") == 0)
    return thema_error_set(err, THEMA_EUSAGE,
                           "usage: thema export codebook --format qdc --output FILE.qdc");
  if (!file)
    return thema_error_set(err, THEMA_EUSAGE, "usage: thema export %s FILE%s", what,
                           project ? ".qdpx" : ".qdc");
  ThemaStore *st = NULL;
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err)) return err->status;
  if (project)
    thema_export_qdpx(st, file, err);
  else
    thema_export_qdc(st, file, err);
  thema_store_close(st);
  if (!err->status) fprintf(stderr, "wrote %s\n", file);
  return err->status;
}
