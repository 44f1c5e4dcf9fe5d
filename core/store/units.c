/*
 * units.c — reads reliability data (see units.h): one statement joins each
 * segment of the covered sources to its coders' codings (a LEFT JOIN, so a
 * segment nobody coded still comes as a unit), in source name, ordinal and
 * coding order. The source table is scanned through its name index and each
 * segment's codings through coding_by_segment, so SQLite sorts only the
 * codings of one segment at a time: memory stays flat however large the
 * store. The SQL is built for the number of coders and sources, with every
 * value bound.
 */
#include "store/units.h"
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

struct ThemaUnitsCursor {
  sqlite3_stmt *q;          /* the reading, NULL once finished */
  int pending;              /* q holds a row of the next unit, not yet read */
  ThemaBuf source;          /* fields of the unit last returned */
  ThemaBuf speaker;         /* its speaker label */
  ThemaBuf text;            /* its text */
  ThemaBuf paths;           /* its codings' code paths, each NUL-terminated */
  ThemaUnitCoding *codings; /* its codings; .code set from paths at the end */
  size_t *path_at;          /* offset of each coding's path in paths */
  size_t ncodings, cap;     /* codings used and allocated */
};

/* Visible codings of the runs among spec's coders: their run has status ok or
 * running. Each run's parameter is ?(j+1), j its coder index. */
static void run_condition(ThemaBuf *sql, const ThemaUnitsSpec *spec, const char *k) {
  thema_buf_printf(sql, "%s.run_id IN (SELECT id FROM run WHERE id IN (", k);
  int n = 0;
  for (int j = 0; j < spec->ncoders; j++)
    if (spec->coders[j].run_id) thema_buf_printf(sql, n++ ? ", ?%d" : "?%d", j + 1);
  thema_buf_puts(sql, ") AND status IN ('ok', 'running'))");
}

/* The codings of spec's coders, as a condition on the coding alias k. */
static void coder_condition(ThemaBuf *sql, const ThemaUnitsSpec *spec, const char *k) {
  int runs = 0, humans = 0;
  for (int j = 0; j < spec->ncoders; j++) {
    if (spec->coders[j].run_id)
      runs++;
    else
      humans++;
  }
  thema_buf_puts(sql, "(");
  if (runs) run_condition(sql, spec, k);
  if (runs && humans) thema_buf_puts(sql, " OR ");
  if (humans) {
    thema_buf_printf(sql, "(%s.run_id IS NULL AND %s.coder IN (", k, k);
    int n = 0;
    for (int j = 0; j < spec->ncoders; j++)
      if (!spec->coders[j].run_id) thema_buf_printf(sql, n++ ? ", ?%d" : "?%d", j + 1);
    thema_buf_puts(sql, "))");
  }
  thema_buf_puts(sql, ")");
}

/* " AND s.name IN (...)" for spec's sources; their parameters follow the
 * coders'. */
static void source_condition(ThemaBuf *sql, const ThemaUnitsSpec *spec) {
  if (!spec->sources) return;
  thema_buf_puts(sql, " AND s.name IN (");
  for (int i = 0; i < spec->nsources; i++)
    thema_buf_printf(sql, i ? ", ?%d" : "?%d", spec->ncoders + i + 1);
  thema_buf_puts(sql, ")");
}

static int check_spec(const ThemaUnitsSpec *spec, ThemaError *err) {
  if (spec->ncoders < 1 || (spec->sources && spec->nsources < 1))
    return thema_error_set(err, THEMA_EUSAGE, "units: no coders or an empty source list");
  for (int j = 0; j < spec->ncoders; j++)
    if (!spec->coders[j].run_id && !spec->coders[j].human)
      return thema_error_set(err, THEMA_EUSAGE,
                             "units: coder %d is neither a run nor named", j + 1);
  return THEMA_OK;
}

/* Prepare sql and bind the coders (?1..) and then the sources. */
static sqlite3_stmt *prepare(ThemaStore *st, const ThemaBuf *sql,
                             const ThemaUnitsSpec *spec, ThemaError *err) {
  sqlite3 *db = thema_store_db(st);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, thema_buf_str(sql), -1, &q, NULL) != SQLITE_OK) {
    thema_error_set(err, THEMA_ERUNTIME, "units: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return NULL;
  }
  for (int j = 0; j < spec->ncoders; j++) {
    if (spec->coders[j].run_id)
      sqlite3_bind_int64(q, j + 1, spec->coders[j].run_id);
    else
      sqlite3_bind_text(q, j + 1, spec->coders[j].human, -1, SQLITE_STATIC);
  }
  for (int i = 0; spec->sources && i < spec->nsources; i++)
    sqlite3_bind_text(q, spec->ncoders + i + 1, spec->sources[i], -1, SQLITE_STATIC);
  return q;
}

int thema_units_count(ThemaStore *st, const ThemaUnitsCoder *coder,
                      const ThemaUnitsSpec *spec, int64_t *codings, int64_t *sources,
                      ThemaError *err) {
  *codings = *sources = 0;
  ThemaUnitsSpec one = {coder, 1, spec ? spec->sources : NULL, spec ? spec->nsources : 0};
  if (check_spec(&one, err)) return err->status;
  ThemaBuf sql = {0};
  thema_buf_puts(&sql, "SELECT count(*), count(DISTINCT g.source_id) FROM coding k"
                       " JOIN segment g ON g.id = k.segment_id"
                       " JOIN source s ON s.id = g.source_id WHERE ");
  coder_condition(&sql, &one, "k");
  source_condition(&sql, &one);
  sqlite3_stmt *q = prepare(st, &sql, &one, err);
  thema_buf_free(&sql);
  if (!q) return err->status;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *codings = sqlite3_column_int64(q, 0);
    *sources = sqlite3_column_int64(q, 1);
  } else {
    thema_error_set(err, THEMA_ERUNTIME, "units: %s", sqlite3_errmsg(thema_store_db(st)));
  }
  sqlite3_finalize(q);
  return err->status;
}

int thema_units_open(ThemaStore *st, const ThemaUnitsSpec *spec, ThemaUnitsCursor **out,
                     ThemaError *err) {
  *out = NULL;
  if (check_spec(spec, err)) return err->status;
  ThemaBuf sql = {0};
  thema_buf_puts(&sql, "SELECT s.name, g.id, g.ordinal, sp.label, g.text, CASE");
  for (int j = 0; j < spec->ncoders; j++) {
    if (spec->coders[j].run_id)
      thema_buf_printf(&sql, " WHEN k.run_id = ?%d THEN %d", j + 1, j);
    else
      thema_buf_printf(&sql, " WHEN k.run_id IS NULL AND k.coder = ?%d THEN %d", j + 1, j);
  }
  thema_buf_puts(&sql, " END, c.id, c.path FROM source s"
                       " CROSS JOIN segment g ON g.source_id = s.id"
                       " LEFT JOIN speaker sp ON sp.id = g.speaker_id"
                       " LEFT JOIN coding k ON k.segment_id = g.id AND ");
  coder_condition(&sql, spec, "k");
  /* +s.id: the planner must not read the sources by id, which would sort the
   * whole result; it scans them in name order instead. */
  thema_buf_puts(&sql, " LEFT JOIN code c ON c.id = k.code_id WHERE +s.id IN"
                       " (SELECT g2.source_id FROM coding k2"
                       " JOIN segment g2 ON g2.id = k2.segment_id WHERE ");
  coder_condition(&sql, spec, "k2");
  thema_buf_puts(&sql, ")");
  source_condition(&sql, spec);
  thema_buf_puts(&sql, " ORDER BY s.name, g.ordinal, k.start, k.end, c.path, k.id");
  sqlite3_stmt *q = prepare(st, &sql, spec, err);
  thema_buf_free(&sql);
  if (!q) return err->status;
  ThemaUnitsCursor *c = thema_xcalloc(1, sizeof *c);
  c->q = q;
  *out = c;
  return THEMA_OK;
}

static void set_buf(ThemaBuf *b, sqlite3_stmt *q, int col) {
  thema_buf_reset(b);
  const unsigned char *s = sqlite3_column_text(q, col);
  if (s) thema_buf_append(b, (const char *)s, (size_t)sqlite3_column_bytes(q, col));
}

static void add_coding(ThemaUnitsCursor *c) {
  if (c->ncodings == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 16;
    c->codings = thema_xrealloc(c->codings, c->cap * sizeof *c->codings);
    c->path_at = thema_xrealloc(c->path_at, c->cap * sizeof *c->path_at);
  }
  ThemaUnitCoding *k = &c->codings[c->ncodings];
  k->coder = sqlite3_column_int(c->q, 5);
  k->code_id = sqlite3_column_int64(c->q, 6);
  k->code = NULL;
  c->path_at[c->ncodings++] = c->paths.len;
  const unsigned char *path = sqlite3_column_text(c->q, 7);
  thema_buf_append(&c->paths, (const char *)path, (size_t)sqlite3_column_bytes(c->q, 7));
  thema_buf_putc(&c->paths, '\0');
}

int thema_units_next(ThemaUnitsCursor *c, ThemaUnit *unit, ThemaError *err) {
  memset(unit, 0, sizeof *unit);
  if (!c->q) return 0;
  sqlite3 *db = sqlite3_db_handle(c->q);
  int rc = c->pending ? SQLITE_ROW : sqlite3_step(c->q);
  c->pending = 0;
  if (rc != SQLITE_ROW) goto end;
  int64_t id = sqlite3_column_int64(c->q, 1);
  set_buf(&c->source, c->q, 0);
  unit->segment_id = id;
  unit->ordinal = sqlite3_column_int64(c->q, 2);
  int has_speaker = sqlite3_column_type(c->q, 3) != SQLITE_NULL;
  set_buf(&c->speaker, c->q, 3);
  set_buf(&c->text, c->q, 4);
  thema_buf_reset(&c->paths);
  c->ncodings = 0;
  for (;;) {
    if (sqlite3_column_type(c->q, 5) != SQLITE_NULL) add_coding(c);
    rc = sqlite3_step(c->q);
    if (rc != SQLITE_ROW) break;
    if (sqlite3_column_int64(c->q, 1) != id) {
      c->pending = 1;
      break;
    }
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) goto end;
  for (size_t i = 0; i < c->ncodings; i++)
    c->codings[i].code = c->paths.data + c->path_at[i];
  unit->source = thema_buf_str(&c->source);
  unit->speaker = has_speaker ? thema_buf_str(&c->speaker) : NULL;
  unit->text = thema_buf_str(&c->text);
  unit->text_len = c->text.len;
  unit->codings = c->ncodings ? c->codings : NULL;
  unit->ncodings = c->ncodings;
  if (rc == SQLITE_DONE) {
    sqlite3_finalize(c->q);
    c->q = NULL;
  }
  return 1;
end:
  if (rc != SQLITE_DONE) {
    thema_error_set(err, THEMA_ERUNTIME, "units: %s", sqlite3_errmsg(db));
    memset(unit, 0, sizeof *unit);
  }
  sqlite3_finalize(c->q);
  c->q = NULL;
  return rc == SQLITE_DONE ? 0 : -1;
}

void thema_units_close(ThemaUnitsCursor *c) {
  if (!c) return;
  sqlite3_finalize(c->q);
  thema_buf_free(&c->source);
  thema_buf_free(&c->speaker);
  thema_buf_free(&c->text);
  thema_buf_free(&c->paths);
  free(c->codings);
  free(c->path_at);
  free(c);
}
