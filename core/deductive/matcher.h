/*
 * matcher.h — the deductive coding engine: a codebook's include and exclude
 * rules compiled once, applied to one segment text at a time.
 *
 * Rule semantics (the plugin guide documents them for researchers):
 *  - a rule line is a PCRE2 pattern (UTF + UCP), case-insensitive unless the
 *    code has option `case`, whole-word unless option `partial`;
 *  - `A NEAR/N B`: A and B both match with at most N words between them, in
 *    either order; the coded span runs from the first to the last;
 *  - option `fold`: accents are ignored on both sides;
 *  - option `stem`: a rule that is one plain word matches every word with the
 *    same Snowball (Dutch) stem;
 *  - any exclude match in a segment vetoes that code for the whole segment;
 *  - overlapping spans of one code are merged.
 * Speed: from each pattern a set of literals is taken such that every match
 * contains one of them; all sets are searched in one Aho-Corasick pass over
 * the case- and accent-folded segment, and PCRE2 (JIT) runs only for rules
 * one of whose literals occurs. Patterns the extraction does not understand
 * get no set and always run: the prefilter never changes results.
 */
#ifndef THEMA_MATCHER_H
#define THEMA_MATCHER_H

#include <stddef.h>

#include "base/thema.h"

typedef struct ThemaCodeSpec {
  const char *path;           /* theme/code */
  const char *options;        /* space-separated: stem fold case partial */
  const char *const *include; /* rule lines */
  const long *include_lines;  /* their lines in the codebook file (may be NULL) */
  int ninclude;
  const char *const *exclude;
  const long *exclude_lines;
  int nexclude;
  long line; /* the code's line in the codebook file */
} ThemaCodeSpec;

typedef struct ThemaMatcher ThemaMatcher;

/* Compile codes; on a bad rule *err names the codebook (what), the code, the
 * line and PCRE2's message and offset. The caller frees the result. */
ThemaMatcher *thema_matcher_new(const ThemaCodeSpec *codes, int ncodes, const char *what,
                                ThemaError *err);
void thema_matcher_free(ThemaMatcher *m);
int thema_matcher_ncodes(const ThemaMatcher *m);
const char *thema_matcher_path(const ThemaMatcher *m, int code);

/* Called once per coded span, in order of code then start; offsets are code
 * points into the scanned text, stop exclusive. */
typedef int (*ThemaMatchFn)(void *ud, int code, size_t start, size_t stop);

/* Scan text[0..len) (valid UTF-8). Returns THEMA_OK, or the first non-zero
 * return of fn, or an error (a match limit) in *err. */
int thema_matcher_scan(ThemaMatcher *m, const char *text, size_t len, ThemaMatchFn fn,
                       void *ud, ThemaError *err);

/* For tests and diagnostics: the literal set of one pattern, members sorted
 * and joined by '|', "" when it gets no prefilter. The caller frees it. */
char *thema_matcher_literal_set(const char *pattern);

#endif
