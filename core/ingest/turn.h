/*
 * turn.h — what plain transcripts and subtitles share: the speaker-label
 * pattern (the default one or --speaker-pattern), clock times, and a turn
 * emitted as a segment.
 */
#ifndef THEMA_TURN_H
#define THEMA_TURN_H

#include <stddef.h>

#include "base/thema.h"
#include "base/utf8.h"
#include "ingest/sink.h"

/* A compiled speaker pattern: PCRE2 anchored at a line's start, with a
 * (?<label>...) group and optionally (?<ts>...) or (?<ts2>...) for a time. */
typedef struct ThemaTurnPattern ThemaTurnPattern;

/* Compile pattern (NULL: the default, which reads "R2.1:", "R (AgII):",
 * "Anna De Smet:" with an optional "[hh:mm:ss]" or "#hh:mm:ss-f#" before
 * it). A pattern may hold several alternatives, one per line (numbered
 * speakers and the chair of a sitting), tried in order; their groups share
 * the names label, ts or ts2 (a clock time) and num (a speech number such as
 * "01.11", which is never read as a time). An invalid pattern is an input
 * error, one without a label group a usage error. The caller owns *out; free
 * it with thema_turn_pattern_free. */
int thema_turn_pattern_compile(const char *pattern, ThemaTurnPattern **out,
                               ThemaError *err);
void thema_turn_pattern_free(ThemaTurnPattern *p);

/* Lines that are headings (agenda items, parts of a sitting) set the section
 * path of the turns under them: Markdown headings ("## 2. Begroting") always,
 * and lines the heading pattern matches at their start (its (?<heading>...)
 * group, or the whole line, is the heading's text; NULL for none). */
int thema_turn_pattern_set_headings(ThemaTurnPattern *p, const char *pattern,
                                    ThemaError *err);

/* What to do with text before the first turn (a title page, the list of
 * those present): keep it as a front segment without a speaker (the
 * default), skip it, or refuse the file. */
enum { THEMA_PREAMBLE_KEEP = 0, THEMA_PREAMBLE_SKIP = 1, THEMA_PREAMBLE_REFUSE = 2 };
void thema_turn_pattern_set_preamble(ThemaTurnPattern *p, int preamble);
int thema_turn_pattern_preamble(const ThemaTurnPattern *p);

/* Where the pattern matched (byte offsets into the subject). */
typedef struct ThemaTurnMatch {
  int has_label;           /* the label group took part in the match */
  size_t label_b, label_e; /* the label */
  int has_time;            /* a ts or ts2 group took part */
  size_t time_b, time_e;   /* the time */
  int has_number;          /* a num group took part: a speech number, never a time */
  size_t num_b, num_e;     /* the number */
  size_t end;              /* where the match ends: the turn's text follows */
} ThemaTurnMatch;

/* Match p at byte start of s[0..len): 1 with *m filled, 0 when the line is
 * no turn, -1 on a matching error (in *err). */
int thema_turn_match(ThemaTurnPattern *p, const char *s, size_t len, size_t start,
                     ThemaTurnMatch *m, ThemaError *err);

/* Whether the line at byte start of s[0..len) (len: the line's end) is a
 * heading: 1 with its text s[*b..*e) and its level (1 for a pattern's),
 * 0 when not, -1 on a matching error. */
int thema_turn_heading(ThemaTurnPattern *p, const char *s, size_t len, size_t start,
                       size_t *b, size_t *e, int *level, ThemaError *err);

/* Seconds from "hh:mm:ss[.,-]f", "mm:ss[.,]f" or "hh.mm"; -1 when unreadable. */
double thema_turn_seconds(const char *s, size_t n);

/* A turn being emitted: the source's text, a cursor over it and the last
 * ordinal, so that the turns of a source cost one pass of code-point
 * counting. Start zeroed with text set. */
typedef struct ThemaTurnWriter {
  const char *text;       /* the stored text */
  ThemaUtf8Cursor cursor; /* byte to code point over text */
  long ordinal;           /* the last turn's ordinal */
  const char *section;    /* the heading path of the next turns, or NULL */
} ThemaTurnWriter;

/* Emit text[b..e) (bytes) spoken by label as the next segment; time_start
 * < 0 means no time, time_end < 0 the start time. */
int thema_turn_emit(ThemaTurnWriter *w, ThemaSink *sink, const char *label, size_t b,
                    size_t e, double time_start, double time_end, ThemaError *err);

#endif
