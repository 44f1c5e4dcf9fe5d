/*
 * import_helpers.h — shared by the unit tests of the importers (the
 * store-backed ones of ingest/sink_store.h): importing a file the way one
 * command does, and checks on what was stored.
 */
#ifndef THEMA_TEST_IMPORT_HELPERS_H
#define THEMA_TEST_IMPORT_HELPERS_H

#include "helpers.h"
#include "ingest/sink_store.h"

/* One of the importers of sink_store.h (thema_import_transcript, ..._cases, ...). */
typedef int (*ThImporter)(ThemaStore *, const char *, const ThemaImportOptions *,
                          ThemaImportResult *, ThemaError *);

/* Import path with fn in one transaction, committed on success, as one command does. */
static inline int th_import(ThemaStore *st, ThImporter fn, const char *path,
                            const ThemaImportOptions *opt, ThemaImportResult *res,
                            ThemaError *err) {
  ThemaError terr = {0};
  cr_assert_eq(thema_store_begin(st, &terr), THEMA_OK, "%s", terr.msg);
  memset(res, 0, sizeof *res);
  thema_error_clear(err);
  int rc = fn(st, path, opt, res, err);
  cr_assert_eq(rc, err->status);
  if (rc == THEMA_OK)
    cr_assert_eq(thema_store_commit(st, &terr), THEMA_OK, "%s", terr.msg);
  else
    thema_store_rollback(st);
  return rc;
}

/* Write name with data[0..n) into dir and th_import it; its path goes to path[pathn]. */
static inline int th_import_data(ThemaStore *st, ThImporter fn, const char *dir,
                                 const char *name, const char *data, size_t n,
                                 const ThemaImportOptions *opt, ThemaImportResult *res,
                                 ThemaError *err, char *path, size_t pathn) {
  char *p = th_write(dir, name, data, n);
  snprintf(path, pathn, "%s", p);
  free(p);
  return th_import(st, fn, path, opt, res, err);
}

/* rc/err are an input error at dir/where holding every needle (failures name `what`). */
static inline void th_expect_input_error(const char *what, int rc, const ThemaError *err,
                                         const char *dir, const char *where,
                                         const char *const *needles) {
  cr_assert_eq(rc, THEMA_EINPUT, "%s: expected an input error, got %d: '%s'", what, rc,
               err->msg);
  cr_assert_eq(err->status, THEMA_EINPUT);
  char prefix[1024];
  snprintf(prefix, sizeof prefix, "%s/%s", dir, where);
  cr_assert(strncmp(err->msg, prefix, strlen(prefix)) == 0,
            "%s: message should start with '%s': '%s'", what, prefix, err->msg);
  for (; *needles; needles++)
    cr_assert(strstr(err->msg, *needles), "%s: message lacks '%s': '%s'", what, *needles,
              err->msg);
}

/* A file an importer must refuse, for tables of error cases. */
typedef struct ErrCase {
  const char *what;
  const char *name; /* file name (its extension picks the format) */
  const char *data;
  size_t n;
  const char *where;  /* what follows the path: ":2:7: " or ": " */
  const char *needle; /* a phrase of the message */
} ErrCase;

/* An ErrCase whose data is the string literal lit. */
#define EC(what, name, lit, where, needle)                                                 \
  { what, name, lit, sizeof(lit) - 1, where, needle }

/* c's import from path failed as c says and left the NULL-terminated tables empty. */
static inline void th_expect_err_case(ThemaStore *st, const ErrCase *c, int rc,
                                      const ThemaError *err, const char *path,
                                      const char *const *tables) {
  cr_expect_eq(rc, THEMA_EINPUT, "%s: status %d (%s)", c->what, rc, err->msg);
  char want[800];
  snprintf(want, sizeof want, "%s%s", path, c->where);
  cr_expect(strncmp(err->msg, want, strlen(want)) == 0,
            "%s: message '%s' should start '%s'", c->what, err->msg, want);
  cr_expect(strstr(err->msg, c->needle) != NULL, "%s: message '%s' lacks '%s'", c->what,
            err->msg, c->needle);
  for (; *tables; tables++)
    cr_expect_eq(th_count(st, *tables), 0, "%s: %s rows left after rollback", c->what,
                 *tables);
}

/* Every segment's text is exactly its [start, end) code-point slice of its source. */
static inline void th_expect_slices_exact(ThemaStore *st) {
  cr_expect_gt(th_int(st, "SELECT count(*) FROM segment"), 0);
  cr_expect_eq(th_int(st,
                      "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id"
                      " WHERE substr(s.text, g.start + 1, g.end - g.start) IS NOT g.text"
                      " OR g.end > s.length OR g.start > g.end"),
               0, "a segment's text is not its slice of the source text");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM source WHERE length(text) != length"), 0,
               "source.length is not the text's length in code points");
}

#endif
