/*
 * dtm.h — segment × term counts in one streaming pass: the vocabulary of
 * counted terms (words or their Snowball stems, and n-grams), each shown by
 * its most frequent surface form; per term its count and document frequency;
 * per segment a sparse row of (term, count); the groups of a grouping each
 * segment falls in; and the adjacent word pairs that collocations score.
 *
 * Segments are read through store cursors (store/query.h for a selection,
 * store/grouping.h for a grouping) and never kept: memory is the vocabulary,
 * the sparse rows (only with keep_rows) and the pairs (only with pairs), not
 * the text. The same counts serve `thema freq`, `keyness`, `collocations`,
 * thema.corpus and the inductive pass's TF-IDF and themes.
 *
 * What is counted (tokens as text/tokens.h cuts them, folded):
 *  - a word unless it is a stop word (with stopwords), a filler (with
 *    fillers), on a study's own list (leave_out), a number (unless numbers),
 *    or shorter than min_chars code points;
 *  - with stem, its Snowball stem in language, shown as its most frequent
 *    folded surface form (ties: the bytewise smallest);
 *  - n-grams of ngram_min..ngram_max tokens as text/tokens.h defines them
 *    (inside one phrase; first and last token counted words), keyed by their
 *    words' keys joined with a space;
 *  - pairs: two counted words next to each other in one phrase.
 */
#ifndef THEMA_DTM_H
#define THEMA_DTM_H

#include <stddef.h>
#include <stdint.h>

#include "base/thema.h"
#include "store/grouping.h"
#include "store/query.h"
#include "text/tokens.h"
#include "text/vocab.h"

typedef struct ThemaDtmOptions {
  const char *language;     /* stems and shipped lists: a name or ISO code; NULL: dutch */
  int stem;                 /* 1: count stems */
  int stopwords;            /* 1: leave the language's stop words out */
  int fillers;              /* 1: leave the language's fillers out */
  int numbers;              /* 1: count numbers too */
  int min_chars;            /* words shorter than this (code points) are not counted */
  int ngram_min, ngram_max; /* term lengths, 1 <= min <= max <= THEMA_NGRAM_MAX */
  int keep_rows;            /* 1: keep each segment's sparse row */
  int pairs;                /* 1: count adjacent pairs (collocations) */
  const ThemaVocab *leave_out; /* folded words a study leaves out too, or NULL */
} ThemaDtmOptions;

typedef struct ThemaDtm ThemaDtm;

/* Defaults: dutch, no stems, stop words and fillers out, no numbers,
 * min_chars 1, unigrams, no rows, no pairs. */
void thema_dtm_defaults(ThemaDtmOptions *o);

/* A counter with options o (copied; leave_out is borrowed and must outlive
 * the counter). An unknown language, a language without a shipped stop word
 * or filler list when those are asked for, or bad n-gram sizes are input
 * errors naming what is accepted. *out is the caller's: thema_dtm_free. */
int thema_dtm_new(const ThemaDtmOptions *o, ThemaDtm **out, ThemaError *err);
void thema_dtm_free(ThemaDtm *d);

/* Count one segment's text (valid UTF-8) as the next row, in the groups
 * group_labels[0..ngroups) (ngroups may be 0). */
void thema_dtm_add(ThemaDtm *d, int64_t segment_id, const char *text, size_t n,
                   const char *const *group_labels, const size_t *label_lens, int ngroups);

/* Stream the segments matching filters (store/query.h segment filters) in
 * their order, without groups. */
int thema_dtm_read(ThemaDtm *d, ThemaStore *st, const ThemaFilter *filters, int nf,
                   ThemaError *err);
/* Stream the segments matching filters with their groups under g; each
 * segment is one row, in every group it falls in. */
int thema_dtm_read_grouped(ThemaDtm *d, ThemaStore *st, const ThemaGrouping *g,
                           const ThemaFilter *filters, int nf, ThemaError *err);

/* The same over a segments cursor the caller opened (thema_query_open with
 * THEMA_SEGMENTS) and closes; without and with a grouping. */
int thema_dtm_read_cursor(ThemaDtm *d, ThemaCursor *segments, ThemaError *err);
int thema_dtm_read_grouped_over(ThemaDtm *d, ThemaStore *st, const ThemaGrouping *g,
                                ThemaCursor *segments, ThemaError *err);

/* Pick each term's surface form; call once after the last add and before
 * the accessors below. */
void thema_dtm_finish(ThemaDtm *d);

typedef struct ThemaTerm {
  const char *label; /* the most frequent surface form (words joined by spaces) */
  const char *key;   /* what was counted: the folded word or its stem */
  int n;             /* words in the term (1, or the n of an n-gram) */
  int64_t count;     /* occurrences in all segments */
  int64_t docs;      /* segments it occurs in */
} ThemaTerm;

/* Terms have ids 0 .. nterms-1; ids of keys that were never counted (a stop
 * word inside an n-gram) give count 0. Strings are the counter's. */
uint32_t thema_dtm_nterms(const ThemaDtm *d);
void thema_dtm_term(const ThemaDtm *d, uint32_t id, ThemaTerm *t);
/* The folded surface forms counted as term id, sorted bytewise, into
 * *forms (the caller frees the array, not the strings, which are the
 * counter's); returns how many. Without stems that is the term itself. */
int thema_dtm_surfaces(const ThemaDtm *d, uint32_t id, const char ***forms);
/* Counted occurrences of terms of n words, over all segments. */
int64_t thema_dtm_tokens(const ThemaDtm *d, int n);
/* Segments counted. */
int64_t thema_dtm_nsegments(const ThemaDtm *d);

/* Groups: ids 0 .. ngroups-1 in order of first sight; -1 for an unknown
 * label. */
int thema_dtm_ngroups(const ThemaDtm *d);
const char *thema_dtm_group_label(const ThemaDtm *d, int g);
int thema_dtm_group_find(const ThemaDtm *d, const char *label);
/* The segments in group g. */
int64_t thema_dtm_group_segments(const ThemaDtm *d, int g);
/* counts[0..nterms) (the caller's, zeroed here) gets each term's count in
 * the segments of group g (g = -1: in the segments of no group), and docs
 * (may be NULL; same size) the number of those segments it occurs in; needs
 * keep_rows. Each segment counts once whatever its other groups. */
void thema_dtm_group_counts(const ThemaDtm *d, int g, int64_t *counts, int64_t *docs);

/* The sparse rows (with keep_rows), in the order added. Row r's terms are
 * (*terms)[0..*nnz) in increasing id, with their counts; valid while d is. */
int64_t thema_dtm_nrows(const ThemaDtm *d);
void thema_dtm_row(const ThemaDtm *d, int64_t r, int64_t *segment_id,
                   const uint32_t **terms, const uint32_t **counts, int *nnz);
/* Whether row r is in group g. */
int thema_dtm_row_in(const ThemaDtm *d, int64_t r, int g);

/* Adjacent pairs (with pairs): ids 0 .. npairs-1. */
int64_t thema_dtm_npairs(const ThemaDtm *d);
/* Pair i: its first and second term, how often, and the margins: pairs with
 * x first, pairs with y second. */
void thema_dtm_pair(const ThemaDtm *d, int64_t i, uint32_t *x, uint32_t *y, int64_t *count,
                    int64_t *x_first, int64_t *y_second);
/* All adjacent pairs counted. */
int64_t thema_dtm_pair_total(const ThemaDtm *d);

/* Bytes held (vocabularies, rows, pairs): for memory figures. */
size_t thema_dtm_bytes(const ThemaDtm *d);

#endif
