/*
 * codebook_store.c — the codebook model and the store: the store's codes with
 * rules read back as a codebook, and a codebook saved under its file's stem
 * (the rows themselves are written by store/code.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "deductive/codebook.h"

static int add_from_store(void *ud, const ThemaCodeDef *def, ThemaError *err) {
  (void)err;
  ThemaCodebook *cb = ud;
  ThemaCbCode *c = thema_codebook_add(cb);
  c->name = thema_xstrdup(def->name);
  c->path = thema_xstrdup(def->path);
  c->options = def->options ? thema_xstrdup(def->options) : NULL;
  c->line = def->line;
  ThemaList *lists[THEMA_RULE_KINDS] = {&c->include, &c->exclude, &c->match, &c->nomatch};
  for (int k = 0; k < THEMA_RULE_KINDS; k++)
    for (int j = 0; j < def->nrules[k]; j++)
      thema_list_add(lists[k], def->rules[k][j], strlen(def->rules[k][j]));
  return THEMA_OK;
}

int thema_codebook_from_store(ThemaStore *st, ThemaCodebook *cb, ThemaError *err) {
  memset(cb, 0, sizeof *cb);
  cb->path = thema_xstrdup("store");
  if (thema_code_each_ruled(st, add_from_store, cb, err)) return err->status;
  if (cb->n == 0)
    thema_error_set(err, THEMA_EINPUT,
                    "the store has no codes with include rules; import a codebook first "
                    "('thema import codebook FILE')");
  return err->status;
}

int thema_codebook_save(ThemaStore *st, const ThemaCodebook *cb, int *unchanged,
                        ThemaError *err) {
  ThemaCodeDef *defs = thema_xmalloc((size_t)(cb->n ? cb->n : 1) * sizeof *defs);
  for (int i = 0; i < cb->n; i++) {
    const ThemaCbCode *c = &cb->codes[i];
    const ThemaList *lists[THEMA_RULE_KINDS] = {&c->include, &c->exclude, &c->match,
                                                &c->nomatch};
    defs[i] = (ThemaCodeDef){.name = c->name,
                             .path = c->path,
                             .description = c->description,
                             .options = c->options,
                             .colour = c->colour,
                             .line = c->line};
    for (int k = 0; k < THEMA_RULE_KINDS; k++) {
      defs[i].rules[k] = (const char *const *)lists[k]->items;
      defs[i].nrules[k] = lists[k]->n;
    }
  }
  char *name = thema_fs_stem(cb->path);
  thema_code_save_codebook(st, name, cb->path, cb->hash, defs, cb->n, unchanged, err);
  free(name);
  free(defs);
  return err->status;
}
