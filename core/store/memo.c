/*
 * memo.c — writes to table memo, and only here.
 */
#include "store/memo.h"

#include <string.h>

const char *const thema_memo_targets[] = {"source",       "segment", "code", "person",
                                          "organisation", "project", NULL};

int thema_memo_add(ThemaStore *st, const char *target, int64_t target_id,
                   const char *author, const char *text, int64_t *id, ThemaError *err) {
  int known = 0;
  for (int i = 0; thema_memo_targets[i]; i++)
    known |= strcmp(target, thema_memo_targets[i]) == 0;
  if (!known)
    return thema_error_set(err, THEMA_EUSAGE,
                           "a memo's target is source, segment, code, person, organisation"
                           " or project, not '%s'",
                           target);
  char now[32];
  thema_store_now(now);
  return thema_store_exec_id(st, err, id,
                             "INSERT INTO memo(target, target_id, author, text, created_at)"
                             " VALUES (?,?,?,?,?) RETURNING id",
                             "tIttt", target, target_id, author, text, now);
}
