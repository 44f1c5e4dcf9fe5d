/*
 * paras.c — collecting a formatted document's paragraphs into plain text,
 * and emitting that text into a sink as a document or a transcript (the
 * latter through the transcript parser, so that every format has the same
 * turns, speaker pattern and errors as a .txt transcript).
 */
#include "ingest/paras.h"

#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "base/utf8.h"
#include "ingest/ingest.h"
#include "ingest/turn.h"

static ThemaPara *open_para(ThemaParas *p) { return p->open ? &p->items[p->n] : NULL; }

void thema_paras_begin(ThemaParas *p, int level, long page) {
  thema_paras_end(p);
  if (p->n == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 64;
    p->items = thema_xrealloc(p->items, p->cap * sizeof *p->items);
  }
  if (p->text.len) thema_buf_putc(&p->text, '\n');
  ThemaPara *q = &p->items[p->n];
  q->start = q->end = p->text.len;
  q->level = level < 0 ? 0 : level > THEMA_PARAS_LEVELS ? THEMA_PARAS_LEVELS : level;
  q->page = page;
  p->open = 1;
  p->space = 0;
}

void thema_paras_level(ThemaParas *p, int level) {
  ThemaPara *q = open_para(p);
  if (q) q->level = level < 0 ? 0 : level > THEMA_PARAS_LEVELS ? THEMA_PARAS_LEVELS : level;
}

/* Length of a white-space character at s[0..n): ASCII space and controls,
 * NBSP (U+00A0), the Unicode spaces U+2000..U+200A, U+202F, U+205F, U+3000;
 * 0 when s starts with anything else. */
static size_t space_len(const unsigned char *s, size_t n) {
  if (s[0] <= 0x20 || s[0] == 0x7F) return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
  if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xAF)) return 3;
  if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) return 3;
  if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
  return 0;
}

void thema_paras_text(ThemaParas *p, const char *s, size_t n) {
  if (!p->open) thema_paras_begin(p, 0, p->n ? p->items[p->n - 1].page : 0);
  ThemaPara *q = open_para(p);
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    size_t k = space_len(u + i, n - i);
    if (k) {
      p->space = 1;
      i += k;
      continue;
    }
    size_t j = i + 1;
    while (j < n && !space_len(u + j, n - j)) j++;
    if (p->space && q->end > q->start && p->text.data[p->text.len - 1] != '\n')
      thema_buf_putc(&p->text, ' ');
    p->space = 0;
    thema_buf_append(&p->text, s + i, j - i);
    q->end = p->text.len;
    i = j;
  }
}

void thema_paras_break(ThemaParas *p) {
  ThemaPara *q = open_para(p);
  if (!q || q->end == q->start) return; /* a break at a paragraph's start adds nothing */
  thema_buf_putc(&p->text, '\n');
  p->space = 0;
}

void thema_paras_end(ThemaParas *p) {
  ThemaPara *q = open_para(p);
  if (!q) return;
  p->open = 0;
  /* Drop what a trailing break added, and an empty paragraph with its newline. */
  p->text.len = q->end;
  if (q->end == q->start) {
    if (p->text.len && p->n) p->text.len--;
  } else {
    p->n++;
  }
  if (p->text.data) p->text.data[p->text.len] = '\0';
}

void thema_paras_meta(ThemaParas *p, const char *key, const char *value, size_t n) {
  if (thema_meta_get(&p->meta, key)) return;
  /* Collapse the value's white space as paragraph text is. */
  ThemaParas tmp = {0};
  thema_paras_text(&tmp, value, n);
  thema_paras_end(&tmp);
  if (tmp.text.len) {
    p->meta.keys = thema_xrealloc(p->meta.keys, (size_t)(p->meta.n + 1) * sizeof(char *));
    p->meta.values =
        thema_xrealloc(p->meta.values, (size_t)(p->meta.n + 1) * sizeof(char *));
    p->meta.keys[p->meta.n] = thema_xstrdup(key);
    p->meta.values[p->meta.n] = thema_xstrdup(tmp.text.data);
    p->meta.n++;
  }
  thema_paras_free(&tmp);
}

void thema_paras_free(ThemaParas *p) {
  thema_buf_free(&p->text);
  free(p->items);
  thema_meta_free(&p->meta);
  memset(p, 0, sizeof *p);
}

void thema_paras_section(char *const *headings, ThemaBuf *out) {
  thema_buf_reset(out);
  for (int l = 1; l <= THEMA_PARAS_LEVELS; l++) {
    if (!headings[l] || !*headings[l]) continue;
    if (out->len) thema_buf_puts(out, " > ");
    thema_buf_puts(out, headings[l]);
  }
}

int thema_paras_author(ThemaSink *sink, const char *path, const char *author,
                       const char *organisation, ThemaError *err) {
  char *name = thema_fs_stem(path);
  ThemaSpeakerRec rec = {
      .source = name, .label = author, .person = author, .organisation = organisation};
  thema_sink_add_speaker(sink, &rec, err);
  free(name);
  return err->status;
}

/* Set headings[level] to paragraph q's text (one line) and clear the levels below. */
static void set_heading(char **headings, const char *text, const ThemaPara *q) {
  for (int l = q->level; l <= THEMA_PARAS_LEVELS; l++) {
    free(headings[l]);
    headings[l] = NULL;
  }
  headings[q->level] = thema_xstrndup(text + q->start, q->end - q->start);
  for (char *c = headings[q->level]; *c; c++) /* a heading on two lines is one title */
    if (*c == '\n') *c = ' ';
}

/* The first words of paragraph q, for a message. */
static int quote_len(const char *text, const ThemaPara *q) {
  size_t n = q->end - q->start, k = 0;
  while (k < n && k < 40 && text[q->start + k] != '\n') k++;
  while (k < n && ((unsigned char)text[q->start + k] & 0xC0) == 0x80) k++;
  return (int)k;
}

/* Body paragraphs as segments under their headings (and pages). */
static int emit_document(ThemaSink *sink, ThemaParas *p, const ThemaParasEmit *e,
                         ThemaError *err) {
  char *headings[THEMA_PARAS_LEVELS + 1] = {0};
  ThemaBuf section = {0};
  ThemaUtf8Cursor cursor = {0};
  int unchanged = 0;
  long ordinal = 0;
  ThemaSourceRec src = {.kind = "document",
                        .format = e->format,
                        .path = e->path,
                        .hash = e->hash,
                        .text = thema_buf_str(&p->text),
                        .len = p->text.len,
                        .meta = &p->meta};
  if (thema_sink_begin_source(sink, &src, &unchanged, err) || unchanged) goto done;
  const char *text = thema_buf_str(&p->text);
  for (size_t i = 0; i < p->n; i++) {
    const ThemaPara *q = &p->items[i];
    if (q->level) {
      set_heading(headings, text, q);
      continue;
    }
    thema_paras_section(headings, &section);
    if (q->page) {
      /* The page is the last step of the path: a quote's page is where a
       * reader finds it, and the path is what every export and filter sees. */
      thema_buf_printf(&section, "%spage %ld", section.len ? " > " : "", q->page);
    }
    ThemaSegmentRec seg = {.ordinal = ++ordinal,
                           .speaker = e->author,
                           .section = section.len ? section.data : NULL,
                           .start = thema_utf8_cursor_advance(&cursor, text, q->start),
                           .end = thema_utf8_cursor_advance(&cursor, text, q->end),
                           .text = text + q->start,
                           .len = q->end - q->start};
    if (thema_sink_add_segment(sink, &seg, err)) goto done;
  }
  if (ordinal == 0) {
    thema_error_at(err, THEMA_EINPUT, e->path, 0, 0,
                   "no paragraph of body text found (only headings); nothing to code");
    goto done;
  }
  if (thema_sink_end_source(sink, err)) goto done;
  if (e->author)
    thema_paras_author(sink, e->path, e->author, thema_meta_get(&p->meta, "organisation"),
                       err);
done:
  for (int l = 0; l <= THEMA_PARAS_LEVELS; l++) free(headings[l]);
  thema_buf_free(&section);
  return err->status;
}

/* Speaker turns, as a .txt transcript reads its lines: a body paragraph
 * that starts with a label of the speaker pattern opens a turn and the
 * paragraphs after it continue it; a heading (a heading style, or a
 * paragraph the heading pattern matches) ends the open turn and is the
 * section path of the turns under it; text outside any turn (a title page,
 * the list of those present) is kept as a segment without a speaker,
 * skipped or refused, as the pattern's preamble setting says. */
static int emit_transcript(ThemaSink *sink, ThemaParas *p, const ThemaParasEmit *e,
                           ThemaError *err) {
  char *headings[THEMA_PARAS_LEVELS + 1] = {0};
  ThemaBuf section = {0};
  ThemaUtf8Cursor cursor = {0};
  char *label = NULL;    /* the open turn's speaker (NULL: text outside turns) */
  int open = 0;          /* a turn is open */
  size_t tb = 0, te = 0; /* the open turn's bytes */
  double t0 = -1;
  int unchanged = 0, preamble = thema_turn_pattern_preamble(e->pattern);
  long ordinal = 0, turns = 0;
  ThemaPara named = {0}; /* a pattern heading's text, when level is set */
  const char *text = thema_buf_str(&p->text);
  ThemaSourceRec src = {.kind = "transcript",
                        .format = e->format,
                        .path = e->path,
                        .hash = e->hash,
                        .text = text,
                        .len = p->text.len,
                        .meta = &p->meta};
  if (thema_sink_begin_source(sink, &src, &unchanged, err) || unchanged) goto done;
  for (size_t i = 0; i <= p->n; i++) {
    ThemaPara *q = i < p->n ? &p->items[i] : NULL;
    ThemaTurnMatch m = {0};
    int hit = 0;
    if (q && !q->level) {
      size_t hb, he;
      int level;
      int heading =
          thema_turn_heading(e->pattern, text, q->end, q->start, &hb, &he, &level, err);
      if (heading == 1) {
        /* A heading by the pattern: its text is the match's group. */
        q->level = level < 1 ? 1 : level > THEMA_PARAS_LEVELS ? THEMA_PARAS_LEVELS : level;
        named = (ThemaPara){.start = hb, .end = he, .level = q->level};
      } else if (heading == 0) {
        hit = thema_turn_match(e->pattern, text, q->end, q->start, &m, err);
      }
      if (heading < 0 || hit < 0) {
        char why[sizeof err->msg];
        thema_error_at(
            err, THEMA_EINPUT, e->path, 0, 0,
            "paragraph %zu: the %s pattern failed on it (%s); simplify the pattern", i + 1,
            heading < 0 ? "heading" : "speaker", thema_error_take(err, why));
        goto done;
      }
    }
    /* The open turn ends at a label, a heading or the end. */
    if (open && (!q || q->level || hit)) {
      ThemaSegmentRec seg = {.ordinal = ++ordinal,
                             .speaker = label,
                             .section = section.len ? section.data : NULL,
                             .start = thema_utf8_cursor_advance(&cursor, text, tb),
                             .end = thema_utf8_cursor_advance(&cursor, text, te),
                             .timed = t0 >= 0,
                             .time_start = t0,
                             .time_end = t0,
                             .text = text + tb,
                             .len = te - tb};
      int rc = thema_sink_add_segment(sink, &seg, err);
      free(label);
      label = NULL;
      open = 0;
      if (rc) goto done;
    }
    if (!q) break;
    if (q->level) {
      set_heading(headings, text, named.level ? &named : q);
      named.level = 0;
      continue;
    }
    if (!hit) {
      if (open) {
        te = q->end;
        continue;
      }
      if (preamble == THEMA_PREAMBLE_SKIP) continue;
      if (preamble == THEMA_PREAMBLE_REFUSE) {
        thema_error_at(
            err, THEMA_EINPUT, e->path, 0, 0,
            "paragraph %zu ('%.*s') is outside a speaker turn; start each turn's "
            "paragraph with a label and a colon (e.g. 'R1: ...'), make titles "
            "headings, pass --speaker-pattern for another convention, or "
            "--preamble keep",
            i + 1, quote_len(text, q), text + q->start);
        goto done;
      }
      open = 1; /* kept: a segment without a speaker */
      t0 = -1;
      tb = q->start;
      te = q->end;
      thema_paras_section(headings, &section);
      continue;
    }
    size_t lb = m.label_b, le = m.label_e;
    while (lb < le && (text[lb] == ' ' || text[lb] == '\t')) lb++;
    while (le > lb && (text[le - 1] == ' ' || text[le - 1] == '\t')) le--;
    if (lb == le) {
      thema_error_at(err, THEMA_EINPUT, e->path, 0, 0,
                     "paragraph %zu: the speaker pattern matched an empty label; its "
                     "(?<label>...) group must match the speaker",
                     i + 1);
      goto done;
    }
    t0 = -1;
    if (m.has_time && (t0 = thema_turn_seconds(text + m.time_b, m.time_e - m.time_b)) < 0) {
      thema_error_at(err, THEMA_EINPUT, e->path, 0, 0,
                     "paragraph %zu: cannot read timestamp '%.*s'; write hh:mm:ss, minutes "
                     "and seconds below 60",
                     i + 1, (int)(m.time_e - m.time_b), text + m.time_b);
      goto done;
    }
    label = thema_xstrndup(text + lb, le - lb);
    open = 1;
    turns++;
    tb = m.end;
    while (tb < q->end && (text[tb] == ' ' || text[tb] == '\t' || text[tb] == '\n')) tb++;
    te = q->end;
    thema_paras_section(headings, &section);
  }
  if (turns == 0) {
    thema_error_at(
        err, THEMA_EINPUT, e->path, 0, 0,
        "no speaker turn found; start each turn's paragraph with a label and a "
        "colon (e.g. 'R1: ...'), or pass --speaker-pattern for another convention");
    goto done;
  }
  thema_sink_end_source(sink, err);
done:
  free(label);
  for (int l = 0; l <= THEMA_PARAS_LEVELS; l++) free(headings[l]);
  thema_buf_free(&section);
  return err->status;
}

int thema_paras_emit(ThemaSink *sink, ThemaParas *p, const ThemaParasEmit *e,
                     ThemaError *err) {
  thema_paras_end(p);
  if (!p->text.data) thema_buf_append(&p->text, "", 0);
  if (p->n == 0)
    return thema_error_at(err, THEMA_EINPUT, e->path, 0, 0, "no text found in this %s%s",
                          e->format,
                          strcmp(e->format, "pdf") == 0
                              ? " (a scan without a text layer? run OCR on it first)"
                              : "; nothing to import");
  size_t valid = thema_utf8_valid_prefix(p->text.data, p->text.len);
  if (valid < p->text.len)
    return thema_error_at(err, THEMA_EINPUT, e->path, 0, 0,
                          "the text taken from this %s is not valid UTF-8 at byte %zu; "
                          "save it again, or as plain text",
                          e->format, valid);
  return e->transcript ? emit_transcript(sink, p, e, err) : emit_document(sink, p, e, err);
}
