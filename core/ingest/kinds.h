/*
 * kinds.h — the kinds of `thema import KIND` and `thema.import(kind, ...)`,
 * in one table: each kind's name, importer, the extensions a directory
 * stands for, how a result is reported, and its line in the help. The
 * command line (cli/cmd_import.c, cli/main.c) and the Lua binding
 * (lua/bind_ingest.c) read this table and nothing else.
 */
#ifndef THEMA_KINDS_H
#define THEMA_KINDS_H

#include "base/thema.h"
#include "ingest/sink_store.h"

typedef struct ThemaImportKind {
  const char *name;        /* as typed: transcript, document, ... */
  ThemaImporter import;    /* one file into the store */
  const char *const *exts; /* extensions taken from a directory, NULL-terminated */
  int in_run;              /* 1 when a plugin run may import it (its instrument) */
  /* Appends the report line of one imported file (named by its stem), without
   * a newline, as `thema import` prints it. */
  void (*report)(ThemaBuf *out, const char *name, const ThemaImportResult *r);
  const char *help; /* what the kind reads; continuation lines after '\n' */
} ThemaImportKind;

/* The kinds in the order help lists them, ended by a row with name NULL. */
extern const ThemaImportKind thema_import_kinds[];

/* The kind named name, or NULL. */
const ThemaImportKind *thema_import_kind_find(const char *name);

/* Append the kind names joined by sep ("|" for a usage line), the last one
 * by last_sep (", " and " or " for a sentence). */
void thema_import_kind_names(ThemaBuf *out, const char *sep, const char *last_sep);

/* Append the help lines of every kind: "  NAME        what it reads\n", the
 * continuation lines indented under the text. */
void thema_import_kind_help(ThemaBuf *out);

/* Append the report line of r for the file at path (kind k): "unchanged
 * KIND NAME" for an unchanged file, else the kind's own report. */
void thema_import_kind_report(const ThemaImportKind *k, ThemaBuf *out, const char *path,
                              const ThemaImportResult *r);

#endif
