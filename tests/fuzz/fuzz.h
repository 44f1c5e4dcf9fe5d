/*
 * fuzz.h — what the libFuzzer targets share: the input as a NUL-terminated
 * copy (the parsers take C strings or need a terminator past the end, which
 * libFuzzer's buffer does not have).
 */
#ifndef THEMA_FUZZ_H
#define THEMA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of data with a NUL after it; the caller frees it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) abort();
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

#endif
