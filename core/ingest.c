/*
 * ingest.c — what the importers share: loading a file as normalised UTF-8,
 * front matter and sidecar "key: value" files, registering a source by name
 * and content hash, speaker rows, and byte-to-code-point conversion.
 */
#include "ingest.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "utf8.h"

/* Line and column (1-based, column in code points) of byte offset off. */
static void line_col(const char *s, size_t off, long *line, long *col) {
  long l = 1;
  size_t bol = 0;
  for (size_t i = 0; i < off; i++)  /* LF, CRLF or a lone CR ends a line */
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
      l++;
      bol = i + 1;
    }
  *line = l;
  *col = (long)thema_utf8_count(s + bol, off - bol) + 1;
}

int thema_text_load(const char *path, ThemaText *t, ThemaError *err) {
  ThemaBuf raw = {0};
  if (thema_read_file(path, &raw, err) != THEMA_OK) goto done;
  thema_sha256_hex(raw.data, raw.len, t->hash);
  const char *s = raw.data;
  size_t n = raw.len;
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { s += 3; n -= 3; }
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
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r') {
      thema_buf_putc(&t->buf, '\n');
      if (i + 1 < n && s[i + 1] == '\n') i++;
    } else {
      size_t j = i;
      while (j < n && s[j] != '\r') j++;
      thema_buf_append(&t->buf, s + i, j - i);
      i = j - 1;
    }
  }
  size_t k = 0;
  while (k < t->buf.len && strchr(" \t\n", t->buf.data[k])) k++;
  if (k == t->buf.len)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "file is empty; nothing to import");
done:
  thema_buf_free(&raw);
  if (!t->buf.data) thema_buf_append(&t->buf, "", 0);
  return err->status;
}

void thema_text_free(ThemaText *t) { thema_buf_free(&t->buf); }

static void meta_add(ThemaMeta *m, const char *k, size_t kn, const char *v, size_t vn) {
  m->keys = thema_xrealloc(m->keys, (size_t)(m->n + 1) * sizeof *m->keys);
  m->values = thema_xrealloc(m->values, (size_t)(m->n + 1) * sizeof *m->values);
  m->keys[m->n] = thema_xstrndup(k, kn);
  m->values[m->n] = thema_xstrndup(v, vn);
  m->n++;
}

/* One "key: value" line; blank and '#' lines are skipped. */
static int meta_line(const char *path, long lineno, const char *s, size_t n,
                     ThemaMeta *meta, ThemaError *err) {
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i == n || s[i] == '#') return THEMA_OK;
  size_t k = i;
  while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                   (s[k] >= '0' && s[k] <= '9') || s[k] == '_' || s[k] == '-'))
    k++;
  if (k == i || k >= n || s[k] != ':')
    return thema_error_at(err, THEMA_EINPUT, path, lineno, (long)i + 1,
                          "expected 'key: value', got '%.*s'", (int)(n - i), s + i);
  size_t v = k + 1;
  while (v < n && (s[v] == ' ' || s[v] == '\t')) v++;
  /* A trailing "# comment" after the value is dropped too. */
  size_t e = v;
  while (e < n && !(s[e] == '#' && e > v && (s[e - 1] == ' ' || s[e - 1] == '\t'))) e++;
  while (e > v && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
  for (int j = 0; j < meta->n; j++)
    if (strlen(meta->keys[j]) == k - i && memcmp(meta->keys[j], s + i, k - i) == 0)
      return thema_error_at(err, THEMA_EINPUT, path, lineno, (long)i + 1,
                            "key '%.*s' is given twice", (int)(k - i), s + i);
  meta_add(meta, s + i, k - i, s + v, e - v);
  return THEMA_OK;
}

int thema_meta_parse_lines(const char *path, const char *text, size_t len,
                           long first_line, ThemaMeta *meta, ThemaError *err) {
  long lineno = first_line;
  for (size_t i = 0; i < len; lineno++) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (meta_line(path, lineno, text + i, e - i, meta, err) != THEMA_OK)
      return err->status;
    i = e + 1;
  }
  return THEMA_OK;
}

static int is_fence(const char *s, size_t n) {
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return n == 3 && memcmp(s, "---", 3) == 0;
}

int thema_meta_parse_front(const char *path, const char *text, size_t len,
                           ThemaMeta *meta, size_t *body, long *body_line,
                           ThemaError *err) {
  *body = 0;
  *body_line = 1;
  const char *nl = memchr(text, '\n', len);
  size_t e = nl ? (size_t)(nl - text) : len;
  if (!is_fence(text, e)) return THEMA_OK;
  long lineno = 2;
  for (size_t i = e + 1; i < len; lineno++) {
    nl = memchr(text + i, '\n', len - i);
    e = nl ? (size_t)(nl - text) : len;
    if (is_fence(text + i, e - i)) {
      *body = e < len ? e + 1 : len;
      *body_line = lineno + 1;
      return THEMA_OK;
    }
    if (meta_line(path, lineno, text + i, e - i, meta, err) != THEMA_OK)
      return err->status;
    i = e + 1;
  }
  return thema_error_at(err, THEMA_EINPUT, path, 1, 1,
                        "front matter opened with '---' is never closed; add a "
                        "line '---' after its last 'key: value' line");
}

const char *thema_meta_get(const ThemaMeta *meta, const char *key) {
  if (!meta) return NULL;
  for (int i = 0; i < meta->n; i++)
    if (strcmp(meta->keys[i], key) == 0) return meta->values[i];
  return NULL;
}

void thema_meta_free(ThemaMeta *meta) {
  for (int i = 0; i < meta->n; i++) {
    free(meta->keys[i]);
    free(meta->values[i]);
  }
  free(meta->keys);
  free(meta->values);
  memset(meta, 0, sizeof *meta);
}

/* Front matter keys with a column of their own; the rest become attributes. */
static const char *const source_columns[] = {"kind", "title", "network", "date"};

int thema_source_register(ThemaStore *st, const ThemaSourceInfo *info, int replace,
                          ThemaImportResult *res, ThemaError *err) {
  char *name = thema_path_stem(info->path);
  int64_t old_id = 0;
  sqlite3_stmt *q = thema_store_stmt(
      st, "SELECT id, hash, path FROM source WHERE name = ?", err);
  if (!q) goto done;
  sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    old_id = sqlite3_column_int64(q, 0);
    int same = strcmp((const char *)sqlite3_column_text(q, 1), info->text->hash) == 0;
    char *old_path = thema_xstrdup((const char *)sqlite3_column_text(q, 2));
    sqlite3_reset(q);
    if (same) {
      res->unchanged = 1;
      res->source_id = old_id;
    } else if (!replace) {
      thema_error_at(err, THEMA_EINPUT, info->path, 0, 0,
                     "source '%s' is already stored with different content "
                     "(imported from %s); pass --replace to replace it and its "
                     "codings, or rename the file",
                     name, old_path);
    }
    free(old_path);
    if (same || err->status) goto done;
    /* Delete segments explicitly so the FTS delete trigger sees each one. */
    if (thema_store_exec(st, err, "DELETE FROM segment WHERE source_id = ?", "i",
                         (int64_t)old_id) ||
        thema_store_exec(st, err,
                         "DELETE FROM attribute WHERE entity = 'source' AND entity_id = ?",
                         "i", (int64_t)old_id) ||
        thema_store_exec(st, err, "DELETE FROM source WHERE id = ?", "i",
                         (int64_t)old_id))
      goto done;
    res->replaced = 1;
  }
  sqlite3_reset(q);
  const ThemaMeta *m = info->meta;
  char now[32];
  thema_store_now(now);
  /* The stored text is bound without a copy ('s'): it can be large. */
  if (thema_store_id(
          st, err, &res->source_id,
          "INSERT INTO source(name, kind, genre, title, network, date, format, path,"
          " hash, text, length, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
          "tttttttttsit", name, info->kind, thema_meta_get(m, "kind"),
          thema_meta_get(m, "title"), thema_meta_get(m, "network"),
          thema_meta_get(m, "date"), info->format, info->path, info->text->hash,
          info->stored, (int64_t)thema_utf8_count(info->stored, info->stored_len), now))
    goto done;
  for (int i = 0; m && i < m->n; i++) {
    int is_column = 0;
    for (size_t c = 0; c < sizeof source_columns / sizeof *source_columns; c++)
      is_column |= strcmp(m->keys[i], source_columns[c]) == 0;
    if (!is_column &&
        thema_store_exec(st, err,
                         "INSERT INTO attribute(entity, entity_id, key, value)"
                         " VALUES ('source', ?, ?, ?)",
                         "itt", res->source_id, m->keys[i], m->values[i]))
      goto done;
  }
done:
  free(name);
  return err->status;
}

int thema_source_index(ThemaStore *st, int64_t source_id, ThemaError *err) {
  return thema_store_exec(st, err,
                          "INSERT INTO segment_fts(rowid, text) SELECT id, text FROM segment"
                          " WHERE source_id = ? ORDER BY id",
                          "i", source_id);
}

int thema_speaker_id(ThemaStore *st, int64_t source_id, const char *label,
                     int64_t *id, ThemaError *err) {
  if (thema_store_id(st, err, id,
                     "SELECT id FROM speaker WHERE source_id = ? AND label = ?", "it",
                     source_id, label))
    return err->status;
  if (*id) return THEMA_OK;
  return thema_store_id(st, err, id,
                        "INSERT INTO speaker(source_id, label) VALUES (?, ?) RETURNING id",
                        "it", source_id, label);
}
