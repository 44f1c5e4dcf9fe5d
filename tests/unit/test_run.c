/*
 * test_run.c — the run lifecycle (core/lua/run.c) in process, through the
 * host as cli/cmd_run.c drives it (one transaction per command, failures
 * recorded after it): a failed run keeps none of its writes and is recorded
 * failed; a successful rerun replaces the earlier run's codings, a failed
 * one does not; a run that fails inside a script is rolled back to its own
 * savepoint while the script goes on; runs nest through thema.run, each in
 * its own savepoint, with the outer run's context back after the inner one.
 */
#include <limits.h>

#include "helpers.h"
#include "lua/host.h"

static char *dir;      /* scratch folder: the store, pp/ (plugins), out/ */
static ThemaStore *st; /* dir/thema.db */
static char msg[2048]; /* the error of the last command, "" after success */

/* Codes every segment with params.code, adds a memo, and fails after its
 * writes when asked to. */
static const char coder_lua[] =
    "return { name = 'coder', version = '1.0', description = 'Code every segment',\n"
    "  params = { code = { default = 't/all' }, fail = { type = 'boolean', default = false } },\n"
    "  run = function(ctx, params)\n"
    "    local n = 0\n"
    "    for seg in ctx.store.segments() do\n"
    "      ctx.store.add_coding{ segment = seg.id, code = params.code }\n"
    "      n = n + 1\n"
    "    end\n"
    "    ctx.store.add_memo{ target = 'project', text = 'coded ' .. n }\n"
    "    if params.fail then error('failed after ' .. n .. ' codings') end\n"
    "    return { coded = n, run_id = ctx.run_id }\n"
    "  end }\n";

/* Runs coder inside its own run, then codes the first segment itself. */
static const char outer_lua[] =
    "return { name = 'outer', version = '2.0', description = 'Run coder inside a run',\n"
    "  params = { inner_fail = { type = 'boolean', default = false },\n"
    "             fail = { type = 'boolean', default = false } },\n"
    "  run = function(ctx, params)\n"
    "    ctx.store.add_memo{ target = 'project', text = 'outer before' }\n"
    "    local ok, inner = pcall(thema.run, 'coder', { code = 't/inner', fail = params.inner_fail })\n"
    "    local first\n"
    "    for seg in ctx.store.segments() do first = seg; break end\n"
    "    ctx.store.add_coding{ segment = first.id, code = 't/outer' }\n"
    "    ctx.store.add_memo{ target = 'project', text = 'outer after' }\n"
    "    if params.fail then error('outer fails') end\n"
    "    return { inner_ok = ok, inner = inner, outer = ctx.run_id }\n"
    "  end }\n";

static const char fg_txt[] = "I: Hoe leren jullie van elkaar?\n"
                             "\n"
                             "R1: Wij leren samen.\n"
                             "\n"
                             "R2: Samen leren is goed.\n";

static void setup(void) {
  th_scratch_open(&dir, &st);
  char pp[PATH_MAX];
  snprintf(pp, sizeof pp, "%s/pp", dir);
  cr_assert_eq(mkdir(pp, 0777), 0);
  th_write_str(dir, "pp/coder.lua", coder_lua);
  th_write_str(dir, "pp/outer.lua", outer_lua);
  th_write_str(dir, "fg.txt", fg_txt);
  msg[0] = '\0';
}

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(run, .init = setup, .fini = teardown, .timeout = 60);

typedef int (*CommandFn)(ThemaHost *h, char *words, ThemaError *err);

/* One command as `thema` runs it: a host on the store, fn in one
 * transaction, committed or rolled back, then the failed runs recorded.
 * Returns fn's status; its message is in msg. */
static int command(CommandFn fn, const char *words) {
  char pp[PATH_MAX], out[PATH_MAX];
  snprintf(pp, sizeof pp, "%s/pp", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  ThemaHostOptions o = {.root = dir, .plugin_path = pp, .out_root = out, .quiet = 1};
  ThemaError err = {0};
  ThemaHost *h = thema_host_new(st, &o, &err);
  cr_assert_not_null(h, "%s", err.msg);
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK, "%s", err.msg);
  char *copy = strdup(words);
  if (fn(h, copy, &err) == THEMA_OK) {
    ThemaError commit = {0};
    cr_assert_eq(thema_store_commit(st, &commit), THEMA_OK, "%s", commit.msg);
  } else {
    thema_store_rollback(st);
  }
  free(copy);
  ThemaError rec = {0};
  cr_assert_eq(thema_host_record_failures(h, &rec), THEMA_OK, "%s", rec.msg);
  thema_host_free(h);
  snprintf(msg, sizeof msg, "%s", err.msg);
  return err.status;
}

/* `thema run NAME key=value...`: words split at spaces. */
static int run_words(ThemaHost *h, char *words, ThemaError *err) {
  char *argv[16];
  int argc = 0;
  for (char *w = strtok(words, " "); w && argc < 16; w = strtok(NULL, " "))
    argv[argc++] = w;
  int64_t id = 0;
  return thema_host_run_cli(h, argv[0], argc - 1, argv + 1, &id, err);
}

/* `thema script FILE DIR`: words is the script's code. */
static int run_script(ThemaHost *h, char *code, ThemaError *err) {
  th_write_str(dir, "script.lua", code);
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/script.lua", dir);
  char *argv[] = {dir};
  return thema_host_script(h, path, 1, argv, err);
}

#define RUN_OK(fn, words) cr_assert_eq(command(fn, words), THEMA_OK, "%s: %s", words, msg)

/* The study of this file: one source of three segments. */
static void import_study(void) {
  RUN_OK(run_script,
         "assert(thema.import('transcript', arg[1] .. '/fg.txt').segments == 3)");
}

static char *rows(const char *sql) { return th_rows(st, sql); }

Test(run, a_failed_run_keeps_none_of_its_writes_and_is_recorded_failed) {
  import_study();
  cr_assert_eq(command(run_words, "coder fail=true"), THEMA_ERUNTIME);
  char want[PATH_MAX + 128];
  snprintf(want, sizeof want, "coder: %s/pp/coder.lua:10: failed after 3 codings", dir);
  cr_assert_str_eq(msg, want);
  cr_expect_eq(th_count(st, "coding"), 0, "its codings are rolled back");
  cr_expect_eq(th_count(st, "code"), 0, "and the codes it created");
  cr_expect_eq(th_count(st, "memo"), 0, "and its memo");
  char *got = rows("SELECT plugin, version, params, status, message, input_hash IS NULL,"
                   " finished_at >= started_at FROM run");
  snprintf(want, sizeof want,
           "coder|1.0|{\"code\":\"t/all\",\"fail\":true}|failed|coder: %s/pp/coder.lua:10: "
           "failed after 3 codings|1|1\n",
           dir);
  cr_expect_str_eq(got, want, "one run row, recorded after the rollback");
  free(got);
}

Test(run, a_successful_rerun_replaces_the_earlier_runs_codings_and_a_failed_one_does_not) {
  import_study();
  RUN_OK(run_words, "coder");
  RUN_OK(run_words, "coder code=t/two");
  TH_EXPECT_STR(rows("SELECT id, status FROM run ORDER BY id"), "1|replaced\n2|ok\n");
  TH_EXPECT_STR(rows("SELECT DISTINCT k.run_id, c.path FROM coding k"
                     " JOIN code c ON c.id = k.code_id"),
                "2|t/two\n");
  cr_expect_eq(th_count(st, "coding"), 3);
  cr_expect_eq(th_count(st, "memo"), 2, "only codings are replaced");
  cr_assert_eq(command(run_words, "coder code=t/three fail=true"), THEMA_ERUNTIME);
  TH_EXPECT_STR(rows("SELECT id, status FROM run ORDER BY id"),
                "1|replaced\n2|ok\n3|failed\n");
  TH_EXPECT_STR(rows("SELECT DISTINCT run_id FROM coding"), "2\n");
  cr_expect_eq(th_count(st, "coding"), 3, "the failed run replaced nothing");
  TH_EXPECT_STR(rows("SELECT count(*) FROM code WHERE path = 't/three'"), "0\n");
}

Test(run, a_run_failing_inside_a_script_is_rolled_back_while_the_script_goes_on) {
  import_study();
  RUN_OK(run_script, "thema.add_memo{ target = 'project', text = 'before' }\n"
                     "local ok, err = pcall(thema.run, 'coder', { fail = true })\n"
                     "assert(not ok and err:find('failed after 3 codings', 1, true), err)\n"
                     "assert(thema.count_codings() == 0, 'its codings are gone')\n"
                     "assert(thema.count_runs() == 0, 'not recorded inside the script')\n"
                     "thema.add_memo{ target = 'project', text = 'after' }\n");
  TH_EXPECT_STR(rows("SELECT text FROM memo ORDER BY id"), "before\nafter\n");
  TH_EXPECT_STR(rows("SELECT plugin, status FROM run"), "coder|failed\n");
  cr_expect_eq(th_count(st, "coding"), 0);
}

Test(run, runs_nest_through_thema_run_each_with_its_own_savepoint) {
  import_study();
  RUN_OK(run_script,
         "local id, r = thema.run('outer')\n"
         "assert(r.inner_ok, r.inner)\n"
         "assert(r.outer == id and r.inner == id + 1, 'the inner run is a run')\n");
  TH_EXPECT_STR(rows("SELECT id, plugin, status FROM run ORDER BY id"),
                "1|outer|ok\n2|coder|ok\n");
  TH_EXPECT_STR(rows("SELECT k.run_id, c.path, count(*) FROM coding k"
                     " JOIN code c ON c.id = k.code_id GROUP BY 1, 2 ORDER BY 1"),
                "1|t/outer|1\n2|t/inner|3\n");
  TH_EXPECT_STR(rows("SELECT text FROM memo ORDER BY id"),
                "outer before\ncoded 3\nouter after\n");
}

Test(run, an_inner_run_that_fails_is_rolled_back_alone_and_recorded_after) {
  import_study();
  RUN_OK(run_script, "local id, r = thema.run('outer', { inner_fail = true })\n"
                     "assert(not r.inner_ok and r.inner:find('failed after 3', 1, true))\n"
                     "assert(thema.count_codings() == 1, 'the outer coding only')\n");
  TH_EXPECT_STR(rows("SELECT id, plugin, status FROM run ORDER BY id"),
                "1|outer|ok\n2|coder|failed\n");
  TH_EXPECT_STR(rows("SELECT run_id FROM coding"), "1\n");
  TH_EXPECT_STR(rows("SELECT text FROM memo ORDER BY id"), "outer before\nouter after\n");
}

Test(run, an_outer_run_that_fails_takes_its_inner_runs_with_it) {
  import_study();
  cr_assert_eq(command(run_words, "outer fail=true"), THEMA_ERUNTIME);
  cr_expect_eq(th_count(st, "coding"), 0);
  cr_expect_eq(th_count(st, "memo"), 0);
  TH_EXPECT_STR(rows("SELECT plugin, status FROM run"), "outer|failed\n");
}

Test(run, errors_before_the_run_starts_record_nothing) {
  import_study();
  cr_assert_eq(command(run_words, "coder bogus=1"), THEMA_EUSAGE);
  cr_expect_str_eq(msg, "coder: unknown parameter 'bogus'; accepted: code, fail");
  cr_assert_eq(command(run_words, "no_such_plugin"), THEMA_EUSAGE);
  cr_expect(strstr(msg, "no plugin named 'no_such_plugin' in ") == msg, "%s", msg);
  cr_assert_eq(command(run_words, "../pp/coder"), THEMA_EUSAGE);
  cr_expect_str_eq(msg,
                   "bad plugin name '../pp/coder': a plugin is named by letters, "
                   "digits, '_' and '-' (its file name without .lua), never by a path");
  cr_expect_eq(th_count(st, "run"), 0);
}
