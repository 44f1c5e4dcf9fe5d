/*
 * store.h — the SQLite store: opening and migrating, one transaction per
 * command, cached prepared statements, and a compact way to run a bound
 * statement. Every module that reads or writes the store goes through here.
 */
#ifndef THEMA_STORE_H
#define THEMA_STORE_H

#include <stdint.h>

#include "base/thema.h"

#define THEMA_SCHEMA_VERSION 4

typedef struct ThemaStore ThemaStore;

enum {
  THEMA_STORE_CREATE = 1,    /* create the file and schema when missing */
  THEMA_STORE_READONLY = 2,  /* open for reading only (query, export) */
  THEMA_STORE_MUST_EXIST = 4 /* refuse to create a new file */
};

/* Open (and migrate) the store at path. On success *out is owned by the
 * caller and released with thema_store_close. */
int thema_store_open(const char *path, int flags, ThemaStore **out, ThemaError *err);
void thema_store_close(ThemaStore *st);

/* How long a command waits for another writer before it fails (default 5 s),
 * for every store opened after the call (the command line's --wait). */
void thema_store_set_wait(int milliseconds);
const char *thema_store_path(const ThemaStore *st);

/* One command = one transaction. rollback is safe to call when none is open. */
int thema_store_begin(ThemaStore *st, ThemaError *err);
int thema_store_commit(ThemaStore *st, ThemaError *err);
void thema_store_rollback(ThemaStore *st);

/* Begin the command's transaction for a bulk write (an import): into a new
 * or nearly empty store it writes each page once instead of twice, with the
 * same all-or-nothing guarantee; otherwise it is thema_store_begin. */
int thema_store_begin_bulk(ThemaStore *st, ThemaError *err);

/* Savepoints nest inside the command's transaction: a plugin run, one
 * thema.import call. rollback_to undoes everything since the savepoint and
 * releases it; it is safe after a failed statement. Names are identifiers. */
int thema_store_savepoint(ThemaStore *st, const char *name, ThemaError *err);
int thema_store_release(ThemaStore *st, const char *name, ThemaError *err);
void thema_store_rollback_to(ThemaStore *st, const char *name);

/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t thema_store_changes(ThemaStore *st);

/*
 * Run sql with parameters bound from the variadic list, one per letter of
 * types: 'i' int64_t, 'I' int64_t where 0 binds NULL (for optional ids),
 * 'd' double, 'D' const double * where NULL binds NULL (optional values), 't' text (const char *; NULL binds NULL), 's' text bound without a copy
 * (must outlive the call), 'x' a text slice (const char *, size_t length,
 * no copy), 'n' NULL (no argument). The letters must match the statement's
 * parameters one for one, or the call fails without running it.
 * thema_store_exec discards rows; thema_store_exec_id returns the first column of
 * the first row in *id (0 and status THEMA_OK when there is no row).
 */
int thema_store_exec(ThemaStore *st, ThemaError *err, const char *sql, const char *types,
                     ...);
int thema_store_exec_id(ThemaStore *st, ThemaError *err, int64_t *id, const char *sql,
                        const char *types, ...);

/* The current UTC time as ISO 8601 (for provenance columns). */
void thema_store_now(char out[32]);

#endif
