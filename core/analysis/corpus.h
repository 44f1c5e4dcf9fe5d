/*
 * corpus.h — the tables of familiarisation over one segment × term count
 * (analysis/dtm.h): term frequencies overall or in a group, keyness of a
 * group against the rest or another group, and collocations of adjacent
 * words. `thema freq|keyness|collocations` and thema.corpus print or return
 * these same rows, in the same deterministic order.
 */
#ifndef THEMA_CORPUS_H
#define THEMA_CORPUS_H

#include <stdint.h>

#include "analysis/dtm.h"
#include "analysis/keyness.h"

/* The rest of the corpus, as the `against` of thema_corpus_keyness. */
enum { THEMA_CORPUS_REST = -2 };

typedef struct ThemaFreqRow {
  uint32_t term;   /* its id in the dtm */
  int64_t count;   /* occurrences (in the group, or overall) */
  int64_t docs;    /* segments it occurs in (in the group, or overall) */
  double per_1000; /* count per 1000 counted terms of its length (in the group) */
} ThemaFreqRow;

/* The terms with count >= min_count, most frequent first (ties: label
 * bytewise), at most limit of them (limit <= 0: all). counts and docs are
 * a group's (thema_dtm_group_counts), or NULL for the whole corpus. *rows is the
 * caller's (free). Needs thema_dtm_finish. */
void thema_corpus_freq(const ThemaDtm *d, const int64_t *counts, const int64_t *docs,
                       int64_t min_count, int64_t limit, ThemaFreqRow **rows,
                       int64_t *nrows);

typedef struct ThemaKeyRow {
  uint32_t term;  /* its id in the dtm */
  ThemaKeyness k; /* a, b: the counts both sides; n1, n2: the terms of its length counted on
                     each side; signed G², log-ratio, p */
} ThemaKeyRow;

/* Keyness of every term with a + b >= min_count in group target against
 * group against (or THEMA_CORPUS_REST: every segment not in target),
 * highest signed G² first (ties: label): the terms the target says more
 * first, those it says less last. Needs keep_rows. An unknown group, a
 * target against itself or an empty side are input errors. */
int thema_corpus_keyness(const ThemaDtm *d, int target, int against, int64_t min_count,
                         ThemaKeyRow **rows, int64_t *nrows, ThemaError *err);

typedef struct ThemaCollocRow {
  uint32_t x, y;    /* the first and second word's term ids */
  int64_t count;    /* times y follows x */
  int64_t x_first;  /* pairs with x first */
  int64_t y_second; /* pairs with y second */
  ThemaAssoc assoc; /* PMI, NPMI, signed G² over all pairs */
} ThemaCollocRow;

/* The pairs seen at least min_count times (the frequency floor that keeps
 * PMI from favouring hapaxes), highest G² first (ties: count, then labels).
 * Needs pairs. */
void thema_corpus_collocations(const ThemaDtm *d, int64_t min_count, ThemaCollocRow **rows,
                               int64_t *nrows);

#endif

/* Append to out a PCRE2 pattern for `thema kwic` that finds the term's
 * occurrences: the surface forms counted as the term, as alternatives
 * ("(?:samenwerken|samenwerking)" for a stem); words separated by white
 * space; any apostrophe or hyphen spelling; never inside a longer word. */
void thema_corpus_kwic_pattern(const ThemaDtm *d, uint32_t term, ThemaBuf *out);
