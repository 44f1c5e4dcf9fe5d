/*
 * turn.c — the speaker-label pattern, clock times and turn emission shared
 * by plain transcripts (transcript.c) and subtitles (subtitle.c).
 */
#include "ingest/turn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/rx.h"

/* Labels: a capitalised first word (R2.1, I, Interviewer, Anna), then up to
 * four more capitalised words, name particles or a parenthesised note, so that
 * "R (AgII):" and "Anna De Smet:" are labels and "Dus ik zeg:" is not. */
static const char default_pattern[] =
    "(?:\\[(?<ts>\\d{1,2}(?::\\d{2}){1,2}(?:[.,]\\d+)?)\\]"
    "|#(?<ts2>\\d{1,2}:\\d{2}:\\d{2}(?:[.,-]\\d+)?)#)?[ \\t]*"
    "(?<label>\\p{Lu}[\\p{L}\\p{N}.'\\x{2019}-]*"
    "(?:[ \\t]+(?:\\p{Lu}[\\p{L}\\p{N}.'\\x{2019}-]*"
    "|(?:de|den|der|van|von|het|ten|ter|te|le|la|du|di|da|del|el|al|bin|ibn)"
    "|\\([^()\\n]{1,40}\\))){0,4})"
    "[ \\t]*:(?=\\s|$)";

struct ThemaTurnPattern {
  ThemaRx *rx;      /* the compiled pattern (all alternatives), owned */
  ThemaRx *heading; /* a --heading-pattern, or NULL (Markdown headings only) */
  int preamble;     /* THEMA_PREAMBLE_*: text before the first turn */
};

/* Each alternative alone first, so that an error names the one at fault. */
static int check_alternative(const char *alt, int n, int several, ThemaError *err) {
  char what[64];
  snprintf(what, sizeof what, several ? "--speaker-pattern %d" : "--speaker-pattern",
           n + 1);
  ThemaRx *rx = thema_rx_compile(alt, THEMA_RX_ANCHORED, what, err);
  if (!rx) return err->status;
  int has_label = thema_rx_group(rx, "label") >= 0;
  thema_rx_free(rx);
  if (!has_label)
    return thema_error_set(err, THEMA_EUSAGE,
                           "%s must have a named group (?<label>...) for the speaker; it "
                           "may have (?<ts>...) for a timestamp and (?<num>...) for a "
                           "speech number",
                           what);
  return THEMA_OK;
}

int thema_turn_pattern_compile(const char *pattern, ThemaTurnPattern **out,
                               ThemaError *err) {
  *out = NULL;
  const char *src = pattern ? pattern : default_pattern;
  /* Several alternatives (one per line: --speaker-pattern given more than
   * once) become one pattern, tried left to right at each line's start,
   * whose groups may share names. */
  ThemaBuf all = {0};
  int n = 0;
  for (const char *a = src;; n++) {
    const char *nl = strchr(a, '\n');
    size_t len = nl ? (size_t)(nl - a) : strlen(a);
    char *alt = thema_xstrndup(a, len);
    int rc = check_alternative(alt, n, strchr(src, '\n') != NULL, err);
    if (!rc) thema_buf_printf(&all, "%s(?:%s)", n ? "|" : "", alt);
    free(alt);
    if (rc) {
      thema_buf_free(&all);
      return rc;
    }
    if (!nl) break;
    a = nl + 1;
  }
  ThemaRx *rx = thema_rx_compile(all.data, THEMA_RX_ANCHORED | THEMA_RX_DUPNAMES,
                                 "--speaker-pattern", err);
  thema_buf_free(&all);
  if (!rx) return err->status;
  ThemaTurnPattern *p = thema_xcalloc(1, sizeof *p);
  p->rx = rx;
  *out = p;
  return THEMA_OK;
}

int thema_turn_pattern_set_headings(ThemaTurnPattern *p, const char *pattern,
                                    ThemaError *err) {
  thema_rx_free(p->heading);
  p->heading = NULL;
  if (!pattern) return THEMA_OK;
  p->heading = thema_rx_compile(pattern, THEMA_RX_ANCHORED, "--heading-pattern", err);
  return p->heading ? THEMA_OK : err->status;
}

void thema_turn_pattern_set_preamble(ThemaTurnPattern *p, int preamble) {
  p->preamble = preamble;
}

int thema_turn_pattern_preamble(const ThemaTurnPattern *p) { return p->preamble; }

void thema_turn_pattern_free(ThemaTurnPattern *p) {
  if (!p) return;
  thema_rx_free(p->rx);
  thema_rx_free(p->heading);
  free(p);
}

static int group_span(const ThemaRx *rx, const PCRE2_SIZE *ov, const char *name, size_t *b,
                      size_t *e) {
  int g = thema_rx_group_set(rx, name, ov);
  if (g < 0) return 0;
  *b = ov[2 * g];
  *e = ov[2 * g + 1];
  return 1;
}

int thema_turn_match(ThemaTurnPattern *p, const char *s, size_t len, size_t start,
                     ThemaTurnMatch *m, ThemaError *err) {
  PCRE2_SIZE *ov = NULL;
  int rc = thema_rx_match(p->rx, s, len, start, &ov, err);
  if (rc != 1) return rc;
  m->has_label = group_span(p->rx, ov, "label", &m->label_b, &m->label_e);
  if (!m->has_label) m->label_b = m->label_e = ov[0];
  m->has_time = group_span(p->rx, ov, "ts", &m->time_b, &m->time_e) ||
                group_span(p->rx, ov, "ts2", &m->time_b, &m->time_e);
  m->has_number = group_span(p->rx, ov, "num", &m->num_b, &m->num_e);
  m->end = ov[1];
  return 1;
}

int thema_turn_heading(ThemaTurnPattern *p, const char *s, size_t len, size_t start,
                       size_t *b, size_t *e, int *level, ThemaError *err) {
  size_t i = start;
  while (i < len && s[i] == '#' && i - start < 7) i++;
  if (i > start && i - start <= 6 && i < len && (s[i] == ' ' || s[i] == '\t')) {
    *level = (int)(i - start);
    *b = i;
    *e = len;
    return 1;
  }
  if (!p->heading) return 0;
  PCRE2_SIZE *ov = NULL;
  int rc = thema_rx_match(p->heading, s, len, start, &ov, err);
  if (rc != 1) return rc;
  *level = 1;
  if (!group_span(p->heading, ov, "heading", b, e)) {
    *b = start;
    *e = len;
  }
  return 1;
}

double thema_turn_seconds(const char *s, size_t n) {
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
  /* Below the highest part, minutes and seconds count to 59: [99:99:99] is
   * no time, and reading it as one would misplace the turn. */
  if (np >= 2 && parts[np - 1] >= 60) return -1;
  if (np == 3 && parts[1] >= 60) return -1;
  if (sep == '.') return parts[0] * 3600 + parts[1] * 60; /* minutes' "hh.mm" */
  if (np == 3) return parts[0] * 3600 + parts[1] * 60 + parts[2] + frac;
  if (np == 2) return parts[0] * 60 + parts[1] + frac;
  return -1;
}

int thema_turn_emit(ThemaTurnWriter *w, ThemaSink *sink, const char *label, size_t b,
                    size_t e, double time_start, double time_end, ThemaError *err) {
  if (e < b) e = b;
  ThemaSegmentRec seg = {.ordinal = ++w->ordinal,
                         .speaker = label,
                         .section = w->section,
                         .start = thema_utf8_cursor_advance(&w->cursor, w->text, b),
                         .end = thema_utf8_cursor_advance(&w->cursor, w->text, e),
                         .timed = time_start >= 0,
                         .time_start = time_start,
                         .time_end = time_end >= 0 ? time_end : time_start,
                         .text = w->text + b,
                         .len = e - b};
  return thema_sink_add_segment(sink, &seg, err);
}
