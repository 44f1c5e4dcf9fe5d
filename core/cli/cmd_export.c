/*
 * cmd_export.c — "export codings --format csv": one row per coding with the
 * columns fixed by the design (source, segment, speaker, organisation,
 * network, code, start, end, span_text, segment_text, run), in a stable order
 * so that the same store gives the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "text/csv.h"

static const char export_codings_sql[] =
    "SELECT s.name, g.ordinal, coalesce(sp.label, ''), coalesce(o.name, ''),"
    " coalesce((SELECT group_concat(name, ';') FROM (SELECT n.name FROM membership m"
    "  JOIN network n ON n.id = m.network_id WHERE m.organisation_id = o.id"
    "  ORDER BY n.name)), ''),"
    " c.path, k.start, k.end,"
    " substr(g.text, k.start - g.start + 1, k.end - k.start), g.text,"
    " coalesce(CAST(k.run_id AS TEXT), k.coder)"
    /* source by source, segment by segment: the sort is per segment */
    " FROM source s CROSS JOIN segment g ON g.source_id = s.id"
    " CROSS JOIN coding k ON k.segment_id = g.id CROSS JOIN code c ON c.id = k.code_id"
    " LEFT JOIN speaker sp ON sp.id = g.speaker_id"
    " LEFT JOIN person p ON p.id = sp.person_id"
    " LEFT JOIN organisation o ON o.id = p.organisation_id"
    " LEFT JOIN run r ON r.id = k.run_id"
    " WHERE k.run_id IS NULL OR r.status = 'ok'"
    " ORDER BY s.name, g.ordinal, k.start, k.end, c.path, k.id";

static const char *const export_codings_header[] = {
    "source", "segment", "speaker",   "organisation", "network", "code",
    "start",  "end",     "span_text", "segment_text", "run"};

/* Write the codings of the open store st to f. */
static int export_codings(ThemaStore *st, FILE *f, ThemaError *err) {
  ThemaBuf out = {0};
  sqlite3_stmt *q = thema_store_stmt(st, export_codings_sql, err);
  if (!q) goto done;
  int ncol = (int)(sizeof export_codings_header / sizeof *export_codings_header);
  for (int c = 0; c < ncol; c++) {
    if (c) thema_buf_putc(&out, ',');
    thema_buf_puts(&out, export_codings_header[c]);
  }
  thema_buf_putc(&out, '\n');
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    for (int c = 0; c < ncol; c++) {
      if (c) thema_buf_putc(&out, ',');
      const char *v = (const char *)sqlite3_column_text(q, c);
      if (v) thema_csv_quote(&out, v, (size_t)sqlite3_column_bytes(q, c), ',');
    }
    thema_buf_putc(&out, '\n');
    if (out.len > (1 << 16)) {
      fwrite(out.data, 1, out.len, f);
      thema_buf_reset(&out);
    }
  }
  if (rc != SQLITE_DONE) {
    thema_error_set(err, THEMA_ERUNTIME, "export: %s", sqlite3_errmsg(thema_store_db(st)));
    goto done;
  }
  fwrite(thema_buf_str(&out), 1, out.len, f);
done:
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
  export_codings(st, f, err);
  thema_store_close(st);
  if (f != stdout && fclose(f) != 0 && !err->status)
    thema_error_set(err, THEMA_ERUNTIME, "%s: write failed", output);
  return err->status;
}
