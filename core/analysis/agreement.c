/*
 * agreement.c — the agreement kernels (agreement.h). Each formula is written
 * with the operations, in the order, of plugins/lib/agreement.lua: Lua turns
 * an integer into a double exactly as a C cast does and divides the same
 * way, so equal expressions give equal bits. The bootstrap is linear: every
 * pairable unit is summarised once (a pattern: its category counts and its
 * coincidence contribution), and a resample only counts how often it drew
 * each pattern and sums the contributions in draw order.
 */
#include "analysis/agreement.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"
#include "base/thema.h"

const char *thema_agreement_reason(int status) {
  switch (status) {
    case THEMA_AGREEMENT_OK: return "defined";
    case THEMA_AGREEMENT_NO_OVERLAP: return "no units coded by both coders";
    case THEMA_AGREEMENT_NO_VARIATION:
      return "kappa undefined: both coders used one and the same category for every unit";
    case THEMA_AGREEMENT_NO_PAIRABLE: return "alpha undefined: no pairable units";
    case THEMA_AGREEMENT_ONE_CATEGORY:
      return "alpha undefined: all pairable values are in one category";
    case THEMA_AGREEMENT_ALL_SKIPPED: return "alpha undefined in every bootstrap sample";
  }
  return "undefined";
}

/* ---- a pair of coders ---- */

void thema_agreement_pair_init(ThemaPairCounts *pc, int32_t ncategories) {
  size_t k = ncategories > 0 ? (size_t)ncategories : 1;
  pc->n = pc->agree = 0;
  pc->ncategories = ncategories;
  pc->count_a = calloc(k, sizeof *pc->count_a);
  pc->count_b = calloc(k, sizeof *pc->count_b);
  if (!pc->count_a || !pc->count_b) abort();
}

void thema_agreement_pair_free(ThemaPairCounts *pc) {
  free(pc->count_a);
  free(pc->count_b);
  pc->count_a = pc->count_b = NULL;
}

void thema_agreement_pair_add(ThemaPairCounts *pc, const ThemaRelMatrix *m, int a, int b) {
  const int32_t *v = m->values;
  size_t stride = (size_t)m->ncoders;
  for (size_t u = 0; u < m->nunits; u++, v += stride) {
    int32_t va = v[a], vb = v[b];
    if (va < 0 || vb < 0) continue;
    pc->n++;
    pc->agree += va == vb;
    pc->count_a[va]++;
    pc->count_b[vb]++;
  }
}

void thema_agreement_pair_merge(ThemaPairCounts *into, const ThemaPairCounts *from) {
  into->n += from->n;
  into->agree += from->agree;
  for (int32_t c = 0; c < from->ncategories; c++) {
    into->count_a[c] += from->count_a[c];
    into->count_b[c] += from->count_b[c];
  }
}

int thema_agreement_percent(const ThemaPairCounts *pc, double *p) {
  *p = 0;
  if (pc->n == 0) return THEMA_AGREEMENT_NO_OVERLAP;
  *p = (double)pc->agree / (double)pc->n;
  return THEMA_AGREEMENT_OK;
}

int thema_agreement_kappa(const ThemaPairCounts *pc, ThemaKappa *out) {
  memset(out, 0, sizeof *out);
  int64_t n = pc->n;
  out->n = n;
  if (n == 0) return THEMA_AGREEMENT_NO_OVERLAP;
  int64_t s = 0; /* an integer sum: its order does not matter */
  for (int32_t c = 0; c < pc->ncategories; c++) s += pc->count_a[c] * pc->count_b[c];
  int64_t n2 = n * n;
  out->po = (double)pc->agree / (double)n;
  out->pe = (double)s / (double)n2;
  if (s == n2) return THEMA_AGREEMENT_NO_VARIATION;
  out->kappa = (double)(n * pc->agree - s) / (double)(n2 - s);
  return THEMA_AGREEMENT_OK;
}

void thema_agreement_pair_figure(const ThemaPairCounts *pc, ThemaPairFigure *f) {
  f->n = pc->n;
  f->percent_status = thema_agreement_percent(pc, &f->percent);
  f->kappa_status = thema_agreement_kappa(pc, &f->kappa);
}

void thema_agreement_pair_means(const ThemaPairFigure *f, int npairs, double *percent,
                                int *npercent, double *kappa, int *nkappa) {
  double psum = 0, ksum = 0;
  int pn = 0, kn = 0;
  for (int i = 0; i < npairs; i++) {
    if (f[i].percent_status == THEMA_AGREEMENT_OK) psum += f[i].percent, pn++;
    if (f[i].kappa_status == THEMA_AGREEMENT_OK) ksum += f[i].kappa.kappa, kn++;
  }
  *percent = pn ? 100.0 * psum / (double)pn : 0;
  *kappa = kn ? ksum / (double)kn : 0;
  *npercent = pn;
  *nkappa = kn;
}

int thema_agreement_mean_kappa(const ThemaRelMatrix *m, double *mean, int *npairs) {
  double sum = 0;
  int n = 0, first = THEMA_AGREEMENT_OK;
  for (int a = 0; a < m->ncoders; a++) {
    for (int b = a + 1; b < m->ncoders; b++) {
      ThemaPairCounts pc;
      ThemaKappa k;
      thema_agreement_pair_init(&pc, m->ncategories);
      thema_agreement_pair_add(&pc, m, a, b);
      int status = thema_agreement_kappa(&pc, &k);
      thema_agreement_pair_free(&pc);
      if (status == THEMA_AGREEMENT_OK)
        sum += k.kappa, n++;
      else if (first == THEMA_AGREEMENT_OK)
        first = status;
    }
  }
  *mean = n ? sum / (double)n : 0;
  if (npairs) *npairs = n;
  if (n) return THEMA_AGREEMENT_OK;
  return first == THEMA_AGREEMENT_OK ? THEMA_AGREEMENT_NO_OVERLAP : first;
}

/* ---- pairable units ---- */

size_t thema_agreement_pairable(const ThemaRelMatrix *m, unsigned char *gave) {
  size_t units = 0;
  const int32_t *v = m->values;
  for (size_t u = 0; u < m->nunits; u++, v += m->ncoders) {
    int values = 0;
    for (int j = 0; j < m->ncoders; j++) values += v[j] >= 0;
    if (values < 2) continue;
    units++;
    if (gave)
      for (int j = 0; j < m->ncoders; j++)
        if (v[j] >= 0) gave[j] = 1;
  }
  return units;
}

int thema_agreement_unit_disagrees(const ThemaRelMatrix *m, size_t u) {
  const int32_t *v = m->values + u * (size_t)m->ncoders;
  int32_t seen = THEMA_AGREEMENT_MISSING;
  for (int j = 0; j < m->ncoders; j++) {
    if (v[j] < 0) continue;
    if (seen >= 0 && v[j] != seen) return 1;
    seen = v[j];
  }
  return 0;
}

/* ---- patterns ---- */

static uint64_t cells_hash(const int32_t *cells, uint32_t len) {
  uint64_t h = 1469598103934665603u; /* FNV-1a over the pairs */
  for (uint32_t i = 0; i < 2 * len; i++) {
    h ^= (uint32_t)cells[i];
    h *= 1099511628211u;
  }
  return h;
}

static void grow_slots(ThemaAlphaUnits *u) {
  size_t n = u->nslots ? 2 * u->nslots : 64;
  free(u->slot);
  u->slot = thema_xmalloc(n * sizeof *u->slot);
  memset(u->slot, 0xff, n * sizeof *u->slot);
  u->nslots = n;
  for (uint32_t p = 0; p < u->npatterns; p++) {
    const ThemaAlphaPattern *pat = &u->pattern[p];
    size_t i = cells_hash(u->cells + 2 * pat->first, pat->len) & (n - 1);
    while (u->slot[i] != UINT32_MAX) i = (i + 1) & (n - 1);
    u->slot[i] = p;
  }
}

/* The pattern with these (category, count) pairs (sorted by category),
 * added when new. */
static uint32_t pattern_of(ThemaAlphaUnits *u, const int32_t *cells, uint32_t len,
                           int64_t m) {
  if (2 * (u->npatterns + 1) > u->nslots) grow_slots(u);
  size_t i = cells_hash(cells, len) & (u->nslots - 1);
  for (; u->slot[i] != UINT32_MAX; i = (i + 1) & (u->nslots - 1)) {
    const ThemaAlphaPattern *p = &u->pattern[u->slot[i]];
    if (p->len == len &&
        memcmp(u->cells + 2 * p->first, cells, 2 * len * sizeof *cells) == 0)
      return u->slot[i];
  }
  if (u->npatterns == u->pcap) {
    u->pcap = u->pcap ? 2 * u->pcap : 16;
    u->pattern = thema_xrealloc(u->pattern, u->pcap * sizeof *u->pattern);
  }
  if (u->ncells + len > u->ccap) {
    while (u->ncells + len > u->ccap) u->ccap = u->ccap ? 2 * u->ccap : 64;
    u->cells = thema_xrealloc(u->cells, 2 * u->ccap * sizeof *u->cells);
  }
  int64_t sq = 0;
  for (uint32_t k = 0; k < len; k++) sq += (int64_t)cells[2 * k + 1] * cells[2 * k + 1];
  ThemaAlphaPattern *p = &u->pattern[u->npatterns];
  p->m = m;
  p->d = (double)(m * m - sq) / (double)(m - 1);
  p->first = (uint32_t)u->ncells;
  p->len = len;
  memcpy(u->cells + 2 * u->ncells, cells, 2 * len * sizeof *cells);
  u->ncells += len;
  u->slot[i] = (uint32_t)u->npatterns;
  for (uint32_t k = 0; k < len; k++)
    if (cells[2 * k] >= u->ncategories) u->ncategories = cells[2 * k] + 1;
  return (uint32_t)u->npatterns++;
}

size_t thema_agreement_units_add(ThemaAlphaUnits *u, const ThemaRelMatrix *m) {
  size_t added = 0;
  int32_t *cells =
      thema_xmalloc(2 * (size_t)(m->ncoders > 0 ? m->ncoders : 1) * sizeof *cells);
  int32_t *sorted =
      thema_xmalloc((size_t)(m->ncoders > 0 ? m->ncoders : 1) * sizeof *sorted);
  const int32_t *v = m->values;
  for (size_t r = 0; r < m->nunits; r++, v += m->ncoders) {
    int values = 0;
    for (int j = 0; j < m->ncoders; j++)
      if (v[j] >= 0) sorted[values++] = v[j];
    if (values < 2) continue;
    for (int k = 1; k < values; k++) { /* insertion sort: a unit has few values */
      int32_t x = sorted[k];
      int i = k;
      for (; i > 0 && sorted[i - 1] > x; i--) sorted[i] = sorted[i - 1];
      sorted[i] = x;
    }
    uint32_t len = 0;
    for (int k = 0; k < values; k++) {
      if (len && cells[2 * (len - 1)] == sorted[k]) {
        cells[2 * (len - 1) + 1]++;
      } else {
        cells[2 * len] = sorted[k];
        cells[2 * len + 1] = 1;
        len++;
      }
    }
    uint32_t p = pattern_of(u, cells, len, values);
    if (u->nunits == u->cap) {
      u->cap = u->cap ? 2 * u->cap : 256;
      u->unit = thema_xrealloc(u->unit, u->cap * sizeof *u->unit);
    }
    u->unit[u->nunits++] = p;
    added++;
  }
  free(cells);
  free(sorted);
  return added;
}

void thema_agreement_units_free(ThemaAlphaUnits *u) {
  free(u->unit);
  free(u->pattern);
  free(u->cells);
  free(u->slot);
  memset(u, 0, sizeof *u);
}

/* ---- alpha ---- */

/* Scratch for alpha over pattern counts: hits per pattern, the patterns hit
 * (so clearing costs what counting did) and the per-category totals. */
typedef struct Tally {
  int64_t *hits;     /* per pattern */
  uint32_t *touched; /* patterns with hits > 0 */
  size_t ntouched;   /* entries of touched */
  int64_t *n_c;      /* per category */
} Tally;

static void tally_init(Tally *t, const ThemaAlphaUnits *u) {
  t->hits = calloc(u->npatterns ? u->npatterns : 1, sizeof *t->hits);
  t->touched = thema_xmalloc((u->npatterns ? u->npatterns : 1) * sizeof *t->touched);
  t->n_c = calloc(u->ncategories > 0 ? (size_t)u->ncategories : 1, sizeof *t->n_c);
  if (!t->hits || !t->n_c) abort();
  t->ntouched = 0;
}

static void tally_free(Tally *t) {
  free(t->hits);
  free(t->touched);
  free(t->n_c);
}

static inline void tally_hit(Tally *t, uint32_t p) {
  if (t->hits[p]++ == 0) t->touched[t->ntouched++] = p;
}

/* Alpha from the tally and D (the sum of the units' d, in order); clears the
 * tally for the next use. */
static int tally_alpha(Tally *t, const ThemaAlphaUnits *u, double d, ThemaAlpha *out) {
  int64_t n = 0;
  for (size_t i = 0; i < t->ntouched; i++) {
    uint32_t p = t->touched[i];
    const ThemaAlphaPattern *pat = &u->pattern[p];
    int64_t h = t->hits[p];
    n += h * pat->m;
    for (uint32_t k = 0; k < pat->len; k++) {
      const int32_t *cell = u->cells + 2 * (pat->first + k);
      t->n_c[cell[0]] += h * cell[1];
    }
  }
  int64_t sq = 0; /* integers: order-free; n_c is cleared on the way */
  for (size_t i = 0; i < t->ntouched; i++) {
    const ThemaAlphaPattern *pat = &u->pattern[t->touched[i]];
    for (uint32_t k = 0; k < pat->len; k++) {
      int32_t c = u->cells[2 * (pat->first + k)];
      sq += t->n_c[c] * t->n_c[c];
      t->n_c[c] = 0;
    }
    t->hits[t->touched[i]] = 0;
  }
  t->ntouched = 0;
  memset(out, 0, sizeof *out);
  out->n = n;
  if (n < 2) return THEMA_AGREEMENT_NO_PAIRABLE;
  int64_t e = n * n - sq; /* sum over c != k of n_c n_k */
  if (e == 0) return THEMA_AGREEMENT_ONE_CATEGORY;
  out->alpha = 1.0 - (double)(n - 1) * d / (double)e;
  out->do_ = d / (double)n;
  out->de = (double)e / (double)(n * (n - 1));
  return THEMA_AGREEMENT_OK;
}

int thema_agreement_alpha(const ThemaAlphaUnits *u, size_t first, size_t count,
                          ThemaAlpha *out) {
  Tally t;
  tally_init(&t, u);
  double d = 0.0; /* a float sum in unit order */
  for (size_t i = first; i < first + count; i++) {
    uint32_t p = u->unit[i];
    d += u->pattern[p].d;
    tally_hit(&t, p);
  }
  int status = tally_alpha(&t, u, d, out);
  out->units = count;
  tally_free(&t);
  return status;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

double thema_agreement_quantile(const double *sorted, size_t n, double p) {
  double h = (double)(n - 1) * p + 1.0;
  double fl = floor(h);
  size_t lo = (size_t)fl;
  if (lo >= n) return sorted[n - 1];
  return sorted[lo - 1] + (h - fl) * (sorted[lo] - sorted[lo - 1]);
}

/* A slice for resampling: its patterns renumbered 0 .. k-1 in order of first
 * use, and each unit's local number packed into `width` bits (a power of
 * two), so that the random reads of a resample touch as little memory as
 * possible: two bits a unit for the three patterns of two coders' binary
 * data, where a full index would take thirty-two. */
typedef struct Packed {
  uint64_t *words;  /* the local numbers, 64 / width to a word (owned) */
  int wlog;         /* log2 of width */
  uint32_t *global; /* local number -> pattern (owned) */
  size_t k;         /* patterns in the slice */
} Packed;

static void pack_slice(const ThemaAlphaUnits *u, size_t first, size_t count, Packed *pk) {
  uint32_t *local = thema_xmalloc((u->npatterns ? u->npatterns : 1) * sizeof *local);
  memset(local, 0xff, (u->npatterns ? u->npatterns : 1) * sizeof *local);
  pk->global = thema_xmalloc((count ? count : 1) * sizeof *pk->global);
  pk->k = 0;
  for (size_t i = first; i < first + count; i++) {
    uint32_t p = u->unit[i];
    if (local[p] == UINT32_MAX) {
      local[p] = (uint32_t)pk->k;
      pk->global[pk->k++] = p;
    }
  }
  pk->wlog = 0;
  while (pk->wlog < 5 && ((uint64_t)1 << (1 << pk->wlog)) < pk->k) pk->wlog++;
  int per_log = 6 - pk->wlog;
  size_t nwords = (count >> per_log) + 1;
  pk->words = calloc(nwords, sizeof *pk->words);
  if (!pk->words) abort();
  for (size_t i = 0; i < count; i++) {
    uint64_t v = local[u->unit[first + i]];
    pk->words[i >> per_log] |= v << ((i & (((size_t)1 << per_log) - 1)) << pk->wlog);
  }
  free(local);
}

static inline uint32_t packed_get(const uint64_t *words, int wlog, uint64_t i) {
  int per_log = 6 - wlog;
  uint64_t w = words[i >> per_log];
  uint64_t mask = wlog == 5 ? 0xffffffffu : (((uint64_t)1 << (1 << wlog)) - 1);
  return (uint32_t)((w >> ((i & (((uint64_t)1 << per_log) - 1)) << wlog)) & mask);
}

#define BATCH 64 /* draws made before their patterns are read */

/* One resample of count draws whose contributions are whole (see
 * whole_contributions): only the hits per pattern are counted. The draws
 * come BATCH at a time before their patterns are read, so that the reads,
 * independent of each other, overlap their cache misses; and the hits go to
 * four banks of counters in turn, so that draws of one pattern in a row do
 * not wait on each other's increment. Inlined once per packing width, so the
 * width is a constant in each copy. */
__attribute__((always_inline)) static inline void
draw_whole(ThemaPrng *g, const ThemaPrngRange *range, const uint64_t *words, const int wlog,
           size_t count, int64_t *hits, size_t k) {
  ThemaPrng gen = *g;
  const ThemaPrngRange r = *range;
  int64_t *h0 = hits, *h1 = hits + k, *h2 = hits + 2 * k, *h3 = hits + 3 * k;
  uint64_t idx[BATCH];
  size_t i = 0;
  for (; i + BATCH <= count; i += BATCH) {
    for (int j = 0; j < BATCH; j++) idx[j] = thema_prng_index_fast(&gen, &r);
    for (int j = 0; j < BATCH; j += 4) {
      h0[packed_get(words, wlog, idx[j])]++;
      h1[packed_get(words, wlog, idx[j + 1])]++;
      h2[packed_get(words, wlog, idx[j + 2])]++;
      h3[packed_get(words, wlog, idx[j + 3])]++;
    }
  }
  for (; i < count; i++) h0[packed_get(words, wlog, thema_prng_index_fast(&gen, &r))]++;
  *g = gen;
}

/* The same when contributions are fractional: D is summed draw by draw, in
 * draw order, as the Lua library adds them. */
static void draw_fractional(ThemaPrng *g, const ThemaPrngRange *r, const Packed *pk,
                            size_t count, const double *pd, int64_t *hits, double *d) {
  uint64_t idx[BATCH];
  double sum = 0.0;
  for (size_t i = 0; i < count; i += BATCH) {
    size_t n = count - i < BATCH ? count - i : BATCH;
    for (size_t j = 0; j < n; j++) idx[j] = thema_prng_index_fast(g, r);
    for (size_t j = 0; j < n; j++) {
      uint32_t p = packed_get(pk->words, pk->wlog, idx[j]);
      sum += pd[p];
      hits[p]++;
    }
  }
  *d = sum;
}

/* Alpha of a resample from its hits per local pattern (h[0..k)) and D;
 * n_c is zeroed scratch, left zeroed. */
static int resample_alpha(const ThemaAlphaUnits *u, const Packed *pk, const int64_t *h,
                          double d, int64_t *n_c, double *alpha) {
  int64_t n = 0, sq = 0;
  for (size_t j = 0; j < pk->k; j++) {
    if (!h[j]) continue;
    const ThemaAlphaPattern *pat = &u->pattern[pk->global[j]];
    n += h[j] * pat->m;
    for (uint32_t c = 0; c < pat->len; c++) {
      const int32_t *cell = u->cells + 2 * (pat->first + c);
      n_c[cell[0]] += h[j] * cell[1];
    }
  }
  for (size_t j = 0; j < pk->k; j++) { /* integers: order-free; n_c cleared on the way */
    if (!h[j]) continue;
    const ThemaAlphaPattern *pat = &u->pattern[pk->global[j]];
    for (uint32_t c = 0; c < pat->len; c++) {
      int32_t cat = u->cells[2 * (pat->first + c)];
      sq += n_c[cat] * n_c[cat];
      n_c[cat] = 0;
    }
  }
  if (n < 2) return THEMA_AGREEMENT_NO_PAIRABLE;
  int64_t e = n * n - sq;
  if (e == 0) return THEMA_AGREEMENT_ONE_CATEGORY;
  *alpha = 1.0 - (double)(n - 1) * d / (double)e;
  return THEMA_AGREEMENT_OK;
}

/* Whether every pattern of the slice has a whole d small enough that count of
 * them add up exactly in any order: then a resample's D is the exact integer
 * sum, which is what adding them one by one in draw order gives, and the
 * draws need not be summed one by one. */
static int whole_contributions(const ThemaAlphaUnits *u, const Packed *pk, size_t count) {
  double most = 0;
  for (size_t j = 0; j < pk->k; j++) {
    double d = u->pattern[pk->global[j]].d;
    if (d != floor(d) || d < 0) return 0;
    if (d > most) most = d;
  }
  return most * (double)count < 9007199254740992.0; /* 2^53 */
}

int thema_agreement_bootstrap(const ThemaAlphaUnits *u, size_t first, size_t count,
                              int64_t samples, double level, int64_t seed,
                              ThemaBootstrap *out) {
  memset(out, 0, sizeof *out);
  ThemaAlpha point;
  int status = thema_agreement_alpha(u, first, count, &point);
  if (status != THEMA_AGREEMENT_OK) return status;
  ThemaPrng g;
  thema_prng_seed(&g, seed);
  ThemaPrngRange range;
  thema_prng_index_prepare(&range, count);
  Packed pk;
  pack_slice(u, first, count, &pk);
  int whole = whole_contributions(u, &pk, count);
  /* four banks of counters, used in turn, so that consecutive draws of one
   * pattern do not wait on each other's increment */
  int64_t *hits = calloc(4 * pk.k, sizeof *hits);
  double *pd = thema_xmalloc(pk.k * sizeof *pd);
  int64_t *n_c = calloc(u->ncategories > 0 ? (size_t)u->ncategories : 1, sizeof *n_c);
  if (!hits || !n_c) abort();
  for (size_t j = 0; j < pk.k; j++) pd[j] = u->pattern[pk.global[j]].d;
  int64_t *h0 = hits, *h1 = hits + pk.k, *h2 = hits + 2 * pk.k, *h3 = hits + 3 * pk.k;
  double *alphas = thema_xmalloc((size_t)samples * sizeof *alphas);
  int64_t used = 0;
  for (int64_t s = 0; s < samples; s++) {
    double d = 0.0; /* a float sum in draw order, unless whole */
    if (whole) {
      switch (pk.wlog) {
        case 0: draw_whole(&g, &range, pk.words, 0, count, hits, pk.k); break;
        case 1: draw_whole(&g, &range, pk.words, 1, count, hits, pk.k); break;
        case 2: draw_whole(&g, &range, pk.words, 2, count, hits, pk.k); break;
        case 3: draw_whole(&g, &range, pk.words, 3, count, hits, pk.k); break;
        case 4: draw_whole(&g, &range, pk.words, 4, count, hits, pk.k); break;
        default: draw_whole(&g, &range, pk.words, 5, count, hits, pk.k); break;
      }
    } else {
      draw_fractional(&g, &range, &pk, count, pd, h0, &d);
    }
    int64_t sum = 0;
    for (size_t j = 0; j < pk.k; j++) {
      h0[j] += h1[j] + h2[j] + h3[j];
      h1[j] = h2[j] = h3[j] = 0;
      if (whole) sum += h0[j] * (int64_t)pd[j];
    }
    if (whole) d = (double)sum;
    double a;
    if (resample_alpha(u, &pk, h0, d, n_c, &a) == THEMA_AGREEMENT_OK) alphas[used++] = a;
    memset(h0, 0, pk.k * sizeof *h0);
  }
  free(hits);
  free(pd);
  free(n_c);
  free(pk.words);
  free(pk.global);
  out->samples = used;
  out->skipped = samples - used;
  if (used == 0) {
    free(alphas);
    return THEMA_AGREEMENT_ALL_SKIPPED;
  }
  qsort(alphas, (size_t)used, sizeof *alphas, cmp_double);
  double tail = (1.0 - level) / 2.0;
  out->lo = thema_agreement_quantile(alphas, (size_t)used, tail);
  out->hi = thema_agreement_quantile(alphas, (size_t)used, 1.0 - tail);
  free(alphas);
  return THEMA_AGREEMENT_OK;
}
