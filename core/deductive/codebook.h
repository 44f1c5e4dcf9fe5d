/*
 * codebook.h — codebooks: codes in a tree with their include and exclude
 * rules and their example sentences; compiled into a matcher, and tested
 * against their own examples ("codebook as code"). Files are read by
 * ingest/codebook.h (CSV or Lua), rows written by store/code.h.
 */
#ifndef THEMA_CODEBOOK_H
#define THEMA_CODEBOOK_H

#include <stdio.h>

#include "base/thema.h"
#include "deductive/matcher.h"
#include "store/code.h"
#include "store/store.h"

/* The fields of a codebook entry (CSV columns, Lua table keys) and the
 * options a code may carry: listed once, here. NULL-terminated. */
extern const char *const thema_codebook_fields[];
extern const char *const thema_codebook_options[];
/* Indexes into thema_codebook_fields. */
enum {
  THEMA_CB_CODE,
  THEMA_CB_PARENT,
  THEMA_CB_DESCRIPTION,
  THEMA_CB_INCLUDE,
  THEMA_CB_EXCLUDE,
  THEMA_CB_OPTIONS,
  THEMA_CB_MATCH,
  THEMA_CB_NOMATCH,
  THEMA_CB_COLOUR,
  THEMA_CB_NFIELDS
};
/* Append the names of list (NULL-terminated) to out, joined by ", ". */
void thema_codebook_join(ThemaBuf *out, const char *const *list);

typedef struct ThemaList {
  char **items; /* owned strings */
  int n;        /* how many */
} ThemaList;

/* Append a copy of s[0..n). */
void thema_list_add(ThemaList *l, const char *s, size_t n);
/* Append the non-blank lines of cell, trimmed (one pattern or example per
 * line, as in a codebook cell). cell may be NULL. */
void thema_list_lines(ThemaList *l, const char *cell);
void thema_list_free(ThemaList *l);

typedef struct ThemaCbCode {
  char *name;                                 /* the code's own name */
  char *parent;                               /* the parent's name, or NULL for a theme */
  char *path;                                 /* theme/code, derived from the parents */
  char *description;                          /* for a second coder; NULL when none */
  char *options;                              /* space-separated: stem fold case partial */
  char *colour;                               /* NULL when none */
  ThemaList include, exclude, match, nomatch; /* rules and examples, one per line */
  long line;                                  /* CSV line, or entry number in a Lua file */
} ThemaCbCode;

typedef struct ThemaCodebook {
  ThemaCbCode *codes; /* owned, in file order */
  int n;
  char *path;    /* the file, for messages */
  char hash[65]; /* SHA-256 of the file's bytes */
} ThemaCodebook;

/* A new zeroed code at the end of cb (owned by cb). */
ThemaCbCode *thema_codebook_add(ThemaCodebook *cb);
/* A copy of s, or NULL when s is NULL or empty; the caller frees it. */
char *thema_codebook_strdup(const char *s);
/* The length of the first option in options that is not one of
 * thema_codebook_options (*bad points at it), 0 when all are known. */
size_t thema_codebook_bad_option(const char *options, const char **bad);
/* Check names, options and parents, and derive every code's path; errors
 * name the file, the unit ("line" or "entry") with its number, and the code. */
int thema_codebook_resolve(ThemaCodebook *cb, const char *unit, ThemaError *err);
/* The codes of the store that carry rules, as a codebook (path "store"). */
int thema_codebook_from_store(ThemaStore *st, ThemaCodebook *cb, ThemaError *err);
void thema_codebook_free(ThemaCodebook *cb);

/* Compile the codes with include rules into a matcher (the caller frees it);
 * *index maps matcher code numbers to cb->codes indexes (caller frees). */
ThemaMatcher *thema_codebook_compile(const ThemaCodebook *cb, int **index, ThemaError *err);

/* Store the codebook under its file's stem (see thema_code_save_codebook). */
int thema_codebook_save(ThemaStore *st, const ThemaCodebook *cb, int *unchanged,
                        ThemaError *err);

/* Check every match and nomatch example; failures are written to out, one
 * line each. */
int thema_codebook_test(const ThemaCodebook *cb, FILE *out, int *passed, int *failed,
                        ThemaError *err);

#endif
