/*
 * utf8.h — UTF-8 validation and conversion between byte offsets (used inside
 * the core) and code-point offsets (the public contract, as in REFI-QDA).
 */
#ifndef THEMA_UTF8_H
#define THEMA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 prefix of s[0..n): n when all of it is valid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t thema_utf8_valid_prefix(const char *s, size_t n);

/* Number of code points in s[0..n) (s must be valid UTF-8). */
size_t thema_utf8_count(const char *s, size_t n);

/* Byte offset of code point cp in s[0..n), or n when cp is at or past the end. */
size_t thema_utf8_byte_offset(const char *s, size_t n, size_t cp);

/* Decode one code point at s[0..n); stores its length in *len (1 on bad input). */
int32_t thema_utf8_decode(const char *s, size_t n, size_t *len);

/* Walks a text forward converting byte offsets to code points, so that a
 * run of increasing offsets (the segments of a source, the matches in a
 * segment) costs one pass. Start zeroed; a smaller offset restarts it. */
typedef struct ThemaUtf8Cursor {
  size_t byte; /* byte offset reached */
  size_t cp;   /* code points before it */
} ThemaUtf8Cursor;

size_t thema_utf8_cursor_advance(ThemaUtf8Cursor *c, const char *text, size_t byte);

#endif
