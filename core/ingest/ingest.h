/*
 * ingest.h — the importers as parsers: each reads a text (validated,
 * normalised UTF-8, as text/input.h loads it) and emits what it holds into a
 * sink (sink.h), knowing nothing of the store. Two entry points per format:
 *
 *   thema_parse_<format>(sink, path, input, ...)  a text in memory; path only
 *                                                 names it in messages
 *   thema_read_<kind>(sink, path, opt, err)       a file: load it (and its
 *                                                 sidecar), then parse it
 *
 * The formats: plain transcripts (transcript.c), WebVTT and SRT subtitles
 * (subtitle.c), documents (document.c), monitor tables (monitor.c), cases
 * (cases.c) and human codings (codings.c). The store-backed importers and
 * the kinds of `thema import` are in sink_store.h and kinds.h.
 *
 * A parser stops at the first error; every record emitted before it is the
 * caller's to roll back (the store sink writes inside the caller's
 * transaction).
 */
#ifndef THEMA_INGEST_H
#define THEMA_INGEST_H

#include "base/thema.h"
#include "ingest/sink.h"
#include "ingest/turn.h"
#include "text/input.h"
#include "text/meta.h"

typedef struct ThemaImportOptions {
  const char *speaker_pattern; /* PCRE2 with a (?<label>...) group, or NULL; several
                                  alternatives one per line (see ingest/turn.h) */
  const char *heading_pattern; /* transcripts: lines that are headings, or NULL */
  int preamble;                /* THEMA_PREAMBLE_*: text outside any turn */
  int replace;                 /* replace a same-named source whose content changed */
  /* Monitor tables: command-line values override the .meta sidecar. */
  const char *form;      /* wide | long */
  const char *columns;   /* indicator | period (wide form) */
  const char *period;    /* the one period when columns are indicators */
  const char *indicator; /* the one indicator when columns are periods */
  const char *units;     /* "u1; u2; ..." or one unit for all */
  const char *decimal;   /* "," (default, Dutch) or "." */
  const char *coder;     /* codings: who coded, when the file does not say */
  const char *author;    /* documents: the author of every paragraph (a speech, an essay) */
} ThemaImportOptions;

/* Reads the file at path into sink (the kinds' common signature). */
typedef int (*ThemaReader)(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                           ThemaError *err);

/* ---- transcripts (transcript.c) and subtitles (subtitle.c) ---- */

/* A plain transcript: optional front matter, then turns "LABEL: text" as
 * pattern reads them, with continuation lines. */
int thema_parse_transcript(ThemaSink *sink, const char *path, const ThemaInput *in,
                           ThemaTurnPattern *pattern, ThemaError *err);
/* A WebVTT (is_vtt) or SRT file: cues merged into turns per speaker and
 * stored rendered as a plain transcript "[hh:mm:ss] Label: text". */
int thema_parse_subtitle(ThemaSink *sink, const char *path, const ThemaInput *in,
                         int is_vtt, ThemaTurnPattern *pattern, ThemaError *err);
/* A .txt, .vtt or .srt file, with opt->speaker_pattern. */
int thema_read_transcript(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                          ThemaError *err);

/* ---- documents (document.c) ---- */

/* Paragraphs as segments, headings as their section path; is_md picks the
 * stored format (md or txt). */
int thema_parse_document(ThemaSink *sink, const char *path, const ThemaInput *in, int is_md,
                         ThemaError *err);
int thema_read_document(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                        ThemaError *err);

/* ---- monitor tables (monitor.c) ---- */

/* How a monitor table is read: from its sidecar "<file>.meta" and the
 * options, which win. Pointers into opt must outlive it. */
typedef struct ThemaMonitorDecl {
  ThemaMeta meta;          /* the sidecar's keys (they become source attributes) */
  char *meta_path;         /* "<file>.meta", for messages; owned */
  int long_form;           /* columns case, indicator, period, value[, unit] */
  int columns_are_periods; /* wide: header cells are periods (else indicators) */
  const char *period;      /* wide with indicator columns: the one period */
  const char *indicator;   /* wide with period columns; prefix otherwise */
  char **units;            /* per value column (nunits 1 = for all); owned */
  int nunits;              /* number of units */
  char decimal;            /* ',' or '.' */
  int salted;              /* 1 when the declaration is part of the content hash */
  ThemaBuf salt;           /* what the hash covers besides the table's bytes */
} ThemaMonitorDecl;

/* Fill *decl (zeroed by the caller) from the sidecar text side (NULL when
 * the table has none) and opt; a bad or incomplete declaration is an input
 * error naming the option or the sidecar line. Free with
 * thema_monitor_decl_free, also after an error. */
int thema_monitor_declare(const char *path, const ThemaInput *side,
                          const ThemaImportOptions *opt, ThemaMonitorDecl *decl,
                          ThemaError *err);
void thema_monitor_decl_free(ThemaMonitorDecl *decl);
/* The table in as decl says, into observations of one monitor source. */
int thema_parse_monitor(ThemaSink *sink, const char *path, const ThemaInput *in,
                        const ThemaMonitorDecl *decl, ThemaError *err);
int thema_read_monitor(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                       ThemaError *err);

/* ---- cases (cases.c) ---- */

/* A speakers file (source,speaker[,person][,organisation][,role],...) or an
 * organisations file (organisation,network,...), checked as a whole. */
int thema_parse_cases(ThemaSink *sink, const char *path, const ThemaInput *in,
                      ThemaError *err);
int thema_read_cases(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                     ThemaError *err);

/* ---- human codings (codings.c) ---- */

/* source,segment,code[,start,end][,coder][,memo]; coder names the coder when
 * the file has no coder column (may be NULL). */
int thema_parse_codings(ThemaSink *sink, const char *path, const ThemaInput *in,
                        const char *coder, ThemaError *err);
int thema_read_codings(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                       ThemaError *err);

#endif
