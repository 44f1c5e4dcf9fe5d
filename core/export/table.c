/*
 * table.c — the table writer (table.h). CSV quoting is text/csv's; the
 * workbook is libxlsxwriter's, in constant-memory mode (rows are written as
 * they come), with fixed document properties so the same table gives the
 * same bytes.
 */
#include "export/table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/outfile.h"
#include "base/utf8.h"
#include "text/csv.h"

struct ThemaTable {
  ThemaTableFormat f;
  ThemaBuf *out;    /* CSV, TSV */
  int col;          /* cells written in the current row */
  lxw_workbook *wb; /* xlsx */
  lxw_worksheet *ws;
  lxw_row_t row;
  char *path, *tmp; /* xlsx: the file and the name it is written under */
  int failed;       /* an xlsx call failed */
  char why[128];
};

int thema_table_format(const char *name, int excel, const char *what, ThemaTableFormat *f,
                       ThemaError *err) {
  memset(f, 0, sizeof *f);
  f->excel = excel;
  if (strcmp(name, "csv") == 0)
    f->kind = THEMA_TABLE_CSV;
  else if (strcmp(name, "tsv") == 0)
    f->kind = THEMA_TABLE_TSV;
  else if (strcmp(name, "xlsx") == 0)
    f->kind = THEMA_TABLE_XLSX;
  else
    return thema_error_set(err, THEMA_EUSAGE, "%s: --format is csv, tsv or xlsx, not '%s'",
                           what, name);
  return THEMA_OK;
}

ThemaTable *thema_table_new(const ThemaTableFormat *f, ThemaBuf *out, const char *xlsx_path,
                            ThemaError *err) {
  ThemaTable *t = thema_xcalloc(1, sizeof *t);
  t->f = *f;
  t->out = out;
  if (f->kind != THEMA_TABLE_XLSX) {
    if (f->kind == THEMA_TABLE_CSV && f->excel) thema_buf_puts(out, "\xEF\xBB\xBF");
    return t;
  }
  if (!xlsx_path) {
    free(t);
    thema_error_set(err, THEMA_EUSAGE,
                    "--format xlsx writes a file: give --output FILE.xlsx");
    return NULL;
  }
  t->path = thema_xstrdup(xlsx_path);
  ThemaBuf tmp = {0};
  thema_buf_printf(&tmp, "%s.tmp%ld", xlsx_path, (long)getpid());
  t->tmp = thema_xstrdup(tmp.data);
  thema_buf_free(&tmp);
  lxw_workbook_options o = {
      .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
  t->wb = workbook_new_opt(t->tmp, &o);
  t->ws = t->wb ? workbook_add_worksheet(t->wb, NULL) : NULL;
  if (!t->ws) {
    if (t->wb) workbook_close(t->wb);
    remove(t->tmp);
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot start the workbook", xlsx_path);
    free(t->path);
    free(t->tmp);
    free(t);
    return NULL;
  }
  /* A fixed creation time (0 would mean "now"): the same table, the same
   * bytes. 2000-01-01T00:00:00Z. */
  lxw_doc_properties props = {.title = NULL, .created = 946684800};
  workbook_set_properties(t->wb, &props);
  return t;
}

static void sep(ThemaTable *t) {
  if (t->col++ == 0 || t->f.kind == THEMA_TABLE_XLSX) return;
  thema_buf_putc(t->out, t->f.kind == THEMA_TABLE_TSV ? '\t' : t->f.excel ? ';' : ',');
}

/* How much of s[0..n) fits a spreadsheet cell, at a code-point boundary. */
static size_t fit(const char *s, size_t n, size_t *cut_cps) {
  *cut_cps = 0;
  size_t cps = thema_utf8_count(s, n);
  if (cps <= THEMA_TABLE_CELL_MAX) return n;
  size_t keep = THEMA_TABLE_CELL_MAX - 40; /* room for the marker */
  *cut_cps = cps - keep;
  return thema_utf8_byte_offset(s, n, keep);
}

static void xlsx_check(ThemaTable *t, lxw_error rc) {
  if (rc != LXW_NO_ERROR && !t->failed) {
    t->failed = 1;
    snprintf(t->why, sizeof t->why, "%s", lxw_strerror(rc));
  }
}

void thema_table_text(ThemaTable *t, const char *s, size_t n) {
  sep(t);
  int spreadsheet = t->f.excel || t->f.kind == THEMA_TABLE_XLSX;
  size_t cut = 0;
  if (spreadsheet) n = fit(s, n, &cut);
  ThemaBuf cell = {0};
  /* A value a spreadsheet would take for a formula is text, not code. */
  if (spreadsheet && t->f.kind != THEMA_TABLE_XLSX && n && strchr("=+-@\t\r", s[0]))
    thema_buf_putc(&cell, '\'');
  thema_buf_append(&cell, s, n);
  if (cut) thema_buf_printf(&cell, " [cut: %zu more characters]", cut);
  if (t->f.kind == THEMA_TABLE_XLSX) {
    xlsx_check(t, worksheet_write_string(t->ws, t->row, (lxw_col_t)(t->col - 1),
                                         cell.data ? cell.data : "", NULL));
  } else if (t->f.kind == THEMA_TABLE_TSV) {
    for (size_t i = 0; i < cell.len; i++) {
      char c = cell.data[i];
      thema_buf_putc(t->out, c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
  } else {
    thema_csv_quote(t->out, cell.data ? cell.data : "", cell.len, t->f.excel ? ';' : ',');
  }
  thema_buf_free(&cell);
}

void thema_table_number(ThemaTable *t, double v) {
  if (t->f.kind == THEMA_TABLE_XLSX) {
    sep(t);
    xlsx_check(t, worksheet_write_number(t->ws, t->row, (lxw_col_t)(t->col - 1), v, NULL));
    return;
  }
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", v);
  /* The shortest text that reads back as the same number. */
  for (int p = 1; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, v);
    if (strtod(buf, NULL) == v) break;
  }
  if (t->f.excel)
    for (char *c = buf; *c; c++)
      if (*c == '.') *c = ',';
  sep(t);
  thema_buf_puts(t->out, buf);
}

void thema_table_number_text(ThemaTable *t, const char *s, size_t n) {
  if (t->f.kind == THEMA_TABLE_XLSX) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), s);
    thema_table_number(t, strtod(buf, NULL));
    return;
  }
  sep(t);
  for (size_t k = 0; k < n; k++)
    thema_buf_putc(t->out, t->f.excel && s[k] == '.' ? ',' : s[k]);
}

void thema_table_integer(ThemaTable *t, long long v) {
  if (t->f.kind == THEMA_TABLE_XLSX) {
    thema_table_number(t, (double)v);
    return;
  }
  sep(t);
  thema_buf_printf(t->out, "%lld", v);
}

void thema_table_empty(ThemaTable *t) { sep(t); }

void thema_table_end_row(ThemaTable *t) {
  if (t->f.kind == THEMA_TABLE_XLSX)
    t->row++;
  else
    thema_buf_puts(t->out, t->f.excel && t->f.kind == THEMA_TABLE_CSV ? "\r\n" : "\n");
  t->col = 0;
}

void thema_table_header_of(ThemaTable *t, const ThemaCursor *c) {
  for (int i = 0; i < thema_cursor_ncols(c); i++) {
    const char *name = thema_cursor_name(c, i);
    thema_table_text(t, name, strlen(name));
  }
  thema_table_end_row(t);
}

void thema_table_row_of(ThemaTable *t, const ThemaCursor *c) {
  for (int i = 0; i < thema_cursor_ncols(c); i++) {
    switch (thema_cursor_type(c, i)) {
      case THEMA_VALUE_NULL: thema_table_empty(t); break;
      case THEMA_VALUE_INT:
        thema_table_integer(t, (long long)thema_cursor_int(c, i));
        break;
      case THEMA_VALUE_REAL: { /* SQLite's own text of the number */
        size_t len;
        const char *s = thema_cursor_text(c, i, &len);
        thema_table_number_text(t, s, len);
        break;
      }
      default: {
        size_t len;
        const char *s = thema_cursor_text(c, i, &len);
        thema_table_text(t, s, len);
      }
    }
  }
  thema_table_end_row(t);
}

void thema_table_abort(ThemaTable *t) {
  if (!t) return;
  t->failed = 1; /* close below writes the workbook, renames nothing, removes it */
  snprintf(t->why, sizeof t->why, "aborted");
  ThemaError ignored = {0};
  thema_table_close(t, &ignored);
}

int thema_table_close(ThemaTable *t, ThemaError *err) {
  if (!t) return err->status;
  if (t->f.kind == THEMA_TABLE_XLSX) {
    lxw_error rc = workbook_close(t->wb);
    if (rc != LXW_NO_ERROR) xlsx_check(t, rc);
    if (!t->failed && !err->status && rename(t->tmp, t->path) != 0)
      thema_error_set(err, THEMA_ERUNTIME, "%s: cannot write: %s", t->path,
                      strerror(errno));
    else if (t->failed)
      thema_error_set(err, THEMA_ERUNTIME, "%s: cannot write the workbook: %s", t->path,
                      t->why);
    remove(t->tmp); /* gone after a rename; a failed one is not kept */
    free(t->path);
    free(t->tmp);
  }
  free(t);
  return err->status;
}

int thema_table_write_cursor(ThemaCursor *c, const ThemaTableFormat *f, const char *path,
                             const char *user, ThemaError *err) {
  int xlsx = f->kind == THEMA_TABLE_XLSX;
  if (xlsx && (!path || strcmp(path, "-") == 0))
    return thema_error_set(err, THEMA_EUSAGE,
                           "--format xlsx writes a file: give --output FILE.xlsx");
  ThemaOutfile out = {0};
  ThemaBuf buf = {0};
  ThemaTable *t = NULL;
  if (!xlsx && thema_outfile_open(&out, path, err)) goto done;
  if (!(t = thema_table_new(f, &buf, xlsx ? path : NULL, err))) goto done;
  thema_table_header_of(t, c);
  int rc;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    thema_table_row_of(t, c);
    if (!xlsx && thema_outfile_put_buf(&out, &buf, 1 << 16)) break; /* commit says why */
  }
  if (rc < 0) {
    if (user) { /* the user's statement failed while running: an input error */
      char why[sizeof err->msg];
      thema_error_set(err, THEMA_EINPUT, "%s: %s", user, thema_error_take(err, why));
    }
    goto done;
  }
  ThemaTable *done_t = t;
  t = NULL;
  if (thema_table_close(done_t, err)) goto done;
  if (!xlsx) {
    thema_outfile_put_buf(&out, &buf, 0);
    thema_outfile_commit(&out, err);
  }
done:
  thema_table_abort(t);
  thema_outfile_abort(&out);
  thema_buf_free(&buf);
  return err->status;
}
