/*
 * prng.c — SplitMix64 and unbiased indices from it. The constants and the
 * steps are those of the reference splitmix64.c; the index draw is the one
 * plugins/lib/agreement.lua defines (tests/lua/stats_spec.lua compares the
 * two), so a bootstrap in C resamples exactly the units the Lua one does.
 */
#include "base/prng.h"

void thema_prng_seed(ThemaPrng *g, int64_t seed) { g->state = (uint64_t)seed; }

#define GAMMA 0x9e3779b97f4a7c15u

void thema_prng_skip(ThemaPrng *g, uint64_t k) { g->state += k * GAMMA; }

/* The increment is odd, so it has an inverse modulo 2^64 (Newton's
 * iteration doubles the correct low bits each step: 5 steps give 64). */
uint64_t thema_prng_outputs(const ThemaPrng *from, const ThemaPrng *to) {
  uint64_t inv = GAMMA;
  for (int i = 0; i < 5; i++) inv *= 2 - GAMMA * inv;
  return (to->state - from->state) * inv;
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
 * x < 2^63 and l = ceil(log2 n) >= 1, m = ceil(2^(63+l) / n) < 2^64 gives
 * x / n == (x * m) >> (63 + l) exactly: the high word of the product shifted
 * by l - 1. n == 1 (l == 0) needs no division. */
void thema_prng_index_prepare(ThemaPrngRange *r, uint64_t n) {
  int l = 0;
  while (l < 63 && ((uint64_t)1 << l) < n) l++;
  r->n = n;
  r->limit = accept_limit(n);
  r->magic = 0;
  r->shift = 0;
  if (l == 0) return;
  unsigned __int128 p = (unsigned __int128)1 << (63 + l);
  r->magic = (uint64_t)(p / n + (p % n != 0));
  r->shift = l - 1;
}
