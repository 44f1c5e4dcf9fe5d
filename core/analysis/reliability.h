/*
 * reliability.h — from coders' codings of units to the agreement figures the
 * agreement plugin reports, per code and pooled, with the agreement kernels.
 * Units come one at a time, a source's units together and in order (as
 * store/units.c reads them); nothing is kept per coding but one index, so a
 * corpus of any size fits.
 *
 * The rules are the plugin's (plugins/agreement.lua says why):
 *  - a coder covers every unit of each source in which it has a coding (of
 *    any code); a source nobody covers is left out;
 *  - binary mode: per code, a unit is 1 for a coder that applied the code to
 *    it, 0 for a coder that covers it without applying it, missing for a
 *    coder that does not cover it; the pooled matrix stacks the codes' units;
 *  - nominal mode: the code is the category; a coder gives at most one code
 *    per unit (two different ones are a conflict); the overall matrix is the
 *    nominal one and each code's matrix is that code against the others, on
 *    the units the coder gave a code;
 *  - the codes compared are those some coder applied to a unit that two or
 *    more coders cover (binary) or code (nominal), among the selected ones.
 */
#ifndef THEMA_RELIABILITY_H
#define THEMA_RELIABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/agreement.h"

/* One coding of a unit by one of the compared coders. */
typedef struct ThemaRelCoding {
  int coder;        /* 0 .. ncoders - 1 */
  int64_t code_id;  /* equal ids are one code */
  const char *code; /* its path (borrowed for the call) */
} ThemaRelCoding;

/* One unit as read; every pointer is borrowed for the call. */
typedef struct ThemaRelUnit {
  const char *source;            /* its source's name */
  int64_t ordinal;               /* its position in the source */
  const char *speaker;           /* NULL when none */
  const char *text;              /* the unit's text */
  size_t text_len;               /* its length in bytes */
  const ThemaRelCoding *codings; /* in coding order (start, end, code, id) */
  size_t ncodings;               /* entries of codings */
} ThemaRelUnit;

typedef struct ThemaRelOptions {
  int ncoders;              /* coders compared, >= 2 */
  int nominal;              /* 1: nominal mode, 0: binary */
  const char *const *codes; /* compare only these codes and those under them
                             * ("a" keeps "a" and "a/b"); NULL: every code */
  int ncodes;               /* entries of codes */
  int64_t samples;          /* bootstrap resamples, >= 1 */
  int64_t seed;             /* the bootstrap's seed */
  double level;             /* the interval's level, 0 < level < 1 */
  int threads;              /* bootstraps run at once; 0: one per processor
                             * (at most 8); the figures do not depend on it */
} ThemaRelOptions;

/* Everything reported for one matrix. */
typedef struct ThemaRelFigures {
  size_t units;              /* pairable units (values from two or more coders) */
  int coders;                /* coders with a value in a pairable unit */
  ThemaPairFigure *pairs;    /* every pair a < b, in order */
  int npairs;                /* ncoders (ncoders - 1) / 2 */
  double percent;            /* mean pair percent (a percentage), if npercent */
  int npercent;              /* pairs with percent defined */
  double kappa;              /* mean pair kappa, if nkappa */
  int nkappa;                /* pairs with kappa defined */
  int alpha_status;          /* THEMA_AGREEMENT_OK when alpha is defined */
  ThemaAlpha alpha;          /* Krippendorff's alpha and its parts */
  int boot_status;           /* THEMA_AGREEMENT_OK when the interval is defined */
  ThemaBootstrap boot;       /* the bootstrap interval (when alpha is defined) */
  const ThemaAlphaUnits *au; /* its pairable units while finishing, then NULL */
  size_t first;              /* their slice of au: first unit */
  size_t count;              /* and length */
} ThemaRelFigures;

/* A unit that a disagreement refers to. */
typedef struct ThemaRelSegment {
  const char *source;  /* source name */
  int64_t ordinal;     /* position in the source */
  const char *speaker; /* NULL when none */
  const char *text;    /* the text */
  size_t text_len;     /* its length */
} ThemaRelSegment;

/* A unit on which the coders that coded it do not all agree. */
typedef struct ThemaRelDisagreement {
  int code;              /* index into the result's codes; -1: the nominal matrix */
  size_t segment;        /* index into the result's segments */
  const int32_t *values; /* per coder: 1 or 0 (binary), an index into
                          * code_paths (nominal), or THEMA_AGREEMENT_MISSING */
} ThemaRelDisagreement;

/* A coder that gave one unit two different codes (nominal mode). */
typedef struct ThemaRelConflict {
  int coder;           /* the coder */
  const char *source;  /* the unit's source */
  int64_t ordinal;     /* and position */
  const char *code_lo; /* the two codes, in byte order */
  const char *code_hi;
} ThemaRelConflict;

#define THEMA_REL_CONFLICTS_SHOWN 5

typedef struct ThemaRelResult {
  size_t nunits;                  /* units compared (of covered sources) */
  size_t ncodes;                  /* codes compared */
  const char *const *codes;       /* their paths, sorted byte-wise */
  const ThemaRelFigures *by_code; /* per code, in that order */
  const ThemaRelFigures *overall; /* pooled (binary) or nominal */
  const char *const *code_paths;  /* every code seen, by index (nominal values) */
  size_t ndisagreements;          /* rows of disagreements */
  const ThemaRelDisagreement *disagreements; /* binary: code by code, each in unit
                                              * order; nominal: in unit order */
  size_t nsegments;                          /* entries of segments */
  const ThemaRelSegment *segments;           /* the units disagreements refer to */
  int64_t nconflicts;                        /* nominal conflicts; when > 0 there are no
                                       * figures */
  size_t nconflicts_shown;                   /* the first ones, coder by coder */
  ThemaRelConflict conflicts[THEMA_REL_CONFLICTS_SHOWN];
} ThemaRelResult;

typedef struct ThemaReliability ThemaReliability;

/* A new builder for o (copied). Owned by the caller: thema_reliability_free. */
ThemaReliability *thema_reliability_new(const ThemaRelOptions *o);

/* Add the next unit. */
void thema_reliability_add(ThemaReliability *r, const ThemaRelUnit *u);

/* Compute every figure (the bootstraps take most of the time). The result
 * belongs to r and lives until thema_reliability_free; call once. */
const ThemaRelResult *thema_reliability_finish(ThemaReliability *r);

void thema_reliability_free(ThemaReliability *r);

#endif
