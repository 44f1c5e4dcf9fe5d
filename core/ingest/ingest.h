/*
 * ingest.h — the importers (one module each: ingest_transcript.c,
 * ingest_document.c, ingest_monitor.c, ingest_cases.c) and what they share:
 * loading a file as validated, normalised UTF-8, front matter, and
 * registering a source with its content hash.
 *
 * Every importer writes inside the caller's transaction and stops at the
 * first error, so the caller's rollback leaves the store as it was.
 */
#ifndef THEMA_INGEST_H
#define THEMA_INGEST_H

#include <stdint.h>

#include "base/fs.h"
#include "base/thema.h"
#include "base/utf8.h"
#include "store/store.h"
#include "text/input.h"
#include "text/meta.h"

typedef struct ThemaImportOptions {
  const char *speaker_pattern; /* PCRE2 with a (?<label>...) group, or NULL */
  int replace;                 /* replace a same-named source whose content changed */
  /* Monitor tables: command-line values override the .meta sidecar. */
  const char *form;      /* wide | long */
  const char *columns;   /* indicator | period (wide form) */
  const char *period;    /* the one period when columns are indicators */
  const char *indicator; /* the one indicator when columns are periods */
  const char *units;     /* "u1; u2; ..." or one unit for all */
  const char *decimal;   /* "," (default, Dutch) or "." */
  const char *coder;     /* codings: who coded, when the file does not say */
} ThemaImportOptions;

typedef struct ThemaImportResult {
  int64_t source_id; /* the source row (0 for cases) */
  int unchanged;     /* 1 when identical content was already stored */
  int replaced;      /* 1 when a changed source replaced its earlier version */
  long segments;     /* turns or paragraphs stored */
  long speakers;     /* distinct speaker labels */
  long observations; /* monitor values stored */
  long rows;         /* CSV data rows read (cases, monitor) */
} ThemaImportResult;

int thema_import_transcript(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                            ThemaImportResult *res, ThemaError *err);
int thema_import_document(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                          ThemaImportResult *res, ThemaError *err);
int thema_import_monitor(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                         ThemaImportResult *res, ThemaError *err);
int thema_import_cases(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                       ThemaImportResult *res, ThemaError *err);
/* Human codings (CSV); res->segments = codings stored. */
int thema_import_codings(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                         ThemaImportResult *res, ThemaError *err);
/* Codebooks (.csv or .lua); defined in codebook.c. res->rows = codes. */
int thema_import_codebook(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                          ThemaImportResult *res, ThemaError *err);

/* ---- shared by the importers ---- */

/* The source row for a file. With identical content already stored under the
 * same name, *unchanged is set and nothing is written; with changed content
 * the import fails unless replace is set, in which case the old source and
 * everything that hangs off it (segments, codings) is deleted first. */
typedef struct ThemaSourceInfo {
  const char *kind, *format, *path;
  const ThemaInput *text; /* hash */
  const char *stored;     /* the stored text and its byte length */
  size_t stored_len;
  const ThemaMeta *meta; /* front matter or sidecar, may be NULL */
} ThemaSourceInfo;

int thema_source_register(ThemaStore *st, const ThemaSourceInfo *info, int replace,
                          ThemaImportResult *res, ThemaError *err);

/* Add the source's segments to the full-text index, once, after they are all
 * stored (one statement per source: far cheaper than one per segment). */
int thema_source_index(ThemaStore *st, int64_t source_id, ThemaError *err);

/* The id of speaker label in source, created when missing. */
int thema_speaker_id(ThemaStore *st, int64_t source_id, const char *label, int64_t *id,
                     ThemaError *err);

#endif
