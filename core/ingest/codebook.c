/*
 * codebook.c — "import codebook FILE": a codebook (.csv or .lua) is read and
 * every pattern compiled before anything is stored, so a bad pattern never
 * reaches the store.
 */
#include "deductive/codebook.h"
#include "ingest/ingest.h"

int thema_import_codebook(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                          ThemaImportResult *res, ThemaError *err) {
  (void)opt;
  ThemaCodebook cb;
  ThemaMatcher *m = NULL;
  int unchanged = 0;
  /* Compile before storing: a bad pattern must never reach the store. */
  if (thema_codebook_load(path, &cb, err) ||
      !(m = thema_codebook_compile(&cb, NULL, err)) ||
      thema_codebook_store(st, &cb, &unchanged, err))
    goto done;
  res->unchanged = unchanged;
  res->rows = cb.n;
done:
  thema_matcher_free(m);
  thema_codebook_free(&cb);
  return err->status;
}
