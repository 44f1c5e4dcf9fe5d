/*
 * cli_helpers.h — shared by the unit tests that run the thema binary as a
 * user does (test_cli.c, test_host.c): the binary of the source tree, and a
 * scratch directory that is the working directory of every run, with the
 * captured stdout and stderr of the last run.
 *
 * RUN_OK expects the including file to define Fx (with out and err) and
 * int run(Fx *f, const char *fmt, ...).
 */
#ifndef THEMA_TEST_CLI_HELPERS_H
#define THEMA_TEST_CLI_HELPERS_H

#include <limits.h>

#include "helpers.h"

/* Bytes of stdout and stderr kept from a run. */
enum { OUTN = 1 << 16 };

/* $THEMA defaults to the absolute path of build/asan/thema (runs cd first). */
__attribute__((constructor)) static void th_default_binary(void) {
  const char *t = getenv("THEMA");
  if (t && *t) return;
  const char *root = getenv("THEMA_ROOT");
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/build/asan/thema", root && *root ? root : ".");
  char *abs = realpath(path, NULL);
  if (abs) {
    setenv("THEMA", abs, 1);
    free(abs);
  }
}

/* A fresh scratch directory into *dir, and empty OUTN-byte buffers for a run's output. */
static inline void th_cli_open(char **dir, char **out, char **err) {
  *dir = th_tmpdir();
  *out = calloc(1, OUTN);
  *err = calloc(1, OUTN);
}

/* Remove the scratch directory of th_cli_open and free its buffers. */
static inline void th_cli_close(char **dir, char **out, char **err) {
  th_rm_rf(*dir);
  free(*dir);
  free(*out);
  free(*err);
  *dir = *out = *err = NULL;
}

/* Run (the including file's run()) and require exit 0. */
#define RUN_OK(f, ...)                                                                     \
  do {                                                                                     \
    int rc_ = run(f, __VA_ARGS__);                                                         \
    cr_assert_eq(rc_, 0, "exit %d\nstdout: %s\nstderr: %s", rc_, (f)->out, (f)->err);      \
  } while (0)

#endif
