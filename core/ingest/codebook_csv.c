/*
 * codebook_csv.c — a codebook as CSV: a header naming some of the fields
 * (code required), then one row per code. A cell holding several patterns
 * or examples has one per line.
 */
#include <strings.h>

#include "ingest/codebook.h"
#include "text/csv.h"

typedef struct CsvCodebook {
  ThemaCodebook *cb;         /* where the codes go */
  int col[THEMA_CB_NFIELDS]; /* column of each field, -1 when absent */
  int header_seen;           /* the header row has been read */
} CsvCodebook;

static int header(CsvCodebook *c, const ThemaCsvRow *row, ThemaError *err) {
  for (int k = 0; k < THEMA_CB_NFIELDS; k++)
    c->col[k] = thema_csv_column(row, thema_codebook_fields[k]);
  for (int i = 0; i < row->n; i++) {
    int known = 0;
    for (int k = 0; k < THEMA_CB_NFIELDS; k++)
      known |= strcasecmp(row->fields[i], thema_codebook_fields[k]) == 0;
    if (!known) {
      ThemaBuf names = {0};
      thema_codebook_join(&names, thema_codebook_fields);
      thema_error_at(err, THEMA_EINPUT, c->cb->path, row->line, i + 1,
                     "unknown column '%s'; a codebook has the columns %s", row->fields[i],
                     thema_buf_str(&names));
      thema_buf_free(&names);
      return err->status;
    }
  }
  if (c->col[THEMA_CB_CODE] < 0)
    return thema_error_at(err, THEMA_EINPUT, c->cb->path, row->line, 0,
                          "a codebook needs a 'code' column");
  return THEMA_OK;
}

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  CsvCodebook *c = ud;
  if (!c->header_seen) {
    c->header_seen = 1;
    return header(c, row, err);
  }
  ThemaCbCode *code = thema_codebook_add(c->cb);
  code->line = row->line;
#define CELL(k) (c->col[k] >= 0 ? row->fields[c->col[k]] : NULL)
  code->name = thema_codebook_strdup(CELL(THEMA_CB_CODE));
  if (!code->name) code->name = thema_xstrdup("");
  code->parent = thema_codebook_strdup(CELL(THEMA_CB_PARENT));
  code->description = thema_codebook_strdup(CELL(THEMA_CB_DESCRIPTION));
  thema_list_lines(&code->include, CELL(THEMA_CB_INCLUDE));
  thema_list_lines(&code->exclude, CELL(THEMA_CB_EXCLUDE));
  code->options = thema_codebook_strdup(CELL(THEMA_CB_OPTIONS));
  thema_list_lines(&code->match, CELL(THEMA_CB_MATCH));
  thema_list_lines(&code->nomatch, CELL(THEMA_CB_NOMATCH));
  code->colour = thema_codebook_strdup(CELL(THEMA_CB_COLOUR));
#undef CELL
  return THEMA_OK;
}

int thema_codebook_read_csv(ThemaCodebook *cb, const char *text, size_t len,
                            ThemaError *err) {
  CsvCodebook c = {.cb = cb};
  return thema_csv_read(cb->path, text, len, 0, on_row, &c, err);
}
