/*
 * codings.h — `export codings --format csv`: one row per coding with the
 * columns fixed by the design, in a stable order, so that the same store
 * gives the same bytes.
 */
#ifndef THEMA_EXPORT_CODINGS_H
#define THEMA_EXPORT_CODINGS_H

#include "base/outfile.h"
#include "store/store.h"

/* Write every visible coding of st to out as CSV with a header (only the
 * header when there are none); streamed, memory bounded. Stops at the first
 * failed write; the caller commits (or aborts) out. */
int thema_export_codings_csv(ThemaStore *st, ThemaOutfile *out, ThemaError *err);

#endif
