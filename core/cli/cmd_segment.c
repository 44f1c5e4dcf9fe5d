/*
 * cmd_segment.c — thema segment: re-cut chosen sources into sentences,
 * paragraphs or windows of N words, in one transaction (store/resegment.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/query.h"
#include "store/resegment.h"
#include "store/source.h"

int thema_cmd_segment(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  ThemaUnitSpec spec = {0};
  const char *unit = NULL, *kind = NULL;
  int all = 0, nnames = 0;
  const char **names = thema_xmalloc((size_t)argc * sizeof *names);
  ThemaStore *st = NULL;
  ThemaCursor *cur = NULL;
  for (int i = 1; i < argc && !err->status; i++) {
    const char *a = argv[i];
    if (thema_cli_is(a, "--unit"))
      unit = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--language"))
      spec.language = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--source")) {
      const char *v = thema_cli_value(argc, argv, &i, a, err);
      if (v) names[nnames++] = v;
    } else if (thema_cli_is(a, "--kind"))
      kind = thema_cli_value(argc, argv, &i, a, err);
    else if (strcmp(a, "--all") == 0)
      all = 1;
    else
      thema_error_set(err, THEMA_EUSAGE,
                      "segment: unexpected argument '%s'; see 'thema "
                      "segment --help'",
                      a);
  }
  if (err->status) goto done;
  if (!unit || (!all && !kind && !nnames)) {
    thema_error_set(err, THEMA_EUSAGE,
                    "usage: thema segment --unit sentence|paragraph|window=N [--language "
                    "nl] --source NAME... | --kind transcript|document | --all");
    goto done;
  }
  if (thema_unit_parse(unit, &spec, err)) goto done;
  if (thema_cli_open(cli, 0, &st, err) || thema_store_begin(st, err)) goto done;
  /* The sources to re-cut: named, of a kind, or every one with segments. */
  ThemaValue *vals = thema_xcalloc((size_t)(nnames ? nnames : 1), sizeof *vals);
  for (int i = 0; i < nnames; i++)
    vals[i] =
        (ThemaValue){.type = THEMA_VALUE_TEXT, .s = names[i], .len = strlen(names[i])};
  ThemaValue kval = {.type = THEMA_VALUE_TEXT, .s = kind, .len = kind ? strlen(kind) : 0};
  ThemaFilter f[1];
  int nf = 0;
  if (nnames)
    f[nf++] = (ThemaFilter){.key = "name", .values = vals, .nvalues = nnames};
  else if (kind)
    f[nf++] = (ThemaFilter){.key = "kind", .values = &kval, .nvalues = 1};
  int rc = thema_query_open(st, THEMA_SOURCES, f, nf, &cur, err);
  int64_t *ids = NULL;
  char **found = NULL;
  size_t n = 0;
  while (rc == THEMA_OK && (rc = thema_cursor_step(cur, err)) == 1) {
    rc = THEMA_OK;
    ids = thema_xrealloc(ids, (n + 1) * sizeof *ids);
    found = thema_xrealloc(found, (n + 1) * sizeof *found);
    ids[n] = thema_cursor_int(cur, thema_cursor_column(cur, "id"));
    found[n] =
        thema_xstrdup(thema_cursor_text(cur, thema_cursor_column(cur, "name"), NULL));
    if (strcmp(thema_cursor_text(cur, thema_cursor_column(cur, "kind"), NULL), "monitor"))
      n++;
    else
      free(found[n]);
  }
  if (rc > 0) rc = THEMA_OK;
  thema_cursor_close(cur);
  cur = NULL;
  free(vals);
  for (int i = 0; rc >= 0 && i < nnames; i++) {
    int seen = 0;
    for (size_t k = 0; k < n; k++) seen |= strcmp(found[k], names[i]) == 0;
    if (!seen) {
      thema_error_set(err, THEMA_EINPUT,
                      "segment: no source '%s' with segments; see 'thema "
                      "stats'",
                      names[i]);
      rc = -1;
    }
  }
  if (rc >= 0 && n == 0) {
    thema_error_set(err, THEMA_EINPUT, "segment: no source to re-cut");
    rc = -1;
  }
  ThemaResegmentResult *res = thema_xcalloc(n ? n : 1, sizeof *res);
  for (size_t k = 0; rc >= 0 && k < n; k++)
    if (thema_resegment(st, ids[k], &spec, &res[k], err)) {
      char why[sizeof err->msg];
      int status = err->status;
      thema_error_set(err, status, "%s: %s", found[k], thema_error_take(err, why));
      rc = -1;
    }
  /* Report only once everything is committed: nothing is changed otherwise. */
  if (rc >= 0 && !thema_store_commit(st, err)) {
    char name[32];
    thema_unit_name(&spec, name, sizeof name);
    for (size_t k = 0; k < n; k++)
      printf("segmented %s: %lld segments into %lld (%s), %lld codings moved\n", found[k],
             (long long)res[k].before, (long long)res[k].after, name,
             (long long)res[k].moved);
  }
  for (size_t k = 0; k < n; k++) free(found[k]);
  free(found);
  free(ids);
  free(res);
done:
  thema_cursor_close(cur);
  if (st) thema_store_rollback(st);
  thema_store_close(st);
  free(names);
  return err->status;
}
