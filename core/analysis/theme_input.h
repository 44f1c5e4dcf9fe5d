/*
 * theme_input.h — the segments a theme pass reads, and the matrix it fits:
 * one streaming pass over the store's segments (store/query.h cursor, the
 * API's filters) that applies the selection rule, tokenises (text/tokens.h),
 * drops stop words, fillers, numbers and one-letter tokens, stems
 * (libstemmer, in the stated language), counts terms per segment and keeps
 * terms in at least min_df segments and at most a share max_df of them,
 * then weighs them by TF-IDF (idf = ln((1 + N) / (1 + df)) + 1, rows scaled
 * to unit length: scikit-learn's TfidfVectorizer defaults, so the bench
 * compares like with like). Each term is shown by its most frequent surface
 * form.
 *
 * The selection rule leaves out, in this order: turns of an excluded
 * speaker label (the interviewer: "I"), of a person with an excluded role
 * ("interviewer", a chair), procedural turns (a caseless PCRE2 pattern: a
 * chair opening the sitting, a vote), and turns with fewer than min_words
 * content words ("Ja.", "Gastarbeiders ja."). Each exclusion is counted.
 */
#ifndef THEMA_THEME_INPUT_H
#define THEMA_THEME_INPUT_H

#include <stdint.h>

#include "analysis/sparse.h"
#include "base/thema.h"
#include "store/query.h"
#include "store/store.h"
#include "text/vocab.h"

/* The default procedural pattern: openings, closings, suspensions, votes
 * and roll calls in Dutch and English minutes. */
extern const char *const thema_theme_procedural_default;

typedef struct ThemaSelectRule {
  const char *const *exclude_speakers; /* speaker labels left out */
  int nexclude_speakers;
  const char *const *exclude_roles; /* person roles left out */
  int nexclude_roles;
  const char *procedural; /* caseless PCRE2 pattern of procedural turns; NULL or "": none */
  int min_words;          /* content words a turn needs at least */
} ThemaSelectRule;

typedef struct ThemaTermOptions {
  const char *language;          /* stemmer and stop words ("nl", "dutch", "en", ...) */
  int stem;                      /* 1: terms are stems */
  int min_df;                    /* a term is in at least this many segments */
  double max_df;                 /* and at most this share of them (0: 1) */
  const char *const *word_files; /* a study's own stop word / filler files */
  int nword_files;
  const char *const *extra_words; /* more words left out, NULL-ended (may be NULL) */
} ThemaTermOptions;

/* What a selection left out, by reason. */
typedef struct ThemaSelectCounts {
  int64_t read;        /* segments the filters gave */
  int64_t speaker;     /* left out for the speaker label */
  int64_t role;        /* for the speaker's role */
  int64_t procedural;  /* for the procedural pattern */
  int64_t short_turns; /* for fewer than min_words content words */
  int64_t kept;        /* selected */
} ThemaSelectCounts;

typedef struct ThemaThemeInput {
  int32_t n;            /* selected segments (rows) */
  int64_t *segment_id;  /* per row: the store's segment id */
  int32_t *source;      /* per row: index into sources */
  int32_t *speaker;     /* per row: index into speakers, -1 for none */
  ThemaVocab *sources;  /* source names */
  ThemaVocab *speakers; /* "source\x1flabel" of each speaker */
  ThemaCsr tfidf;       /* rows × terms, TF-IDF, unit rows */
  ThemaCsr counts;      /* the same pattern with raw counts */
  ThemaVocab *terms;    /* column j is term j (a stem or a folded word) */
  char **surface;       /* per column, its most frequent surface form */
  int64_t *df;          /* per column, the segments it is in */
  int32_t *seq;         /* per row, its content tokens as columns, -1 between phrases */
  int64_t *seq_ptr;     /* n + 1 offsets into seq */
  int32_t *by_id;       /* rows sorted by segment id, for thema_theme_input_row */
  ThemaSelectCounts counts_by;
} ThemaThemeInput;

/* Read and select the segments of cur (a THEMA_SEGMENTS cursor, borrowed:
 * the caller closes it) and build the matrix. Usage error: an unknown
 * language; input errors: a bad pattern or word file. out is owned by the
 * caller (thema_theme_input_free) after success; nothing to free after
 * failure. */
int thema_theme_input_read(ThemaCursor *cur, const ThemaSelectRule *rule,
                           const ThemaTermOptions *opt, ThemaThemeInput *out,
                           ThemaError *err);
void thema_theme_input_free(ThemaThemeInput *in);

/* The row of segment id, or -1 when it was not selected (rows are in the
 * store's segment order, not id order: a binary search over by_id). */
int32_t thema_theme_input_row(const ThemaThemeInput *in, int64_t segment_id);

#endif
