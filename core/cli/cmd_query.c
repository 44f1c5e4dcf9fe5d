/*
 * cmd_query.c — read-only looks into the store: "query" (one SELECT, results
 * as CSV or TSV), "kwic" (keyword in context over every segment) and "stats"
 * (counts, and a summary per network).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "cli/cli.h"
#include "text/csv.h"
#include "text/rx.h"

static void put_value(ThemaBuf *out, sqlite3_stmt *q, int col, char delim) {
  if (sqlite3_column_type(q, col) == SQLITE_NULL) return;
  const char *s = (const char *)sqlite3_column_text(q, col);
  int n = sqlite3_column_bytes(q, col);
  if (delim == '\t') {
    /* TSV has no quoting: tabs and newlines inside values become spaces. */
    for (int i = 0; i < n; i++)
      thema_buf_putc(out, (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') ? ' ' : s[i]);
  } else {
    thema_csv_quote(out, s, (size_t)n, delim);
  }
}

int thema_cmd_query(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  const char *sql = NULL;
  char delim = ',';
  ThemaStore *st = NULL;
  sqlite3_stmt *q = NULL;
  ThemaBuf out = {0};
  for (int i = 1; i < argc && !err->status; i++) {
    if (thema_cli_is(argv[i], "--format")) {
      const char *f = thema_cli_value(argc, argv, &i, "--format", err);
      if (f && strcmp(f, "csv") == 0)
        delim = ',';
      else if (f && strcmp(f, "tsv") == 0)
        delim = '\t';
      else if (f)
        thema_error_set(err, THEMA_EUSAGE, "query: --format is csv or tsv, not '%s'", f);
    } else if (!sql) {
      sql = argv[i];
    } else {
      thema_error_set(err, THEMA_EUSAGE, "query: give the SQL as one argument (quote it)");
    }
  }
  if (err->status) goto done;
  if (!sql) {
    thema_error_set(err, THEMA_EUSAGE, "usage: thema query \"SELECT ...\"");
    goto done;
  }
  if (thema_cli_open(cli, THEMA_STORE_READONLY, &st, err)) goto done;
  const char *tail = NULL;
  sqlite3 *db = thema_store_db(st);
  if (sqlite3_prepare_v2(db, sql, -1, &q, &tail) != SQLITE_OK) {
    thema_error_set(err, THEMA_EINPUT, "query: %s", sqlite3_errmsg(db));
    goto done;
  }
  while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';')) tail++;
  if (!q || (tail && *tail)) {
    thema_error_set(err, THEMA_EINPUT, "query: give exactly one SQL statement");
    goto done;
  }
  /* BEGIN, COMMIT and friends count as read-only to SQLite but are no query. */
  static const char *const control[] = {"BEGIN",     "COMMIT",  "END", "ROLLBACK",
                                        "SAVEPOINT", "RELEASE", NULL};
  const char *first = sql;
  while (*first == ' ' || *first == '\n' || *first == '\t') first++;
  int is_control = 0;
  for (int k = 0; control[k]; k++)
    is_control |= strncasecmp(first, control[k], strlen(control[k])) == 0;
  if (!sqlite3_stmt_readonly(q) || is_control) {
    thema_error_set(err, THEMA_EINPUT,
                    "query: only read-only statements are allowed (SELECT, WITH, "
                    "read-only PRAGMA); change the store through thema commands");
    goto done;
  }
  int ncol = sqlite3_column_count(q);
  for (int c = 0; c < ncol; c++) {
    if (c) thema_buf_putc(&out, delim);
    const char *name = sqlite3_column_name(q, c);
    thema_csv_quote(&out, name, strlen(name), delim);
  }
  thema_buf_putc(&out, '\n');
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    for (int c = 0; c < ncol; c++) {
      if (c) thema_buf_putc(&out, delim);
      put_value(&out, q, c, delim);
    }
    thema_buf_putc(&out, '\n');
    if (out.len > (1 << 16)) {
      fwrite(out.data, 1, out.len, stdout);
      thema_buf_reset(&out);
    }
  }
  if (rc != SQLITE_DONE) {
    thema_error_set(err, THEMA_EINPUT, "query: %s", sqlite3_errmsg(db));
    goto done;
  }
  fwrite(thema_buf_str(&out), 1, out.len, stdout);
done:
  sqlite3_finalize(q);
  thema_store_close(st);
  thema_buf_free(&out);
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
  ThemaBuf out = {0};
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
  sqlite3_stmt *q =
      thema_store_stmt(st,
                       "SELECT s.name, g.ordinal, coalesce(sp.label, ''), g.text, g.start"
                       " FROM segment g JOIN source s ON s.id = g.source_id"
                       " LEFT JOIN speaker sp ON sp.id = g.speaker_id"
                       " WHERE ?1 IS NULL OR s.name = ?1 ORDER BY s.name, g.ordinal",
                       err);
  if (!q) goto done;
  if (source) sqlite3_bind_text(q, 1, source, -1, SQLITE_TRANSIENT);
  if (tsv)
    thema_buf_puts(&out, "source\tsegment\tspeaker\tstart\tend\tleft\tmatch\tright\n");
  long hits = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(q, 0);
    long ordinal = sqlite3_column_int(q, 1);
    const char *label = (const char *)sqlite3_column_text(q, 2);
    const char *text = (const char *)sqlite3_column_text(q, 3);
    size_t len = (size_t)sqlite3_column_bytes(q, 3);
    long seg_start = sqlite3_column_int(q, 4);
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
    if (err->status) goto done;
    if (out.len > (1 << 16)) {
      fwrite(out.data, 1, out.len, stdout);
      thema_buf_reset(&out);
    }
  }
  fwrite(thema_buf_str(&out), 1, out.len, stdout);
  thema_cli_progress(cli, "%ld match%s\n", hits, hits == 1 ? "" : "es");
done:
  thema_rx_free(rx);
  thema_store_close(st);
  thema_buf_free(&out);
  return err->status;
}
