/*
 * themes.c — candidate themes, their figures and their overlap with codes
 * (see themes.h).
 */
#include "analysis/themes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"

#define COHERENCE_TERMS 10

/* One fit: weight (rows × k) and term (k × cols) weights. */
typedef struct Fit {
  int k;
  double *weight;
  double *term;
  int32_t *top; /* k × ntop */
  int ntop;
  int iterations;
} Fit;

static void fit_free(Fit *f) {
  free(f->weight);
  free(f->term);
  free(f->top);
  memset(f, 0, sizeof *f);
}

typedef struct Ranked {
  double w;
  int32_t col;
} Ranked;

static int by_weight_desc(const void *a, const void *b) {
  const Ranked *x = a, *y = b;
  if (x->w != y->w) return x->w > y->w ? -1 : 1;
  return (x->col > y->col) - (x->col < y->col);
}

/* Each theme's ntop strongest columns (-1 padded). */
static void rank_terms(Fit *f, int32_t ncols, int ntop) {
  f->ntop = ntop;
  f->top = thema_xmalloc((size_t)f->k * (size_t)ntop * sizeof *f->top + 1);
  Ranked *r = thema_xmalloc(((size_t)ncols + 1) * sizeof *r);
  for (int t = 0; t < f->k; t++) {
    /* a term below a thousandth of the theme's strongest is not one of its
     * terms: coordinate descent leaves such crumbs, not zeros */
    double top = 0;
    for (int32_t j = 0; j < ncols; j++)
      if (f->term[(size_t)t * (size_t)ncols + (size_t)j] > top)
        top = f->term[(size_t)t * (size_t)ncols + (size_t)j];
    int n = 0;
    for (int32_t j = 0; j < ncols; j++) {
      double w = f->term[(size_t)t * (size_t)ncols + (size_t)j];
      if (w > 0 && w >= 1e-3 * top) r[n++] = (Ranked){w, j};
    }
    qsort(r, (size_t)n, sizeof *r, by_weight_desc);
    for (int i = 0; i < ntop; i++)
      f->top[(size_t)t * (size_t)ntop + (size_t)i] = i < n ? r[i].col : -1;
  }
  free(r);
}

static int fit_nmf(const ThemaCsr *X, int k, int64_t seed, const ThemaThemeOptions *opt,
                   Fit *f, ThemaError *err) {
  ThemaNmfOptions no = {.k = k, .max_iter = opt->max_iter, .tol = opt->tol, .seed = seed};
  ThemaNmfInfo info;
  f->k = k;
  f->weight = thema_xmalloc((size_t)X->nrows * (size_t)(k > 0 ? k : 1) * sizeof *f->weight);
  f->term = thema_xmalloc((size_t)X->ncols * (size_t)(k > 0 ? k : 1) * sizeof *f->term);
  if (thema_nmf_fit(X, &no, f->weight, f->term, &info, err)) return err->status;
  f->iterations = info.iterations;
  return THEMA_OK;
}

/* Leiden communities with at least min_terms terms, the strongest first, at
 * most kmax of them (0: all). A term weighs its inner strength relative to
 * the community's strongest; a segment weighs the sum of its TF-IDF times
 * those weights. */
static int fit_leiden(const ThemaCsr *X, int kmax, int64_t seed,
                      const ThemaThemeOptions *opt, Fit *f, ThemaError *err) {
  int32_t m = X->ncols;
  int32_t *comm = thema_xmalloc(((size_t)m + 1) * sizeof *comm);
  double *strength = thema_xmalloc(((size_t)m + 1) * sizeof *strength);
  ThemaCographOptions go = opt->graph;
  go.seed = seed;
  int nc = 0, status = THEMA_OK;
  if (thema_cograph_communities(X, &go, comm, strength, &nc, err)) {
    status = err->status;
    goto done;
  }
  int *size = thema_xcalloc((size_t)nc + 1, sizeof *size);
  double *maxs = thema_xcalloc((size_t)nc + 1, sizeof *maxs);
  for (int32_t j = 0; j < m; j++)
    if (comm[j] >= 0) {
      size[comm[j]]++;
      if (strength[j] > maxs[comm[j]]) maxs[comm[j]] = strength[j];
    }
  int min_terms = opt->min_terms > 0 ? opt->min_terms : 3;
  int *theme_of = thema_xmalloc(((size_t)nc + 1) * sizeof *theme_of);
  int k = 0;
  for (int c = 0; c < nc; c++) /* communities come strongest first */
    theme_of[c] = size[c] >= min_terms && (kmax <= 0 || k < kmax) ? k++ : -1;
  free(size);
  if (k == 0) {
    free(maxs);
    free(theme_of);
    status = thema_error_set(err, THEMA_EINPUT,
                             "leiden: no community of at least %d terms; lower min_df or "
                             "min_cooc, or select more segments",
                             min_terms);
    goto done;
  }
  f->k = k;
  f->term = thema_xcalloc((size_t)k * (size_t)m, sizeof *f->term);
  f->weight = thema_xcalloc((size_t)X->nrows * (size_t)k, sizeof *f->weight);
  for (int32_t j = 0; j < m; j++)
    if (comm[j] >= 0 && theme_of[comm[j]] >= 0)
      f->term[(size_t)theme_of[comm[j]] * (size_t)m + (size_t)j] =
          strength[j] / maxs[comm[j]];
  for (int32_t i = 0; i < X->nrows; i++)
    for (int64_t p = X->rowptr[i]; p < X->rowptr[i + 1]; p++) {
      int c = comm[X->col[p]];
      if (c < 0 || theme_of[c] < 0) continue;
      int t = theme_of[c];
      f->weight[(size_t)i * (size_t)k + (size_t)t] +=
          X->val[p] * f->term[(size_t)t * (size_t)m + (size_t)X->col[p]];
    }
  free(maxs);
  free(theme_of);
done:
  free(comm);
  free(strength);
  return status;
}

static int fit_one(const ThemaCsr *X, int k, int64_t seed, const ThemaThemeOptions *opt,
                   Fit *f, ThemaError *err) {
  int rc = opt->method == THEMA_THEMES_LEIDEN ? fit_leiden(X, k, seed, opt, f, err)
                                              : fit_nmf(X, k, seed, opt, f, err);
  if (rc) return rc;
  rank_terms(f, X->ncols,
             opt->top_terms > COHERENCE_TERMS ? opt->top_terms : COHERENCE_TERMS);
  return THEMA_OK;
}

double thema_themes_top_jaccard(const int32_t *a, const int32_t *b, int n) {
  int na = 0, nb = 0, both = 0;
  while (na < n && a[na] >= 0) na++;
  while (nb < n && b[nb] >= 0) nb++;
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      if (a[i] == b[j]) both++;
  int uni = na + nb - both;
  return uni ? (double)both / uni : 0;
}

static int cmp_row(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* The stability figures of fit ref: refits on subsamples. */
static int measure_stability(const ThemaCsr *X, const Fit *ref,
                             const ThemaThemeOptions *opt, double *stability, double *match,
                             ThemaError *err) {
  int S = opt->stability_runs;
  double share = opt->subsample > 0 && opt->subsample <= 1 ? opt->subsample : 0.8;
  int32_t n = X->nrows, take = (int32_t)lround(share * n);
  if (take < 1) take = 1;
  for (int t = 0; t < ref->k; t++) stability[t] = match[t] = 0;
  int32_t *rows = thema_xmalloc(((size_t)n + 1) * sizeof *rows);
  int status = THEMA_OK, runs = 0;
  for (int s = 1; s <= S; s++) {
    ThemaPrng g;
    thema_prng_seed(&g, opt->seed + s);
    for (int32_t i = 0; i < n; i++) rows[i] = i;
    for (int32_t i = 0; i < take; i++) { /* partial Fisher–Yates */
      int32_t j = i + (int32_t)thema_prng_index(&g, (uint64_t)(n - i));
      int32_t tmp = rows[i];
      rows[i] = rows[j];
      rows[j] = tmp;
    }
    /* sorted back, so the subsample keeps the corpus order */
    qsort(rows, (size_t)take, sizeof *rows, cmp_row);
    ThemaCsr sub;
    thema_csr_take_rows(X, rows, take, &sub);
    Fit f = {0};
    ThemaError e2 = {0};
    /* a refit only has to show which top terms come back: it stops at ten
     * times the main fit's tolerance, when its top terms have settled */
    ThemaThemeOptions ro = *opt;
    ro.tol = (opt->tol > 0 ? opt->tol : 1e-4) * 10;
    int rc = fit_one(&sub, ref->k, opt->seed + s, &ro, &f, &e2);
    thema_csr_free(&sub);
    if (rc == THEMA_EINPUT) { /* a subsample too small for k: it reproduces nothing */
      fit_free(&f);
      runs++;
      continue;
    }
    if (rc) {
      status = thema_error_set(err, rc, "%s", e2.msg);
      fit_free(&f);
      break;
    }
    runs++;
    for (int t = 0; t < ref->k; t++) {
      double best = 0;
      for (int u = 0; u < f.k; u++) {
        double jac =
            thema_themes_top_jaccard(ref->top + (size_t)t * (size_t)ref->ntop,
                                     f.top + (size_t)u * (size_t)f.ntop, COHERENCE_TERMS);
        if (jac > best) best = jac;
      }
      match[t] += best;
      if (best >= THEMA_THEMES_REAPPEAR - 1e-12) stability[t] += 1;
    }
    fit_free(&f);
  }
  for (int t = 0; t < ref->k; t++) {
    stability[t] = runs ? stability[t] / runs : 0;
    match[t] = runs ? match[t] / runs : 0;
  }
  free(rows);
  return status;
}

static double top_coherence(const ThemaPostings *P, const Fit *f, int t) {
  const int32_t *top = f->top + (size_t)t * (size_t)f->ntop;
  int n = 0;
  while (n < COHERENCE_TERMS && n < f->ntop && top[n] >= 0) n++;
  return thema_npmi_mean(P, top, n);
}

int thema_themes_fit(const ThemaCsr *X, const ThemaPostings *P,
                     const ThemaThemeOptions *opt, ThemaThemeSet *out, ThemaError *err) {
  memset(out, 0, sizeof *out);
  if (X->nrows == 0)
    return thema_error_set(err, THEMA_EINPUT,
                           "themes: no segment selected; widen the filters or relax the "
                           "selection rule (min_words, exclude_speakers)");
  if (X->ncols == 0 || X->rowptr[X->nrows] == 0)
    return thema_error_set(
        err, THEMA_EINPUT,
        "themes: no term is frequent enough in %d segments; lower min_df", (int)X->nrows);
  Fit best = {0};
  ThemaThemeCandidate *cands = NULL;
  int ncand = 0, status = THEMA_OK;
  double *stab = NULL, *match = NULL;
  if (opt->k > 0 || opt->method == THEMA_THEMES_LEIDEN) {
    int k = opt->k > 0 ? opt->k : opt->k_max;
    if (fit_one(X, k, opt->seed, opt, &best, err)) {
      status = err->status;
      goto fail;
    }
    stab = thema_xmalloc((size_t)best.k * sizeof *stab);
    match = thema_xmalloc((size_t)best.k * sizeof *match);
    if (opt->stability_runs > 0) {
      if (measure_stability(X, &best, opt, stab, match, err)) {
        status = err->status;
        goto fail;
      }
    } else {
      for (int t = 0; t < best.k; t++) stab[t] = match[t] = -1;
    }
  } else {
    int lo = opt->k_min > 0 ? opt->k_min : 2, hi = opt->k_max >= lo ? opt->k_max : lo;
    int limit = X->nrows < X->ncols ? X->nrows : X->ncols;
    if (hi > limit) hi = limit;
    if (lo > hi)
      return thema_error_set(
          err, THEMA_EINPUT,
          "themes: at least %d themes asked of %d segments and %d terms; "
          "select more segments or give a smaller k",
          lo, (int)X->nrows, (int)X->ncols);
    ThemaThemeOptions o = *opt;
    if (o.stability_runs <= 0) o.stability_runs = 5;
    cands = thema_xcalloc((size_t)(hi - lo + 1), sizeof *cands);
    double best_score = -1;
    for (int k = lo; k <= hi; k++) {
      Fit f = {0};
      double *s = thema_xmalloc((size_t)k * sizeof *s),
             *mt = thema_xmalloc((size_t)k * sizeof *mt);
      if (fit_one(X, k, o.seed, &o, &f, err) || measure_stability(X, &f, &o, s, mt, err)) {
        status = err->status;
        free(s);
        free(mt);
        fit_free(&f);
        goto fail;
      }
      double ms = 0, mc = 0;
      for (int t = 0; t < f.k; t++) {
        ms += mt[t];
        mc += top_coherence(P, &f, t);
      }
      cands[ncand++] = (ThemaThemeCandidate){k, ms / f.k, mc / f.k};
      if (ms / f.k > best_score + 1e-12) { /* ties keep the smaller k */
        best_score = ms / f.k;
        fit_free(&best);
        free(stab);
        free(match);
        best = f;
        stab = s;
        match = mt;
      } else {
        fit_free(&f);
        free(s);
        free(mt);
      }
    }
  }
  /* a segment weighs nothing on a theme none of whose top terms it uses */
  uint8_t *is_top = thema_xcalloc((size_t)X->ncols + 1, 1);
  for (int t = 0; t < best.k; t++) {
    const int32_t *top = best.top + (size_t)t * (size_t)best.ntop;
    for (int j = 0; j < best.ntop && top[j] >= 0; j++) is_top[top[j]] = 1;
    for (int32_t i = 0; i < X->nrows; i++) {
      int uses = 0;
      for (int64_t p = X->rowptr[i]; p < X->rowptr[i + 1] && !uses; p++)
        uses = is_top[X->col[p]];
      if (!uses) best.weight[(size_t)i * (size_t)best.k + (size_t)t] = 0;
    }
    for (int j = 0; j < best.ntop && top[j] >= 0; j++) is_top[top[j]] = 0;
  }
  free(is_top);
  out->k = best.k;
  out->nrows = X->nrows;
  out->ncols = X->ncols;
  out->weight = best.weight;
  out->term = best.term;
  out->top = best.top;
  out->top_terms = best.ntop;
  out->iterations = best.iterations;
  out->stability = stab;
  out->match = match;
  out->coherence = thema_xmalloc((size_t)best.k * sizeof *out->coherence);
  for (int t = 0; t < best.k; t++) out->coherence[t] = top_coherence(P, &best, t);
  out->candidates = cands;
  out->ncandidates = ncand;
  return THEMA_OK;
fail:
  fit_free(&best);
  free(stab);
  free(match);
  free(cands);
  return status;
}

void thema_themes_free(ThemaThemeSet *t) {
  free(t->weight);
  free(t->term);
  free(t->top);
  free(t->coherence);
  free(t->stability);
  free(t->match);
  free(t->candidates);
  memset(t, 0, sizeof *t);
}

int thema_themes_covers(const ThemaThemeSet *t, int32_t row, int theme, double min_share) {
  const double *w = t->weight + (size_t)row * (size_t)t->k;
  double sum = 0;
  int strongest = -1;
  for (int u = 0; u < t->k; u++) {
    sum += w[u];
    if (w[u] > 0 && (strongest < 0 || w[u] > w[strongest])) strongest = u;
  }
  if (strongest < 0 || w[theme] <= 0) return 0;
  return theme == strongest || w[theme] >= min_share * sum;
}

typedef struct Rep {
  double share, w;
  int32_t row;
} Rep;

static int by_rep(const void *a, const void *b) {
  const Rep *x = a, *y = b;
  if (x->share != y->share) return x->share > y->share ? -1 : 1;
  if (x->w != y->w) return x->w > y->w ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

int thema_themes_representative(const ThemaThemeSet *t, int theme, double min_share, int n,
                                int32_t *rows) {
  Rep *r = thema_xmalloc(((size_t)t->nrows + 1) * sizeof *r);
  int c = 0;
  for (int32_t i = 0; i < t->nrows; i++) {
    if (!thema_themes_covers(t, i, theme, min_share)) continue;
    const double *w = t->weight + (size_t)i * (size_t)t->k;
    double sum = 0;
    for (int u = 0; u < t->k; u++) sum += w[u];
    r[c++] = (Rep){w[theme] / sum, w[theme], i};
  }
  qsort(r, (size_t)c, sizeof *r, by_rep);
  int got = c < n ? c : n;
  for (int i = 0; i < got; i++) rows[i] = r[i].row;
  free(r);
  return got;
}

double thema_themes_term_cosine(const ThemaThemeSet *t, int a, int b) {
  const double *x = t->term + (size_t)a * (size_t)t->ncols,
               *y = t->term + (size_t)b * (size_t)t->ncols;
  double xy = 0, xx = 0, yy = 0;
  for (int32_t j = 0; j < t->ncols; j++) {
    xy += x[j] * y[j];
    xx += x[j] * x[j];
    yy += y[j] * y[j];
  }
  return xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : 0;
}

void thema_themes_overlap(const uint8_t *covered, int32_t nrows, int k,
                          const int64_t *code_ptr, const int32_t *code_rows, int ncodes,
                          int64_t *shared, int64_t *code_size) {
  memset(shared, 0, (size_t)k * (size_t)ncodes * sizeof *shared);
  for (int c = 0; c < ncodes; c++) {
    code_size[c] = code_ptr[c + 1] - code_ptr[c];
    for (int64_t p = code_ptr[c]; p < code_ptr[c + 1]; p++) {
      int32_t row = code_rows[p];
      if (row < 0 || row >= nrows) continue;
      for (int t = 0; t < k; t++)
        if (covered[(size_t)row * (size_t)k + (size_t)t])
          shared[(size_t)t * (size_t)ncodes + (size_t)c]++;
    }
  }
}
