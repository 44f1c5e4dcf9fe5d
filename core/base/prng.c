/*
 * prng.c — SplitMix64 and unbiased indices from it. The constants and the
 * steps are those of the reference splitmix64.c; the index draw is the one
 * plugins/lib/agreement.lua defines (tests/lua/stats_spec.lua compares the
 * two), so a bootstrap in C resamples exactly the units the Lua one does.
 */
#include "base/prng.h"

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15u

void thema_prng_seed(ThemaPrng *g, int64_t seed) { g->state = (uint64_t)seed; }

uint64_t thema_prng_next(ThemaPrng *g) {
  uint64_t z = (g->state += GOLDEN_GAMMA);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* The largest accepted 63-bit draw for n: 2^63 - 1 - (2^63 mod n), so that
 * every residue mod n has the same number of accepted draws. */
static uint64_t accept_limit(uint64_t n) {
  uint64_t rem = (INT64_MAX % n + 1) % n;
  return (uint64_t)INT64_MAX - rem;
}

uint64_t thema_prng_index(ThemaPrng *g, uint64_t n) {
  uint64_t limit = accept_limit(n);
  for (;;) {
    uint64_t r = thema_prng_next(g) >> 1;
    if (r <= limit) return r % n;
  }
}

/* Division by an invariant n (Granlund & Montgomery 1994, theorem 4.2): for
 * x < 2^63 and l = ceil(log2 n), m = ceil(2^(63+l) / n) < 2^64 gives
 * x / n == (x * m) >> (63 + l) exactly. */
void thema_prng_index_prepare(ThemaPrngRange *r, uint64_t n) {
  int l = 0;
  while (l < 63 && ((uint64_t)1 << l) < n) l++;
  unsigned __int128 p = (unsigned __int128)1 << (63 + l);
  unsigned __int128 m = p / n + (p % n != 0);
  r->n = n;
  r->limit = accept_limit(n);
  r->magic = (uint64_t)m;
  r->shift = 63 + l;
}

uint64_t thema_prng_index_fast(ThemaPrng *g, const ThemaPrngRange *r) {
  for (;;) {
    uint64_t x = thema_prng_next(g) >> 1;
    if (x <= r->limit) {
      uint64_t q = (uint64_t)(((unsigned __int128)x * r->magic) >> r->shift);
      return x - q * r->n;
    }
  }
}
