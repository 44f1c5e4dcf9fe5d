/*
 * fuzz_utf8.c — the UTF-8 and text primitives on any bytes: validation,
 * decoding, counting and the code-point cursor must agree with each other;
 * accent stripping with its byte map must map every byte of the copy back
 * into the original; normalisation must give valid UTF-8.
 */
#include "base/utf8.h"
#include "fuzz.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  size_t valid = thema_utf8_valid_prefix(s, size);
  if (valid > size) abort();
  size_t cps = 0;
  for (size_t i = 0; i < valid;) {
    size_t len = 0;
    int32_t c = thema_utf8_decode(s + i, valid - i, &len);
    if (len == 0 || len > 4 || c < 0) abort();
    i += len;
    cps++;
  }
  if (thema_utf8_count(s, valid) != cps) abort();
  ThemaUtf8Cursor cur = {0};
  if (thema_utf8_cursor_advance(&cur, s, valid) != cps) abort();
  if (thema_utf8_byte_offset(s, valid, cps) != valid) abort();
  ThemaBuf out = {0};
  size_t *map = NULL, cap = 0;
  thema_text_strip_mapped(&out, &map, &cap, s, valid);
  for (size_t b = 0; b <= out.len; b++)
    if (map[b] > valid || (b && map[b] < map[b - 1])) abort();
  if (map[out.len] != valid) abort();
  thema_buf_reset(&out);
  ThemaError err = {0};
  if (thema_text_normalise(&out, s, valid, THEMA_TEXT_CASEFOLD | THEMA_TEXT_STRIPMARK,
                           &err) == THEMA_OK &&
      thema_utf8_valid_prefix(out.data, out.len) != out.len)
    abort();
  thema_buf_free(&out);
  free(map);
  return 0;
}
