/*
 * sink.h — what every importer writes into. A parser reads a text and emits
 * records: a source (begin, its segments, end), monitor observations, case
 * rows, human codings. It knows nothing of SQL or row ids; whatever needs
 * the store to decide (is this source unchanged? does source 'x' have
 * segment 12?) it asks the sink.
 *
 * Two sinks exist: the store sink (sink_store.h), which the program uses,
 * and the null sink below, which keeps nothing, checks that the records
 * keep the contract and serves the unit tests and the fuzzers.
 *
 * Every thema_sink_* call checks the order of the calls (a segment only
 * inside a source, ordinals 1, 2, 3, ...), counts what was emitted into the
 * sink's ThemaImportResult, and passes the record on to the implementation.
 * A broken contract is a bug in the parser: the call fails with an
 * "internal:" error and marks the sink broken, which fuzzers turn into a
 * crash.
 */
#ifndef THEMA_SINK_H
#define THEMA_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "base/thema.h"
#include "base/utf8.h"
#include "ingest/keys.h"
#include "text/input.h"
#include "text/meta.h"

/* What one import emitted, counted by the sink. */
typedef struct ThemaImportResult {
  int64_t source_id;   /* the source row (0 for cases, codings and the null sink) */
  int unchanged;       /* 1 when identical content was already stored */
  int replaced;        /* 1 when a changed source replaced its earlier version */
  long segments;       /* turns or paragraphs stored; codings for a codings file */
  long speakers;       /* distinct speaker labels of the source */
  long observations;   /* monitor values stored */
  long rows;           /* CSV data rows read (cases, monitor, codings) */
  long sources;        /* sources begun (REFI-QDA projects hold several) */
  long codes;          /* codes of an exchanged codebook or project */
  long codings;        /* codings of an exchanged project */
  long cases;          /* cases (persons, organisations) of an exchanged project */
  long memos;          /* memos (REFI-QDA notes) */
  char warnings[1024]; /* deviations read leniently, one per line ("" for none) */
} ThemaImportResult;

/* The source a parser is about to emit; every text is the parser's. */
typedef struct ThemaSourceRec {
  const char *kind;      /* transcript, document or monitor */
  const char *format;    /* txt, md, vtt, srt, csv */
  const char *path;      /* the file: its stem names the source; messages start with it */
  const char *name;      /* the source's name when not the stem of path, else NULL */
  const char *hash;      /* content hash, 64 hex digits: re-import compares it */
  const char *text;      /* the stored text, which segment offsets index */
  size_t len;            /* bytes of text */
  const ThemaMeta *meta; /* front matter or sidecar, NULL for none */
} ThemaSourceRec;

/* One segment of the open source: a turn or a paragraph. */
typedef struct ThemaSegmentRec {
  long ordinal;        /* 1, 2, 3, ... within the source */
  const char *speaker; /* the speaker label, NULL for none */
  const char *section; /* heading path "A > B", NULL for none */
  size_t start, end;   /* code points into the source's text */
  int timed;           /* 1 when time_start and time_end hold seconds */
  double time_start;   /* seconds from the start of the recording */
  double time_end;     /* seconds; time_start when only a start is known */
  const char *text;    /* the slice [start, end): points into the source's text */
  size_t len;          /* bytes of the slice */
  /* The segment's own attributes (an utterance's language, an agenda topic):
   * attr_keys[0..nattrs), distinct and not empty, with attr_values. */
  const char *const *attr_keys;
  const char *const *attr_values;
  int nattrs;
} ThemaSegmentRec;

/* One value of a monitor table (of the open source). */
typedef struct ThemaObservationRec {
  const char *case_name; /* as printed: a municipality, a region, a total */
  const char *indicator; /* the indicator's full name */
  const char *period;    /* as printed */
  int missing;           /* 1 when the cell is empty or '-' */
  double value;          /* the number, when not missing */
  const char *raw;       /* the cell as printed */
  const char *unit;      /* NULL for none */
  long line;             /* the CSV line */
} ThemaObservationRec;

/* A speaker of an imported source mapped to a person (a cases row). */
typedef struct ThemaSpeakerRec {
  const char *source;        /* the source's name (thema_sink_find_source said it exists) */
  const char *label;         /* the speaker label within it */
  const char *person;        /* the person's name */
  const char *organisation;  /* the person's organisation, NULL for none */
  const char *role;          /* the person's role, NULL for none */
  const char *const *keys;   /* the person's attributes: keys[0..nattrs) */
  const char *const *values; /* and their values */
  int nattrs;                /* number of attributes */
  /* A dated row: the person was with organisation (in role) from valid_from
   * to valid_to (ISO dates, inclusive, NULL for open), an affiliation; the
   * person's own organisation is then the latest one's unless keep_own. */
  int dated;
  const char *valid_from, *valid_to;
  int first_dated; /* the file's first dated row of this person: it restates them all */
  int keep_own;    /* the file gave the person an undated organisation too */
} ThemaSpeakerRec;

/* An organisation, optionally in a network (an organisations row). */
typedef struct ThemaOrganisationRec {
  const char *name;          /* the organisation */
  const char *network;       /* a network it belongs to, NULL for none */
  const char *const *keys;   /* the organisation's attributes: keys[0..nattrs) */
  const char *const *values; /* and their values */
  int nattrs;                /* number of attributes */
} ThemaOrganisationRec;

/* A human coding of a span of a segment. */
typedef struct ThemaCodingRec {
  const char *source; /* the source's name */
  int64_t ordinal;    /* the segment (thema_sink_find_segment found it) */
  int64_t start, end; /* code points into the source text, within the segment */
  const char *code;   /* the code's path, theme/code */
  const char *coder;  /* who coded */
  const char *memo;   /* NULL for none */
} ThemaCodingRec;

/* A code of an exchanged codebook or project (REFI-QDA). */
typedef struct ThemaCodeRec {
  const char *path;        /* theme/code: parents are created as needed */
  const char *description; /* NULL for none */
  const char *colour;      /* "#rrggbb", NULL for none */
} ThemaCodeRec;

/* A case of an exchanged project: a person or an organisation. */
typedef struct ThemaCaseRec {
  const char *name;            /* the person or organisation */
  int is_organisation;         /* 1: an organisation (networks apply), 0: a person */
  const char *organisation;    /* a person's organisation, NULL for none */
  const char *role;            /* a person's role, NULL for none */
  const char *const *networks; /* an organisation's networks: networks[0..nnetworks) */
  int nnetworks;               /* number of networks */
  const char *const *keys;     /* attributes: keys[0..nattrs) */
  const char *const *values;   /* and their values */
  int nattrs;                  /* number of attributes */
} ThemaCaseRec;

/* A memo (a REFI-QDA note) on something imported before it. */
typedef struct ThemaMemoRec {
  const char *target; /* source, segment, code, person, organisation or project */
  const char *key;    /* the source's name, code's path, person's or organisation's name */
  int64_t ordinal;    /* the segment's ordinal in source key (target segment) */
  const char *author; /* NULL for none */
  const char *text;   /* the memo */
} ThemaMemoRec;

typedef struct ThemaSink ThemaSink;

/* An implementation; every function returns a status and fills err. */
typedef struct ThemaSinkOps {
  /* *unchanged = 1 when the same content is already there (nothing is to
   * follow); a changed source may be refused (an input error). */
  int (*begin_source)(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                      ThemaError *err);
  /* speaker: -1 for none, else the label's number within the source (0, 1,
   * ... in order of appearance); first: 1 on that label's first segment. */
  int (*add_segment)(ThemaSink *s, const ThemaSegmentRec *seg, long speaker, int first,
                     ThemaError *err);
  int (*end_source)(ThemaSink *s, ThemaError *err);
  int (*add_observation)(ThemaSink *s, const ThemaObservationRec *obs, ThemaError *err);
  int (*find_source)(ThemaSink *s, const char *name, int *found, ThemaError *err);
  int (*source_names)(ThemaSink *s, const char *kind, int limit, ThemaBuf *out,
                      ThemaError *err);
  int (*add_speaker)(ThemaSink *s, const ThemaSpeakerRec *rec, ThemaError *err);
  int (*add_organisation)(ThemaSink *s, const ThemaOrganisationRec *rec, ThemaError *err);
  int (*find_segment)(ThemaSink *s, const char *source, int64_t ordinal, int *found,
                      int64_t *start, int64_t *end, ThemaError *err);
  int (*begin_coder)(ThemaSink *s, const char *coder, ThemaError *err);
  int (*add_coding)(ThemaSink *s, const ThemaCodingRec *rec, ThemaError *err);
  int (*add_code)(ThemaSink *s, const ThemaCodeRec *rec, ThemaError *err);
  int (*add_case)(ThemaSink *s, const ThemaCaseRec *rec, ThemaError *err);
  int (*add_memo)(ThemaSink *s, const ThemaMemoRec *rec, ThemaError *err);
  int (*same_text)(ThemaSink *s, const char *name, const char *text, size_t len, int *same,
                   ThemaError *err);
  void (*release)(ThemaSink *s); /* frees the implementation's own state */
} ThemaSinkOps;

/* The part every sink shares; an implementation embeds it first. */
struct ThemaSink {
  const ThemaSinkOps *ops; /* the implementation */
  ThemaImportResult *res;  /* what was emitted, counted by thema_sink_* */
  int in_source;           /* 1 between begin_source and end_source */
  long ordinal;            /* the open source's last segment ordinal */
  ThemaKeys labels;        /* the open source's speaker labels, numbered */
  int broken;              /* 1 once a call broke the contract */
  long unwarned;           /* warnings that did not fit res->warnings */
  char why[256];           /* what the first broken call did */
};

/* Set up s for ops, counting into res (zeroed by the caller). */
void thema_sink_init(ThemaSink *s, const ThemaSinkOps *ops, ThemaImportResult *res);
/* Release s and its implementation's state (not s itself). */
void thema_sink_free(ThemaSink *s);

/* Begin a source. *unchanged = 1 means stop: nothing else of the source is
 * wanted (res->unchanged is set). */
int thema_sink_begin_source(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                            ThemaError *err);

/* A text source's body once its front matter is read. */
typedef struct ThemaTextBody {
  ThemaMeta meta;   /* the front matter; owned: free it with thema_meta_free */
  const char *text; /* the body, which is the stored text: points into the input */
  size_t len;       /* bytes of the body */
  long line;        /* the file's line the body starts on */
} ThemaTextBody;

/* Read the front matter of in into *body (zeroed by the caller) and begin a
 * source of kind and format whose stored text is the body; *unchanged as
 * for thema_sink_begin_source. Free body->meta also after an error. */
int thema_sink_begin_text(ThemaSink *s, const char *path, const ThemaInput *in,
                          const char *kind, const char *format, ThemaTextBody *body,
                          int *unchanged, ThemaError *err);
int thema_sink_add_segment(ThemaSink *s, const ThemaSegmentRec *seg, ThemaError *err);
int thema_sink_end_source(ThemaSink *s, ThemaError *err);
int thema_sink_add_observation(ThemaSink *s, const ThemaObservationRec *obs,
                               ThemaError *err);
/* Count one CSV data row read. */
void thema_sink_count_row(ThemaSink *s);

/* Cases: *found = 1 when a source named name exists; the names of the first
 * limit sources of kind, ", "-separated, appended to out (for a hint). */
int thema_sink_find_source(ThemaSink *s, const char *name, int *found, ThemaError *err);
int thema_sink_source_names(ThemaSink *s, const char *kind, int limit, ThemaBuf *out,
                            ThemaError *err);
int thema_sink_add_speaker(ThemaSink *s, const ThemaSpeakerRec *rec, ThemaError *err);
int thema_sink_add_organisation(ThemaSink *s, const ThemaOrganisationRec *rec,
                                ThemaError *err);

/* Codings: *found = 1 when the source named source has a segment ordinal,
 * whose code-point span is then *start, *end. begin_coder is called once per
 * coder of a file, before its first coding: it drops the coder's earlier
 * human codings. */
int thema_sink_find_segment(ThemaSink *s, const char *source, int64_t ordinal, int *found,
                            int64_t *start, int64_t *end, ThemaError *err);
int thema_sink_begin_coder(ThemaSink *s, const char *coder, ThemaError *err);
int thema_sink_add_coding(ThemaSink *s, const ThemaCodingRec *rec, ThemaError *err);

/* Exchanged codebooks and projects (REFI-QDA): a code with its details
 * (created when missing, its description and colour set), a case, a memo on
 * a source, segment, code, case or the project already emitted. */
int thema_sink_add_code(ThemaSink *s, const ThemaCodeRec *rec, ThemaError *err);
int thema_sink_add_case(ThemaSink *s, const ThemaCaseRec *rec, ThemaError *err);
int thema_sink_add_memo(ThemaSink *s, const ThemaMemoRec *rec, ThemaError *err);

/* *same = 1 when a source named name holds exactly text[0..len) already:
 * an exchanged project's source that thema holds is then kept as it is,
 * with its segments (an implementation without the question says 0). */
int thema_sink_same_text(ThemaSink *s, const char *name, const char *text, size_t len,
                         int *same, ThemaError *err);

/* Append a line to res->warnings: a deviation from the format read
 * leniently. Lines that no longer fit are counted in a last line. */
void thema_sink_warn(ThemaSink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Mark s broken by a parser (used by the implementations too): fails with
 * an internal error saying what. */
int thema_sink_broken(ThemaSink *s, ThemaError *err, const char *what);

/* ---- the null sink ---- */

/* Keeps nothing; counts, and checks every record: the stored text valid
 * UTF-8, each segment's slice inside it at the code points it claims,
 * segments in order without overlap, times not negative, observations and
 * codings complete. Its answers: every source exists (knows_sources), every
 * source has segments 1..segments, segment k spanning code points
 * [(k-1)*span, k*span) — or, with remember set, the segments the sources
 * emitted into it really have (the REFI-QDA importer codes what it just
 * segmented). */
typedef struct ThemaNullSource ThemaNullSource;
typedef struct ThemaSinkNull {
  ThemaSink base;         /* first: a ThemaSinkNull * is a ThemaSink * */
  ThemaImportResult res;  /* the counts */
  int knows_sources;      /* find_source's answer (default 1) */
  int64_t segments;       /* segments of every source (default 1000) */
  int64_t span;           /* code points of every segment (default 100) */
  long sources;           /* sources begun (and not unchanged) */
  long ended;             /* sources ended */
  long persons;           /* speaker rows emitted */
  long organisations;     /* organisation rows emitted */
  long attributes;        /* their attributes */
  long coders;            /* coders begun */
  long codings;           /* codings emitted */
  long codes;             /* codes emitted */
  long cases;             /* cases emitted */
  long memos;             /* memos emitted */
  int remember;           /* answer find_segment from the emitted segments */
  ThemaNullSource *kept;  /* with remember: the sources emitted, owned */
  size_t nkept;           /* how many */
  const char *text;       /* the open source's text */
  size_t len;             /* and its bytes */
  ThemaUtf8Cursor cursor; /* byte to code point over text */
  size_t last_end;        /* the last segment's end (bytes) */
} ThemaSinkNull;

/* Set up a null sink with the default answers; free with thema_sink_free. */
void thema_sink_null_init(ThemaSinkNull *n);

#endif
