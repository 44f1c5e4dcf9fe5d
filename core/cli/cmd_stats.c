/*
 * cmd_stats.c — "stats [--by GROUPING] [--kind KIND]": what the store holds,
 * then one block per group of the grouping (network by default, through
 * organisation membership): its members, sources, turns, words, speakers,
 * and which members took part or not; last, the segments without a group.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/grouping.h"
#include "store/summary.h"

static void print_total(void *ud, const char *label, const char *value) {
  (void)ud;
  printf("  %-14s %s\n", label, value);
}

static void print_block(void *ud, const char *title) {
  (void)ud;
  printf("\n%s\n", title);
}

static void print_figure(void *ud, const char *label, const char *value) {
  (void)ud;
  printf("  %-17s %s\n", label, value);
}

int thema_cmd_stats(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *by = "network", *kind = NULL;
  for (int i = 1; i < argc && !err->status; i++) {
    if (thema_cli_is(argv[i], "--by"))
      by = thema_cli_value(argc, argv, &i, argv[i], err);
    else if (thema_cli_is(argv[i], "--kind"))
      kind = thema_cli_value(argc, argv, &i, argv[i], err);
    else if (argv[i][0] == '-' && argv[i][1] == '-')
      thema_error_set(err, THEMA_EUSAGE, "stats: unknown option '%s'", argv[i]);
    else
      thema_error_set(err, THEMA_EUSAGE, "stats: unexpected argument '%s'", argv[i]);
  }
  if (err->status) return err->status;
  ThemaStore *st = NULL;
  ThemaGrouping g;
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err) ||
      thema_grouping_parse(st, by, &g, err))
    goto done;
  ThemaValue v = {.type = THEMA_VALUE_TEXT, .s = kind, .len = kind ? strlen(kind) : 0};
  ThemaFilter f = {.key = "kind", .values = &v, .nvalues = 1};
  printf("store %s\n", cli->db);
  if (thema_summary_totals(st, print_total, NULL, err)) goto done;
  thema_summary_groups(st, &g, &f, kind ? 1 : 0, print_block, print_figure, NULL, err);
done:
  thema_store_close(st);
  return err->status;
}
