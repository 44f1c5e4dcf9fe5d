/*
 * hash.c — SHA-256 content hashes through nettle, which Debian keeps patched;
 * a hand-written digest would be one more thing to get wrong.
 */
#include "base/hash.h"

#include <nettle/sha2.h>

void thema_hash_sha256(const void *data, size_t n, char out[65]) {
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, n, data);
  sha256_digest(&ctx, sizeof digest, digest);
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof digest; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[64] = '\0';
}
