/*
 * helpers.h — shared by the criterion unit tests: a scratch directory per
 * test, files written into it, a fresh store, queries on it, and running the
 * thema binary.
 */
#ifndef THEMA_TEST_HELPERS_H
#define THEMA_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/thema.h"
#include "store/internal.h"
#include "store/store.h"

/* A fresh scratch directory under /tmp; the caller frees the string. */
static inline char *th_tmpdir(void) {
  char *d = strdup("/tmp/thema-test-XXXXXX");
  cr_assert_not_null(mkdtemp(d));
  return d;
}

/* Remove dir and everything below it; the test fails when that fails. */
static inline void th_rm_rf(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0, "%s", cmd);
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

/* Write the string text to dir/name. */
static inline void th_write_str(const char *dir, const char *name, const char *text) {
  free(th_write(dir, name, text, strlen(text)));
}

/* Whether dir/name exists. */
static inline int th_exists(const char *dir, const char *name) {
  char p[1024];
  struct stat sb;
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return stat(p, &sb) == 0;
}

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

/* A fresh scratch directory with a new empty store in it, into *dir and *st. */
static inline void th_scratch_open(char **dir, ThemaStore **st) {
  *dir = th_tmpdir();
  *st = th_store(*dir);
}

/* Close the store of th_scratch_open and remove its directory. */
static inline void th_scratch_close(char **dir, ThemaStore **st) {
  thema_store_close(*st);
  *st = NULL;
  th_rm_rf(*dir);
  free(*dir);
  *dir = NULL;
}

/* Run sql (any number of statements) on the store; asserts success. */
static inline void th_exec(ThemaStore *st, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(thema_store_db(st), sql, NULL, NULL, &msg);
  cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
  sqlite3_free(msg);
}

/* The first column of the first row of sql as an integer (-1 when no row). */
static inline long long th_int(ThemaStore *st, const char *sql) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st), sql, -1, &q, NULL), SQLITE_OK, "%s",
               sqlite3_errmsg(thema_store_db(st)));
  long long v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  return v;
}

/* The first column of the first row of sql as text (caller frees; NULL when none). */
static inline char *th_text(ThemaStore *st, const char *sql) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st), sql, -1, &q, NULL), SQLITE_OK, "%s",
               sqlite3_errmsg(thema_store_db(st)));
  char *v = NULL;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
    v = strdup((const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  return v;
}

/* Every row of sql as "a|b\n" lines (NULL as "NULL"); the caller frees. */
static inline char *th_rows(ThemaStore *st, const char *sql) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st), sql, -1, &q, NULL), SQLITE_OK, "%s",
               sqlite3_errmsg(thema_store_db(st)));
  ThemaBuf b = {0};
  while (sqlite3_step(q) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(q); c++) {
      const unsigned char *t = sqlite3_column_text(q, c);
      thema_buf_printf(&b, "%s%s", c ? "|" : "", t ? (const char *)t : "NULL");
    }
    thema_buf_putc(&b, '\n');
  }
  sqlite3_finalize(q);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

/* The number of rows of table. */
static inline long long th_count(ThemaStore *st, const char *table) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
  return th_int(st, sql);
}

/* Expect the malloc'd string expr (freed here; NULL shows as "(null)") to be want. */
#define TH_EXPECT_STR(expr, want)                                                          \
  do {                                                                                     \
    char *s_ = (expr);                                                                     \
    cr_expect_str_eq(s_ ? s_ : "(null)", want);                                            \
    free(s_);                                                                              \
  } while (0)

/* Assert that hay (the text named `what`) contains needle. */
static inline void th_contains(const char *hay, const char *needle, const char *what) {
  cr_assert_not_null(strstr(hay, needle), "%s lacks '%s':\n%s", what, needle, hay);
}

/* Assert that hay (the text named `what`) does not contain needle. */
static inline void th_lacks(const char *hay, const char *needle, const char *what) {
  cr_assert_null(strstr(hay, needle), "%s has '%s':\n%s", what, needle, hay);
}

/* Read dir/name into buf (at most n - 1 bytes); "" when it is missing. */
static inline void th_slurp(const char *dir, const char *name, char *buf, size_t n) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *fp = fopen(p, "rb");
  size_t got = fp ? fread(buf, 1, n - 1, fp) : 0;
  buf[got] = '\0';
  if (fp) fclose(fp);
}

/* ParameterizedTestParameters body: row indexes of table (pointers don't survive the copy). */
#define TH_ROW_PARAMS(table)                                                               \
  static size_t rows_[sizeof(table) / sizeof *(table)];                                    \
  for (size_t i_ = 0; i_ < sizeof(table) / sizeof *(table); i_++) rows_[i_] = i_;          \
  return cr_make_param_array(size_t, rows_, sizeof(table) / sizeof *(table))

/* The SHA-256 of the file at path as sha256sum prints it (64 hex digits), into out. */
static inline void th_sha256sum(const char *path, char out[65]) {
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
  memset(out, 0, 65);
  FILE *f = popen(cmd, "r");
  cr_assert_not_null(f);
  cr_assert_eq(fscanf(f, "%64s", out), 1);
  pclose(f);
}

/* Path of the thema binary under test: $THEMA, else build/asan/thema. */
static inline const char *th_binary(void) {
  const char *t = getenv("THEMA");
  return t && *t ? t : "build/asan/thema";
}

/* Run "thema ARGS" in dir, stdout/stderr into the buffers (may be NULL); the exit code. */
static inline int th_run(const char *dir, char *out, size_t outn, char *errbuf, size_t errn,
                         const char *args) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "cd '%s' && %s %s >out.txt 2>err.txt", dir, th_binary(), args);
  int rc = system(cmd);
  if (out) th_slurp(dir, "out.txt", out, outn);
  if (errbuf) th_slurp(dir, "err.txt", errbuf, errn);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

#endif
