/*
 * ingest_transcript.c — transcripts: plain text with speaker turns (optional
 * front matter and timestamps), WebVTT and SRT subtitle files.
 *
 * A plain-text turn starts at the beginning of a line with a speaker label
 * and a colon; the lines after it continue the turn until the next label.
 * The stored text of a plain transcript is its body after the front matter;
 * a subtitle file is stored rendered as "[hh:mm:ss] Label: text" turns, so
 * the stored text reads as (and re-imports as) a plain transcript.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "text/rx.h"

/* Labels: a capitalised first word (R2.1, I, Interviewer, Anna), then up to
 * four more capitalised words, name particles or a parenthesised note, so that
 * "R (AgII):" and "Anna De Smet:" are labels and "Dus ik zeg:" is not. */
static const char default_speaker_pattern[] =
    "(?:\\[(?<ts>\\d{1,2}(?::\\d{2}){1,2}(?:[.,]\\d+)?)\\]"
    "|#(?<ts2>\\d{1,2}:\\d{2}:\\d{2}(?:[.,-]\\d+)?)#)?[ \\t]*"
    "(?<label>\\p{Lu}[\\p{L}\\p{N}.'\\x{2019}-]*"
    "(?:[ \\t]+(?:\\p{Lu}[\\p{L}\\p{N}.'\\x{2019}-]*"
    "|(?:de|den|der|van|von|het|ten|ter|te|le|la|du|di|da|del|el|al|bin|ibn)"
    "|\\([^()\\n]{1,40}\\))){0,4})"
    "[ \\t]*:(?=\\s|$)";

typedef struct Speakers {
  char **labels; /* owned */
  int64_t *ids;
  int n;
} Speakers;

typedef struct Turn {
  int open;       /* a turn is being collected */
  char *label;    /* owned */
  double t_start; /* seconds, or -1 */
  double t_end;
  size_t start, end; /* byte offsets of the turn text in the stored text */
  long line;         /* where the turn starts, for messages */
} Turn;

typedef struct Parse {
  ThemaStore *st;
  ThemaError *err;
  const char *path;
  const char *text; /* the stored text */
  int64_t source_id;
  long ordinal;
  ThemaUtf8Cursor cursor;
  Speakers speakers;
  ThemaImportResult *res;
} Parse;

static int speaker_lookup(Parse *p, const char *label, int64_t *id) {
  for (int i = 0; i < p->speakers.n; i++)
    if (strcmp(p->speakers.labels[i], label) == 0) {
      *id = p->speakers.ids[i];
      return THEMA_OK;
    }
  if (thema_speaker_id(p->st, p->source_id, label, id, p->err)) return p->err->status;
  Speakers *s = &p->speakers;
  s->labels = thema_xrealloc(s->labels, (size_t)(s->n + 1) * sizeof *s->labels);
  s->ids = thema_xrealloc(s->ids, (size_t)(s->n + 1) * sizeof *s->ids);
  s->labels[s->n] = thema_xstrdup(label);
  s->ids[s->n] = *id;
  s->n++;
  p->res->speakers = s->n;
  return THEMA_OK;
}

static void speakers_free(Speakers *s) {
  for (int i = 0; i < s->n; i++) free(s->labels[i]);
  free(s->labels);
  free(s->ids);
}

/* Store the open turn as a segment. */
static int turn_flush(Parse *p, Turn *t) {
  if (!t->open) return THEMA_OK;
  t->open = 0;
  int64_t speaker = 0;
  if (speaker_lookup(p, t->label, &speaker)) return p->err->status;
  if (t->end < t->start) t->end = t->start;
  size_t cs = thema_utf8_cursor_advance(&p->cursor, p->text, t->start);
  size_t ce = thema_utf8_cursor_advance(&p->cursor, p->text, t->end);
  p->ordinal++;
  const char *sql =
      "INSERT INTO segment(source_id, ordinal, speaker_id, start, end, time_start,"
      " time_end, text) VALUES (?,?,?,?,?,?,?,?)";
  int rc;
  if (t->t_start >= 0)
    rc = thema_store_exec(p->st, p->err, sql, "iiiiiddx", p->source_id, (int64_t)p->ordinal,
                          speaker, (int64_t)cs, (int64_t)ce, t->t_start,
                          t->t_end >= 0 ? t->t_end : t->t_start, p->text + t->start,
                          t->end - t->start);
  else
    rc = thema_store_exec(p->st, p->err, sql, "iiiiinnx", p->source_id, (int64_t)p->ordinal,
                          speaker, (int64_t)cs, (int64_t)ce, p->text + t->start,
                          t->end - t->start);
  free(t->label);
  t->label = NULL;
  p->res->segments = p->ordinal;
  return rc;
}

/* Seconds from "hh:mm:ss[.,-]f", "mm:ss[.,]f" or "hh.mm"; -1 when unreadable. */
static double parse_time(const char *s, size_t n) {
  double parts[3] = {0, 0, 0};
  int np = 0;
  double frac = 0;
  size_t i = 0;
  char sep = 0;
  while (i < n && np < 3) {
    if (s[i] < '0' || s[i] > '9') return -1;
    double v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
    parts[np++] = v;
    if (i == n) break;
    if (s[i] == ':' || (s[i] == '.' && np == 1 && sep == 0 && n - i == 3)) {
      sep = s[i++];
      continue;
    }
    if (s[i] == '.' || s[i] == ',' || s[i] == '-') {
      double scale = 0.1;
      for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
        frac += (s[i] - '0') * scale;
      break;
    }
    return -1;
  }
  if (i < n) return -1;
  if (sep == '.') return parts[0] * 3600 + parts[1] * 60; /* minutes' "hh.mm" */
  if (np == 3) return parts[0] * 3600 + parts[1] * 60 + parts[2] + frac;
  if (np == 2) return parts[0] * 60 + parts[1] + frac;
  return -1;
}

static void trim(const char *s, size_t *b, size_t *e) {
  while (*b < *e && (s[*b] == ' ' || s[*b] == '\t')) (*b)++;
  while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t' || s[*e - 1] == '\n')) (*e)--;
}

static int group_span(const ThemaRx *rx, const PCRE2_SIZE *ov, const char *name, size_t *b,
                      size_t *e) {
  int g = thema_rx_group(rx, name);
  if (g < 0 || ov[2 * g] == PCRE2_UNSET) return 0;
  *b = ov[2 * g];
  *e = ov[2 * g + 1];
  return 1;
}

static int import_plain(Parse *p, const ThemaInput *t, size_t body, long body_line,
                        ThemaRx *rx) {
  const char *s = t->buf.data + body;
  size_t len = t->buf.len - body;
  Turn turn = {0};
  long lineno = body_line;
  for (size_t ls = 0; ls < len; lineno++) {
    const char *nl = memchr(s + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - s) : len;
    size_t b = ls, e = le;
    trim(s, &b, &e);
    PCRE2_SIZE *ov = NULL;
    int m = b < e ? thema_rx_match(rx, s, le, ls, &ov, p->err) : 0;
    if (m < 0) {
      thema_error_at(p->err, THEMA_EINPUT, p->path, lineno, 0,
                     "speaker pattern failed on this line");
      goto done;
    }
    if (m == 1) {
      size_t lb, lend, tb, te;
      if (!group_span(rx, ov, "label", &lb, &lend)) lb = lend = ov[0];
      trim(s, &lb, &lend);
      if (lb == lend) {
        thema_error_at(p->err, THEMA_EINPUT, p->path, lineno, 0,
                       "the speaker pattern matched an empty label; its "
                       "(?<label>...) group must match the speaker");
        goto done;
      }
      if (turn_flush(p, &turn)) goto done;
      turn.open = 1;
      turn.label = thema_xstrndup(s + lb, lend - lb);
      turn.line = lineno;
      turn.t_start = turn.t_end = -1;
      if (group_span(rx, ov, "ts", &tb, &te) || group_span(rx, ov, "ts2", &tb, &te)) {
        turn.t_start = parse_time(s + tb, te - tb);
        if (turn.t_start < 0) {
          thema_error_at(p->err, THEMA_EINPUT, p->path, lineno,
                         (long)thema_utf8_count(s + ls, tb - ls) + 1,
                         "cannot read timestamp '%.*s'; write hh:mm:ss", (int)(te - tb),
                         s + tb);
          goto done;
        }
      }
      size_t tb2 = ov[1], te2 = le;
      trim(s, &tb2, &te2);
      turn.start = tb2; /* offsets into the stored text, the body (p->text) */
      turn.end = te2;
    } else if (b < e) {
      if (!turn.open) {
        thema_error_at(p->err, THEMA_EINPUT, p->path, lineno, (long)(b - ls) + 1,
                       "text before the first speaker turn; start each turn at the "
                       "beginning of a line with a label and a colon (e.g. 'R1.1: ...'), "
                       "or pass --speaker-pattern for another convention");
        goto done;
      }
      if (turn.end == turn.start && turn.start <= ls) turn.start = b;
      turn.end = e;
    }
    ls = le + 1;
  }
  if (turn_flush(p, &turn)) goto done;
  if (p->ordinal == 0)
    thema_error_at(p->err, THEMA_EINPUT, p->path, 0, 0,
                   "no speaker turn found; start each turn at the beginning of a "
                   "line with a label and a colon (e.g. 'R1.1: ...'), or pass "
                   "--speaker-pattern for another convention");
done:
  free(turn.label);
  return p->err->status;
}

/* ---- WebVTT and SRT ---- */

typedef struct Cue {
  double start, end;
  char *speaker; /* owned, NULL when the cue names none */
  ThemaBuf text; /* payload without tags, lines joined by spaces */
  long line;
} Cue;

/* "hh:mm:ss.ttt" or "mm:ss.ttt" (WebVTT), "hh:mm:ss,ttt" (SRT). */
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
  *a = parse_time(s + lb, le - lb);
  *b = parse_time(s + rb, re - rb);
  return *a >= 0 && *b >= 0;
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

/*
 * Parse the cues, merge consecutive cues of one speaker into a turn, and
 * render the turns as the stored text. Segments are stored after the source
 * row exists, from the turn list kept in `turns` (label, times, byte spans).
 */
typedef struct RenderedTurn {
  char *label;
  double start, end;
  size_t tb, te; /* byte span of the text in the rendered buffer */
} RenderedTurn;

static int import_subtitles(Parse *p, const ThemaInput *t, int is_vtt, ThemaRx *rx,
                            ThemaBuf *rendered, RenderedTurn **turns_out,
                            size_t *nturns_out) {
  const char *s = t->buf.data;
  size_t len = t->buf.len;
  RenderedTurn *turns = NULL;
  size_t nturns = 0;
  Cue cue = {0};
  long lineno = 1;
  size_t ls = 0;
  if (is_vtt) {
    if (len < 6 || memcmp(s, "WEBVTT", 6) != 0 || (len > 6 && !strchr(" \t\n", s[6]))) {
      thema_error_at(p->err, THEMA_EINPUT, p->path, 1, 1,
                     "a WebVTT file must start with 'WEBVTT'");
      goto done;
    }
    /* Skip the header block. */
    while (ls < len) {
      const char *nl = memchr(s + ls, '\n', len - ls);
      size_t le = nl ? (size_t)(nl - s) : len;
      ls = le + 1;
      lineno++;
      if (le == ls - 1 && (le == 0 || s[le - 1] == '\n')) break;
      if (ls < len && s[ls] == '\n') {
        ls++;
        lineno++;
        break;
      }
    }
  }
  while (ls < len) {
    /* One block: lines up to a blank line. */
    size_t lines[64][2];
    int nl_count = 0;
    long block_line = lineno;
    while (ls < len) {
      const char *nl = memchr(s + ls, '\n', len - ls);
      size_t le = nl ? (size_t)(nl - s) : len;
      size_t b = ls, e = le;
      trim(s, &b, &e);
      ls = le + 1;
      lineno++;
      if (b == e) {
        if (nl_count) break;
        block_line = lineno;
        continue;
      }
      if (nl_count < 64) {
        lines[nl_count][0] = b;
        lines[nl_count][1] = e;
        nl_count++;
      }
    }
    if (!nl_count) continue;
    const char *first = s + lines[0][0];
    size_t first_len = lines[0][1] - lines[0][0];
    if (is_vtt && (strncmp(first, "NOTE", 4) == 0 || strncmp(first, "STYLE", 5) == 0 ||
                   strncmp(first, "REGION", 6) == 0))
      continue;
    int ti = 0;
    double a, b;
    if (!parse_timing(first, first_len, &a, &b)) {
      ti = 1; /* a cue identifier (VTT) or the cue number (SRT) comes first */
      if (nl_count < 2 ||
          !parse_timing(s + lines[1][0], lines[1][1] - lines[1][0], &a, &b)) {
        /* the line after an identifier, or the lone line itself */
        long at = block_line + (nl_count < 2 ? 0 : ti);
        thema_error_at(p->err, THEMA_EINPUT, p->path, at, 1,
                       "expected a cue timing line 'hh:mm:ss%s000 --> hh:mm:ss%s000'",
                       is_vtt ? "." : ",", is_vtt ? "." : ",");
        goto done;
      }
    }
    cue.start = a;
    cue.end = b;
    cue.line = block_line;
    free(cue.speaker);
    cue.speaker = NULL;
    thema_buf_reset(&cue.text);
    for (int k = ti + 1; k < nl_count; k++)
      cue_payload(&cue, s + lines[k][0], lines[k][1] - lines[k][0]);
    /* Without a voice tag, a "Name: text" payload names the speaker. */
    const char *payload = thema_buf_str(&cue.text);
    size_t pstart = 0;
    if (!cue.speaker && cue.text.len) {
      PCRE2_SIZE *ov = NULL;
      int m = thema_rx_match(rx, payload, cue.text.len, 0, &ov, p->err);
      size_t lb, le2;
      if (m < 0) goto done;
      if (m == 1 && group_span(rx, ov, "label", &lb, &le2)) {
        cue.speaker = thema_xstrndup(payload + lb, le2 - lb);
        pstart = ov[1];
        while (pstart < cue.text.len && payload[pstart] == ' ') pstart++;
      }
    }
    const char *label = cue.speaker;
    if (!label) {
      if (!nturns) {
        thema_error_at(p->err, THEMA_EINPUT, p->path, cue.line, 0,
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
    thema_error_at(p->err, THEMA_EINPUT, p->path, 0, 0,
                   "no cue with text found; nothing to import");
  thema_buf_putc(rendered, '\n');
done:
  free(cue.speaker);
  thema_buf_free(&cue.text);
  *turns_out = turns;
  *nturns_out = nturns;
  return p->err->status;
}

int thema_import_transcript(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                            ThemaImportResult *res, ThemaError *err) {
  ThemaInput text = {0};
  ThemaMeta meta = {0};
  ThemaRx *rx = NULL;
  ThemaBuf rendered = {0};
  RenderedTurn *turns = NULL;
  size_t nturns = 0;
  Parse p = {.st = st, .err = err, .path = path, .res = res};
  int is_vtt = thema_fs_has_ext(path, "vtt"), is_srt = thema_fs_has_ext(path, "srt");
  char format[8];
  snprintf(format, sizeof format, "%s", is_vtt ? "vtt" : is_srt ? "srt" : "txt");

  const char *pattern =
      opt && opt->speaker_pattern ? opt->speaker_pattern : default_speaker_pattern;
  rx = thema_rx_compile(pattern, THEMA_RX_ANCHORED, "--speaker-pattern", err);
  if (!rx) goto done;
  if (thema_rx_group(rx, "label") < 0) {
    thema_error_set(err, THEMA_EUSAGE,
                    "--speaker-pattern must have a named group (?<label>...) for "
                    "the speaker; it may have (?<ts>...) for a timestamp");
    goto done;
  }
  if (thema_input_load(path, &text, err)) goto done;

  ThemaSourceInfo info = {
      .kind = "transcript", .format = format, .path = path, .text = &text, .meta = &meta};
  if (is_vtt || is_srt) {
    if (import_subtitles(&p, &text, is_vtt, rx, &rendered, &turns, &nturns)) goto done;
    info.stored = rendered.data;
    info.stored_len = rendered.len;
    if (thema_source_register(st, &info, opt && opt->replace, res, err) || res->unchanged)
      goto done;
    p.source_id = res->source_id;
    p.text = rendered.data;
    for (size_t i = 0; i < nturns; i++) {
      Turn t = {.open = 1,
                .label = turns[i].label,
                .t_start = turns[i].start,
                .t_end = turns[i].end,
                .start = turns[i].tb,
                .end = turns[i].te};
      turns[i].label = NULL; /* turn_flush frees it */
      if (turn_flush(&p, &t)) goto done;
    }
    if (thema_source_index(st, p.source_id, err)) goto done;
  } else {
    size_t body;
    long body_line;
    if (thema_meta_parse_front(path, text.buf.data, text.buf.len, &meta, &body, &body_line,
                               err))
      goto done;
    info.stored = text.buf.data + body;
    info.stored_len = text.buf.len - body;
    if (thema_source_register(st, &info, opt && opt->replace, res, err) || res->unchanged)
      goto done;
    p.source_id = res->source_id;
    p.text = info.stored;
    if (import_plain(&p, &text, body, body_line, rx) ||
        thema_source_index(st, p.source_id, err))
      goto done;
  }
done:
  for (size_t i = 0; i < nturns; i++) free(turns[i].label);
  free(turns);
  speakers_free(&p.speakers);
  thema_buf_free(&rendered);
  thema_rx_free(rx);
  thema_meta_free(&meta);
  thema_input_free(&text);
  return err->status;
}
