/*
 * cmd_codebook.c — "codebook test FILE": compile a codebook and check every
 * example sentence it carries, so a codebook can be kept under version
 * control and tested like software. Needs no store.
 */
#include <string.h>

#include "cli/cli.h"
#include "ingest/codebook.h"

int thema_cmd_codebook(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  (void)cli;
  if (argc != 3 || strcmp(argv[1], "test") != 0)
    return thema_error_set(err, THEMA_EUSAGE, "usage: thema codebook test FILE");
  ThemaCodebook cb;
  int passed = 0, failed = 0;
  if (thema_codebook_load(argv[2], &cb, err) == THEMA_OK &&
      thema_codebook_test(&cb, stdout, &passed, &failed, err) == THEMA_OK) {
    printf("%d passed, %d failed\n", passed, failed);
    if (failed)
      thema_error_set(err, THEMA_EINPUT, "%s: %d example%s did not behave as declared",
                      argv[2], failed, failed == 1 ? "" : "s");
  }
  thema_codebook_free(&cb);
  return err->status;
}
