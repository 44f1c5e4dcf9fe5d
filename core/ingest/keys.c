/*
 * keys.c — an open-addressing hash set of byte strings (FNV-1a, linear
 * probing, doubled at half full), so that checking every row of a large
 * cases or monitor file against the earlier ones stays linear.
 */
#include "ingest/keys.h"

#include <stdlib.h>
#include <string.h>

static unsigned hash_of(const char *s, size_t n) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

ThemaKey *thema_keys_find(const ThemaKeys *k, const char *key, size_t len) {
  if (!k->cap) return NULL;
  unsigned h = hash_of(key, len);
  for (size_t i = h & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
    ThemaKey *e = k->slots[i];
    if (!e) return NULL;
    if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) return e;
  }
}

static void put(ThemaKey **slots, size_t cap, ThemaKey *e) {
  size_t i = e->hash & (cap - 1);
  while (slots[i]) i = (i + 1) & (cap - 1);
  slots[i] = e;
}

ThemaKey *thema_keys_add(ThemaKeys *k, const char *key, size_t len, long line,
                         const char *value) {
  if (2 * (k->n + 1) > k->cap) {
    size_t cap = k->cap ? 2 * k->cap : 16;
    ThemaKey **slots = thema_xmalloc(cap * sizeof *slots);
    memset(slots, 0, cap * sizeof *slots);
    for (size_t i = 0; i < k->cap; i++)
      if (k->slots[i]) put(slots, cap, k->slots[i]);
    free(k->slots);
    k->slots = slots;
    k->cap = cap;
  }
  ThemaKey *e = thema_xmalloc(sizeof *e);
  e->key = thema_xmalloc(len + 1);
  if (len) memcpy(e->key, key, len);
  e->key[len] = '\0';
  e->len = len;
  e->line = line;
  e->value = value ? thema_xstrdup(value) : NULL;
  e->index = k->n++;
  e->hash = hash_of(key, len);
  put(k->slots, k->cap, e);
  return e;
}

void thema_keys_clear(ThemaKeys *k) {
  for (size_t i = 0; i < k->cap; i++) {
    if (!k->slots[i]) continue;
    free(k->slots[i]->key);
    free(k->slots[i]->value);
    free(k->slots[i]);
  }
  free(k->slots);
  k->slots = NULL;
  k->cap = k->n = 0;
}

void thema_keys_part(ThemaBuf *out, const char *part, size_t n) {
  thema_buf_printf(out, "%zu:", n);
  thema_buf_append(out, part, n);
}
