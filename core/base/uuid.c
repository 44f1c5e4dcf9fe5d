/*
 * uuid.c — version 5 UUIDs through nettle's SHA-1 (RFC 4122 §4.3): the hash
 * of the namespace bytes followed by the name, its first 16 bytes with the
 * version (5) and the variant (10xx) set.
 */
#include "base/uuid.h"

#include <ctype.h>
#include <nettle/sha1.h>
#include <string.h>

const ThemaUuid thema_uuid_refi = {{0x5c, 0x5b, 0x53, 0x1e, 0xd0, 0xbe, 0x5d, 0x9b, 0xac,
                                    0x97, 0xf4, 0xa9, 0x09, 0x81, 0x9d, 0x40}};

ThemaUuid thema_uuid5(const ThemaUuid *ns, const void *name, size_t n) {
  struct sha1_ctx ctx;
  uint8_t digest[SHA1_DIGEST_SIZE];
  sha1_init(&ctx);
  sha1_update(&ctx, sizeof ns->b, ns->b);
  sha1_update(&ctx, n, name);
  sha1_digest(&ctx, sizeof digest, digest);
  ThemaUuid u;
  memcpy(u.b, digest, sizeof u.b);
  u.b[6] = (uint8_t)((u.b[6] & 0x0f) | 0x50);
  u.b[8] = (uint8_t)((u.b[8] & 0x3f) | 0x80);
  return u;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int thema_uuid_parse(const char *s, ThemaUuid *out) {
  size_t n = strlen(s);
  if (n == 38 && s[0] == '{' && s[37] == '}') {
    s++;
    n = 36;
  }
  if (n != 36) return 0;
  int k = 0;
  for (size_t i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return 0;
      continue;
    }
    int hi = hexval((unsigned char)s[i]),
        lo = i + 1 < 36 ? hexval((unsigned char)s[i + 1]) : -1;
    if (hi < 0 || lo < 0) return 0;
    out->b[k++] = (uint8_t)(hi << 4 | lo);
    i++;
  }
  return k == 16;
}

void thema_uuid_format(const ThemaUuid *u, int upper, char out[37]) {
  const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *p = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    *p++ = hex[u->b[i] >> 4];
    *p++ = hex[u->b[i] & 15];
  }
  *p = '\0';
}
