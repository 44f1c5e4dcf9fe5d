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
  pc->count_a = thema_xcalloc(k, sizeof *pc->count_a);
  pc->count_b = thema_xcalloc(k, sizeof *pc->count_b);
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
  t->n_c = thema_xcalloc(u->ncategories > 0 ? (size_t)u->ncategories : 1, sizeof *t->n_c);
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
  pk->words = thema_xcalloc(nwords, sizeof *pk->words);
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

/* Count one batch of draws in a slice whose contributions are whole (see
 * whole_contributions): only the hits per pattern matter. The hits go to
 * four banks of counters in turn, so that draws of one pattern in a row do
 * not wait on each other's increment. Inlined once per packing width, so the
 * width is a constant in each copy. */
__attribute__((always_inline)) static inline void count_whole(const uint64_t *words,
                                                              const int wlog,
                                                              const uint64_t *idx, size_t n,
                                                              int64_t *hits, size_t k) {
  int64_t *h0 = hits, *h1 = hits + k, *h2 = hits + 2 * k, *h3 = hits + 3 * k;
  size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    h0[packed_get(words, wlog, idx[j])]++;
    h1[packed_get(words, wlog, idx[j + 1])]++;
    h2[packed_get(words, wlog, idx[j + 2])]++;
    h3[packed_get(words, wlog, idx[j + 3])]++;
  }
  for (; j < n; j++) h0[packed_get(words, wlog, idx[j])]++;
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

/* One slice being resampled. */
typedef struct Slice {
  Packed pk;      /* its patterns, packed */
  int status;     /* its alpha's status; only OK slices are resampled */
  int whole;      /* contributions whole: count hits only */
  int64_t *hits;  /* 4 banks of k counters (owned) */
  double *pd;     /* d of each local pattern (owned) */
  double d;       /* the current resample's D (fractional slices) */
  double *alphas; /* the defined resample alphas (owned) */
  int64_t used;   /* entries of alphas */
} Slice;

__attribute__((always_inline)) static inline void
draw_batch(ThemaPrng *g, const ThemaPrngRange *range, uint64_t *idx, size_t n) {
  ThemaPrng gen = *g;
  const ThemaPrngRange r = *range;
  for (size_t j = 0; j < n; j++) idx[j] = thema_prng_index_fast(&gen, &r);
  *g = gen;
}

__attribute__((always_inline)) static inline void
count_batch(Slice *sl, const uint64_t *idx, size_t n) {
  const Packed *pk = &sl->pk;
  if (!sl->whole) { /* D is summed draw by draw, in draw order, as in Lua */
    double d = sl->d;
    for (size_t j = 0; j < n; j++) {
      uint32_t p = packed_get(pk->words, pk->wlog, idx[j]);
      d += sl->pd[p];
      sl->hits[p]++;
    }
    sl->d = d;
    return;
  }
  switch (pk->wlog) {
    case 0: count_whole(pk->words, 0, idx, n, sl->hits, pk->k); break;
    case 1: count_whole(pk->words, 1, idx, n, sl->hits, pk->k); break;
    case 2: count_whole(pk->words, 2, idx, n, sl->hits, pk->k); break;
    case 3: count_whole(pk->words, 3, idx, n, sl->hits, pk->k); break;
    case 4: count_whole(pk->words, 4, idx, n, sl->hits, pk->k); break;
    default: count_whole(pk->words, 5, idx, n, sl->hits, pk->k); break;
  }
}

/* The end of a resample of a slice: its alpha, and counters cleared. */
static void end_resample(const ThemaAlphaUnits *u, Slice *sl, int64_t *n_c) {
  size_t k = sl->pk.k;
  int64_t *h0 = sl->hits, sum = 0;
  for (size_t j = 0; j < k; j++) {
    h0[j] += h0[k + j] + h0[2 * k + j] + h0[3 * k + j];
    h0[k + j] = h0[2 * k + j] = h0[3 * k + j] = 0;
    if (sl->whole) sum += h0[j] * (int64_t)sl->pd[j];
  }
  double d = sl->whole ? (double)sum : sl->d, a;
  if (resample_alpha(u, &sl->pk, h0, d, n_c, &a) == THEMA_AGREEMENT_OK)
    sl->alphas[sl->used++] = a;
  memset(h0, 0, k * sizeof *h0);
  sl->d = 0.0;
}

/* Room and scratch for resampling the slices of one length. */
static Slice *slices_new(const ThemaAlphaUnits *u, const size_t *first, const int *status,
                         size_t nslices, size_t count) {
  Slice *sl = thema_xcalloc(nslices, sizeof *sl);
  for (size_t s = 0; s < nslices; s++) {
    sl[s].status = status[s];
    if (status[s] != THEMA_AGREEMENT_OK) continue;
    pack_slice(u, first[s], count, &sl[s].pk);
    sl[s].whole = whole_contributions(u, &sl[s].pk, count);
    sl[s].hits = thema_xcalloc(4 * sl[s].pk.k, sizeof *sl[s].hits);
    sl[s].pd = thema_xmalloc(sl[s].pk.k * sizeof *sl[s].pd);
    for (size_t j = 0; j < sl[s].pk.k; j++) sl[s].pd[j] = u->pattern[sl[s].pk.global[j]].d;
  }
  return sl;
}

static void slices_free(Slice *sl, size_t nslices) {
  for (size_t s = 0; s < nslices; s++) {
    free(sl[s].pk.words);
    free(sl[s].pk.global);
    free(sl[s].hits);
    free(sl[s].pd);
  }
  free(sl);
}

uint64_t thema_agreement_resample(const ThemaAlphaUnits *u, const size_t *first,
                                  const int *status, size_t nslices, size_t count,
                                  int64_t nsamples, ThemaPrng *g, double *const *alphas,
                                  int64_t *used) {
  ThemaPrng start = *g;
  Slice *sl = slices_new(u, first, status, nslices, count);
  int64_t *n_c =
      thema_xcalloc(u->ncategories > 0 ? (size_t)u->ncategories : 1, sizeof *n_c);
  size_t live = 0;
  for (size_t s = 0; s < nslices; s++) {
    used[s] = 0;
    live += status[s] == THEMA_AGREEMENT_OK;
    sl[s].alphas = alphas[s];
  }
  ThemaPrngRange range;
  thema_prng_index_prepare(&range, count ? count : 1);
  uint64_t idx[BATCH];
  for (int64_t r = 0; live && r < nsamples; r++) {
    /* the draws of a batch come first, then the reads, which overlap their
     * cache misses; full batches have a constant length */
    size_t i = 0;
    for (; i + BATCH <= count; i += BATCH) {
      draw_batch(g, &range, idx, BATCH);
      for (size_t s = 0; s < nslices; s++)
        if (sl[s].status == THEMA_AGREEMENT_OK) count_batch(&sl[s], idx, BATCH);
    }
    if (i < count) {
      draw_batch(g, &range, idx, count - i);
      for (size_t s = 0; s < nslices; s++)
        if (sl[s].status == THEMA_AGREEMENT_OK) count_batch(&sl[s], idx, count - i);
    }
    for (size_t s = 0; s < nslices; s++)
      if (sl[s].status == THEMA_AGREEMENT_OK) end_resample(u, &sl[s], n_c);
  }
  for (size_t s = 0; s < nslices; s++) used[s] = sl[s].used;
  slices_free(sl, nslices);
  free(n_c);
  return thema_prng_outputs(&start, g);
}

int thema_agreement_interval(double *alphas, int64_t used, int64_t samples, double level,
                             ThemaBootstrap *out) {
  memset(out, 0, sizeof *out);
  out->samples = used;
  out->skipped = samples - used;
  if (used == 0) return THEMA_AGREEMENT_ALL_SKIPPED;
  qsort(alphas, (size_t)used, sizeof *alphas, cmp_double);
  double tail = (1.0 - level) / 2.0;
  out->lo = thema_agreement_quantile(alphas, (size_t)used, tail);
  out->hi = thema_agreement_quantile(alphas, (size_t)used, 1.0 - tail);
  return THEMA_AGREEMENT_OK;
}

void thema_agreement_bootstrap_many(const ThemaAlphaUnits *u, const size_t *first,
                                    size_t nslices, size_t count, int64_t samples,
                                    double level, int64_t seed, ThemaBootstrap *out,
                                    int *status) {
  double **alphas = thema_xmalloc((nslices ? nslices : 1) * sizeof *alphas);
  int64_t *used = thema_xmalloc((nslices ? nslices : 1) * sizeof *used);
  for (size_t s = 0; s < nslices; s++) {
    ThemaAlpha point;
    status[s] = thema_agreement_alpha(u, first[s], count, &point);
    alphas[s] = thema_xmalloc((size_t)samples * sizeof **alphas);
  }
  ThemaPrng g;
  thema_prng_seed(&g, seed);
  thema_agreement_resample(u, first, status, nslices, count, samples, &g, alphas, used);
  for (size_t s = 0; s < nslices; s++) {
    if (status[s] == THEMA_AGREEMENT_OK)
      status[s] = thema_agreement_interval(alphas[s], used[s], samples, level, &out[s]);
    else
      memset(&out[s], 0, sizeof out[s]);
    free(alphas[s]);
  }
  free(alphas);
  free(used);
}

int thema_agreement_bootstrap(const ThemaAlphaUnits *u, size_t first, size_t count,
                              int64_t samples, double level, int64_t seed,
                              ThemaBootstrap *out) {
  int status;
  thema_agreement_bootstrap_many(u, &first, 1, count, samples, level, seed, out, &status);
  return status;
}
