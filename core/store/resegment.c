/*
 * resegment.c — re-cutting a source (see resegment.h). The source's
 * segments and codings are read first, the new units computed and every
 * coding placed before anything is written: a coding that does not fit
 * stops the re-cut with nothing changed. The writes go through the writers
 * of their tables (store/source.c, store/coding.c).
 */
#include "store/resegment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "store/coding.h"
#include "store/internal.h"
#include "store/source.h"
#include "text/sentence.h"
#include "text/text.h"

typedef struct OldSegment {
  int64_t id, speaker_id, start, end; /* start/end: code points */
  char *section, *text;               /* owned */
  size_t len;
  int timed;
  double t0, t1;
  size_t first, n; /* its units: units[first .. first + n) */
} OldSegment;

typedef struct Unit {
  size_t seg;         /* index of its old segment */
  size_t b, e;        /* bytes into the old segment's text */
  int64_t start, end; /* code points into the source's text */
  int64_t id;         /* the new row */
} Unit;

typedef struct Cut {
  OldSegment *segs;
  size_t nsegs;
  Unit *units;
  size_t nunits, cap;
} Cut;

int thema_unit_parse(const char *text, ThemaUnitSpec *spec, ThemaError *err) {
  if (strcmp(text, "sentence") == 0) {
    spec->unit = THEMA_UNIT_SENTENCE;
    return THEMA_OK;
  }
  if (strcmp(text, "paragraph") == 0) {
    spec->unit = THEMA_UNIT_PARAGRAPH;
    return THEMA_OK;
  }
  char *end = NULL;
  if (strncmp(text, "window=", 7) == 0) {
    long n = strtol(text + 7, &end, 10);
    if (end != text + 7 && !*end && n >= 1 && n <= 100000) {
      spec->unit = THEMA_UNIT_WINDOW;
      spec->window = (int)n;
      return THEMA_OK;
    }
  }
  return thema_error_set(err, THEMA_EUSAGE,
                         "unit '%s': give sentence, paragraph or window=N (N words, 1 to "
                         "100000)",
                         text);
}

void thema_unit_name(const ThemaUnitSpec *spec, char *out, size_t n) {
  if (spec->unit == THEMA_UNIT_WINDOW)
    snprintf(out, n, "window=%d", spec->window);
  else
    snprintf(out, n, "%s", spec->unit == THEMA_UNIT_SENTENCE ? "sentence" : "paragraph");
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* A unit s[b..e) of segment seg, blanks trimmed; nothing when it is blank. */
static void add_unit(Cut *c, size_t seg, size_t b, size_t e) {
  const char *s = c->segs[seg].text;
  while (b < e && is_blank(s[b])) b++;
  while (e > b && is_blank(s[e - 1])) e--;
  if (b == e) return;
  if (c->nunits == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 64;
    c->units = thema_xrealloc(c->units, c->cap * sizeof *c->units);
  }
  OldSegment *o = &c->segs[seg];
  Unit *u = &c->units[c->nunits++];
  *u = (Unit){.seg = seg, .b = b, .e = e};
  u->start = o->start + (int64_t)thema_utf8_count(s, b);
  u->end = u->start + (int64_t)thema_utf8_count(s + b, e - b);
  o->n++;
}

typedef struct SentenceUd {
  Cut *c;
  size_t seg;
} SentenceUd;

static int on_sentence(void *ud, size_t b, size_t e, ThemaError *err) {
  (void)err;
  SentenceUd *x = ud;
  add_unit(x->c, x->seg, b, e);
  return THEMA_OK;
}

static int cut_segment(Cut *c, size_t seg, const ThemaUnitSpec *spec, ThemaError *err) {
  OldSegment *o = &c->segs[seg];
  o->first = c->nunits;
  const char *s = o->text;
  if (spec->unit == THEMA_UNIT_SENTENCE) {
    SentenceUd ud = {c, seg};
    return thema_sentences(s, o->len, spec->language, on_sentence, &ud, err);
  }
  if (spec->unit == THEMA_UNIT_PARAGRAPH) {
    size_t b = 0;
    for (size_t i = 0; i + 1 < o->len; i++)
      if (s[i] == '\n' && s[i + 1] == '\n') {
        add_unit(c, seg, b, i);
        while (i + 1 < o->len && s[i + 1] == '\n') i++;
        b = i + 1;
      }
    add_unit(c, seg, b, o->len);
    return THEMA_OK;
  }
  /* Windows of N words: each runs from its first word to the next window's
   * first word, so the text between words stays in a unit. */
  ThemaWordScan sc = {.s = s, .n = o->len};
  ThemaWord w;
  size_t b = 0;
  int words = 0;
  while (thema_text_next_word(&sc, &w)) {
    if (words == spec->window) {
      add_unit(c, seg, b, w.bstart);
      b = w.bstart;
      words = 0;
    }
    words++;
  }
  add_unit(c, seg, b, o->len);
  return THEMA_OK;
}

static int read_segments(ThemaStore *st, int64_t source_id, Cut *c, ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(
      st,
      "SELECT id, speaker_id, section, start, end, time_start, time_end, text FROM segment"
      " WHERE source_id = ? ORDER BY ordinal",
      err);
  if (!q) return err->status;
  sqlite3_bind_int64(q, 1, source_id);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (c->nsegs == cap) {
      cap = cap ? 2 * cap : 64;
      c->segs = thema_xrealloc(c->segs, cap * sizeof *c->segs);
    }
    OldSegment *o = &c->segs[c->nsegs++];
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(q, 0);
    o->speaker_id = sqlite3_column_int64(q, 1);
    const char *section = (const char *)sqlite3_column_text(q, 2);
    o->section = section ? thema_xstrdup(section) : NULL;
    o->start = sqlite3_column_int64(q, 3);
    o->end = sqlite3_column_int64(q, 4);
    o->timed = sqlite3_column_type(q, 5) != SQLITE_NULL;
    o->t0 = sqlite3_column_double(q, 5);
    o->t1 = sqlite3_column_double(q, 6);
    o->len = (size_t)sqlite3_column_bytes(q, 7);
    o->text = thema_xstrndup((const char *)sqlite3_column_text(q, 7), o->len);
  }
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) return thema_store_db_error(st, err, "cannot read segments");
  return THEMA_OK;
}

/* The index of the unit of segment o that holds [start, end), or -1. */
static long unit_for(const Cut *c, const OldSegment *o, int64_t start, int64_t end) {
  for (size_t k = o->first; k < o->first + o->n; k++) {
    const Unit *u = &c->units[k];
    if (start >= u->start && end <= u->end) return (long)k;
  }
  return -1;
}

static void cut_free(Cut *c) {
  for (size_t i = 0; i < c->nsegs; i++) {
    free(c->segs[i].section);
    free(c->segs[i].text);
  }
  free(c->segs);
  free(c->units);
}

int thema_resegment(ThemaStore *st, int64_t source_id, const ThemaUnitSpec *spec,
                    ThemaResegmentResult *res, ThemaError *err) {
  memset(res, 0, sizeof *res);
  Cut c = {0};
  int64_t(*moves)[2] = NULL; /* coding id, unit index */
  size_t nmoves = 0, capmoves = 0;
  if (read_segments(st, source_id, &c, err)) goto done;
  if (c.nsegs == 0) {
    thema_error_set(err, THEMA_EINPUT, "the source has no segments to re-cut");
    goto done;
  }
  for (size_t i = 0; i < c.nsegs; i++)
    if (cut_segment(&c, i, spec, err)) goto done;
  /* Place every coding, the codings of failed or replaced runs too (a row
   * left on an old segment would be deleted with it). */
  sqlite3_stmt *q = thema_store_stmt(
      st,
      "SELECT k.id, k.segment_id, k.start, k.end, c.path FROM coding k"
      " JOIN code c ON c.id = k.code_id JOIN segment g ON g.id = k.segment_id"
      " WHERE g.source_id = ? ORDER BY g.ordinal, k.start, k.id",
      err);
  if (!q) goto done;
  sqlite3_bind_int64(q, 1, source_id);
  size_t seg = 0;
  long crossing = 0;
  char first[512] = "";
  while (sqlite3_step(q) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(q, 0), sid = sqlite3_column_int64(q, 1);
    int64_t start = sqlite3_column_int64(q, 2), end = sqlite3_column_int64(q, 3);
    while (seg < c.nsegs && c.segs[seg].id != sid) seg++;
    long k = seg < c.nsegs ? unit_for(&c, &c.segs[seg], start, end) : -1;
    if (k < 0) {
      if (!crossing++)
        snprintf(first, sizeof first, "coding %lld of '%s' on segment %zu, %lld-%lld",
                 (long long)id, (const char *)sqlite3_column_text(q, 4), seg + 1,
                 (long long)start, (long long)end);
      continue;
    }
    if (nmoves == capmoves) {
      capmoves = capmoves ? 2 * capmoves : 64;
      moves = thema_xrealloc(moves, capmoves * sizeof *moves);
    }
    moves[nmoves][0] = id;
    moves[nmoves][1] = k;
    nmoves++;
  }
  sqlite3_reset(q);
  if (crossing) {
    char name[32];
    thema_unit_name(spec, name, sizeof name);
    thema_error_set(err, THEMA_EINPUT,
                    "%ld coding%s cross%s the boundary of a new unit (%s) and cannot move "
                    "(first: %s); re-cut with a larger unit, or delete those codings first",
                    crossing, crossing == 1 ? "" : "s", crossing == 1 ? "es" : "", name,
                    first);
    goto done;
  }
  for (size_t k = 0; k < c.nunits; k++) {
    Unit *u = &c.units[k];
    const OldSegment *o = &c.segs[u->seg];
    ThemaSegmentRow row = {.source_id = source_id,
                           .ordinal = -(int64_t)(k + 1),
                           .speaker_id = o->speaker_id,
                           .section = o->section,
                           .start = u->start,
                           .end = u->end,
                           .time_start = o->timed ? &o->t0 : NULL,
                           .time_end = o->timed ? &o->t1 : NULL,
                           .text = o->text + u->b,
                           .len = u->e - u->b};
    if (thema_segment_insert(st, &row, &u->id, err)) goto done;
  }
  for (size_t i = 0; i < nmoves; i++)
    if (thema_coding_move(st, moves[i][0], c.units[moves[i][1]].id, err)) goto done;
  if (thema_segment_swap_in(st, source_id, err)) goto done;
  char name[32];
  thema_unit_name(spec, name, sizeof name);
  if (thema_source_attribute_set(st, source_id, "unit", name, err)) goto done;
  res->before = (int64_t)c.nsegs;
  res->after = (int64_t)c.nunits;
  res->moved = (int64_t)nmoves;
done:
  free(moves);
  cut_free(&c);
  return err->status;
}
