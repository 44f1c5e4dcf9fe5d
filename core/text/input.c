/*
 * input.c — a file read as text for an importer: BOM removed (at the start
 * of the file and of every line), line ends normalised to LF, checked to be non-empty valid UTF-8 without NUL bytes,
 * with the SHA-256 of the raw bytes (what re-import compares).
 */
#include "text/input.h"

#include <string.h>

#include "base/fs.h"
#include "base/hash.h"
#include "base/utf8.h"

/* Line and column (1-based, column in code points) of byte offset off. */
static void line_col(const char *s, size_t off, long *line, long *col) {
  long l = 1;
  size_t bol = 0;
  for (size_t i = 0; i < off; i++) /* LF, CRLF or a lone CR ends a line */
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
      l++;
      bol = i + 1;
    }
  *line = l;
  *col = (long)thema_utf8_count(s + bol, off - bol) + 1;
}

int thema_input_load(const char *path, ThemaInput *t, ThemaError *err) {
  ThemaBuf raw = {0};
  if (thema_fs_read(path, &raw, err) != THEMA_OK) goto done;
  thema_hash_sha256(raw.data, raw.len, t->hash);
  const char *s = raw.data;
  size_t n = raw.len;
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
    s += 3;
    n -= 3;
  }
  size_t valid = thema_utf8_valid_prefix(s, n);
  if (valid < n) {
    long line, col;
    line_col(s, valid, &line, &col);
    thema_error_at(err, THEMA_EINPUT, path, line, col,
                   "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
                   (unsigned char)s[valid]);
    goto done;
  }
  const char *nul = memchr(s, '\0', n);
  if (nul) {
    long line, col;
    line_col(s, (size_t)(nul - s), &line, &col);
    thema_error_at(err, THEMA_EINPUT, path, line, col,
                   "NUL byte in text; is this a binary file?");
    goto done;
  }
  thema_buf_reset(&t->buf);
  /* Line by line: CRLF and CR become LF, and a BOM at the start of a line
   * (files joined with cat) is dropped, where it would hide a speaker label. */
  for (size_t i = 0; i < n;) {
    while (n - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0) i += 3;
    size_t j = i;
    while (j < n && s[j] != '\r' && s[j] != '\n') j++;
    thema_buf_append(&t->buf, s + i, j - i);
    if (j == n) break;
    thema_buf_putc(&t->buf, '\n');
    i = j + (s[j] == '\r' && j + 1 < n && s[j + 1] == '\n' ? 2 : 1);
  }
  size_t k = 0;
  while (k < t->buf.len && strchr(" \t\n", t->buf.data[k])) k++;
  if (k == t->buf.len)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "file is empty; nothing to import");
done:
  thema_buf_free(&raw);
  if (!t->buf.data) thema_buf_append(&t->buf, "", 0);
  return err->status;
}

void thema_input_free(ThemaInput *t) { thema_buf_free(&t->buf); }
