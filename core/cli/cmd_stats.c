/*
 * cmd_stats.c — "stats": what the store holds, then one block per network:
 * its sources, turns, speakers, and which member organisations took part
 * (a person of theirs speaks in one of the network's sources) or not.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/summary.h"

static void print_total(void *ud, const char *label, const char *value) {
  (void)ud;
  printf("  %-14s %s\n", label, value);
}

static void print_network(void *ud, const char *label, const char *value) {
  (void)ud;
  printf("  %-17s %s\n", label, value);
}

int thema_cmd_stats(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  if (argc > 1)
    return thema_error_set(err, THEMA_EUSAGE, "stats: unexpected argument '%s'", argv[1]);
  ThemaStore *st = NULL;
  ThemaBuf names = {0};
  int count = 0;
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err)) goto done;
  printf("store %s\n", cli->db);
  if (thema_summary_totals(st, print_total, NULL, err) ||
      thema_summary_networks(st, &names, &count, err))
    goto done;
  const char *name = thema_buf_str(&names);
  for (int k = 0; k < count && !err->status; k++) {
    const char *nl = strchr(name, '\n');
    char *net = thema_xstrndup(name, (size_t)(nl - name));
    printf("\nnetwork %s\n", net);
    thema_summary_network(st, net, print_network, NULL, err);
    free(net);
    name = nl + 1;
  }
done:
  thema_buf_free(&names);
  thema_store_close(st);
  return err->status;
}
