/*
 * transcript.c — plain transcripts: UTF-8 text with speaker turns, optional
 * front matter and timestamps, and the transcript kind's file reader (which
 * hands .vtt and .srt files to subtitle.c).
 *
 * A turn starts at the beginning of a line with a speaker label and a colon
 * (as the speaker pattern reads it); the lines after it continue the turn
 * until the next label. The stored text is the body after the front matter.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "ingest/ingest.h"
#include "ingest/office.h"
#include "ingest/sniff.h"

typedef struct Turn {
  int open;       /* a turn is being collected */
  char *label;    /* owned */
  double t_start; /* seconds, or -1 */
  size_t start;   /* byte span of the turn text in the stored text */
  size_t end;
} Turn;

static void trim(const char *s, size_t *b, size_t *e) {
  while (*b < *e && (s[*b] == ' ' || s[*b] == '\t')) (*b)++;
  while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t' || s[*e - 1] == '\n')) (*e)--;
}

/* Emit the open turn as the next segment. */
static int turn_flush(ThemaTurnWriter *w, ThemaSink *sink, Turn *t, ThemaError *err) {
  if (!t->open) return THEMA_OK;
  t->open = 0;
  int rc = thema_turn_emit(w, sink, t->label, t->start, t->end, t->t_start, -1, err);
  free(t->label);
  t->label = NULL;
  return rc;
}

/* The turns of body s[0..len), whose first line is body_line of the file. */
/* The heading path: one entry per level, joined "A > B" into path. */
typedef struct Headings {
  char *level[6]; /* owned, NULL where none */
  ThemaBuf path;
} Headings;

static void headings_set(Headings *h, int level, const char *s, size_t n) {
  for (int i = level - 1; i < 6; i++) {
    free(h->level[i]);
    h->level[i] = NULL;
  }
  h->level[level - 1] = thema_xstrndup(s, n);
  thema_buf_reset(&h->path);
  for (int i = 0; i < 6; i++)
    if (h->level[i])
      thema_buf_printf(&h->path, "%s%s", h->path.len ? " > " : "", h->level[i]);
}

static void headings_free(Headings *h) {
  for (int i = 0; i < 6; i++) free(h->level[i]);
  thema_buf_free(&h->path);
}

static int parse_turns(ThemaSink *sink, const char *path, const char *s, size_t len,
                       long body_line, ThemaTurnPattern *pattern, ThemaError *err) {
  ThemaTurnWriter w = {.text = s};
  Turn turn = {0};
  Headings heads = {0};
  long lineno = body_line, turns = 0;
  int preamble = thema_turn_pattern_preamble(pattern);
  for (size_t ls = 0; ls < len; lineno++) {
    const char *nl = memchr(s + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - s) : len;
    size_t b = ls, e = le;
    trim(s, &b, &e);
    size_t hb, he;
    int level;
    int heading = b < e ? thema_turn_heading(pattern, s, le, b, &hb, &he, &level, err) : 0;
    if (heading < 0) {
      char why[sizeof err->msg];
      thema_error_at(err, THEMA_EINPUT, path, lineno, 0,
                     "the heading pattern failed on this line (%s); simplify the pattern",
                     thema_error_take(err, why));
      goto done;
    }
    if (heading == 1) {
      /* A heading ends the turn above it and heads the turns under it. */
      if (turn_flush(&w, sink, &turn, err)) goto done;
      trim(s, &hb, &he);
      headings_set(&heads, level, s + hb, he - hb);
      w.section = heads.path.len ? heads.path.data : NULL;
      ls = le + 1;
      continue;
    }
    ThemaTurnMatch m;
    int hit = b < e ? thema_turn_match(pattern, s, le, ls, &m, err) : 0;
    if (hit < 0) {
      char why[sizeof err->msg];
      thema_error_at(err, THEMA_EINPUT, path, lineno, 0,
                     "the speaker pattern failed on this line (%s); simplify the pattern",
                     thema_error_take(err, why));
      goto done;
    }
    if (hit == 1) {
      size_t lb = m.label_b, lend = m.label_e;
      trim(s, &lb, &lend);
      if (lb == lend) {
        thema_error_at(err, THEMA_EINPUT, path, lineno, 0,
                       "the speaker pattern matched an empty label; its "
                       "(?<label>...) group must match the speaker");
        goto done;
      }
      if (turn_flush(&w, sink, &turn, err)) goto done;
      turns++;
      turn.open = 1;
      turn.label = thema_xstrndup(s + lb, lend - lb);
      turn.t_start = -1;
      if (m.has_time) {
        turn.t_start = thema_turn_seconds(s + m.time_b, m.time_e - m.time_b);
        if (turn.t_start < 0) {
          thema_error_at(
              err, THEMA_EINPUT, path, lineno,
              (long)thema_utf8_count(s + ls, m.time_b - ls) + 1,
              "cannot read timestamp '%.*s'; write hh:mm:ss, minutes and seconds "
              "below 60",
              (int)(m.time_e - m.time_b), s + m.time_b);
          goto done;
        }
      }
      size_t tb = m.end, te = le;
      trim(s, &tb, &te);
      turn.start = tb;
      turn.end = te;
    } else if (b < e) {
      if (!turn.open) {
        /* Text outside any turn: a title page and the list of those present
         * before the first turn, or what stands under a heading before its
         * first turn. Kept as a segment without a speaker unless asked. */
        if (preamble == THEMA_PREAMBLE_REFUSE) {
          thema_error_at(err, THEMA_EINPUT, path, lineno, (long)(b - ls) + 1,
                         "text outside a speaker turn; start each turn at the beginning of "
                         "a line with a label and a colon (e.g. 'R1.1: ...'), pass "
                         "--speaker-pattern for another convention, or --preamble keep");
          goto done;
        }
        if (preamble == THEMA_PREAMBLE_SKIP) {
          ls = le + 1;
          continue;
        }
        turn.open = 1;
        turn.label = NULL;
        turn.t_start = -1;
        turn.start = turn.end = b;
      }
      if (turn.end == turn.start && turn.start <= ls) turn.start = b;
      turn.end = e;
    }
    ls = le + 1;
  }
  if (turn_flush(&w, sink, &turn, err)) goto done;
  if (turns == 0)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "no speaker turn found; start each turn at the beginning of a "
                   "line with a label and a colon (e.g. 'R1.1: ...'), or pass "
                   "--speaker-pattern for another convention");
done:
  free(turn.label);
  headings_free(&heads);
  return err->status;
}

int thema_parse_transcript(ThemaSink *sink, const char *path, const ThemaInput *in,
                           ThemaTurnPattern *pattern, ThemaError *err) {
  ThemaTextBody body = {0};
  int unchanged = 0;
  if (!thema_sink_begin_text(sink, path, in, "transcript", "txt", &body, &unchanged, err) &&
      !unchanged && !parse_turns(sink, path, body.text, body.len, body.line, pattern, err))
    thema_sink_end_source(sink, err);
  thema_meta_free(&body.meta);
  return err->status;
}

int thema_read_transcript(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                          ThemaError *err) {
  /* What the file is decides its parser: DOCX, ODT, HTML, PDF and TEI
   * have their own (office.h); what is neither text nor one of them is
   * refused before anything is read. */
  ThemaSniff sn;
  if (thema_sniff_require(path, "transcript", &sn, err)) return err->status;
  if (sn.format == THEMA_FORMAT_TEI) return thema_read_parlamint(sink, path, opt, err);
  if (sn.format != THEMA_FORMAT_TEXT)
    return thema_read_office(sink, path, &sn, "transcript", opt, err);
  ThemaTurnPattern *pattern = NULL;
  ThemaInput in = {0};
  int is_vtt = thema_fs_has_ext(path, "vtt"), is_srt = thema_fs_has_ext(path, "srt");
  /* The pattern first: a bad option is reported before any file is read. */
  if (thema_turn_pattern_compile(opt ? opt->speaker_pattern : NULL, &pattern, err) ||
      thema_turn_pattern_set_headings(pattern, opt ? opt->heading_pattern : NULL, err) ||
      thema_input_load(path, &in, err))
    goto done;
  if (opt) thema_turn_pattern_set_preamble(pattern, opt->preamble);
  if (is_vtt || is_srt)
    thema_parse_subtitle(sink, path, &in, is_vtt, pattern, err);
  else
    thema_parse_transcript(sink, path, &in, pattern, err);
done:
  thema_input_free(&in);
  thema_turn_pattern_free(pattern);
  return err->status;
}
