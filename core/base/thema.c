/*
 * thema.c — the error record, growable buffers and checked allocation used by
 * every module.
 */
#include "base/thema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *thema_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

void *thema_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) abort();
  return q;
}

void *thema_xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) abort();
  return p;
}

char *thema_xstrndup(const char *s, size_t n) {
  char *p = thema_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *thema_xstrdup(const char *s) { return thema_xstrndup(s, strlen(s)); }

static int error_vset(ThemaError *err, int status, const char *prefix, const char *fmt,
                      va_list ap) {
  if (err->status != THEMA_OK) return err->status; /* keep the first cause */
  err->status = status;
  size_t n = (size_t)snprintf(err->msg, sizeof err->msg, "%s", prefix);
  if (n < sizeof err->msg) vsnprintf(err->msg + n, sizeof err->msg - n, fmt, ap);
  return status;
}

int thema_error_set(ThemaError *err, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_vset(err, status, "", fmt, ap);
  va_end(ap);
  return err->status;
}

int thema_error_at(ThemaError *err, int status, const char *file, long line, long col,
                   const char *fmt, ...) {
  char prefix[1024];
  if (line > 0 && col > 0)
    snprintf(prefix, sizeof prefix, "%s:%ld:%ld: ", file, line, col);
  else if (line > 0)
    snprintf(prefix, sizeof prefix, "%s:%ld: ", file, line);
  else
    snprintf(prefix, sizeof prefix, "%s: ", file);
  va_list ap;
  va_start(ap, fmt);
  error_vset(err, status, prefix, fmt, ap);
  va_end(ap);
  return err->status;
}

void thema_error_clear(ThemaError *err) {
  err->status = THEMA_OK;
  err->msg[0] = '\0';
}

const char *thema_error_take(ThemaError *err, char *why) {
  memcpy(why, err->msg, sizeof err->msg);
  thema_error_clear(err);
  return why;
}

static void buf_reserve(ThemaBuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = thema_xrealloc(b->data, cap);
  b->cap = cap;
}

void thema_buf_append(ThemaBuf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void thema_buf_puts(ThemaBuf *b, const char *s) { thema_buf_append(b, s, strlen(s)); }
void thema_buf_putc(ThemaBuf *b, char c) { thema_buf_append(b, &c, 1); }

void thema_buf_printf(ThemaBuf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void thema_buf_reset(ThemaBuf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void thema_buf_free(ThemaBuf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

const char *thema_buf_str(const ThemaBuf *b) { return b->data ? b->data : ""; }

void thema_buf_flush(ThemaBuf *b, FILE *f, size_t limit) {
  if (b->len <= limit && limit) return;
  if (b->len) fwrite(b->data, 1, b->len, f);
  thema_buf_reset(b);
}

int thema_cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Levenshtein distance of two short ASCII strings, stopping at 3 (all a
 * "did you mean" needs). */
static int edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return 3;
  int row[64];
  for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int diag = row[0], best = row[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int up = row[j];
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = diag + cost;
      if (up + 1 < v) v = up + 1;
      if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
      row[j] = v;
      diag = up;
      if (v < best) best = v;
    }
    if (best >= 3) return 3;
  }
  return row[lb] < 3 ? row[lb] : 3;
}

const char *thema_nearest(const char *word, const char *const *choices) {
  const char *best = NULL;
  int bestd = 3;
  for (; *choices; choices++) {
    int d = edit_distance(word, *choices);
    if (d < bestd && (size_t)d < strlen(word)) bestd = d, best = *choices;
  }
  return best;
}
