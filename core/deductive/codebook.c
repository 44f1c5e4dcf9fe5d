/*
 * codebook.c — reading, storing, compiling and testing codebooks. A CSV
 * cell holding several patterns or examples has one per line; a Lua codebook
 * is a file returning an array of code tables, loaded as text into an empty
 * environment (it is data, so it gets no libraries).
 */
#include "deductive/codebook.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fs.h"
#include "base/hash.h"
#include "text/csv.h"
#include "text/input.h"

static void list_add(ThemaList *l, const char *s, size_t n) {
  l->items = thema_xrealloc(l->items, (size_t)(l->n + 1) * sizeof *l->items);
  l->items[l->n++] = thema_xstrndup(s, n);
}

static void list_free(ThemaList *l) {
  for (int i = 0; i < l->n; i++) free(l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* Split a cell into its non-blank lines, trimmed. */
static void list_lines(ThemaList *l, const char *cell) {
  while (cell && *cell) {
    const char *nl = strchr(cell, '\n');
    size_t n = nl ? (size_t)(nl - cell) : strlen(cell);
    size_t b = 0, e = n;
    while (b < e && (cell[b] == ' ' || cell[b] == '\t' || cell[b] == '\r')) b++;
    while (e > b && (cell[e - 1] == ' ' || cell[e - 1] == '\t' || cell[e - 1] == '\r')) e--;
    if (e > b) list_add(l, cell + b, e - b);
    cell += n + (nl != NULL);
  }
}

static char *dup_or_null(const char *s) { return s && *s ? thema_xstrdup(s) : NULL; }

void thema_codebook_free(ThemaCodebook *cb) {
  for (int i = 0; i < cb->n; i++) {
    ThemaCbCode *c = &cb->codes[i];
    free(c->name);
    free(c->parent);
    free(c->path);
    free(c->description);
    free(c->options);
    free(c->colour);
    list_free(&c->include);
    list_free(&c->exclude);
    list_free(&c->match);
    list_free(&c->nomatch);
  }
  free(cb->codes);
  free(cb->path);
  memset(cb, 0, sizeof *cb);
}

static ThemaCbCode *add_code(ThemaCodebook *cb) {
  cb->codes = thema_xrealloc(cb->codes, (size_t)(cb->n + 1) * sizeof *cb->codes);
  ThemaCbCode *c = &cb->codes[cb->n++];
  memset(c, 0, sizeof *c);
  return c;
}

static const char *const options_allowed[] = {"stem", "fold", "case", "partial", NULL};

/* Check names, options and parents, and derive every code's path. */
static int resolve(ThemaCodebook *cb, const char *unit, ThemaError *err) {
  for (int i = 0; i < cb->n; i++) {
    ThemaCbCode *c = &cb->codes[i];
    if (!c->name || !*c->name)
      return thema_error_at(err, THEMA_EINPUT, cb->path, c->line, 0, "%s has no code name",
                            unit);
    if (strchr(c->name, '/'))
      return thema_error_at(err, THEMA_EINPUT, cb->path, c->line, 0,
                            "code '%s': a name may not contain '/'; use the parent column",
                            c->name);
    for (int j = 0; j < i; j++)
      if (strcmp(cb->codes[j].name, c->name) == 0)
        return thema_error_at(err, THEMA_EINPUT, cb->path, c->line, 0,
                              "code '%s' is defined twice (first on %s %ld)", c->name, unit,
                              cb->codes[j].line);
    for (const char *p = c->options; p && *p;) {
      while (*p == ' ' || *p == ',') p++;
      size_t n = strcspn(p, " ,");
      if (!n) break;
      int ok = 0;
      for (int k = 0; options_allowed[k]; k++)
        ok |= strlen(options_allowed[k]) == n && strncmp(options_allowed[k], p, n) == 0;
      if (!ok)
        return thema_error_at(err, THEMA_EINPUT, cb->path, c->line, 0,
                              "code '%s': unknown option '%.*s' (allowed: stem, fold, "
                              "case, partial)",
                              c->name, (int)n, p);
      p += n;
    }
  }
  for (int i = 0; i < cb->n; i++) {
    ThemaCbCode *c = &cb->codes[i];
    ThemaBuf path = {0};
    thema_buf_puts(&path, c->name);
    const ThemaCbCode *at = c;
    for (int depth = 0; at->parent; depth++) {
      const ThemaCbCode *parent = NULL;
      for (int j = 0; j < cb->n; j++)
        if (strcmp(cb->codes[j].name, at->parent) == 0) parent = &cb->codes[j];
      if (!parent || depth > cb->n) {
        thema_error_at(err, THEMA_EINPUT, cb->path, c->line, 0,
                       parent ? "code '%s': its parents form a cycle"
                              : "code '%s': parent '%s' is not a code of this codebook",
                       c->name, at->parent);
        thema_buf_free(&path);
        return err->status;
      }
      ThemaBuf longer = {0};
      thema_buf_printf(&longer, "%s/%s", parent->name, thema_buf_str(&path));
      thema_buf_free(&path);
      path = longer;
      at = parent;
    }
    c->path = thema_xstrdup(thema_buf_str(&path));
    thema_buf_free(&path);
  }
  return THEMA_OK;
}

/* ---- CSV ---- */

typedef struct CsvCodebook {
  ThemaCodebook *cb;
  int col[9]; /* code parent description include exclude options match nomatch colour */
} CsvCodebook;

static const char *const csv_columns[] = {"code",    "parent",  "description", "include",
                                          "exclude", "options", "match",       "nomatch",
                                          "colour",  NULL};

static int csv_row(const ThemaCsvRow *row, void *ud, ThemaError *err) {
  CsvCodebook *c = ud;
  if (c->col[0] == -2) { /* the header */
    for (int k = 0; csv_columns[k]; k++) c->col[k] = thema_csv_column(row, csv_columns[k]);
    for (int i = 0; i < row->n; i++) {
      int known = 0;
      for (int k = 0; csv_columns[k]; k++)
        known |= strcasecmp(row->fields[i], csv_columns[k]) == 0;
      if (!known)
        return thema_error_at(
            err, THEMA_EINPUT, c->cb->path, row->line, i + 1,
            "unknown column '%s'; a codebook has the columns code, parent, "
            "description, include, exclude, options, match, nomatch, colour",
            row->fields[i]);
    }
    if (c->col[0] < 0)
      return thema_error_at(err, THEMA_EINPUT, c->cb->path, row->line, 0,
                            "a codebook needs a 'code' column");
    return THEMA_OK;
  }
  ThemaCbCode *code = add_code(c->cb);
  code->line = row->line;
#define CELL(k) (c->col[k] >= 0 ? row->fields[c->col[k]] : NULL)
  code->name = dup_or_null(CELL(0));
  if (!code->name) code->name = thema_xstrdup("");
  code->parent = dup_or_null(CELL(1));
  code->description = dup_or_null(CELL(2));
  list_lines(&code->include, CELL(3));
  list_lines(&code->exclude, CELL(4));
  code->options = dup_or_null(CELL(5));
  list_lines(&code->match, CELL(6));
  list_lines(&code->nomatch, CELL(7));
  code->colour = dup_or_null(CELL(8));
#undef CELL
  return THEMA_OK;
}

/* ---- Lua ---- */

static int lua_list(lua_State *L, int t, const char *field, ThemaList *out,
                    const char *path, long entry, ThemaError *err) {
  int type = lua_getfield(L, t, field);
  if (type == LUA_TSTRING) {
    list_lines(out, lua_tostring(L, -1));
  } else if (type == LUA_TTABLE) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
      if (lua_type(L, -1) != LUA_TSTRING)
        return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                              "entry %ld: field '%s' must hold strings", entry, field);
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      list_add(out, s, n);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  } else if (type != LUA_TNIL) {
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                          "entry %ld: field '%s' must be a string or a list of strings",
                          entry, field);
  }
  lua_pop(L, 1);
  return THEMA_OK;
}

static char *lua_str(lua_State *L, int t, const char *field) {
  lua_getfield(L, t, field);
  char *s = lua_type(L, -1) == LUA_TSTRING ? dup_or_null(lua_tostring(L, -1)) : NULL;
  lua_pop(L, 1);
  return s;
}

static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  /* Level 0 is the codebook's own code: its file and line lead the message
   * (luaL_error's level 1 is the C caller, which has neither). */
  luaL_where(L, 0);
  lua_pushstring(L, "the codebook takes too long to evaluate (it is data, not a program)");
  lua_concat(L, 2);
  lua_error(L);
}

static int load_lua(const char *path, ThemaCodebook *cb, ThemaError *err) {
  lua_State *L = luaL_newstate();
  if (!L) abort();
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 10000000);
  if (luaL_loadfilex(L, path, "t") != LUA_OK) {
    thema_error_set(err, THEMA_EINPUT, "%s", lua_tostring(L, -1));
    goto done;
  }
  lua_newtable(L); /* an empty environment: no functions at all */
  lua_setupvalue(L, -2, 1);
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
    thema_error_set(err, THEMA_EINPUT, "%s", lua_tostring(L, -1));
    goto done;
  }
  if (!lua_istable(L, -1)) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "a Lua codebook must return a list of codes, not a %s",
                   luaL_typename(L, -1));
    goto done;
  }
  int list = lua_gettop(L);
  for (lua_Integer i = 1; lua_rawgeti(L, list, i) != LUA_TNIL; i++) {
    int t = lua_gettop(L);
    if (!lua_istable(L, t)) {
      thema_error_at(err, THEMA_EINPUT, path, 0, 0, "entry %ld must be a table", (long)i);
      goto done;
    }
    static const char *const fields[] = {"code",    "parent",  "description", "include",
                                         "exclude", "options", "match",       "nomatch",
                                         "colour",  NULL};
    lua_pushnil(L);
    while (lua_next(L, t)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      int ok = 0;
      for (int f = 0; fields[f]; f++) ok |= strcmp(fields[f], k) == 0;
      if (!ok) {
        thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                       "entry %ld: unknown field '%s' (allowed: code, parent, description, "
                       "include, exclude, options, match, nomatch, colour)",
                       (long)i, k);
        goto done;
      }
      lua_pop(L, 1);
    }
    ThemaCbCode *c = add_code(cb);
    c->line = (long)i;
    c->name = lua_str(L, t, "code");
    if (!c->name) c->name = thema_xstrdup("");
    c->parent = lua_str(L, t, "parent");
    c->description = lua_str(L, t, "description");
    c->options = lua_str(L, t, "options");
    c->colour = lua_str(L, t, "colour");
    if (lua_list(L, t, "include", &c->include, path, (long)i, err) ||
        lua_list(L, t, "exclude", &c->exclude, path, (long)i, err) ||
        lua_list(L, t, "match", &c->match, path, (long)i, err) ||
        lua_list(L, t, "nomatch", &c->nomatch, path, (long)i, err))
      goto done;
    lua_pop(L, 1);
  }
done:
  lua_close(L);
  return err->status;
}

int thema_codebook_load(const char *path, ThemaCodebook *cb, ThemaError *err) {
  memset(cb, 0, sizeof *cb);
  cb->path = thema_xstrdup(path);
  int is_lua = thema_fs_has_ext(path, "lua");
  ThemaInput text = {0};
  if (thema_input_load(path, &text, err)) goto done;
  memcpy(cb->hash, text.hash, sizeof cb->hash);
  if (is_lua) {
    if (load_lua(path, cb, err)) goto done;
  } else {
    CsvCodebook c = {.cb = cb, .col = {-2}};
    if (thema_csv_read(path, text.buf.data, text.buf.len, 0, csv_row, &c, err)) goto done;
  }
  if (cb->n == 0) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "the codebook has no codes");
    goto done;
  }
  resolve(cb, is_lua ? "entry" : "line", err);
done:
  thema_input_free(&text);
  return err->status;
}

ThemaMatcher *thema_codebook_compile(const ThemaCodebook *cb, int **index,
                                     ThemaError *err) {
  ThemaCodeSpec *specs = thema_xmalloc((size_t)(cb->n ? cb->n : 1) * sizeof *specs);
  int *map = thema_xmalloc((size_t)(cb->n ? cb->n : 1) * sizeof *map);
  int n = 0;
  for (int i = 0; i < cb->n; i++) {
    const ThemaCbCode *c = &cb->codes[i];
    if (!c->include.n) continue;
    specs[n] = (ThemaCodeSpec){.path = c->path,
                               .options = c->options,
                               .include = (const char *const *)c->include.items,
                               .ninclude = c->include.n,
                               .exclude = (const char *const *)c->exclude.items,
                               .nexclude = c->exclude.n,
                               .line = c->line};
    map[n++] = i;
  }
  ThemaMatcher *m = thema_matcher_new(specs, n, cb->path, err);
  free(specs);
  if (!m) {
    free(map);
    map = NULL;
  }
  if (index)
    *index = map;
  else
    free(map);
  return m;
}

/* ---- the store ---- */

int thema_codebook_from_store(ThemaStore *st, ThemaCodebook *cb, ThemaError *err) {
  memset(cb, 0, sizeof *cb);
  cb->path = thema_xstrdup("store");
  sqlite3_stmt *q = thema_store_stmt(
      st,
      "SELECT c.id, c.name, c.path, c.options, coalesce(c.line, 0) FROM code c"
      " WHERE EXISTS (SELECT 1 FROM code_rule r WHERE r.code_id = c.id AND r.kind = 'include')"
      " ORDER BY c.path",
      err);
  if (!q) return err->status;
  int64_t *ids = NULL;
  while (sqlite3_step(q) == SQLITE_ROW) {
    ThemaCbCode *c = add_code(cb);
    ids = thema_xrealloc(ids, (size_t)cb->n * sizeof *ids);
    ids[cb->n - 1] = sqlite3_column_int64(q, 0);
    c->name = thema_xstrdup((const char *)sqlite3_column_text(q, 1));
    c->path = thema_xstrdup((const char *)sqlite3_column_text(q, 2));
    c->options = sqlite3_column_text(q, 3)
                     ? thema_xstrdup((const char *)sqlite3_column_text(q, 3))
                     : NULL;
    c->line = sqlite3_column_int(q, 4);
  }
  sqlite3_reset(q);
  q = thema_store_stmt(st, "SELECT kind, text FROM code_rule WHERE code_id = ? ORDER BY id",
                       err);
  for (int i = 0; q && i < cb->n; i++) {
    sqlite3_bind_int64(q, 1, ids[i]);
    while (sqlite3_step(q) == SQLITE_ROW) {
      const char *kind = (const char *)sqlite3_column_text(q, 0);
      const char *text = (const char *)sqlite3_column_text(q, 1);
      ThemaCbCode *c = &cb->codes[i];
      ThemaList *l = !strcmp(kind, "include")   ? &c->include
                     : !strcmp(kind, "exclude") ? &c->exclude
                     : !strcmp(kind, "match")   ? &c->match
                                                : &c->nomatch;
      list_add(l, text, strlen(text));
    }
    sqlite3_reset(q);
  }
  free(ids);
  if (cb->n == 0 && !err->status)
    thema_error_set(err, THEMA_EINPUT,
                    "the store has no codes with include rules; import a codebook first "
                    "('thema import codebook FILE')");
  return err->status;
}

int thema_codebook_store(ThemaStore *st, const ThemaCodebook *cb, int *unchanged,
                         ThemaError *err) {
  char *name = thema_fs_stem(cb->path);
  int64_t book = 0;
  *unchanged = 0;
  if (thema_store_exec_id(st, err, &book,
                          "SELECT id FROM codebook WHERE name = ? AND hash = ?", "tt", name,
                          cb->hash))
    goto done;
  if (book) {
    *unchanged = 1;
    goto done;
  }
  char now[32];
  thema_store_now(now);
  if (thema_store_exec_id(
          st, err, &book,
          "INSERT INTO codebook(name, path, hash, imported_at) VALUES (?,?,?,?)"
          " ON CONFLICT(name) DO UPDATE SET path = excluded.path, hash = excluded.hash,"
          " imported_at = excluded.imported_at RETURNING id",
          "tttt", name, cb->path, cb->hash, now) ||
      thema_store_exec(
          st, err, "CREATE TEMP TABLE IF NOT EXISTS codebook_keep(path TEXT PRIMARY KEY)",
          "") ||
      thema_store_exec(st, err, "DELETE FROM temp.codebook_keep", ""))
    goto done;
  /* Codes are written in file order; parents always come first by path. */
  for (int pass = 0; pass <= cb->n && !err->status; pass++) {
    for (int i = 0; i < cb->n; i++) {
      const ThemaCbCode *c = &cb->codes[i];
      int depth = 0;
      for (const char *p = c->path; *p; p++) depth += *p == '/';
      if (depth != pass) continue;
      int64_t parent = 0, id = 0;
      if (c->parent) {
        char *ppath = thema_xstrndup(c->path, strlen(c->path) - strlen(c->name) - 1);
        thema_store_exec_id(st, err, &parent, "SELECT id FROM code WHERE path = ?", "t",
                            ppath);
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
        goto done;
      const ThemaList *lists[4] = {&c->include, &c->exclude, &c->match, &c->nomatch};
      static const char *const kinds[4] = {"include", "exclude", "match", "nomatch"};
      for (int k = 0; k < 4; k++)
        for (int j = 0; j < lists[k]->n; j++)
          if (thema_store_exec(st, err,
                               "INSERT INTO code_rule(code_id, kind, text) VALUES (?,?,?)",
                               "itt", id, kinds[k], lists[k]->items[j]))
            goto done;
    }
  }
  /* Codes of this codebook that the new version no longer has. */
  thema_store_exec(st, err,
                   "DELETE FROM code WHERE codebook_id = ? AND path NOT IN"
                   " (SELECT path FROM temp.codebook_keep)",
                   "i", book);
done:
  free(name);
  return err->status;
}

/* ---- examples ---- */

typedef struct Hit {
  int want; /* matcher code number being checked */
  int found;
} Hit;

static int on_hit(void *ud, int code, size_t start, size_t stop) {
  (void)start;
  (void)stop;
  Hit *h = ud;
  h->found |= code == h->want;
  return 0;
}

int thema_codebook_test(const ThemaCodebook *cb, FILE *out, int *passed, int *failed,
                        ThemaError *err) {
  int *index = NULL;
  *passed = *failed = 0;
  ThemaMatcher *m = thema_codebook_compile(cb, &index, err);
  if (!m) return err->status;
  for (int k = 0; k < thema_matcher_ncodes(m); k++) {
    const ThemaCbCode *c = &cb->codes[index[k]];
    for (int want = 1; want >= 0; want--) {
      const ThemaList *l = want ? &c->match : &c->nomatch;
      for (int j = 0; j < l->n; j++) {
        Hit h = {.want = k};
        if (thema_matcher_scan(m, l->items[j], strlen(l->items[j]), on_hit, &h, err))
          goto done;
        if (h.found == want) {
          (*passed)++;
        } else {
          (*failed)++;
          fprintf(out, "%s:%ld: code '%s' %s: %s\n", cb->path, c->line, c->path,
                  want ? "does not match its example" : "matches its counter-example",
                  l->items[j]);
        }
      }
    }
  }
done:
  free(index);
  thema_matcher_free(m);
  return err->status;
}
