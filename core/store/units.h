/*
 * units.h — reliability data as the store holds it: the segments (units) of
 * the sources some compared coder coded in, each with every visible coding
 * of those coders, read in ONE prepared statement and streamed in source and
 * segment order, so that an agreement pass never holds a table of codings.
 *
 * A coder is a run (its codings) or a human coder (the codings carrying its
 * name and no run). Visible codings are those of runs with status ok or
 * running, and every human coder's (the rule of the coding iterator of the
 * Lua API). The caller decides which run stands for a plugin.
 */
#ifndef THEMA_UNITS_H
#define THEMA_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct ThemaUnitsCoder {
  int64_t run_id;    /* a run whose codings count, or 0 for a human coder */
  const char *human; /* the human coder's name when run_id is 0 (borrowed) */
} ThemaUnitsCoder;

/* Which codings and sources a reading covers. sources/nsources restrict it to
 * the sources of those names (NULL, 0: every source). */
typedef struct ThemaUnitsSpec {
  const ThemaUnitsCoder *coders; /* the coders compared, in order (borrowed) */
  int ncoders;                   /* at least 1 */
  const char *const *sources;    /* source names, or NULL for all (borrowed) */
  int nsources;                  /* entries of sources */
} ThemaUnitsSpec;

/* One coding on a unit. */
typedef struct ThemaUnitCoding {
  int coder;        /* index into the spec's coders */
  int64_t code_id;  /* the code's row id */
  const char *code; /* its path; valid until the next thema_units_next */
} ThemaUnitCoding;

/* One unit (segment). Every pointer is valid until the next thema_units_next
 * or thema_units_close. */
typedef struct ThemaUnit {
  int64_t segment_id;             /* segment.id */
  const char *source;             /* the source's name */
  int64_t ordinal;                /* the segment's position in its source */
  const char *speaker;            /* speaker label, NULL when none */
  const char *text;               /* the segment's text */
  size_t text_len;                /* its length in bytes */
  const ThemaUnitCoding *codings; /* the coders' codings on it, ordered by start,
                                   * end, code path and id (NULL when none) */
  size_t ncodings;                /* entries of codings */
} ThemaUnit;

/* The number of visible codings of one coder in spec's sources (its coders
 * are ignored) and the number of sources they lie in. */
int thema_units_count(ThemaStore *st, const ThemaUnitsCoder *coder,
                      const ThemaUnitsSpec *spec, int64_t *codings, int64_t *sources,
                      ThemaError *err);

typedef struct ThemaUnitsCursor ThemaUnitsCursor;

/* Start reading the units of spec: every segment, in source name and
 * ordinal order, of each source (among spec's) where at least one of the
 * coders has a visible coding. On success *out is owned by the caller and
 * released with thema_units_close. */
int thema_units_open(ThemaStore *st, const ThemaUnitsSpec *spec, ThemaUnitsCursor **out,
                     ThemaError *err);

/* The next unit into *unit: 1 when there is one, 0 at the end, -1 on a store
 * error (message in err). */
int thema_units_next(ThemaUnitsCursor *c, ThemaUnit *unit, ThemaError *err);

/* Finalize the statement and free the cursor; NULL is accepted. */
void thema_units_close(ThemaUnitsCursor *c);

#endif
