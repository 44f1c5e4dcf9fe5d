/*
 * test_store.c — the SQLite store (core/store.c): creation and migration,
 * pragmas, transactions, the statement cache, bound execution with every
 * type letter, named rows, read-only opening, and the segment FTS index.
 */
#include "helpers.h"
#include "store/case.h"
#include "store/source.h"

/* Each test gets its own scratch directory and store; both are released by fini. */
static char *dir;
static ThemaStore *st;

static void setup(void) { th_scratch_open(&dir, &st); }

static void teardown(void) { th_scratch_close(&dir, &st); }

static void db_path(char *out, size_t n) { snprintf(out, n, "%s/thema.db", dir); }

/* Open the store at dir/thema.db with flags; asserts success. */
static ThemaStore *reopen(int flags) {
  char path[512];
  db_path(path, sizeof path);
  ThemaStore *s = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_store_open(path, flags, &s, &err), THEMA_OK, "%s", err.msg);
  cr_assert_not_null(s);
  return s;
}

/* A source row the FTS tests can hang segments off. */
static int64_t add_source(ThemaStore *s, const char *name) {
  int64_t id = 0;
  ThemaError err = {0};
  cr_assert_eq(
      thema_store_exec_id(s, &err, &id,
                          "INSERT INTO source(name, kind, format, path, hash, text,"
                          " length, imported_at) VALUES (?, 'transcript', 'txt', ?,"
                          " 'h', '', 0, 'now') RETURNING id",
                          "tt", name, name),
      THEMA_OK, "%s", err.msg);
  cr_assert_gt(id, 0);
  return id;
}

static int64_t add_segment(ThemaStore *s, int64_t source, int64_t ordinal,
                           const char *text) {
  int64_t id = 0;
  ThemaError err = {0};
  cr_assert_eq(
      thema_store_exec_id(s, &err, &id,
                          "INSERT INTO segment(source_id, ordinal, start, end, text)"
                          " VALUES (?, ?, 0, 0, ?) RETURNING id",
                          "iit", source, ordinal, text),
      THEMA_OK, "%s", err.msg);
  /* As an importer does once per source: index what was stored. */
  cr_assert_eq(thema_store_exec(s, &err,
                                "INSERT INTO segment_fts(rowid, text) VALUES (?, ?)", "it",
                                id, text),
               THEMA_OK, "%s", err.msg);
  return id;
}

static long long fts_count(ThemaStore *s, const char *query) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH '%s'",
           query);
  return th_int(s, sql);
}

TestSuite(store, .init = setup, .fini = teardown);

/* ---- opening and migrating ---- */

Test(store, create_sets_the_latest_schema_version) {
  cr_assert_eq(th_int(st, "PRAGMA user_version"), THEMA_SCHEMA_VERSION);
  cr_assert_eq(THEMA_SCHEMA_VERSION, 4);
  /* The schema is there: every entity table exists. */
  static const char *const tables[] = {
      "source",  "attribute", "organisation", "network",   "membership",  "person",
      "speaker", "segment",   "segment_fts",  "indicator", "observation", "codebook",
      "code",    "code_rule", "run",          "coding",    "memo"};
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'",
             tables[i]);
    cr_expect_eq(th_int(st, sql), 1, "table %s is missing", tables[i]);
  }
}

Test(store, journal_mode_is_wal) {
  char *mode = th_text(st, "PRAGMA journal_mode");
  cr_assert_str_eq(mode, "wal");
  free(mode);
}

Test(store, foreign_keys_are_on) {
  cr_assert_eq(th_int(st, "PRAGMA foreign_keys"), 1);
  /* And enforced: a segment of a source that does not exist is refused. */
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err,
                                "INSERT INTO segment(source_id, ordinal, start, end, text)"
                                " VALUES (999, 1, 0, 0, 'x')",
                                ""),
               THEMA_ERUNTIME);
  cr_expect(strstr(err.msg, "FOREIGN KEY") != NULL, "%s", err.msg);
}

Test(store, deleting_a_source_cascades_to_segments_and_speakers) {
  int64_t src = add_source(st, "s1");
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err,
                                "INSERT INTO speaker(source_id, label) VALUES (?, 'R1')",
                                "i", src),
               THEMA_OK, "%s", err.msg);
  add_segment(st, src, 1, "eerste");
  cr_assert_eq(thema_store_exec(st, &err, "DELETE FROM source WHERE id = ?", "i", src),
               THEMA_OK, "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment"), 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM speaker"), 0);
}

Test(store, reopen_keeps_data_and_migrates_nothing) {
  add_source(st, "kept");
  long long objects = th_int(st, "SELECT count(*) FROM sqlite_master");
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "PRAGMA user_version"), THEMA_SCHEMA_VERSION);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source WHERE name = 'kept'"), 1);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM sqlite_master"), objects);
  /* Reopening with CREATE on an existing store is the same. */
  thema_store_close(st);
  st = reopen(THEMA_STORE_CREATE);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source WHERE name = 'kept'"), 1);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM sqlite_master"), objects);
}

Test(store, newer_schema_version_is_refused) {
  th_exec(st, "PRAGMA user_version = 99");
  thema_store_close(st);
  st = NULL;
  char path[512];
  db_path(path, sizeof path);
  ThemaStore *s = (ThemaStore *)1;
  ThemaError err = {0};
  cr_assert_eq(thema_store_open(path, 0, &s, &err), THEMA_EINPUT);
  cr_expect_null(s);
  cr_expect(strstr(err.msg, path) == err.msg, "%s", err.msg);
  cr_expect(strstr(err.msg, "schema version 99") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "upgrade thema") != NULL, "%s", err.msg);
}

Test(store, missing_file_is_not_created_without_create_flag) {
  char path[600];
  snprintf(path, sizeof path, "%s/absent.db", dir);
  static const int flags[] = {0, THEMA_STORE_MUST_EXIST, THEMA_STORE_READONLY};
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
    ThemaStore *s = NULL;
    ThemaError err = {0};
    cr_expect_eq(thema_store_open(path, flags[i], &s, &err), THEMA_EINPUT, "flags %d",
                 flags[i]);
    cr_expect_null(s);
    cr_expect(strstr(err.msg, "cannot open store") != NULL, "%s", err.msg);
    cr_expect_eq(access(path, F_OK), -1, "flags %d created %s", flags[i], path);
  }
}

Test(store, a_file_that_is_not_sqlite_is_refused) {
  char *p = TH_WRITE(dir, "notes.db", "this is not a database, just some text\n");
  ThemaStore *s = NULL;
  ThemaError err = {0};
  cr_assert_neq(thema_store_open(p, 0, &s, &err), THEMA_OK);
  cr_expect_null(s);
  cr_expect(strstr(err.msg, p) == err.msg, "%s", err.msg);
  free(p);
}

Test(store, path_is_kept) {
  char path[512];
  db_path(path, sizeof path);
  cr_assert_str_eq(thema_store_path(st), path);
}

/* ---- transactions ---- */

Test(store, rollback_leaves_no_rows) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK, "%s", err.msg);
  int64_t id = 0;
  cr_assert_eq(thema_store_ensure_name(st, "network", "Leren", &id, &err), THEMA_OK);
  cr_assert_eq(th_int(st, "SELECT count(*) FROM network"), 1);
  thema_store_rollback(st);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM network"), 0);
}

Test(store, rollback_with_an_active_cached_statement) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  add_source(st, "a");
  add_source(st, "b");
  /* A cached statement stepped once and left mid-result. */
  sqlite3_stmt *q = thema_store_stmt(st, "SELECT id FROM source ORDER BY id", &err);
  cr_assert_not_null(q);
  cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
  thema_store_rollback(st);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 0);
  /* And the store is usable for a new transaction. */
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK, "%s", err.msg);
  add_source(st, "c");
  cr_assert_eq(thema_store_commit(st, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 1);
}

Test(store, commit_keeps_rows_for_other_connections) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  add_source(st, "committed");
  cr_assert_eq(thema_store_commit(st, &err), THEMA_OK, "%s", err.msg);
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source WHERE name = 'committed'"), 1);
}

Test(store, close_with_open_transaction_rolls_back) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  add_source(st, "uncommitted");
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 0);
}

Test(store, begin_twice_is_one_transaction) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK, "%s", err.msg);
  add_source(st, "x");
  thema_store_rollback(st);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 0);
}

Test(store, rollback_and_commit_without_transaction_are_harmless) {
  ThemaError err = {0};
  thema_store_rollback(st);
  cr_assert_eq(thema_store_commit(st, &err), THEMA_OK);
  add_source(st, "autocommit");
  thema_store_rollback(st); /* nothing open: the autocommitted row stays */
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 1);
}

/* ---- statement cache ---- */

Test(store, statement_cache_returns_the_same_statement) {
  ThemaError err = {0};
  const char *sql = "SELECT count(*) FROM source";
  sqlite3_stmt *a = thema_store_stmt(st, sql, &err);
  cr_assert_not_null(a, "%s", err.msg);
  /* The same text in another buffer is the same statement. */
  char *copy = strdup(sql);
  sqlite3_stmt *b = thema_store_stmt(st, copy, &err);
  free(copy);
  cr_expect_eq(a, b);
  sqlite3_stmt *c = thema_store_stmt(st, "SELECT count(*) FROM segment", &err);
  cr_expect_neq(a, c);
  cr_expect_eq(thema_store_stmt(st, sql, &err), a);
}

Test(store, cached_statement_is_reset_and_unbound) {
  ThemaError err = {0};
  const char *sql = "SELECT ?1";
  sqlite3_stmt *q = thema_store_stmt(st, sql, &err);
  cr_assert_not_null(q);
  sqlite3_bind_int(q, 1, 7);
  cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
  cr_assert_eq(sqlite3_column_int(q, 0), 7);
  /* Handed out again mid-result: reset, and the old binding is gone. */
  q = thema_store_stmt(st, sql, &err);
  cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
  cr_expect_eq(sqlite3_column_type(q, 0), SQLITE_NULL);
  sqlite3_reset(q);
}

Test(store, bad_sql_is_an_error_not_a_statement) {
  ThemaError err = {0};
  cr_assert_null(thema_store_stmt(st, "SELEKT nothing", &err));
  cr_expect_eq(err.status, THEMA_ERUNTIME);
  cr_expect(strstr(err.msg, "cannot prepare statement") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "syntax error") != NULL, "%s", err.msg);
  ThemaError err2 = {0};
  cr_expect_eq(thema_store_exec(st, &err2, "SELECT * FROM no_such_table", ""),
               THEMA_ERUNTIME);
  cr_expect(strstr(err2.msg, "no_such_table") != NULL, "%s", err2.msg);
}

/* ---- bound execution ---- */

/* The type and text of column col in row rowid of scratch table t. */
static char *cell(const char *col, int64_t rowid) {
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT typeof(%s) || ':' || ifnull(%s, '') FROM t WHERE rowid = %lld", col, col,
           (long long)rowid);
  return th_text(st, sql);
}

Test(store, exec_binds_every_type_letter) {
  ThemaError err = {0};
  cr_assert_eq(
      thema_store_exec(st, &err, "CREATE TEMP TABLE t(a, b, c, d, e, f, g, h, k)", ""),
      THEMA_OK, "%s", err.msg);
  char slice[] = "abcdef";
  const char *nul = NULL;
  cr_assert_eq(thema_store_exec(st, &err,
                                "INSERT INTO t(rowid, a, b, c, d, e, f, g, h, k)"
                                " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                "iIIdttsxn", (int64_t)42, (int64_t)0, (int64_t)7, 2.5,
                                "co\xC3\xB6rdinatie", nul, "static", slice, (size_t)3),
               THEMA_OK, "%s", err.msg);
  static const struct {
    const char *col, *want;
  } want[] = {
      {"a", "integer:42"},              /* i */
      {"b", "null:"},                   /* I with 0 */
      {"c", "integer:7"},               /* I with a value */
      {"d", "real:2.5"},                /* d */
      {"e", "text:co\xC3\xB6rdinatie"}, /* t */
      {"f", "null:"},                   /* t with NULL */
      {"g", "text:static"},             /* s */
      {"h", "text:abc"},                /* x: the first 3 bytes only */
      {"k", "null:"},                   /* n: takes no argument */
  };
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    char *got = cell(want[i].col, 1);
    cr_expect_str_eq(got, want[i].want, "column %s", want[i].col);
    free(got);
  }
}

Test(store, exec_int64_is_not_truncated) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err, "CREATE TEMP TABLE t(a, b)", ""), THEMA_OK);
  int64_t big = INT64_C(9007199254740993); /* 2^53 + 1: not a double */
  cr_assert_eq(thema_store_exec(st, &err, "INSERT INTO t(rowid, a, b) VALUES (1, ?, ?)",
                                "iI", big, -big),
               THEMA_OK, "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT a FROM t"), big);
  cr_expect_eq(th_int(st, "SELECT b FROM t"), -big);
}

Test(store, id_returns_the_first_column_of_the_first_row) {
  ThemaError err = {0};
  int64_t id = -1;
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT 5 UNION ALL SELECT 6", ""),
               THEMA_OK);
  cr_expect_eq(id, 5);
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT ? * 2", "i", (int64_t)21),
               THEMA_OK);
  cr_expect_eq(id, 42);
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT ? + 0.0 > 1", "d", 1.5),
               THEMA_OK);
  cr_expect_eq(id, 1);
  cr_assert_eq(
      thema_store_exec_id(st, &err, &id, "SELECT length(?)", "x", "abcdef", (size_t)4),
      THEMA_OK);
  cr_expect_eq(id, 4);
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT length(?)", "s", "hello"),
               THEMA_OK);
  cr_expect_eq(id, 5);
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT ? IS NULL", "n"), THEMA_OK);
  cr_expect_eq(id, 1);
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT ? IS NULL", "I", (int64_t)0),
               THEMA_OK);
  cr_expect_eq(id, 1);
  cr_assert_eq(
      thema_store_exec_id(st, &err, &id, "SELECT ? IS NULL", "t", (const char *)NULL),
      THEMA_OK);
  cr_expect_eq(id, 1);
}

Test(store, id_without_a_row_is_zero_and_ok) {
  ThemaError err = {0};
  int64_t id = 77;
  cr_assert_eq(thema_store_exec_id(st, &err, &id, "SELECT id FROM source WHERE name = ?",
                                   "t", "absent"),
               THEMA_OK);
  cr_expect_eq(id, 0);
  cr_expect_eq(err.status, THEMA_OK);
}

Test(store, id_leaves_the_statement_reusable) {
  /* A multi-row query stopped after the first row must not stay busy. */
  add_source(st, "a");
  add_source(st, "b");
  ThemaError err = {0};
  int64_t id = 0;
  const char *sql = "SELECT id FROM source ORDER BY id";
  cr_assert_eq(thema_store_exec_id(st, &err, &id, sql, ""), THEMA_OK);
  cr_assert_eq(thema_store_exec_id(st, &err, &id, sql, ""), THEMA_OK);
  cr_expect_eq(id, 1);
  /* A busy reader would make this commit fail. */
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  add_source(st, "c");
  cr_assert_eq(thema_store_commit(st, &err), THEMA_OK, "%s", err.msg);
}

Test(store, unknown_type_letter_is_an_error) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err, "SELECT ?", "z", 1), THEMA_ERUNTIME);
  cr_expect(strstr(err.msg, "cannot bind") != NULL, "%s", err.msg);
}

Test(store, constraint_violation_is_a_runtime_error) {
  add_source(st, "dup");
  ThemaError err = {0};
  int64_t id = 0;
  cr_assert_eq(
      thema_store_exec_id(st, &err, &id,
                          "INSERT INTO source(name, kind, format, path, hash, text,"
                          " length, imported_at) VALUES ('dup', 'transcript', 'txt',"
                          " 'p', 'h', '', 0, 'now') RETURNING id",
                          ""),
      THEMA_ERUNTIME);
  cr_expect(strstr(err.msg, "UNIQUE") != NULL, "%s", err.msg);
  /* The statement was reset: the store still works. */
  add_source(st, "other");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 2);
}

Test(store, error_keeps_the_first_message) {
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err, "SELECT * FROM first_missing", ""),
               THEMA_ERUNTIME);
  thema_store_exec(st, &err, "SELECT * FROM second_missing", "");
  cr_expect(strstr(err.msg, "first_missing") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "second_missing") == NULL, "%s", err.msg);
}

/* ---- named rows ---- */

Test(store, name_id_is_idempotent) {
  static const char *const tables[] = {"organisation", "network", "indicator"};
  for (size_t i = 0; i < 3; i++) {
    ThemaError err = {0};
    int64_t a = 0, b = 0, c = 0;
    cr_assert_eq(thema_store_ensure_name(st, tables[i], "Gent", &a, &err), THEMA_OK, "%s",
                 err.msg);
    cr_assert_eq(thema_store_ensure_name(st, tables[i], "Gent", &b, &err), THEMA_OK);
    cr_assert_eq(thema_store_ensure_name(st, tables[i], "Sint-Ni\xC3\xABn", &c, &err),
                 THEMA_OK);
    cr_expect_gt(a, 0, "%s", tables[i]);
    cr_expect_eq(a, b, "%s: same name, same id", tables[i]);
    cr_expect_neq(a, c, "%s: other name, other id", tables[i]);
    cr_expect_eq(th_count(st, tables[i]), 2, "%s", tables[i]);
  }
}

Test(store, name_id_is_case_sensitive) {
  ThemaError err = {0};
  int64_t a = 0, b = 0;
  cr_assert_eq(thema_store_ensure_name(st, "network", "leren", &a, &err), THEMA_OK);
  cr_assert_eq(thema_store_ensure_name(st, "network", "Leren", &b, &err), THEMA_OK);
  cr_expect_neq(a, b);
}

Test(store, name_id_refuses_other_tables) {
  ThemaError err = {0};
  int64_t id = 5;
  cr_assert_eq(thema_store_ensure_name(st, "source", "x", &id, &err), THEMA_ERUNTIME);
  cr_expect(strstr(err.msg, "no named table source") != NULL, "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 0);
}

/* ---- read-only ---- */

Test(store, readonly_open_refuses_writes) {
  add_source(st, "existing");
  thema_store_close(st);
  st = reopen(THEMA_STORE_READONLY);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 1, "reads work");
  ThemaError err = {0};
  int64_t id = 0;
  cr_expect_eq(thema_store_ensure_name(st, "network", "n", &id, &err), THEMA_ERUNTIME);
  ThemaError err2 = {0};
  cr_expect_eq(thema_store_exec(st, &err2, "DELETE FROM source", ""), THEMA_ERUNTIME);
  cr_expect(strstr(err2.msg, "readonly") != NULL || strstr(err2.msg, "read-only") != NULL ||
                strstr(err2.msg, "query_only") != NULL ||
                strstr(err2.msg, "read only") != NULL,
            "%s", err2.msg);
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 1, "nothing was deleted");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM network"), 0, "nothing was inserted");
}

Test(store, readonly_open_refuses_an_old_schema_without_migrating) {
  /* A read-only open never writes, not even a migration: it refuses a store
   * that would need one, and says how to migrate it. */
  th_exec(st, "PRAGMA user_version = 0");
  thema_store_close(st);
  st = NULL;
  char path[512];
  db_path(path, sizeof path);
  ThemaStore *ro = NULL;
  ThemaError err = {0};
  cr_expect_eq(thema_store_open(path, THEMA_STORE_READONLY, &ro, &err), THEMA_EINPUT);
  cr_expect_null(ro);
  cr_expect(strstr(err.msg, "thema init") != NULL, "%s", err.msg);
  sqlite3 *db = NULL;
  cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *q = NULL;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
  cr_expect_eq(sqlite3_step(q), SQLITE_ROW);
  cr_expect_eq(sqlite3_column_int(q, 0), 0, "the store was not touched");
  sqlite3_finalize(q);
  sqlite3_close(db);
}

Test(store, readonly_open_refuses_a_newer_schema) {
  th_exec(st, "PRAGMA user_version = 7");
  thema_store_close(st);
  st = NULL;
  char path[512];
  db_path(path, sizeof path);
  ThemaError err = {0};
  cr_expect_eq(thema_store_open(path, THEMA_STORE_READONLY, &st, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "newer") != NULL, "%s", err.msg);
}

/* ---- full-text index ---- */

Test(store, a_readonly_open_leaves_no_wal_files_behind) {
  /* A researcher copies thema.db alone: nothing may stay in -wal/-shm. */
  add_source(st, "kept");
  thema_store_close(st);
  st = reopen(THEMA_STORE_READONLY);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source"), 1);
  thema_store_close(st);
  st = NULL;
  char path[512], side[600];
  db_path(path, sizeof path);
  snprintf(side, sizeof side, "%s-wal", path);
  cr_expect_neq(access(side, F_OK), 0, "%s is left behind", side);
  snprintf(side, sizeof side, "%s-shm", path);
  cr_expect_neq(access(side, F_OK), 0, "%s is left behind", side);
}

Test(store, a_new_store_has_16k_pages) {
  /* Larger pages halve the syscalls of WAL's double write on bulk imports. */
  cr_expect_eq(th_int(st, "PRAGMA page_size"), 16384);
}

Test(store, a_version_1_store_migrates_without_the_insert_trigger) {
  /* Version 1 indexed segments by trigger; version 2 drops it. */
  th_exec(st, "CREATE TRIGGER segment_fts_insert AFTER INSERT ON segment BEGIN"
              " INSERT INTO segment_fts(rowid, text) VALUES (new.id, new.text); END;"
              " PRAGMA user_version = 1;");
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "PRAGMA user_version"), THEMA_SCHEMA_VERSION);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                          " AND name = 'segment_fts_insert'"),
               0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                          " AND name = 'segment_fts_delete'"),
               1, "deletes still sync");
}

Test(store, a_version_2_store_migrates_to_the_visible_coding_view) {
  th_exec(st, "DROP VIEW visible_coding; PRAGMA user_version = 2;");
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "PRAGMA user_version"), THEMA_SCHEMA_VERSION);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'view'"
                          " AND name = 'visible_coding'"),
               1);
}

/* Turn the open store back into what version 3 was: attribute's CHECK
 * without 'segment', no affiliation table, no segment attribute trigger. */
static void make_version_3(ThemaStore *s) {
  th_exec(s, "DROP TRIGGER segment_attribute_delete; DROP TABLE affiliation;"
             " CREATE TABLE attribute_v3 (entity TEXT NOT NULL CHECK (entity IN"
             " ('source', 'person', 'organisation')), entity_id INTEGER NOT NULL,"
             " key TEXT NOT NULL, value TEXT, PRIMARY KEY (entity, entity_id, key))"
             " WITHOUT ROWID; DROP TABLE attribute;"
             " ALTER TABLE attribute_v3 RENAME TO attribute; PRAGMA user_version = 3;");
}

Test(store, a_version_3_store_migrates_keeping_every_attribute) {
  int64_t src = add_source(st, "a");
  th_exec(st,
          "INSERT INTO person(name) VALUES ('jan');"
          " INSERT INTO segment(source_id, ordinal, start, end, text) SELECT id, 1, 0, 4,"
          " 'tekst' FROM source WHERE name = 'a';"
          " INSERT INTO segment_fts(rowid, text) SELECT id, text FROM segment;");
  make_version_3(st);
  th_exec(st, "INSERT INTO attribute VALUES ('source', 1, 'place', 'Gent'),"
              " ('person', 1, 'born', '1970'), ('person', 1, 'gender', NULL)");
  cr_assert_eq(src, 1);
  thema_store_close(st);
  st = reopen(0);
  cr_expect_eq(th_int(st, "PRAGMA user_version"), 4);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM attribute"), 3, "every row is kept");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM attribute WHERE entity = 'person'"
                          " AND key = 'gender' AND value IS NULL"),
               1);
  th_exec(st, "INSERT INTO attribute VALUES ('segment', 1, 'lang', 'fr')");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM attribute WHERE entity = 'segment'"), 1);
  /* A segment's attributes go with it. */
  th_exec(st, "DELETE FROM segment");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM attribute WHERE entity = 'segment'"), 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM attribute"), 3);
  th_exec(st, "INSERT INTO organisation(name) VALUES ('CD&V');"
              " INSERT INTO affiliation(person_id, organisation_id, valid_from, valid_to)"
              " VALUES (1, 1, '2019-01-01', NULL)");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM affiliation"), 1);
}

Test(store, readonly_open_of_a_version_3_store_says_to_run_init) {
  make_version_3(st);
  thema_store_close(st);
  st = NULL;
  char path[512];
  db_path(path, sizeof path);
  ThemaStore *ro = NULL;
  ThemaError err = {0};
  cr_expect_eq(thema_store_open(path, THEMA_STORE_READONLY, &ro, &err), THEMA_EINPUT);
  cr_expect_null(ro);
  cr_expect(strstr(err.msg, "version 3") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "thema init") != NULL, "%s", err.msg);
}

/* One rule for which codings count: a human coder's and those of runs that
 * succeeded (or are running); never a failed or replaced run's. */
Test(store, visible_coding_shows_human_ok_and_running_codings_only) {
  int64_t src = add_source(st, "a");
  (void)src;
  th_exec(st,
          "INSERT INTO segment(source_id, ordinal, start, end, text) SELECT id, 1, 0, 4,"
          " 'tekst' FROM source WHERE name = 'a';"
          "INSERT INTO code(name, path, origin) VALUES ('c', 'c', 'manual');"
          "INSERT INTO run(id, plugin, started_at, status) VALUES"
          " (1, 'p', 't', 'ok'), (2, 'p', 't', 'failed'), (3, 'p', 't', 'replaced'),"
          " (4, 'q', 't', 'running');"
          "INSERT INTO coding(code_id, segment_id, start, end, run_id, coder)"
          " SELECT c.id, g.id, 0, 4, r, k FROM code c, segment g, (SELECT 1 AS r, NULL AS k"
          " UNION ALL SELECT 2, NULL UNION ALL SELECT 3, NULL UNION ALL SELECT 4, NULL"
          " UNION ALL SELECT NULL, 'anna');");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM coding"), 5);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM visible_coding"), 3);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM visible_coding WHERE run_id IN (2, 3)"), 0);
}

Test(store, source_index_adds_every_segment_of_one_source) {
  int64_t a = add_source(st, "a"), b = add_source(st, "b");
  ThemaError err = {0};
  /* rows stored without indexing, as the importers store them */
  th_exec(st,
          "INSERT INTO segment(source_id, ordinal, start, end, text) SELECT id, 1, 0, 0,"
          " 'overleg met de stad' FROM source WHERE name = 'a'");
  th_exec(st,
          "INSERT INTO segment(source_id, ordinal, start, end, text) SELECT id, 1, 0, 0,"
          " 'overleg elders' FROM source WHERE name = 'b'");
  cr_assert_eq(fts_count(st, "overleg"), 0);
  cr_assert_eq(thema_source_index(st, a, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(fts_count(st, "overleg"), 1, "only source a");
  cr_assert_eq(thema_source_index(st, b, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(fts_count(st, "overleg"), 2);
  th_exec(st, "INSERT INTO segment_fts(segment_fts) VALUES ('integrity-check')");
}

Test(store, fts_finds_an_inserted_segment) {
  int64_t src = add_source(st, "s");
  add_segment(st, src, 1, "De co\xC3\xB6rdinatie tussen gemeenten loopt stroef.");
  add_segment(st, src, 2, "Het caf\xC3\xA9 op de hoek.");
  cr_expect_eq(fts_count(st, "gemeenten"), 1);
  cr_expect_eq(fts_count(st, "co\xC3\xB6rdinatie"), 1);
  cr_expect_eq(fts_count(st, "coordinatie"), 1, "diacritics are removed");
  cr_expect_eq(fts_count(st, "cafe"), 1);
  cr_expect_eq(fts_count(st, "CAF\xC3\x89"), 1, "case folded");
  cr_expect_eq(fts_count(st, "stroef"), 1);
  cr_expect_eq(fts_count(st, "hoek OR stroef"), 2);
  cr_expect_eq(fts_count(st, "samenwerking"), 0);
  cr_expect_eq(th_int(st, "SELECT rowid FROM segment_fts WHERE segment_fts MATCH 'cafe'"),
               th_int(st, "SELECT id FROM segment WHERE ordinal = 2"));
}

Test(store, fts_forgets_a_deleted_segment) {
  int64_t src = add_source(st, "s");
  int64_t a = add_segment(st, src, 1, "co\xC3\xB6rdinatie");
  add_segment(st, src, 2, "andere co\xC3\xB6rdinatie");
  cr_assert_eq(fts_count(st, "coordinatie"), 2);
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err, "DELETE FROM segment WHERE id = ?", "i", a),
               THEMA_OK, "%s", err.msg);
  cr_expect_eq(fts_count(st, "coordinatie"), 1);
  cr_expect_eq(fts_count(st, "andere"), 1);
  /* The index stays consistent with its content table. */
  th_exec(st, "INSERT INTO segment_fts(segment_fts) VALUES ('integrity-check')");
}

Test(store, fts_forgets_segments_of_a_deleted_source) {
  int64_t src = add_source(st, "s");
  add_segment(st, src, 1, "co\xC3\xB6rdinatie");
  ThemaError err = {0};
  cr_assert_eq(thema_store_exec(st, &err, "DELETE FROM source WHERE id = ?", "i", src),
               THEMA_OK, "%s", err.msg);
  cr_expect_eq(fts_count(st, "coordinatie"), 0);
  th_exec(st, "INSERT INTO segment_fts(segment_fts) VALUES ('integrity-check')");
}

Test(store, fts_rollback_undoes_the_index_too) {
  int64_t src = add_source(st, "s");
  ThemaError err = {0};
  cr_assert_eq(thema_store_begin(st, &err), THEMA_OK);
  add_segment(st, src, 1, "co\xC3\xB6rdinatie");
  cr_assert_eq(fts_count(st, "coordinatie"), 1);
  thema_store_rollback(st);
  cr_expect_eq(fts_count(st, "coordinatie"), 0);
}

/* ---- time ---- */

Test(store, now_is_iso8601_utc) {
  char now[32];
  thema_store_now(now);
  cr_assert_eq(strlen(now), 20, "%s", now);
  int y, mo, d, h, mi, s;
  char z;
  cr_assert_eq(sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z), 7,
               "%s", now);
  cr_expect_eq(z, 'Z');
  cr_expect_geq(y, 2024);
  cr_expect(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61, "%s",
            now);
}
