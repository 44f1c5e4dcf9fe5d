/*
 * memo.h — the one writer of table memo: free text a researcher (or a
 * plugin) attaches to a source, segment, code, person, organisation or the
 * project.
 */
#ifndef THEMA_MEMO_H
#define THEMA_MEMO_H

#include <stdint.h>

#include "store/store.h"

/* The targets a memo may have, NULL-terminated; "project" needs no id. */
extern const char *const thema_memo_targets[];

/* Store a memo; *id is its row id. target_id is 0 for the project. The
 * time it is written is recorded as its creation time. */
int thema_memo_add(ThemaStore *st, const char *target, int64_t target_id,
                   const char *author, const char *text, int64_t *id, ThemaError *err);

#endif
