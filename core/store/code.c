/*
 * code.c — writes to tables codebook, code and code_rule, and only here.
 */
#include "store/code.h"

#include <stdlib.h>

int thema_code_ensure(ThemaStore *st, const char *path, const char *origin, int64_t *id,
                      ThemaError *err) {
  int64_t parent = 0;
  *id = 0;
  for (const char *p = path;; p++) {
    if (*p != '/' && *p != '\0') continue;
    if (p == path || p[-1] == '/')
      return thema_error_set(err, THEMA_EINPUT, "bad code path '%s' (empty part)", path);
    char *sub = thema_xstrndup(path, (size_t)(p - path));
    const char *name = sub + (p - path);
    while (name > sub && name[-1] != '/') name--;
    if (!thema_store_exec_id(st, err, id, "SELECT id FROM code WHERE path = ?", "t", sub) &&
        !*id)
      thema_store_exec_id(st, err, id,
                          "INSERT INTO code(parent_id, name, path, origin) VALUES (?,?,?,?)"
                          " RETURNING id",
                          "Ittt", parent, name, sub, origin);
    free(sub);
    if (err->status || *p == '\0') break;
    parent = *id;
  }
  return err->status;
}
