/*
 * internal.h — what the files of store/ share and nothing outside store/
 * may use: the SQLite connection and the statement cache. Keeping SQLite
 * behind this header is what makes store/ the only owner of SQL.
 */
#ifndef THEMA_STORE_INTERNAL_H
#define THEMA_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "base/thema.h"

/* The store as store.h declares it (C11 allows the typedef twice); not
 * including store.h keeps this header out of a circle with it. */
typedef struct ThemaStore ThemaStore;

sqlite3 *thema_store_db(ThemaStore *st);

/* The organisation a speaker (person p) speaks for in source s: the
 * affiliation valid at the source's date (its first ten characters, an ISO
 * date), else the person's own. The one place this is decided: query.c
 * joins o on it for every entity with a speaker, and grouping.c counts an
 * organisation's turns by it. */
#define SPEAKER_ORGANISATION                                                               \
  "coalesce((SELECT af.organisation_id FROM affiliation af WHERE af.person_id = p.id"      \
  " AND substr(s.date, 1, 10) BETWEEN coalesce(af.valid_from, '')"                         \
  " AND coalesce(af.valid_to, '9999-12-31') ORDER BY af.valid_from LIMIT 1),"              \
  " p.organisation_id)"

/* A prepared statement for sql, cached for the life of the store and reset
 * before it is returned. The store owns it; do not finalize. NULL on error. */
sqlite3_stmt *thema_store_stmt(ThemaStore *st, const char *sql, ThemaError *err);

/* Record the connection's last error for what (a short description) in
 * *err as a runtime error; returns the status. */
int thema_store_db_error(ThemaStore *st, ThemaError *err, const char *what);

/* Describe the process that holds a write lock on the store at path
 * ("pid 12, user ann: thema import ..."); 0 when none is found. Linux:
 * read from /proc/locks, which never disturbs the locks of this process. */
int thema_store_lock_holder(const char *path, char *out, size_t n);

#endif
