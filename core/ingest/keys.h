/*
 * keys.h — a set of exact byte-string keys, each with the line it was first
 * seen on and an owned value: what an importer remembers of one file to say
 * "given twice (first on line 4)" or "given as X here but as Y on line 2".
 * Keys of any length, compared whole: no two keys ever merge.
 */
#ifndef THEMA_KEYS_H
#define THEMA_KEYS_H

#include <stddef.h>

#include "base/thema.h"

typedef struct ThemaKey {
  char *key;     /* owned copy, NUL-terminated (it may hold NULs of its own) */
  size_t len;    /* bytes of key */
  long line;     /* where it was first seen */
  char *value;   /* owned copy, or NULL */
  size_t index;  /* 0, 1, 2, ... in the order keys were added */
  unsigned hash; /* of key, to grow the table without rehashing texts */
} ThemaKey;

typedef struct ThemaKeys {
  ThemaKey **slots; /* open addressing, NULL = empty; owned */
  size_t cap;       /* slots allocated (0 or a power of two) */
  size_t n;         /* keys stored */
} ThemaKeys;

/* Start zeroed ({0}). The key of key[0..len), or NULL when it is absent;
 * the entry belongs to the set and lives until it is cleared. */
ThemaKey *thema_keys_find(const ThemaKeys *k, const char *key, size_t len);

/* Add key[0..len) (not yet in the set) with line and a copy of value (may
 * be NULL); returns its entry, owned by the set. */
ThemaKey *thema_keys_add(ThemaKeys *k, const char *key, size_t len, long line,
                         const char *value);

/* Remove every key; the set can be used again. */
void thema_keys_clear(ThemaKeys *k);

/* Append part[0..n) to a composite key in out so that no two lists of parts
 * give the same bytes: each part is written as its length, ':', its bytes. */
void thema_keys_part(ThemaBuf *out, const char *part, size_t n);

#endif
