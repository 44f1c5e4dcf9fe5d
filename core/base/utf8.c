/*
 * utf8.c — UTF-8 validation and offset conversion. Kept tiny and branch-light
 * because every imported byte passes through thema_utf8_valid_prefix and every
 * stored offset through thema_utf8_count.
 */
#include "base/utf8.h"

size_t thema_utf8_valid_prefix(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
      cp = c & 0x07;
    } else
      return i;
    if (i + len > n) return i;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

size_t thema_utf8_count(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t count = 0;
  for (size_t i = 0; i < n; i++) count += (s[i] & 0xC0) != 0x80;
  return count;
}

size_t thema_utf8_byte_offset(const char *str, size_t n, size_t cp) {
  const unsigned char *s = (const unsigned char *)str;
  size_t seen = 0;
  for (size_t i = 0; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      if (seen == cp) return i;
      seen++;
    }
  }
  return n;
}

int32_t thema_utf8_decode(const char *str, size_t n, size_t *len) {
  const unsigned char *s = (const unsigned char *)str;
  unsigned c = s[0];
  size_t l = c < 0x80             ? 1
             : (c & 0xE0) == 0xC0 ? 2
             : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4
                                  : 1;
  if (l > n) l = 1;
  for (size_t k = 1; k < l; k++) /* a lead byte without its continuation bytes */
    if ((s[k] & 0xC0) != 0x80) l = 1;
  int32_t cp = l == 1 ? (int32_t)c : (int32_t)(c & (0x7F >> l));
  for (size_t k = 1; k < l; k++) cp = (cp << 6) | (s[k] & 0x3F);
  *len = l;
  return cp;
}

size_t thema_utf8_cursor_advance(ThemaUtf8Cursor *c, const char *text, size_t byte) {
  if (byte < c->byte) {
    c->byte = 0;
    c->cp = 0;
  }
  c->cp += thema_utf8_count(text + c->byte, byte - c->byte);
  c->byte = byte;
  return c->cp;
}
