/*
 * csvread.c — a row-at-a-time reader over libcsv. libcsv does the quoting
 * rules; this file adds what error messages need (the line a row starts on,
 * the header's width) and feeds the parser line by line to know them.
 */
#include "text/csv.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct Reader {
  const char *path;
  ThemaCsvRow row; /* the row being collected */
  int cap;
  int width;       /* the header's field count, 0 before it */
  long line;       /* line being fed to libcsv */
  long start_line; /* line the record being parsed started on */
  int between;     /* the last line fed ended a record (or was blank) */
  long rows;       /* rows ended so far */
  int row_started; /* a field of the current row has been seen */
  ThemaCsvRowFn fn;
  void *ud;
  ThemaError *err;
  int stop; /* fn failed or a row was ragged */
} Reader;

static void on_field(void *data, size_t len, void *ud) {
  Reader *r = ud;
  if (r->stop) return;
  if (!r->row_started) {
    r->row_started = 1;
    r->row.line = r->start_line;
  }
  if (r->row.n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->row.fields = thema_xrealloc(r->row.fields, (size_t)r->cap * sizeof(char *));
  }
  r->row.fields[r->row.n++] = thema_xstrndup(data ? data : "", data ? len : 0);
}

static void clear_row(Reader *r) {
  for (int i = 0; i < r->row.n; i++) free(r->row.fields[i]);
  r->row.n = 0;
  r->row_started = 0;
}

static void on_row(int c, void *ud) {
  (void)c;
  Reader *r = ud;
  r->rows++;
  if (r->stop) {
    clear_row(r);
    return;
  }
  if (!r->row_started) r->row.line = r->start_line;
  if (r->width == 0) {
    r->width = r->row.n;
  } else if (r->row.n != r->width) {
    thema_error_at(r->err, THEMA_EINPUT, r->path, r->row.line, 0,
                   "row has %d field%s but the header has %d; check for a missing "
                   "or extra delimiter, or quote fields that contain one",
                   r->row.n, r->row.n == 1 ? "" : "s", r->width);
    r->stop = 1;
  }
  if (!r->stop && r->fn(&r->row, r->ud, r->err) != THEMA_OK) r->stop = 1;
  clear_row(r);
}

char thema_csv_sniff(const char *text, size_t len) {
  int counts[3] = {0, 0, 0};
  static const char cands[3] = {',', ';', '\t'};
  int quoted = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    for (int k = 0; k < 3; k++) counts[k] += c == cands[k];
  }
  int best = 0;
  for (int k = 1; k < 3; k++)
    if (counts[k] > counts[best]) best = k;
  return cands[best];
}

int thema_csv_read(const char *path, const char *text, size_t len, char delim,
                   ThemaCsvRowFn fn, void *ud, ThemaError *err) {
  struct csv_parser p;
  Reader r = {.path = path, .fn = fn, .ud = ud, .err = err, .line = 1, .between = 1};
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) abort();
  csv_set_delim(&p, (unsigned char)(delim ? delim : thema_csv_sniff(text, len)));
  for (size_t ls = 0; ls < len && !r.stop; r.line++) {
    const char *nl = memchr(text + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - text) + 1 : len;
    /* A record starts on this line when the last one ended (a field may be
     * open across lines without any field of its row being complete yet). */
    if (r.between) r.start_line = r.line;
    long rows_before = r.rows;
    int blank = 1;
    for (size_t i = ls; i < le && blank; i++) blank = strchr(" \t\r\n", text[i]) != NULL;
    if (csv_parse(&p, text + ls, le - ls, on_field, on_row, &r) != le - ls) {
      thema_error_at(err, THEMA_EINPUT, path, r.line, 0,
                     "malformed CSV: %s; a quote inside a field must be doubled "
                     "(\"\") and the field quoted",
                     csv_strerror(csv_error(&p)));
      r.stop = 1;
    }
    if (r.rows != rows_before)
      r.between = 1;
    else if (!blank)
      r.between = 0;
    ls = le;
  }
  if (!r.stop && csv_fini(&p, on_field, on_row, &r) != 0)
    thema_error_at(err, THEMA_EINPUT, path, r.start_line, 0,
                   "unbalanced quote: a quoted field in the row starting here is "
                   "never closed; close it with '\"'");
  clear_row(&r);
  free(r.row.fields);
  csv_free(&p);
  if (!err->status && r.width == 0)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "no header row; the file is empty");
  return err->status;
}

int thema_csv_column(const ThemaCsvRow *header, const char *name) {
  for (int i = 0; i < header->n; i++)
    if (strcasecmp(header->fields[i], name) == 0) return i;
  return -1;
}

void thema_csv_quote(ThemaBuf *out, const char *s, size_t n, char delim) {
  int needs = 0;
  for (size_t i = 0; i < n && !needs; i++)
    needs = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!needs) {
    thema_buf_append(out, s, n);
    return;
  }
  thema_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') thema_buf_putc(out, '"');
    thema_buf_putc(out, s[i]);
  }
  thema_buf_putc(out, '"');
}
