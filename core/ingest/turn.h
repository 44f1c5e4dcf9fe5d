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
 * it). An invalid pattern is an input error, one without a label group a
 * usage error. The caller owns *out; free it with thema_turn_pattern_free. */
int thema_turn_pattern_compile(const char *pattern, ThemaTurnPattern **out,
                               ThemaError *err);
void thema_turn_pattern_free(ThemaTurnPattern *p);

/* Where the pattern matched (byte offsets into the subject). */
typedef struct ThemaTurnMatch {
  int has_label;           /* the label group took part in the match */
  size_t label_b, label_e; /* the label */
  int has_time;            /* a ts or ts2 group took part */
  size_t time_b, time_e;   /* the time */
  size_t end;              /* where the match ends: the turn's text follows */
} ThemaTurnMatch;

/* Match p at byte start of s[0..len): 1 with *m filled, 0 when the line is
 * no turn, -1 on a matching error (in *err). */
int thema_turn_match(ThemaTurnPattern *p, const char *s, size_t len, size_t start,
                     ThemaTurnMatch *m, ThemaError *err);

/* Seconds from "hh:mm:ss[.,-]f", "mm:ss[.,]f" or "hh.mm"; -1 when unreadable. */
double thema_turn_seconds(const char *s, size_t n);

/* A turn being emitted: the source's text, a cursor over it and the last
 * ordinal, so that the turns of a source cost one pass of code-point
 * counting. Start zeroed with text set. */
typedef struct ThemaTurnWriter {
  const char *text;       /* the stored text */
  ThemaUtf8Cursor cursor; /* byte to code point over text */
  long ordinal;           /* the last turn's ordinal */
} ThemaTurnWriter;

/* Emit text[b..e) (bytes) spoken by label as the next segment; time_start
 * < 0 means no time, time_end < 0 the start time. */
int thema_turn_emit(ThemaTurnWriter *w, ThemaSink *sink, const char *label, size_t b,
                    size_t e, double time_start, double time_end, ThemaError *err);

#endif
