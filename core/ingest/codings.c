/*
 * ingest_codings.c — human codings from CSV, so that a researcher's own
 * coding (or another tool's export) can be compared with a run. Columns:
 * source, segment (ordinal), code (path) and optionally start, end (code
 * points into the source text; default the whole segment), coder, memo.
 * The same columns as `thema export codings`, so an export re-imports.
 * Importing a coder's file replaces that coder's earlier codings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deductive/codebook.h"
#include "ingest/ingest.h"
#include "text/csv.h"

typedef struct Codings {
  ThemaStore *st;
  const char *path;
  const char *coder; /* --coder, when the file has no coder column */
  int c_source, c_segment, c_code, c_start, c_end, c_coder, c_memo;
  ThemaImportResult *res;
} Codings;

static int read_int(const Codings *c, const ThemaCsvRow *row, int col, int64_t *out,
                    ThemaError *err) {
  const char *s = row->fields[col];
  char *end;
  long long v = strtoll(s, &end, 10);
  if (!*s || *end || v < 0)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, col + 1,
                          "'%s' is not a whole number", s);
  *out = v;
  return THEMA_OK;
}

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Codings *c = ud;
  if (c->c_source == -2) {
    c->c_source = thema_csv_column(row, "source");
    c->c_segment = thema_csv_column(row, "segment");
    c->c_code = thema_csv_column(row, "code");
    c->c_start = thema_csv_column(row, "start");
    c->c_end = thema_csv_column(row, "end");
    c->c_coder = thema_csv_column(row, "coder");
    c->c_memo = thema_csv_column(row, "memo");
    if (c->c_source < 0 || c->c_segment < 0 || c->c_code < 0)
      return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                            "codings need the columns source, segment and code (and may "
                            "have start, end, coder, memo)");
    if ((c->c_start < 0) != (c->c_end < 0))
      return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                            "give both start and end, or neither");
    if (c->c_coder < 0 && !c->coder)
      return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                            "say who coded: add a 'coder' column or pass --coder NAME");
    return THEMA_OK;
  }
  c->res->rows++;
  const char *coder =
      c->c_coder >= 0 && *row->fields[c->c_coder] ? row->fields[c->c_coder] : c->coder;
  if (!coder)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_coder + 1,
                          "empty coder; fill it in or pass --coder NAME");
  /* The first row of each coder replaces that coder's earlier codings. */
  int64_t seen = 0;
  if (thema_store_exec_id(c->st, err, &seen,
                          "SELECT 1 FROM temp.codings_seen WHERE coder = ?", "t", coder) ||
      (!seen && (thema_store_exec(c->st, err,
                                  "DELETE FROM coding WHERE coder = ? AND run_id IS NULL",
                                  "t", coder) ||
                 thema_store_exec(c->st, err, "INSERT INTO temp.codings_seen VALUES (?)",
                                  "t", coder))))
    return err->status;
  const char *source = row->fields[c->c_source];
  const char *code = row->fields[c->c_code];
  if (!*code) return THEMA_OK; /* a unit left uncoded: nothing to store */
  int64_t ordinal, seg = 0, s0 = 0, s1 = 0;
  if (read_int(c, row, c->c_segment, &ordinal, err)) return err->status;
  sqlite3_stmt *q = thema_store_stmt(
      c->st,
      "SELECT g.id, g.start, g.end FROM segment g JOIN source s ON s.id = g.source_id"
      " WHERE s.name = ? AND g.ordinal = ?",
      err);
  if (!q) return err->status;
  sqlite3_bind_text(q, 1, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(q, 2, ordinal);
  if (sqlite3_step(q) == SQLITE_ROW) {
    seg = sqlite3_column_int64(q, 0);
    s0 = sqlite3_column_int64(q, 1);
    s1 = sqlite3_column_int64(q, 2);
  }
  sqlite3_reset(q);
  if (!seg)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_segment + 1,
                          "source '%s' has no segment %lld; import the source first or "
                          "fix the row",
                          source, (long long)ordinal);
  int64_t start = s0, end = s1;
  if (c->c_start >= 0 && *row->fields[c->c_start]) {
    if (read_int(c, row, c->c_start, &start, err) || read_int(c, row, c->c_end, &end, err))
      return err->status;
    if (start < s0 || end > s1 || start > end)
      return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_start + 1,
                            "span %lld-%lld is not within segment %lld (%lld-%lld)",
                            (long long)start, (long long)end, (long long)ordinal,
                            (long long)s0, (long long)s1);
  }
  int64_t code_id;
  if (thema_code_ensure(c->st, code, "manual", &code_id, err)) {
    /* name the row, not just the path */
    ThemaError at = {0};
    thema_error_at(&at, THEMA_EINPUT, c->path, row->line, c->c_code + 1, "%s", err->msg);
    *err = at;
    return err->status;
  }
  const char *memo =
      c->c_memo >= 0 && *row->fields[c->c_memo] ? row->fields[c->c_memo] : NULL;
  if (thema_store_exec(c->st, err,
                       "INSERT INTO coding(code_id, segment_id, start, end, coder, memo)"
                       " VALUES (?,?,?,?,?,?)",
                       "iiiitt", code_id, seg, start, end, coder, memo))
    return err->status;
  c->res->segments++;
  return THEMA_OK;
}

int thema_import_codings(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                         ThemaImportResult *res, ThemaError *err) {
  ThemaInput text = {0};
  Codings c = {
      .st = st, .path = path, .coder = opt ? opt->coder : NULL, .res = res, .c_source = -2};
  if (thema_input_load(path, &text, err)) goto done;
  if (thema_store_exec(
          st, err, "CREATE TEMP TABLE IF NOT EXISTS codings_seen(coder TEXT PRIMARY KEY)",
          "") ||
      thema_store_exec(st, err, "DELETE FROM temp.codings_seen", ""))
    goto done;
  if (thema_csv_read(path, text.buf.data, text.buf.len, 0, on_row, &c, err)) goto done;
done:
  thema_input_free(&text);
  return err->status;
}
