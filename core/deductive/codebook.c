/*
 * codebook.c — the codebook model: its fields and options (listed here
 * once), resolving parents into paths, compiling into a matcher, and
 * testing a codebook against its own examples. Reading it back from the
 * store and saving it are in codebook_store.c, so the model links without a
 * store (fuzzers); the readers of files are in ingest/ (CSV, Lua); the rows
 * are written by store/code.c.
 */
#include "deductive/codebook.h"

#include <stdlib.h>
#include <string.h>

#include "base/fs.h"

const char *const thema_codebook_fields[] = {"code",    "parent",  "description", "include",
                                             "exclude", "options", "match",       "nomatch",
                                             "colour",  NULL};

const char *const thema_codebook_options[] = {"stem", "fold", "case", "partial", NULL};

void thema_codebook_join(ThemaBuf *out, const char *const *list) {
  for (int i = 0; list[i]; i++) thema_buf_printf(out, "%s%s", i ? ", " : "", list[i]);
}

void thema_list_add(ThemaList *l, const char *s, size_t n) {
  l->items = thema_xrealloc(l->items, (size_t)(l->n + 1) * sizeof *l->items);
  l->items[l->n++] = thema_xstrndup(s, n);
}

void thema_list_free(ThemaList *l) {
  for (int i = 0; i < l->n; i++) free(l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

void thema_list_lines(ThemaList *l, const char *cell) {
  while (cell && *cell) {
    const char *nl = strchr(cell, '\n');
    size_t n = nl ? (size_t)(nl - cell) : strlen(cell);
    size_t b = 0, e = n;
    while (b < e && (cell[b] == ' ' || cell[b] == '\t' || cell[b] == '\r')) b++;
    while (e > b && (cell[e - 1] == ' ' || cell[e - 1] == '\t' || cell[e - 1] == '\r')) e--;
    if (e > b) thema_list_add(l, cell + b, e - b);
    cell += n + (nl != NULL);
  }
}

char *thema_codebook_strdup(const char *s) { return s && *s ? thema_xstrdup(s) : NULL; }

void thema_codebook_free(ThemaCodebook *cb) {
  for (int i = 0; i < cb->n; i++) {
    ThemaCbCode *c = &cb->codes[i];
    free(c->name);
    free(c->parent);
    free(c->path);
    free(c->description);
    free(c->options);
    free(c->colour);
    thema_list_free(&c->include);
    thema_list_free(&c->exclude);
    thema_list_free(&c->match);
    thema_list_free(&c->nomatch);
  }
  free(cb->codes);
  free(cb->path);
  memset(cb, 0, sizeof *cb);
}

ThemaCbCode *thema_codebook_add(ThemaCodebook *cb) {
  cb->codes = thema_xrealloc(cb->codes, (size_t)(cb->n + 1) * sizeof *cb->codes);
  ThemaCbCode *c = &cb->codes[cb->n++];
  memset(c, 0, sizeof *c);
  return c;
}

size_t thema_codebook_bad_option(const char *options, const char **bad) {
  for (const char *p = options; p && *p;) {
    p += strspn(p, " ,");
    size_t n = strcspn(p, " ,");
    if (!n) break;
    int ok = 0;
    for (int k = 0; thema_codebook_options[k]; k++)
      ok |= strlen(thema_codebook_options[k]) == n &&
            strncmp(thema_codebook_options[k], p, n) == 0;
    if (!ok) {
      *bad = p;
      return n;
    }
    p += n;
  }
  return 0;
}

int thema_codebook_resolve(ThemaCodebook *cb, const char *unit, ThemaError *err) {
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
    const char *bad = NULL;
    size_t n = thema_codebook_bad_option(c->options, &bad);
    if (n)
      return thema_error_at(err, THEMA_EINPUT, cb->path, c->line, 0,
                            "code '%s': unknown option '%.*s' (allowed: stem, fold, "
                            "case, partial)",
                            c->name, (int)n, bad);
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
