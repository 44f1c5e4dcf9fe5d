/*
 * turn.c — the speaker-label pattern, clock times and turn emission shared
 * by plain transcripts (transcript.c) and subtitles (subtitle.c).
 */
#include "ingest/turn.h"

#include <stdlib.h>

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
  ThemaRx *rx; /* the compiled pattern, owned */
  int label;   /* number of the label group */
  int ts, ts2; /* numbers of the time groups, -1 when the pattern has none */
};

int thema_turn_pattern_compile(const char *pattern, ThemaTurnPattern **out,
                               ThemaError *err) {
  *out = NULL;
  ThemaRx *rx = thema_rx_compile(pattern ? pattern : default_pattern, THEMA_RX_ANCHORED,
                                 "--speaker-pattern", err);
  if (!rx) return err->status;
  if (thema_rx_group(rx, "label") < 0) {
    thema_rx_free(rx);
    return thema_error_set(err, THEMA_EUSAGE,
                           "--speaker-pattern must have a named group (?<label>...) for "
                           "the speaker; it may have (?<ts>...) for a timestamp");
  }
  ThemaTurnPattern *p = thema_xmalloc(sizeof *p);
  p->rx = rx;
  p->label = thema_rx_group(rx, "label");
  p->ts = thema_rx_group(rx, "ts");
  p->ts2 = thema_rx_group(rx, "ts2");
  *out = p;
  return THEMA_OK;
}

void thema_turn_pattern_free(ThemaTurnPattern *p) {
  if (!p) return;
  thema_rx_free(p->rx);
  free(p);
}

static int group_span(const PCRE2_SIZE *ov, int g, size_t *b, size_t *e) {
  if (g < 0 || ov[2 * g] == PCRE2_UNSET) return 0;
  *b = ov[2 * g];
  *e = ov[2 * g + 1];
  return 1;
}

int thema_turn_match(ThemaTurnPattern *p, const char *s, size_t len, size_t start,
                     ThemaTurnMatch *m, ThemaError *err) {
  PCRE2_SIZE *ov = NULL;
  int rc = thema_rx_match(p->rx, s, len, start, &ov, err);
  if (rc != 1) return rc;
  m->has_label = group_span(ov, p->label, &m->label_b, &m->label_e);
  if (!m->has_label) m->label_b = m->label_e = ov[0];
  m->has_time = group_span(ov, p->ts, &m->time_b, &m->time_e) ||
                group_span(ov, p->ts2, &m->time_b, &m->time_e);
  m->end = ov[1];
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
                         .start = thema_utf8_cursor_advance(&w->cursor, w->text, b),
                         .end = thema_utf8_cursor_advance(&w->cursor, w->text, e),
                         .timed = time_start >= 0,
                         .time_start = time_start,
                         .time_end = time_end >= 0 ? time_end : time_start,
                         .text = w->text + b,
                         .len = e - b};
  return thema_sink_add_segment(sink, &seg, err);
}
