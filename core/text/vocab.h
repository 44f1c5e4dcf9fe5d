/*
 * vocab.h — an interning table of strings: each distinct string gets a dense
 * id (0, 1, 2, ... in order of first sight) and is stored once. It is the
 * vocabulary of every count over tokens (surface forms, stems, n-grams) and
 * the set type of the stop word and filler lists, so the project has one
 * string hash, not one per counter.
 */
#ifndef THEMA_VOCAB_H
#define THEMA_VOCAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct ThemaVocab ThemaVocab;

/* An empty table; the caller frees it with thema_vocab_free (NULL allowed). */
ThemaVocab *thema_vocab_new(void);
void thema_vocab_free(ThemaVocab *v);

/* The id of s[0..n), added when new (then *added, if not NULL, is 1). */
uint32_t thema_vocab_intern(ThemaVocab *v, const char *s, size_t n, int *added);
/* The id of s[0..n), or -1 when it is not in the table. */
int64_t thema_vocab_find(const ThemaVocab *v, const char *s, size_t n);
/* The number of strings. */
uint32_t thema_vocab_size(const ThemaVocab *v);
/* The string of id (NUL-terminated, owned by the table, valid until the next
 * intern); *len (may be NULL) gets its length. */
const char *thema_vocab_str(const ThemaVocab *v, uint32_t id, size_t *len);
/* Bytes held by the table (strings, ids and slots): for memory figures. */
size_t thema_vocab_bytes(const ThemaVocab *v);

#endif
