/*
 * test_outfile.c — base/outfile: a file appears whole or not at all, every
 * failed write is reported with its reason, and the file it replaces is kept
 * when writing fails (ENOSPC by injection, and /dev/full for real).
 */
#include <errno.h>

#include "base/fs.h"
#include "base/outfile.h"
#include "helpers.h"

static char *slurp(const char *path) {
  ThemaBuf b = {0};
  ThemaError err = {0};
  if (thema_fs_read(path, &b, &err)) return NULL;
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

/* The number of entries of dir (without . and ..). */
static int entries(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
  FILE *p = popen(cmd, "r");
  int n = -1;
  cr_assert_eq(fscanf(p, "%d", &n), 1);
  pclose(p);
  return n;
}

Test(outfile, a_committed_file_is_whole_and_the_temporary_name_is_gone) {
  char *dir = th_tmpdir();
  char *path = th_write(dir, "t.csv", "old\n", 4);
  ThemaOutfile o;
  ThemaError err = {0};
  cr_assert_eq(thema_outfile_open(&o, path, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(entries(dir), 2, "the temporary file sits beside the old one");
  char *seen = slurp(path);
  cr_assert_str_eq(seen, "old\n", "a reader still sees the old file");
  free(seen);
  cr_assert_eq(thema_outfile_write(&o, "a,b\n", 4), 0);
  cr_assert_eq(thema_outfile_commit(&o, &err), THEMA_OK, "%s", err.msg);
  seen = slurp(path);
  cr_assert_str_eq(seen, "a,b\n");
  free(seen);
  cr_assert_eq(entries(dir), 1);
  th_rm_rf(dir);
  free(path);
  free(dir);
}

Test(outfile, enospc_during_a_write_fails_the_commit_and_keeps_the_old_file) {
  char *dir = th_tmpdir();
  char *path = th_write(dir, "t.csv", "old\n", 4);
  ThemaOutfile o;
  ThemaError err = {0};
  thema_outfile_inject_fault(ENOSPC, 10);
  cr_assert_eq(thema_outfile_open(&o, path, &err), THEMA_OK);
  cr_assert_eq(thema_outfile_write(&o, "0123456", 7), 0);
  cr_assert_eq(thema_outfile_write(&o, "789abc", 6), -1, "the write past the fault fails");
  cr_assert_eq(thema_outfile_write(&o, "more", 4), -1, "and every one after it");
  cr_assert_eq(thema_outfile_commit(&o, &err), THEMA_ERUNTIME);
  thema_outfile_inject_fault(0, 0);
  cr_assert(strstr(err.msg, "t.csv: cannot write: No space left on device"), "%s", err.msg);
  char *seen = slurp(path);
  cr_assert_str_eq(seen, "old\n", "the old file is as it was");
  free(seen);
  cr_assert_eq(entries(dir), 1, "no temporary file is left");
  th_rm_rf(dir);
  free(path);
  free(dir);
}

Test(outfile, an_aborted_file_never_appears) {
  char *dir = th_tmpdir();
  char path[600];
  snprintf(path, sizeof path, "%s/new.csv", dir);
  ThemaOutfile o;
  ThemaError err = {0};
  cr_assert_eq(thema_outfile_open(&o, path, &err), THEMA_OK);
  thema_outfile_write(&o, "half", 4);
  thema_outfile_abort(&o);
  thema_outfile_abort(&o); /* idempotent */
  cr_assert_eq(entries(dir), 0);
  th_rm_rf(dir);
  free(dir);
}

Test(outfile, dev_full_is_written_in_place_and_fails_with_enospc) {
  ThemaOutfile o;
  ThemaError err = {0};
  cr_assert_eq(thema_outfile_open(&o, "/dev/full", &err), THEMA_OK, "%s", err.msg);
  thema_outfile_write(&o, "x\n", 2);
  cr_assert_eq(thema_outfile_commit(&o, &err), THEMA_ERUNTIME);
  cr_assert(strstr(err.msg, "/dev/full: cannot write: No space left on device"), "%s",
            err.msg);
}

Test(outfile, a_missing_folder_is_an_error_naming_the_path) {
  ThemaOutfile o;
  ThemaError err = {0};
  cr_assert_eq(thema_outfile_open(&o, "/nonexistent/dir/x.csv", &err), THEMA_ERUNTIME);
  cr_assert(strstr(err.msg, "/nonexistent/dir/x.csv: cannot write:"), "%s", err.msg);
  thema_outfile_abort(&o);
}
