/*
 * cmd_export.c — "export codings": one row per coding (source, segment,
 * speaker, organisation, network, code, start, end, span_text, the context
 * around the span, coder, run, memo) as CSV, a spreadsheet's CSV, TSV or
 * xlsx, in a stable order so that the same store gives the same bytes; and
 * "export codebook --format csv|lua".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "cli/cli.h"
#include "export/codebook.h"
#include "export/table.h"
#include "store/query.h"

/* export codebook --format csv|lua: the store's codebook as a file thema
 * reads again (export/codebook.h). */
static int export_codebook(ThemaCli *cli, const char *format, const char *output,
                           ThemaError *err) {
  ThemaStore *st = NULL;
  ThemaBuf out = {0};
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err) ||
      thema_export_codebook(st, format, &out, err))
    goto done;
  ThemaOutfile o;
  if (!thema_outfile_open(&o, output, err)) {
    thema_outfile_write(&o, out.data, out.len);
    thema_outfile_commit(&o, err);
  }
done:
  thema_store_close(st);
  thema_buf_free(&out);
  return err->status;
}

int thema_cmd_export(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *what = NULL, *format = "csv", *output = NULL, *context = "40";
  if (thema_cmd_qda_wanted(argc, argv)) return thema_cmd_qda_export(cli, argc, argv, err);
  for (int i = 1; i < argc && !err->status; i++) {
    if (thema_cli_is(argv[i], "--format"))
      format = thema_cli_value(argc, argv, &i, "--format", err);
    else if (thema_cli_is(argv[i], "--output") || strcmp(argv[i], "-o") == 0)
      output = thema_cli_value(argc, argv, &i, "--output", err);
    else if (thema_cli_is(argv[i], "--context"))
      context = thema_cli_value(argc, argv, &i, "--context", err);
    else if (argv[i][0] == '-' && argv[i][1])
      thema_error_set(err, THEMA_EUSAGE, "export: unknown option '%s'", argv[i]);
    else if (!what)
      what = argv[i];
    else
      thema_error_set(err, THEMA_EUSAGE, "export: unexpected argument '%s'", argv[i]);
  }
  if (err->status) return err->status;
  if (what && strcmp(what, "codebook") == 0)
    return export_codebook(cli, format, output, err);
  if (!what || strcmp(what, "codings") != 0)
    return thema_error_set(err, THEMA_EUSAGE,
                           "usage: thema export codings [--format csv|tsv|xlsx] [--context "
                           "N|none|segment] [--output FILE]");
  /* The text around each span: N code points either side (default 40), the
   * whole segment, or none; the whole segment on every row of a large
   * corpus is what made exports grow to gigabytes. */
  int ctx = 0;
  char *end = NULL;
  if (strcmp(context, "none") == 0)
    ctx = THEMA_CONTEXT_NONE;
  else if (strcmp(context, "segment") == 0)
    ctx = THEMA_CONTEXT_SEGMENT;
  else if ((ctx = (int)strtol(context, &end, 10)) < 0 || end == context || *end ||
           ctx > 100000)
    return thema_error_set(err, THEMA_EUSAGE,
                           "export codings: --context is a number of characters (0 to "
                           "100000), none or segment, not '%s'",
                           context);
  ThemaTableFormat f;
  if (thema_table_format(format, cli->excel, "export codings", &f, err)) return err->status;
  /* Open the store before the output file, so that a wrong --db never
   * touches an existing file; the file is written whole or not at all. */
  ThemaStore *st = NULL;
  ThemaCursor *c = NULL;
  if (!thema_cli_open(cli, THEMA_STORE_READONLY, &st, err) &&
      !thema_query_codings_table(st, ctx, &c, err))
    thema_table_write_cursor(c, &f, output, NULL, err);
  thema_cursor_close(c);
  thema_store_close(st);
  return err->status;
}
