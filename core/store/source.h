/*
 * source.h — the one writer of tables source, speaker and segment, the
 * source and segment attributes and the full-text index: a source registered by name
 * and content hash (with --replace semantics), its speaker labels, its
 * segments, and the lookups the importers need by name.
 */
#ifndef THEMA_SOURCE_H
#define THEMA_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A source row as an importer describes it; every text is the caller's. */
typedef struct ThemaSourceRow {
  const char *name;    /* unique: the file name without extension */
  const char *kind;    /* transcript, document or monitor */
  const char *genre;   /* front matter 'kind' (focusgroup, ...), NULL when absent */
  const char *title;   /* front matter, NULL when absent */
  const char *network; /* front matter, NULL when absent */
  const char *date;    /* front matter, NULL when absent */
  const char *format;  /* txt, md, vtt, srt, csv */
  const char *path;    /* as given on import; error messages start with it */
  const char *hash;    /* content hash: re-import compares it */
  const char *text;    /* the stored text (offsets index it); bound without a copy */
  size_t len;          /* bytes of text */
} ThemaSourceRow;

/* What thema_source_register found under the row's name. */
enum {
  THEMA_SOURCE_NEW = 0,       /* no such source: the row was inserted */
  THEMA_SOURCE_UNCHANGED = 1, /* same name and hash: nothing was written */
  THEMA_SOURCE_REPLACED = 2   /* changed content, replace set: old source deleted first */
};

/* Register row: with the same name and hash already stored, *state is
 * THEMA_SOURCE_UNCHANGED, *id the stored source and nothing is written; with
 * another hash the call fails (an input error at row->path that suggests
 * --replace) unless replace is set, in which case the old source and what
 * hangs off it (attributes, speakers, segments, their codings) is deleted
 * and the new row inserted. *id is the source's row id. */
int thema_source_register(ThemaStore *st, const ThemaSourceRow *row, int replace,
                          int64_t *id, int *state, ThemaError *err);

/* Set attribute key of source source_id (front matter without a column). */
int thema_source_attribute_add(ThemaStore *st, int64_t source_id, const char *key,
                               const char *value, ThemaError *err);

/* Add the source's segments to the full-text index, once, after they are all
 * stored (one statement per source: far cheaper than one per segment). */
int thema_source_index(ThemaStore *st, int64_t source_id, ThemaError *err);

/* The id of the source named name in *id, 0 when there is none. */
int thema_source_find(ThemaStore *st, const char *name, int64_t *id, ThemaError *err);

/* Append the names of the first limit sources of kind, in name order and
 * separated by ", ", to out (nothing when there are none). */
int thema_source_names(ThemaStore *st, const char *kind, int limit, ThemaBuf *out,
                       ThemaError *err);

/* The id of speaker label in source source_id, created when missing. */
int thema_speaker_ensure(ThemaStore *st, int64_t source_id, const char *label, int64_t *id,
                         ThemaError *err);

/* A segment row; every text is the caller's. */
typedef struct ThemaSegmentRow {
  int64_t source_id;        /* the source */
  int64_t ordinal;          /* 1-based position in the source */
  int64_t speaker_id;       /* 0 for none (document paragraphs) */
  const char *section;      /* heading path "A > B", NULL for none */
  int64_t start, end;       /* code points into the source text */
  const double *time_start; /* seconds, NULL when the source has no times */
  const double *time_end;   /* seconds, NULL when the source has no times */
  const char *text;         /* the segment's text, bound without a copy */
  size_t len;               /* bytes of text */
} ThemaSegmentRow;

/* Store one segment. It enters the full-text index with thema_source_index. */
int thema_segment_add(ThemaStore *st, const ThemaSegmentRow *row, ThemaError *err);

/* Re-cutting a source (store/resegment.c): new segments are inserted with
 * negative ordinals (-1, -2, ...) beside the old ones, codings are moved to
 * them, then swap_in deletes the old segments, turns the new ordinals
 * positive and indexes them. */
int thema_segment_insert(ThemaStore *st, const ThemaSegmentRow *row, int64_t *id,
                         ThemaError *err);
int thema_segment_swap_in(ThemaStore *st, int64_t source_id, ThemaError *err);

/* Set (insert or replace) one attribute of a source. */
int thema_source_attribute_set(ThemaStore *st, int64_t source_id, const char *key,
                               const char *value, ThemaError *err);

/* Set (insert or replace) one attribute of segment segment_id; it is deleted
 * with the segment. */
int thema_segment_attribute_set(ThemaStore *st, int64_t segment_id, const char *key,
                                const char *value, ThemaError *err);

/* The segment with ordinal in the source named source: *id (0 when there is
 * none) and its code-point span *start, *end. */
int thema_segment_find(ThemaStore *st, const char *source, int64_t ordinal, int64_t *id,
                       int64_t *start, int64_t *end, ThemaError *err);

#endif
