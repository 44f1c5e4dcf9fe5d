/*
 * observation.h — the one writer of tables indicator and observation:
 * monitor data in long form, one value per case, indicator and period.
 */
#ifndef THEMA_OBSERVATION_H
#define THEMA_OBSERVATION_H

#include <stdint.h>

#include "store/store.h"

/* An observation row; every text is the caller's. */
typedef struct ThemaObservationRow {
  int64_t source_id;     /* the monitor table it was read from */
  int64_t indicator_id;  /* from thema_indicator_ensure */
  const char *case_name; /* as printed: a municipality, a region, a total */
  const char *period;    /* as printed */
  const double *value;   /* NULL when the cell is missing */
  const char *raw;       /* the cell as printed */
  const char *unit;      /* NULL for none */
  int64_t line;          /* the CSV line */
} ThemaObservationRow;

/* The id of the indicator named name, created when missing. */
int thema_indicator_ensure(ThemaStore *st, const char *name, int64_t *id, ThemaError *err);

/* Store one observation. */
int thema_observation_add(ThemaStore *st, const ThemaObservationRow *row, ThemaError *err);

#endif
