/*
 * subtitle.c — WebVTT and SRT files, as transcription tools write them: a
 * cue's speaker comes from a <v Name> voice tag or a "Name:" payload, and
 * consecutive cues of one speaker are merged into one turn. The file is
 * stored rendered as "[hh:mm:ss] Label: text" turns, so that the stored text
 * reads as (and re-imports as) a plain transcript.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

/* The byte spans of one block's non-blank lines; grown, never truncated. */
typedef struct Lines {
  size_t (*span)[2]; /* [begin, end) of each line; owned */
  size_t n;          /* lines in the block */
  size_t cap;        /* spans allocated */
} Lines;

typedef struct Cue {
  double start, end; /* seconds */
  char *speaker;     /* owned, NULL when the cue names none */
  ThemaBuf text;     /* payload without tags, lines joined by spaces */
  long line;         /* where the cue's block starts, for messages */
} Cue;

/* A turn of the rendered text: one or more cues of one speaker. */
typedef struct RenderedTurn {
  char *label;       /* owned */
  double start, end; /* seconds: the first cue's start, the last cue's end */
  size_t tb, te;     /* byte span of the text in the rendered buffer */
} RenderedTurn;

static void trim(const char *s, size_t *b, size_t *e) {
  while (*b < *e && (s[*b] == ' ' || s[*b] == '\t')) (*b)++;
  while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t' || s[*e - 1] == '\n')) (*e)--;
}

static void lines_add(Lines *l, size_t b, size_t e) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->span = thema_xrealloc(l->span, l->cap * sizeof *l->span);
  }
  l->span[l->n][0] = b;
  l->span[l->n][1] = e;
  l->n++;
}

/* Cue times are rendered as "[hh:mm:ss]" through a long: a time of a
 * billion seconds (over 31 years) or more is no reading of a recording. */
#define MAX_SECONDS 1e9

/* "hh:mm:ss.ttt" or "mm:ss.ttt" (WebVTT), "hh:mm:ss,ttt" (SRT): 1 when read,
 * 0 when the line is no timing line, -1 when it is one with a time that
 * cannot be (minutes or seconds over 59, over 31 years). */
static int parse_timing(const char *s, size_t n, double *a, double *b) {
  const char *arrow = NULL;
  for (size_t i = 0; i + 3 <= n; i++)
    if (memcmp(s + i, "-->", 3) == 0) {
      arrow = s + i;
      break;
    }
  if (!arrow) return 0;
  size_t lb = 0, le = (size_t)(arrow - s);
  trim(s, &lb, &le);
  size_t rb = (size_t)(arrow - s) + 3, re = rb;
  while (re < n && s[re] == ' ') re++;
  rb = re;
  while (re < n && s[re] != ' ' && s[re] != '\t') re++;
  *a = thema_turn_seconds(s + lb, le - lb);
  *b = thema_turn_seconds(s + rb, re - rb);
  return *a >= 0 && *b >= 0 && *a < MAX_SECONDS && *b < MAX_SECONDS ? 1 : -1;
}

/* Append payload text with markup removed; a leading <v Name> sets the speaker. */
static void cue_payload(Cue *c, const char *s, size_t n) {
  if (c->text.len) thema_buf_putc(&c->text, ' ');
  for (size_t i = 0; i < n;) {
    if (s[i] == '<') {
      const char *close = memchr(s + i, '>', n - i);
      if (!close) {
        thema_buf_append(&c->text, s + i, n - i);
        break;
      }
      size_t tb = i + 1, te = (size_t)(close - s);
      if (te > tb + 1 && s[tb] == 'v' && (s[tb + 1] == ' ' || s[tb + 1] == '.') &&
          !c->speaker) {
        size_t nb = tb + 1;
        while (nb < te && s[nb] != ' ') nb++; /* skip classes: <v.loud Name> */
        size_t ne = te;
        trim(s, &nb, &ne);
        if (ne > nb) c->speaker = thema_xstrndup(s + nb, ne - nb);
      }
      i = te + 1;
    } else if (s[i] == '&') {
      static const char *const ents[][2] = {{"&amp;", "&"},  {"&lt;", "<"}, {"&gt;", ">"},
                                            {"&nbsp;", " "}, {"&lrm;", ""}, {"&rlm;", ""}};
      size_t k;
      for (k = 0; k < sizeof ents / sizeof *ents; k++) {
        size_t el = strlen(ents[k][0]);
        if (i + el <= n && memcmp(s + i, ents[k][0], el) == 0) {
          thema_buf_puts(&c->text, ents[k][1]);
          i += el;
          break;
        }
      }
      if (k == sizeof ents / sizeof *ents) thema_buf_putc(&c->text, s[i++]);
    } else {
      thema_buf_putc(&c->text, s[i++]);
    }
  }
}

static void format_clock(ThemaBuf *out, double secs) {
  long t = (long)secs;
  thema_buf_printf(out, "[%02ld:%02ld:%02ld] ", t / 3600, (t / 60) % 60, t % 60);
}

/* Skip a WebVTT file's header block; *ls and *lineno move past it. */
static void skip_header(const char *s, size_t len, size_t *ls, long *lineno) {
  while (*ls < len) {
    const char *nl = memchr(s + *ls, '\n', len - *ls);
    size_t le = nl ? (size_t)(nl - s) : len;
    *ls = le + 1;
    (*lineno)++;
    if (le == *ls - 1 && (le == 0 || s[le - 1] == '\n')) break;
    if (*ls < len && s[*ls] == '\n') {
      (*ls)++;
      (*lineno)++;
      break;
    }
  }
}

/*
 * Parse the cues, merge consecutive cues of one speaker into a turn and
 * render the turns into `rendered`, keeping each turn's label, times and byte
 * span in *turns_out. Nothing is emitted here: the whole file is read
 * before its source begins.
 */
static int render(const char *path, const ThemaInput *in, int is_vtt,
                  ThemaTurnPattern *pattern, ThemaBuf *rendered, RenderedTurn **turns_out,
                  size_t *nturns_out, ThemaError *err) {
  const char *s = in->buf.data;
  size_t len = in->buf.len;
  RenderedTurn *turns = NULL;
  size_t nturns = 0;
  Cue cue = {0};
  Lines lines = {0};
  long lineno = 1;
  size_t ls = 0;
  if (is_vtt) {
    if (len < 6 || memcmp(s, "WEBVTT", 6) != 0 || (len > 6 && !strchr(" \t\n", s[6]))) {
      thema_error_at(err, THEMA_EINPUT, path, 1, 1,
                     "a WebVTT file must start with 'WEBVTT'");
      goto done;
    }
    skip_header(s, len, &ls, &lineno);
  }
  while (ls < len) {
    /* One block: lines up to a blank line. */
    lines.n = 0;
    long block_line = lineno;
    while (ls < len) {
      const char *nl = memchr(s + ls, '\n', len - ls);
      size_t le = nl ? (size_t)(nl - s) : len;
      size_t b = ls, e = le;
      trim(s, &b, &e);
      ls = le + 1;
      lineno++;
      if (b == e) {
        if (lines.n) break;
        block_line = lineno;
        continue;
      }
      lines_add(&lines, b, e);
    }
    if (!lines.n) continue;
    const char *first = s + lines.span[0][0];
    size_t first_len = lines.span[0][1] - lines.span[0][0];
    if (is_vtt && (strncmp(first, "NOTE", 4) == 0 || strncmp(first, "STYLE", 5) == 0 ||
                   strncmp(first, "REGION", 6) == 0))
      continue;
    size_t ti = 0;
    double a, b;
    int timing = parse_timing(first, first_len, &a, &b);
    if (timing == 0) {
      ti = 1; /* a cue identifier (VTT) or the cue number (SRT) comes first */
      timing = lines.n < 2 ? 0
                           : parse_timing(s + lines.span[1][0],
                                          lines.span[1][1] - lines.span[1][0], &a, &b);
      if (timing == 0) {
        /* the line after an identifier, or the lone line itself */
        long at = block_line + (lines.n < 2 ? 0 : 1);
        thema_error_at(err, THEMA_EINPUT, path, at, 1,
                       "expected a cue timing line 'hh:mm:ss%s000 --> hh:mm:ss%s000'",
                       is_vtt ? "." : ",", is_vtt ? "." : ",");
        goto done;
      }
    }
    if (timing < 0) {
      thema_error_at(err, THEMA_EINPUT, path, block_line + (long)ti, 1,
                     "cannot read this cue's times, or they are out of range: write "
                     "hh:mm:ss.ttt --> hh:mm:ss.ttt, minutes and seconds below 60");
      goto done;
    }
    cue.start = a;
    cue.end = b;
    cue.line = block_line;
    free(cue.speaker);
    cue.speaker = NULL;
    thema_buf_reset(&cue.text);
    for (size_t k = ti + 1; k < lines.n; k++)
      cue_payload(&cue, s + lines.span[k][0], lines.span[k][1] - lines.span[k][0]);
    /* Without a voice tag, a "Name: text" payload names the speaker. */
    const char *payload = thema_buf_str(&cue.text);
    size_t pstart = 0;
    if (!cue.speaker && cue.text.len) {
      ThemaTurnMatch m;
      int hit = thema_turn_match(pattern, payload, cue.text.len, 0, &m, err);
      if (hit < 0) {
        char why[sizeof err->msg];
        thema_error_at(err, THEMA_EINPUT, path, cue.line, 0,
                       "the speaker pattern failed on this cue (%s); simplify the pattern",
                       thema_error_take(err, why));
        goto done;
      }
      if (hit == 1 && m.has_label) {
        cue.speaker = thema_xstrndup(payload + m.label_b, m.label_e - m.label_b);
        pstart = m.end;
        while (pstart < cue.text.len && payload[pstart] == ' ') pstart++;
      }
    }
    const char *label = cue.speaker;
    if (!label) {
      if (!nturns) {
        thema_error_at(err, THEMA_EINPUT, path, cue.line, 0,
                       "cue names no speaker; tag it '<v Name>' or start its text "
                       "with 'Name:'");
        goto done;
      }
      label = turns[nturns - 1].label; /* continues the previous speaker */
    }
    if (nturns && strcmp(turns[nturns - 1].label, label) == 0) {
      RenderedTurn *rt = &turns[nturns - 1];
      if (cue.text.len > pstart) {
        thema_buf_putc(rendered, ' ');
        thema_buf_append(rendered, payload + pstart, cue.text.len - pstart);
      }
      rt->te = rendered->len;
      rt->end = cue.end;
    } else {
      if (nturns) thema_buf_puts(rendered, "\n\n");
      turns = thema_xrealloc(turns, (nturns + 1) * sizeof *turns);
      RenderedTurn *rt = &turns[nturns++];
      rt->label = thema_xstrdup(label);
      rt->start = cue.start;
      rt->end = cue.end;
      format_clock(rendered, cue.start);
      thema_buf_printf(rendered, "%s: ", label);
      rt->tb = rendered->len;
      thema_buf_append(rendered, payload + pstart, cue.text.len - pstart);
      rt->te = rendered->len;
    }
  }
  if (!nturns)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "no cue with text found; nothing to import");
  thema_buf_putc(rendered, '\n');
done:
  free(lines.span);
  free(cue.speaker);
  thema_buf_free(&cue.text);
  *turns_out = turns;
  *nturns_out = nturns;
  return err->status;
}

int thema_parse_subtitle(ThemaSink *sink, const char *path, const ThemaInput *in,
                         int is_vtt, ThemaTurnPattern *pattern, ThemaError *err) {
  ThemaBuf rendered = {0};
  RenderedTurn *turns = NULL;
  size_t nturns = 0;
  int unchanged = 0;
  if (render(path, in, is_vtt, pattern, &rendered, &turns, &nturns, err)) goto done;
  ThemaSourceRec src = {.kind = "transcript",
                        .format = is_vtt ? "vtt" : "srt",
                        .path = path,
                        .hash = in->hash,
                        .text = rendered.data,
                        .len = rendered.len};
  if (thema_sink_begin_source(sink, &src, &unchanged, err) || unchanged) goto done;
  ThemaTurnWriter w = {.text = rendered.data};
  for (size_t i = 0; i < nturns; i++)
    if (thema_turn_emit(&w, sink, turns[i].label, turns[i].tb, turns[i].te, turns[i].start,
                        turns[i].end, err))
      goto done;
  thema_sink_end_source(sink, err);
done:
  for (size_t i = 0; i < nturns; i++) free(turns[i].label);
  free(turns);
  thema_buf_free(&rendered);
  return err->status;
}
