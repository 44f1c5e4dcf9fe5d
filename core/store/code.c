/*
 * code.c — writes to tables codebook, code and code_rule, and only here;
 * and the one reader of a stored codebook's rules.
 */
#include "store/code.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

const char *const thema_code_rule_kinds[THEMA_RULE_KINDS] = {"include", "exclude", "match",
                                                             "nomatch"};

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

int thema_code_find(ThemaStore *st, const char *path, int64_t *id, ThemaError *err) {
  return thema_store_exec_id(st, err, id, "SELECT id FROM code WHERE path = ?", "t", path);
}

int thema_code_check_id(ThemaStore *st, int64_t id, int64_t *found, ThemaError *err) {
  return thema_store_exec_id(st, err, found, "SELECT id FROM code WHERE id = ?", "i", id);
}

int thema_code_set_details(ThemaStore *st, int64_t id, const char *description,
                           const char *options, const char *colour, ThemaError *err) {
  if (!description && !options && !colour) return THEMA_OK;
  return thema_store_exec(st, err,
                          "UPDATE code SET description = coalesce(?, description),"
                          " options = coalesce(?, options), colour = coalesce(?, colour)"
                          " WHERE id = ?",
                          "ttti", description, options, colour, id);
}

int thema_code_save_codebook(ThemaStore *st, const char *name, const char *file,
                             const char *hash, const ThemaCodeDef *codes, int n,
                             int *unchanged, ThemaError *err) {
  int64_t book = 0;
  *unchanged = 0;
  if (thema_store_exec_id(st, err, &book,
                          "SELECT id FROM codebook WHERE name = ? AND hash = ?", "tt", name,
                          hash))
    return err->status;
  if (book) {
    *unchanged = 1;
    return THEMA_OK;
  }
  char now[32];
  thema_store_now(now);
  if (thema_store_exec_id(
          st, err, &book,
          "INSERT INTO codebook(name, path, hash, imported_at) VALUES (?,?,?,?)"
          " ON CONFLICT(name) DO UPDATE SET path = excluded.path, hash = excluded.hash,"
          " imported_at = excluded.imported_at RETURNING id",
          "tttt", name, file, hash, now) ||
      thema_store_exec(
          st, err, "CREATE TEMP TABLE IF NOT EXISTS codebook_keep(path TEXT PRIMARY KEY)",
          "") ||
      thema_store_exec(st, err, "DELETE FROM temp.codebook_keep", ""))
    return err->status;
  /* Codes are written in file order, one depth at a time: parents first. */
  for (int pass = 0; pass <= n; pass++) {
    for (int i = 0; i < n; i++) {
      const ThemaCodeDef *c = &codes[i];
      int depth = 0;
      for (const char *p = c->path; *p; p++) depth += *p == '/';
      if (depth != pass) continue;
      int64_t parent = 0, id = 0;
      const char *slash = strrchr(c->path, '/');
      if (slash) {
        char *ppath = thema_xstrndup(c->path, (size_t)(slash - c->path));
        thema_code_find(st, ppath, &parent, err);
        free(ppath);
      }
      if (err->status ||
          thema_store_exec_id(
              st, err, &id,
              "INSERT INTO code(parent_id, name, path, origin, description, options,"
              " colour, codebook_id, line) VALUES (?,?,?,'deductive',?,?,?,?,?)"
              " ON CONFLICT(path) DO UPDATE SET parent_id = excluded.parent_id,"
              " description = excluded.description, options = excluded.options,"
              " colour = excluded.colour, codebook_id = excluded.codebook_id,"
              " line = excluded.line RETURNING id",
              "Itttttii", parent, c->name, c->path, c->description, c->options, c->colour,
              book, (int64_t)c->line) ||
          thema_store_exec(st, err, "DELETE FROM code_rule WHERE code_id = ?", "i", id) ||
          thema_store_exec(st, err, "INSERT INTO temp.codebook_keep(path) VALUES (?)", "t",
                           c->path))
        return err->status;
      for (int k = 0; k < THEMA_RULE_KINDS; k++)
        for (int j = 0; j < c->nrules[k]; j++)
          if (thema_store_exec(st, err,
                               "INSERT INTO code_rule(code_id, kind, text) VALUES (?,?,?)",
                               "itt", id, thema_code_rule_kinds[k], c->rules[k][j]))
            return err->status;
    }
  }
  /* Codes of this codebook that the new version no longer has. */
  return thema_store_exec(st, err,
                          "DELETE FROM code WHERE codebook_id = ? AND path NOT IN"
                          " (SELECT path FROM temp.codebook_keep)",
                          "i", book);
}

/* One code being read back, with its rules gathered per kind. */
typedef struct Ruled {
  int64_t id;                     /* the code's row */
  char *name, *path, *options;    /* owned */
  char *description, *colour;     /* owned, NULL when none */
  long line;                      /* in its codebook file */
  char **rules[THEMA_RULE_KINDS]; /* owned lines per kind */
  int nrules[THEMA_RULE_KINDS];
} Ruled;

static void ruled_free(Ruled *r) {
  free(r->description);
  free(r->colour);
  free(r->name);
  free(r->path);
  free(r->options);
  for (int k = 0; k < THEMA_RULE_KINDS; k++) {
    for (int j = 0; j < r->nrules[k]; j++) free(r->rules[k][j]);
    free(r->rules[k]);
  }
}

int thema_code_each_ruled(ThemaStore *st, ThemaCodeFn fn, void *ud, ThemaError *err) {
  return thema_code_each(st, 1, fn, ud, err);
}

int thema_code_each(ThemaStore *st, int ruled_only, ThemaCodeFn fn, void *ud,
                    ThemaError *err) {
  /* The codes first, then each one's rules: the two statements are cached,
   * and the rules query must not run while the codes query is stepping. */
  sqlite3_stmt *q = thema_store_stmt(
      st,
      ruled_only
          ? "SELECT c.id, c.name, c.path, c.options, coalesce(c.line, 0), c.description,"
            " c.colour FROM code c WHERE EXISTS (SELECT 1 FROM code_rule r"
            " WHERE r.code_id = c.id AND r.kind = 'include') ORDER BY c.path"
          : "SELECT c.id, c.name, c.path, c.options, coalesce(c.line, 0), c.description,"
            " c.colour FROM code c ORDER BY c.path",
      err);
  if (!q) return err->status;
  Ruled *codes = NULL;
  int n = 0, rc = THEMA_OK;
  while (sqlite3_step(q) == SQLITE_ROW) {
    codes = thema_xrealloc(codes, (size_t)(n + 1) * sizeof *codes);
    Ruled *r = &codes[n++];
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(q, 0);
    r->name = thema_xstrdup((const char *)sqlite3_column_text(q, 1));
    r->path = thema_xstrdup((const char *)sqlite3_column_text(q, 2));
    if (sqlite3_column_type(q, 3) != SQLITE_NULL)
      r->options = thema_xstrdup((const char *)sqlite3_column_text(q, 3));
    r->line = sqlite3_column_int(q, 4);
    if (sqlite3_column_type(q, 5) != SQLITE_NULL)
      r->description = thema_xstrdup((const char *)sqlite3_column_text(q, 5));
    if (sqlite3_column_type(q, 6) != SQLITE_NULL)
      r->colour = thema_xstrdup((const char *)sqlite3_column_text(q, 6));
  }
  sqlite3_reset(q);
  q = thema_store_stmt(st, "SELECT kind, text FROM code_rule WHERE code_id = ? ORDER BY id",
                       err);
  for (int i = 0; q && i < n && rc == THEMA_OK; i++) {
    Ruled *r = &codes[i];
    sqlite3_bind_int64(q, 1, r->id);
    while (sqlite3_step(q) == SQLITE_ROW) {
      const char *kind = (const char *)sqlite3_column_text(q, 0);
      int k = 0;
      while (k < THEMA_RULE_KINDS - 1 && strcmp(kind, thema_code_rule_kinds[k]) != 0) k++;
      r->rules[k] =
          thema_xrealloc(r->rules[k], (size_t)(r->nrules[k] + 1) * sizeof(char *));
      r->rules[k][r->nrules[k]++] = thema_xstrdup((const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_reset(q);
    ThemaCodeDef def = {.name = r->name,
                        .path = r->path,
                        .description = r->description,
                        .options = r->options,
                        .colour = r->colour,
                        .line = r->line};
    for (int k = 0; k < THEMA_RULE_KINDS; k++) {
      def.rules[k] = (const char *const *)r->rules[k];
      def.nrules[k] = r->nrules[k];
    }
    rc = fn(ud, &def, err);
  }
  for (int i = 0; i < n; i++) ruled_free(&codes[i]);
  free(codes);
  return err->status ? err->status : rc;
}

int thema_code_delete_origin_tree(ThemaStore *st, const char *root, const char *origin,
                                  int64_t *deleted, ThemaError *err) {
  /* the root and every path below it; LIKE's wildcards in root escaped */
  ThemaBuf like = {0};
  for (const char *p = root; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') thema_buf_putc(&like, '\\');
    thema_buf_putc(&like, *p);
  }
  thema_buf_puts(&like, "/%");
  int rc = thema_store_exec(st, err,
                            "DELETE FROM code WHERE origin = ? AND (path = ? OR path LIKE ?"
                            " ESCAPE '\\')",
                            "ttt", origin, root, thema_buf_str(&like));
  thema_buf_free(&like);
  if (!rc && deleted) *deleted = thema_store_changes(st);
  return rc;
}
