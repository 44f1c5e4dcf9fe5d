/*
 * prng.h — the one seeded generator of the project: SplitMix64 (Steele, Lea
 * & Flood 2014, as in Vigna's reference splitmix64.c). Every random choice a
 * researcher's result depends on (the bootstrap of agreement, any later
 * sampling) draws from it, so the same seed gives the same figures on every
 * machine, and the C kernels reproduce plugins/lib/agreement.lua's
 * splitmix64 bit for bit.
 *
 * A generator is a plain value: no allocation, copy it to fork a sequence.
 */
#ifndef THEMA_PRNG_H
#define THEMA_PRNG_H

#include <stdint.h>

typedef struct ThemaPrng {
  uint64_t state; /* advanced by the golden-ratio increment before each output */
} ThemaPrng;

/* Start the sequence of seed (any 64-bit value; Lua's negative integers are
 * their two's-complement bits). */
void thema_prng_seed(ThemaPrng *g, int64_t seed);

/* The next 64-bit output (inline: the bootstrap draws billions). */
static inline uint64_t thema_prng_next(ThemaPrng *g) {
  uint64_t z = (g->state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* Advance g by k outputs at once (SplitMix64's state is a counter). */
void thema_prng_skip(ThemaPrng *g, uint64_t k);

/* How many outputs lie between the states from and to (to after from). */
uint64_t thema_prng_outputs(const ThemaPrng *from, const ThemaPrng *to);

/* An index in 0 .. n-1, every one equally likely, for 1 <= n <= INT64_MAX:
 * rejection sampling on the top 63 bits of the next outputs, exactly as the
 * Lua library's next(n) (which returns this plus 1). */
uint64_t thema_prng_index(ThemaPrng *g, uint64_t n);

/* The same for many draws below one n: thema_prng_index_prepare once, then
 * thema_prng_index_fast gives the same values as thema_prng_index(g, n)
 * without a 64-bit division per draw (the bootstrap draws millions). */
typedef struct ThemaPrngRange {
  uint64_t n;     /* the bound, 1 <= n <= INT64_MAX */
  uint64_t limit; /* largest accepted 63-bit value: INT64_MAX - (2^63 mod n) */
  uint64_t magic; /* ceil(2^(63 + l) / n), l = ceil(log2 n); 0 when n == 1 */
  int shift;      /* l - 1: x / n == ((x * magic) >> 64) >> shift */
} ThemaPrngRange;

void thema_prng_index_prepare(ThemaPrngRange *r, uint64_t n);

static inline uint64_t thema_prng_index_fast(ThemaPrng *g, const ThemaPrngRange *r) {
  for (;;) {
    uint64_t x = thema_prng_next(g) >> 1;
    if (x <= r->limit) {
      if (!r->magic) return 0; /* n == 1 */
      uint64_t q = (uint64_t)(((unsigned __int128)x * r->magic) >> 64) >> r->shift;
      return x - q * r->n;
    }
  }
}

#endif
