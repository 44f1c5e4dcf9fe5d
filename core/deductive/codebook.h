/*
 * codebook.h — codebooks: read from CSV (code,parent,description,include,
 * exclude,options,match,nomatch) or from a Lua file returning a table of the
 * same fields; stored in the store; compiled into a matcher; and tested
 * against their own example sentences ("codebook as code").
 */
#ifndef THEMA_CODEBOOK_H
#define THEMA_CODEBOOK_H

#include <stdio.h>

#include "base/thema.h"
#include "deductive/matcher.h"
#include "store/code.h"
#include "store/store.h"

typedef struct ThemaList {
  char **items; /* owned strings */
  int n;
} ThemaList;

typedef struct ThemaCbCode {
  char *name;   /* the code's own name */
  char *parent; /* the parent's name, or NULL for a theme */
  char *path;   /* theme/code, derived from the parents */
  char *description;
  char *options; /* space-separated: stem fold case partial */
  char *colour;
  ThemaList include, exclude, match, nomatch;
  long line; /* CSV line, or entry number for a Lua codebook */
} ThemaCbCode;

typedef struct ThemaCodebook {
  ThemaCbCode *codes; /* owned, in file order */
  int n;
  char *path;    /* the file, for messages */
  char hash[65]; /* SHA-256 of the file's bytes */
} ThemaCodebook;

/* Read a codebook (.csv or .lua) and resolve its paths. Errors name the file,
 * the line (or entry) and the code. */
int thema_codebook_load(const char *path, ThemaCodebook *cb, ThemaError *err);
/* The codes of the store that carry rules, as a codebook (path "store"). */
int thema_codebook_from_store(ThemaStore *st, ThemaCodebook *cb, ThemaError *err);
void thema_codebook_free(ThemaCodebook *cb);

/* Compile the codes with include rules into a matcher (the caller frees it);
 * *index maps matcher code numbers to cb->codes indexes (caller frees). */
ThemaMatcher *thema_codebook_compile(const ThemaCodebook *cb, int **index, ThemaError *err);

/* Store the codebook (codes origin deductive, rules, hash), updating codes in
 * place so that existing codings of unchanged codes survive; codes the new
 * version no longer has are deleted with their codings. *unchanged is set
 * when the same content is already stored. */
int thema_codebook_store(ThemaStore *st, const ThemaCodebook *cb, int *unchanged,
                         ThemaError *err);

/* Check every match and nomatch example; failures are written to out, one
 * line each. */
int thema_codebook_test(const ThemaCodebook *cb, FILE *out, int *passed, int *failed,
                        ThemaError *err);

#endif
