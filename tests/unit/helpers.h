/*
 * helpers.h — shared by the criterion unit tests: a scratch directory per
 * test, files written into it, a fresh store, and running the thema binary.
 */
#ifndef THEMA_TEST_HELPERS_H
#define THEMA_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "thema.h"

/* A fresh scratch directory under /tmp; the caller frees the string. */
static inline char *th_tmpdir(void) {
  char *d = strdup("/tmp/thema-test-XXXXXX");
  cr_assert_not_null(mkdtemp(d));
  return d;
}

/* Write data to dir/name and return the full path (caller frees). */
static inline char *th_write(const char *dir, const char *name, const char *data,
                             size_t n) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = malloc(len);
  snprintf(p, len, "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  cr_assert_not_null(f, "cannot write %s", p);
  fwrite(data, 1, n, f);
  fclose(f);
  return p;
}
#define TH_WRITE(dir, name, literal) th_write(dir, name, literal, sizeof(literal) - 1)

/* A new empty store at dir/thema.db. */
static inline ThemaStore *th_store(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/thema.db", dir);
  ThemaStore *st = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_store_open(path, THEMA_STORE_CREATE, &st, &err), THEMA_OK, "%s",
               err.msg);
  return st;
}

/* The first column of the first row of sql as an integer (-1 when no row). */
static inline long long th_int(ThemaStore *st, const char *sql) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st), sql, -1, &q, NULL), SQLITE_OK,
               "%s", sqlite3_errmsg(thema_store_db(st)));
  long long v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  return v;
}

/* The first column of the first row of sql as text (caller frees; NULL when none). */
static inline char *th_text(ThemaStore *st, const char *sql) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st), sql, -1, &q, NULL), SQLITE_OK,
               "%s", sqlite3_errmsg(thema_store_db(st)));
  char *v = NULL;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
    v = strdup((const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  return v;
}

/* Path of the thema binary under test: $THEMA, else build/asan/thema. */
static inline const char *th_binary(void) {
  const char *t = getenv("THEMA");
  return t && *t ? t : "build/asan/thema";
}

/* Run "thema ARGS" through sh in dir; stdout and stderr are captured into
 * the caller's buffers (may be NULL). Returns the exit code. */
static inline int th_run(const char *dir, char *out, size_t outn, char *errbuf,
                         size_t errn, const char *args) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "cd '%s' && %s %s >out.txt 2>err.txt", dir, th_binary(), args);
  int rc = system(cmd);
  char path[1024];
  if (out) {
    snprintf(path, sizeof path, "%s/out.txt", dir);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(out, 1, outn - 1, f) : 0;
    out[n] = '\0';
    if (f) fclose(f);
  }
  if (errbuf) {
    snprintf(path, sizeof path, "%s/err.txt", dir);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(errbuf, 1, errn - 1, f) : 0;
    errbuf[n] = '\0';
    if (f) fclose(f);
  }
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

#endif
