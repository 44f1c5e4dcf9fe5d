/*
 * coding.h — the one writer of table coding: a code applied to a span of a
 * segment, by a plugin run or by a named (human) coder.
 */
#ifndef THEMA_CODING_H
#define THEMA_CODING_H

#include <stdint.h>

#include "store/store.h"

typedef struct ThemaCodingRow {
  int64_t code_id;      /* the code */
  int64_t segment_id;   /* the segment coded */
  int64_t start, end;   /* code points into the source text, within the segment */
  int64_t run_id;       /* the run that coded, 0 for a human coder */
  const char *coder;    /* the coder's name, NULL for a run's own coding */
  const double *weight; /* NULL when the coding has none */
  const char *memo;     /* NULL when none */
} ThemaCodingRow;

/* Store one coding; *id (when id is not NULL) is its row id. The caller has
 * checked the span against the segment (thema_query_segment_span). */
int thema_coding_add(ThemaStore *st, const ThemaCodingRow *row, int64_t *id,
                     ThemaError *err);

/* Delete the codings of one run; *deleted (may be NULL) counts them. */
int thema_coding_delete_run(ThemaStore *st, int64_t run_id, int64_t *deleted,
                            ThemaError *err);

/* Delete the codings carrying coder's name: with human_only, only those of
 * no run (what re-importing a coder's file replaces). */
int thema_coding_delete_coder(ThemaStore *st, const char *coder, int human_only,
                              int64_t *deleted, ThemaError *err);

/* Delete the codings of plugin's earlier successful runs, all but keep_run:
 * a run's results replace its predecessors' only once it has succeeded. */
int thema_coding_delete_superseded(ThemaStore *st, const char *plugin, int64_t keep_run,
                                   ThemaError *err);

/* Move a coding to another segment of its source (re-cutting: its span, in
 * source code points, stays as it is). */
int thema_coding_move(ThemaStore *st, int64_t coding_id, int64_t segment_id,
                      ThemaError *err);

#endif
