/*
 * meta.c — "key: value" metadata: front matter between "---" lines at the
 * start of a transcript or document, and whole sidecar files (FILE.meta).
 * Blank and '#' lines are skipped; a key given twice is an error.
 */
#include "text/meta.h"

#include <stdlib.h>
#include <string.h>

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

int thema_meta_parse_lines(const char *path, const char *text, size_t len, long first_line,
                           ThemaMeta *meta, ThemaError *err) {
  long lineno = first_line;
  for (size_t i = 0; i < len; lineno++) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (meta_line(path, lineno, text + i, e - i, meta, err) != THEMA_OK) return err->status;
    i = e + 1;
  }
  return THEMA_OK;
}

static int is_fence(const char *s, size_t n) {
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return n == 3 && memcmp(s, "---", 3) == 0;
}

int thema_meta_parse_front(const char *path, const char *text, size_t len, ThemaMeta *meta,
                           size_t *body, long *body_line, ThemaError *err) {
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
    if (meta_line(path, lineno, text + i, e - i, meta, err) != THEMA_OK) return err->status;
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
