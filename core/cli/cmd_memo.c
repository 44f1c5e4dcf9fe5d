/*
 * cmd_memo.c — thema memo add|list: a researcher's notes on a source, a
 * segment, a code, a person, an organisation or the project (store/memo.c
 * writes them; the exports carry them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "export/table.h"
#include "store/code.h"
#include "store/memo.h"
#include "store/query.h"
#include "store/source.h"

static const char usage[] =
    "usage: thema memo add (--source NAME [--segment N] | --code PATH | --person NAME |\n"
    "         --organisation NAME | --project) [--author NAME] TEXT\n"
    "       thema memo list [--target KIND] [--format csv|tsv|xlsx] [--output FILE]";

/* The id of the entity e named name (a text key), or 0. */
static int id_by_name(ThemaStore *st, ThemaEntity e, const char *name, int64_t *id,
                      ThemaError *err) {
  ThemaValue v = {.type = THEMA_VALUE_TEXT, .s = name, .len = strlen(name)};
  ThemaFilter f = {.key = "name", .values = &v, .nvalues = 1};
  ThemaCursor *c = NULL;
  *id = 0;
  if (thema_query_open(st, e, &f, 1, &c, err)) return err->status;
  int rc = thema_cursor_step(c, err);
  if (rc == 1) *id = thema_cursor_int(c, thema_cursor_column(c, "id"));
  thema_cursor_close(c);
  return rc < 0 ? err->status : THEMA_OK;
}

static int memo_add(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *source = NULL, *code = NULL, *person = NULL, *org = NULL, *author = NULL;
  const char *segment = NULL, *text = NULL;
  int project = 0;
  for (int i = 2; i < argc && !err->status; i++) {
    const char *a = argv[i];
    if (thema_cli_is(a, "--source"))
      source = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--segment"))
      segment = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--code"))
      code = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--person"))
      person = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--organisation"))
      org = thema_cli_value(argc, argv, &i, a, err);
    else if (strcmp(a, "--project") == 0)
      project = 1;
    else if (thema_cli_is(a, "--author"))
      author = thema_cli_value(argc, argv, &i, a, err);
    else if (a[0] == '-' && a[1] == '-')
      thema_error_set(err, THEMA_EUSAGE, "memo add: unknown option '%s'\n%s", a, usage);
    else if (!text)
      text = a;
    else
      thema_error_set(err, THEMA_EUSAGE,
                      "memo add: give the memo's text as one argument "
                      "(quote it)");
  }
  if (err->status) return err->status;
  int targets = !!source + !!code + !!person + !!org + project;
  if (targets != 1 || !text || !*text || (segment && !source))
    return thema_error_set(err, THEMA_EUSAGE, "%s", usage);
  if (!author) author = getenv("USER");
  if (!author || !*author) author = "unknown";
  ThemaStore *st = NULL;
  if (thema_cli_open(cli, 0, &st, err) || thema_store_begin(st, err)) goto done;
  const char *target = project   ? "project"
                       : code    ? "code"
                       : person  ? "person"
                       : org     ? "organisation"
                       : segment ? "segment"
                                 : "source";
  int64_t id = 0;
  if (source) {
    if (id_by_name(st, THEMA_SOURCES, source, &id, err)) goto done;
    if (!id) {
      thema_error_set(err, THEMA_EINPUT, "memo add: no source '%s'; see 'thema stats'",
                      source);
      goto done;
    }
    if (segment) {
      char *end = NULL;
      long long n = strtoll(segment, &end, 10);
      int64_t s, e;
      if (!*segment || *end || n < 1) {
        thema_error_set(err, THEMA_EUSAGE,
                        "memo add: --segment takes a segment number, not '%s'", segment);
        goto done;
      }
      if (thema_segment_find(st, source, n, &id, &s, &e, err)) goto done;
      if (!id) {
        thema_error_set(err, THEMA_EINPUT, "memo add: source '%s' has no segment %lld",
                        source, n);
        goto done;
      }
    }
  } else if (code) {
    if (thema_code_find(st, code, &id, err)) goto done;
    if (!id) {
      thema_error_set(err, THEMA_EINPUT, "memo add: no code '%s'", code);
      goto done;
    }
  } else if (person || org) {
    if (id_by_name(st, person ? THEMA_PERSONS : THEMA_ORGANISATIONS, person ? person : org,
                   &id, err))
      goto done;
    if (!id) {
      thema_error_set(err, THEMA_EINPUT, "memo add: no %s '%s'", target,
                      person ? person : org);
      goto done;
    }
  }
  int64_t memo = 0;
  if (thema_memo_add(st, target, id, author, text, &memo, err) ||
      thema_store_commit(st, err))
    goto done;
  printf("memo %lld on %s%s%s\n", (long long)memo, target, id ? " " : "",
         id ? (source   ? source
               : code   ? code
               : person ? person
                        : org)
            : "");
done:
  if (st) thema_store_rollback(st);
  thema_store_close(st);
  return err->status;
}

static int memo_list(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *target = NULL, *format = "csv", *output = NULL;
  for (int i = 2; i < argc && !err->status; i++) {
    const char *a = argv[i];
    if (thema_cli_is(a, "--target"))
      target = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--format"))
      format = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--output"))
      output = thema_cli_value(argc, argv, &i, a, err);
    else
      thema_error_set(err, THEMA_EUSAGE, "memo list: unexpected argument '%s'\n%s", a,
                      usage);
  }
  ThemaTableFormat f;
  if (err->status || thema_table_format(format, cli->excel, "memo list", &f, err))
    return err->status;
  ThemaStore *st = NULL;
  ThemaCursor *c = NULL;
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err)) goto done;
  ThemaValue v = {
      .type = THEMA_VALUE_TEXT, .s = target, .len = target ? strlen(target) : 0};
  ThemaFilter filt = {.key = "target", .values = &v, .nvalues = 1};
  if (!thema_query_open(st, THEMA_MEMOS, &filt, target ? 1 : 0, &c, err))
    thema_table_write_cursor(c, &f, output, NULL, err);
done:
  thema_cursor_close(c);
  thema_store_close(st);
  return err->status;
}

int thema_cmd_memo(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  if (argc >= 2 && strcmp(argv[1], "add") == 0) return memo_add(cli, argc, argv, err);
  if (argc >= 2 && strcmp(argv[1], "list") == 0) return memo_list(cli, argc, argv, err);
  return thema_error_set(err, THEMA_EUSAGE, "%s", usage);
}
