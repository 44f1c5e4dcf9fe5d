/*
 * codings.c — human codings from CSV, so that a researcher's own coding (or
 * another tool's export) can be compared with a run. Columns: source,
 * segment (ordinal), code (path) and optionally start, end (code points into
 * the source text; default the whole segment), coder, memo. The same
 * columns as `thema export codings`, so an export re-imports. Importing a
 * coder's file replaces that coder's earlier codings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/keys.h"
#include "ingest/sniff.h"
#include "text/csv.h"

typedef struct Codings {
  ThemaSink *sink;   /* where the codings go */
  const char *path;  /* the file, for messages */
  const char *coder; /* --coder, when the file has no coder column */
  int header_read;   /* the header row has been read */
  ThemaKeys coders;  /* the coders of this file so far */

  int c_source, c_segment, c_code;     /* columns, -1 when absent */
  int c_start, c_end, c_coder, c_memo; /* optional columns, -1 when absent */
} Codings;

static int read_int(const Codings *c, const ThemaCsvRow *row, int col, int64_t *out,
                    ThemaError *err) {
  const char *s = row->fields[col];
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno == ERANGE && *s && !*end)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, col + 1,
                          "'%s' is too large for a segment number or an offset", s);
  if (!*s || *end || v < 0)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, col + 1,
                          "'%s' is not a whole number", s);
  *out = v;
  return THEMA_OK;
}

static int on_header(Codings *c, const ThemaCsvRow *row, ThemaError *err) {
  c->header_read = 1;
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
  if (c->coder && !*c->coder)
    return thema_error_at(err, THEMA_EINPUT, c->path, 0, 0,
                          "the coder's name is empty; pass --coder NAME");
  if (c->c_coder < 0 && !c->coder)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, 0,
                          "say who coded: add a 'coder' column or pass --coder NAME");
  return THEMA_OK;
}

static int on_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  Codings *c = ud;
  if (!c->header_read) return on_header(c, row, err);
  thema_sink_count_row(c->sink);
  const char *coder =
      c->c_coder >= 0 && *row->fields[c->c_coder] ? row->fields[c->c_coder] : c->coder;
  if (!coder)
    return thema_error_at(err, THEMA_EINPUT, c->path, row->line, c->c_coder + 1,
                          "empty coder; fill it in or pass --coder NAME");
  /* The first row of each coder replaces that coder's earlier codings. */
  size_t coder_len = strlen(coder);
  if (!thema_keys_find(&c->coders, coder, coder_len)) {
    thema_keys_add(&c->coders, coder, coder_len, row->line, NULL);
    if (thema_sink_begin_coder(c->sink, coder, err)) return err->status;
  }
  const char *source = row->fields[c->c_source];
  const char *code = row->fields[c->c_code];
  if (!*code) return THEMA_OK; /* a unit left uncoded: nothing to store */
  int64_t ordinal, s0 = 0, s1 = 0;
  int found = 0;
  if (read_int(c, row, c->c_segment, &ordinal, err) ||
      thema_sink_find_segment(c->sink, source, ordinal, &found, &s0, &s1, err))
    return err->status;
  if (!found)
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
  ThemaCodingRec rec = {
      .source = source,
      .ordinal = ordinal,
      .start = start,
      .end = end,
      .code = code,
      .coder = coder,
      .memo = c->c_memo >= 0 && *row->fields[c->c_memo] ? row->fields[c->c_memo] : NULL};
  if (thema_sink_add_coding(c->sink, &rec, err) && err->status == THEMA_EINPUT) {
    /* a bad code path: name the row, not just the path */
    ThemaError at = {0};
    thema_error_at(&at, THEMA_EINPUT, c->path, row->line, c->c_code + 1, "%s", err->msg);
    *err = at;
  }
  return err->status;
}

int thema_parse_codings(ThemaSink *sink, const char *path, const ThemaInput *in,
                        const char *coder, ThemaError *err) {
  Codings c = {.sink = sink, .path = path, .coder = coder};
  thema_csv_read(path, in->buf.data, in->buf.len, 0, on_row, &c, err);
  thema_keys_clear(&c.coders);
  return err->status;
}

int thema_read_codings(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                       ThemaError *err) {
  ThemaInput in = {0};
  if (!thema_sniff_require(path, "codings", NULL, err) && !thema_input_load(path, &in, err))
    thema_parse_codings(sink, path, &in, opt ? opt->coder : NULL, err);
  thema_input_free(&in);
  return err->status;
}
