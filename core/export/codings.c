/*
 * codings.c — codings as CSV, read through store/query.h and written in
 * 64 KB blocks through base/outfile.h (checked; the caller commits).
 */
#include "export/codings.h"

#include "store/query.h"
#include "text/csv.h"

int thema_export_codings_csv(ThemaStore *st, ThemaOutfile *f, ThemaError *err) {
  ThemaBuf out = {0};
  ThemaCursor *c = NULL;
  if (thema_query_coding_export(st, &c, err)) goto done;
  int ncol = thema_cursor_ncols(c);
  for (int i = 0; i < ncol; i++) {
    if (i) thema_buf_putc(&out, ',');
    thema_buf_puts(&out, thema_cursor_name(c, i));
  }
  thema_buf_putc(&out, '\n');
  int rc;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    for (int i = 0; i < ncol; i++) {
      if (i) thema_buf_putc(&out, ',');
      size_t len;
      const char *v = thema_cursor_text(c, i, &len);
      if (thema_cursor_type(c, i) != THEMA_VALUE_NULL) thema_csv_quote(&out, v, len, ',');
    }
    thema_buf_putc(&out, '\n');
    if (thema_outfile_put_buf(f, &out, 1 << 16)) break; /* commit reports why */
  }
  if (rc < 0) goto done;
  thema_outfile_put_buf(f, &out, 0);
done:
  thema_cursor_close(c);
  thema_buf_free(&out);
  return err->status;
}
