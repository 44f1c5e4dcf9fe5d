/*
 * sink_null.c — the sink that keeps nothing: it counts, checks every record
 * against what the store would need of it (a slice of the stored text at
 * the code points it claims, segments in order, complete rows), and answers
 * the importers' questions from a fixed, generous world. Unit tests run the
 * parsers into it without a store; the fuzzers crash on a broken contract.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "base/utf8.h"
#include "ingest/sink.h"

/* A source remembered with its segments' code-point spans. */
struct ThemaNullSource {
  char *name;     /* owned */
  int64_t *spans; /* start, end of segment k at [2(k-1)], [2(k-1)+1]; owned */
  size_t n, cap;  /* segments kept, pairs allocated */
};

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Whether byte offset off of text[0..len) starts a code point (or is len). */
static int on_boundary(const char *text, size_t len, size_t off) {
  return off == len || (off < len && !is_continuation((unsigned char)text[off]));
}

static int null_begin_source(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                             ThemaError *err) {
  ThemaSinkNull *n = (ThemaSinkNull *)s;
  (void)unchanged;
  if (!src->kind || (strcmp(src->kind, "transcript") && strcmp(src->kind, "document") &&
                     strcmp(src->kind, "monitor")))
    return thema_sink_broken(s, err, "a source of no known kind");
  if (!src->format || !*src->format || !src->path || !src->text)
    return thema_sink_broken(s, err, "a source without format, path or text");
  if (!src->hash || strlen(src->hash) != 64 || strspn(src->hash, "0123456789abcdef") != 64)
    return thema_sink_broken(s, err, "a source hash that is not 64 hex digits");
  if (thema_utf8_valid_prefix(src->text, src->len) != src->len ||
      memchr(src->text, '\0', src->len))
    return thema_sink_broken(s, err, "a stored text that is not valid UTF-8 without NUL");
  n->text = src->text;
  n->len = src->len;
  n->cursor = (ThemaUtf8Cursor){0};
  n->last_end = 0;
  n->sources++;
  if (n->remember) {
    n->kept = thema_xrealloc(n->kept, (n->nkept + 1) * sizeof *n->kept);
    n->kept[n->nkept++] = (ThemaNullSource){.name = src->name ? thema_xstrdup(src->name)
                                                              : thema_fs_stem(src->path)};
  }
  return THEMA_OK;
}

static int null_add_segment(ThemaSink *s, const ThemaSegmentRec *seg, long speaker,
                            int first, ThemaError *err) {
  ThemaSinkNull *n = (ThemaSinkNull *)s;
  (void)speaker, (void)first;
  if (!seg->text || seg->text < n->text || seg->len > n->len ||
      (size_t)(seg->text - n->text) > n->len - seg->len)
    return thema_sink_broken(s, err, "a segment slice outside the stored text");
  size_t b = (size_t)(seg->text - n->text), e = b + seg->len;
  if (!on_boundary(n->text, n->len, b) || !on_boundary(n->text, n->len, e))
    return thema_sink_broken(s, err, "a segment slice cutting a code point");
  if (b < n->last_end)
    return thema_sink_broken(s, err, "segments out of order or overlapping");
  n->last_end = e;
  if (thema_utf8_cursor_advance(&n->cursor, n->text, b) != seg->start ||
      thema_utf8_cursor_advance(&n->cursor, n->text, e) != seg->end)
    return thema_sink_broken(s, err, "segment code points that are not its slice's");
  if (seg->speaker && !*seg->speaker)
    return thema_sink_broken(s, err, "an empty speaker label");
  if (seg->section && !*seg->section)
    return thema_sink_broken(s, err, "an empty section path");
  if (seg->timed && (!(seg->time_start >= 0) || !(seg->time_end >= 0)))
    return thema_sink_broken(s, err, "a negative or unreadable time");
  if (n->remember) {
    ThemaNullSource *k = &n->kept[n->nkept - 1];
    if (k->n == k->cap) {
      k->cap = k->cap ? 2 * k->cap : 16;
      k->spans = thema_xrealloc(k->spans, 2 * k->cap * sizeof *k->spans);
    }
    k->spans[2 * k->n] = (int64_t)seg->start;
    k->spans[2 * k->n + 1] = (int64_t)seg->end;
    k->n++;
  }
  return THEMA_OK;
}

static int null_end_source(ThemaSink *s, ThemaError *err) {
  (void)err;
  ((ThemaSinkNull *)s)->ended++;
  return THEMA_OK;
}

static int null_add_observation(ThemaSink *s, const ThemaObservationRec *obs,
                                ThemaError *err) {
  if (!obs->case_name || !obs->indicator || !obs->period || !obs->raw || obs->line < 1)
    return thema_sink_broken(s, err, "an incomplete observation");
  if (obs->unit && !*obs->unit) return thema_sink_broken(s, err, "an empty unit");
  return THEMA_OK;
}

static int null_find_source(ThemaSink *s, const char *name, int *found, ThemaError *err) {
  (void)name, (void)err;
  *found = ((ThemaSinkNull *)s)->knows_sources;
  return THEMA_OK;
}

static int null_source_names(ThemaSink *s, const char *kind, int limit, ThemaBuf *out,
                             ThemaError *err) {
  (void)s, (void)kind, (void)limit, (void)out, (void)err;
  return THEMA_OK;
}

static int check_attrs(ThemaSink *s, const char *const *keys, const char *const *values,
                       int n, ThemaError *err) {
  for (int i = 0; i < n; i++)
    if (!keys[i] || !values[i] || !*values[i]) /* a header cell may be empty */
      return thema_sink_broken(s, err, "an attribute without key or value");
  ((ThemaSinkNull *)s)->attributes += n;
  return THEMA_OK;
}

static int null_add_speaker(ThemaSink *s, const ThemaSpeakerRec *rec, ThemaError *err) {
  if (!rec->source || !*rec->source || !rec->label || !*rec->label || !rec->person ||
      !*rec->person)
    return thema_sink_broken(s, err, "a speaker without source, label or person");
  if ((rec->organisation && !*rec->organisation) || (rec->role && !*rec->role))
    return thema_sink_broken(s, err, "an empty organisation or role (NULL is none)");
  if (rec->dated && (!rec->organisation || (!rec->valid_from && !rec->valid_to)))
    return thema_sink_broken(s, err, "a dated speaker row without organisation or dates");
  if (rec->dated && rec->valid_from && rec->valid_to &&
      strcmp(rec->valid_from, rec->valid_to) > 0)
    return thema_sink_broken(s, err, "an affiliation ending before it begins");
  ((ThemaSinkNull *)s)->persons++;
  return check_attrs(s, rec->keys, rec->values, rec->nattrs, err);
}

static int null_add_organisation(ThemaSink *s, const ThemaOrganisationRec *rec,
                                 ThemaError *err) {
  if (!rec->name || !*rec->name || (rec->network && !*rec->network))
    return thema_sink_broken(s, err, "an organisation without name, or an empty network");
  ((ThemaSinkNull *)s)->organisations++;
  return check_attrs(s, rec->keys, rec->values, rec->nattrs, err);
}

static int null_find_segment(ThemaSink *s, const char *source, int64_t ordinal, int *found,
                             int64_t *start, int64_t *end, ThemaError *err) {
  ThemaSinkNull *n = (ThemaSinkNull *)s;
  (void)err;
  if (n->remember) {
    for (size_t i = n->nkept; i-- > 0;) {
      ThemaNullSource *k = &n->kept[i];
      if (strcmp(k->name, source) != 0) continue;
      if (ordinal < 1 || (size_t)ordinal > k->n) return THEMA_OK;
      *found = 1;
      *start = k->spans[2 * (ordinal - 1)];
      *end = k->spans[2 * (ordinal - 1) + 1];
      return THEMA_OK;
    }
    return THEMA_OK;
  }
  if (ordinal < 1 || ordinal > n->segments) return THEMA_OK;
  *found = 1;
  *start = (ordinal - 1) * n->span;
  *end = ordinal * n->span;
  return THEMA_OK;
}

static int null_begin_coder(ThemaSink *s, const char *coder, ThemaError *err) {
  if (!coder) return thema_sink_broken(s, err, "a coder without a name");
  ((ThemaSinkNull *)s)->coders++;
  return THEMA_OK;
}

static int null_add_coding(ThemaSink *s, const ThemaCodingRec *rec, ThemaError *err) {
  ThemaSinkNull *n = (ThemaSinkNull *)s;
  if (!rec->source || !rec->code || !*rec->code || !rec->coder ||
      (rec->memo && !*rec->memo))
    return thema_sink_broken(s, err, "an incomplete coding");
  int found = 0;
  int64_t b = 0, e = 0;
  null_find_segment(s, rec->source, rec->ordinal, &found, &b, &e, err);
  if (!found) return thema_sink_broken(s, err, "a coding of a segment that does not exist");
  if (rec->start < b || rec->end > e)
    return thema_sink_broken(s, err, "a coding outside its segment");
  n->codings++;
  return THEMA_OK;
}

static int null_add_code(ThemaSink *s, const ThemaCodeRec *rec, ThemaError *err) {
  size_t n = strlen(rec->path);
  if (rec->path[0] == '/' || rec->path[n - 1] == '/' || strstr(rec->path, "//"))
    return thema_sink_broken(s, err, "a code path with an empty part");
  if (rec->colour && (strlen(rec->colour) != 7 || rec->colour[0] != '#'))
    return thema_sink_broken(s, err, "a colour that is not #rrggbb");
  ((ThemaSinkNull *)s)->codes++;
  return THEMA_OK;
}

static int null_add_case(ThemaSink *s, const ThemaCaseRec *rec, ThemaError *err) {
  if ((rec->organisation && !*rec->organisation) || (rec->role && !*rec->role))
    return thema_sink_broken(s, err, "an empty organisation or role (NULL is none)");
  for (int i = 0; i < rec->nnetworks; i++)
    if (!rec->networks[i] || !*rec->networks[i])
      return thema_sink_broken(s, err, "an empty network");
  ((ThemaSinkNull *)s)->cases++;
  return check_attrs(s, rec->keys, rec->values, rec->nattrs, err);
}

static int null_add_memo(ThemaSink *s, const ThemaMemoRec *rec, ThemaError *err) {
  static const char *const targets[] = {"source", "segment",      "code",
                                        "person", "organisation", "project"};
  int known = 0;
  for (size_t i = 0; i < sizeof targets / sizeof *targets; i++)
    known |= strcmp(rec->target, targets[i]) == 0;
  if (!known) return thema_sink_broken(s, err, "a memo on no known target");
  if (strcmp(rec->target, "project") != 0 && (!rec->key || !*rec->key))
    return thema_sink_broken(s, err, "a memo without its target's key");
  ((ThemaSinkNull *)s)->memos++;
  return THEMA_OK;
}

static void null_release(ThemaSink *s) {
  ThemaSinkNull *n = (ThemaSinkNull *)s;
  for (size_t i = 0; i < n->nkept; i++) {
    free(n->kept[i].name);
    free(n->kept[i].spans);
  }
  free(n->kept);
  n->kept = NULL;
  n->nkept = 0;
}

static const ThemaSinkOps null_ops = {
    .begin_source = null_begin_source,
    .add_segment = null_add_segment,
    .end_source = null_end_source,
    .add_observation = null_add_observation,
    .find_source = null_find_source,
    .source_names = null_source_names,
    .add_speaker = null_add_speaker,
    .add_organisation = null_add_organisation,
    .find_segment = null_find_segment,
    .begin_coder = null_begin_coder,
    .add_coding = null_add_coding,
    .add_code = null_add_code,
    .add_case = null_add_case,
    .add_memo = null_add_memo,
    .release = null_release,
};

void thema_sink_null_init(ThemaSinkNull *n) {
  memset(n, 0, sizeof *n);
  thema_sink_init(&n->base, &null_ops, &n->res);
  n->knows_sources = 1;
  n->segments = 1000;
  n->span = 100;
}
