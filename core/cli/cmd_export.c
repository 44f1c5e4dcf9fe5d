/*
 * cmd_export.c — "export codings --format csv": one row per coding with the
 * columns fixed by the design (source, segment, speaker, organisation,
 * network, code, start, end, span_text, segment_text, run), in a stable order
 * so that the same store gives the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "export/codebook.h"
#include "export/codings.h"

/* export codebook --format csv|lua: the store's codebook as a file thema
 * reads again (export/codebook.h). */
static int export_codebook(ThemaCli *cli, const char *format, const char *output,
                           ThemaError *err) {
  ThemaStore *st = NULL;
  ThemaBuf out = {0};
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err) ||
      thema_export_codebook(st, format, &out, err))
    goto done;
  FILE *f = output ? fopen(output, "wb") : stdout;
  if (!f || fwrite(out.data, 1, out.len, f) != out.len || (output && fclose(f) != 0))
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot write", output ? output : "stdout");
done:
  thema_store_close(st);
  thema_buf_free(&out);
  return err->status;
}

int thema_cmd_export(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *what = NULL, *format = "csv", *output = NULL;
  for (int i = 1; i < argc && !err->status; i++) {
    if (thema_cli_is(argv[i], "--format"))
      format = thema_cli_value(argc, argv, &i, "--format", err);
    else if (thema_cli_is(argv[i], "--output") || strcmp(argv[i], "-o") == 0)
      output = thema_cli_value(argc, argv, &i, "--output", err);
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
                           "usage: thema export codings --format csv [--output FILE]");
  if (strcmp(format, "csv") != 0)
    return thema_error_set(err, THEMA_EUSAGE, "export codings: --format is csv, not '%s'",
                           format);
  /* Open the store before the output file, so that a wrong --db never
   * truncates an existing file. */
  ThemaStore *st = NULL;
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err)) return err->status;
  FILE *f = stdout;
  if (output && !(f = fopen(output, "wb"))) {
    thema_store_close(st);
    return thema_error_set(err, THEMA_EINPUT, "%s: cannot write", output);
  }
  thema_export_codings_csv(st, f, err);
  thema_store_close(st);
  if (f != stdout && fclose(f) != 0 && !err->status)
    thema_error_set(err, THEMA_ERUNTIME, "%s: write failed", output);
  return err->status;
}
