/*
 * codebook.c — the store's codebook as CSV or Lua (codebook.h), read
 * through store/code.h and written with text/csv's quoting; the field list
 * is the model's own (deductive/codebook.h), so a field added there is
 * exported here.
 */
#include "export/codebook.h"

#include <string.h>

#include "deductive/codebook.h"
#include "store/code.h"
#include "text/csv.h"

typedef struct Out {
  ThemaBuf *out;
  int lua;
} Out;

/* The parent's path: the code's path without its last part. */
static const char *parent_of(const ThemaCodeDef *d, size_t *n) {
  const char *slash = strrchr(d->path, '/');
  *n = slash ? (size_t)(slash - d->path) : 0;
  return slash ? d->path : NULL;
}

static void join_rules(ThemaBuf *b, const ThemaCodeDef *d, int kind) {
  for (int i = 0; i < d->nrules[kind]; i++) {
    if (i) thema_buf_putc(b, '\n');
    thema_buf_puts(b, d->rules[kind][i]);
  }
}

/* A Lua long string that no rule can end: enough '=' signs. */
static void lua_string(ThemaBuf *b, const char *s, size_t n) {
  int level = 0;
  for (;;) {
    ThemaBuf close = {0};
    thema_buf_putc(&close, ']');
    for (int i = 0; i < level; i++) thema_buf_putc(&close, '=');
    thema_buf_putc(&close, ']');
    int found = 0;
    for (size_t i = 0; i + close.len <= n + 1 && !found; i++)
      found = (i + close.len <= n && memcmp(s + i, close.data, close.len) == 0) ||
              (i + close.len - 1 == n && memcmp(s + i, close.data, close.len - 1) == 0);
    thema_buf_free(&close);
    if (!found) break;
    level++;
  }
  thema_buf_putc(b, '[');
  for (int i = 0; i < level; i++) thema_buf_putc(b, '=');
  thema_buf_putc(b, '[');
  if (n && s[0] == '\n') thema_buf_putc(b, '\n'); /* a first newline is dropped by Lua */
  thema_buf_append(b, s, n);
  thema_buf_putc(b, ']');
  for (int i = 0; i < level; i++) thema_buf_putc(b, '=');
  thema_buf_putc(b, ']');
}

static int on_code(void *ud, const ThemaCodeDef *d, ThemaError *err) {
  (void)err;
  Out *o = ud;
  ThemaBuf *b = o->out;
  size_t plen;
  const char *parent = parent_of(d, &plen);
  const char *vals[3] = {d->description, d->options, d->colour};
  ThemaBuf cell = {0};
  if (o->lua) {
    thema_buf_puts(b, "  { code = ");
    lua_string(b, d->name, strlen(d->name));
    if (parent) {
      thema_buf_puts(b, ", parent = ");
      lua_string(b, parent, plen);
    }
    static const char *const scalars[] = {"description", "options", "colour"};
    for (int k = 0; k < 3; k++)
      if (vals[k] && *vals[k]) {
        thema_buf_printf(b, ", %s = ", scalars[k]);
        lua_string(b, vals[k], strlen(vals[k]));
      }
    for (int k = 0; k < THEMA_RULE_KINDS; k++) {
      if (!d->nrules[k]) continue;
      thema_buf_printf(b, ",\n    %s = {", thema_code_rule_kinds[k]);
      for (int i = 0; i < d->nrules[k]; i++) {
        thema_buf_puts(b, i ? ", " : " ");
        lua_string(b, d->rules[k][i], strlen(d->rules[k][i]));
      }
      thema_buf_puts(b, " }");
    }
    thema_buf_puts(b, " },\n");
    return THEMA_OK;
  }
  /* CSV: code,parent,description,include,exclude,options,match,nomatch,colour */
  for (int f = 0; thema_codebook_fields[f]; f++) {
    const char *field = thema_codebook_fields[f];
    if (f) thema_buf_putc(b, ',');
    thema_buf_reset(&cell);
    if (strcmp(field, "code") == 0)
      thema_buf_puts(&cell, d->name);
    else if (strcmp(field, "parent") == 0 && parent)
      thema_buf_append(&cell, parent, plen);
    else if (strcmp(field, "description") == 0 && d->description)
      thema_buf_puts(&cell, d->description);
    else if (strcmp(field, "options") == 0 && d->options)
      thema_buf_puts(&cell, d->options);
    else if (strcmp(field, "colour") == 0 && d->colour)
      thema_buf_puts(&cell, d->colour);
    else
      for (int k = 0; k < THEMA_RULE_KINDS; k++)
        if (strcmp(field, thema_code_rule_kinds[k]) == 0) join_rules(&cell, d, k);
    thema_csv_quote(b, cell.data ? cell.data : "", cell.len, ',');
  }
  thema_buf_putc(b, '\n');
  thema_buf_free(&cell);
  return THEMA_OK;
}

int thema_export_codebook(ThemaStore *st, const char *format, ThemaBuf *out,
                          ThemaError *err) {
  Out o = {out, 0};
  if (strcmp(format, "lua") == 0)
    o.lua = 1;
  else if (strcmp(format, "csv") != 0)
    return thema_error_set(err, THEMA_EUSAGE,
                           "export codebook: --format is csv, lua or qdc, not '%s'",
                           format);
  if (o.lua) {
    thema_buf_puts(out, "-- the store's codebook, as thema exported it\nreturn {\n");
  } else {
    for (int f = 0; thema_codebook_fields[f]; f++)
      thema_buf_printf(out, "%s%s", f ? "," : "", thema_codebook_fields[f]);
    thema_buf_putc(out, '\n');
  }
  if (thema_code_each(st, 0, on_code, &o, err)) return err->status;
  if (o.lua) thema_buf_puts(out, "}\n");
  return THEMA_OK;
}
