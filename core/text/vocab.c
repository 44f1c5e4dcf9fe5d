/*
 * vocab.c — open addressing over 32-bit ids with linear probing; the strings
 * live one after another in one growing arena (NUL-terminated, so a string
 * can be handed out as it is), and each id keeps its offset, length and hash
 * so that growing the slot array never rehashes a string.
 */
#include "text/vocab.h"

#include <stdlib.h>
#include <string.h>

#include "base/thema.h"

enum { EMPTY = UINT32_MAX };

struct ThemaVocab {
  char *arena;      /* the strings, each NUL-terminated */
  size_t used, cap; /* bytes of the arena in use, allocated */
  size_t *off;      /* off[id]: where string id starts in the arena */
  uint32_t *len;    /* len[id]: its length in bytes */
  uint32_t *hash;   /* hash[id]: its hash (the low 32 bits) */
  uint32_t n, ncap; /* ids given, room in off/len/hash */
  uint32_t *slot;   /* nslot entries: an id or EMPTY */
  uint32_t nslot;   /* a power of two, at least twice n */
};

/* FNV-1a over 64 bits, folded: short keys, good enough spread. */
static uint32_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return (uint32_t)(h ^ (h >> 32));
}

ThemaVocab *thema_vocab_new(void) {
  ThemaVocab *v = thema_xcalloc(1, sizeof *v);
  v->nslot = 64;
  v->slot = thema_xmalloc(v->nslot * sizeof *v->slot);
  memset(v->slot, 0xff, v->nslot * sizeof *v->slot);
  return v;
}

void thema_vocab_free(ThemaVocab *v) {
  if (!v) return;
  free(v->arena);
  free(v->off);
  free(v->len);
  free(v->hash);
  free(v->slot);
  free(v);
}

/* The slot holding s (its id there) or the empty slot where it would go. */
static uint32_t probe(const ThemaVocab *v, const char *s, size_t n, uint32_t h) {
  uint32_t mask = v->nslot - 1;
  for (uint32_t i = h & mask;; i = (i + 1) & mask) {
    uint32_t id = v->slot[i];
    if (id == EMPTY) return i;
    if (v->hash[id] == h && v->len[id] == n && memcmp(v->arena + v->off[id], s, n) == 0)
      return i;
  }
}

static void grow_slots(ThemaVocab *v) {
  uint32_t nslot = v->nslot * 2;
  uint32_t *slot = thema_xmalloc(nslot * sizeof *slot);
  memset(slot, 0xff, nslot * sizeof *slot);
  for (uint32_t id = 0; id < v->n; id++) {
    uint32_t i = v->hash[id] & (nslot - 1);
    while (slot[i] != EMPTY) i = (i + 1) & (nslot - 1);
    slot[i] = id;
  }
  free(v->slot);
  v->slot = slot;
  v->nslot = nslot;
}

int64_t thema_vocab_find(const ThemaVocab *v, const char *s, size_t n) {
  uint32_t id = v->slot[probe(v, s, n, hash_bytes(s, n))];
  return id == EMPTY ? -1 : (int64_t)id;
}

uint32_t thema_vocab_intern(ThemaVocab *v, const char *s, size_t n, int *added) {
  uint32_t h = hash_bytes(s, n);
  uint32_t i = probe(v, s, n, h);
  if (added) *added = v->slot[i] == EMPTY;
  if (v->slot[i] != EMPTY) return v->slot[i];
  if (v->n == v->ncap) {
    v->ncap = v->ncap ? v->ncap * 2 : 64;
    v->off = thema_xrealloc(v->off, v->ncap * sizeof *v->off);
    v->len = thema_xrealloc(v->len, v->ncap * sizeof *v->len);
    v->hash = thema_xrealloc(v->hash, v->ncap * sizeof *v->hash);
  }
  if (v->used + n + 1 > v->cap) {
    v->cap = v->cap * 2 > v->used + n + 1 ? v->cap * 2 : v->used + n + 1 + 4096;
    v->arena = thema_xrealloc(v->arena, v->cap);
  }
  uint32_t id = v->n++;
  memcpy(v->arena + v->used, s, n);
  v->arena[v->used + n] = '\0';
  v->off[id] = v->used;
  v->len[id] = (uint32_t)n;
  v->hash[id] = h;
  v->used += n + 1;
  v->slot[i] = id;
  if ((uint64_t)v->n * 2 > v->nslot) grow_slots(v);
  return id;
}

uint32_t thema_vocab_size(const ThemaVocab *v) { return v->n; }

const char *thema_vocab_str(const ThemaVocab *v, uint32_t id, size_t *len) {
  if (len) *len = v->len[id];
  return v->arena + v->off[id];
}

size_t thema_vocab_bytes(const ThemaVocab *v) {
  return v->cap + (size_t)v->ncap * (sizeof *v->off + sizeof *v->len + sizeof *v->hash) +
         (size_t)v->nslot * sizeof *v->slot;
}
