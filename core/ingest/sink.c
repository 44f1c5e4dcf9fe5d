/*
 * sink.c — the calls every importer makes into a sink: the order of the
 * calls is checked and what was emitted is counted here, once for every
 * implementation, and each speaker label of a source gets its number, so
 * that an implementation keeps an array of speakers instead of a map.
 */
#include "ingest/sink.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void thema_sink_init(ThemaSink *s, const ThemaSinkOps *ops, ThemaImportResult *res) {
  memset(s, 0, sizeof *s);
  s->ops = ops;
  s->res = res;
}

void thema_sink_free(ThemaSink *s) {
  if (!s || !s->ops) return;
  if (s->ops->release) s->ops->release(s);
  thema_keys_clear(&s->labels);
}

int thema_sink_broken(ThemaSink *s, ThemaError *err, const char *what) {
  if (!s->broken) snprintf(s->why, sizeof s->why, "%s", what);
  s->broken = 1;
  return thema_error_set(err, THEMA_ERUNTIME,
                         "internal: importer broke the sink's contract: %s", what);
}

int thema_sink_begin_source(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                            ThemaError *err) {
  *unchanged = 0;
  if (s->in_source) return thema_sink_broken(s, err, "a source begun inside another");
  if (s->ops->begin_source(s, src, unchanged, err)) return err->status;
  if (*unchanged) {
    s->res->unchanged = 1;
    return THEMA_OK;
  }
  s->in_source = 1;
  s->ordinal = 0;
  thema_keys_clear(&s->labels);
  return THEMA_OK;
}

int thema_sink_begin_text(ThemaSink *s, const char *path, const ThemaInput *in,
                          const char *kind, const char *format, ThemaTextBody *body,
                          int *unchanged, ThemaError *err) {
  size_t skip;
  *unchanged = 0;
  if (thema_meta_parse_front(path, in->buf.data, in->buf.len, &body->meta, &skip,
                             &body->line, err))
    return err->status;
  body->text = in->buf.data + skip;
  body->len = in->buf.len - skip;
  ThemaSourceRec src = {.kind = kind,
                        .format = format,
                        .path = path,
                        .hash = in->hash,
                        .text = body->text,
                        .len = body->len,
                        .meta = &body->meta};
  return thema_sink_begin_source(s, &src, unchanged, err);
}

int thema_sink_add_segment(ThemaSink *s, const ThemaSegmentRec *seg, ThemaError *err) {
  if (!s->in_source) return thema_sink_broken(s, err, "a segment outside a source");
  if (seg->ordinal != s->ordinal + 1)
    return thema_sink_broken(s, err, "segment ordinals not 1, 2, 3, ...");
  if (seg->start > seg->end)
    return thema_sink_broken(s, err, "a segment ending before it starts");
  for (int i = 0; i < seg->nattrs; i++) {
    if (!seg->attr_keys[i] || !*seg->attr_keys[i] || !seg->attr_values[i])
      return thema_sink_broken(s, err, "a segment attribute without a key or a value");
    for (int j = 0; j < i; j++)
      if (strcmp(seg->attr_keys[i], seg->attr_keys[j]) == 0)
        return thema_sink_broken(s, err, "a segment attribute given twice");
  }
  long speaker = -1;
  int first = 0;
  if (seg->speaker) {
    size_t n = strlen(seg->speaker);
    ThemaKey *k = thema_keys_find(&s->labels, seg->speaker, n);
    if (!k) {
      k = thema_keys_add(&s->labels, seg->speaker, n, seg->ordinal, NULL);
      first = 1;
    }
    speaker = (long)k->index;
  }
  if (s->ops->add_segment(s, seg, speaker, first, err)) return err->status;
  s->ordinal = seg->ordinal;
  s->res->segments++;
  s->res->speakers = (long)s->labels.n;
  return THEMA_OK;
}

int thema_sink_end_source(ThemaSink *s, ThemaError *err) {
  if (!s->in_source) return thema_sink_broken(s, err, "a source ended that was not begun");
  s->in_source = 0;
  return s->ops->end_source(s, err);
}

int thema_sink_add_observation(ThemaSink *s, const ThemaObservationRec *obs,
                               ThemaError *err) {
  if (!s->in_source) return thema_sink_broken(s, err, "an observation outside a source");
  if (s->ops->add_observation(s, obs, err)) return err->status;
  s->res->observations++;
  return THEMA_OK;
}

void thema_sink_count_row(ThemaSink *s) { s->res->rows++; }

int thema_sink_find_source(ThemaSink *s, const char *name, int *found, ThemaError *err) {
  *found = 0;
  return s->ops->find_source(s, name, found, err);
}

int thema_sink_source_names(ThemaSink *s, const char *kind, int limit, ThemaBuf *out,
                            ThemaError *err) {
  return s->ops->source_names(s, kind, limit, out, err);
}

int thema_sink_add_speaker(ThemaSink *s, const ThemaSpeakerRec *rec, ThemaError *err) {
  if (s->in_source) return thema_sink_broken(s, err, "a cases row inside a source");
  return s->ops->add_speaker(s, rec, err);
}

int thema_sink_add_organisation(ThemaSink *s, const ThemaOrganisationRec *rec,
                                ThemaError *err) {
  if (s->in_source) return thema_sink_broken(s, err, "a cases row inside a source");
  return s->ops->add_organisation(s, rec, err);
}

int thema_sink_find_segment(ThemaSink *s, const char *source, int64_t ordinal, int *found,
                            int64_t *start, int64_t *end, ThemaError *err) {
  *found = 0;
  *start = *end = 0;
  return s->ops->find_segment(s, source, ordinal, found, start, end, err);
}

int thema_sink_begin_coder(ThemaSink *s, const char *coder, ThemaError *err) {
  return s->ops->begin_coder(s, coder, err);
}

int thema_sink_add_coding(ThemaSink *s, const ThemaCodingRec *rec, ThemaError *err) {
  if (s->in_source) return thema_sink_broken(s, err, "a coding inside a source");
  if (rec->start > rec->end)
    return thema_sink_broken(s, err, "a coding ending before it starts");
  if (s->ops->add_coding(s, rec, err)) return err->status;
  s->res->segments++; /* what a codings file reports */
  s->res->codings++;
  return THEMA_OK;
}

int thema_sink_add_code(ThemaSink *s, const ThemaCodeRec *rec, ThemaError *err) {
  if (s->in_source) return thema_sink_broken(s, err, "a code inside a source");
  if (!rec->path || !*rec->path) return thema_sink_broken(s, err, "a code without a path");
  if (s->ops->add_code(s, rec, err)) return err->status;
  s->res->codes++;
  return THEMA_OK;
}

int thema_sink_add_case(ThemaSink *s, const ThemaCaseRec *rec, ThemaError *err) {
  if (s->in_source) return thema_sink_broken(s, err, "a case inside a source");
  if (!rec->name || !*rec->name) return thema_sink_broken(s, err, "a case without a name");
  if (s->ops->add_case(s, rec, err)) return err->status;
  s->res->cases++;
  return THEMA_OK;
}

int thema_sink_add_memo(ThemaSink *s, const ThemaMemoRec *rec, ThemaError *err) {
  if (s->in_source) return thema_sink_broken(s, err, "a memo inside a source");
  if (!rec->text || !rec->target) return thema_sink_broken(s, err, "a memo without text");
  if (s->ops->add_memo(s, rec, err)) return err->status;
  s->res->memos++;
  return THEMA_OK;
}

int thema_sink_same_text(ThemaSink *s, const char *name, const char *text, size_t len,
                         int *same, ThemaError *err) {
  *same = 0;
  return s->ops->same_text ? s->ops->same_text(s, name, text, len, same, err) : THEMA_OK;
}

void thema_sink_warn(ThemaSink *s, const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  char *w = s->res->warnings;
  size_t used = strlen(w), room = sizeof s->res->warnings;
  /* Keep room for the closing "(N more warnings)" line. */
  if (s->unwarned == 0 && used + strlen(line) + 2 + 40 < room) {
    snprintf(w + used, room - used, "%s\n", line);
    return;
  }
  s->unwarned++;
  char *more = strstr(w, "(and ");
  if (more) *more = '\0';
  used = strlen(w);
  snprintf(w + used, room - used, "(and %ld more warnings)\n", s->unwarned);
}
