/*
 * qdpx.h — importing a REFI-QDA project (.qdpx: a zip holding one .qde and
 * the sources' files) into a sink: codes, text sources segmented as thema
 * segments them, selections and codings with their coders, cases with their
 * variables, notes as memos. docs/exchange.md says how sources are
 * segmented, how a selection across segments becomes codings and what is
 * not kept.
 */
#ifndef THEMA_INGEST_QDPX_H
#define THEMA_INGEST_QDPX_H

#include <stddef.h>

#include "ingest/ingest.h"
#include "ingest/sink.h"

/* Where a project's internal files come from (the zip, or nothing). */
typedef struct ThemaRefiFiles {
  void *ud; /* the implementation's */
  /* Append the file named name (a path as the project gives it, e.g.
   * "X.txt" or "sources/X.txt") to out: 1 when found, 0 when there is no
   * such file, -1 with err set when it cannot be read. */
  int (*read)(void *ud, const char *name, ThemaBuf *out, ThemaError *err);
} ThemaRefiFiles;

/* The project.qde in xml[0..n) into sink; path names it in messages
 * ("FILE.qdpx:project.qde"); files (may be NULL: every file is then
 * missing) gives the internal files. */
int thema_parse_qde(ThemaSink *sink, const char *path, const char *xml, size_t n,
                    const ThemaRefiFiles *files, ThemaError *err);
/* The .qdpx file at path (the kinds' reader signature). */
int thema_read_qdpx(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                    ThemaError *err);

#endif
