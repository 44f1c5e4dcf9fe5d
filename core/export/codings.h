/*
 * codings.h — `export codings --format csv`: one row per coding with the
 * columns fixed by the design, in a stable order, so that the same store
 * gives the same bytes.
 */
#ifndef THEMA_EXPORT_CODINGS_H
#define THEMA_EXPORT_CODINGS_H

#include <stdio.h>

#include "store/store.h"

/* Write every visible coding of st to f as CSV with a header (only the
 * header when there are none); streamed, memory bounded. */
int thema_export_codings_csv(ThemaStore *st, FILE *f, ThemaError *err);

#endif
