/*
 * sink_null.c — the sink that keeps nothing: it counts, checks every record
 * against what the store would need of it (a slice of the stored text at
 * the code points it claims, segments in order, complete rows), and answers
 * the importers' questions from a fixed, generous world. Unit tests run the
 * parsers into it without a store; the fuzzers crash on a broken contract.
 */
#include <string.h>

#include "base/utf8.h"
#include "ingest/sink.h"

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
  (void)source, (void)err;
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
  if (rec->ordinal < 1 || rec->ordinal > n->segments)
    return thema_sink_broken(s, err, "a coding of a segment that does not exist");
  if (rec->start < (rec->ordinal - 1) * n->span || rec->end > rec->ordinal * n->span)
    return thema_sink_broken(s, err, "a coding outside its segment");
  n->codings++;
  return THEMA_OK;
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
    .release = NULL,
};

void thema_sink_null_init(ThemaSinkNull *n) {
  memset(n, 0, sizeof *n);
  thema_sink_init(&n->base, &null_ops, &n->res);
  n->knows_sources = 1;
  n->segments = 1000;
  n->span = 100;
}
