/*
 * cmd_query.c — read-only looks into the store: "query" (one SELECT, results
 * as CSV, a spreadsheet's CSV, TSV or xlsx), "kwic" (keyword in context over every segment) and "stats"
 * (counts, and a summary per network).
 */
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "export/table.h"
#include "store/query.h"
#include "text/csv.h"
#include "text/rx.h"

int thema_cmd_query(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *sql = NULL, *format = "csv", *output = NULL;
  ThemaStore *st = NULL;
  ThemaCursor *q = NULL;
  for (int i = 1; i < argc && !err->status; i++) {
    if (thema_cli_is(argv[i], "--format"))
      format = thema_cli_value(argc, argv, &i, "--format", err);
    else if (thema_cli_is(argv[i], "--output") || strcmp(argv[i], "-o") == 0)
      output = thema_cli_value(argc, argv, &i, "--output", err);
    else if (!sql)
      sql = argv[i];
    else
      thema_error_set(err, THEMA_EUSAGE, "query: give the SQL as one argument (quote it)");
  }
  ThemaTableFormat f;
  if (err->status || (format && thema_table_format(format, cli->excel, "query", &f, err)))
    goto done;
  if (!sql) {
    thema_error_set(err, THEMA_EUSAGE, "usage: thema query \"SELECT ...\"");
    goto done;
  }
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err) ||
      thema_query_user_sql(st, sql, &q, err))
    goto done;
  /* Streamed through the table writer (export/table.h), checked: a closed
   * pipe or a full disk ends the command with its reason. */
  thema_table_write_cursor(q, &f, output, "query", err);
done:
  thema_cursor_close(q);
  thema_store_close(st);
  return err->status;
}

/* Append s[0..n) with newlines and tabs shown as spaces. */
static void put_flat(ThemaBuf *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    thema_buf_putc(out, (s[i] == '\n' || s[i] == '\t' || s[i] == '\r') ? ' ' : s[i]);
}

int thema_cmd_kwic(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *pattern = NULL, *source = NULL;
  long width = 40;
  int tsv = 0, case_sensitive = 0;
  ThemaStore *st = NULL;
  ThemaRx *rx = NULL;
  ThemaCursor *q = NULL;
  ThemaBuf out = {0};
  ThemaOutfile so = {0}; /* stdout, checked: `kwic | head` stops the scan */
  for (int i = 1; i < argc && !err->status; i++) {
    const char *a = argv[i];
    if (thema_cli_is(a, "--width")) {
      const char *v = thema_cli_value(argc, argv, &i, a, err);
      char *end;
      width = v ? strtol(v, &end, 10) : 0;
      if (v && (*end || width < 0 || width > 10000))
        thema_error_set(err, THEMA_EUSAGE, "kwic: --width takes a number from 0 to 10000");
    } else if (thema_cli_is(a, "--source")) {
      source = thema_cli_value(argc, argv, &i, a, err);
    } else if (thema_cli_is(a, "--format")) {
      const char *f = thema_cli_value(argc, argv, &i, a, err);
      if (f && strcmp(f, "tsv") == 0)
        tsv = 1;
      else if (f && strcmp(f, "text") != 0)
        thema_error_set(err, THEMA_EUSAGE, "kwic: --format is text or tsv");
    } else if (thema_cli_is(a, "--case")) {
      case_sensitive = 1;
    } else if (a[0] == '-' && a[1] == '-') {
      thema_error_set(err, THEMA_EUSAGE, "kwic: unknown option '%s'", a);
    } else if (!pattern) {
      pattern = a;
    } else {
      thema_error_set(err, THEMA_EUSAGE, "kwic: one PATTERN only (quote it)");
    }
  }
  if (err->status) goto done;
  if (!pattern) {
    thema_error_set(err, THEMA_EUSAGE, "usage: thema kwic PATTERN [--width N]");
    goto done;
  }
  rx = thema_rx_compile(pattern, case_sensitive ? 0 : THEMA_RX_CASELESS, "kwic", err);
  if (!rx || thema_cli_open(cli, THEMA_STORE_READONLY, &st, err)) goto done;
  ThemaValue v = {
      .type = THEMA_VALUE_TEXT, .s = source, .len = source ? strlen(source) : 0};
  ThemaFilter by_source = {.key = "source", .values = &v, .nvalues = 1};
  if (thema_query_open(st, THEMA_SEGMENTS, &by_source, source ? 1 : 0, &q, err) ||
      thema_outfile_open(&so, NULL, err))
    goto done;
  int c_source = thema_cursor_column(q, "source"),
      c_ordinal = thema_cursor_column(q, "ordinal");
  int c_speaker = thema_cursor_column(q, "speaker"),
      c_text = thema_cursor_column(q, "text");
  int c_start = thema_cursor_column(q, "start");
  if (tsv)
    thema_buf_puts(&out, "source\tsegment\tspeaker\tstart\tend\tleft\tmatch\tright\n");
  long hits = 0;
  while (thema_cursor_step(q, err) == 1) {
    const char *name = thema_cursor_text(q, c_source, NULL);
    long ordinal = (long)thema_cursor_int(q, c_ordinal);
    const char *label = thema_cursor_text(q, c_speaker, NULL); /* "" when none */
    size_t len;
    const char *text = thema_cursor_text(q, c_text, &len);
    long seg_start = (long)thema_cursor_int(q, c_start);
    PCRE2_SIZE *ov;
    size_t at = 0;
    ThemaUtf8Cursor cur = {0};
    int m;
    while (at <= len && (m = thema_rx_match(rx, text, len, at, &ov, err)) == 1) {
      size_t mb = ov[0], me = ov[1];
      size_t cb = thema_utf8_cursor_advance(&cur, text, mb),
             ce = cb + thema_utf8_count(text + mb, me - mb);
      /* Context: width code points either side, within the segment. */
      size_t lb = mb, lcount = 0;
      while (lb > 0 && lcount < (size_t)width) {
        lb--;
        while (lb > 0 && ((unsigned char)text[lb] & 0xC0) == 0x80) lb--;
        lcount++;
      }
      size_t re = me, rcount = 0;
      while (re < len && rcount < (size_t)width) {
        re++;
        while (re < len && ((unsigned char)text[re] & 0xC0) == 0x80) re++;
        rcount++;
      }
      if (tsv) {
        thema_buf_printf(&out, "%s\t%ld\t%s\t%zu\t%zu\t", name, ordinal, label,
                         seg_start + cb, seg_start + ce);
        put_flat(&out, text + lb, mb - lb);
        thema_buf_putc(&out, '\t');
        put_flat(&out, text + mb, me - mb);
        thema_buf_putc(&out, '\t');
        put_flat(&out, text + me, re - me);
      } else {
        /* A document paragraph has no speaker: "[doc:3]", not "[doc:3 ]". */
        thema_buf_printf(&out, "[%s:%ld%s%s] ", name, ordinal, *label ? " " : "", label);
        for (size_t pad = lcount; pad < (size_t)width; pad++) thema_buf_putc(&out, ' ');
        put_flat(&out, text + lb, mb - lb);
        thema_buf_puts(&out, " |");
        put_flat(&out, text + mb, me - mb);
        thema_buf_puts(&out, "| ");
        put_flat(&out, text + me, re - me);
      }
      thema_buf_putc(&out, '\n');
      hits++;
      at = me > mb ? me : me + 1;
      if (at > me)
        while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80) at++;
    }
    if (err->status) { /* the pattern's error, with the segment it met it in */
      ThemaError named = {0};
      thema_error_set(&named, err->status, "%s (segment %ld of source %s)", err->msg,
                      ordinal, name);
      *err = named;
      goto done;
    }
    if (thema_outfile_put_buf(&so, &out, 1 << 16)) break; /* commit says why */
  }
  thema_outfile_put_buf(&so, &out, 0);
  if (thema_outfile_commit(&so, err)) goto done;
  thema_cli_progress(cli, "%ld match%s\n", hits, hits == 1 ? "" : "es");
done:
  thema_outfile_abort(&so);
  thema_cursor_close(q);
  thema_rx_free(rx);
  thema_store_close(st);
  thema_buf_free(&out);
  return err->status;
}
