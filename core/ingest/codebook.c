/*
 * codebook.c — codebook files: read as CSV or Lua, resolved; and "import
 * codebook FILE", which compiles every pattern before anything is stored,
 * so a bad pattern never reaches the store.
 */
#include "ingest/codebook.h"

#include <string.h>

#include "base/fs.h"
#include "ingest/ingest.h"
#include "ingest/sniff.h"
#include "text/input.h"

int thema_codebook_load(const char *path, ThemaCodebook *cb, ThemaError *err) {
  memset(cb, 0, sizeof *cb);
  cb->path = thema_xstrdup(path);
  int is_lua = thema_fs_has_ext(path, "lua");
  ThemaInput text = {0};
  if (thema_sniff_require(path, "codebook", NULL, err) ||
      thema_input_load(path, &text, err))
    goto done;
  memcpy(cb->hash, text.hash, sizeof cb->hash);
  if (is_lua ? thema_codebook_read_lua(cb, text.buf.data, text.buf.len, err)
             : thema_codebook_read_csv(cb, text.buf.data, text.buf.len, err))
    goto done;
  if (cb->n == 0) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "the codebook has no codes");
    goto done;
  }
  thema_codebook_resolve(cb, is_lua ? "entry" : "line", err);
done:
  thema_input_free(&text);
  return err->status;
}

int thema_import_codebook(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                          ThemaImportResult *res, ThemaError *err) {
  (void)opt;
  ThemaCodebook cb;
  ThemaMatcher *m = NULL;
  int unchanged = 0;
  /* Compile before storing: a bad pattern must never reach the store. */
  if (thema_codebook_load(path, &cb, err) ||
      !(m = thema_codebook_compile(&cb, NULL, err)) ||
      thema_codebook_save(st, &cb, &unchanged, err))
    goto done;
  res->unchanged = unchanged;
  res->rows = cb.n;
done:
  thema_matcher_free(m);
  thema_codebook_free(&cb);
  return err->status;
}
