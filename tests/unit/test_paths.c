/*
 * test_paths.c — the sandbox's path policy (core/lua/paths.c) on a real
 * folder tree: reading under the read roots and the output folder, writing
 * under the output folder only and, inside a run, under the run's own
 * folder; ".." and symbolic links resolved before the check, so neither
 * leads out; dangling links refused; --unsafe allowing everything.
 *
 *   D/project/data.txt     a read root
 *   D/out/                 the output root, with run folders a/ and b/
 *   D/out/link -> D/outside, D/out/a/secret -> D/outside/secret.txt
 *   D/out/dangling -> D/nowhere
 *   D/outside/secret.txt   neither readable nor writable
 */
#include <limits.h>

#include "helpers.h"
#include "lua/paths.h"

static char *dir;
static ThemaPathPolicy policy;

/* D/rel, into a static buffer (one per argument position is enough here). */
static const char *at(int slot, const char *rel) {
  static char bufs[4][PATH_MAX];
  snprintf(bufs[slot], sizeof bufs[slot], "%s/%s", dir, rel);
  return bufs[slot];
}

static void make_dir(const char *rel) {
  cr_assert_eq(mkdir(at(3, rel), 0777), 0, "%s", rel);
}

static void make_link(const char *target, const char *rel) {
  cr_assert_eq(symlink(at(2, target), at(3, rel)), 0, "%s", rel);
}

static void setup(void) {
  dir = th_tmpdir();
  make_dir("project");
  make_dir("out");
  make_dir("out/a");
  make_dir("out/b");
  make_dir("outside");
  th_write_str(dir, "project/data.txt", "data\n");
  th_write_str(dir, "outside/secret.txt", "secret\n");
  make_link("outside", "out/link");
  make_link("outside/secret.txt", "out/a/secret");
  make_link("nowhere", "out/dangling");
  thema_paths_init(&policy, at(0, "out"), 0);
  thema_paths_add_read_root(&policy, at(0, "project"));
}

static void teardown(void) {
  thema_paths_free(&policy);
  th_rm_rf(dir);
  free(dir);
}

TestSuite(paths, .init = setup, .fini = teardown);

/* Whether rel (under D) may be opened: for reading or writing, inside the
 * run of plugin run (NULL outside a run). */
static int may(const char *run, const char *rel, int write) {
  return thema_paths_allowed(&policy, run, at(1, rel), write);
}

Test(paths, reading_is_allowed_under_the_read_roots_and_the_output_folder) {
  cr_expect(may(NULL, "project/data.txt", 0));
  cr_expect(may(NULL, "project/not-yet.txt", 0), "a new file in a read root");
  cr_expect(may(NULL, "project", 0), "the root itself");
  cr_expect(may(NULL, "out/a", 0));
  cr_expect(may("a", "out/b/x.csv", 0), "a run reads the other runs' output");
}

Test(paths, reading_outside_the_roots_is_refused) {
  cr_expect_not(may(NULL, "outside/secret.txt", 0));
  cr_expect_not(may(NULL, "", 0), "the folder holding the roots");
  cr_expect_not(thema_paths_allowed(&policy, NULL, "/etc/passwd", 0));
  cr_expect_not(may(NULL, "project-other/data.txt", 0), "a name that only starts alike");
}

Test(paths, writing_is_allowed_under_the_output_folder_only) {
  cr_expect(may(NULL, "out/report.md", 1), "a script writes anywhere in OUT");
  cr_expect(may(NULL, "out/b/x.csv", 1));
  cr_expect_not(may(NULL, "project/data.txt", 1), "a read root is not writable");
  cr_expect_not(may(NULL, "project/new.txt", 1));
  cr_expect_not(may(NULL, "outside/new.txt", 1));
}

Test(paths, a_run_writes_only_in_its_own_folder) {
  cr_expect(may("a", "out/a/table.csv", 1));
  cr_expect(may("a", "out/a", 1), "the run's folder itself");
  cr_expect_not(may("a", "out/b/table.csv", 1), "another run's folder");
  cr_expect_not(may("a", "out/report.md", 1), "the output root itself");
  cr_expect_not(may("a", "out/ab/x", 1), "a folder whose name only starts alike");
}

Test(paths, dot_dot_is_resolved_before_the_check) {
  cr_expect_not(may(NULL, "out/../outside/secret.txt", 0));
  cr_expect_not(may(NULL, "out/../outside/new.txt", 1));
  cr_expect_not(may(NULL, "out/a/../../project/data.txt", 1), "out and back into a root");
  cr_expect(may(NULL, "out/a/../../project/data.txt", 0), "reading it is fine");
  cr_expect_not(may("a", "out/a/../b/x.csv", 1), "out of the run's folder");
  cr_expect_not(may(NULL, "out/..", 1), "the parent of the output root");
  cr_expect_not(may(NULL, "out/missing/../../outside/x", 1), "through a missing folder");
}

Test(paths, a_link_cannot_lead_out_of_the_output_folder) {
  cr_expect_not(may(NULL, "out/link/secret.txt", 0), "reading through a folder link");
  cr_expect_not(may(NULL, "out/link/secret.txt", 1), "writing through it");
  cr_expect_not(may(NULL, "out/link/new.txt", 1), "a new file through it");
  cr_expect_not(may("a", "out/a/secret", 1), "a file link in the run's folder");
  cr_expect_not(may("a", "out/a/secret", 0));
  cr_expect_not(may(NULL, "out/dangling", 1), "a dangling link");
  cr_expect_not(may(NULL, "out/dangling", 0));
}

Test(paths, unsafe_allows_every_path) {
  ThemaPathPolicy open_policy;
  thema_paths_init(&open_policy, at(0, "out"), 1);
  cr_expect(thema_paths_allowed(&open_policy, "a", at(1, "outside/secret.txt"), 1));
  cr_expect(thema_paths_allowed(&open_policy, NULL, "/etc/passwd", 0));
  thema_paths_free(&open_policy);
}

Test(paths, read_roots_are_real_folders_kept_once) {
  thema_paths_add_read_root(&policy, at(0, "project"));
  thema_paths_add_read_root(&policy, at(0, "out/../project"));
  thema_paths_add_read_root(&policy, at(0, "no-such-folder"));
  thema_paths_add_read_root(&policy, NULL);
  cr_expect_eq(policy.nread_roots, 1, "one root, however it is spelt");
  char real[PATH_MAX];
  cr_assert_not_null(realpath(at(0, "project"), real));
  cr_expect_str_eq(policy.read_roots[0], real);
}

Test(paths, under_compares_whole_path_components) {
  cr_expect(thema_paths_under("/a/b", "/a/b"));
  cr_expect(thema_paths_under("/a/b/c", "/a/b"));
  cr_expect_not(thema_paths_under("/a/bc", "/a/b"));
  cr_expect_not(thema_paths_under("/a", "/a/b"));
  cr_expect(thema_paths_under("/x", "/"), "everything is under the root folder");
}
