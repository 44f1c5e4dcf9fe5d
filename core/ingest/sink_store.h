/*
 * sink_store.h — the sink that writes into the store, and the store-backed
 * importers built on it: a file read by its kind's reader (ingest.h) into a
 * store sink, inside the caller's transaction. This is the one place in
 * ingest/ that knows the store.
 */
#ifndef THEMA_SINK_STORE_H
#define THEMA_SINK_STORE_H

#include <stdint.h>

#include "ingest/ingest.h"
#include "ingest/sink.h"
#include "store/store.h"

/* A store sink: sources by name and hash (a changed one is refused unless
 * replace), speakers, segments, the full-text index once per source,
 * observations, cases and human codings, through the store's typed writers. */
typedef struct ThemaSinkStore {
  ThemaSink base;          /* first: a ThemaSinkStore * is a ThemaSink * */
  ThemaStore *st;          /* where it writes */
  int replace;             /* replace a same-named source whose content changed */
  int64_t source_id;       /* the open source */
  int64_t *speakers;       /* the open source's speaker ids by label number; owned */
  size_t nspeakers;        /* ids known */
  size_t capspeakers;      /* ids allocated */
  char *segment_source;    /* the source of the last segment found; owned */
  int64_t segment_ordinal; /* its ordinal */
  int64_t segment_id;      /* its id, 0 when not found */
} ThemaSinkStore;

/* Set up s to write into st, counting into res (zeroed by the caller);
 * release with thema_sink_free(&s->base). */
void thema_sink_store_init(ThemaSinkStore *s, ThemaStore *st, int replace,
                           ThemaImportResult *res);

/* One file into the store: read by reader into a store sink (replace from
 * opt), with res filled. Every importer below is this with its reader. */
int thema_import_with(ThemaReader reader, ThemaStore *st, const char *path,
                      const ThemaImportOptions *opt, ThemaImportResult *res,
                      ThemaError *err);

/* The importers of `thema import KIND`: read the file at path, write it into
 * st inside the caller's transaction, and fill res. */
typedef int (*ThemaImporter)(ThemaStore *st, const char *path,
                             const ThemaImportOptions *opt, ThemaImportResult *res,
                             ThemaError *err);

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
/* REFI-QDA projects (.qdpx) and codebooks (.qdc): res counts sources,
 * segments, codes, codings, cases and memos, and holds the warnings. */
int thema_import_qdpx(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                      ThemaImportResult *res, ThemaError *err);
int thema_import_qdc(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                     ThemaImportResult *res, ThemaError *err);
/* Codebooks (.csv or .lua), straight into the store; defined in codebook.c.
 * res->rows = codes. */
int thema_import_codebook(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                          ThemaImportResult *res, ThemaError *err);

#endif
