/*
 * store.c — opens the SQLite store, applies forward migrations, and wraps
 * transactions and prepared statements so that every command runs in exactly
 * one transaction and every statement is prepared once.
 *
 * The schema text comes from schema.sql, embedded at build time as a C string.
 */
#include "store/store.h"

#include <stdint.h>

#include "store/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char schema_v1[] =
#include "schema.inc"
    ;

/* Version 2: segments enter the full-text index once per source, from the
 * importer, instead of through a per-row trigger. With the trigger every
 * INSERT ran as a statement with its own savepoint, at which FTS5 flushes its
 * pending index: one index write per row, and five times slower imports. */
static const char schema_v2[] = "DROP TRIGGER segment_fts_insert;";

/* Version 3: which codings count is one view, not a condition copied into
 * every query: a human coder's codings, and those of runs that succeeded or
 * are running (inside their own transaction; a run that fails is rolled
 * back, so "running" is never seen from outside it). */
static const char schema_v3[] =
    "CREATE VIEW IF NOT EXISTS visible_coding AS SELECT k.* FROM coding k WHERE k.run_id IS NULL"
    " OR k.run_id IN (SELECT id FROM run WHERE status IN ('ok', 'running'));";

/* Version 4: attributes on segments (the language of an utterance, an agenda
 * topic) and a person's organisation over time. SQLite cannot alter a CHECK,
 * so table attribute is rebuilt with every row kept; a segment's attributes
 * go with it (re-cutting or replacing a source deletes segments). An
 * affiliation holds from valid_from to valid_to, both ISO dates and
 * inclusive, NULL for open; a source's date picks the one its turns speak
 * for (store/query.c), the person's own organisation otherwise. */
static const char schema_v4[] =
    "DROP TRIGGER IF EXISTS segment_attribute_delete;"
    "CREATE TABLE attribute_v4 ("
    " entity TEXT NOT NULL CHECK (entity IN ('source', 'segment', 'person', 'organisation')),"
    " entity_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT,"
    " PRIMARY KEY (entity, entity_id, key)) WITHOUT ROWID;"
    "INSERT INTO attribute_v4(entity, entity_id, key, value)"
    " SELECT entity, entity_id, key, value FROM attribute;"
    "DROP TABLE attribute;"
    "ALTER TABLE attribute_v4 RENAME TO attribute;"
    "CREATE TRIGGER segment_attribute_delete AFTER DELETE ON segment BEGIN"
    " DELETE FROM attribute WHERE entity = 'segment' AND entity_id = old.id; END;"
    "CREATE TABLE IF NOT EXISTS affiliation ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " organisation_id INTEGER NOT NULL REFERENCES organisation(id),"
    " role TEXT, valid_from TEXT, valid_to TEXT,"
    " CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to));"
    "CREATE INDEX IF NOT EXISTS affiliation_by_person ON affiliation(person_id, valid_from);";

/* Forward migrations: migrations[i] takes user_version i to i + 1. */
static const char *const migrations[] = {schema_v1, schema_v2, schema_v3, schema_v4};

typedef struct StmtCacheEntry {
  char *sql;          /* a copy of the SQL text, owned */
  uint32_t hash;      /* FNV-1a of sql, checked before comparing texts */
  sqlite3_stmt *stmt; /* owned by the cache */
} StmtCacheEntry;

struct ThemaStore {
  sqlite3 *db;           /* the connection */
  char *path;            /* file path as given */
  int in_txn;            /* 1 while a command's transaction is open */
  int bulk;              /* 1 while a bulk transaction runs with a rollback journal */
  StmtCacheEntry *cache; /* prepared statements, grown on demand */
  size_t ncache, capcache;
};

int thema_store_db_error(ThemaStore *st, ThemaError *err, const char *what) {
  return thema_error_set(err, THEMA_ERUNTIME, "%s: %s: %s", st->path, what,
                         sqlite3_errmsg(st->db));
}

static int busy_ms = 5000;

void thema_store_set_wait(int milliseconds) {
  busy_ms = milliseconds < 0 ? 0 : milliseconds;
}

/* When the last call failed because another process holds the lock, say who
 * and return 1; else 0. */
static int busy(ThemaStore *st, ThemaError *err) {
  if ((sqlite3_errcode(st->db) & 0xff) != SQLITE_BUSY) return 0;
  char holder[640];
  int known = thema_store_lock_holder(st->path, holder, sizeof holder);
  thema_error_set(
      err, THEMA_ERUNTIME,
      "%s: another command is writing to this store (%s); waited %d s: wait for "
      "it to finish and retry, or give --wait SECONDS",
      st->path, known ? holder : "its process is not known here", busy_ms / 1000);
  return 1;
}

/* The store's schema version (PRAGMA user_version); a file SQLite cannot
 * read as a database is "not a thema store". */
static int read_version(ThemaStore *st, int *version, ThemaError *err) {
  sqlite3_stmt *q = NULL;
  *version = 0;
  int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) *version = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  if (rc != SQLITE_ROW && busy(st, err)) return err->status;
  if (rc != SQLITE_ROW)
    return thema_error_set(err, THEMA_EINPUT, "%s: not a thema store: %s", st->path,
                           sqlite3_errmsg(st->db));
  return THEMA_OK;
}

static const int latest_version = (int)(sizeof migrations / sizeof migrations[0]);

static int newer_than_this(ThemaStore *st, int version, ThemaError *err) {
  return thema_error_set(err, THEMA_EINPUT,
                         "%s: store schema version %d is newer than this thema (%d); "
                         "upgrade thema",
                         st->path, version, latest_version);
}

/* A database with tables but no schema version is someone else's: thema
 * never adds its schema to it. */
static int refuse_foreign(ThemaStore *st, ThemaError *err) {
  sqlite3_stmt *q = NULL;
  int tables = 0;
  if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) ==
          SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    tables = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  if (tables == 0) return THEMA_OK;
  return thema_error_set(err, THEMA_EINPUT,
                         "%s: a SQLite database, but not a thema store (it holds %d "
                         "objects of its own and no thema schema); thema leaves it as it "
                         "is: give another --db",
                         st->path, tables);
}

static int migrate(ThemaStore *st, ThemaError *err) {
  int version;
  if (read_version(st, &version, err)) return err->status;
  if (version > latest_version) return newer_than_this(st, version, err);
  if (version == 0 && refuse_foreign(st, err)) return err->status;
  for (; version < latest_version; version++) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
    char *msg = NULL;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(st->db, migrations[version], NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(st->db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
      thema_error_set(err, THEMA_ERUNTIME, "%s: migration to schema %d failed: %s",
                      st->path, version + 1, msg ? msg : "unknown error");
      sqlite3_free(msg);
      sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
      return err->status;
    }
  }
  return THEMA_OK;
}

/* A read-only open cannot migrate: refuse any version but the current one. */
static int check_version(ThemaStore *st, ThemaError *err) {
  int version;
  if (read_version(st, &version, err)) return err->status;
  if (version == latest_version) return THEMA_OK;
  if (version > latest_version) return newer_than_this(st, version, err);
  return thema_error_set(err, THEMA_EINPUT,
                         version == 0 ? "%s: not a thema store (schema version %d); create "
                                        "one with 'thema init'"
                                      : "%s: store schema version %d is older than this "
                                        "thema; run 'thema init' on it to migrate it",
                         st->path, version);
}

/* What is at path, before SQLite sees it: SQLite would turn a short file of
 * any content into a store and report a directory as a disk I/O error.
 * *exists says whether there is a file to open. */
static int check_file(const char *path, int *exists, ThemaError *err) {
  struct stat sb;
  *exists = 0;
  if (stat(path, &sb) != 0) {
    if (errno == ENOENT) return THEMA_OK;
    return thema_error_set(err, THEMA_EINPUT, "%s: cannot open store: %s", path,
                           errno == ELOOP
                               ? "too many levels of symbolic links (a link loop?)"
                               : strerror(errno));
  }
  if (S_ISDIR(sb.st_mode))
    return thema_error_set(err, THEMA_EINPUT,
                           "%s: is a folder, not a store; give the store's file, e.g. "
                           "--db %s/thema.db",
                           path, path);
  if (!S_ISREG(sb.st_mode))
    return thema_error_set(err, THEMA_EINPUT, "%s: not a regular file, so not a store",
                           path);
  *exists = 1;
  if (sb.st_size == 0) return THEMA_OK; /* an empty file: SQLite's empty database */
  static const char magic[16] = "SQLite format 3";
  char head[16] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return THEMA_OK; /* unreadable: SQLite says why */
  size_t n = fread(head, 1, sizeof head, f);
  fclose(f);
  if (n < sizeof head || memcmp(head, magic, sizeof magic) != 0)
    return thema_error_set(
        err, THEMA_EINPUT,
        "%s: not a SQLite database, so not a thema store; thema does not "
        "overwrite it: give another --db",
        path);
  return THEMA_OK;
}

/* A store on read-only media, or one this user may not write: SQLite in WAL
 * mode would create -wal and -shm files beside it (locking its owner out)
 * or fail where it cannot. Without a write-ahead log there is nothing but
 * the file to read, and "immutable" reads it without any side file. */
static int open_for_reading(const char *path, sqlite3 **db) {
  char wal[4096];
  snprintf(wal, sizeof wal, "%s-wal", path);
  if (access(wal, F_OK) == 0) return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
  ThemaBuf uri = {0};
  thema_buf_puts(&uri, "file:");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
      thema_buf_printf(&uri, "%%%02X", *p);
    else
      thema_buf_putc(&uri, (char)*p);
  }
  thema_buf_puts(&uri, "?immutable=1");
  int rc = sqlite3_open_v2(uri.data, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  thema_buf_free(&uri);
  return rc;
}

int thema_store_open(const char *path, int flags, ThemaStore **out, ThemaError *err) {
  *out = NULL;
  int exists = 0;
  int in_memory = strcmp(path, ":memory:") == 0;
  if (!in_memory && check_file(path, &exists, err)) return err->status;
  ThemaStore *st = thema_xcalloc(1, sizeof *st);
  st->path = thema_xstrdup(path);
  /* A read-only command still opens read-write when it may, with
   * query_only on: as the last connection to close it then removes the WAL
   * files, where a SQLITE_OPEN_READONLY connection would leave them beside
   * the store. A file it may not write is read as it is (open_for_reading). */
  int rc;
  if (!(flags & THEMA_STORE_READONLY) && exists && access(path, W_OK) != 0) {
    thema_error_set(err, THEMA_EINPUT,
                    "%s: cannot write the store: %s; commands that only read it (stats, "
                    "query, kwic, export) still work",
                    path, errno == EROFS ? "it is on read-only media" : strerror(errno));
    thema_store_close(st);
    return err->status;
  }
  if ((flags & THEMA_STORE_READONLY) && exists && access(path, W_OK) != 0) {
    rc = open_for_reading(path, &st->db);
  } else {
    int oflags = SQLITE_OPEN_READWRITE;
    if ((flags & THEMA_STORE_CREATE) && !(flags & THEMA_STORE_READONLY))
      oflags |= SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
  }
  if (rc != SQLITE_OK) {
    thema_error_set(err, THEMA_EINPUT,
                    "%s: cannot open store: %s; create it with 'thema init'", path,
                    st->db ? sqlite3_errmsg(st->db) : "out of memory");
    thema_store_close(st);
    return err->status;
  }
  sqlite3_extended_result_codes(st->db, 1);
  sqlite3_busy_timeout(st->db, busy_ms);
  /* 16 KB pages for a new store (the pragma is a no-op on an existing one):
   * in WAL mode every page is written twice, and larger pages make bulk
   * imports about a fifth faster with a negligible cost for small rows.
   * Temporary storage in memory: an importer's INSERT ... SELECT into the
   * full-text index needs a statement journal, which on disk cost a fifth of
   * a 1 GB import; no query of the core sorts more than one segment's rows. */
  const char *setup = (flags & THEMA_STORE_READONLY)
                          ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
                          : "PRAGMA page_size = 16384;" /* new stores only; see below */
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                            "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                            "PRAGMA cache_size = -16384;";
  char *msg = NULL;
  if (sqlite3_exec(st->db, setup, NULL, NULL, &msg) != SQLITE_OK) {
    if (!busy(st, err))
      thema_error_set(err, THEMA_EINPUT, "%s: not a thema store: %s", path,
                      msg ? msg : "?");
    sqlite3_free(msg);
    thema_store_close(st);
    return err->status;
  }
  if (!(flags & THEMA_STORE_READONLY) ? migrate(st, err) != THEMA_OK
                                      : check_version(st, err) != THEMA_OK) {
    thema_store_close(st);
    return err->status;
  }
  *out = st;
  return THEMA_OK;
}

void thema_store_close(ThemaStore *st) {
  if (!st) return;
  for (size_t i = 0; i < st->ncache; i++) {
    sqlite3_finalize(st->cache[i].stmt);
    free(st->cache[i].sql);
  }
  free(st->cache);
  if (st->in_txn) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(st->db);
  free(st->path);
  free(st);
}

sqlite3 *thema_store_db(ThemaStore *st) { return st->db; }
const char *thema_store_path(const ThemaStore *st) { return st->path; }

static void back_to_wal(ThemaStore *st) {
  if (!st->bulk) return;
  st->bulk = 0;
  sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
}

int thema_store_begin(ThemaStore *st, ThemaError *err) {
  if (st->in_txn) return THEMA_OK;
  if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return busy(st, err) ? err->status
                         : thema_store_db_error(st, err, "cannot begin transaction");
  st->in_txn = 1;
  return THEMA_OK;
}

/* Stores below this size count as nearly empty for a bulk transaction. */
enum { BULK_MAX_BYTES = 8 << 20 };

/*
 * In WAL mode every page a transaction writes goes to the log first and into
 * the database at the checkpoint: a 1 GB import writes 2.5 GB twice. Into a
 * new or nearly empty store the transaction runs with a rollback journal
 * instead, which holds only the few pages that existed before (new pages need
 * no undo), so each page is written once; a crash still leaves the store as
 * it was (the journal is rolled back at the next open). Readers wait while
 * it runs, which costs nothing for a store with nothing in it yet. The store
 * goes back to WAL when the transaction ends.
 */
int thema_store_begin_bulk(ThemaStore *st, ThemaError *err) {
  if (st->in_txn) return THEMA_OK;
  sqlite3_stmt *q = NULL;
  int64_t bytes = INT64_MAX;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT page_count * page_size FROM pragma_page_count(), "
                         "pragma_page_size()",
                         -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    bytes = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  /* Another connection (a reader) keeps the WAL: then this is an ordinary
   * transaction, which is only slower. */
  if (bytes <= BULK_MAX_BYTES && sqlite3_exec(st->db, "PRAGMA journal_mode = TRUNCATE",
                                              NULL, NULL, NULL) == SQLITE_OK) {
    sqlite3_stmt *m = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &m, NULL) == SQLITE_OK &&
        sqlite3_step(m) == SQLITE_ROW)
      st->bulk = strcmp((const char *)sqlite3_column_text(m, 0), "truncate") == 0;
    sqlite3_finalize(m);
  }
  int rc = thema_store_begin(st, err);
  if (rc) back_to_wal(st);
  return rc;
}

int thema_store_commit(ThemaStore *st, ThemaError *err) {
  if (!st->in_txn) return THEMA_OK;
  if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    thema_store_db_error(st, err, "cannot commit");
    thema_store_rollback(st);
    return err->status;
  }
  st->in_txn = 0;
  back_to_wal(st);
  return THEMA_OK;
}

void thema_store_rollback(ThemaStore *st) {
  if (!st->in_txn) return;
  /* Reset cached statements first: an active statement can block ROLLBACK. */
  for (size_t i = 0; i < st->ncache; i++) sqlite3_reset(st->cache[i].stmt);
  sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  st->in_txn = 0;
  back_to_wal(st);
}

/* Savepoint names come from the core, never from input; they are checked to
 * be identifiers all the same, since they are pasted into the statement. */
static int savepoint_sql(ThemaStore *st, const char *verb, const char *name,
                         ThemaError *err) {
  char sql[128];
  size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789");
  if (!*name || name[n] || strlen(name) > 64)
    return thema_error_set(err, THEMA_ERUNTIME, "internal: bad savepoint name '%s'", name);
  snprintf(sql, sizeof sql, "%s %s", verb, name);
  if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return thema_store_db_error(st, err, sql);
  return THEMA_OK;
}

int thema_store_savepoint(ThemaStore *st, const char *name, ThemaError *err) {
  return savepoint_sql(st, "SAVEPOINT", name, err);
}

int thema_store_release(ThemaStore *st, const char *name, ThemaError *err) {
  return savepoint_sql(st, "RELEASE", name, err);
}

void thema_store_rollback_to(ThemaStore *st, const char *name) {
  ThemaError ignored = {0};
  /* Reset cached statements first, as for a rollback: a statement still
   * stepping would keep the rolled-back rows visible to itself. */
  for (size_t i = 0; i < st->ncache; i++) sqlite3_reset(st->cache[i].stmt);
  if (savepoint_sql(st, "ROLLBACK TO", name, &ignored) == THEMA_OK)
    savepoint_sql(st, "RELEASE", name, &ignored);
}

int64_t thema_store_changes(ThemaStore *st) { return sqlite3_changes64(st->db); }

static uint32_t fnv1a(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

sqlite3_stmt *thema_store_stmt(ThemaStore *st, const char *sql, ThemaError *err) {
  /* Keyed by content, never by pointer: callers may pass SQL built in a
   * stack buffer, and a pointer can be reused for different text. */
  uint32_t h = fnv1a(sql);
  for (size_t i = 0; i < st->ncache; i++) {
    if (st->cache[i].hash == h && strcmp(st->cache[i].sql, sql) == 0) {
      sqlite3_reset(st->cache[i].stmt);
      sqlite3_clear_bindings(st->cache[i].stmt);
      return st->cache[i].stmt;
    }
  }
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
      SQLITE_OK) {
    thema_store_db_error(st, err, "cannot prepare statement");
    return NULL;
  }
  if (st->ncache == st->capcache) {
    st->capcache = st->capcache ? st->capcache * 2 : 32;
    st->cache = thema_xrealloc(st->cache, st->capcache * sizeof *st->cache);
  }
  st->cache[st->ncache].sql = thema_xstrdup(sql);
  st->cache[st->ncache].hash = h;
  st->cache[st->ncache].stmt = stmt;
  st->ncache++;
  return stmt;
}

static int bind_args(sqlite3_stmt *stmt, const char *types, va_list ap) {
  /* One letter per parameter: a miscount is a programming error that would
   * otherwise bind the wrong values silently. */
  if ((int)strlen(types) != sqlite3_bind_parameter_count(stmt)) return SQLITE_RANGE;
  int rc = SQLITE_OK;
  for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
    int col = i + 1;
    switch (types[i]) {
      case 'i': rc = sqlite3_bind_int64(stmt, col, va_arg(ap, int64_t)); break;
      case 'I': {
        int64_t v = va_arg(ap, int64_t);
        rc = v ? sqlite3_bind_int64(stmt, col, v) : sqlite3_bind_null(stmt, col);
        break;
      }
      case 'd': rc = sqlite3_bind_double(stmt, col, va_arg(ap, double)); break;
      case 'D': {
        const double *d = va_arg(ap, const double *);
        rc = d ? sqlite3_bind_double(stmt, col, *d) : sqlite3_bind_null(stmt, col);
        break;
      }
      case 't': {
        const char *s = va_arg(ap, const char *);
        rc = s ? sqlite3_bind_text(stmt, col, s, -1, SQLITE_TRANSIENT)
               : sqlite3_bind_null(stmt, col);
        break;
      }
      case 's': {
        const char *s = va_arg(ap, const char *);
        rc = sqlite3_bind_text(stmt, col, s, -1, SQLITE_STATIC);
        break;
      }
      case 'x': {
        const char *s = va_arg(ap, const char *);
        size_t n = va_arg(ap, size_t);
        rc = sqlite3_bind_text64(stmt, col, s, n, SQLITE_STATIC, SQLITE_UTF8);
        break;
      }
      case 'n': rc = sqlite3_bind_null(stmt, col); break;
      default: rc = SQLITE_MISUSE;
    }
  }
  return rc;
}

static int run_stmt(ThemaStore *st, ThemaError *err, int64_t *id, const char *sql,
                    const char *types, va_list ap) {
  sqlite3_stmt *stmt = thema_store_stmt(st, sql, err);
  if (!stmt) return err->status;
  if (bind_args(stmt, types, ap) != SQLITE_OK)
    return thema_error_set(err, THEMA_ERUNTIME,
                           "internal: cannot bind '%s' to the %d parameters of: %s", types,
                           sqlite3_bind_parameter_count(stmt), sql);
  int rc;
  if (id) *id = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (id && *id == 0) *id = sqlite3_column_int64(stmt, 0);
    if (id) break;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    thema_store_db_error(st, err, "statement failed");
    sqlite3_reset(stmt);
    return err->status;
  }
  sqlite3_reset(stmt);
  return THEMA_OK;
}

int thema_store_exec(ThemaStore *st, ThemaError *err, const char *sql, const char *types,
                     ...) {
  va_list ap;
  va_start(ap, types);
  int rc = run_stmt(st, err, NULL, sql, types, ap);
  va_end(ap);
  return rc;
}

int thema_store_exec_id(ThemaStore *st, ThemaError *err, int64_t *id, const char *sql,
                        const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  int rc = run_stmt(st, err, id, sql, types, ap);
  va_end(ap);
  return rc;
}

void thema_store_now(char out[32]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
